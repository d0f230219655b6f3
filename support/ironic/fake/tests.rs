//! Whole-request tests of the fake: the state machine, error texts, lists and auth.

use std::time::Duration;

use super::json::{Json, parse};
use super::{FakeIronic, FakeIronicConfig};
use crate::ironic::exchange::{RawRequest, RawResponse};

pub(super) fn fake(delay: Duration) -> FakeIronic {
    FakeIronic::new(FakeIronicConfig {
        transition_delay: delay,
        ..FakeIronicConfig::default()
    })
}

pub(super) fn call(f: &FakeIronic, method: &str, path: &str, body: &str) -> RawResponse {
    f.handle(&RawRequest {
        method: method.to_owned(),
        path: path.to_owned(),
        headers: vec![(
            "X-OpenStack-Ironic-API-Version".to_owned(),
            "latest".to_owned(),
        )],
        body: body.as_bytes().to_vec(),
    })
}

pub(super) fn json(r: &RawResponse) -> Json {
    parse(std::str::from_utf8(&r.body).unwrap()).unwrap()
}

/// The faultstring, parsing error_message a second time.
pub(super) fn fault(r: &RawResponse) -> String {
    let inner = parse(json(r).get("error_message").unwrap().as_str().unwrap()).unwrap();
    inner
        .get("faultstring")
        .unwrap()
        .as_str()
        .unwrap()
        .to_owned()
}

fn field(f: &FakeIronic, node: &str, name: &str) -> Json {
    let r = call(f, "GET", &format!("/v1/nodes/{node}?fields={name}"), "");
    json(&r).get(name).cloned().unwrap()
}

