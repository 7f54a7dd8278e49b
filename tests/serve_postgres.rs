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
    assert_eq!(store.schema_versions().unwrap(), vec![1]);
}
