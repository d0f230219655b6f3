//! Random calls at the fake Cobbler in process: method names from its own table and invented
//! ones, arguments shaped like the parameters or anything at all, and sequences that build
//! parent chains and try to close them.

use std::collections::{BTreeMap, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};

use provspec::cobbler::Kind;
use provspec::cobbler::boot_files::BootFiles;
use provspec::cobbler::fake::{FakeCobbler, MAX_NESTING};
use provspec::cobbler::protocol::{Fault, Value, ValueExt};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

use super::{Journal, clip, seed};
use provspec::world::error::panic_text;

/// Calls thrown at the fake Cobbler.
const CALLS: usize = 3000;

/// Strings that stress parsing, globbing, quoting and lookups.
const ODD_STRINGS: &[&str] = &[
    "",
    " ",
    "~",
    "<<inherit>>",
    "*",
    "?",
    "[",
    "[!",
    "[a-",
    "]",
    "\\",
    "**/*",
    "-",
    "--",
    "::",
    "profile::",
    "system::",
    "___NEW___",
    "___NEW___profile::nope",
    "a b",
    "x=1 y",
    "é",
    "\u{0}",
    "\n",
    "'",
    "\"",
    "52:54:00:aa:bb:cc",
    "52-54-00-AA-BB-CD",
    "10.0.0.1",
    "999.1.1.1",
    "eth0",
    "macaddress-eth0",
    "ipaddress-eth1",
    "/",
    "/tmp",
    "/nonexistent/vmlinuz",
    "dummy",
    "ipmilan",
    "x86_64",
    "redhat",
    "rhel9",
    "iso",
    "True",
    "0",
    "-1",
    "1e400",
    "nan",
];

/// Item names, few enough that creates, renames and copies collide.
const NAMES: &[&str] = &["a", "b", "c", "d", "p1", "p2", "s1", "i1"];

/// Fields worth setting (others are unknown and answer false).
const FIELDS: &[&str] = &[
    "name",
    "parent",
    "distro",
    "profile",
    "image",
    "kernel",
    "initrd",
    "arch",
    "breed",
    "os_version",
    "image_type",
    "power_type",
    "modify_interface",
    "interfaces",
    "comment",
    "kernel_options",
    "autoinstall_meta",
    "netboot_enabled",
    "virt_ram",
    "virt_cpus",
    "virt_file_size",
    "depth",
    "uid",
    "mtime",
    "owners",
    "boot_loaders",
    "no_such_field",
];

const KIND_WORDS: &[&str] = &[
    "distro", "profile", "system", "image", "repo", "menu", "", "Profile", "profiles",
];

const EDIT_TYPES: &[&str] = &[
    "add", "edit", "copy", "rename", "remove", "", "ADD", "delete",
];

/// Method names the fake does not answer, or that look like its own.
const INVENTED: &[&str] = &[
    "",
    "get_",
    "new_",
    "modify_",
    "get__handle",
    "get_profile_as_rendered",
    "new_subprofile",
    "get_changed_systems",
    "remove_items",
    "find_profiles",
    "get_system_handle_",
    "system.listMethods",
    "__init__",
    "_dispatch",
    "sync",
    "background_sync",
    "PING",
];

struct CobblerFuzz {
    rng: StdRng,
    fake: FakeCobbler,
    methods: Vec<String>,
    tokens: Vec<Value>,
    handles: Vec<String>,
    boot: BootFiles,
    journal: Journal,
}

impl CobblerFuzz {
    fn new(seed: u64) -> Self {
        let fake = FakeCobbler::default();
        let mut fuzz = Self {
            rng: StdRng::seed_from_u64(seed),
            fake,
            methods: FakeCobbler::method_names(),
            tokens: Vec::new(),
            handles: Vec::new(),
            boot: BootFiles::create_local().expect("dummy boot files"),
            journal: Journal::new("Cobbler", seed),
        };
        fuzz.login();
        fuzz
    }

    /// Runs one call: a panic fails the test with the journal; answers feed the pools.
    fn call(&mut self, method: &str, args: Vec<Value>) -> Result<Value, Fault> {
        self.journal
            .record(clip(format!("{method}{:?}", args.as_slice())));
        let fake = &self.fake;
        let answer = catch_unwind(AssertUnwindSafe(|| fake.dispatch(method, &args)));
        let answer = match answer {
            Ok(answer) => answer,
            Err(payload) => self
                .journal
                .fail(&format!("panicked: {}", panic_text(payload.as_ref()))),
        };
        if let Ok(Value::String(text)) = &answer {
            if text.len() == 36 && method == "login" {
                self.tokens.push(Value::String(text.clone()));
            } else if text.starts_with("___NEW___") || text.contains("::") {
                self.handles.push(text.clone());
                if self.handles.len() > 64 {
                    self.handles.remove(0);
                }
            }
        }
        answer
    }

