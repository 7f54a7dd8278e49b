//! Every version of every policy under `policies/` passes its own tests, which are data in its
//! version folder (scenarios, expected records and letters): `rulebook test`, run as a user runs it.
//! No expectation of any policy is written here.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

fn rulebook(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("RULEBOOK_POLICY")
        .output()
        .unwrap()
}

#[test]
fn every_version_of_every_policy_passes_its_own_tests_and_covers_its_rules() {
    let mut policies = 0;
    for e in std::fs::read_dir("policies").unwrap() {
        let dir = e.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        policies += 1;
        let check = rulebook(&["check", "--policy", dir.to_str().unwrap()]);
        assert_eq!(
            check.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&check.stderr)
        );
        let o = rulebook(&["test", "--coverage", "--policy", dir.to_str().unwrap()]);
        let out = String::from_utf8_lossy(&o.stdout);
        assert_eq!(
            o.status.code(),
            Some(0),
            "`rulebook test --coverage --policy {}` failed; review the differences, then `rulebook test --accept`:\n{out}{}",
            dir.display(),
            String::from_utf8_lossy(&o.stderr)
        );
        let last = out.lines().last().unwrap();
        assert!(last.ends_with("passed, 0 failed"), "{last}");
        assert!(!last.starts_with("0 passed"), "{last}");
    }
    assert!(policies > 0, "no policy folders under policies/");
}
