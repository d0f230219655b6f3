//! One rule for naming a call, wherever a feature names one (the journal's checks and the
//! injected faults alike): an XML-RPC call by its method (`save_system`), an HTTP call by its
//! verb and path (`PATCH /v1/nodes/n1`), where a path also names every call below it and with
//! a query (`GET /v1/nodes` names `GET /v1/nodes/n1` and `GET /v1/nodes?fields=name` too).

/// Whether `pattern`, as a feature wrote it, names the call recorded as `call`.
pub fn names(pattern: &str, call: &str) -> bool {
    call == pattern
        || call
            .strip_prefix(pattern)
            .is_some_and(|rest| rest.starts_with('/') || rest.starts_with('?'))
}

#[cfg(test)]
mod tests {
    use super::names;

    #[test]
    fn a_method_names_itself_only() {
        assert!(names("save_system", "save_system"));
        assert!(!names("save_system", "save_system_x"));
        assert!(!names("save", "save_system"));
    }

    #[test]
    fn a_path_names_itself_what_is_below_it_and_its_queries() {
        assert!(names("GET /v1/nodes", "GET /v1/nodes"));
        assert!(names("GET /v1/nodes", "GET /v1/nodes/n1"));
        assert!(names("GET /v1/nodes", "GET /v1/nodes?fields=name"));
        assert!(!names("GET /v1/nodes", "GET /v1/nodesx"));
        assert!(!names("GET /v1/nodes", "POST /v1/nodes"));
    }
}
