//! Decision ids: the time in milliseconds (hex, fixed width, so ids sort by time), a random
//! per-process part (so replicas sharing a log never collide) and a counter.

use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

pub struct IdGen {
    process: u32,
    counter: AtomicU64,
}

impl Default for IdGen {
    fn default() -> IdGen {
        // RandomState is seeded from the OS: a cheap random number without another crate.
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u32(std::process::id());
        h.write_i64(crate::log::now_millis());
        IdGen {
            process: h.finish() as u32,
            counter: AtomicU64::new(0),
        }
    }
}

impl IdGen {
    /// A new id for a decision made at `millis`.
    pub fn next(&self, millis: i64) -> String {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        format!(
            "{:012x}{:08x}{:08x}",
            millis.max(0),
            self.process,
            n & 0xffff_ffff
        )
    }
}

/// Whether a string can be a decision id (checked before it reaches the database).
pub fn looks_like_id(s: &str) -> bool {
    s.len() == 28
        && s.bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_sorted_and_recognised() {
        let g = IdGen::default();
        let a = g.next(1_700_000_000_000);
        let b = g.next(1_700_000_000_000);
        let c = g.next(1_700_000_000_001);
        assert_ne!(a, b);
        assert!(a < c && b < c);
        assert!(looks_like_id(&a));
        assert!(!looks_like_id("../etc"));
    }
}
