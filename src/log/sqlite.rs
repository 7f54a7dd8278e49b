//! The decision log in an embedded SQLite file: WAL, and `synchronous=FULL` so that a commit
//! that returned is on disk (the service answers 200 only after it). Cases and records are
//! stored packed (`packed.rs`).

use super::packed::{stored_text, Packed};
use super::{migrations, Entry, ListQuery, LogError, Outcome, Store, Summary};
use rusqlite::{params, Connection, OptionalExtension};

/// The page size of a new log file. A packed decision is about 9.5 KB: with 4 KiB pages it
/// spills into overflow pages, with 16 KiB pages one fits a page with most of the page left
/// over (16.7 KB of file a decision); 8 KiB pages keep it at 10.1 KB and cost the writer thread
/// the least CPU a decision of the three (README, figures of the service).
const PAGE_SIZE: u32 = 8192;

pub struct SqliteStore {
    conn: Connection,
}

fn err(context: &str) -> impl Fn(rusqlite::Error) -> LogError + '_ {
    move |e| LogError(format!("{context}: {e}"))
}

impl SqliteStore {
    /// Open the log at `path`, making the file if it is not there (`serve`).
    pub fn open(path: &str) -> Result<SqliteStore, LogError> {
        let conn =
            Connection::open(path).map_err(|e| LogError(format!("cannot open `{path}`: {e}")))?;
        SqliteStore::ready(conn, path)
    }

    /// Open the log at `path` only if it is there: SQLite's own open without its create flag,
    /// so there is no window between a check and the open (`file:` URIs work as with `open`).
    pub fn open_existing(path: &str) -> Result<SqliteStore, LogError> {
        use rusqlite::OpenFlags;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| {
            if e.sqlite_error_code() == Some(rusqlite::ErrorCode::CannotOpen) {
                LogError(format!(
                    "there is no decision log at `{path}` (the file `rulebook serve --db` writes, or a postgres:// URL)"
                ))
            } else {
                LogError(format!("cannot open `{path}`: {e}"))
            }
        })?;
        SqliteStore::ready(conn, path)
    }

    /// Settings, WAL and migrations, on a connection just opened.
    fn ready(conn: Connection, path: &str) -> Result<SqliteStore, LogError> {
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(err("busy timeout"))?;
        // Only a new file takes the page size (a log's page size is fixed once it has tables,
        // and in WAL mode for good): see PAGE_SIZE.
        conn.execute_batch(&format!("PRAGMA page_size={PAGE_SIZE}"))
            .map_err(err("page size"))?;
        let mode: String = conn
            .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
            .map_err(err("cannot switch the log to WAL"))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(LogError(format!(
                "`{path}` cannot use write-ahead logging (journal mode {mode})"
            )));
        }
        conn.execute_batch("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;")
            .map_err(err("pragmas"))?;
        let mut store = SqliteStore { conn };
        store.migrate()?;
        Ok(store)
    }

    fn migrate(&mut self) -> Result<(), LogError> {
        self.conn
            .execute(migrations::CREATE_TABLE, [])
            .map_err(err("cannot create schema_migrations"))?;
        let applied = self.schema_versions()?;
        for (version, sql) in migrations::SQLITE {
            if applied.contains(version) {
                continue;
            }
            let tx = self
                .conn
                .transaction()
                .map_err(err("migration transaction"))?;
            tx.execute_batch(sql)
                .map_err(|e| LogError(format!("migration {version}: {e}")))?;
            tx.execute(
                "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)",
                params![version, super::threads::now_text()],
            )
            .map_err(err("recording a migration"))?;
            tx.commit().map_err(err("migration commit"))?;
        }
        Ok(())
    }

    fn outcomes(&self, id: &str) -> Result<Vec<Outcome>, LogError> {
        let mut st = self
            .conn
            .prepare_cached("SELECT decision, outcome FROM outcomes WHERE id = ?1 ORDER BY pos")
            .map_err(err("outcomes"))?;
        let rows = st
            .query_map([id], |r| {
                Ok(Outcome {
                    decision: r.get(0)?,
                    outcome: r.get(1)?,
                })
            })
            .map_err(err("outcomes"))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(err("outcomes"))
    }
}

/// A row as stored: the case and record still packed (unpacked by [`Row::entry`], outside the
/// row callback, whose error type is SQLite's).
struct Row {
    entry: Entry,
    case_lz4: Option<Vec<u8>>,
    record_lz4: Option<Vec<u8>>,
}

