//! Allocations (microversion 1.52): the stored record in the real field order, and the
//! conductor's matching of a candidate node: `available`, not in maintenance, not
//! associated, with a power state, of the resource class, among the candidates asked for,
//! holding every trait asked for; a node named like the allocation first.

use super::State;
use super::errors::ApiError;
use super::json::Json;
use super::nodes::{Node, links};

/// The microversion that brought allocations.
pub const SINCE: u32 = 52;

/// Every allocation field in the real order, with the microversion that shows it.
pub const FIELDS: &[(&str, u32)] = &[
    ("uuid", 1),
    ("created_at", 1),
    ("updated_at", 1),
    ("candidate_nodes", 1),
    ("extra", 1),
    ("last_error", 1),
    ("name", 1),
    ("owner", 60),
    ("resource_class", 1),
    ("state", 1),
    ("traits", 1),
    ("links", 1),
    ("node_uuid", 1),
];

/// The fields a PATCH may touch, in the order of the real error message.
pub const PATCHABLE: &[&str] = &["name", "extra"];

/// A stored allocation.
#[derive(Clone, Debug)]
pub struct Allocation {
    /// Insertion order.
    pub id: u64,
    /// Every field except `links`, in [`FIELDS`] order.
    pub doc: Json,
}

impl Allocation {
    /// The uuid.
    pub fn uuid(&self) -> &str {
        self.text("uuid").unwrap_or("")
    }

    /// A string field.
    pub fn text(&self, field: &str) -> Option<&str> {
        self.doc.get(field).and_then(Json::as_str)
    }

    /// The fields in `wanted` (all when `None`) shown at `version`, in the real order, plus
    /// `links`.
    pub fn only(&self, wanted: Option<&[String]>, version: u32, base: &str) -> Json {
        super::views::select(FIELDS, wanted, version, |f| match f {
            "links" => links(base, &format!("allocations/{}", self.uuid())),
            _ => self.doc.get(f).cloned().unwrap_or(Json::Null),
        })
    }
}

fn strings(value: Option<&Json>) -> Vec<String> {
    match value {
        Some(Json::Array(items)) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

/// Whether `node` could take the allocation `doc` (its candidates and traits aside).
fn suits(node: &Node, resource_class: Option<&str>) -> bool {
    node.provision_state() == "available"
        && !node.maintenance()
        && node.doc.get("instance_uuid").is_none_or(Json::is_null)
        && node.doc.get("power_state").is_some_and(|p| !p.is_null())
        && node.text("resource_class") == resource_class
}

/// The conductor's processing of allocation `at`: a node reserved (the allocation `active`,
/// the node's `instance_uuid` and `allocation_uuid` set, the traits asked for in its
/// `instance_info`) or the allocation in `error` with the conductor's text.
pub(crate) fn process(state: &mut State, at: usize) {
    let doc = state.allocations[at].doc.clone();
    let uuid = state.allocations[at].uuid().to_owned();
    let resource_class = doc.get("resource_class").and_then(Json::as_str);
    let candidates = strings(doc.get("candidate_nodes"));
    let traits = strings(doc.get("traits"));
    let mut nodes: Vec<usize> = (0..state.nodes.len())
        .filter(|i| suits(&state.nodes[*i], resource_class))
        .filter(|i| candidates.is_empty() || candidates.iter().any(|c| c == state.nodes[*i].uuid()))
        .collect();
    let class = resource_class.unwrap_or("None");
    let failed = if nodes.is_empty() {
        Some(if candidates.is_empty() {
            format!("no available nodes match the resource class {class}")
        } else {
            format!(
                "none of the requested nodes are available and match the resource class {class}"
            )
        })
    } else {
        nodes.retain(|i| {
            let held = strings(state.nodes[*i].doc.get("traits"));
            traits.iter().all(|t| held.contains(t))
        });
        // A Python set joins the traits in no fixed order: one trait is what can be compared.
        nodes.is_empty().then(|| {
            format!(
                "no suitable nodes have the requested traits {}",
                traits.join(", ")
            )
        })
    };
    let allocation = &mut state.allocations[at].doc;
    if let Some(error) = failed {
        allocation.set("state", Json::str("error"));
        allocation.set(
            "last_error",
            Json::Str(format!("Failed to process allocation {uuid}: {error}.")),
        );
        return;
    }
    let name = allocation
        .get("name")
        .and_then(Json::as_str)
        .map(str::to_owned);
    let chosen = nodes
        .iter()
        .find(|i| name.is_some() && state.nodes[**i].name() == name.as_deref())
        .or(nodes.first())
        .copied()
        .unwrap_or_default();
    let node = &mut state.nodes[chosen];
    allocation.set("state", Json::str("active"));
    allocation.set("node_uuid", Json::str(node.uuid()));
    node.doc.set("instance_uuid", Json::str(&uuid));
    node.doc.set("allocation_uuid", Json::str(&uuid));
    if !traits.is_empty() {
        let mut info = node
            .doc
            .get("instance_info")
            .cloned()
            .unwrap_or_else(Json::empty);
        info.set(
            "traits",
            Json::Array(traits.into_iter().map(Json::Str).collect()),
        );
        node.doc.set("instance_info", info);
    }
}

/// Releases the node of allocation `at` (if any): its `instance_uuid` and `allocation_uuid`
/// cleared (the traits stay in its `instance_info`, as on the real server). Refused while
/// the node is active outside maintenance, as the conductor refuses it.
pub(crate) fn release(state: &mut State, at: usize) -> Result<(), ApiError> {
    let allocation = &state.allocations[at];
    let Some(node_uuid) = allocation.text("node_uuid").map(str::to_owned) else {
        return Ok(());
    };
    let Some(node) = state.nodes.iter_mut().find(|n| n.uuid() == node_uuid) else {
        return Ok(());
    };
    if node.provision_state() == "active" && !node.maintenance() {
        return Err(ApiError::client(
            409,
            format!(
                "Cannot remove allocation {} for node {node_uuid}, because the node is active (and maintenance mode is off)",
                allocation.uuid()
            ),
        ));
    }
    node.doc.set("instance_uuid", Json::Null);
    node.doc.set("allocation_uuid", Json::Null);
    Ok(())
}
