//! Which trait names Ironic 39 accepts (on nodes, allocations, deploy templates): a custom
//! one, `CUSTOM_` and capitals, digits, underscores; or one of os-traits' standard traits.

/// os-traits' standard traits, one a line after the `#` header.
const STANDARD: &str = include_str!("os_traits.txt");

/// Whether `trait_name` is a valid trait: a custom one, or a standard one.
pub fn is_valid(trait_name: &str) -> bool {
    let custom = trait_name.strip_prefix("CUSTOM_").is_some_and(|rest| {
        !rest.is_empty()
            && rest
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
    });
    let standard = || {
        STANDARD
            .lines()
            .any(|line| !line.starts_with('#') && line == trait_name)
    };
    trait_name.len() <= 255 && (custom || standard())
}
