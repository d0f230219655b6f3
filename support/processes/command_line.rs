//! A command line written in a feature (`sh -c 'echo hi; exit 3'`) as argv: words split on
//! whitespace, with single quotes (literal), double quotes (`\"` and `\\` escaped) and a
//! backslash escaping the next character outside quotes. No expansion of any kind.

use crate::processes::ProcessError;

/// Splits `line` into argv words; an unclosed quote or a trailing backslash is an error, and so
/// is a line without words.
pub fn split_command_line(line: &str) -> Result<Vec<String>, ProcessError> {
    let bad = |why: &str| ProcessError::CommandLine {
        line: line.to_owned(),
        why: why.to_owned(),
    };
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err(bad("a single quote is not closed")),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\')) => word.push(c),
                            Some(c) => {
                                word.push('\\');
                                word.push(c);
                            }
                            None => return Err(bad("a double quote is not closed")),
                        },
                        Some(c) => word.push(c),
                        None => return Err(bad("a double quote is not closed")),
                    }
                }
            }
            '\\' => match chars.next() {
                Some(c) => {
                    in_word = true;
                    word.push(c);
                }
                None => return Err(bad("it ends with a lone backslash")),
            },
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    if words.is_empty() {
        return Err(bad("it names no program"));
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::split_command_line;

    #[test]
    fn quotes_group_words_and_nothing_is_expanded() {
        assert_eq!(
            split_command_line(r#"sh -c 'echo $HOME; exit 3' "a \"b\"" c\ d"#).unwrap(),
            ["sh", "-c", "echo $HOME; exit 3", "a \"b\"", "c d"]
        );
        assert_eq!(split_command_line("  echo  ''  ").unwrap(), ["echo", ""]);
    }

    #[test]
    fn unclosed_quotes_and_empty_lines_are_refused() {
        for line in ["echo 'hi", "echo \"hi", "echo \\", "   "] {
            let error = split_command_line(line).unwrap_err().to_string();
            assert!(error.starts_with("the command line "), "{error}");
        }
    }
}
