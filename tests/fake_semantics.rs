//! The fake answers like a real cobblerd 3.3.10 (values and fault strings from
//! ../shared/real-cobbler/FINDINGS.md and probes of a real server), for calls the features
//! do not make directly.

use std::collections::BTreeMap;

use provspec::cobbler::Kind;
use provspec::cobbler::boot_files::BootFiles;
use provspec::cobbler::fake::{FakeCobbler, FakeConfig, MAX_NESTING};
use provspec::cobbler::protocol::{Fault, Value, ValueExt};

#[path = "fake_semantics/parents.rs"]
mod parents;
#[path = "fake_semantics/robustness.rs"]
mod robustness;

fn s(text: &str) -> Value {
    Value::String(text.to_owned())
}

struct Server {
    fake: FakeCobbler,
    token: Value,
    boot: BootFiles,
}

impl Server {
    fn new() -> Self {
        let fake = FakeCobbler::default();
        let token = fake
            .dispatch("login", &[s("cobbler"), s("cobbler")])
            .unwrap();
        Self {
            fake,
            token,
            boot: BootFiles::create_local().unwrap(),
        }
    }

    fn call(&self, method: &str, args: &[Value]) -> Result<Value, Fault> {
        self.fake.dispatch(method, args)
    }

    fn ok(&self, method: &str, args: &[Value]) -> Value {
        self.call(method, args)
            .unwrap_or_else(|f| panic!("{method} failed: {f}"))
    }

    fn fault(&self, method: &str, args: &[Value]) -> String {
        self.call(method, args).expect_err("a fault").string
    }

    /// new_*, modify_* per field, save_* with `editmode`.
    fn create(
        &self,
        kind: &str,
        fields: &[(&str, &str)],
        editmode: Option<&str>,
    ) -> Result<Value, Fault> {
        let handle = self.ok(&format!("new_{kind}"), std::slice::from_ref(&self.token));
        for (field, value) in fields {
            self.call(
                &format!("modify_{kind}"),
                &[handle.clone(), s(field), s(value), self.token.clone()],
            )?;
        }
        let mut args = vec![handle, self.token.clone()];
        args.extend(editmode.map(s));
        self.call(&format!("save_{kind}"), &args)
    }

    /// Distro `d`, profile `p` on it, system `s` on that.
    fn tree(&self) {
        self.distro("d");
        self.create("profile", &[("name", "p"), ("distro", "d")], Some("new"))
            .unwrap();
        self.create("system", &[("name", "s"), ("profile", "p")], Some("new"))
            .unwrap();
    }

    /// [`Server::tree`] plus image `i`: one item of every kind.
    fn one_of_each(&self) {
        self.tree();
        self.create("image", &[("name", "i")], Some("new")).unwrap();
        for kind in ["repo", "menu", "mgmtclass", "package"] {
            self.create(kind, &[("name", &format!("{kind}-1"))], Some("new"))
                .unwrap();
        }
        let file = [
            ("name", "file-1"),
            ("path", "/etc/motd"),
            ("owner", "root"),
            ("group", "root"),
            ("mode", "0644"),
            ("template", "/etc/hostname"),
        ];
        self.create("file", &file, Some("new")).unwrap();
    }

    fn distro(&self, name: &str) {
        self.create(
            "distro",
            &[
                ("name", name),
                ("kernel", &self.boot.kernel()),
                ("initrd", &self.boot.initrd()),
            ],
            Some("new"),
        )
        .unwrap();
    }
}

#[test]
fn version_ping_and_unknown_methods() {
    let server = Server::new();
    assert_eq!(server.ok("version", &[]), Value::Double(3.31));
    assert_eq!(server.ok("ping", &[]), Value::Boolean(true));
    assert_eq!(
        server.fault("get_changed_systems", &[]),
        "<class 'cobbler.cexceptions.CX'>:\"unknown remote method 'get_changed_systems'\""
    );
}

