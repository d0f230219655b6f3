//! The provision and power state machines of a `fake-hardware` node: which actions each
//! state accepts, the intermediate states the real server shows, and what settles when.
//!
//! Actions answer at once; their later steps are stored on the node and applied lazily,
//! on the next request after their deadline ([`advance`]).

use std::time::{Duration, Instant, SystemTime};

use super::errors::ApiError;
use super::ids::{naive_timestamp, timestamp};
use super::json::{Json, obj};
use super::nodes::{HOST, Node, Step};

/// The states a node may be deleted in (outside maintenance).
pub const DELETABLE: &[&str] = &["manageable", "enroll", "adopt failed", "available"];

/// The power targets `PUT /states/power` accepts, and the state each ends in.
pub const POWER_TARGETS: &[(&str, &str)] = &[
    ("power on", "power on"),
    ("power off", "power off"),
    ("rebooting", "power on"),
    ("soft power off", "power off"),
    ("soft rebooting", "power on"),
];

/// The clean steps the `fake-hardware` interfaces implement (all others make cleaning fail
/// with `node does not support this clean step`).
pub const CLEAN_STEPS: &[(&str, &str)] =
    &[("bios", "factory_reset"), ("bios", "apply_configuration")];

fn clean_step_supported(step: &Json) -> bool {
    let interface = step.get("interface").and_then(Json::as_str);
    let name = step.get("step").and_then(Json::as_str);
    CLEAN_STEPS
        .iter()
        .any(|(i, s)| interface == Some(*i) && name == Some(*s))
}

/// The wall clock and monotonic clock of one request.
#[derive(Clone, Copy, Debug)]
pub struct Now {
    /// For deadlines.
    pub instant: Instant,
    /// For timestamps.
    pub wall: SystemTime,
}

use super::nodes::Change;

fn set_state(doc: &mut Json, state: &str, target: Option<&str>, wall: SystemTime) {
    doc.set("provision_state", Json::str(state));
    doc.set("target_provision_state", Json::opt(target));
    doc.set("provision_updated_at", Json::str(timestamp(wall)));
    doc.set("updated_at", Json::str(timestamp(wall)));
}

fn state(state: &'static str, target: Option<&'static str>) -> Change {
    Box::new(move |doc, wall| set_state(doc, state, target, wall))
}

/// Stores `steps` (fraction of `delay`, change) on the node, applying the first at once.
fn schedule(node: &mut Node, delay: Duration, now: Now, steps: Vec<(f64, Change)>, power: bool) {
    for (fraction, apply) in steps {
        let offset = delay.mul_f64(fraction);
        if fraction == 0.0 {
            apply(&mut node.doc, now.wall);
        } else {
            let at = now.instant + offset;
            let index = node.pending.partition_point(|s| s.at <= at);
            node.pending.insert(
                index,
                Step {
                    at,
                    wall: now.wall + offset,
                    apply,
                    power,
                },
            );
        }
    }
}

/// Applies every step of `node` whose deadline has passed.
pub fn advance(node: &mut Node, now: Instant) {
    while node.pending.first().is_some_and(|s| s.at <= now) {
        let step = node.pending.remove(0);
        (step.apply)(&mut node.doc, step.wall);
        node.doc.set("updated_at", Json::str(timestamp(step.wall)));
    }
}

fn refused(action: &str, node: &str, state: &str) -> ApiError {
    ApiError::client(
        400,
        format!(
            "The requested action \"{action}\" can not be performed on node \"{node}\" while it is in state \"{state}\"."
        ),
    )
}

/// 409 while an action holds the node.
pub fn locked(uuid: &str) -> ApiError {
    ApiError::client(
        409,
        format!(
            "Node {uuid} is locked by host {HOST}, please retry after the current operation is completed."
        ),
    )
}

fn edit_dii(f: impl FnOnce(&mut Json) + Send + 'static) -> Change {
    Box::new(move |doc, _| {
        if let Some(dii) = doc.get_mut("driver_internal_info") {
            if !matches!(dii, Json::Object(_)) {
                *dii = Json::empty();
            }
            f(dii);
        }
    })
}

/// The conductor's refusal to `provide` a retired node (the one action retirement stops).
fn refuse_retired(node: &Node, target: &str) -> Result<(), ApiError> {
    let retired = matches!(node.doc.get("retired"), Some(Json::Bool(true)));
    if target == "provide" && node.provision_state() == "manageable" && retired {
        return Err(ApiError::client(
            400,
            format!(
                "The providing operation can't be performed on node {} because it is retired.",
                node.uuid()
            ),
        ));
    }
    Ok(())
}

