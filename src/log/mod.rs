//! The decision log: every decision the service serves, stored before its answer is sent.
//!
//! One trait, [`Store`], with two backends: an embedded SQLite file (the default) and a
//! PostgreSQL database (`postgres://…`), so that replicas behind a load balancer share one log.
//! Stores are synchronous and each lives on a thread of its own ([`Writer`], [`Reader`]): the
//! service's async tasks never block on the database, and the writer groups concurrent appends
//! into one commit.

mod migrations;
mod packed;
mod pg;
mod sqlite;
mod threads;

pub use packed::Packed;
pub use threads::{now_millis, now_text, time_text, Reader, Writer};

/// One decision to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: String,
    /// UTC, `YYYY-MM-DDTHH:MM:SS.mmmZ`: sorts as text.
    pub time: String,
    /// The case file exactly as it was received.
    pub case: String,
    /// The decision record exactly as it was sent.
    pub record: String,
    pub version: String,
    pub digest: String,
    /// The `rulebook` version that decided.
    pub engine: String,
    /// `sha256:` over the record's bytes.
    pub record_sha256: String,
    /// Each decision's outcome, for the listing's filters.
    pub outcomes: Vec<Outcome>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub decision: String,
    pub outcome: String,
}

/// A line of the listing: what was decided, without the case or the record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub id: String,
    pub time: String,
    pub version: String,
    pub digest: String,
    pub outcomes: Vec<Outcome>,
}

/// The listing's filters and page. Newest first; `after` is the last id of the previous page.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    /// Entries at or after this time (a prefix of the stored time, e.g. a date).
    pub since: Option<String>,
    pub decision: Option<String>,
    pub outcome: Option<String>,
    pub after: Option<String>,
    pub limit: u32,
}

/// The log could not be opened, read or written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogError(pub String);

impl std::fmt::Display for LogError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LogError {}

/// A decision log backend. Every method is one transaction.
pub trait Store: Send {
    /// Store entries, all or none, durably: when this returns Ok they survive a crash.
    fn append(&mut self, entries: &[Packed]) -> Result<(), LogError>;
    fn get(&mut self, id: &str) -> Result<Option<Entry>, LogError>;
    /// Newest first, filtered and paged.
    fn list(&mut self, q: &ListQuery) -> Result<Vec<Summary>, LogError>;
    /// Oldest first from `since` (a time prefix), after the id `after`: for replaying the log.
    fn scan(
        &mut self,
        since: Option<&str>,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<Entry>, LogError>;
    /// The migrations applied, in order.
    fn schema_versions(&mut self) -> Result<Vec<i64>, LogError>;
}

/// Open a log: `postgres://…` or `postgresql://…` for PostgreSQL, anything else is a SQLite file.
/// Applies the migrations the database has not seen.
pub fn open(spec: &str) -> Result<Box<dyn Store>, LogError> {
    if is_postgres(spec) {
        Ok(Box::new(pg::PgStore::open(spec)?))
    } else {
        Ok(Box::new(sqlite::SqliteStore::open(spec)?))
    }
}

/// Open a log that must already exist (`replay`): a SQLite path that is not there is an error,
/// and no file is made. Migrations are applied as by [`open`].
pub fn open_existing(spec: &str) -> Result<Box<dyn Store>, LogError> {
    if is_postgres(spec) {
        Ok(Box::new(pg::PgStore::open(spec)?))
    } else {
        Ok(Box::new(sqlite::SqliteStore::open_existing(spec)?))
    }
}

pub fn is_postgres(spec: &str) -> bool {
    spec.starts_with("postgres://") || spec.starts_with("postgresql://")
}

/// `sha256:…` of bytes, as the log stores a record's hash.
pub fn sha256(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    format!("sha256:{:x}", Sha256::digest(bytes))
}

/// Where a `since` given as a date or a time starts, as a prefix of the stored times.
pub fn since_key(since: &str) -> String {
    since.trim_end_matches('Z').to_string()
}
