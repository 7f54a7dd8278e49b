//! A decision log written before cases and records were packed (schema 1) keeps working: the
//! service migrates it on start, serves its old rows as they were, adds packed rows beside
//! them, and `replay` reads both.
//!
//! `tests/fixtures/log-v1/decisions.sqlite` was written by the binary of main before migration 2
//! (`rulebook serve --policy tests/fixtures/library-lending --db …`, four POSTs, then SIGTERM);
//! `answers.json` holds each id with the case posted and the answer the client received.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use serde_json::Value;
use support::*;

struct Old {
    id: String,
    case: String,
    answer: String,
}

fn old_answers() -> Vec<Old> {
    let text = std::fs::read_to_string("tests/fixtures/log-v1/answers.json").unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|o| Old {
            id: o["id"].as_str().unwrap().to_string(),
            case: o["case"].as_str().unwrap().to_string(),
            answer: o["answer"].as_str().unwrap().to_string(),
        })
        .collect()
}

/// The row's storage as SQLite sees it: the bytes of case_json and record and whether the packed
/// columns are set.
fn storage(db: &str, id: &str) -> (usize, usize, bool, bool) {
    let c = rusqlite::Connection::open(db).unwrap();
    c.query_row(
        "SELECT length(CAST(case_json AS BLOB)), length(CAST(record AS BLOB)), case_lz4 IS NOT NULL, record_lz4 IS NOT NULL
         FROM decisions WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )
    .unwrap()
}

#[test]
fn a_log_written_before_packing_is_migrated_and_reads_as_before() {
    let dir = temp_dir("log-v1");
    let db = dir.join("decisions.sqlite");
    std::fs::copy("tests/fixtures/log-v1/decisions.sqlite", &db).unwrap();
    let db_s = db.to_str().unwrap().to_string();
    let old = old_answers();
    assert_eq!(old.len(), 4);
    // Before: schema 1 only, the text columns hold everything.
    assert_eq!(
        rulebook_schema_versions_raw(&db_s),
        vec![1],
        "the fixture is a schema-1 log"
    );

    let s = Server::start(&["--policy", FIXTURE, "--db", &db_s], &[]);
    for o in &old {
        let got = get(&s.url(&format!("/v1/decisions/{}", o.id)));
        assert_eq!(got.status, 200, "{}", got.body);
        let l = got.json();
        let answer: Value = serde_json::from_str(&o.answer).unwrap();
        assert_eq!(l["record"], answer, "{}", o.id);
        assert_eq!(l["id"], o.id.as_str());
        assert_eq!(l["case"], serde_json::from_str::<Value>(&o.case).unwrap());
        // Old rows keep the hash they were stored with: of the compact record.
        assert_eq!(
            l["record_sha256"],
            sha256(compact(&o.answer).as_bytes()).as_str()
        );
    }
    // New decisions go into the same log, packed; a case with spaces and a newline comes back
    // byte for byte.
    let spaced = " {\"as_of\": \"2026-03-12\",\n \"reader\": {\"id\": \"R9\", \"student\": false, \"unpaid_fines\": \"80\", \"loans\": []}}\n";
    let mut new = Vec::new();
    for case in [READER, spaced] {
        let r = post_json(&s.url("/v1/decisions?decision=borrow"), case);
        assert_eq!(r.status, 200, "{}", r.body);
        new.push((r.id.clone().unwrap(), case.to_string(), r.body.clone()));
        let l = get(&s.url(&format!("/v1/decisions/{}", r.id.as_deref().unwrap()))).json();
        assert_eq!(l["record"], r.json());
        assert_eq!(
            l["record_sha256"],
            sha256(compact(&r.body).as_bytes()).as_str()
        );
    }
    // The listing holds old and new, newest first.
    let listed = get(&s.url("/v1/decisions?limit=500")).json();
    let ids = listed_ids(&listed);
    let mut want: Vec<&str> = old
        .iter()
        .map(|o| o.id.as_str())
        .chain(new.iter().map(|(id, _, _)| id.as_str()))
        .collect();
    want.reverse();
    assert_eq!(ids, want);
    // Letters are made again from the logged case. A record whose words this engine gives
    // differently (its fallback for `fines < 50元`, since 0.1.1, names where the change lands:
    // "80元 → 49元", where 0.1.0 logged "→ 50元") is not rendered: a 409 that names both
    // engines. The others render as before.
    for o in &old {
        let text = get(&s.url(&format!("/v1/decisions/{}?format=text", o.id)));
        if o.answer.contains("80元 → 50元 (−31元)") {
            assert_eq!((text.status, text.code().as_str()), (409, "record_differs"));
            let m = text.message();
            assert!(
                m.contains("logged by rulebook 0.1.0; this is rulebook 0.1.1"),
                "{m}"
            );
        } else {
            assert_eq!(text.status, 200, "{}: {}", o.id, text.body);
        }
    }
    assert!(old.iter().any(|o| o.answer.contains("80元 → 50元 (−31元)")));
    let refused = get(&s.url("/v1/decisions?decision=borrow&outcome=refused&limit=500")).json();
    let refused = listed_ids(&refused);
    assert!(refused.contains(&old[1].id), "{refused:?}");
    assert!(refused.contains(&new[1].0), "{refused:?}");
    drop(s);

    // The store itself: schema 1 and 2, the exact bytes of both kinds of row.
    let mut store = rulebook::log::open(&db_s).unwrap();
    assert_eq!(store.schema_versions().unwrap(), vec![1, 2]);
    for o in &old {
        let e = store.get(&o.id).unwrap().unwrap();
        assert_eq!(e.record, compact(&o.answer));
        assert_eq!(e.case, o.case);
        let (case_len, record_len, case_packed, record_packed) = storage(&db_s, &o.id);
        assert_eq!((case_len, record_len), (o.case.len(), e.record.len()));
        assert!(!case_packed && !record_packed, "an old row was rewritten");
    }
    for (id, case, body) in &new {
        let e = store.get(id).unwrap().unwrap();
        assert_eq!(&e.case, case, "{id}: the case is not the bytes posted");
        assert_eq!(
            rulebook::explain::record::pretty(&e.record) + "\n",
            *body,
            "{id}: the logged record is not the one sent"
        );
        assert_eq!(e.record_sha256, sha256(e.record.as_bytes()));
        let (case_len, record_len, case_packed, record_packed) = storage(&db_s, id);
        assert_eq!((case_len, record_len), (0, 0), "{id}: stored as text too");
        assert!(case_packed && record_packed);
    }
    let scanned: Vec<String> = store
        .scan(None, None, 100)
        .unwrap()
        .into_iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(scanned.len(), 6);
    drop(store);

    // Replay reads both kinds of row: all six cases decided again.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .args(["replay", "--db", &db_s, "--to", FIXTURE, "--format", "json"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["cases"], 6, "{report}");
    assert_eq!(report["skipped"], serde_json::json!([]), "{report}");
}

/// The versions in `schema_migrations`, read without opening the log (which would migrate it).
fn rulebook_schema_versions_raw(db: &str) -> Vec<i64> {
    let c = rusqlite::Connection::open(db).unwrap();
    let mut st = c
        .prepare("SELECT version FROM schema_migrations ORDER BY version")
        .unwrap();
    let v = st
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<Vec<i64>, _>>()
        .unwrap();
    v
}
