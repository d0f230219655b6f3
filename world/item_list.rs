//! Steps on several items at once: `When I modify the systems "web-01, web-02" with:` runs the
//! one-item action for each alias the string names, in order, and a failure says which item
//! of how many it was.

use super::error::StepResult;
use super::{Mode, ProvWorld};

/// The aliases a `"web-01, web-02"` string names (one when it has no comma); empty names
/// between commas are a mistake of the feature.
pub fn aliases(text: &str) -> StepResult<Vec<String>> {
    let names: Vec<String> = text.split(',').map(|s| s.trim().to_owned()).collect();
    if names.iter().any(String::is_empty) {
        return Err(crate::authoring!(
            "{text:?} names an empty item: list aliases separated by commas, as \"web-01, web-02\""
        ));
    }
    Ok(names)
}

impl ProvWorld {
    /// Runs `action` on each item `text` names, in order, stopping at the first failure (which
    /// names its item). "I try to" takes one item: its outcome is that item's.
    pub async fn for_each_item(
        &mut self,
        mode: Mode,
        text: &str,
        mut action: impl AsyncFnMut(&mut ProvWorld, &str) -> StepResult,
    ) -> StepResult {
        let names = aliases(text)?;
        if mode == Mode::Try && names.len() > 1 {
            return Err(crate::authoring!(
                "\"I try to\" takes one item, and {text:?} names {}: write one step per item",
                names.len()
            ));
        }
        let count = names.len();
        for (number, name) in names.iter().enumerate() {
            action(self, name).await.map_err(|e| {
                if count == 1 {
                    e
                } else {
                    e.in_context(&format!("{name:?} ({} of {count})", number + 1))
                }
            })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_is_split_on_commas_and_trimmed() {
        assert_eq!(aliases("web-01").unwrap(), ["web-01"]);
        assert_eq!(
            aliases("web-01, web-02 ,web-03").unwrap(),
            ["web-01", "web-02", "web-03"]
        );
        let error = aliases("web-01,, web-02").unwrap_err().to_string();
        assert!(error.contains("names an empty item"), "{error}");
    }
}
