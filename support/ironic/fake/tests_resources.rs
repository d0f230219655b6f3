//! Whole-request tests of the fake's resources beyond nodes and ports: node traits,
//! retirement, portgroups with their ports, allocations, each as the real Ironic 39 answered.

use std::time::Duration;

use super::FakeIronic;
use super::json::Json;
use super::tests::{call, create, fake, fault, json, provision};

fn available(f: &FakeIronic, name: &str) -> String {
    let uuid = create(f, name);
    assert_eq!(provision(f, name, r#"{"target":"manage"}"#).status, 202);
    assert_eq!(provision(f, name, r#"{"target":"provide"}"#).status, 202);
    uuid
}

#[test]
fn traits_are_added_sorted_replaced_and_removed() {
    let f = fake(Duration::ZERO);
    create(&f, "n1");
    let r = call(&f, "PUT", "/v1/nodes/n1/traits/HW_CPU_X86_AVX2", "");
    assert_eq!(r.status, 204);
    assert_eq!(
        r.header("Location"),
        Some("http://127.0.0.1:6385/v1/nodes/n1/traits/HW_CPU_X86_AVX2")
    );
    assert_eq!(
        call(&f, "PUT", "/v1/nodes/n1/traits/CUSTOM_GPU", "").status,
        204
    );
    let r = call(&f, "GET", "/v1/nodes/n1/traits", "");
    assert_eq!(
        json(&r).dumps(),
        r#"{"traits": ["CUSTOM_GPU", "HW_CPU_X86_AVX2"]}"#
    );
    let r = call(&f, "PUT", "/v1/nodes/n1/traits/HW_NOT_A_TRAIT", "");
    assert_eq!(r.status, 400);
    assert!(fault(&r).contains("'HW_NOT_A_TRAIT' does not match '^CUSTOM_[A-Z0-9_]+$'"));
    let r = call(
        &f,
        "PUT",
        "/v1/nodes/n1/traits",
        r#"{"traits":["CUSTOM_B","CUSTOM_A"]}"#,
    );
    assert_eq!(r.status, 204);
    let r = call(&f, "DELETE", "/v1/nodes/n1/traits/CUSTOM_C", "");
    assert_eq!(r.status, 404);
    assert!(fault(&r).ends_with("doesn't have a trait 'CUSTOM_C'"));
    let r = call(&f, "GET", "/v1/nodes/n1?fields=traits", "");
    assert_eq!(
        json(&r).get("traits").unwrap().dumps(),
        r#"["CUSTOM_A", "CUSTOM_B"]"#
    );
}

#[test]
fn a_retired_node_is_not_provided_and_available_goes_back_to_manageable() {
    let f = fake(Duration::ZERO);
    available(&f, "n1");
    assert_eq!(provision(&f, "n1", r#"{"target":"manage"}"#).status, 202);
    let r = call(&f, "GET", "/v1/nodes/n1?fields=provision_state", "");
    assert_eq!(
        json(&r).get("provision_state"),
        Some(&Json::str("manageable"))
    );
    let patch = r#"[{"op":"replace","path":"/retired","value":true}]"#;
    assert_eq!(call(&f, "PATCH", "/v1/nodes/n1", patch).status, 200);
    let r = provision(&f, "n1", r#"{"target":"provide"}"#);
    assert_eq!(r.status, 400);
    assert!(fault(&r).ends_with("because it is retired."));
    let r = call(&f, "GET", "/v1/nodes?retired=true&fields=name", "");
    assert_eq!(
        json(&r).get("nodes").unwrap().dumps().matches("n1").count(),
        1
    );
}

#[test]
fn portgroups_keep_their_ports_to_their_node() {
    let f = fake(Duration::ZERO);
    let n1 = create(&f, "n1");
    let n2 = create(&f, "n2");
    let body = format!(r#"{{"node_uuid":"{n1}","name":"pg1","address":"52:54:00:AA:00:01"}}"#);
    let r = call(&f, "POST", "/v1/portgroups", &body);
    assert_eq!(r.status, 201);
    let pg1 = json(&r);
    assert_eq!(pg1.get("address"), Some(&Json::str("52:54:00:aa:00:01")));
    assert_eq!(pg1.get("mode"), Some(&Json::str("active-backup")));
    let pg1 = pg1.get("uuid").unwrap().as_str().unwrap().to_owned();
    let port =
        format!(r#"{{"node_uuid":"{n2}","address":"52:54:00:aa:00:11","portgroup_uuid":"{pg1}"}}"#);
    let r = call(&f, "POST", "/v1/ports", &port);
    assert_eq!(r.status, 400);
    assert_eq!(
        fault(&r),
        "Port can not be added to a portgroup belonging to a different node."
    );
    let port = port.replace(&n2, &n1);
    assert_eq!(call(&f, "POST", "/v1/ports", &port).status, 201);
    let r = call(&f, "DELETE", "/v1/portgroups/pg1", "");
    assert_eq!(r.status, 400);
    assert!(fault(&r).ends_with("contains ports."));
    let r = call(&f, "GET", "/v1/ports?portgroup=pg1&fields=address", "");
    assert!(json(&r).dumps().contains("52:54:00:aa:00:11"));
    assert_eq!(call(&f, "DELETE", "/v1/nodes/n1", "").status, 204);
    assert_eq!(call(&f, "GET", "/v1/portgroups/pg1", "").status, 404);
}

#[test]
fn an_allocation_takes_a_powered_available_node_with_its_class_and_traits() {
    let f = fake(Duration::ZERO);
    let uuid = available(&f, "n1");
    let patch = r#"[{"op":"replace","path":"/resource_class","value":"gold"}]"#;
    assert_eq!(call(&f, "PATCH", "/v1/nodes/n1", patch).status, 200);
    call(&f, "PUT", "/v1/nodes/n1/traits/CUSTOM_GPU", "");
    let body = r#"{"name":"a1","resource_class":"gold","traits":["CUSTOM_GPU"]}"#;
    let r = call(&f, "POST", "/v1/allocations", body);
    assert_eq!(r.status, 201);
    assert_eq!(json(&r).get("state"), Some(&Json::str("allocating")));
    let r = call(&f, "GET", "/v1/allocations/a1?fields=state,last_error", "");
    assert!(
        json(&r)
            .dumps()
            .contains("no available nodes match the resource class gold."),
        "a node without a power state is no candidate: {}",
        json(&r).dumps()
    );
    call(
        &f,
        "PUT",
        "/v1/nodes/n1/states/power",
        r#"{"target":"power off"}"#,
    );
    let r = call(&f, "POST", "/v1/allocations", &body.replace("a1", "a2"));
    assert_eq!(r.status, 201);
    let r = call(&f, "GET", "/v1/allocations/a2", "");
    assert_eq!(json(&r).get("state"), Some(&Json::str("active")));
    assert_eq!(json(&r).get("node_uuid"), Some(&Json::str(&uuid)));
    let r = call(
        &f,
        "GET",
        "/v1/nodes/n1?fields=instance_uuid,instance_info",
        "",
    );
    assert_eq!(
        json(&r).get("instance_info").unwrap().dumps(),
        r#"{"traits": ["CUSTOM_GPU"]}"#
    );
    assert_eq!(
        call(&f, "DELETE", "/v1/nodes/n1/allocation", "").status,
        204
    );
    let r = call(&f, "GET", "/v1/nodes/n1?fields=instance_uuid", "");
    assert_eq!(json(&r).get("instance_uuid"), Some(&Json::Null));
}
