//! Addresses that no other scenario or run uses: MACs, IPv4 addresses and DNS names, allocated
//! per run. Literal addresses collide on a shared server (they are global there); allocated
//! ones let scenarios, and whole runs, go in parallel.
//!
//! - MACs are locally administered (`02:…`): two bytes derived from the run id, then a
//!   three-byte counter.
//! - IPv4 addresses come from pools (by default the documentation ranges 192.0.2.0/24,
//!   198.51.100.0/24, 203.0.113.0/24), walked from an offset with a stride both derived from
//!   the run id: two runs on one server meet on the same address at the same time only now and
//!   then (two runs walking one after the other at the same pace would meet all the time), and
//!   a collision the server reports is answered by allocating again.
//! - DNS names are `ALIAS-RUNID-N.DOMAIN` (domain `provspec.test` by default).

use std::net::Ipv4Addr;
use std::sync::atomic::{AtomicU32, Ordering};

/// The documentation ranges (RFC 5737): never routed, never anyone's real host.
pub const DEFAULT_POOLS: [(Ipv4Addr, u8); 3] = [
    (Ipv4Addr::new(192, 0, 2, 0), 24),
    (Ipv4Addr::new(198, 51, 100, 0), 24),
    (Ipv4Addr::new(203, 0, 113, 0), 24),
];

/// The domain of allocated DNS names by default (`.test` is reserved for testing, RFC 2606).
pub const DEFAULT_DOMAIN: &str = "provspec.test";

/// One run's allocator; shared by all its scenarios.
#[derive(Debug)]
pub struct Allocator {
    run_id: String,
    run_bytes: [u8; 2],
    hosts: Vec<Ipv4Addr>,
    ip_start: usize,
    ip_stride: usize,
    domain: String,
    next_mac: AtomicU32,
    next_ip: AtomicU32,
    next_dns: AtomicU32,
}

/// A stable hash of the run id (FNV-1a, then murmur3's finaliser so that ids differing in
/// one character land far apart), so a run's addresses do not depend on the build.
fn run_hash(run_id: &str) -> u32 {
    let mut hash = run_id.bytes().fold(0x811c_9dc5_u32, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    });
    hash ^= hash >> 16;
    hash = hash.wrapping_mul(0x85eb_ca6b);
    hash ^= hash >> 13;
    hash = hash.wrapping_mul(0xc2b2_ae35);
    hash ^ (hash >> 16)
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 { a } else { gcd(b, a % b) }
}

impl Allocator {
    /// An allocator for run `run_id`, with the default pools and domain.
    pub fn new(run_id: &str) -> Self {
        Self::with(run_id, &DEFAULT_POOLS, DEFAULT_DOMAIN)
    }

    /// An allocator with its own IPv4 `pools` (network, prefix length) and DNS `domain`.
    pub fn with(run_id: &str, pools: &[(Ipv4Addr, u8)], domain: &str) -> Self {
        let hash = run_hash(run_id);
        let hosts: Vec<Ipv4Addr> = pools
            .iter()
            .flat_map(|(network, prefix)| {
                let size = 1u32 << (32 - u32::from((*prefix).clamp(8, 30)));
                let base = u32::from(*network) & !(size - 1);
                // Neither the network nor the broadcast address.
                (1..size - 1).map(move |offset| Ipv4Addr::from(base + offset))
            })
            .collect();
        let count = hosts.len().max(1);
        let ip_start = (hash as usize) % count;
        // A stride coprime with the pool's size visits every address once per round.
        let mut ip_stride = 1 + (hash.rotate_left(16) as usize) % count;
        while gcd(ip_stride, count) != 1 {
            ip_stride = ip_stride % count + 1;
        }
        Self {
            run_id: run_id.to_owned(),
            run_bytes: [(hash >> 24) as u8, (hash >> 16) as u8],
            hosts,
            ip_start,
            ip_stride,
            domain: domain.to_owned(),
            next_mac: AtomicU32::new(1),
            next_ip: AtomicU32::new(0),
            next_dns: AtomicU32::new(1),
        }
    }

