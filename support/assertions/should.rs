use std::fmt::Debug;

use regex::Regex;

use super::failure::{AssertionFailed, Verdict};

/// Starts an assertion on any value: `value.should()`.
pub trait Should {
    /// An assertion about `self`.
    fn should(&self) -> Assertion<'_, Self> {
        Assertion {
            actual: self,
            subject: None,
            negated: false,
        }
    }
}

impl<T: ?Sized> Should for T {}

/// An assertion under construction: a value, an optional subject name, maybe negated.
#[must_use = "an assertion does nothing until a check such as `.equal(..)` is called"]
pub struct Assertion<'a, T: ?Sized> {
    actual: &'a T,
    subject: Option<String>,
    negated: bool,
}

impl<'a, T: ?Sized + Debug> Assertion<'a, T> {
    /// Names what is checked, for the message: `.named("system \"web-01\" hostname")`.
    pub fn named(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }

    /// Negates the next check.
    #[allow(clippy::should_implement_trait)]
    pub fn not(mut self) -> Self {
        self.negated = !self.negated;
        self
    }

    fn subject(&self) -> &str {
        self.subject.as_deref().unwrap_or("value")
    }

    /// Passes when `holds` (or, negated, when it does not); otherwise fails with the
    /// expectation and the actual value.
    fn check(&self, holds: bool, relation: &str, expected: Option<String>) -> Verdict {
        if holds != self.negated {
            return Ok(());
        }
        let not = if self.negated { "not " } else { "" };
        Err(AssertionFailed::expected_actual(
            format!("{} should {not}{relation}", self.subject()),
            expected.map(|expected| format!("{not}{expected}")),
            format!("{:?}", self.actual),
        ))
    }

    /// Equal to `expected`; structured values fail with a line diff.
    pub fn equal<E: Debug + ?Sized>(self, expected: &E) -> Verdict
    where
        T: PartialEq<E>,
    {
        let holds = self.actual == expected;
        if holds == self.negated {
            let pretty_actual = format!("{:#?}", self.actual);
            let pretty_expected = format!("{expected:#?}");
            if !self.negated && (pretty_actual.contains('\n') || pretty_expected.contains('\n')) {
                return Err(AssertionFailed::diff(
                    format!("{} should equal the expected value", self.subject()),
                    pretty_expected,
                    pretty_actual,
                ));
            }
        }
        self.check(holds, "equal", Some(format!("{expected:?}")))
    }

    /// Greater than `bound`.
    pub fn be_greater_than(self, bound: &T) -> Verdict
    where
        T: PartialOrd,
    {
        self.check(
            self.actual > bound,
            "be greater than",
            Some(format!("> {bound:?}")),
        )
    }

    /// Less than `bound`.
    pub fn be_less_than(self, bound: &T) -> Verdict
    where
        T: PartialOrd,
    {
        self.check(
            self.actual < bound,
            "be less than",
            Some(format!("< {bound:?}")),
        )
    }
}

impl<'a, U: Debug> Assertion<'a, Option<U>> {
    /// `Some`: returns the inner value for further assertions.
    pub fn be_some(self) -> Verdict<&'a U> {
        assert!(!self.negated, "use be_none() instead of not().be_some()");
        self.actual.as_ref().ok_or_else(|| {
            AssertionFailed::expected_actual(
                format!("{} should be present", self.subject()),
                Some("Some(..)".into()),
                "None",
            )
        })
    }

    /// `None`.
    pub fn be_none(self) -> Verdict {
        self.check(self.actual.is_none(), "be absent", Some("None".into()))
    }
}

impl<T: AsRef<str> + Debug + ?Sized> Assertion<'_, T> {
    /// Contains `needle` as a substring.
    pub fn contain(self, needle: &str) -> Verdict {
        let holds = self.actual.as_ref().contains(needle);
        self.check(
            holds,
            "contain",
            Some(format!("text containing {needle:?}")),
        )
    }

    /// Matches the regular expression `pattern`.
    pub fn match_regex(self, pattern: &str) -> Verdict {
        let regex = match Regex::new(pattern) {
            Ok(regex) => regex,
            Err(e) => {
                return Err(AssertionFailed::new(format!(
                    "invalid regex {pattern:?}: {e}"
                )));
            }
        };
        let holds = regex.is_match(self.actual.as_ref());
        self.check(holds, "match", Some(format!("/{pattern}/")))
    }
}

