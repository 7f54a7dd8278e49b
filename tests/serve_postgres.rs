//! The decision log in PostgreSQL: the same service and log against a real server. `.ci/run`
//! installs PostgreSQL, starts it on loopback and sets RULEBOOK_TEST_PG to a database URL;
//! without it these tests say so and do nothing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::*;

fn pg_url() -> Option<String> {
    match std::env::var("RULEBOOK_TEST_PG") {
        Ok(u) if !u.is_empty() => Some(u),
        _ => {
            eprintln!(
                "skipped: RULEBOOK_TEST_PG is not set (.ci/run sets it to a PostgreSQL database)"
            );
            None
        }
    }
}

#[test]
fn two_replicas_share_one_postgres_log_and_survive_kill_9() {
    let Some(url) = pg_url() else { return };
    let a = Server::start(&["--policy", FIXTURE, "--db", &url], &[]);
    let mut b = Server::start(&["--policy", FIXTURE, "--db", &url], &[]);
    // A decision made by one replica is read back through the other.
    let r = post_json(&a.url("/v1/decisions?decision=borrow"), OWES);
    assert_eq!(r.status, 200, "{}", r.body);
    let id = r.id.clone().unwrap();
    let l = get(&b.url(&format!("/v1/decisions/{id}"))).json();
    assert_eq!(l["record"], r.json());
    assert_eq!(
        l["record_sha256"],
        sha256(compact(&r.body).as_bytes()).as_str()
    );
    let refused = get(&b.url("/v1/decisions?decision=borrow&outcome=refused&limit=500")).json();
    assert!(refused["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["id"] == id.as_str()));

    // Eight clients on replica b, which is killed midway: every 200 is in the shared log.
    let answered: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let burl = b.url("/v1/decisions");
    let clients: Vec<_> = (0..8)
        .map(|_| {
            let (u, answered, stop) = (burl.clone(), answered.clone(), stop.clone());
            std::thread::spawn(move || {
                let agent = agent();
                while !stop.load(Ordering::Relaxed) {
                    let Ok(mut r) = agent
                        .post(&u)
                        .header("Content-Type", "application/json")
                        .send(READER)
                    else {
                        break;
                    };
                    let id = r
                        .headers()
                        .get("x-decision-id")
                        .map(|v| v.to_str().unwrap().to_string());
                    let ok = r.status().as_u16() == 200;
                    let Ok(body) = r.body_mut().read_to_string() else {
                        break;
                    };
                    if ok {
                        answered.lock().unwrap().push((id.unwrap(), body));
                    }
                }
            })
        })
        .collect();
    assert!(eventually(Duration::from_secs(30), || answered
        .lock()
        .unwrap()
        .len()
        >= 100));
    b.child.kill().unwrap();
    b.child.wait().unwrap();
    stop.store(true, Ordering::Relaxed);
    for c in clients {
        c.join().unwrap();
    }
    let mut store = rulebook::log::open(&url).unwrap();
    for (id, body) in answered.lock().unwrap().iter() {
        let e = store
            .get(id)
            .unwrap()
            .unwrap_or_else(|| panic!("{id} is not in the log"));
        assert_eq!(rulebook::explain::record::pretty(&e.record) + "\n", *body);
    }
    assert_eq!(store.schema_versions().unwrap(), vec![1, 2]);
    // Stored packed: the text columns are empty, the packed ones hold the bytes.
    let mut pg = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let (id, body) = answered.lock().unwrap()[0].clone();
    let row = pg
        .query_one(
            "SELECT octet_length(case_json), octet_length(record), octet_length(record_lz4)
             FROM decisions WHERE id = $1",
            &[&id],
        )
        .unwrap();
    let (case_len, record_len, packed_len): (i32, i32, i32) = (row.get(0), row.get(1), row.get(2));
    assert_eq!((case_len, record_len), (0, 0));
    assert!(packed_len > 0 && (packed_len as usize) < compact(&body).len());
}

/// A PostgreSQL log written before packing (schema 1: the tables of migration 1 and rows with
/// the case and record as text, as main's binary wrote them) is migrated by the service, whose
/// old rows read as before and new rows are packed beside them. It lives in a schema of its
/// own (`search_path` in the URL), so the test above and this one do not share tables.
#[test]
fn a_postgres_log_written_before_packing_is_migrated() {
    let Some(url) = pg_url() else { return };
    let schema = format!("log_v1_{}", std::process::id());
    let mut pg = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    pg.batch_execute(&format!(
        "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}; SET search_path TO {schema};
         CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL);
         CREATE TABLE decisions (
            id TEXT PRIMARY KEY, time TEXT NOT NULL, case_json TEXT NOT NULL, record TEXT NOT NULL,
            version TEXT NOT NULL, digest TEXT NOT NULL, engine TEXT NOT NULL,
            record_sha256 TEXT NOT NULL);
         CREATE INDEX decisions_time ON decisions (time);
         CREATE TABLE outcomes (
            id TEXT NOT NULL REFERENCES decisions (id), decision TEXT NOT NULL,
            outcome TEXT NOT NULL, pos INTEGER NOT NULL, PRIMARY KEY (id, decision));
         CREATE INDEX outcomes_by_outcome ON outcomes (decision, outcome, id);
         INSERT INTO schema_migrations VALUES (1, '2026-11-28T00:00:00.000Z');"
    ))
    .unwrap();
    // The rows main's binary wrote into the SQLite fixture of schema 1, copied as they are.
    // A copy: opening a WAL file, even to read, leaves -wal and -shm files beside it.
    let tmp = temp_dir("pg-log-v1");
    let copy = tmp.join("decisions.sqlite");
    std::fs::copy("tests/fixtures/log-v1/decisions.sqlite", &copy).unwrap();
    let fixture = rusqlite::Connection::open(&copy).unwrap();
    let mut st = fixture
        .prepare("SELECT id, time, case_json, record, version, digest, engine, record_sha256 FROM decisions ORDER BY id")
        .unwrap();
    let rows: Vec<[String; 8]> = st
        .query_map([], |r| {
            Ok([
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
            ])
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rows.len(), 4);
    for r in &rows {
        pg.execute(
            "INSERT INTO decisions VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            &[&r[0], &r[1], &r[2], &r[3], &r[4], &r[5], &r[6], &r[7]],
        )
        .unwrap();
    }
    let mut outs = fixture
        .prepare("SELECT id, decision, outcome, pos FROM outcomes")
        .unwrap();
    let outcomes: Vec<(String, String, String, i32)> = outs
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for (id, d, o, pos) in &outcomes {
        pg.execute(
            "INSERT INTO outcomes VALUES ($1, $2, $3, $4)",
            &[id, d, o, pos],
        )
        .unwrap();
    }

    let sep = if url.contains('?') { '&' } else { '?' };
    let scoped = format!("{url}{sep}options=-c%20search_path%3D{schema}");
    let s = Server::start(&["--policy", FIXTURE, "--db", &scoped], &[]);
    for r in &rows {
        let l = get(&s.url(&format!("/v1/decisions/{}", r[0]))).json();
        assert_eq!(
            l["record"],
            serde_json::from_str::<serde_json::Value>(&r[3]).unwrap()
        );
        assert_eq!(
            l["case"],
            serde_json::from_str::<serde_json::Value>(&r[2]).unwrap()
        );
        assert_eq!(l["record_sha256"], r[7].as_str());
    }
    let fresh = post_json(&s.url("/v1/decisions?decision=borrow"), OWES);
    assert_eq!(fresh.status, 200, "{}", fresh.body);
    let listed = get(&s.url("/v1/decisions?limit=500")).json();
    assert_eq!(listed["decisions"].as_array().unwrap().len(), 5);
    drop(s);

    let mut store = rulebook::log::open(&scoped).unwrap();
    assert_eq!(store.schema_versions().unwrap(), vec![1, 2]);
    for r in &rows {
        let e = store.get(&r[0]).unwrap().unwrap();
        assert_eq!(
            (e.case.as_str(), e.record.as_str()),
            (r[2].as_str(), r[3].as_str())
        );
    }
    let id = fresh.id.clone().unwrap();
    let e = store.get(&id).unwrap().unwrap();
    assert_eq!(e.case, OWES);
    assert_eq!(
        rulebook::explain::record::pretty(&e.record) + "\n",
        fresh.body
    );
    let packed: Option<Vec<u8>> = pg
        .query_one("SELECT record_lz4 FROM decisions WHERE id = $1", &[&id])
        .unwrap()
        .get(0);
    assert!(packed.is_some());
    let old_packed: Option<Vec<u8>> = pg
        .query_one(
            "SELECT record_lz4 FROM decisions WHERE id = $1",
            &[&rows[0][0]],
        )
        .unwrap()
        .get(0);
    assert!(old_packed.is_none(), "an old row was rewritten");
    pg.batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))
        .unwrap();
}
