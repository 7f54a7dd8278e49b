//! Durability: eight clients post decisions while the service is killed with SIGKILL. Every id
//! that got a 200 must be in the log afterwards with the exact bytes that were sent.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::*;

#[test]
fn every_answered_decision_survives_kill_9() {
    let dir = temp_dir("durability");
    let db = dir.join("log.sqlite");
    let db_s = db.to_str().unwrap().to_string();
    let mut s = Server::start(&["--policy", FIXTURE, "--db", &db_s], &[]);
    let url = s.url("/v1/decisions");
    let answered: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..8)
        .map(|c| {
            let (url, answered, stop) = (url.clone(), answered.clone(), stop.clone());
            std::thread::spawn(move || {
                let agent = agent();
                let mut i = 0;
                while !stop.load(Ordering::Relaxed) {
                    i += 1;
                    let case = if (c + i) % 2 == 0 { READER } else { OWES };
                    let r = agent
                        .post(&url)
                        .header("Content-Type", "application/json")
                        .send(case);
                    let Ok(mut r) = r else { break };
                    let id = r
                        .headers()
                        .get("x-decision-id")
                        .map(|v| v.to_str().unwrap().to_string());
                    let status = r.status().as_u16();
                    let Ok(body) = r.body_mut().read_to_string() else {
                        break;
                    };
                    if status == 200 {
                        answered.lock().unwrap().push((id.unwrap(), body));
                    }
                }
            })
        })
        .collect();
    // Let the clients get going, then kill the service mid-stream.
    assert!(eventually(Duration::from_secs(30), || answered
        .lock()
        .unwrap()
        .len()
        >= 200));
    s.child.kill().unwrap(); // SIGKILL
    s.child.wait().unwrap();
    stop.store(true, Ordering::Relaxed);
    for c in clients {
        c.join().unwrap();
    }
    let answered = answered.lock().unwrap().clone();
    assert!(answered.len() >= 200);

    // Read the log directly…
    let mut store = rulebook::log::open(&db_s).unwrap();
    for (id, body) in &answered {
        let e = store
            .get(id)
            .unwrap()
            .unwrap_or_else(|| panic!("{id} got a 200 but is not in the log"));
        // The log keeps the compact record; the answer is that record indented, byte for byte.
        let sent = rulebook::explain::record::pretty(&e.record) + "\n";
        assert_eq!(&sent, body, "{id}: the logged bytes differ from those sent");
        assert!(
            !e.record.contains('\n'),
            "{id}: the logged record is not compact"
        );
        assert_eq!(e.record_sha256, sha256(e.record.as_bytes()));
    }
    drop(store);
    // …and through a restarted service.
    let s2 = Server::start(&["--policy", FIXTURE, "--db", &db_s], &[]);
    for (id, body) in answered.iter().step_by(25) {
        let l = get(&s2.url(&format!("/v1/decisions/{id}"))).json();
        assert_eq!(
            l["record"],
            serde_json::from_str::<serde_json::Value>(body).unwrap()
        );
    }
}