    fn login(&mut self) {
        let answer = self.call("login", vec![s("cobbler"), s("cobbler")]);
        assert!(answer.is_ok(), "login: {answer:?}");
    }

    fn token(&mut self) -> Value {
        match self.rng.random_range(0..20) {
            0 => s(&"A".repeat(36)),
            1 => s("short"),
            2 => self.value(1),
            _ => self
                .tokens
                .choose(&mut self.rng)
                .cloned()
                .unwrap_or(Value::Nil),
        }
    }

    fn existing(&self, kind: Kind) -> Vec<String> {
        self.fake.names(kind)
    }

    /// An item name: mostly one that exists (of `kind` if given), else a fresh or odd one.
    fn name(&mut self, kind: Option<Kind>) -> String {
        let kind =
            kind.unwrap_or_else(|| *Kind::ALL.choose(&mut self.rng).unwrap_or(&Kind::Profile));
        let existing = self.existing(kind);
        match self.rng.random_range(0..10) {
            0..=5 if !existing.is_empty() => {
                existing.choose(&mut self.rng).cloned().unwrap_or_default()
            }
            6..=8 => (*NAMES.choose(&mut self.rng).unwrap_or(&"a")).to_owned(),
            _ => self.odd_string(),
        }
    }

    fn odd_string(&mut self) -> String {
        match self.rng.random_range(0..30) {
            0 => "x".repeat(self.rng.random_range(100..20_000)),
            1 => {
                let len = self.rng.random_range(0..12);
                (0..len)
                    .map(|_| char::from_u32(self.rng.random_range(0..0x3000)).unwrap_or('?'))
                    .collect()
            }
            _ => (*ODD_STRINGS.choose(&mut self.rng).unwrap_or(&"")).to_owned(),
        }
    }

    fn handle(&mut self, kind: Kind) -> Value {
        match self.rng.random_range(0..10) {
            0..=3 => {
                let name = self.name(Some(kind));
                s(&format!("{kind}::{name}"))
            }
            4..=7 if !self.handles.is_empty() => s(self
                .handles
                .choose(&mut self.rng)
                .map_or("", String::as_str)),
            8 => s(&format!("___NEW___{kind}::{}", "B".repeat(36))),
            _ => self.value(1),
        }
    }

    fn value(&mut self, depth: u32) -> Value {
        let pick = self.rng.random_range(0..if depth >= 4 { 10 } else { 14 });
        match pick {
            0 => Value::Nil,
            1 => Value::Boolean(self.rng.random()),
            2 => Value::Integer(
                *[0, 1, -1, i32::MIN, i32::MAX, 4096]
                    .choose(&mut self.rng)
                    .unwrap_or(&0),
            ),
            3 => Value::Long(
                *[i64::MIN, i64::MAX, 1 << 40]
                    .choose(&mut self.rng)
                    .unwrap_or(&0),
            ),
            4 => Value::Double(
                *[
                    0.0,
                    -0.0,
                    1.5,
                    f64::NAN,
                    f64::INFINITY,
                    f64::MIN_POSITIVE,
                    1e308,
                ]
                .choose(&mut self.rng)
                .unwrap_or(&0.0),
            ),
            5 => Value::Base64(vec![0, 255, 10]),
            6 | 7 => s(&self.odd_string()),
            8 | 9 => {
                let kind = *Kind::ALL.choose(&mut self.rng).unwrap_or(&Kind::Profile);
                s(&self.name(Some(kind)))
            }
            10 | 11 => {
                let len = if self.rng.random_range(0..50) == 0 {
                    2000
                } else {
                    self.rng.random_range(0..4)
                };
                Value::Array((0..len).map(|_| self.value(depth + 1)).collect())
            }
            _ => {
                let len = self.rng.random_range(0..4);
                Value::Struct(
                    (0..len)
                        .map(|_| (self.struct_key(), self.value(depth + 1)))
                        .collect(),
                )
            }
        }
    }