/// `PUT /v1/nodes/<id>/states/provision` with `target` (body already checked for its keys).
pub fn provision(
    node: &mut Node,
    target: &str,
    clean_steps: Option<&Json>,
    delay: Duration,
    now: Now,
) -> Result<(), ApiError> {
    let uuid = node.uuid().to_owned();
    if target == "clean" {
        match clean_steps {
            Some(Json::Array(steps)) if !steps.is_empty() => {}
            _ => {
                return Err(ApiError::client(
                    400,
                    "\"clean_steps\" is required when setting target provision state to clean",
                ));
            }
        }
    }
    if matches!(target, "active" | "rebuild") && node.maintenance() {
        return Err(ApiError::client(
            400,
            format!(
                "The provisioning operation can't be performed on node {uuid} because it's in maintenance mode."
            ),
        ));
    }
    if target == "clean" && node.maintenance() {
        return Err(ApiError::client(
            400,
            format!(
                "The cleaning operation can't be performed on node {uuid} because it's in maintenance mode."
            ),
        ));
    }
    if node.locked() {
        return Err(locked(&uuid));
    }
    let current = node.provision_state().to_owned();
    let refuse = || refused(target, &uuid, &current);
    refuse_retired(node, target)?;
    let steps: Vec<(f64, Change)> = match (target, current.as_str()) {
        ("manage", "enroll") => vec![
            (0.0, state("verifying", Some("manageable"))),
            (1.0, state("manageable", None)),
        ],
        ("manage", "available" | "clean failed" | "inspect failed" | "adopt failed") => {
            vec![(0.0, state("manageable", None))]
        }
        ("provide", "manageable") => vec![
            (0.0, state("cleaning", Some("available"))),
            (
                1.0,
                Box::new(|doc: &mut Json, wall| {
                    set_state(doc, "available", None, wall);
                    doc.set("last_error", Json::Null);
                }),
            ),
        ],
        ("active", "available" | "deploy failed") => vec![
            (0.0, state("deploying", Some("active"))),
            (
                0.0,
                edit_dii(|dii| {
                    dii.set(
                        "deploy_steps",
                        Json::Array(vec![obj(vec![
                            ("step", Json::str("deploy")),
                            ("priority", Json::Int(100)),
                            ("abortable", Json::Bool(true)),
                            ("argsinfo", Json::Null),
                            ("interface", Json::str("deploy")),
                        ])]),
                    );
                    dii.set("deploy_step_index", Json::Null);
                }),
            ),
            (
                1.0,
                Box::new(|doc: &mut Json, wall| {
                    set_state(doc, "active", None, wall);
                    if let Some(dii) = doc.get_mut("driver_internal_info") {
                        dii.set("deploy_steps", Json::Null);
                        dii.remove("deploy_step_index");
                    }
                }),
            ),
        ],
        ("rebuild", "active") => {
            return Err(ApiError::server(
                "cannot access local variable 'auto_lessee' where it is not associated with a value",
            ));
        }
        ("deleted" | "undeploy", "active" | "deploy failed" | "error") => vec![
            (0.0, state("deleting", Some("available"))),
            (0.5, state("cleaning", Some("available"))),
            (1.0, state("available", None)),
        ],
        ("clean", "manageable") => {
            let steps = clean_steps.cloned().unwrap_or(Json::Null);
            let unsupported = match &steps {
                Json::Array(items) => items.iter().find(|s| !clean_step_supported(s)).cloned(),
                _ => None,
            };
            let end: Change = match unsupported {
                Some(step) => {
                    let error = format!(
                        "Cannot clean node {uuid}: node does not support this clean step: {}",
                        step.repr()
                    );
                    Box::new(move |doc: &mut Json, wall| {
                        set_state(doc, "clean failed", Some("manageable"), wall);
                        doc.set("last_error", Json::Str(error));
                    })
                }
                None => state("manageable", None),
            };
            vec![
                (0.0, state("cleaning", Some("manageable"))),
                (
                    0.0,
                    edit_dii(move |dii| {
                        dii.set("clean_steps", steps);
                        dii.set("cleaning_disable_ramdisk", Json::Bool(false));
                        dii.set("declarative_cleaning", Json::Bool(true));
                    }),
                ),
                (1.0, end),
            ]
        }
        ("inspect", "manageable" | "inspect failed") => vec![
            (0.0, state("inspecting", Some("manageable"))),
            (
                0.0,
                Box::new(|doc: &mut Json, wall| {
                    doc.set("inspection_started_at", Json::str(timestamp(wall)));
                }),
            ),
            (
                1.0,
                Box::new(|doc: &mut Json, wall| {
                    set_state(doc, "manageable", None, wall);
                    doc.set("inspection_started_at", Json::Null);
                    doc.set("inspection_finished_at", Json::str(timestamp(wall)));
                }),
            ),
        ],
        _ => return Err(refuse()),
    };
    schedule(node, delay, now, steps, false);
    Ok(())
}

/// `PUT /v1/nodes/<id>/states/power`; `ident` is the node as the request named it.
pub fn power(
    node: &mut Node,
    ident: &str,
    target: &str,
    version: u32,
    delay: Duration,
    now: Now,
) -> Result<(), ApiError> {
    let soft = target.starts_with("soft");
    let end = POWER_TARGETS
        .iter()
        .find(|(t, _)| *t == target && (version >= 27 || !soft))
        .map(|(_, end)| *end);
    let Some(end) = end else {
        let current = node.text("power_state").unwrap_or("None").to_owned();
        return Err(refused(target, ident, &current));
    };
    if node.locked() {
        return Err(locked(node.uuid()));
    }
    let stamp = naive_timestamp(now.wall);
    let steps: Vec<(f64, Change)> = vec![
        (
            0.0,
            Box::new(move |doc: &mut Json, wall| {
                doc.set("target_power_state", Json::str(end));
                // A power action clears the node's last error, as the real conductor does
                // (found by the differential check: after a failed clean, then manage).
                doc.set("last_error", Json::Null);
                doc.set("updated_at", Json::str(timestamp(wall)));
                if let Some(dii) = doc.get_mut("driver_internal_info") {
                    dii.set("last_power_state_change", Json::Str(stamp));
                }
            }),
        ),
        (
            1.0,
            Box::new(move |doc: &mut Json, _| {
                doc.set("power_state", Json::str(end));
                doc.set("target_power_state", Json::Null);
            }),
        ),
    ];
    node.pending.retain(|s| !s.power);
    schedule(node, delay, now, steps, true);
    Ok(())
}
