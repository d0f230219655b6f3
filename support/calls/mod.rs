//! What the run knows about the calls it makes to a server, whichever backend makes them:
//! - which calls are in flight (for "still waiting" notices and for naming the call a
//!   timed-out step was waiting on), and whether the server still answers (a circuit breaker
//!   that stops the run when it does not): [`in_flight`], [`breaker`];
//! - per scenario, a layer every call goes through ([`layer`]): the call journal
//!   ([`journal`]), injected faults ([`faults`]) and the scenario's captured log
//!   ([`log_capture`]).
//!
//! A feature names a call one way everywhere: [`call_name`].
//!
//! Transports report here; the runner and the World read it.

pub mod breaker;
pub mod call_name;
pub mod faults;
pub mod in_flight;
pub mod journal;
pub mod layer;
pub mod log_capture;