    fn struct_key(&mut self) -> String {
        match self.rng.random_range(0..4) {
            0 => self.odd_string(),
            1 => {
                let field = *[
                    "macaddress",
                    "ipaddress",
                    "dnsname",
                    "netmask",
                    "mac_address",
                ]
                .choose(&mut self.rng)
                .unwrap_or(&"macaddress");
                let iface = *["eth0", "eth1", "", "-", "a-b"]
                    .choose(&mut self.rng)
                    .unwrap_or(&"eth0");
                format!("{field}-{iface}")
            }
            _ => (*FIELDS.choose(&mut self.rng).unwrap_or(&"name")).to_owned(),
        }
    }

    /// A value that suits `field` most of the time.
    fn field_value(&mut self, kind: Kind, field: &str) -> Value {
        if self.rng.random_range(0..5) == 0 {
            return self.value(0);
        }
        match field {
            "parent" => s(&self.name(Some(kind))),
            "distro" => s(&self.name(Some(Kind::Distro))),
            "profile" => s(&self.name(Some(Kind::Profile))),
            "image" => s(&self.name(Some(Kind::Image))),
            "name" => s(&self.name(Some(kind))),
            "kernel" => s(&self.boot.kernel()),
            "initrd" => s(&self.boot.initrd()),
            "modify_interface" => {
                let len = self.rng.random_range(0..4);
                Value::Struct(
                    (0..len)
                        .map(|_| {
                            let key = self.struct_key();
                            (key, s(&self.odd_string()))
                        })
                        .collect(),
                )
            }
            _ => s(&self.odd_string()),
        }
    }

    fn kind_word(&mut self) -> (String, Kind) {
        let word = (*KIND_WORDS.choose(&mut self.rng).unwrap_or(&"profile")).to_owned();
        let kind = Kind::ALL
            .into_iter()
            .find(|k| k.name() == word)
            .unwrap_or(Kind::Profile);
        (word, kind)
    }

    /// Arguments shaped like the method's parameters, with some wrong in type or number.
    fn shaped_args(&mut self, method: &str) -> Vec<Value> {
        let kind_of = |rest: &str| Kind::ALL.into_iter().find(|k| rest.contains(k.name()));
        let mut args = Vec::new();
        let mut kind = kind_of(method).unwrap_or(Kind::Profile);
        if method.ends_with("_item") || method.ends_with("_items") || method == "get_item_names" {
            let (word, k) = self.kind_word();
            kind = k;
            args.push(s(&word));
        }
        let verb = method.split('_').next().unwrap_or("");
        match (verb, method) {
            (_, "login") => args.extend([s("cobbler"), s(&self.odd_string())]),
            (_, "logout" | "token_check" | "get_settings") => args.push(self.token()),
            (_, "power_system") => {
                let handle = self.handle(Kind::System);
                let op = *["on", "off", "status", "reboot", "ON", ""]
                    .choose(&mut self.rng)
                    .unwrap_or(&"on");
                args.extend([handle, s(op), self.token()]);
            }
            (_, "xapi_object_edit") => return self.xapi_args(),
            ("new", _) => args.push(self.token()),
            ("modify", _) => {
                let field = (*FIELDS.choose(&mut self.rng).unwrap_or(&"name")).to_owned();
                let handle = self.handle(kind);
                let value = self.field_value(kind, &field);
                args.extend([handle, s(&field), value, self.token()]);
            }
            ("save", _) => {
                let handle = self.handle(kind);
                args.extend([handle, self.token()]);
                match self.rng.random_range(0..3) {
                    0 => args.push(s("new")),
                    1 => args.push(self.value(1)),
                    _ => {}
                }
            }
            ("find", _) => {
                let len = self.rng.random_range(0..3);
                let criteria: BTreeMap<String, Value> = (0..len)
                    .map(|_| {
                        let key = self.struct_key();
                        let pattern = match self.rng.random_range(0..3) {
                            0 => s(&self.name(Some(kind))),
                            1 => s(&format!("{}*", self.odd_string())),
                            _ => self.value(1),
                        };
                        (key, pattern)
                    })
                    .collect();
                args.push(Value::Struct(criteria));
                if self.rng.random() {
                    args.push(self.value(2));
                }
            }
            ("remove", _) => {
                let name = self.name(Some(kind));
                args.extend([s(&name), self.token()]);
                if self.rng.random() {
                    args.push(self.value(2));
                }
            }
            ("rename" | "copy", _) => {
                let handle = self.handle(kind);
                let new = self.name(Some(kind));
                args.extend([handle, s(&new), self.token()]);
            }
            ("get", _) if method.ends_with("_handle") => {
                let name = self.name(Some(kind));
                args.extend([s(&name), self.token()]);
            }
            ("get", _) => {
                let name = self.name(Some(kind));
                args.push(s(&name));
            }
            _ => {}
        }
        match self.rng.random_range(0..10) {
            0 if !args.is_empty() => {
                let keep = self.rng.random_range(0..args.len());
                args.truncate(keep);
            }
            1 => args.push(self.value(1)),
            _ => {}
        }
        args
    }

