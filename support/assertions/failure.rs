//! A failed assertion: what was checked, what was expected and what was found, and for
//! structured values a line diff headed "expected" and "actual". Plain text (no terminal
//! escape codes): a terminal colours the diff's lines itself, report files take it as it is.

use std::fmt;

use similar::{ChangeTag, TextDiff};

/// The result of one check: `Ok`, or what failed.
pub type Verdict<T = ()> = Result<T, AssertionFailed>;

/// A check that did not hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssertionFailed {
    /// The first line: "hostname of system \"web-01\" should equal".
    pub summary: String,
    /// What the check wanted and what it found, as the lines below the summary.
    pub detail: Detail,
}

/// What a failed check shows below its summary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Detail {
    /// Nothing more: the summary says it all.
    None,
    /// One line each: `expected: …` (when there is an expectation) and `actual: …`.
    ExpectedActual {
        /// What was expected, if the check has an expectation beyond its summary.
        expected: Option<String>,
        /// What was found.
        actual: String,
    },
    /// Multi-line values compared line by line.
    Diff {
        /// The expected value, pretty-printed.
        expected: String,
        /// The actual value, pretty-printed.
        actual: String,
    },
}

impl AssertionFailed {
    /// A failure that one sentence says: "no call to \"login\" was recorded".
    pub fn new(summary: impl Into<String>) -> Self {
        AssertionFailed {
            summary: summary.into(),
            detail: Detail::None,
        }
    }

    /// A failure with `expected: …` and `actual: …` lines.
    pub fn expected_actual(
        summary: impl Into<String>,
        expected: Option<String>,
        actual: impl Into<String>,
    ) -> Self {
        AssertionFailed {
            summary: summary.into(),
            detail: Detail::ExpectedActual {
                expected,
                actual: actual.into(),
            },
        }
    }

    /// A failure shown as a line diff of two pretty-printed values.
    pub fn diff(
        summary: impl Into<String>,
        expected: impl Into<String>,
        actual: impl Into<String>,
    ) -> Self {
        AssertionFailed {
            summary: summary.into(),
            detail: Detail::Diff {
                expected: expected.into(),
                actual: actual.into(),
            },
        }
    }
}

/// The marker of a diff line that only the expected value has.
pub const EXPECTED_ONLY: &str = "- ";
/// The marker of a diff line that only the actual value has.
pub const ACTUAL_ONLY: &str = "+ ";

impl fmt::Display for AssertionFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.summary)?;
        match &self.detail {
            Detail::None => Ok(()),
            Detail::ExpectedActual { expected, actual } => {
                if let Some(expected) = expected {
                    write!(f, "\nexpected: {expected}")?;
                }
                write!(f, "\n  actual: {actual}")
            }
            Detail::Diff { expected, actual } => {
                write!(f, "\n{EXPECTED_ONLY}expected\n{ACTUAL_ONLY}actual")?;
                for change in TextDiff::from_lines(expected, actual).iter_all_changes() {
                    let marker = match change.tag() {
                        ChangeTag::Delete => EXPECTED_ONLY,
                        ChangeTag::Insert => ACTUAL_ONLY,
                        ChangeTag::Equal => "  ",
                    };
                    write!(f, "\n{marker}{}", change.value().trim_end_matches('\n'))?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for AssertionFailed {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expected_and_actual_are_one_line_each() {
        let failure = AssertionFailed::expected_actual("x should equal", Some("1".into()), "2");
        assert_eq!(
            failure.to_string(),
            "x should equal\nexpected: 1\n  actual: 2"
        );
    }

    #[test]
    fn a_diff_is_headed_expected_and_actual_and_marks_each_side() {
        let failure =
            AssertionFailed::diff("list should equal", "[\n  a,\n  c,\n]", "[\n  a,\n  b,\n]");
        assert_eq!(
            failure.to_string(),
            "list should equal\n- expected\n+ actual\n  [\n    a,\n-   c,\n+   b,\n  ]"
        );
    }

    #[test]
    fn the_text_holds_no_escape_codes() {
        let failure = AssertionFailed::diff("v", "a\nb", "a\nc");
        assert!(!failure.to_string().contains('\u{1b}'), "{failure}");
    }
}
