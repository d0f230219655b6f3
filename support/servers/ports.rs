//! Free ports on 127.0.0.1. A port is free when asked for and may be taken by the time the
//! server binds it: that clash is what [`crate::servers::Server::start`] tries again.

use std::collections::VecDeque;
use std::net::TcpListener;
use std::sync::Mutex;

/// Where a scenario's servers get their ports.
#[derive(Debug, Default)]
pub struct Ports {
    offered: Mutex<VecDeque<u16>>,
}

impl Ports {
    /// The next port: one offered with [`Ports::offer`] first, else a free one.
    pub fn next(&self) -> std::io::Result<u16> {
        if let Some(port) = self
            .offered
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .pop_front()
        {
            return Ok(port);
        }
        free_port()
    }

    /// Hands `port` out next, free or not (a test offers one it holds, to cause a clash).
    pub fn offer(&self, port: u16) {
        self.offered
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push_back(port);
    }
}

/// A port nothing listens on right now.
pub fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind(("127.0.0.1", 0))?.local_addr()?.port())
}
