//! The node actions a feature asks for by name besides provision targets: maintenance,
//! traits (`/v1/nodes/<node>/traits`) and retirement (`retired`, `retired_reason`), each as
//! the one request it is.

use serde_json::{Value, json};

use super::rest::segment;

/// One request: method, path and JSON body.
pub type Request = (&'static str, String, Option<Value>);

/// The request for `action` on the node `name` with `arguments`, or `None` for an action
/// that is not one of these (a provision target, or unknown).
pub fn request(name: &str, action: &str, arguments: &Value) -> Option<Request> {
    let node = format!("/v1/nodes/{}", segment(name));
    let text = |key: &str| {
        arguments
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
    };
    Some(match action {
        "maintenance" => (
            "PUT",
            format!("{node}/maintenance"),
            Some(arguments.clone()),
        ),
        "end maintenance" => ("DELETE", format!("{node}/maintenance"), None),
        "add trait" => (
            "PUT",
            format!("{node}/traits/{}", segment(text("trait"))),
            None,
        ),
        "remove trait" => (
            "DELETE",
            format!("{node}/traits/{}", segment(text("trait"))),
            None,
        ),
        "set traits" => (
            "PUT",
            format!("{node}/traits"),
            Some(json!({"traits": arguments.get("traits").cloned().unwrap_or(json!([]))})),
        ),
        "remove traits" => ("DELETE", format!("{node}/traits"), None),
        "retire" => {
            let mut patch = vec![json!({"op": "replace", "path": "/retired", "value": true})];
            if let Some(reason) = arguments.get("reason") {
                patch.push(json!({"op": "replace", "path": "/retired_reason", "value": reason}));
            }
            ("PATCH", node, Some(Value::Array(patch)))
        }
        "unretire" => (
            "PATCH",
            node,
            Some(json!([{"op": "replace", "path": "/retired", "value": false}])),
        ),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traits_and_retirement_are_one_request_each() {
        let (method, path, body) =
            request("n1", "add trait", &json!({"trait": "CUSTOM_GPU"})).unwrap();
        assert_eq!(
            (method, path.as_str(), body),
            ("PUT", "/v1/nodes/n1/traits/CUSTOM_GPU", None)
        );
        let (_, _, body) = request("n1", "retire", &json!({"reason": "old"})).unwrap();
        assert_eq!(
            body,
            Some(json!([
                {"op": "replace", "path": "/retired", "value": true},
                {"op": "replace", "path": "/retired_reason", "value": "old"}
            ]))
        );
        assert!(request("n1", "manage", &Value::Null).is_none());
    }
}
