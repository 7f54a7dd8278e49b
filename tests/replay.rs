//! `rulebook replay`: logged traffic decided again under other rules, reported as outcome
//! transitions with counts and ids, and the rules whose findings changed.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use support::*;

fn loans(n: usize) -> String {
    let l: Vec<String> = (0..n)
        .map(|i| format!(r#"{{"book":"B{i}","due_on":"2026-04-01"}}"#))
        .collect();
    format!(
        r#"{{"as_of":"2026-03-10","reader":{{"id":"R","student":false,"unpaid_fines":"0","loans":[{}]}}}}"#,
        l.join(",")
    )
}

fn replay(args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .arg("replay")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn replay_reports_what_a_revision_would_change_in_logged_traffic() {
    let dir = temp_dir("replay");
    let db = dir.join("log.sqlite");
    let db_s = db.to_str().unwrap();
    let s = Server::start(&["--policy", FIXTURE, "--db", db_s], &[]);
    let mut five = Vec::new();
    for n in [1, 5, 5, 2, 7] {
        let r = post_json(&s.url("/v1/decisions?decision=borrow"), &loans(n));
        assert_eq!(r.status, 200);
        if n == 5 {
            five.push(r.id.unwrap());
        }
    }
    drop(s);

    // A draft that allows six books at a time.
    let draft = dir.join("draft");
    copy_policy(FIXTURE, &draft);
    let rules = draft.join("lending.rules");
    let text = std::fs::read_to_string(&rules).unwrap();
    std::fs::write(&rules, text.replace("let limit = 5 ", "let limit = 6 ")).unwrap();

    let (code, out, err) = replay(&[
        "--db",
        db_s,
        "--to",
        draft.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let r: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(r["cases"], 5);
    let transitions = r["decisions"]["borrow"]["transitions"].as_array().unwrap();
    let find = |from: &str, to: &str| {
        transitions
            .iter()
            .find(|t| t["from"] == from && t["to"] == to)
            .cloned()
    };
    let flipped = find("refused", "allowed").expect("refused -> allowed");
    assert_eq!(flipped["count"], 2);
    let mut ids: Vec<String> = flipped["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i.as_str().unwrap().to_string())
        .collect();
    ids.sort();
    five.sort();
    assert_eq!(ids, five);
    assert_eq!(find("allowed", "allowed").unwrap()["count"], 2);
    assert_eq!(find("refused", "refused").unwrap()["count"], 1);
    let changed = &r["decisions"]["borrow"]["findings_changed"];
    assert_eq!(changed[0]["rule"], "loan-limit");
    assert_eq!(changed[0]["cases"], 2);

    let (code, text, _) = replay(&["--db", db_s, "--to", draft.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(text.contains("refused -> allowed: 2"), "{text}");

    // The same version changes nothing; an unknown one is refused.
    let (code, out, _) = replay(&[
        "--db",
        db_s,
        "--policy",
        FIXTURE,
        "--to",
        "2026-01-01",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let same: serde_json::Value = serde_json::from_str(&out).unwrap();
    for t in same["decisions"]["borrow"]["transitions"]
        .as_array()
        .unwrap()
    {
        assert_eq!(t["from"], t["to"]);
    }
    let (code, _, err) = replay(&["--db", db_s, "--policy", FIXTURE, "--to", "1999-01-01"]);
    assert_eq!(code, 2);
    assert!(err.contains("1999-01-01"), "{err}");
    // Nothing logged since a future date.
    let (code, out, _) = replay(&[
        "--db",
        db_s,
        "--to",
        draft.to_str().unwrap(),
        "--since",
        "2999-01-01",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&out).unwrap()["cases"],
        0
    );
}