    /// A MAC no other allocation of this run has: `02:RR:RR:NN:NN:NN`.
    pub fn mac(&self) -> String {
        let n = self.next_mac.fetch_add(1, Ordering::Relaxed);
        format!(
            "02:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
            self.run_bytes[0],
            self.run_bytes[1],
            (n >> 16) as u8,
            (n >> 8) as u8,
            n as u8
        )
    }

    /// An IPv4 address from the pools no other allocation of this run has (until the pools are
    /// used up: then an error saying how many there are).
    pub fn ip(&self) -> Result<String, String> {
        let n = self.next_ip.fetch_add(1, Ordering::Relaxed) as usize;
        if n >= self.hosts.len() {
            return Err(format!(
                "the IPv4 pools hold {} addresses and run {} has used them all",
                self.hosts.len(),
                self.run_id
            ));
        }
        let at = (self.ip_start + n * self.ip_stride) % self.hosts.len();
        Ok(self.hosts[at].to_string())
    }

    /// A DNS name for `alias` no other allocation of this run has.
    pub fn dns(&self, alias: &str) -> String {
        let n = self.next_dns.fetch_add(1, Ordering::Relaxed);
        let label: String = alias
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect();
        format!(
            "{}-{}-{n}.{}",
            label.trim_matches('-'),
            self.run_id,
            self.domain
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_unique_within_a_run_and_apart_between_runs() {
        let a = Allocator::new("tpb0vv4i");
        let b = Allocator::new("tpb0vv4j");
        let macs: std::collections::HashSet<String> = (0..1000).map(|_| a.mac()).collect();
        assert_eq!(macs.len(), 1000);
        assert!(macs.iter().all(|m| m.starts_with("02:")));
        assert_ne!(
            a.mac()[..8],
            b.mac()[..8],
            "two runs' MACs differ in their run bytes"
        );
        let ips: std::collections::HashSet<String> = (0..762).map(|_| a.ip().unwrap()).collect();
        assert_eq!(
            ips.len(),
            762,
            "three /24 pools without network and broadcast"
        );
        assert!(a.ip().unwrap_err().contains("762 addresses"));
        assert!(!ips.contains("192.0.2.0") && !ips.contains("192.0.2.255"));
        assert_eq!(a.dns("Web_01"), "web-01-tpb0vv4i-1.provspec.test");
        assert_eq!(a.dns("web-01"), "web-01-tpb0vv4i-2.provspec.test");
    }

    #[test]
    fn two_runs_rarely_hold_the_same_address_at_the_same_time() {
        // Two runs allocating at the same pace, each holding its last 50 addresses.
        let a = Allocator::new("twoa028362");
        let b = Allocator::new("twob028362");
        let (mut held_a, mut held_b) = (Vec::new(), Vec::new());
        let mut meetings = 0;
        for _ in 0..300 {
            held_a.push(a.ip().unwrap());
            held_b.push(b.ip().unwrap());
            for held in [&mut held_a, &mut held_b] {
                if held.len() > 50 {
                    held.remove(0);
                }
            }
            meetings += usize::from(held_a.contains(held_b.last().unwrap()));
        }
        assert!(
            meetings < 30,
            "{meetings} of 300 allocations met the other run's"
        );
    }

    #[test]
    fn own_pools_and_domain() {
        let a = Allocator::with("r1", &[(Ipv4Addr::new(10, 9, 8, 0), 30)], "lab.example");
        let first = a.ip().unwrap();
        let second = a.ip().unwrap();
        assert_ne!(first, second);
        assert!(["10.9.8.1", "10.9.8.2"].contains(&first.as_str()));
        assert!(a.ip().is_err());
        assert!(a.dns("x").ends_with(".lab.example"));
    }
}