#[test]
fn tokens_are_checked_like_cobblerd_does() {
    let server = Server::new();
    assert_eq!(
        server.fault("new_distro", &[s("bogus-token")]),
        "<class 'ValueError'>:\"token\" did not have the correct format or type!"
    );
    let unknown = "A".repeat(36);
    assert_eq!(
        server.fault("new_distro", &[s(&unknown)]),
        format!("<class 'cobbler.cexceptions.CX'>:'invalid token: {unknown}'")
    );
    assert_eq!(
        server.ok("token_check", std::slice::from_ref(&server.token)),
        Value::Boolean(true)
    );
    assert_eq!(
        server.ok("token_check", &[s("garbage")]),
        Value::Boolean(false)
    );
    assert_eq!(server.ok("logout", &[s(&unknown)]), Value::Boolean(false));
    assert_eq!(
        server.ok("logout", std::slice::from_ref(&server.token)),
        Value::Boolean(true)
    );
    assert!(
        Fault::new(
            1,
            server.fault("new_distro", std::slice::from_ref(&server.token))
        )
        .is_invalid_token()
    );
}

#[test]
fn expired_tokens_still_write_until_token_check_purges_them() {
    let fake = FakeCobbler::new(FakeConfig {
        token_lifetime: Some(std::time::Duration::ZERO),
        ..FakeConfig::default()
    });
    let token = fake
        .dispatch("login", &[s("cobbler"), s("cobbler")])
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(5));
    fake.dispatch("new_distro", std::slice::from_ref(&token))
        .unwrap();
    assert_eq!(
        fake.dispatch("token_check", &[s("x")]).unwrap(),
        Value::Boolean(false)
    );
    assert!(
        fake.dispatch("new_distro", &[token])
            .unwrap_err()
            .is_invalid_token()
    );
}

#[test]
fn missing_items_and_handles() {
    let server = Server::new();
    assert_eq!(server.ok("get_system", &[s("nope")]), s("~"));
    assert_eq!(server.ok("get_item", &[s("system"), s("nope")]), s("~"));
    assert_eq!(
        server.ok("remove_system", &[s("nope"), server.token.clone()]),
        Value::Boolean(true)
    );
    assert_eq!(
        server.fault("get_system_handle", &[s("nope"), server.token.clone()]),
        "<class 'cobbler.cexceptions.CX'>:'internal error, unknown system name nope'"
    );
    assert_eq!(
        server.ok(
            "modify_system",
            &[
                s("system::nope"),
                s("comment"),
                s("x"),
                server.token.clone()
            ]
        ),
        Value::Boolean(false)
    );
    assert_eq!(
        server.fault(
            "save_system",
            &[s("___NEW___system::bogus"), server.token.clone()]
        ),
        "<class 'KeyError'>:'___NEW___system::bogus'"
    );
    assert_eq!(
        server.fault(
            "copy_system",
            &[s("system::nope"), s("x"), server.token.clone()]
        ),
        "<class 'AttributeError'>:'NoneType' object has no attribute 'name'"
    );
    assert_eq!(
        server.fault("find_system", &[Value::Struct(BTreeMap::new())]),
        "<class 'ValueError'>:calling find with no arguments"
    );
}

#[test]
fn unknown_fields_answer_false_and_new_handles_look_real() {
    let server = Server::new();
    let handle = server.ok("new_distro", std::slice::from_ref(&server.token));
    let text = handle.as_str().unwrap();
    assert!(text.starts_with("___NEW___distro::") && text.len() == "___NEW___distro::".len() + 36);
    assert_eq!(
        server.ok(
            "modify_distro",
            &[handle, s("no_such_field"), s("x"), server.token.clone()]
        ),
        Value::Boolean(false)
    );
}

#[test]
fn save_without_editmode_new_silently_replaces_and_with_it_refuses() {
    let server = Server::new();
    server.distro("d");
    server
        .create(
            "profile",
            &[("name", "p"), ("distro", "d"), ("comment", "first")],
            None,
        )
        .unwrap();
    server
        .create(
            "profile",
            &[("name", "p"), ("distro", "d"), ("comment", "second")],
            None,
        )
        .unwrap();
    let profile = server.ok("get_profile", &[s("p")]);
    assert_eq!(profile.as_struct().unwrap()["comment"], s("second"));
    assert_eq!(
        server
            .create("profile", &[("name", "p"), ("distro", "d")], Some("new"))
            .unwrap_err()
            .string,
        "<class 'cobbler.cexceptions.CX'>:\"An object already exists with that name. Try 'edit'?\""
    );
}

