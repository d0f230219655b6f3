//! Parents of profiles, systems and images as a real cobblerd 3.3.10 answers them (probed on
//! one: `modify_*(handle, "parent", …)`), and the loops it accepts and then never recovers from,
//! which the fake refuses with the real server's self-parent fault.

use std::collections::BTreeMap;

use provspec::cobbler::Kind;
use provspec::cobbler::protocol::{Value, ValueExt};

use super::{Server, s};

const SELF_PARENTAGE: &str = "<class 'cobbler.cexceptions.CX'>:'self parentage is weird'";

impl Server {
    fn modify(&self, kind: &str, name: &str, field: &str, value: Value) -> Result<Value, String> {
        self.call(
            &format!("modify_{kind}"),
            &[
                s(&format!("{kind}::{name}")),
                s(field),
                value,
                self.token.clone(),
            ],
        )
        .map_err(|fault| fault.string)
    }

    fn field(&self, kind: &str, name: &str, field: &str) -> Value {
        self.ok(&format!("get_{kind}"), &[s(name)])
            .as_struct()
            .unwrap()[field]
            .clone()
    }

    /// Distro `d`, profile `a` on it, `b` under `a`, `c` under `b`.
    fn chain(&self) {
        self.distro("d");
        self.create("profile", &[("name", "a"), ("distro", "d")], Some("new"))
            .unwrap();
        self.create("profile", &[("name", "b"), ("parent", "a")], Some("new"))
            .unwrap();
        self.create("profile", &[("name", "c"), ("parent", "b")], Some("new"))
            .unwrap();
    }

    fn profiles(&self) -> Vec<String> {
        self.fake.names(Kind::Profile)
    }
}

#[test]
fn a_parent_is_checked_like_cobblerd_checks_it() {
    let server = Server::new();
    server.chain();
    assert_eq!(
        server.modify("profile", "a", "parent", s("a")),
        Err(SELF_PARENTAGE.to_owned())
    );
    assert_eq!(
        server.modify("profile", "a", "parent", s("nope")),
        Err(
            "<class 'cobbler.cexceptions.CX'>:'profile \"nope\" not found, inheritance not possible'"
                .to_owned()
        )
    );
    assert_eq!(
        server.modify("profile", "a", "parent", Value::Integer(5)),
        Err("<class 'TypeError'>:Property \"parent\" must be of type str!".to_owned())
    );
    // The depth follows the parent; clearing the parent keeps it.
    assert_eq!(server.field("profile", "c", "depth"), Value::Integer(3));
    assert_eq!(
        server.modify("profile", "c", "parent", s("a")),
        Ok(Value::Boolean(true))
    );
    assert_eq!(server.field("profile", "c", "depth"), Value::Integer(2));
    assert_eq!(
        server.modify("profile", "c", "parent", s("")),
        Ok(Value::Boolean(true))
    );
    assert_eq!(server.field("profile", "c", "parent"), s(""));
    assert_eq!(server.field("profile", "c", "depth"), Value::Integer(2));
    // A distro has no parent: the value is ignored and the answer is true.
    assert_eq!(
        server.modify("distro", "d", "parent", s("x")),
        Ok(Value::Boolean(true))
    );
    assert_eq!(server.field("distro", "d", "parent"), s(""));
}

#[test]
fn systems_and_images_have_parents_of_their_own_kind() {
    let server = Server::new();
    server.tree();
    server
        .create("system", &[("name", "t"), ("profile", "p")], Some("new"))
        .unwrap();
    server
        .create("image", &[("name", "i")], Some("new"))
        .unwrap();
    assert_eq!(
        server.modify("system", "s", "parent", s("s")),
        Err(SELF_PARENTAGE.to_owned())
    );
    // The message says "profile" for every kind.
    assert_eq!(
        server.modify("system", "s", "parent", s("p")),
        Err(
            "<class 'cobbler.cexceptions.CX'>:'profile \"p\" not found, inheritance not possible'"
                .to_owned()
        )
    );
    assert_eq!(
        server.modify("system", "s", "parent", s("t")),
        Ok(Value::Boolean(true))
    );
    assert_eq!(server.field("system", "s", "depth"), Value::Integer(3));
    assert_eq!(
        server.modify("system", "t", "parent", s("s")),
        Err(SELF_PARENTAGE.to_owned())
    );
    assert_eq!(
        server.modify("image", "i", "parent", s("i")),
        Err(SELF_PARENTAGE.to_owned())
    );
}

