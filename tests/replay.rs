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
    replay_in(args, None, &[])
}

/// `rulebook replay ARGS` run in `cwd` (else here), with environment variables set (`Some`) or
/// removed (`None`): exit code, stdout, stderr.
fn replay_in(
    args: &[&str],
    cwd: Option<&std::path::Path>,
    env: &[(&str, Option<&str>)],
) -> (i32, String, String) {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_rulebook"));
    cmd.arg("replay").args(args);
    if let Some(dir) = cwd {
        cmd.current_dir(dir);
    }
    for (k, v) in env {
        match v {
            Some(v) => cmd.env(k, v),
            None => cmd.env_remove(k),
        };
    }
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// The JSON report of a replay that must succeed.
fn replay_json(
    args: &[&str],
    cwd: Option<&std::path::Path>,
    env: &[(&str, Option<&str>)],
) -> serde_json::Value {
    let (code, out, err) = replay_in(args, cwd, env);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap()
}

/// A report's transitions of `borrow`: (from, to, count).
fn transitions(r: &serde_json::Value) -> Vec<(String, String, u64)> {
    r["decisions"]["borrow"]["transitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["from"].as_str().unwrap().to_string(),
                t["to"].as_str().unwrap().to_string(),
                t["count"].as_u64().unwrap(),
            )
        })
        .collect()
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

/// `dir/name`: the fixture as a version of its own, with this version (and effective date) and
/// loan limit.
fn version_folder(dir: &std::path::Path, name: &str, limit: u32) -> std::path::PathBuf {
    let to = dir.join(name);
    copy_policy(FIXTURE, &to);
    let rules = to.join("lending.rules");
    let text = std::fs::read_to_string(&rules).unwrap();
    assert!(text.contains("version   2026-01-01\n  effective 2026-01-01"));
    let text = text
        .replace(
            "version   2026-01-01\n  effective 2026-01-01",
            &format!("version   {name}\n  effective {name}"),
        )
        .replace("let limit = 5 ", &format!("let limit = {limit} "));
    std::fs::write(&rules, text).unwrap();
    to
}