#[test]
fn a_distro_saved_without_boot_files_faults_but_stays() {
    let server = Server::new();
    let fault = server
        .create("distro", &[("name", "nokernel")], Some("new"))
        .unwrap_err();
    assert_eq!(
        fault.string,
        "<class 'FileNotFoundError'>:No kernel found at \"\", tried to copy to: \"/var/www/cobbler/images/nokernel\""
    );
    assert!(
        server
            .ok("get_distro", &[s("nokernel")])
            .as_struct()
            .is_some()
    );
}

#[test]
fn kernel_names_are_matched_at_the_start_of_the_base_name() {
    let server = Server::new();
    let dir = server.boot.dir().to_owned();
    for (name, accepted) in [
        ("vmlinuz-6.1", true),
        ("my.kernel", true),
        ("xvmlinuz", false),
        ("notakernel", false),
    ] {
        std::fs::write(dir.join(name), "k").unwrap();
        let handle = server.ok("new_distro", std::slice::from_ref(&server.token));
        let path = dir.join(name).display().to_string();
        let result = server.call(
            "modify_distro",
            &[handle, s("kernel"), s(&path), server.token.clone()],
        );
        assert_eq!(result.is_ok(), accepted, "{name}: {result:?}");
    }
    let handle = server.ok("new_distro", std::slice::from_ref(&server.token));
    assert_eq!(
        server.fault(
            "modify_distro",
            &[
                handle,
                s("kernel"),
                s(&dir.display().to_string()),
                server.token.clone()
            ]
        ),
        "<class 'AttributeError'>:'NoneType' object has no attribute 'groups'"
    );
}

#[test]
fn recursive_removal_is_the_default_and_reaches_systems() {
    let server = Server::new();
    server.tree();
    assert_eq!(
        server.fault(
            "remove_profile",
            &[s("p"), server.token.clone(), Value::Boolean(false)]
        ),
        "<class 'cobbler.cexceptions.CX'>:'removal would orphan system: s'"
    );
    server.ok("remove_distro", &[s("d"), server.token.clone()]);
    assert!(server.fake.is_empty(), "{:?}", server.fake.inventory());
}

#[test]
fn power_operations_are_validated_before_the_power_type() {
    let server = Server::new();
    server.tree();
    let handle = server.ok("get_system_handle", &[s("s"), server.token.clone()]);
    assert_eq!(
        server.fault(
            "power_system",
            &[handle.clone(), s("bogus"), server.token.clone()]
        ),
        "<class 'cobbler.cexceptions.CX'>:\"invalid power operation 'bogus', expected on/off/status/reboot\""
    );
    assert_eq!(
        server.fault("power_system", &[handle, s("on"), server.token.clone()]),
        "<class 'cobbler.cexceptions.CX'>:'no power type set for system'"
    );
    assert_eq!(
        server.fault(
            "power_system",
            &[s("system::nope"), s("on"), server.token.clone()]
        ),
        "<class 'AttributeError'>:'NoneType' object has no attribute 'power_type'"
    );
}

#[test]
fn missing_arguments_are_type_errors() {
    let server = Server::new();
    assert_eq!(
        server.fault("new_distro", &[]),
        "<class 'TypeError'>:CobblerXMLRPCInterface.new_distro() missing 1 required positional argument: 'token'"
    );
}

#[test]
fn items_carry_every_field_the_real_server_returns() {
    let server = Server::new();
    server.one_of_each();
    for (kind, count) in [
        (Kind::Distro, 28),
        (Kind::Profile, 41),
        (Kind::System, 55),
        (Kind::Image, 34),
    ] {
        let name = &server.fake.names(kind)[0];
        let item = server.ok(&format!("get_{kind}"), &[s(name)]);
        assert_eq!(item.as_struct().unwrap().len(), count, "{kind}");
    }
}