/// Things with a length: strings, vectors, slices, maps.
pub trait Length {
    /// The number of elements (characters for strings).
    fn length(&self) -> usize;
}

impl Length for str {
    fn length(&self) -> usize {
        self.chars().count()
    }
}

impl Length for String {
    fn length(&self) -> usize {
        self.chars().count()
    }
}

impl<E> Length for Vec<E> {
    fn length(&self) -> usize {
        self.len()
    }
}

impl<E> Length for [E] {
    fn length(&self) -> usize {
        self.len()
    }
}

impl<K, V> Length for std::collections::BTreeMap<K, V> {
    fn length(&self) -> usize {
        self.len()
    }
}

impl<T: Length + Debug + ?Sized> Assertion<'_, T> {
    /// Has exactly `expected` elements.
    pub fn have_len(self, expected: usize) -> Verdict {
        let actual = self.actual.length();
        self.check(
            actual == expected,
            &format!("have length {expected} (has {actual})"),
            Some(format!("length {expected}")),
        )
    }

    /// Has no elements.
    pub fn be_empty(self) -> Verdict {
        self.check(self.actual.length() == 0, "be empty", None)
    }

    /// Element-wise vector containment for collections is `contain_item`.
    pub fn contain_item<E: PartialEq + Debug>(self, item: &E) -> Verdict
    where
        T: AsRef<[E]>,
    {
        let holds = self.actual.as_ref().contains(item);
        self.check(
            holds,
            "contain",
            Some(format!("a collection containing {item:?}")),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(verdict: Verdict) -> String {
        verdict
            .expect_err("the assertion should have failed")
            .to_string()
    }

    #[test]
    fn equal_passes_and_fails_with_expected_and_actual() -> Verdict {
        "a".should().equal("a")?;
        let text = message("web".should().named("hostname").equal("db"));
        assert_eq!(
            text,
            "hostname should equal\nexpected: \"db\"\n  actual: \"web\""
        );
        Ok(())
    }

    #[test]
    fn negation_reads_in_the_message() -> Verdict {
        1.should().not().equal(&2)?;
        let text = message(1.should().not().equal(&1));
        assert_eq!(text, "value should not equal\nexpected: not 1\n  actual: 1");
        Ok(())
    }

    #[test]
    fn structured_values_fail_with_a_diff_headed_expected_and_actual() {
        let text = message(vec!["a", "b"].should().equal(&vec!["a", "c"]));
        assert_eq!(
            text,
            "value should equal the expected value\n- expected\n+ actual\n  [\n      \"a\",\n-     \"c\",\n+     \"b\",\n  ]"
        );
    }

    #[test]
    fn option_checks_yield_the_inner_value() -> Verdict {
        assert_eq!(*Some(5).should().be_some()?, 5);
        None::<u8>.should().be_none()?;
        let failure = None::<u8>.should().named("system \"x\"").be_some();
        let text = failure.expect_err("None is not present").to_string();
        assert!(text.starts_with("system \"x\" should be present"), "{text}");
        Ok(())
    }

    #[test]
    fn text_and_collection_checks() -> Verdict {
        "invalid token: x".should().contain("invalid token")?;
        "52:54:00:aa:bb:cc".should().match_regex("^52:54")?;
        vec![1, 2].should().have_len(2)?;
        Vec::<u8>::new().should().be_empty()?;
        vec![1, 2].should().contain_item(&2)?;
        3.should().be_greater_than(&2)?;
        let text = message(vec![1].should().named("results").have_len(2));
        assert!(
            text.starts_with("results should have length 2 (has 1)"),
            "{text}"
        );
        let text = message("abc".should().contain("z"));
        assert!(text.contains("expected: text containing \"z\""), "{text}");
        let text = message("abc".should().match_regex("("));
        assert!(text.starts_with("invalid regex \"(\""), "{text}");
        Ok(())
    }
}