/// CONTRACT section 6: `replay`, as `diff`, asks what each version's rules would decide, so a
/// revision that takes effect after the logged cases' dates decides them as if in force, and
/// the report says the window was set aside. A version is named from the policy folder (also
/// through $RULEBOOK_POLICY), the earlier one too.
#[test]
fn a_later_revision_decides_logged_cases_with_its_window_set_aside() {
    let dir = temp_dir("replay-window");
    let db = dir.join("log.sqlite");
    let db_s = db.to_str().unwrap();
    let s = Server::start(&["--policy", FIXTURE, "--db", db_s], &[]);
    for n in [4, 6, 6] {
        assert_eq!(
            post_json(&s.url("/v1/decisions?decision=borrow"), &loans(n)).status,
            200
        );
    }
    drop(s);
    // The policy folder: the fixture's version (2026-01-01) and a revision from 2026-06-01,
    // after the cases' as_of (2026-03-10), that lends seven books.
    let policy = dir.join("policy");
    version_folder(&policy, "2026-01-01", 5);
    let later = version_folder(&policy, "2026-06-01", 7);

    let json = |args: &[&str]| replay_json(args, None, &[]);
    let to_later = vec![
        ("allowed".to_string(), "allowed".to_string(), 1),
        ("refused".to_string(), "allowed".to_string(), 2),
    ];
    // By name from --policy, and by its folder.
    let p = policy.to_str().unwrap();
    let named = json(&[
        "--db",
        db_s,
        "--policy",
        p,
        "--to",
        "2026-06-01",
        "--format",
        "json",
    ]);
    assert_eq!(transitions(&named), to_later, "{named}");
    assert_eq!(named["validity_window"], "set aside");
    assert_eq!(named["to"]["version"], "2026-06-01");
    let by_folder = json(&[
        "--db",
        db_s,
        "--to",
        later.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(transitions(&by_folder), to_later);
    // The earlier version of a folder of two is found by name too (through the environment).
    let same = replay_json(
        &["--db", db_s, "--to", "2026-01-01", "--format", "json"],
        None,
        &[("RULEBOOK_POLICY", Some(p))],
    );
    assert_eq!(
        transitions(&same),
        vec![
            ("allowed".to_string(), "allowed".to_string(), 1),
            ("refused".to_string(), "refused".to_string(), 2),
        ]
    );
    // The text report says so.
    let (code, text, _) = replay(&["--db", db_s, "--policy", p, "--to", "2026-06-01"]);
    assert_eq!(code, 0);
    assert!(text.contains("refused -> allowed: 2"), "{text}");
    assert!(
        text.contains("(the validity window is set aside)"),
        "{text}"
    );
    assert!(!text.contains("not_in_force"), "{text}");
}

/// A log path that is not there is an error, and no empty log is left behind: a mistyped path
/// must not read as "nothing changes".
#[test]
fn a_missing_log_is_an_error_and_is_not_created() {
    let dir = temp_dir("replay-missing");
    let db = dir.join("typo.sqlite");
    let (code, out, err) = replay(&[
        "--db",
        db.to_str().unwrap(),
        "--policy",
        FIXTURE,
        "--to",
        "2026-01-01",
    ]);
    assert_eq!(code, 2, "{out}");
    assert!(err.contains("there is no decision log at"), "{err}");
    assert!(err.contains("typo.sqlite"), "{err}");
    assert!(out.is_empty(), "{out}");
    assert!(!db.exists());
}

/// The logged side is decided as `diff` decides it: under the version that decided it, with
/// its window set aside too, when that version is loaded with the logged digest. A case logged
/// outside every window then shows no change when replayed to the same rules; with the logged
/// version not loaded, the record as logged is compared, and the report counts both.
#[test]
fn the_logged_side_is_decided_again_with_its_window_set_aside_when_its_version_is_loaded() {
    let dir = temp_dir("replay-old-side");
    let db = dir.join("log.sqlite");
    let db_s = db.to_str().unwrap();
    let s = Server::start(&["--policy", FIXTURE, "--db", db_s], &[]);
    // Before the fixture's window (2026-01-01 on): logged as the window decides it.
    let early = loans(2).replace("2026-03-10", "2020-01-01");
    for case in [early.as_str(), &loans(2)] {
        assert_eq!(
            post_json(&s.url("/v1/decisions?decision=borrow"), case).status,
            200
        );
    }
    drop(s);
    // Replayed to the very version that decided them: nothing changes.
    let same = replay_json(
        &[
            "--db",
            db_s,
            "--policy",
            FIXTURE,
            "--to",
            "2026-01-01",
            "--format",
            "json",
        ],
        None,
        &[],
    );
    for t in same["decisions"]["borrow"]["transitions"]
        .as_array()
        .unwrap()
    {
        assert_eq!(t["from"], t["to"], "{same}");
    }
    assert_eq!(
        same["old_side"],
        serde_json::json!({"decided_again": 2, "as_logged": 0})
    );
    // A draft folder with no policy folder for the logged version: the logged records are the
    // old side, and the early case's logged outcome shows as changed.
    let draft = dir.join("draft");
    copy_policy(FIXTURE, &draft);
    let r = replay_json(
        &[
            "--db",
            db_s,
            "--to",
            draft.to_str().unwrap(),
            "--format",
            "json",
        ],
        Some(&dir),
        &[("RULEBOOK_POLICY", None)],
    );
    assert_eq!(
        r["old_side"],
        serde_json::json!({"decided_again": 0, "as_logged": 2})
    );
    let moved: Vec<&serde_json::Value> = r["decisions"]["borrow"]["transitions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["from"] != t["to"])
        .collect();
    assert_eq!(moved.len(), 1, "{r}");
    assert_eq!(moved[0]["to"], "allowed");
}

/// `--to` names a version before a folder, as `diff --to` does: a folder in the working
/// directory that happens to bear a version's name does not replace the version.
#[test]
fn a_version_name_wins_over_a_folder_of_that_name() {
    let dir = temp_dir("replay-name");
    let db = dir.join("log.sqlite");
    let db_s = db.to_str().unwrap();
    let s = Server::start(&["--policy", FIXTURE, "--db", db_s], &[]);
    assert_eq!(
        post_json(&s.url("/v1/decisions?decision=borrow"), &loans(6)).status,
        200
    );
    drop(s);
    // ./2026-01-01 in the working directory: a copy that lends ten books.
    let decoy = version_folder(&dir, "2026-01-01", 10);
    assert!(decoy.is_dir());
    let fixture = std::fs::canonicalize(FIXTURE).unwrap();
    let fixture_s = fixture.to_str().unwrap();
    let r = replay_json(
        &[
            "--db",
            db_s,
            "--to",
            "2026-01-01",
            "--policy",
            fixture_s,
            "--format",
            "json",
        ],
        Some(&dir),
        &[],
    );
    assert_eq!(r["to"]["digest"], {
        let p = std::process::Command::new(env!("CARGO_BIN_EXE_rulebook"))
            .args(["check", "--policy"])
            .arg(&fixture)
            .output()
            .unwrap();
        let out = String::from_utf8(p.stdout).unwrap();
        let d = out
            .split("(sha256:")
            .nth(1)
            .unwrap()
            .split(')')
            .next()
            .unwrap();
        serde_json::json!(format!("sha256:{d}"))
    });
    // Six books stay refused: the fixture's limit of five decided, not the decoy's ten.
    assert_eq!(
        transitions(&r),
        vec![("refused".to_string(), "refused".to_string(), 1)],
        "{r}"
    );
}