#[test]
fn a_descendant_as_parent_is_refused_however_it_is_set() {
    let server = Server::new();
    server.chain();
    // cobblerd 3.3.10 accepts these and is broken afterwards; the fake refuses them.
    assert_eq!(
        server.modify("profile", "a", "parent", s("c")),
        Err(SELF_PARENTAGE.to_owned())
    );
    let attributes = Value::Struct(BTreeMap::from([("parent".to_owned(), s("c"))]));
    assert_eq!(
        server.fault(
            "xapi_object_edit",
            &[
                s("profile"),
                s("a"),
                s("edit"),
                attributes,
                server.token.clone()
            ]
        ),
        SELF_PARENTAGE
    );
    assert_eq!(server.field("profile", "a", "parent"), s(""));
    // Saved without editmode over its ancestor, or named after its parent.
    for name in ["a", "c"] {
        let saved = server.create("profile", &[("parent", "c"), ("name", name)], None);
        assert_eq!(saved.unwrap_err().string, SELF_PARENTAGE, "{name}");
    }
    // Renamed onto an ancestor's name.
    for (from, onto) in [("b", "a"), ("c", "a"), ("c", "b")] {
        assert_eq!(
            server.fault(
                "rename_profile",
                &[
                    s(&format!("profile::{from}")),
                    s(onto),
                    server.token.clone()
                ]
            ),
            SELF_PARENTAGE,
            "{from} -> {onto}"
        );
    }
    assert_eq!(server.profiles(), ["a", "b", "c"]);
    assert_eq!(server.field("profile", "b", "parent"), s("a"));
    // Renaming onto a descendant's name is no loop: the descendant is replaced.
    server.ok(
        "rename_profile",
        &[s("profile::a"), s("c"), server.token.clone()],
    );
    assert_eq!(server.profiles(), ["b", "c"]);
    assert_eq!(server.field("profile", "b", "parent"), s("c"));
    assert_eq!(server.field("profile", "c", "parent"), s(""));
}

#[test]
fn a_copy_cannot_adopt_its_own_ancestor() {
    let server = Server::new();
    server.tree();
    for name in ["x", "y"] {
        server
            .create("system", &[("name", name), ("profile", "p")], Some("new"))
            .unwrap();
    }
    server.modify("system", "x", "parent", s("y")).unwrap();
    // A renamed system's children keep its old name.
    server.ok(
        "rename_system",
        &[s("system::y"), s("z"), server.token.clone()],
    );
    assert_eq!(server.field("system", "x", "parent"), s("y"));
    server.modify("system", "z", "parent", s("x")).unwrap();
    // A copy called `y` would be x's parent and x's child at once.
    assert_eq!(
        server.fault(
            "copy_system",
            &[s("system::z"), s("y"), server.token.clone()]
        ),
        SELF_PARENTAGE
    );
    assert_eq!(server.fake.names(Kind::System), ["s", "x", "z"]);
}

#[test]
fn a_sub_profile_takes_its_distro_from_the_top_of_its_chain() {
    let server = Server::new();
    server.chain();
    let handle = server.ok("new_subprofile", std::slice::from_ref(&server.token));
    for (field, value) in [("name", "e"), ("parent", "c")] {
        server.ok(
            "modify_profile",
            &[handle.clone(), s(field), s(value), server.token.clone()],
        );
    }
    server.ok("save_profile", &[handle, server.token.clone(), s("new")]);
    assert_eq!(
        server.field("profile", "e", "is_subobject"),
        Value::Boolean(true)
    );
    assert_eq!(server.field("profile", "e", "depth"), Value::Integer(4));
    assert_eq!(
        server.field("profile", "c", "is_subobject"),
        Value::Boolean(false)
    );
    assert_eq!(
        server
            .create("profile", &[("name", "f"), ("parent", "")], Some("new"))
            .unwrap_err()
            .string,
        "<class 'cobbler.cexceptions.CX'>:'Error with profile f - distro is required'"
    );
}

#[test]
fn removing_a_long_chain_does_not_recurse() {
    let server = Server::new();
    server.chain();
    let mut parent = "c".to_owned();
    for i in 0..500 {
        let name = format!("q{i}");
        server
            .create("profile", &[("name", &name), ("parent", &parent)], None)
            .unwrap();
        parent = name;
    }
    // On a small stack, a removal that recursed once per generation would overflow.
    let fake = server.fake.clone();
    let token = server.token.clone();
    let removed = std::thread::Builder::new()
        .stack_size(128 * 1024)
        .spawn(move || fake.dispatch("remove_profile", &[s("a"), token]))
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(removed, Ok(Value::Boolean(true)));
    assert!(server.profiles().is_empty());
}