impl Row {
    fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
        Ok(Row {
            entry: Entry {
                id: r.get(0)?,
                time: r.get(1)?,
                case: r.get(2)?,
                record: r.get(3)?,
                version: r.get(4)?,
                digest: r.get(5)?,
                engine: r.get(6)?,
                record_sha256: r.get(7)?,
                outcomes: Vec::new(),
            },
            case_lz4: r.get(8)?,
            record_lz4: r.get(9)?,
        })
    }

    fn entry(self) -> Result<Entry, LogError> {
        let mut e = self.entry;
        e.case = stored_text(self.case_lz4, e.case, "case")?;
        e.record = stored_text(self.record_lz4, e.record, "record")?;
        Ok(e)
    }
}

const ENTRY_COLUMNS: &str =
    "id, time, case_json, record, version, digest, engine, record_sha256, case_lz4, record_lz4";

impl Store for SqliteStore {
    fn append(&mut self, entries: &[Packed]) -> Result<(), LogError> {
        let tx = self.conn.transaction().map_err(err("begin"))?;
        {
            // The text columns stay empty: the packed ones hold the case and the record.
            let mut ins = tx
                .prepare_cached(
                    "INSERT INTO decisions (id, time, case_json, record, version, digest, engine, record_sha256, case_lz4, record_lz4)
                     VALUES (?1, ?2, '', '', ?3, ?4, ?5, ?6, ?7, ?8)",
                )
                .map_err(err("insert"))?;
            let mut out = tx
                .prepare_cached(
                    "INSERT INTO outcomes (id, decision, outcome, pos) VALUES (?1, ?2, ?3, ?4)",
                )
                .map_err(err("insert"))?;
            for e in entries {
                ins.execute(params![
                    e.id,
                    e.time,
                    e.version,
                    e.digest,
                    e.engine,
                    e.record_sha256,
                    e.case,
                    e.record
                ])
                .map_err(err("insert"))?;
                for (pos, o) in e.outcomes.iter().enumerate() {
                    out.execute(params![e.id, o.decision, o.outcome, pos as i64])
                        .map_err(err("insert"))?;
                }
            }
        }
        tx.commit().map_err(err("commit"))
    }

    fn get(&mut self, id: &str) -> Result<Option<Entry>, LogError> {
        let found = self
            .conn
            .query_row(
                &format!("SELECT {ENTRY_COLUMNS} FROM decisions WHERE id = ?1"),
                [id],
                Row::read,
            )
            .optional()
            .map_err(err("read"))?;
        match found {
            Some(row) => {
                let mut e = row.entry()?;
                e.outcomes = self.outcomes(id)?;
                Ok(Some(e))
            }
            None => Ok(None),
        }
    }

