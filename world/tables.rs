//! Reading a step's data table, with errors that say where and what was expected.

use crate::world::StepResult;
use std::collections::BTreeMap;

use cucumber::gherkin::Step;

/// Header words accepted (and skipped) on top of a two-column attribute table.
const KEY_VALUE_HEADERS: [&str; 3] = ["attribute", "field", "key"];

/// A two-column `| attribute | value |` table as pairs; no table gives no pairs.
/// A first row `| attribute | value |` (or `field`/`key`) is a header and skipped.
pub fn key_values(step: &Step) -> StepResult<Vec<(String, String)>> {
    let Some(table) = &step.table else {
        return Ok(Vec::new());
    };
    let mut pairs = Vec::new();
    for (index, row) in table.rows.iter().enumerate() {
        let line = table.position.line + index;
        if index == 0
            && row.len() == 2
            && KEY_VALUE_HEADERS.contains(&row[0].as_str())
            && row[1] == "value"
        {
            continue;
        }
        match row.as_slice() {
            [key, _] if pairs.iter().any(|(k, _)| k == key) => {
                let first = table.rows.iter().position(|r| r.first() == Some(key));
                return Err(crate::authoring!(
                    "line {line}: {key:?} is given twice (first on line {}); each attribute once",
                    table.position.line + first.unwrap_or(index)
                ));
            }
            [key, value] => pairs.push((key.clone(), value.clone())),
            _ => {
                return Err(crate::authoring!(
                    "line {line}: the table row has {} cell(s); expected 2: | attribute | value |",
                    row.len()
                ));
            }
        }
    }
    Ok(pairs)
}

/// A table with a header row, as one map per row. Every column in `required` must be there.
pub fn records(step: &Step, required: &[&str]) -> StepResult<Vec<BTreeMap<String, String>>> {
    let Some(table) = &step.table else {
        return Err(crate::authoring!(
            "line {}: this step needs a table with the columns: {}",
            step.position.line,
            required.join(", ")
        ));
    };
    let Some((header, rows)) = table.rows.split_first() else {
        return Err(crate::authoring!(
            "line {}: the table is empty",
            table.position.line
        ));
    };
    for column in required {
        if !header.iter().any(|h| h == column) {
            return Err(crate::authoring!(
                "line {}: the table needs a column {column:?}; its columns are: {}",
                table.position.line,
                header.join(", ")
            ));
        }
    }
    Ok(rows
        .iter()
        .map(|row| header.iter().cloned().zip(row.iter().cloned()).collect())
        .collect())
}