    fn xapi_args(&mut self) -> Vec<Value> {
        let (word, kind) = self.kind_word();
        let name = self.name(Some(kind));
        let edit = (*EDIT_TYPES.choose(&mut self.rng).unwrap_or(&"edit")).to_owned();
        let len = self.rng.random_range(0..5);
        let mut attributes = BTreeMap::new();
        for _ in 0..len {
            let key = match self.rng.random_range(0..4) {
                0 => "newname".to_owned(),
                1 => "recursive".to_owned(),
                2 => "interface".to_owned(),
                _ => self.struct_key(),
            };
            let value = self.field_value(kind, &key);
            attributes.insert(key, value);
        }
        let attributes = if self.rng.random_range(0..10) == 0 {
            self.value(1)
        } else {
            Value::Struct(attributes)
        };
        vec![s(&word), s(&name), s(&edit), attributes, self.token()]
    }

    /// Random arguments: any number, any shape, now and then nested around the fake's limit.
    fn random_args(&mut self) -> Vec<Value> {
        let len = self.rng.random_range(0..7);
        let mut args: Vec<Value> = (0..len).map(|_| self.value(0)).collect();
        if self.rng.random_range(0..20) == 0 {
            let depth = MAX_NESTING - 2 + self.rng.random_range(0..6);
            let deep = (0..depth).fold(self.value(4), |inner, i| {
                if i % 2 == 0 {
                    Value::Array(vec![inner])
                } else {
                    Value::Struct(BTreeMap::from([("a".to_owned(), inner)]))
                }
            });
            args.push(deep);
        }
        args
    }

    fn random_call(&mut self) {
        let method = match self.rng.random_range(0..20) {
            0 => (*INVENTED.choose(&mut self.rng).unwrap_or(&"")).to_owned(),
            1 => self.odd_string(),
            _ => self
                .methods
                .choose(&mut self.rng)
                .cloned()
                .unwrap_or_default(),
        };
        let args = if self.rng.random_range(0..4) == 0 {
            self.random_args()
        } else {
            self.shaped_args(&method)
        };
        let _ = self.call(&method, args);
    }

    /// Creates an item of `kind` called `name` the way a client does (new, modify, save).
    fn create(&mut self, kind: Kind, fields: &[(&str, Value)], editmode: Option<&str>) {
        let token = self.token();
        let Ok(handle) = self.call(&format!("new_{kind}"), vec![token.clone()]) else {
            return;
        };
        for (field, value) in fields {
            let _ = self.call(
                &format!("modify_{kind}"),
                vec![handle.clone(), s(field), value.clone(), token.clone()],
            );
        }
        let mut args = vec![handle, token];
        args.extend(editmode.map(s));
        let _ = self.call(&format!("save_{kind}"), args);
    }

