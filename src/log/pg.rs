//! The decision log in PostgreSQL, for replicas that share one log. The same tables and
//! migrations as SQLite; the `postgres` crate (the blocking client over tokio-postgres), used
//! only from the log's own threads.

use super::packed::{stored_text, Packed};
use super::{migrations, Entry, ListQuery, LogError, Outcome, Store, Summary};
use postgres::{Client, NoTls};

pub struct PgStore {
    client: Client,
}

fn err(context: &str) -> impl Fn(postgres::Error) -> LogError + '_ {
    move |e| LogError(format!("{context}: {e}"))
}

impl PgStore {
    pub fn open(url: &str) -> Result<PgStore, LogError> {
        // The error names the server, never the password in the URL.
        let client = Client::connect(url, NoTls)
            .map_err(|e| LogError(format!("cannot connect to PostgreSQL: {e}")))?;
        let mut store = PgStore { client };
        store.migrate()?;
        Ok(store)
    }

    fn migrate(&mut self) -> Result<(), LogError> {
        self.client
            .batch_execute(migrations::CREATE_TABLE)
            .map_err(err("cannot create schema_migrations"))?;
        for (version, sql) in migrations::POSTGRES {
            let mut tx = self.client.transaction().map_err(err("migration"))?;
            // Replicas starting together: one migrates, the others wait and then see it done.
            tx.batch_execute("LOCK TABLE schema_migrations IN EXCLUSIVE MODE")
                .map_err(err("migration lock"))?;
            let done = tx
                .query_opt(
                    "SELECT 1 FROM schema_migrations WHERE version = $1",
                    &[version],
                )
                .map_err(err("migration"))?
                .is_some();
            if !done {
                tx.batch_execute(sql)
                    .map_err(|e| LogError(format!("migration {version}: {e}")))?;
                tx.execute(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)",
                    &[version, &super::threads::now_text()],
                )
                .map_err(err("recording a migration"))?;
            }
            tx.commit().map_err(err("migration commit"))?;
        }
        Ok(())
    }

    fn outcomes(&mut self, id: &str) -> Result<Vec<Outcome>, LogError> {
        let rows = self
            .client
            .query(
                "SELECT decision, outcome FROM outcomes WHERE id = $1 ORDER BY pos",
                &[&id],
            )
            .map_err(err("outcomes"))?;
        Ok(rows
            .iter()
            .map(|r| Outcome {
                decision: r.get(0),
                outcome: r.get(1),
            })
            .collect())
    }
}

/// An entry from a row: the packed case and record (rows since migration 2) unpacked, or the
/// text columns of older rows. `try_get`, not `get`: a column of an unexpected type is an
/// error, not a panic.
fn entry(r: &postgres::Row) -> Result<Entry, LogError> {
    fn col<'a, T: postgres::types::FromSql<'a>>(
        r: &'a postgres::Row,
        i: usize,
    ) -> Result<T, LogError> {
        r.try_get(i).map_err(err("read"))
    }
    Ok(Entry {
        id: col(r, 0)?,
        time: col(r, 1)?,
        case: stored_text(col(r, 8)?, col(r, 2)?, "case")?,
        record: stored_text(col(r, 9)?, col(r, 3)?, "record")?,
        version: col(r, 4)?,
        digest: col(r, 5)?,
        engine: col(r, 6)?,
        record_sha256: col(r, 7)?,
        outcomes: Vec::new(),
    })
}

const ENTRY_COLUMNS: &str =
    "id, time, case_json, record, version, digest, engine, record_sha256, case_lz4, record_lz4";

impl Store for PgStore {
    fn append(&mut self, entries: &[Packed]) -> Result<(), LogError> {
        let mut tx = self.client.transaction().map_err(err("begin"))?;
        // The text columns stay empty: the packed ones hold the case and the record.
        let ins = tx
            .prepare(
                "INSERT INTO decisions (id, time, case_json, record, version, digest, engine, record_sha256, case_lz4, record_lz4)
                 VALUES ($1, $2, '', '', $3, $4, $5, $6, $7, $8)",
            )
            .map_err(err("insert"))?;
        let out = tx
            .prepare("INSERT INTO outcomes (id, decision, outcome, pos) VALUES ($1, $2, $3, $4)")
            .map_err(err("insert"))?;
        for e in entries {
            tx.execute(
                &ins,
                &[
                    &e.id,
                    &e.time,
                    &e.version,
                    &e.digest,
                    &e.engine,
                    &e.record_sha256,
                    &e.case,
                    &e.record,
                ],
            )
            .map_err(err("insert"))?;
            for (pos, o) in e.outcomes.iter().enumerate() {
                let pos = pos as i32;
                tx.execute(&out, &[&e.id, &o.decision, &o.outcome, &pos])
                    .map_err(err("insert"))?;
            }
        }
        tx.commit().map_err(err("commit"))
    }

    fn get(&mut self, id: &str) -> Result<Option<Entry>, LogError> {
        let row = self
            .client
            .query_opt(
                &format!("SELECT {ENTRY_COLUMNS} FROM decisions WHERE id = $1"),
                &[&id],
            )
            .map_err(err("read"))?;
        match row {
            Some(r) => {
                let mut e = entry(&r)?;
                e.outcomes = self.outcomes(id)?;
                Ok(Some(e))
            }
            None => Ok(None),
        }
    }

    fn list(&mut self, q: &ListQuery) -> Result<Vec<Summary>, LogError> {
        let since = q.since.as_deref().map(super::since_key);
        let limit = i64::from(q.limit);
        let rows = self
            .client
            .query(
                "SELECT d.id, d.time, d.version, d.digest FROM decisions d
                 WHERE ($1::text IS NULL OR d.time >= $1) AND ($2::text IS NULL OR d.id < $2)
                   AND (($3::text IS NULL AND $4::text IS NULL) OR EXISTS (
                        SELECT 1 FROM outcomes o WHERE o.id = d.id
                          AND ($3::text IS NULL OR o.decision = $3)
                          AND ($4::text IS NULL OR o.outcome = $4)))
                 ORDER BY d.id DESC LIMIT $5",
                &[&since, &q.after, &q.decision, &q.outcome, &limit],
            )
            .map_err(err("list"))?;
        let mut out: Vec<Summary> = rows
            .iter()
            .map(|r| Summary {
                id: r.get(0),
                time: r.get(1),
                version: r.get(2),
                digest: r.get(3),
                outcomes: Vec::new(),
            })
            .collect();
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
        let limit = i64::from(limit);
        let rows = self
            .client
            .query(
                &format!(
                    "SELECT {ENTRY_COLUMNS} FROM decisions
                     WHERE ($1::text IS NULL OR time >= $1) AND ($2::text IS NULL OR id > $2)
                     ORDER BY id LIMIT $3"
                ),
                &[&since, &after, &limit],
            )
            .map_err(err("scan"))?;
        rows.iter().map(entry).collect()
    }

    fn schema_versions(&mut self) -> Result<Vec<i64>, LogError> {
        let rows = self
            .client
            .query(
                "SELECT version FROM schema_migrations ORDER BY version",
                &[],
            )
            .map_err(err("schema_migrations"))?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }
}