#[test]
fn client_attribute_lists_match_the_fakes_fields() {
    let server = Server::new();
    server.one_of_each();
    for kind in Kind::ALL {
        let name = &server.fake.names(kind)[0];
        let item = server.ok(&format!("get_{kind}"), &[s(name)]);
        for attribute in provspec::cobbler::entities::attributes(kind) {
            assert!(
                item.as_struct().unwrap().contains_key(*attribute),
                "{kind}.{attribute}"
            );
        }
    }
}

#[test]
fn xapi_object_edit_adds_edits_renames_and_removes_as_the_cobbler_cli_needs() {
    let server = Server::new();
    let edit = |kind: &str, name: &str, how: &str, attributes: &[(&str, &str)]| {
        let attributes = Value::Struct(
            attributes
                .iter()
                .map(|(k, v)| ((*k).to_owned(), s(v)))
                .collect(),
        );
        server.call(
            "xapi_object_edit",
            &[s(kind), s(name), s(how), attributes, server.token.clone()],
        )
    };
    edit(
        "distro",
        "d",
        "add",
        &[
            ("name", "d"),
            ("kernel", &server.boot.kernel()),
            ("initrd", &server.boot.initrd()),
        ],
    )
    .unwrap();
    edit("profile", "p", "add", &[("name", "p"), ("distro", "d")]).unwrap();
    edit(
        "system",
        "s",
        "add",
        &[
            ("name", "s"),
            ("profile", "p"),
            ("mac_address", "52:54:00:c2:00:01"),
        ],
    )
    .unwrap();
    let system = server.ok("get_system", &[s("s")]);
    assert_eq!(
        system.as_struct().unwrap()["interfaces"]
            .as_struct()
            .unwrap()["default"]
            .as_struct()
            .unwrap()["mac_address"],
        s("52:54:00:c2:00:01")
    );
    assert_eq!(
        edit("distro", "d", "add", &[("name", "d")])
            .unwrap_err()
            .string,
        "<class 'cobbler.cexceptions.CX'>:\"It seems unwise to overwrite the object d, try 'edit'\""
    );
    assert_eq!(
        edit("system", "t", "add", &[("name", "t")])
            .unwrap_err()
            .string,
        "<class 'ValueError'>:You must specify a 'profile' or 'image' for new systems"
    );
    edit("system", "s", "edit", &[("hostname", "s.example.org")]).unwrap();
    edit("system", "s", "rename", &[("newname", "s2")]).unwrap();
    assert_eq!(
        server.ok("get_system", &[s("s2")]).as_struct().unwrap()["hostname"],
        s("s.example.org")
    );
    assert_eq!(
        server.ok("get_item_names", &[s("system")]),
        Value::Array(vec![s("s2")])
    );
    // Without recursion a distro with profiles stays; any true `recursive` (the text "True"
    // too, as Python reads it) removes it with them.
    edit("distro", "d", "remove", &[]).unwrap_err();
    edit("distro", "d", "remove", &[("recursive", "True")]).unwrap();
    assert!(server.fake.is_empty(), "{:?}", server.fake.inventory());
}

#[test]
fn arguments_nested_too_deeply_get_a_fault() {
    let nested =
        |depth: usize| (0..depth).fold(Value::Integer(1), |inner, _| Value::Array(vec![inner]));
    let fake = FakeCobbler::default();
    assert_eq!(
        fake.dispatch("token_check", &[nested(MAX_NESTING)]),
        Ok(Value::Boolean(false))
    );
    assert_eq!(
        fake.dispatch("token_check", &[nested(MAX_NESTING + 1)])
            .unwrap_err()
            .string,
        "<class 'ValueError'>:the fake Cobbler takes arrays and structs nested at most 32 levels deep"
    );
    let in_a_struct = Value::Struct(BTreeMap::from([("a".to_owned(), nested(MAX_NESTING))]));
    assert!(
        fake.dispatch("version", &[in_a_struct])
            .unwrap_err()
            .string
            .contains("nested at most"),
    );
}