    fn list(&mut self, q: &ListQuery) -> Result<Vec<Summary>, LogError> {
        let since = q.since.as_deref().map(super::since_key);
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT d.id, d.time, d.version, d.digest FROM decisions d
                 WHERE (?1 IS NULL OR d.time >= ?1) AND (?2 IS NULL OR d.id < ?2)
                   AND ((?3 IS NULL AND ?4 IS NULL) OR EXISTS (
                        SELECT 1 FROM outcomes o WHERE o.id = d.id
                          AND (?3 IS NULL OR o.decision = ?3) AND (?4 IS NULL OR o.outcome = ?4)))
                 ORDER BY d.id DESC LIMIT ?5",
            )
            .map_err(err("list"))?;
        let rows = st
            .query_map(
                params![since, q.after, q.decision, q.outcome, q.limit],
                |r| {
                    Ok(Summary {
                        id: r.get(0)?,
                        time: r.get(1)?,
                        version: r.get(2)?,
                        digest: r.get(3)?,
                        outcomes: Vec::new(),
                    })
                },
            )
            .map_err(err("list"))?;
        let mut out = rows.collect::<Result<Vec<_>, _>>().map_err(err("list"))?;
        drop(st);
        for s in &mut out {
            s.outcomes = self.outcomes(&s.id)?;
        }
        Ok(out)
    }

    fn scan(
        &mut self,
        since: Option<&str>,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<Entry>, LogError> {
        let since = since.map(super::since_key);
        let mut st = self
            .conn
            .prepare_cached(&format!(
                "SELECT {ENTRY_COLUMNS} FROM decisions
                 WHERE (?1 IS NULL OR time >= ?1) AND (?2 IS NULL OR id > ?2)
                 ORDER BY id LIMIT ?3"
            ))
            .map_err(err("scan"))?;
        let rows = st
            .query_map(params![since, after, limit], Row::read)
            .map_err(err("scan"))?;
        let rows = rows.collect::<Result<Vec<_>, _>>().map_err(err("scan"))?;
        rows.into_iter().map(Row::entry).collect()
    }

    fn schema_versions(&mut self) -> Result<Vec<i64>, LogError> {
        let mut st = self
            .conn
            .prepare("SELECT version FROM schema_migrations ORDER BY version")
            .map_err(err("schema_migrations"))?;
        let rows = st
            .query_map([], |r| r.get(0))
            .map_err(err("schema_migrations"))?;
        rows.collect::<Result<Vec<i64>, _>>()
            .map_err(err("schema_migrations"))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn entry(id: &str, time: &str, outcome: &str) -> Entry {
        Entry {
            id: id.into(),
            time: time.into(),
            case: "{}".into(),
            record: format!("{{\"id\":\"{id}\"}}\n"),
            version: "v1".into(),
            digest: "sha256:00".into(),
            engine: "0".into(),
            record_sha256: "sha256:11".into(),
            outcomes: vec![
                Outcome {
                    decision: "d".into(),
                    outcome: outcome.into(),
                },
                Outcome {
                    decision: "e".into(),
                    outcome: "x".into(),
                },
            ],
        }
    }

    #[test]
    fn append_get_list_scan_and_migrate_once() {
        let dir = std::env::temp_dir().join(format!(
            "rulebook-log-unit-{}-{}",
            std::process::id(),
            crate::log::now_millis()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("log.sqlite");
        let path = path.to_str().unwrap();
        let mut s = SqliteStore::open(path).unwrap();
        s.append(&[
            entry("a1", "2026-01-01T00:00:00.000Z", "ok").pack(),
            entry("a2", "2026-02-01T00:00:00.000Z", "no").pack(),
            entry("a3", "2026-03-01T00:00:00.000Z", "ok").pack(),
        ])
        .unwrap();
        let got = s.get("a2").unwrap().unwrap();
        assert_eq!(got, entry("a2", "2026-02-01T00:00:00.000Z", "no"));
        assert!(s.get("zz").unwrap().is_none());
        let ids = |v: Vec<Summary>| v.into_iter().map(|s| s.id).collect::<Vec<_>>();
        let q =
            |since: Option<&str>, outcome: Option<&str>, after: Option<&str>, limit| ListQuery {
                since: since.map(String::from),
                decision: outcome.map(|_| "d".to_string()),
                outcome: outcome.map(String::from),
                after: after.map(String::from),
                limit,
            };
        assert_eq!(
            ids(s.list(&q(None, None, None, 10)).unwrap()),
            ["a3", "a2", "a1"]
        );
        assert_eq!(
            ids(s.list(&q(None, Some("ok"), None, 10)).unwrap()),
            ["a3", "a1"]
        );
        assert_eq!(
            ids(s.list(&q(Some("2026-02-01"), None, None, 10)).unwrap()),
            ["a3", "a2"]
        );
        assert_eq!(ids(s.list(&q(None, None, Some("a3"), 1)).unwrap()), ["a2"]);
        let scanned: Vec<String> = s
            .scan(Some("2026-02"), None, 10)
            .unwrap()
            .into_iter()
            .map(|e| e.id)
            .collect();
        assert_eq!(scanned, ["a2", "a3"]);
        // A duplicate id fails the whole transaction, and nothing of it is kept.
        assert!(s
            .append(&[
                entry("a4", "2026-04-01T00:00:00.000Z", "ok").pack(),
                entry("a1", "x", "ok").pack()
            ])
            .is_err());
        assert!(s.get("a4").unwrap().is_none());
        drop(s);
        // Opening again applies no migration twice.
        let mut again = SqliteStore::open(path).unwrap();
        assert_eq!(again.schema_versions().unwrap(), vec![1, 2]);
        assert_eq!(again.list(&q(None, None, None, 10)).unwrap().len(), 3);
        drop(again);
        // Passed: the folder goes (a failure keeps it, to look into).
        let _ = std::fs::remove_dir_all(&dir);
    }
}
