//! What every handler shares: the policy now serving (swapped atomically on reload), the
//! decision log, the limits, the token and the metrics. The service holds no other state: a
//! replica with the same policy folder and log database answers the same.

use super::limits::Limits;
use super::metrics::Metrics;
use crate::log::{Reader, Writer};
use crate::{Policy, Versions};
use arc_swap::ArcSwapOption;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// Every version of the policy, all of which passed `check`, and when they were loaded. A
/// reload swaps the whole set: a request decides with the set it started with.
pub struct Loaded {
    pub set: Versions,
    pub loaded_at: String,
}

impl Loaded {
    /// The version in force today (UTC), else the latest: what `current` names and what
    /// answers questions that have no case date (`/v1/schema`, the articles).
    pub fn today(&self) -> Option<&Policy> {
        chrono::DateTime::from_timestamp_millis(crate::log::now_millis())
            .and_then(|t| self.set.in_force(t.date_naive()))
            .or_else(|| self.set.latest())
    }

    /// The version named `name`, or the one of [`Loaded::today`] for `current`.
    pub fn named(&self, name: &str) -> Option<&Policy> {
        if name == "current" {
            self.today()
        } else {
            self.set.pin(name)
        }
    }
}

/// The last (re)load: when, why, and its errors if it failed.
#[derive(Debug, Clone, Default)]
pub struct ReloadStatus {
    pub at: String,
    pub trigger: &'static str,
    pub ok: bool,
    pub errors: Vec<String>,
    /// How many reloads were tried since the start.
    pub count: u64,
}

/// The decision log's two threads.
#[derive(Clone)]
pub struct Log {
    pub writer: Writer,
    pub reader: Reader,
}

pub struct Inner {
    pub policy_dir: PathBuf,
    pub policy: ArcSwapOption<Loaded>,
    pub reload: Mutex<ReloadStatus>,
    /// None when the service runs with `--no-log` (for measuring the log's cost only).
    pub log: Option<Log>,
    pub limits: Limits,
    /// sha256 of `RULEBOOK_TOKEN`, when requests need it.
    pub token: Option<[u8; 32]>,
    pub inflight: Arc<tokio::sync::Semaphore>,
    /// Batch groups being decided at once, across every batch: as many as there are cores.
    /// A batch holds a few groups in flight, and batches can run side by side; without this,
    /// each would take its own blocking threads and the cores would be shared among them all.
    pub deciding: Arc<tokio::sync::Semaphore>,
    pub metrics: Metrics,
    pub ids: super::ids::IdGen,
}

pub type AppState = Arc<Inner>;

/// A request's place under the concurrency limit, put in its extensions by the guard. The
/// guard lets go of its copy when the handler has returned its answer; an answer streamed after
/// that (a batch) keeps a copy until it has queued its last line, so that it still counts as a
/// request in flight.
#[derive(Clone)]
pub struct RequestSlot {
    /// Never read: the place is given back when the last copy is dropped.
    _permit: Arc<tokio::sync::OwnedSemaphorePermit>,
}

impl RequestSlot {
    pub fn new(permit: tokio::sync::OwnedSemaphorePermit) -> RequestSlot {
        RequestSlot {
            _permit: Arc::new(permit),
        }
    }
}

impl Inner {
    pub fn reload_status(&self) -> ReloadStatus {
        match self.reload.lock() {
            Ok(g) => g.clone(),
            Err(p) => p.into_inner().clone(),
        }
    }

    pub fn set_reload_status(&self, s: ReloadStatus) {
        match self.reload.lock() {
            Ok(mut g) => *g = s,
            Err(p) => *p.into_inner() = s,
        }
    }
}
