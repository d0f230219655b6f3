//! Should-style assertions that read like the features and fail with "expected … / actual …".
//!
//! ```
//! use provspec::assertions::{Should, Verdict};
//! fn check() -> Verdict {
//!     let names = vec!["web-01", "web-02"];
//!     names.should().named("search result").have_len(2)?;
//!     "52:54:00:12:34:56".should().match_regex(r"^([0-9a-f]{2}:){5}[0-9a-f]{2}$")?;
//!     Some(3).should().be_some()?.should().equal(&3)
//! }
//! assert!(check().is_ok());
//! assert!(1.should().equal(&2).is_err());
//! ```
//! Every check returns a [`Verdict`]: `Ok`, or an [`AssertionFailed`] that a step returns with
//! `?` (the one way a step fails); structured values fail with a line diff headed "expected"
//! and "actual", plain text that a terminal colours.

mod eventually;
mod failure;
mod should;

pub use failure::{ACTUAL_ONLY, AssertionFailed, Detail, EXPECTED_ONLY, Verdict};

pub use eventually::{Look, Patience, WaitError, eventually, wait_for};
pub use should::{Assertion, Length, Should};
