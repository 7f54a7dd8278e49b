//! Reload: the service watches its policy folder. An edit swaps the new rules in (the digest
//! changes); a broken file keeps the last good policy serving and reports the error; a fix
//! recovers. SIGHUP reloads too.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::time::Duration;
use support::*;

fn policies(s: &Server) -> serde_json::Value {
    get(&s.url("/v1/policies")).json()
}

fn digest(s: &Server) -> String {
    policies(s)["versions"][0]["digest"]
        .as_str()
        .unwrap_or("")
        .to_string()
}

fn borrow(s: &Server, case: &str) -> (u16, String) {
    let r = post_json(&s.url("/v1/decisions?decision=borrow"), case);
    if r.status != 200 {
        return (r.status, r.body);
    }
    let rec = r.json();
    (
        200,
        rec["decisions"][0]["outcome"].as_str().unwrap().to_string(),
    )
}

/// A reader with `n` books on loan (the fixture allows fewer than 5).
fn reader_with(n: usize) -> String {
    let loans: Vec<String> = (0..n)
        .map(|i| format!(r#"{{"book":"B{i}","due_on":"2026-04-01"}}"#))
        .collect();
    format!(
        r#"{{"as_of":"2026-03-10","reader":{{"id":"R","student":false,"unpaid_fines":"0","loans":[{}]}}}}"#,
        loans.join(",")
    )
}

#[test]
fn edits_swap_in_broken_files_keep_the_last_good_policy_fixes_recover() {
    let dir = temp_dir("reload");
    let policy = dir.join("policy");
    copy_policy(FIXTURE, &policy);
    let rules = policy.join("lending.rules");
    let original = std::fs::read_to_string(&rules).unwrap();
    let db = dir.join("log.sqlite");
    let s = Server::start(
        &[
            "--policy",
            policy.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
        ],
        &[],
    );
    let d1 = digest(&s);
    assert_eq!(borrow(&s, &reader_with(5)).1, "refused");

    // Edit a rule: six books are now allowed.
    std::fs::write(&rules, original.replace("let limit = 5 ", "let limit = 6 ")).unwrap();
    assert!(
        eventually(Duration::from_secs(15), || digest(&s) != d1),
        "the digest did not change: {}",
        policies(&s)
    );
    let d2 = digest(&s);
    assert_eq!(borrow(&s, &reader_with(5)).1, "allowed");
    let logged = get(&s.url("/v1/decisions?limit=1")).json();
    assert_eq!(logged["decisions"][0]["digest"], d2.as_str());

    // Break it: the last good policy keeps serving and the error is reported.
    std::fs::write(
        &rules,
        original.replace("must on_loan < limit", "must on_loan <"),
    )
    .unwrap();
    assert!(
        eventually(Duration::from_secs(15), || policies(&s)["last_reload"]
            ["ok"]
            == false),
        "the failed reload was not reported: {}",
        policies(&s)
    );
    let p = policies(&s);
    let errors = p["last_reload"]["errors"].as_array().unwrap();
    assert!(!errors.is_empty());
    assert!(
        errors
            .iter()
            .any(|e| e.as_str().unwrap().contains("lending.rules")),
        "{errors:?}"
    );
    assert_eq!(digest(&s), d2);
    assert_eq!(borrow(&s, &reader_with(5)), (200, "allowed".to_string()));
    assert!(s.stderr_text().contains("policy reload failed"));
    let metrics = get(&s.url("/metrics")).body;
    assert!(!metrics.contains("rulebook_reloads_total{result=\"failed\"} 0"));

    // Fix it: back to the original rules, and the original digest.
    std::fs::write(&rules, &original).unwrap();
    assert!(
        eventually(Duration::from_secs(15), || policies(&s)["last_reload"]
            ["ok"]
            == true
            && digest(&s) == d1),
        "did not recover: {}",
        policies(&s)
    );
    assert_eq!(borrow(&s, &reader_with(5)).1, "refused");

    // SIGHUP reloads on demand.
    let before = policies(&s)["last_reload"]["count"].as_u64().unwrap();
    s.signal("HUP");
    assert!(eventually(Duration::from_secs(15), || {
        let r = &policies(&s)["last_reload"];
        r["count"].as_u64().unwrap() > before && r["trigger"] == "sighup"
    }));
}

#[test]
fn a_service_started_on_a_broken_folder_answers_503_until_fixed() {
    let dir = temp_dir("reload-broken");
    let policy = dir.join("policy");
    copy_policy(FIXTURE, &policy);
    let rules = policy.join("lending.rules");
    let original = std::fs::read_to_string(&rules).unwrap();
    std::fs::write(&rules, original.replace("decision borrow", "decision")).unwrap();
    let s = Server::start(&["--policy", policy.to_str().unwrap(), "--no-log"], &[]);
    let r = post_json(&s.url("/v1/decisions"), READER);
    assert_eq!((r.status, r.code().as_str()), (503, "no_policy"));
    assert_eq!(get(&s.url("/healthz")).json()["policy_loaded"], false);
    std::fs::write(&rules, &original).unwrap();
    assert!(eventually(Duration::from_secs(15), || {
        post_json(&s.url("/v1/decisions"), READER).status == 200
    }));
}
