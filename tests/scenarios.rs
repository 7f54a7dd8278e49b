//! The policy's scenario files (tests/scenarios/<decision>/*.json), run as part of `cargo test`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rulebook::{scenario, Policy};
use std::collections::BTreeMap;
use std::path::PathBuf;

#[test]
fn every_scenario_passes_and_every_rule_is_seen_both_ways() {
    let policy = Policy::load("policies").expect("the policy loads");
    let files = scenario::collect(&[PathBuf::from(
        "policies/xiamen-innovation-consortium/2025-08-10/scenarios",
    )]);
    assert!(
        files.len() >= 120,
        "at least 120 scenarios, found {}",
        files.len()
    );
    let mut tally = BTreeMap::new();
    let mut failures = Vec::new();
    for f in &files {
        let o = scenario::run(&policy, f, &mut tally);
        if !o.failures.is_empty() {
            failures.push(format!("{}: {}", o.path.display(), o.failures.join("; ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} scenarios failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let gaps = scenario::uncovered(&policy, &tally);
    assert!(
        gaps.is_empty(),
        "rules not seen both satisfied and not satisfied: {gaps:?}"
    );
}

#[test]
fn every_decision_has_scenarios() {
    let policy = Policy::load("policies").expect("the policy loads");
    for d in policy.decision_names() {
        let n = scenario::collect(&[PathBuf::from(
            "policies/xiamen-innovation-consortium/2025-08-10/scenarios",
        )
        .join(d)])
        .len();
        assert!(n >= 10, "decision `{d}` has only {n} scenarios");
    }
}

#[test]
fn a_wrong_expectation_is_reported_as_a_failure() {
    // The harness itself must be able to fail.
    let dir = std::env::temp_dir().join(format!("rulebook-scenario-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let base = std::fs::canonicalize("examples/eligible-filing.json").unwrap();
    let s = serde_json::json!({"base": base, "decision": "filing", "expect": {"outcome": "ineligible", "violated": ["6(1)"]}});
    let path = dir.join("wrong.json");
    std::fs::write(&path, s.to_string()).unwrap();
    let policy = Policy::load("policies").unwrap();
    let o = scenario::run(&policy, &path, &mut BTreeMap::new());
    assert_eq!(o.failures.len(), 2, "{:?}", o.failures);
    assert!(o.failures[0].starts_with("outcome: expected `ineligible`, got \"eligible\""));
    std::fs::remove_dir_all(&dir).ok();
}
