//! The revision proof (issue 9): in a temporary copy of `policies/`, a version folder is copied to
//! a new sibling and edited as a policy officer would (tests/fixtures/revision/*.json: a new
//! version and effective date, one threshold in the rule, its quoted article and the source
//! text). Then `check`, `test` (shows the change, exit 1), `test --accept`, `test` (exit 0),
//! `diff` over the policy's corpus of past cases, and `eval` on both sides of the new effective
//! date: the old version still decides the old dates. Every expected outcome and count is in the
//! data file; nothing of the measures is written here.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn rulebook(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("RULEBOOK_POLICY")
        .output()
        .unwrap()
}

fn out(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let dest = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).unwrap();
        }
    }
}

/// Set a value at a path like `a.b[2].c` of a JSON value.
fn set(v: &mut Value, path: &str, val: Value) {
    let mut cur = v;
    for part in path.split('.') {
        let (name, idx) = match part.split_once('[') {
            Some((n, i)) => (n, Some(i.trim_end_matches(']').parse::<usize>().unwrap())),
            None => (part, None),
        };
        cur = &mut cur[name];
        if let Some(i) = idx {
            cur = &mut cur[i];
        }
    }
    *cur = val;
}

fn revision(file: &str) {
    let spec: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    let s = |k: &str| spec[k].as_str().unwrap().to_string();
    let tmp = std::env::temp_dir().join(format!(
        "rulebook-revision-{}-{}",
        std::process::id(),
        Path::new(file).file_stem().unwrap().to_string_lossy()
    ));
    let _ = std::fs::remove_dir_all(&tmp);
    copy_dir(Path::new("policies"), &tmp.join("policies"));
    let policy = tmp.join("policies").join(s("policy"));
    let (from, to) = (s("from"), s("to"));
    // The whole revision: copy the version folder, then the edits (each text found exactly once).
    copy_dir(&policy.join(&from), &policy.join(&to));
    for e in spec["edits"].as_array().unwrap() {
        let f = policy.join(&to).join(e["file"].as_str().unwrap());
        let text = std::fs::read_to_string(&f).unwrap();
        let (a, b) = (e["from"].as_str().unwrap(), e["to"].as_str().unwrap());
        assert_eq!(text.matches(a).count(), 1, "{a:?} in {}", f.display());
        std::fs::write(&f, text.replace(a, b)).unwrap();
    }

    let check = rulebook(&tmp, &["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", out(&check));
    assert!(
        out(&check).contains(&format!(" {from} (")),
        "{}",
        out(&check)
    );
    assert!(out(&check).contains(&format!(" {to} (")), "{}", out(&check));

    let test = rulebook(&tmp, &["test"]);
    assert_eq!(test.status.code(), Some(1), "{}", out(&test));
    let shown = out(&test);
    for want in spec["test_shows"].as_array().unwrap() {
        assert!(
            shown.contains(want.as_str().unwrap()),
            "{want} not in:\n{shown}"
        );
    }
    // Only the new version's expectations changed: the old version still passes as it was.
    let old = rulebook(&tmp, &["test", "--version", &from]);
    assert_eq!(old.status.code(), Some(0), "{}", out(&old));

    let accept = rulebook(&tmp, &["test", "--accept"]);
    assert_eq!(accept.status.code(), Some(0), "{}", out(&accept));
    let again = rulebook(&tmp, &["test"]);
    assert_eq!(again.status.code(), Some(0), "{}", out(&again));
    assert!(out(&again).contains("passed, 0 failed"));
    // What `cargo test` asks of every policy folder (tests/policies.rs) holds with the new version
    // in place: committing the revision keeps the suite green.
    let covered = rulebook(&tmp, &["test", "--coverage"]);
    assert_eq!(covered.status.code(), Some(0), "{}", out(&covered));

    let cases = tmp.join(s("cases"));
    let cases = cases.to_str().unwrap();
    let diff = rulebook(
        &tmp,
        &["diff", "--from", &from, "--to", &to, "--cases", cases],
    );
    assert_eq!(diff.status.code(), Some(0), "{}", out(&diff));
    let text = out(&diff);
    assert!(text.contains("validity window is set aside"), "{text}");
    for want in spec["diff_shows"].as_array().unwrap() {
        assert!(
            text.contains(want.as_str().unwrap()),
            "{want} not in:\n{text}"
        );
    }
    // The same as data, and with the new version given as a folder (a draft).
    let folder = policy.join(&to);
    let json = rulebook(
        &tmp,
        &[
            "diff",
            "--from",
            &from,
            "--to",
            folder.to_str().unwrap(),
            "--cases",
            cases,
            "--format",
            "json",
        ],
    );
    assert_eq!(json.status.code(), Some(0), "{}", out(&json));
    let report: Value = serde_json::from_slice(&json.stdout).unwrap();
    let want = &spec["diff_json"];
    let dec = report["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["decision"] == want["decision"])
        .unwrap();
    let t = dec["transitions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["from"] == want["from"] && t["to"] == want["to"])
        .unwrap();
    assert_eq!(t["count"], want["count"]);
    assert_eq!(
        t["lines"].as_array().unwrap().len() as u64,
        want["count"].as_u64().unwrap()
    );
    assert_eq!(dec["changed"], want["count"]);

    // One case on both sides of the new effective date.
    let ev = &spec["eval"];
    let mut case: Value =
        serde_json::from_str(&std::fs::read_to_string(ev["case"].as_str().unwrap()).unwrap())
            .unwrap();
    for (k, v) in ev["set"].as_object().unwrap() {
        set(&mut case, k, v.clone());
    }
    let case_path = tmp.join("case.json");
    std::fs::write(&case_path, case.to_string()).unwrap();
    let decide = |date: &str, extra: &[&str]| {
        let mut args = vec![
            "eval",
            "--facts",
            case_path.to_str().unwrap(),
            "--decision",
            ev["decision"].as_str().unwrap(),
            "--as-of",
            date,
        ];
        args.extend_from_slice(extra);
        let o = rulebook(&tmp, &args);
        assert_eq!(o.status.code(), Some(0), "{}", out(&o));
        let r: Value = serde_json::from_slice(&o.stdout).unwrap();
        (
            r["policy"]["version"].as_str().unwrap().to_string(),
            r["decisions"][0]["outcome"].as_str().unwrap().to_string(),
        )
    };
    let (v, o) = decide(ev["old_date"].as_str().unwrap(), &[]);
    assert_eq!(
        (v.as_str(), o.as_str()),
        (from.as_str(), ev["old_outcome"].as_str().unwrap())
    );
    let (v, o) = decide(ev["new_date"].as_str().unwrap(), &[]);
    assert_eq!(
        (v.as_str(), o.as_str()),
        (to.as_str(), ev["new_outcome"].as_str().unwrap())
    );
    // Pinned, the old version decides the new date by its rules, but it is no longer in force
    // then: its window ends the day before the new version takes effect.
    let (v, o) = decide(ev["new_date"].as_str().unwrap(), &["--version", &from]);
    assert_eq!(v, from);
    assert_ne!(o, ev["new_outcome"].as_str().unwrap());
    let unknown = rulebook(
        &tmp,
        &[
            "eval",
            "--facts",
            case_path.to_str().unwrap(),
            "--version",
            "1999-01-01",
        ],
    );
    assert_eq!(unknown.status.code(), Some(2), "{}", out(&unknown));
    assert!(out(&unknown).contains(&from), "{}", out(&unknown));

    std::fs::remove_dir_all(&tmp).ok();
}

#[test]
fn a_revision_is_a_copied_version_folder_and_the_old_version_still_decides_old_dates() {
    let mut n = 0;
    for e in std::fs::read_dir("tests/fixtures/revision").unwrap() {
        let p: PathBuf = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "json") {
            revision(p.to_str().unwrap());
            n += 1;
        }
    }
    assert!(n > 0);
}
