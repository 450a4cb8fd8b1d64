//! Attempt counters (in memory, per process), for forms that must not be tried in bulk: per
//! client address (sign-in, self-unlock, registration) or per key such as a citizen's id
//! (binding a gas account by number and name).

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::{Mutex, OnceLock};

/// At most `limit` attempts per key in each `window_secs`.
pub struct PerKey<K> {
    limit: u32,
    window_secs: i64,
    counts: OnceLock<Mutex<HashMap<K, (i64, u32)>>>,
}

impl<K: Hash + Eq> PerKey<K> {
    pub const fn new(limit: u32, window_secs: i64) -> PerKey<K> {
        PerKey { limit, window_secs, counts: OnceLock::new() }
    }

    /// Counts an attempt for `key` at `now`; false once the key is over its limit.
    pub fn allows(&self, key: K, now: i64) -> bool {
        let mut counts = self.counts.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
        if counts.len() > 100_000 {
            counts.retain(|_, (start, _)| now - *start < self.window_secs);
        }
        let entry = counts.entry(key).or_insert((now, 0));
        if now - entry.0 >= self.window_secs {
            *entry = (now, 0);
        }
        entry.1 = entry.1.saturating_add(1);
        entry.1 <= self.limit
    }
}

/// At most `limit` attempts per client address in each `window_secs`.
pub struct PerAddress(PerKey<IpAddr>);

impl PerAddress {
    pub const fn new(limit: u32, window_secs: i64) -> PerAddress {
        PerAddress(PerKey::new(limit, window_secs))
    }

    /// Counts an attempt from `ip` at `now`; false once the address is over its limit. Requests
    /// without a known address (tests, unix sockets) are not counted.
    pub fn allows(&self, ip: Option<IpAddr>, now: i64) -> bool {
        ip.is_none_or(|ip| self.0.allows(ip, now))
    }
}

/// A limit the operator may set in the environment (a positive whole number); `default`
/// otherwise, and when the value is not one.
pub fn limit_from_env(name: &str, default: u32) -> u32 {
    std::env::var(name).ok().and_then(|v| v.trim().parse::<u32>().ok()).filter(|n| *n > 0).unwrap_or(default)
}

#[cfg(test)]
mod tests {
    use super::{PerAddress, PerKey};

    #[test]
    fn each_key_has_its_own_count() {
        let throttle = PerKey::<i64>::new(1, 60);
        assert!(throttle.allows(7, 0));
        assert!(!throttle.allows(7, 1), "the second in the window");
        assert!(throttle.allows(8, 1), "another key");
    }

    #[test]
    fn each_address_has_its_own_count_and_a_new_window_starts_afresh() {
        let throttle = PerAddress::new(2, 60);
        let (a, b) = (Some("198.51.100.1".parse().expect("ip")), Some("198.51.100.2".parse().expect("ip")));
        assert!(throttle.allows(a, 0) && throttle.allows(a, 10));
        assert!(!throttle.allows(a, 20), "the third in the window");
        assert!(throttle.allows(b, 20), "another address");
        assert!(throttle.allows(a, 60), "a new window");
        assert!(throttle.allows(None, 0) && throttle.allows(None, 0) && throttle.allows(None, 0));
    }
}
