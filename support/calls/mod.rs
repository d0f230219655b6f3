//! What the run knows about the calls it makes to a server over the network, whichever
//! backend makes them: which calls are in flight (for "still waiting" notices and for naming
//! the call a timed-out step was waiting on), and whether the server still answers (a circuit
//! breaker that stops the run when it does not).
//!
//! Transports report here ([`in_flight::begin`], [`breaker::answered`],
//! [`breaker::transport_failed`]); the runner reads it. Embedded fakes make no calls over
//! the network and never appear.

pub mod breaker;
pub mod in_flight;
