//! Versions side by side, on a fixture policy (a library's lending rules): windows, the version
//! in force by date, `--version`, the digest whatever path names the policy, `$RULEBOOK_POLICY`,
//! refused duplicates and overlaps, and `rulebook test` / `--accept` on scenario data.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn run(dir: &Path, args: &[&str], env: Option<&Path>) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_rulebook"));
    c.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("RULEBOOK_POLICY");
    if let Some(p) = env {
        c.env("RULEBOOK_POLICY", p);
    }
    c.output().unwrap()
}

fn all(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            copy(&p, &to.join(p.file_name().unwrap()));
        } else {
            std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
        }
    }
}

fn edit(file: &Path, from: &str, to: &str) {
    let t = std::fs::read_to_string(file).unwrap();
    assert_eq!(t.matches(from).count(), 1, "{from} in {}", file.display());
    std::fs::write(file, t.replace(from, to)).unwrap();
}

/// `<tmp>/policies/lending/2026-01-01` (the fixture) and `2027-01-01` (a copy whose loan limit
/// is 3 books instead of 5).
fn two_versions(tag: &str) -> PathBuf {
    let tmp = std::env::temp_dir().join(format!("rulebook-versions-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let lending = tmp.join("policies/lending");
    copy(
        Path::new("tests/fixtures/library-lending"),
        &lending.join("2026-01-01"),
    );
    let v2 = lending.join("2027-01-01");
    copy(&lending.join("2026-01-01"), &v2);
    edit(
        &v2.join("lending.rules"),
        "version   2026-01-01",
        "version   2027-01-01",
    );
    edit(
        &v2.join("lending.rules"),
        "effective 2026-01-01",
        "effective 2027-01-01",
    );
    edit(&v2.join("lending.rules"), "let limit = 5", "let limit = 3");
    edit(&v2.join("lending.rules"), "不得超过5册", "不得超过3册");
    edit(&v2.join("source.txt"), "不得超过5册", "不得超过3册");
    tmp
}

fn reader_with_loans(n: usize) -> Value {
    let loans: Vec<Value> = (0..n)
        .map(|i| json!({"book": format!("B{i}"), "due_on": "2030-01-01"}))
        .collect();
    json!({"as_of": "2026-06-01", "reader": {"id": "R1", "student": false, "unpaid_fines": "0", "loans": loans}})
}

fn decide(tmp: &Path, date: &str, extra: &[&str]) -> (String, String, Output) {
    let case = tmp.join("case.json");
    std::fs::write(&case, reader_with_loans(4).to_string()).unwrap();
    let mut args = vec![
        "eval",
        "--facts",
        case.to_str().unwrap(),
        "--decision",
        "borrow",
        "--as-of",
        date,
    ];
    args.extend_from_slice(extra);
    let o = run(tmp, &args, None);
    assert_eq!(o.status.code(), Some(0), "{}", all(&o));
    let r: Value = serde_json::from_slice(&o.stdout).unwrap();
    (
        r["policy"]["version"].as_str().unwrap().to_string(),
        r["decisions"][0]["outcome"].as_str().unwrap().to_string(),
        o,
    )
}

#[test]
fn the_version_in_force_on_the_date_decides_and_a_later_one_ends_the_window() {
    let tmp = two_versions("window");
    let check = run(&tmp, &["check"], None);
    assert_eq!(check.status.code(), Some(0), "{}", all(&check));
    let out = all(&check);
    // Two-year validity; the first is cut the day before the second takes effect.
    assert!(
        out.contains("city-library-lending 2026-01-01 (2026-01-01 .. 2026-12-31)"),
        "{out}"
    );
    assert!(
        out.contains("city-library-lending 2027-01-01 (2027-01-01 .. 2028-12-31)"),
        "{out}"
    );

    // Four books: within 5, over 3.
    assert_eq!(decide(&tmp, "2026-12-31", &[]).0, "2026-01-01");
    assert_eq!(decide(&tmp, "2026-12-31", &[]).1, "allowed");
    assert_eq!(decide(&tmp, "2027-01-01", &[]).0, "2027-01-01");
    assert_eq!(decide(&tmp, "2027-01-01", &[]).1, "refused");
    // No version in force: before the first, after the last.
    assert_eq!(decide(&tmp, "2025-12-31", &[]).1, "closed");
    assert_eq!(decide(&tmp, "2029-01-01", &[]).1, "closed");
    // Pinned: the old rules, but the old version is not in force any more.
    let (v, o, _) = decide(&tmp, "2027-06-01", &["--version", "2026-01-01"]);
    assert_eq!((v.as_str(), o.as_str()), ("2026-01-01", "closed"));
    let (v, o, _) = decide(&tmp, "2026-06-01", &["--version", "2026-01-01"]);
    assert_eq!((v.as_str(), o.as_str()), ("2026-01-01", "allowed"));

    let case = tmp.join("case.json");
    let o = run(
        &tmp,
        &[
            "eval",
            "--facts",
            case.to_str().unwrap(),
            "--version",
            "2030-01-01",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        all(&o).contains("no version `2030-01-01`; the policy has: 2026-01-01, 2027-01-01"),
        "{}",
        all(&o)
    );

    // A batch picks the version of each line.
    let mut lines = String::new();
    for d in ["2026-06-01", "2027-06-01"] {
        let mut c = reader_with_loans(4);
        c["as_of"] = json!(d);
        lines.push_str(&format!("{c}\n"));
    }
    std::fs::write(tmp.join("batch.jsonl"), lines).unwrap();
    let o = run(
        &tmp,
        &["eval", "--batch", "batch.jsonl", "--decision", "borrow"],
        None,
    );
    let got: Vec<(String, String)> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| {
            let r: Value = serde_json::from_str(l).unwrap();
            (
                r["policy"]["version"].as_str().unwrap().to_string(),
                r["decisions"][0]["outcome"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("2026-01-01".to_string(), "allowed".to_string()),
            ("2027-01-01".to_string(), "refused".to_string())
        ]
    );
    std::fs::remove_dir_all(&tmp).ok();
}

#[test]
fn the_digest_and_the_record_do_not_depend_on_the_path_given() {
    let tmp = two_versions("digest");
    let case = tmp.join("case.json");
    std::fs::write(&case, reader_with_loans(2).to_string()).unwrap();
    let record = |dir: &Path, policy: &str| {
        let o = run(
            dir,
            &[
                "eval",
                "--facts",
                case.to_str().unwrap(),
                "--policy",
                policy,
            ],
            None,
        );
        assert_eq!(o.status.code(), Some(0), "{}", all(&o));
        o.stdout
    };
    let a = record(&tmp, "policies");
    let b = record(&tmp, "policies/lending");
    let c = record(&tmp.join("policies/lending"), "2026-01-01");
    let d = record(&tmp.join("policies/lending/2026-01-01"), ".");
    assert_eq!(a, b);
    assert_eq!(a, c, "a version folder alone gives the same record");
    assert_eq!(a, d);
    let r: Value = serde_json::from_slice(&a).unwrap();
    assert!(r["policy"]["digest"]
        .as_str()
        .unwrap()
        .starts_with("sha256:"));
    assert!(r["decisions"][0]["findings"][0]["source"]
        .as_str()
        .unwrap()
        .starts_with("lending/2026-01-01/lending.rules:"));
    std::fs::remove_dir_all(&tmp).ok();
}

#[test]
fn the_policy_folder_comes_from_the_flag_then_the_environment_then_policies() {
    let tmp = two_versions("env");
    let elsewhere = tmp.join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let o = run(&elsewhere, &["check"], None);
    assert_eq!(o.status.code(), Some(1));
    let e = all(&o);
    assert!(e.contains("`policies`"), "{e}");
    assert!(e.contains("RULEBOOK_POLICY"), "{e}");
    assert!(e.contains("--policy"), "{e}");
    let o = run(&elsewhere, &["check"], Some(&tmp.join("policies")));
    assert_eq!(o.status.code(), Some(0), "{}", all(&o));
    let o = run(&elsewhere, &["check"], Some(&tmp.join("nowhere")));
    assert_eq!(o.status.code(), Some(1));
    assert!(
        all(&o).contains("came from $RULEBOOK_POLICY"),
        "{}",
        all(&o)
    );
    // The flag wins over the environment.
    let o = run(
        &elsewhere,
        &["check", "--policy", tmp.join("policies").to_str().unwrap()],
        Some(&tmp.join("nowhere")),
    );
    assert_eq!(o.status.code(), Some(0), "{}", all(&o));
    std::fs::remove_dir_all(&tmp).ok();
}

#[test]
fn duplicate_and_overlapping_versions_are_refused() {
    let tmp = two_versions("dup");
    let lending = tmp.join("policies/lending");
    copy(&lending.join("2026-01-01"), &lending.join("draft"));
    let o = run(&tmp, &["check"], None);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        all(&o).contains("version `2026-01-01` is defined twice"),
        "{}",
        all(&o)
    );
    edit(
        &lending.join("draft/lending.rules"),
        "version   2026-01-01",
        "version   2026-06-01",
    );
    let o = run(&tmp, &["check"], None);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        all(&o).contains("versions `2026-01-01` and `2026-06-01` both take effect on 2026-01-01"),
        "{}",
        all(&o)
    );
    std::fs::remove_dir_all(&tmp).ok();
}

#[test]
fn test_shows_what_changed_and_accept_rewrites_the_expectations() {
    let tmp = two_versions("accept");
    let v1 = tmp.join("policies/lending/2026-01-01");
    let scen = v1.join("scenarios/borrow");
    std::fs::create_dir_all(&scen).unwrap();
    let mut case = reader_with_loans(4);
    case["as_of"] = json!("2026-06-01");
    std::fs::write(
        scen.join("four-books.json"),
        serde_json::to_string_pretty(&json!({
            "description": "four books on loan",
            "facts": case,
            "decision": "borrow",
            "expect": {"outcome": "refused", "violated": ["2"], "review": []}
        }))
        .unwrap(),
    )
    .unwrap();
    std::fs::write(
        scen.join("golden.json"),
        serde_json::to_string_pretty(&json!({"facts": case, "golden": true})).unwrap(),
    )
    .unwrap();
    let o = run(&tmp, &["test", "--version", "2026-01-01"], None);
    assert_eq!(o.status.code(), Some(1));
    let out = all(&o);
    assert!(out.contains("CHANGED "), "{out}");
    assert!(out.contains("outcome: \"refused\" → \"allowed\""), "{out}");
    assert!(out.contains("violated: [\"2\"] → []"), "{out}");
    assert!(out.contains("golden.record.json: missing"), "{out}");
    assert!(out.contains("0 passed, 2 failed"), "{out}");

    let o = run(&tmp, &["test", "--version", "2026-01-01", "--accept"], None);
    assert_eq!(o.status.code(), Some(0), "{}", all(&o));
    assert!(
        all(&o).contains("2 passed, 0 failed, 2 accepted"),
        "{}",
        all(&o)
    );
    let rewritten: Value =
        serde_json::from_str(&std::fs::read_to_string(scen.join("four-books.json")).unwrap())
            .unwrap();
    assert_eq!(rewritten["expect"]["outcome"], "allowed");
    assert_eq!(rewritten["expect"]["violated"], json!([]));
    assert_eq!(
        rewritten["description"], "four books on loan",
        "the rest of the file is kept"
    );
    let expected = v1.join("expected/borrow");
    for f in [
        "golden.record.json",
        "golden.text.txt",
        "golden.letter.zh.md",
        "golden.letter.en.md",
    ] {
        assert!(expected.join(f).is_file(), "{f}");
    }
    let o = run(&tmp, &["test", "--version", "2026-01-01"], None);
    assert_eq!(o.status.code(), Some(0), "{}", all(&o));
    // The whole policies folder given as PATH runs the scenarios only, not the example cases
    // and expected records that lie beside them.
    std::fs::create_dir_all(v1.join("cases")).unwrap();
    std::fs::write(v1.join("cases/four.json"), case.to_string()).unwrap();
    let o = run(&tmp, &["test", "--version", "2026-01-01", "policies"], None);
    assert_eq!(o.status.code(), Some(0), "{}", all(&o));
    assert!(all(&o).contains("2 passed, 0 failed"), "{}", all(&o));

    // An edited expected record is reported by field, old → new.
    let rec = expected.join("golden.record.json");
    let text = std::fs::read_to_string(&rec).unwrap();
    std::fs::write(&rec, text.replacen("\"allowed\"", "\"refused\"", 1)).unwrap();
    let o = run(&tmp, &["test", "--version", "2026-01-01"], None);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        all(&o).contains("decisions[0].outcome: \"refused\" → \"allowed\""),
        "{}",
        all(&o)
    );
    std::fs::remove_dir_all(&tmp).ok();
}

/// `diff` of the two versions over `cases.jsonl` in the test's folder.
const DIFF_CASES: [&str; 7] = [
    "diff",
    "--from",
    "2026-01-01",
    "--to",
    "2027-01-01",
    "--cases",
    "cases.jsonl",
];

/// `diff --cases` skips the lines `eval --batch` skips (a byte order mark or an ideographic
/// space alone), and still counts them in its line numbers.
#[test]
fn diff_skips_the_blank_lines_eval_batch_skips() {
    let tmp = two_versions("diff-blank");
    let lines = [
        reader_with_loans(2).to_string(),
        "\u{feff}".to_string(),
        "\u{3000} ".to_string(),
        reader_with_loans(4).to_string(),
    ];
    std::fs::write(tmp.join("cases.jsonl"), lines.join("\r\n") + "\r\n").unwrap();
    let args = DIFF_CASES;
    let o = run(&tmp, &args, None);
    assert_eq!(o.status.code(), Some(0), "{}", all(&o));
    let out = all(&o);
    assert!(out.contains("(2 cases)"), "{out}");
    assert!(!out.contains("not decided"), "{out}");
    assert!(
        out.contains("  allowed -> refused: 1\n    lines 4\n"),
        "{out}"
    );
    std::fs::remove_dir_all(&tmp).ok();
}

#[test]
fn diff_reports_transitions_rules_and_lines_and_sets_the_window_aside() {
    let tmp = two_versions("diff");
    // Lines 1 and 2: four books (allowed under a limit of 5, refused under 3); line 3: two books;
    // line 4 is not a case; line 5: four books dated before either version (the window is set aside).
    let mut old = reader_with_loans(4);
    old["as_of"] = json!("2020-01-01");
    let lines = [
        reader_with_loans(4).to_string(),
        reader_with_loans(4).to_string(),
        reader_with_loans(2).to_string(),
        "{not json".to_string(),
        old.to_string(),
    ];
    std::fs::write(tmp.join("cases.jsonl"), lines.join("\n") + "\n").unwrap();
    let args = DIFF_CASES;
    let o = run(&tmp, &args, None);
    assert_eq!(o.status.code(), Some(0), "{}", all(&o));
    let out = all(&o);
    for want in [
        "the validity window is set aside",
        "(5 cases)",
        "line 4: not decided",
        "borrow: 3 of 4 cases change outcome",
        "  allowed -> refused: 3\n    lines 1, 2, 5\n",
        "  allowed (unchanged): 1\n",
        "rules whose findings changed (cases): loan-limit (3)",
        "cites (cases): 2 (3)",
        "fines: 0 of 4 cases change outcome",
    ] {
        assert!(out.contains(want), "{want:?} not in:\n{out}");
    }
    let mut json_args = args.to_vec();
    json_args.extend(["--format", "json", "--decision", "borrow"]);
    let o = run(&tmp, &json_args, None);
    let r: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(r["from"]["version"], "2026-01-01");
    assert_eq!(r["to"]["version"], "2027-01-01");
    assert_eq!(r["validity_window"], "set aside");
    assert_eq!(r["errors"][0]["line"], 4);
    assert_eq!(r["decisions"].as_array().unwrap().len(), 1);
    assert_eq!(
        r["decisions"][0]["transitions"],
        json!([
            {"from": "allowed", "to": "allowed", "count": 1, "changed": false, "lines": null, "addressees": null},
            // The fixture's letters have no addressee: no names to give.
            {"from": "allowed", "to": "refused", "count": 3, "changed": true, "lines": [1, 2, 5], "addressees": []}
        ])
    );
    assert_eq!(r["decisions"][0]["changed"], 3);
    assert_eq!(
        r["decisions"][0]["rules"],
        json!([{"rule": "loan-limit", "count": 3, "lines": [1, 2, 5]}])
    );
    let mut bad = args.to_vec();
    bad.extend(["--decision", "nonsense"]);
    assert_eq!(run(&tmp, &bad, None).status.code(), Some(2));
    let o = run(
        &tmp,
        &[
            "diff",
            "--from",
            "2026-01-01",
            "--to",
            "nowhere",
            "--cases",
            "cases.jsonl",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        all(&o).contains("`nowhere` is neither a version (2026-01-01, 2027-01-01) nor a folder"),
        "{}",
        all(&o)
    );
    std::fs::remove_dir_all(&tmp).ok();
}

#[test]
fn the_library_loads_every_version_and_picks_by_date_or_name() {
    let tmp = two_versions("lib");
    let dir = tmp.join("policies");
    let set = rulebook::Versions::load(&dir).unwrap();
    assert_eq!(set.names(), ["2026-01-01", "2027-01-01"]);
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    assert_eq!(
        set.in_force(d("2026-12-31")).unwrap().version(),
        "2026-01-01"
    );
    assert_eq!(
        set.in_force(d("2027-01-01")).unwrap().version(),
        "2027-01-01"
    );
    assert!(set.in_force(d("2025-12-31")).is_none());
    assert_eq!(
        set.for_date(d("2025-12-31")).unwrap().version(),
        "2026-01-01"
    );
    assert_eq!(
        set.for_date(d("2030-01-01")).unwrap().version(),
        "2027-01-01"
    );
    assert_eq!(set.pin("2026-01-01").unwrap().version(), "2026-01-01");
    assert!(set.pin("2026-06-01").is_none());
    let list = set.list();
    assert_eq!(list[0].window.describe(), "2026-01-01 .. 2026-12-31");
    assert_eq!(list[1].window.describe(), "2027-01-01 .. 2028-12-31");
    assert_ne!(list[0].digest, list[1].digest);
    // The single-version call gives the latest.
    let latest = rulebook::Policy::load(&dir).unwrap();
    assert_eq!(latest.version(), "2027-01-01");
    assert_eq!(latest.digest, list[1].digest);
    std::fs::remove_dir_all(&tmp).ok();
}

/// `diff` names the applicants whose outcome changes, as the new version's letters address
/// them, beside their line numbers: staff see who changes without looking each line up.
#[test]
fn diff_names_the_applicants_whose_outcome_changes() {
    let tmp = two_versions("diff-names");
    let rules = tmp.join("policies/lending/2027-01-01/lending.rules");
    let mut text = std::fs::read_to_string(&rules).unwrap();
    text.push_str(
        "\nlet card = reader.id \"读者证号\" | \"card\"\nwording {\n  authority \"市图书馆\" | \"City Library\"\n  addressee \"读者{card}：\" | \"To reader {card}:\"\n}\n",
    );
    std::fs::write(&rules, text).unwrap();
    let case = |id: &str, n: usize| {
        let mut c = reader_with_loans(n);
        c["reader"]["id"] = json!(id);
        c.to_string()
    };
    // A name with a line break in it stays on its line of the report.
    let lines = [
        case("CARD-1", 4),
        case("CARD-2", 2),
        case("CARD-3\nline 9: X", 4),
    ];
    std::fs::write(tmp.join("cases.jsonl"), lines.join("\n") + "\n").unwrap();
    let o = run(&tmp, &DIFF_CASES, None);
    assert_eq!(o.status.code(), Some(0), "{}", all(&o));
    let out = all(&o);
    assert!(
        out.contains("  allowed -> refused: 2\n    lines 1, 3\n    line 1: 读者CARD-1\n    line 3: 读者CARD-3\\nline 9: X\n"),
        "{out}"
    );
    assert!(!out.contains("CARD-2"), "{out}");
    let mut json_args = DIFF_CASES.to_vec();
    json_args.extend(["--format", "json", "--decision", "borrow"]);
    let r: Value = serde_json::from_slice(&run(&tmp, &json_args, None).stdout).unwrap();
    let moved = &r["decisions"][0]["transitions"][1];
    assert_eq!(moved["to"], "refused");
    assert_eq!(
        moved["addressees"],
        json!([{"line": 1, "addressee": "读者CARD-1"}, {"line": 3, "addressee": "读者CARD-3\\nline 9: X"}])
    );
    std::fs::remove_dir_all(&tmp).ok();
}
