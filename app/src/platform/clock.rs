//! The application's clock. Session timeouts, lockouts and token expiry read time from here, so
//! tests can move time forward instead of waiting.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

#[derive(Clone)]
pub struct Clock {
    /// Seconds added to the system clock; only tests change it.
    offset: Arc<AtomicI64>,
    /// When set (only by tests), the system clock is not read: time moves only by `advance`, so a
    /// test comparing "5 seconds ago" with a rendered page cannot see a second tick in between.
    frozen_at: Arc<AtomicI64>,
}

const NOT_FROZEN: i64 = i64::MIN;

impl Clock {
    pub fn system() -> Clock {
        Clock::default()
    }

    /// Unix seconds.
    pub fn now(&self) -> i64 {
        let frozen = self.frozen_at.load(Ordering::Relaxed);
        let base = if frozen == NOT_FROZEN { super::time::now_unix() } else { frozen };
        base + self.offset.load(Ordering::Relaxed)
    }

    /// Stops this clock (and every copy of it) at the current second.
    pub fn freeze(&self) {
        self.frozen_at.store(super::time::now_unix(), Ordering::Relaxed);
    }

    /// Moves this clock (and every copy of it) forward.
    pub fn advance(&self, seconds: i64) {
        self.offset.fetch_add(seconds, Ordering::Relaxed);
    }
}

impl Default for Clock {
    fn default() -> Clock {
        Clock { offset: Arc::default(), frozen_at: Arc::new(AtomicI64::new(NOT_FROZEN)) }
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Clock(+{}s)", self.offset.load(Ordering::Relaxed))
    }
}
