//! The log's threads. The writer owns one connection and commits whatever appends queued up
//! while the previous commit was being made durable: concurrent requests share one fsync
//! (group commit). The reader owns another connection for lookups. Async callers wait on a
//! oneshot channel and never block a runtime thread on the database.

use super::{LogError, Packed, Store};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// The most entries in one commit.
const GROUP: usize = 1024;

type Ack = oneshot::Sender<Result<(), LogError>>;

/// Appends to the log through its writer thread.
#[derive(Clone)]
pub struct Writer {
    tx: mpsc::UnboundedSender<(Vec<Packed>, Ack)>,
    stats: Arc<Stats>,
}

/// Commits made and entries committed: their ratio shows how well commits are shared under
/// load (`/metrics`).
#[derive(Default)]
pub struct Stats {
    pub commits: AtomicU64,
    pub entries: AtomicU64,
}

impl Writer {
    /// Start the writer thread on a store. The thread ends when every `Writer` is dropped,
    /// after committing what was queued. It is named `log-writer`, so that its CPU can be told
    /// from the request threads' (`benches/serve.sh`).
    pub fn start(
        mut store: Box<dyn Store>,
    ) -> Result<(Writer, std::thread::JoinHandle<()>), LogError> {
        let (tx, mut rx) = mpsc::unbounded_channel::<(Vec<Packed>, Ack)>();
        let stats = Arc::new(Stats::default());
        let counted = stats.clone();
        let handle = spawn_named("log-writer", move || {
            let mut entries: Vec<Packed> = Vec::new();
            let mut acks: Vec<(usize, Ack)> = Vec::new();
            while let Some(first) = rx.blocking_recv() {
                entries.clear();
                acks.clear();
                let mut push = |(es, ack): (Vec<Packed>, Ack), entries: &mut Vec<Packed>| {
                    acks.push((es.len(), ack));
                    entries.extend(es);
                };
                push(first, &mut entries);
                while entries.len() < GROUP {
                    match rx.try_recv() {
                        Ok(more) => push(more, &mut entries),
                        Err(_) => break,
                    }
                }
                let result = store.append(&entries);
                counted.commits.fetch_add(1, Ordering::Relaxed);
                counted
                    .entries
                    .fetch_add(entries.len() as u64, Ordering::Relaxed);
                if result.is_err() {
                    // One bad entry (say a duplicate id) must not fail the others' requests.
                    let mut at = 0;
                    for (n, ack) in acks.drain(..) {
                        let r = store.append(&entries[at..at + n]);
                        at += n;
                        let _ = ack.send(r);
                    }
                } else {
                    for (_, ack) in acks.drain(..) {
                        let _ = ack.send(result.clone());
                    }
                }
            }
        })?;
        Ok((Writer { tx, stats }, handle))
    }

    /// (commits made, entries committed) since the start.
    pub fn stats(&self) -> (u64, u64) {
        (
            self.stats.commits.load(Ordering::Relaxed),
            self.stats.entries.load(Ordering::Relaxed),
        )
    }

    /// Store entries durably; returns when they are committed.
    pub async fn append(&self, entries: Vec<Packed>) -> Result<(), LogError> {
        let (ack, done) = oneshot::channel();
        self.tx
            .send((entries, ack))
            .map_err(|_| LogError("the decision log is closed".into()))?;
        done.await
            .map_err(|_| LogError("the decision log writer stopped".into()))?
    }
}

type Job = Box<dyn FnOnce(&mut dyn Store) + Send>;

/// Reads the log on its reader thread.
#[derive(Clone)]
pub struct Reader {
    tx: std::sync::mpsc::Sender<Job>,
}

impl Reader {
    pub fn start(
        mut store: Box<dyn Store>,
    ) -> Result<(Reader, std::thread::JoinHandle<()>), LogError> {
        let (tx, rx) = std::sync::mpsc::channel::<Job>();
        let handle = spawn_named("log-reader", move || {
            while let Ok(job) = rx.recv() {
                job(store.as_mut());
            }
        })?;
        Ok((Reader { tx }, handle))
    }

    /// Run `f` on the reader's store and wait for its answer.
    pub async fn with<T, F>(&self, f: F) -> Result<T, LogError>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn Store) -> Result<T, LogError> + Send + 'static,
    {
        let (tx, rx) = oneshot::channel();
        let job: Job = Box::new(move |s| {
            let _ = tx.send(f(s));
        });
        self.tx
            .send(job)
            .map_err(|_| LogError("the decision log is closed".into()))?;
        rx.await
            .map_err(|_| LogError("the decision log reader stopped".into()))?
    }
}

fn spawn_named(
    name: &str,
    f: impl FnOnce() + Send + 'static,
) -> Result<std::thread::JoinHandle<()>, LogError> {
    std::thread::Builder::new()
        .name(name.to_string())
        .spawn(f)
        .map_err(|e| LogError(format!("cannot start the {name} thread: {e}")))
}

/// The current time as the log stores it: UTC with milliseconds, sorting as text.
pub fn now_text() -> String {
    time_text(now_millis())
}

pub fn now_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

pub fn time_text(millis: i64) -> String {
    match chrono::DateTime::from_timestamp_millis(millis) {
        Some(t) => t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        None => String::from("1970-01-01T00:00:00.000Z"),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::log::Entry;

    fn entry(id: &str) -> Entry {
        Entry {
            id: id.into(),
            time: now_text(),
            case: "{}".into(),
            record: "{}".into(),
            version: "v".into(),
            digest: "d".into(),
            engine: "0".into(),
            record_sha256: "h".into(),
            outcomes: Vec::new(),
        }
    }

    /// Concurrent appends share commits; one bad entry fails only its own request.
    #[test]
    fn concurrent_appends_commit_and_a_duplicate_fails_alone() {
        let dir = std::env::temp_dir().join(format!(
            "rulebook-writer-unit-{}-{}",
            std::process::id(),
            now_millis()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("log.sqlite").to_str().unwrap().to_string();
        let (writer, thread) = Writer::start(super::super::open(&path).unwrap()).unwrap();
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .build()
            .unwrap();
        let results = rt.block_on(async {
            let mut handles = Vec::new();
            for i in 0..64 {
                let w = writer.clone();
                // Entry 10 reuses entry 0's id.
                let id = if i == 10 {
                    "e0".to_string()
                } else {
                    format!("e{i}")
                };
                handles.push(tokio::spawn(async move {
                    w.append(vec![entry(&id).pack()]).await
                }));
            }
            let mut out = Vec::new();
            for h in handles {
                out.push(h.await.unwrap());
            }
            out
        });
        let failed: Vec<usize> = results
            .iter()
            .enumerate()
            .filter(|(_, r)| r.is_err())
            .map(|(i, _)| i)
            .collect();
        // Whichever of the two came second failed, and only it.
        assert_eq!(failed.len(), 1);
        assert!(failed[0] == 0 || failed[0] == 10);
        drop(writer);
        thread.join().unwrap();
        let mut store = super::super::open(&path).unwrap();
        for i in (1..64).filter(|i| *i != 10) {
            assert!(store.get(&format!("e{i}")).unwrap().is_some(), "e{i}");
        }
        drop(store);
        // Passed: the folder goes (a failure keeps it, to look into).
        let _ = std::fs::remove_dir_all(&dir);
    }
}
