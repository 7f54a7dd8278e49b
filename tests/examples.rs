//! The example case files give the outcomes of examples/README.md and exactly their expected records.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

fn record(name: &str) -> (Vec<u8>, serde_json::Value) {
    let o = Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .args(["eval", "--facts", &format!("examples/{name}.json")])
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v = serde_json::from_slice(&o.stdout).unwrap();
    (o.stdout, v)
}

fn outcomes(v: &serde_json::Value) -> Vec<String> {
    v["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["outcome"].as_str().unwrap().to_string())
        .collect()
}

fn cites(v: &serde_json::Value, decision: usize, status: &str) -> Vec<String> {
    let mut c: Vec<String> = v["decisions"][decision]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == status)
        .map(|f| f["cite"].as_str().unwrap().to_string())
        .collect();
    c.dedup();
    c
}

#[test]
fn outcomes_of_every_example() {
    let table = [
        (
            "eligible-filing",
            [
                "eligible",
                "undetermined",
                "undetermined",
                "undetermined",
                "undetermined",
            ],
        ),
        (
            "ineligible-filing",
            [
                "ineligible",
                "undetermined",
                "undetermined",
                "undetermined",
                "undetermined",
            ],
        ),
        (
            "support",
            ["eligible", "entitled", "compliant", "retain", "none"],
        ),
        (
            "evaluation-revoke",
            [
                "undetermined",
                "undetermined",
                "undetermined",
                "revoke",
                "undetermined",
            ],
        ),
        (
            "medical-lead",
            [
                "eligible",
                "undetermined",
                "undetermined",
                "undetermined",
                "undetermined",
            ],
        ),
        (
            "young-enterprise",
            [
                "eligible",
                "undetermined",
                "undetermined",
                "undetermined",
                "undetermined",
            ],
        ),
        (
            "sanction",
            [
                "undetermined",
                "entitled",
                "non_compliant",
                "retain",
                "sanction",
            ],
        ),
    ];
    for (name, want) in table {
        let (_, v) = record(name);
        assert_eq!(outcomes(&v), want, "{name}");
    }
}

#[test]
fn the_shared_examples_cite_what_expected_md_lists() {
    let (_, v) = record("ineligible-filing");
    assert_eq!(cites(&v, 0, "violated"), ["6(1)", "6(2)3"]);
    assert!(cites(&v, 0, "review").is_empty());
    let (_, v) = record("evaluation-revoke");
    assert_eq!(cites(&v, 3, "violated"), ["16"]);
    assert_eq!(
        v["decisions"][3]["effects"],
        serde_json::json!([{"kind": "revoke", "cite": "16", "subject": null}])
    );
    assert!(v["decisions"][3]["dates"].as_object().unwrap().is_empty());
    let (_, v) = record("sanction");
    assert_eq!(
        v["decisions"][4]["effects"],
        serde_json::json!([
            {"kind": "revoke", "cite": "17", "subject": null},
            {"kind": "ban", "cite": "17", "subject": "91350200MA8RXK2J4Q", "roles": ["core", "lead"], "last_day": "2030-06-01"}
        ])
    );
}

#[test]
fn every_record_is_exactly_the_expected_one() {
    for e in std::fs::read_dir("examples").unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_none_or(|x| x != "json") {
            continue;
        }
        let name = p.file_stem().unwrap().to_str().unwrap().to_string();
        let (bytes, _) = record(&name);
        let path = format!(
            "policies/xiamen-innovation-consortium/2025-08-10/expected/examples/{name}.record.json"
        );
        if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
            std::fs::write(&path, &bytes).unwrap();
            continue;
        }
        let want = std::fs::read(&path).unwrap_or_else(|_| panic!("{path} is missing"));
        assert!(
            bytes == want,
            "examples/{name}.json no longer gives {path} (the digest changes with every edit of the rules); review the difference, then rerun with UPDATE_SNAPSHOTS=1"
        );
    }
}