    /// A sequence that builds a parent chain and then tries to close it into a cycle.
    fn cycle_attempt(&mut self) {
        let kind = *[Kind::Profile, Kind::Profile, Kind::System, Kind::Image]
            .choose(&mut self.rng)
            .unwrap_or(&Kind::Profile);
        self.ensure_roots();
        let chain: Vec<String> = (0..self.rng.random_range(2..5))
            .map(|_| (*NAMES.choose(&mut self.rng).unwrap_or(&"a")).to_owned())
            .collect();
        let root_field = |fuzz: &mut Self| match kind {
            Kind::Profile => ("distro", s(&fuzz.name(Some(Kind::Distro)))),
            Kind::System => ("profile", s(&fuzz.name(Some(Kind::Profile)))),
            _ => ("comment", s("root")),
        };
        let (field, value) = root_field(self);
        let root = chain[0].clone();
        self.create(kind, &[("name", s(&root)), (field, value)], None);
        for pair in chain.windows(2) {
            let fields = [("name", s(&pair[1])), ("parent", s(&pair[0]))];
            self.create(kind, &fields, None);
        }
        let first = chain[0].clone();
        let last = chain[chain.len() - 1].clone();
        let token = self.token();
        match self.rng.random_range(0..7) {
            0 => {
                let _ = self.call(
                    &format!("modify_{kind}"),
                    vec![s(&format!("{kind}::{first}")), s("parent"), s(&last), token],
                );
            }
            1 => {
                let attributes = Value::Struct(BTreeMap::from([("parent".to_owned(), s(&last))]));
                let _ = self.call(
                    "xapi_object_edit",
                    vec![s(kind.name()), s(&first), s("edit"), attributes, token],
                );
            }
            2 => {
                let _ = self.call(
                    &format!("rename_{kind}"),
                    vec![s(&format!("{kind}::{last}")), s(&first), token],
                );
            }
            3 => {
                // Parent first, then the name of an ancestor: saved over it without editmode.
                let fields = [("parent", s(&last)), ("name", s(&first))];
                self.create(kind, &fields, None);
            }
            4 => {
                let fields = [("name", s(&first)), ("parent", s(&first))];
                self.create(kind, &fields, None);
            }
            5 => {
                let _ = self.call(
                    &format!("copy_{kind}"),
                    vec![s(&format!("{kind}::{last}")), s(&first), token],
                );
            }
            _ => {
                let recursive = self.value(2);
                let _ = self.call(&format!("remove_{kind}"), vec![s(&first), token, recursive]);
            }
        }
    }

    /// A distro and a profile to hang things on.
    fn ensure_roots(&mut self) {
        if self.existing(Kind::Distro).is_empty() {
            let fields = [
                ("name", s("d")),
                ("kernel", s(&self.boot.kernel())),
                ("initrd", s(&self.boot.initrd())),
            ];
            self.create(Kind::Distro, &fields, Some("new"));
        }
        if self.existing(Kind::Profile).is_empty() {
            self.create(
                Kind::Profile,
                &[("name", s("p")), ("distro", s("d"))],
                Some("new"),
            );
        }
    }

    /// No saved item may be its own ancestor. Items are stored, and parents looked up, by
    /// the name they were saved under (a later `modify_*(handle, "name", …)` changes only the
    /// name field, on the real server too).
    fn check_no_cycles(&mut self) {
        for kind in [Kind::Profile, Kind::System, Kind::Image] {
            let mut parents = BTreeMap::new();
            for key in self.fake.names(kind) {
                let item = self.fake.dispatch(&format!("get_{kind}"), &[s(&key)]);
                let parent = match &item {
                    Ok(Value::Struct(fields)) => fields
                        .get("parent")
                        .and_then(ValueExt::as_str)
                        .unwrap_or("")
                        .to_owned(),
                    other => self
                        .journal
                        .fail(&format!("answers get_{kind}({key:?}) with {other:?}")),
                };
                parents.insert(key, parent);
            }
            for start in parents.keys() {
                let mut seen = HashSet::new();
                let mut at = start;
                while let Some(parent) = parents.get(at).filter(|p| !p.is_empty()) {
                    if !seen.insert(at) {
                        self.journal
                            .fail(&format!("holds a {kind} parent cycle through {start:?}"));
                    }
                    at = parent;
                }
            }
        }
    }

    fn run(&mut self, calls: usize) {
        let mut since_check = 0;
        while self.journal.calls.len() < calls {
            match self.rng.random_range(0..20) {
                0 => self.login(),
                1..=3 => self.cycle_attempt(),
                _ => self.random_call(),
            }
            since_check += 1;
            if since_check >= 100 {
                since_check = 0;
                self.check_no_cycles();
            }
        }
        self.check_no_cycles();
    }
}

fn s(text: &str) -> Value {
    Value::String(text.to_owned())
}

#[test]
fn random_calls_never_crash_the_fake_cobbler() {
    let mut fuzz = CobblerFuzz::new(seed());
    fuzz.run(CALLS);
}

#[test]
fn every_listed_method_is_answered() {
    let fake = FakeCobbler::default();
    for method in FakeCobbler::method_names() {
        if let Err(fault) = fake.dispatch(&method, &[]) {
            assert!(
                !fault.string.contains("unknown remote method"),
                "{method}: {fault}"
            );
        }
    }
}
