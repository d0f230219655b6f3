//! Should-style assertions that read like the features and fail with "expected … / actual …".
//!
//! ```
//! use provspec::assertions::Should;
//! let names = vec!["web-01", "web-02"];
//! names.should().named("search result").have_len(2);
//! "52:54:00:12:34:56".should().match_regex(r"^([0-9a-f]{2}:){5}[0-9a-f]{2}$");
//! Some(3).should().be_some().should().equal(&3);
//! ```
//! Every check panics with the caller's location (`#[track_caller]`); structured values get a
//! pretty_assertions diff.

mod eventually;
mod should;

pub use eventually::{Look, Patience, WaitError, eventually, wait_for};
pub use should::{Assertion, Length, Should};