pub(super) fn create(f: &FakeIronic, name: &str) -> String {
    let r = call(
        f,
        "POST",
        "/v1/nodes",
        &format!(r#"{{"name":"{name}","driver":"fake-hardware"}}"#),
    );
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    json(&r).get("uuid").unwrap().as_str().unwrap().to_owned()
}

pub(super) fn provision(f: &FakeIronic, node: &str, body: &str) -> RawResponse {
    call(
        f,
        "PUT",
        &format!("/v1/nodes/{node}/states/provision"),
        body,
    )
}

#[test]
fn created_node_has_every_field_and_headers() {
    let f = fake(Duration::ZERO);
    let r = call(
        &f,
        "POST",
        "/v1/nodes",
        r#"{"name":"node-1","driver":"fake-hardware","properties":{"cpus":4,"memory_mb":8192}}"#,
    );
    assert_eq!(r.status, 201);
    let node = json(&r);
    let uuid = node.get("uuid").unwrap().as_str().unwrap().to_owned();
    assert_eq!(
        r.header("Location"),
        Some(format!("http://127.0.0.1:6385/v1/nodes/{uuid}").as_str())
    );
    assert_eq!(r.header("X-OpenStack-Ironic-API-Version"), Some("1.115"));
    assert_eq!(
        r.header("X-OpenStack-Ironic-API-Minimum-Version"),
        Some("1.1")
    );
    assert_eq!(
        r.header("X-OpenStack-Ironic-API-Maximum-Version"),
        Some("1.115")
    );
    assert!(
        r.header("x-openstack-request-id")
            .unwrap()
            .starts_with("req-")
    );
    assert_eq!(r.header("Content-Type"), Some("application/json"));
    let Json::Object(members) = &node else {
        panic!()
    };
    assert_eq!(members.len(), 69);
    assert_eq!(members[3].0, "automated_clean");
    assert_eq!(node.get("provision_state"), Some(&Json::str("enroll")));
    assert_eq!(node.get("power_state"), Some(&Json::Null));
    assert_eq!(node.get("network_interface"), Some(&Json::str("noop")));
    assert_eq!(node.get("conductor"), Some(&Json::str("ironic-local")));
    assert_eq!(
        node.get("properties").unwrap().dumps(),
        r#"{"cpus": 4, "memory_mb": 8192}"#
    );
    assert_eq!(f.node_names(), vec!["node-1".to_owned()]);
}

#[test]
fn creation_errors_are_the_real_texts() {
    let f = fake(Duration::ZERO);
    create(&f, "node-1");
    let cases = [
        (
            r#"{"name":"node-1","driver":"fake-hardware"}"#,
            409,
            "A node with name node-1 already exists.",
        ),
        (
            r#"{"name":"bad name with spaces","driver":"fake-hardware"}"#,
            400,
            "Cannot create node with invalid name 'bad name with spaces'",
        ),
        (
            r#"{"name":"node-x"}"#,
            400,
            "Schema error for node: 'driver' is a required property",
        ),
        (
            r#"{"driver":"fake-hardware","bogus_field":1}"#,
            400,
            "Schema error for node: Additional properties are not allowed ('bogus_field' was unexpected)",
        ),
        (
            r#"{"name":"node-bad","driver":"ipmi"}"#,
            400,
            "No valid host was found. Reason: No conductor service registered which supports driver ipmi for conductor group \"\". Ensure the driver is valid and enabled.",
        ),
        (
            r#"{"name":"node-bad","driver":"fake-hardware","deploy_interface":"direct"}"#,
            400,
            "Could not find the following interface in the 'ironic.hardware.interfaces.deploy' entrypoint: direct. Valid interfaces are ['fake'].",
        ),
        (
            r#"{"name":"12345678-1234-1234-1234-123456789abc","driver":"fake-hardware"}"#,
            400,
            "Cannot create node with invalid name '12345678-1234-1234-1234-123456789abc'",
        ),
        (
            r#"{"name":5,"driver":"fake-hardware"}"#,
            400,
            "Schema error for node: 5 is not of type 'string', 'null'",
        ),
    ];
    for (body, status, text) in cases {
        let r = call(&f, "POST", "/v1/nodes", body);
        assert_eq!((r.status, fault(&r)), (status, text.to_owned()), "{body}");
    }
    let r = call(&f, "POST", "/v1/nodes", "not json");
    assert_eq!(r.status, 500);
    assert_eq!(
        String::from_utf8(r.body).unwrap(),
        r#"{"error_message": "{\"faultcode\": \"Server\", \"faultstring\": \"Expecting value: line 1 column 1 (char 0)\", \"debuginfo\": null}"}"#
    );
    for ok in ["a_b", "a.b", "a~b", "UPPER"] {
        create(&f, ok);
    }
    let r = call(
        &f,
        "POST",
        "/v1/nodes",
        r#"{"driver":"fake-hardware","uuid":"11111111-2222-3333-4444-555555555555"}"#,
    );
    assert_eq!(
        json(&r).get("uuid"),
        Some(&Json::str("11111111-2222-3333-4444-555555555555"))
    );
}

#[test]
fn microversions() {
    let f = fake(Duration::ZERO);
    let bare = |path: &str, body: &str, headers: Vec<(String, String)>| {
        f.handle(&RawRequest {
            method: if body.is_empty() { "GET" } else { "POST" }.to_owned(),
            path: path.to_owned(),
            headers,
            body: body.as_bytes().to_vec(),
        })
    };
    let r = bare(
        "/v1/nodes",
        r#"{"name":"node-4","driver":"fake-hardware"}"#,
        vec![],
    );
    assert_eq!(
        (r.status, fault(&r)),
        (406, "Request not acceptable.".to_owned())
    );
    assert_eq!(r.header("X-OpenStack-Ironic-API-Version"), Some("1.1"));
    let r = bare("/v1/nodes", r#"{"driver":"fake-hardware"}"#, vec![]);
    assert_eq!(r.status, 201);
    assert_eq!(json(&r).get("provision_state"), Some(&Json::Null));
    assert!(json(&r).get("name").is_none());
    let uuid = json(&r).get("uuid").unwrap().as_str().unwrap().to_owned();
    assert_eq!(field(&f, &uuid, "provision_state"), Json::str("available"));
    let v = |value: &str| {
        vec![(
            "X-OpenStack-Ironic-API-Version".to_owned(),
            value.to_owned(),
        )]
    };
    let r = bare("/v1/nodes", "", v("1.999"));
    assert_eq!(r.status, 406);
    assert_eq!(r.header("X-OpenStack-Ironic-API-Version"), None);
    assert_eq!(
        r.header("X-OpenStack-Ironic-API-Maximum-Version"),
        Some("1.115")
    );
    let r = bare("/v1/nodes", "", v("abc"));
    assert_eq!(r.header("X-OpenStack-Ironic-API-Maximum-Version"), None);
    assert_eq!(
        String::from_utf8(r.body).unwrap(),
        r#"{"error_message": "{\"code\": 406, \"title\": \"Not Acceptable\", \"description\": \"Invalid value for X-OpenStack-Ironic-API-Version header\"}"}"#
    );
    let r = bare("/v1", "", v("1.1"));
    let Json::Object(members) = json(&r) else {
        panic!()
    };
    let keys: Vec<&str> = members.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        keys,
        [
            "id",
            "links",
            "media_types",
            "chassis",
            "nodes",
            "ports",
            "drivers",
            "version"
        ]
    );
}

#[test]
fn full_lifecycle_settles_after_the_delay() {
    let delay = Duration::from_millis(60);
    let f = fake(delay);
    let uuid = create(&f, "node-1");
    let r = provision(&f, "node-1", r#"{"target":"manage"}"#);
    assert_eq!(r.status, 202);
    assert!(r.body.is_empty());
    assert_eq!(r.header("Content-Type"), None);
    assert_eq!(
        r.header("Location"),
        Some("http://127.0.0.1:6385/v1/nodes/node-1/states")
    );
    assert_eq!(
        field(&f, "node-1", "provision_state"),
        Json::str("verifying")
    );
    assert_eq!(
        field(&f, "node-1", "target_provision_state"),
        Json::str("manageable")
    );
    assert_eq!(
        field(&f, "node-1", "reservation"),
        Json::str("ironic-local")
    );
    // Locked while it runs.
    let r = provision(&f, "node-1", r#"{"target":"provide"}"#);
    assert_eq!(
        (r.status, fault(&r)),
        (
            409,
            format!(
                "Node {uuid} is locked by host ironic-local, please retry after the current operation is completed."
            )
        )
    );
    let r = call(
        &f,
        "PATCH",
        "/v1/nodes/node-1",
        r#"[{"op":"add","path":"/extra/x","value":1}]"#,
    );
    assert_eq!(
        (r.status, fault(&r)),
        (
            409,
            "Node node-1 can not be updated while a state transition is in progress.".to_owned()
        )
    );
    std::thread::sleep(delay + Duration::from_millis(20));
    assert_eq!(
        field(&f, "node-1", "provision_state"),
        Json::str("manageable")
    );
    assert_eq!(field(&f, "node-1", "target_provision_state"), Json::Null);
    assert_eq!(field(&f, "node-1", "reservation"), Json::Null);
    assert!(
        field(&f, "node-1", "provision_updated_at")
            .as_str()
            .is_some()
    );

    provision(&f, "node-1", r#"{"target":"provide"}"#);
    std::thread::sleep(delay + Duration::from_millis(20));
    assert_eq!(
        field(&f, "node-1", "provision_state"),
        Json::str("available")
    );

    assert_eq!(
        provision(&f, "node-1", r#"{"target":"active"}"#).status,
        202
    );
    assert_eq!(
        field(&f, "node-1", "provision_state"),
        Json::str("deploying")
    );
    assert_eq!(
        field(&f, "node-1", "target_provision_state"),
        Json::str("active")
    );
    std::thread::sleep(delay + Duration::from_millis(20));
    assert_eq!(field(&f, "node-1", "provision_state"), Json::str("active"));
    assert_eq!(
        field(&f, "node-1", "driver_internal_info").dumps(),
        r#"{"deploy_steps": null}"#
    );

    let r = call(&f, "DELETE", "/v1/nodes/node-1", "");
    assert_eq!(
        (r.status, fault(&r)),
        (
            409,
            format!(
                "Can not delete node \"{uuid}\" while it is in provision state \"active\". Valid provision states to perform deletion are: \"('manageable', 'enroll', 'adopt failed', 'available')\", or set the node into maintenance mode"
            )
        )
    );
    let r = provision(&f, "node-1", r#"{"target":"manage"}"#);
    assert_eq!(
        fault(&r),
        format!(
            "The requested action \"manage\" can not be performed on node \"{uuid}\" while it is in state \"active\"."
        )
    );
    let r = provision(&f, "node-1", r#"{"target":"rebuild"}"#);
    assert_eq!(
        (r.status, fault(&r)),
        (
            500,
            "cannot access local variable 'auto_lessee' where it is not associated with a value"
                .to_owned()
        )
    );
    provision(&f, "node-1", r#"{"target":"deleted"}"#);
    assert_eq!(
        field(&f, "node-1", "provision_state"),
        Json::str("deleting")
    );
    assert_eq!(
        field(&f, "node-1", "target_provision_state"),
        Json::str("available")
    );
    std::thread::sleep(delay + Duration::from_millis(20));
    assert_eq!(
        field(&f, "node-1", "provision_state"),
        Json::str("available")
    );
    assert_eq!(call(&f, "DELETE", "/v1/nodes/node-1", "").status, 204);
    let r = call(&f, "DELETE", "/v1/nodes/node-1", "");
    assert_eq!(
        (r.status, fault(&r)),
        (404, "Node node-1 could not be found.".to_owned())
    );
    assert!(f.is_empty());
}

#[test]
fn refused_transitions_and_maintenance() {
    let f = fake(Duration::ZERO);
    let uuid = create(&f, "node-2");
    for target in ["provide", "active", "nonsense", "inspect", "abort"] {
        let r = provision(&f, "node-2", &format!(r#"{{"target":"{target}"}}"#));
        assert_eq!(
            (r.status, fault(&r)),
            (
                400,
                format!(
                    "The requested action \"{target}\" can not be performed on node \"{uuid}\" while it is in state \"enroll\"."
                )
            )
        );
    }
    let r = provision(&f, "node-2", "{}");
    assert_eq!(fault(&r), "Missing mandatory parameter: target");
    let r = provision(&f, "node-2", r#"{"target":"manage","bogus":1}"#);
    assert_eq!(fault(&r), "Unexpected arguments: bogus");
    provision(&f, "node-2", r#"{"target":"manage"}"#);
    provision(&f, "node-2", r#"{"target":"provide"}"#);
    assert_eq!(
        field(&f, "node-2", "provision_state"),
        Json::str("available")
    );
    let r = call(
        &f,
        "PUT",
        "/v1/nodes/node-2/maintenance",
        r#"{"reason":"testing"}"#,
    );
    assert_eq!(r.status, 202);
    assert_eq!(
        field(&f, "node-2", "maintenance_reason"),
        Json::str("testing")
    );
    let r = provision(&f, "node-2", r#"{"target":"active"}"#);
    assert_eq!(
        (r.status, fault(&r)),
        (
            400,
            format!(
                "The provisioning operation can't be performed on node {uuid} because it's in maintenance mode."
            )
        )
    );
    assert_eq!(
        call(&f, "DELETE", "/v1/nodes/node-2/maintenance", "").status,
        202
    );
    assert_eq!(field(&f, "node-2", "maintenance"), Json::Bool(false));
    assert_eq!(field(&f, "node-2", "maintenance_reason"), Json::Null);
    let r = call(&f, "PUT", "/v1/nodes/node-2/states/maintenance", "{}");
    assert_eq!(r.status, 405);
    assert_eq!(r.header("Allow"), Some("GET"));
    assert_eq!(r.header("X-OpenStack-Ironic-API-Version"), None);
    assert_eq!(
        String::from_utf8(r.body).unwrap(),
        r#"{"error_message": "{\"code\": 405, \"title\": \"Method Not Allowed\", \"description\": \"\"}"}"#
    );
    let r = call(
        &f,
        "PATCH",
        "/v1/nodes/node-2",
        r#"[{"op":"replace","path":"/maintenance","value":true}]"#,
    );
    assert_eq!(json(&r).get("maintenance"), Some(&Json::Bool(true)));
}

#[test]
fn clean_fails_like_fake_hardware_and_manage_recovers() {
    let f = fake(Duration::ZERO);
    let uuid = create(&f, "node-c");
    provision(&f, "node-c", r#"{"target":"manage"}"#);
    let r = provision(&f, "node-c", r#"{"target":"clean"}"#);
    assert_eq!(
        fault(&r),
        "\"clean_steps\" is required when setting target provision state to clean"
    );
    let r = provision(
        &f,
        "node-c",
        r#"{"target":"clean","clean_steps":[{"interface":"raid","step":"delete_configuration"}]}"#,
    );
    assert_eq!(r.status, 202);
    assert_eq!(
        field(&f, "node-c", "provision_state"),
        Json::str("clean failed")
    );
    assert_eq!(
        field(&f, "node-c", "target_provision_state"),
        Json::str("manageable")
    );
    assert_eq!(
        field(&f, "node-c", "last_error"),
        Json::Str(format!(
            "Cannot clean node {uuid}: node does not support this clean step: {{'interface': 'raid', 'step': 'delete_configuration'}}"
        ))
    );
    let r = provision(&f, "node-c", r#"{"target":"provide"}"#);
    assert_eq!(
        fault(&r),
        format!(
            "The requested action \"provide\" can not be performed on node \"{uuid}\" while it is in state \"clean failed\"."
        )
    );
    provision(&f, "node-c", r#"{"target":"manage"}"#);
    assert_eq!(
        field(&f, "node-c", "provision_state"),
        Json::str("manageable")
    );
    assert_eq!(field(&f, "node-c", "target_provision_state"), Json::Null);
    let r = provision(
        &f,
        "node-c",
        r#"{"target":"clean","clean_steps":[{"interface":"bios","step":"factory_reset"}]}"#,
    );
    assert_eq!(r.status, 202);
    assert_eq!(
        field(&f, "node-c", "provision_state"),
        Json::str("manageable")
    );
    call(&f, "PUT", "/v1/nodes/node-c/maintenance", "");
    let r = provision(
        &f,
        "node-c",
        r#"{"target":"clean","clean_steps":[{"interface":"bios","step":"factory_reset"}]}"#,
    );
    assert_eq!(
        fault(&r),
        format!(
            "The cleaning operation can't be performed on node {uuid} because it's in maintenance mode."
        )
    );
    call(&f, "DELETE", "/v1/nodes/node-c/maintenance", "");
    provision(&f, "node-c", r#"{"target":"inspect"}"#);
    assert_eq!(
        field(&f, "node-c", "provision_state"),
        Json::str("manageable")
    );
    assert!(
        field(&f, "node-c", "inspection_finished_at")
            .as_str()
            .is_some()
    );
    assert_eq!(field(&f, "node-c", "inspection_started_at"), Json::Null);
}

#[test]
fn power_actions() {
    let delay = Duration::from_millis(50);
    let f = fake(delay);
    create(&f, "node-p");
    let r = call(
        &f,
        "PUT",
        "/v1/nodes/node-p/states/power",
        r#"{"target":"bogus"}"#,
    );
    assert_eq!(
        fault(&r),
        "The requested action \"bogus\" can not be performed on node \"node-p\" while it is in state \"None\"."
    );
    let r = call(
        &f,
        "PUT",
        "/v1/nodes/node-p/states/power",
        r#"{"target":"power on"}"#,
    );
    assert_eq!(r.status, 202);
    let states = json(&call(&f, "GET", "/v1/nodes/node-p/states", ""));
    assert_eq!(states.get("power_state"), Some(&Json::Null));
    assert_eq!(
        states.get("target_power_state"),
        Some(&Json::str("power on"))
    );
    std::thread::sleep(delay + Duration::from_millis(20));
    let states = json(&call(&f, "GET", "/v1/nodes/node-p/states", ""));
    assert_eq!(states.get("power_state"), Some(&Json::str("power on")));
    assert_eq!(states.get("target_power_state"), Some(&Json::Null));
    for (target, end) in [("soft power off", "power off"), ("rebooting", "power on")] {
        call(
            &f,
            "PUT",
            "/v1/nodes/node-p/states/power",
            &format!(r#"{{"target":"{target}"}}"#),
        );
        std::thread::sleep(delay + Duration::from_millis(20));
        assert_eq!(field(&f, "node-p", "power_state"), Json::str(end));
    }
}

#[test]
fn patch_rules() {
    let f = fake(Duration::ZERO);
    create(&f, "node-1");
    let r = call(
        &f,
        "PATCH",
        "/v1/nodes/node-1",
        r#"[{"op":"add","path":"/properties/local_gb","value":100},{"op":"add","path":"/extra/rack","value":"r1"}]"#,
    );
    assert_eq!(r.status, 200);
    assert_eq!(
        json(&r).get("reservation"),
        Some(&Json::str("ironic-local"))
    );
    assert_eq!(json(&r).get("extra").unwrap().dumps(), r#"{"rack": "r1"}"#);
    assert!(json(&r).get("updated_at").unwrap().as_str().is_some());
    let r = call(
        &f,
        "PATCH",
        "/v1/nodes/node-1",
        r#"[{"op":"replace","path":"/uuid","value":"x"}]"#,
    );
    assert_eq!(
        fault(&r),
        "Cannot patch /uuid. Only the following can be updated: automated_clean, bios_interface, boot_interface, chassis_uuid, conductor_group, console_interface, deploy_interface, description, disable_power_off, driver, driver_info, extra, inspect_interface, instance_info, instance_name, instance_uuid, lessee, maintenance, management_interface, name, network_data, network_interface, owner, power_interface, properties, protected, protected_reason, raid_interface, rescue_interface, resource_class, retired, retired_reason, shard, storage_interface, vendor_interface, parent_node, firmware_interface"
    );
    let r = call(
        &f,
        "PATCH",
        "/v1/nodes/node-1",
        r#"[{"op":"add","path":"/name","value":"bad name"}]"#,
    );
    assert_eq!(
        fault(&r),
        "Node node-1: Cannot change name to invalid name 'bad name'"
    );
    let r = call(
        &f,
        "PATCH",
        "/v1/nodes/node-1",
        r#"[{"op":"replace","path":"/extra","value":"str"}]"#,
    );
    assert_eq!(
        fault(&r),
        "Schema error for patch: 'str' is not of type 'object', 'null'"
    );
    let r = call(
        &f,
        "PATCH",
        "/v1/nodes/node-1",
        r#"[{"op":"remove","path":"/extra"}]"#,
    );
    assert_eq!(json(&r).get("extra"), Some(&Json::empty()));
    let r = call(
        &f,
        "PATCH",
        "/v1/nodes/nope",
        r#"[{"op":"remove","path":"/extra"}]"#,
    );
    assert_eq!(
        (r.status, fault(&r)),
        (404, "Node nope could not be found.".to_owned())
    );
}

#[test]
fn ports_rules_and_deleted_with_their_node() {
    let f = fake(Duration::ZERO);
    let uuid = create(&f, "node-1");
    let port = |body: String| call(&f, "POST", "/v1/ports", &body);
    let r = port(format!(
        r#"{{"node_uuid":"{uuid}","address":"52:54:00:AB:CD:EF","name":"p-a"}}"#
    ));
    assert_eq!(r.status, 201);
    let p = json(&r);
    assert_eq!(p.get("address"), Some(&Json::str("52:54:00:ab:cd:ef")));
    let Json::Object(members) = &p else { panic!() };
    let keys: Vec<&str> = members.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys.last(), Some(&"portgroup_uuid"));
    assert_eq!(keys.len(), 18);
    let r = port(format!(
        r#"{{"node_uuid":"{uuid}","address":"52:54:00:ab:cd:EF"}}"#
    ));
    assert_eq!(
        (r.status, fault(&r)),
        (
            409,
            "A port with MAC address 52:54:00:ab:cd:ef already exists.".to_owned()
        )
    );
    let r = port(format!(
        r#"{{"node_uuid":"{uuid}","address":"52:54:00:00:00:02","name":"p-a"}}"#
    ));
    assert_eq!(r.status, 409);
    assert!(fault(&r).starts_with("A port with UUID "));
    let r = port(r#"{"node_uuid":"node-1","address":"52:54:00:00:00:03"}"#.to_owned());
    assert_eq!(fault(&r), "Expected UUID for node_uuid: node-1");
    let r = port(format!(r#"{{"node_uuid":"{uuid}","address":"not-a-mac"}}"#));
    assert_eq!(
        fault(&r),
        "Expected valid MAC address for address: not-a-mac"
    );
    let r = port(
        r#"{"node_uuid":"00000000-0000-0000-0000-000000000000","address":"52:54:00:00:00:01"}"#
            .to_owned(),
    );
    assert_eq!(
        (r.status, fault(&r)),
        (
            400,
            "Node 00000000-0000-0000-0000-000000000000 could not be found.".to_owned()
        )
    );
    let r = port(r#"{"address":"52:54:00:00:00:02"}"#.to_owned());
    assert_eq!(
        fault(&r),
        "Schema error for port: {'address': '52:54:00:00:00:02'} is not valid under any of the given schemas. Possible root cause: 'node_ident' is a required property"
    );
    let r = port(format!(
        r#"{{"node_uuid":"{uuid}","address":"52:54:00:00:00:09","name":"with space"}}"#
    ));
    assert_eq!(r.status, 201);
    assert_eq!(call(&f, "GET", "/v1/ports/p-a", "").status, 200);
    let r = call(&f, "GET", "/v1/ports/with%20space", "");
    assert_eq!(
        fault(&r),
        "Expected UUID or name for port_ident: with space"
    );
    let r = call(&f, "GET", "/v1/ports?address=52:54:00:ab:cd:ef", "");
    let Json::Array(items) = json(&r).get("ports").unwrap().clone() else {
        panic!()
    };
    assert_eq!(items.len(), 1);
    let r = call(&f, "GET", "/v1/nodes/node-1/ports", "");
    assert_eq!(
        (r.status, fault(&r)),
        (404, "Portgroup None could not be found.".to_owned())
    );
    assert_eq!(
        call(&f, "GET", &format!("/v1/nodes/{uuid}/ports"), "").status,
        200
    );
    let r = call(&f, "GET", "/v1/ports?fields=uuid,bogus", "");
    assert_eq!(fault(&r), "Field(s) \"bogus\" are not valid");
    assert_eq!(f.port_count(), 2);
    call(&f, "PUT", "/v1/nodes/node-1/maintenance", "");
    assert_eq!(call(&f, "DELETE", "/v1/nodes/node-1", "").status, 204);
    assert_eq!(f.port_count(), 0);
    assert!(f.is_empty());
}

#[test]
fn lists_pagination_and_fields() {
    let f = fake(Duration::ZERO);
    let a = create(&f, "a");
    create(&f, "b");
    let r = call(&f, "GET", "/v1/nodes?limit=1&fields=name", "");
    let body = json(&r);
    assert_eq!(
        body.get("next"),
        Some(&Json::Str(format!(
            "http://127.0.0.1:6385/v1/nodes?sort_key=id&sort_dir=asc&fields=name&limit=1&marker={a}"
        )))
    );
    let r = call(&f, "GET", &format!("/v1/nodes?limit=1&marker={a}"), "");
    let body = json(&r);
    let Json::Array(items) = body.get("nodes").unwrap() else {
        panic!()
    };
    assert_eq!(items[0].get("name"), Some(&Json::str("b")));
    assert!(body.get("next").unwrap().as_str().unwrap().contains(
        "fields=instance_uuid,maintenance,power_state,provision_state,uuid,name&limit=1"
    ));
    let r = call(&f, "GET", "/v1/nodes?limit=5", "");
    assert!(json(&r).get("next").is_none());
    let r = call(&f, "GET", "/v1/nodes?detail=true&fields=uuid,name", "");
    assert_eq!(
        fault(&r),
        "Can not specify ?detail=True and fields in the same request."
    );
    let r = call(&f, "GET", "/v1/nodes/a?fields=uuid,name,updated_at", "");
    assert_eq!(fault(&r), "Field updated_at is not a valid field.");
    let r = call(&f, "GET", "/v1/nodes/a?fields=name,uuid", "");
    let Json::Object(m) = json(&r) else { panic!() };
    let keys: Vec<&str> = m.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["uuid", "name", "links"]);
    let r = call(&f, "GET", "/v1/nodes?fields=name,bogus", "");
    assert_eq!(
        (r.status, fault(&r)),
        (
            500,
            "type object 'Node' has no attribute 'bogus'".to_owned()
        )
    );
    provision(&f, "a", r#"{"target":"manage"}"#);
    let r = call(
        &f,
        "GET",
        "/v1/nodes?provision_state=enroll&fields=name",
        "",
    );
    assert_eq!(
        json(&r)
            .get("nodes")
            .unwrap()
            .dumps()
            .matches("\"name\"")
            .count(),
        1
    );
    let r = call(&f, "GET", "/v1/nodes?maintenance=bogus", "");
    assert!(fault(&r).starts_with("Invalid maintenance: Unrecognized value 'bogus'"));
    let r = call(&f, "GET", "/v1/nodes/detail", "");
    assert_eq!(
        json(&r)
            .get("nodes")
            .unwrap()
            .dumps()
            .matches("\"driver_info\"")
            .count(),
        2
    );
    let r = call(&f, "GET", "/v1/nosuchresource", "");
    assert_eq!(
        String::from_utf8(r.body).unwrap(),
        r#"{"error_message": "{\"code\": 404, \"title\": \"Not Found\", \"description\": \"\"}"}"#
    );
}

#[test]
fn http_basic() {
    let f = FakeIronic::new(FakeIronicConfig {
        users: Some(vec![("admin".to_owned(), "secret".to_owned())]),
        ..FakeIronicConfig::default()
    });
    let get = |path: &str, auth: Option<&str>| {
        f.handle(&RawRequest {
            method: "GET".to_owned(),
            path: path.to_owned(),
            headers: auth
                .map(|a| vec![("Authorization".to_owned(), a.to_owned())])
                .unwrap_or_default(),
            body: Vec::new(),
        })
    };
    assert_eq!(get("/", None).status, 200);
    assert_eq!(get("/v1", None).status, 200);
    let r = get("/v1/nodes", None);
    assert_eq!(r.status, 401);
    assert_eq!(
        r.header("WWW-Authenticate"),
        Some("Basic realm=\"Baremetal API\"")
    );
    assert_eq!(r.header("X-OpenStack-Ironic-API-Version"), None);
    assert_eq!(
        String::from_utf8(r.body).unwrap(),
        r#"{"error":{"message":"Authorization required","code":401}}"#
    );
    assert_eq!(get("/v1/nodes", Some("Basic YWRtaW46c2VjcmV0")).status, 200);
    assert_eq!(get("/v1/nodes", Some("Basic YWRtaW46bm8=")).status, 401);
}

#[test]
fn conductors_and_drivers() {
    let f = fake(Duration::ZERO);
    let r = call(&f, "GET", "/v1/conductors", "");
    assert_eq!(
        String::from_utf8(r.body).unwrap(),
        r#"{"conductors": [{"hostname": "ironic-local", "conductor_group": "", "links": [{"href": "http://127.0.0.1:6385/v1/conductors/ironic-local", "rel": "self"}, {"href": "http://127.0.0.1:6385/conductors/ironic-local", "rel": "bookmark"}], "alive": false}]}"#
    );
    let r = call(&f, "GET", "/v1/drivers", "");
    assert_eq!(
        String::from_utf8(r.body).unwrap(),
        r#"{"drivers": [{"name": "fake-hardware", "hosts": ["ironic-local"], "links": [{"href": "http://127.0.0.1:6385/v1/drivers/fake-hardware", "rel": "self"}, {"href": "http://127.0.0.1:6385/drivers/fake-hardware", "rel": "bookmark"}], "properties": [{"href": "http://127.0.0.1:6385/v1/drivers/fake-hardware/properties", "rel": "self"}, {"href": "http://127.0.0.1:6385/drivers/fake-hardware/properties", "rel": "bookmark"}], "type": "dynamic"}]}"#
    );
}

fn call_as(
    f: &FakeIronic,
    content_type: &str,
    method: &str,
    path: &str,
    body: &str,
) -> RawResponse {
    f.handle(&RawRequest {
        method: method.to_owned(),
        path: path.to_owned(),
        headers: vec![
            (
                "X-OpenStack-Ironic-API-Version".to_owned(),
                "latest".to_owned(),
            ),
            ("Content-Type".to_owned(), content_type.to_owned()),
        ],
        body: body.as_bytes().to_vec(),
    })
}

fn nested(depth: usize) -> String {
    format!("{}1{}", "[".repeat(depth), "]".repeat(depth))
}

#[test]
fn json_bodies_too_deep_or_too_large_are_refused_before_anything_else() {
    let f = fake(Duration::ZERO);
    let deep = "Request body JSON is nested too deeply. Please contact the service administrator.";
    for (method, path) in [
        ("POST", "/v1/nodes"),
        ("GET", "/"),
        ("PATCH", "/v1/nodes/x"),
    ] {
        let r = call_as(&f, "application/json", method, path, &nested(26));
        assert_eq!(r.status, 400, "{method} {path}");
        assert_eq!(json(&r).get("faultstring"), Some(&Json::str(deep)));
        assert_eq!(r.header("X-OpenStack-Ironic-API-Version"), None);
        assert!(r.header("x-openstack-request-id").is_some());
    }
    let r = call_as(&f, "application/json", "POST", "/v1/nodes", &nested(25));
    assert_eq!(
        fault(&r),
        format!(
            "Schema error for node: {} is not of type 'object'",
            nested(25)
        )
    );
    let big = format!(
        r#"{{"driver": "fake-hardware", "extra": {{"x": "{}"}}}}"#,
        "a".repeat(1 << 20)
    );
    let r = call_as(&f, "application/json", "POST", "/v1/nodes", &big);
    assert_eq!(r.status, 413);
    assert_eq!(
        json(&r).get("faultstring"),
        Some(&Json::str(
            "Request body is too large. Please contact the service administrator."
        ))
    );
    assert!(f.is_empty());
}

#[test]
fn other_bodies_are_read_to_a_bounded_depth() {
    let f = fake(Duration::ZERO);
    // Real Ironic 39 reads about 500 levels and its worker dies (SIGSEGV) at about 900.
    let r = call_as(&f, "text/plain", "POST", "/v1/nodes", &nested(100_000));
    assert_eq!(r.status, 500);
    assert_eq!(
        fault(&r),
        "maximum recursion depth exceeded while decoding a JSON array from a unicode string"
    );
    let node = create(&f, "deep");
    let patch = |path: &str| {
        format!(
            r#"[{{"op": "add", "path": "{path}", "value": {}}}]"#,
            nested(200)
        )
    };
    let r = call_as(
        &f,
        "text/plain",
        "PATCH",
        &format!("/v1/nodes/{node}"),
        &patch("/extra/a"),
    );
    assert_eq!(r.status, 200);
    let deeper = format!("/extra/a{}", "/0".repeat(200));
    let r = call_as(
        &f,
        "text/plain",
        "PATCH",
        &format!("/v1/nodes/{node}"),
        &patch(&deeper),
    );
    assert_eq!(r.status, 500);
    assert_eq!(
        fault(&r),
        "maximum recursion depth exceeded while encoding a JSON object"
    );
    assert_eq!(field(&f, &node, "extra").depth(), 201);
}
