//! `--record lean` (CONTRACT section 3): the full record's shape with only the findings that are
//! not satisfied, without `message` and `source`; outcome, effects, missing and dates unchanged.
//! Compared with the full record of the same case, through the real binary and the library.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use rulebook::{Policy, RecordMode};
use serde_json::Value;
use std::path::{Path, PathBuf};

use support::FIXTURE;

/// A reader with one overdue loan and a fine: some findings satisfied, some not.
const READER: &str = r#"{"as_of":"2026-03-10","reader":{"id":"R1","student":false,"unpaid_fines":"12.5",
  "loans":[{"book":"B1","due_on":"2026-03-01"},{"book":"B2","due_on":"2026-01-01"},{"book":"B3","due_on":"2026-04-01"}]}}"#;

fn rulebook(args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    let o = support::run_with_stdin(args, stdin.unwrap_or("").as_bytes());
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8(o.stdout).unwrap(),
        String::from_utf8(o.stderr).unwrap(),
    )
}

/// Every lean decision equals the full one with satisfied findings dropped and the words removed.
fn assert_lean_matches_full(full: &Value, lean: &Value) {
    assert_eq!(full["policy"], lean["policy"]);
    assert_eq!(full["as_of"], lean["as_of"]);
    let fd = full["decisions"].as_array().unwrap();
    let ld = lean["decisions"].as_array().unwrap();
    assert_eq!(fd.len(), ld.len());
    assert!(!fd.is_empty());
    for (f, l) in fd.iter().zip(ld) {
        let fo = f.as_object().unwrap();
        let lo = l.as_object().unwrap();
        // The same keys in the same order: the same shape.
        assert_eq!(fo.keys().collect::<Vec<_>>(), lo.keys().collect::<Vec<_>>());
        for k in fo.keys().filter(|k| *k != "findings") {
            assert_eq!(fo[k], lo[k], "decision {}: `{k}` differs", f["decision"]);
        }
        let expected: Vec<Value> = f["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|x| x["status"] != "satisfied")
            .map(|x| {
                let mut x = x.clone();
                let o = x.as_object_mut().unwrap();
                o.remove("message");
                o.remove("source");
                o.remove("counterfactual");
                x
            })
            .collect();
        let got = l["findings"].as_array().unwrap();
        assert_eq!(got, &expected, "decision {}", f["decision"]);
        for x in got {
            let o = x.as_object().unwrap();
            assert!(!o.contains_key("message") && !o.contains_key("source"));
            assert_ne!(x["status"], "satisfied");
            for key in ["rule", "cite", "status", "subject", "values"] {
                assert!(o.contains_key(key), "a lean finding keeps `{key}`: {x}");
            }
        }
    }
}

#[test]
fn lean_is_the_full_record_filtered_on_the_fixture_policy() {
    let p = Policy::load(FIXTURE).unwrap();
    let facts = p.parse_case(READER).unwrap();
    let e = p.evaluate(&facts, facts.as_of.unwrap(), &[]);
    let full: Value = serde_json::from_str(&p.record_json_as(&e, RecordMode::Full)).unwrap();
    let lean: Value = serde_json::from_str(&p.record_json_as(&e, RecordMode::Lean)).unwrap();
    assert_lean_matches_full(&full, &lean);
    // The case has both kinds, so the filter is exercised both ways.
    let statuses: Vec<&Value> = full["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["findings"].as_array().unwrap())
        .map(|f| &f["status"])
        .collect();
    assert!(statuses.iter().any(|s| *s == "satisfied"));
    assert!(statuses.iter().any(|s| *s != "satisfied"));
    // The default record is the full one.
    assert_eq!(p.record_json(&e), p.record_json_as(&e, RecordMode::Full));
}

#[test]
fn lean_on_the_command_line_for_one_case_and_a_batch() {
    let (code, full, err) = rulebook(&["eval", "--policy", FIXTURE, "--facts", "-"], Some(READER));
    assert_eq!(code, 0, "{err}");
    let (code, lean, err) = rulebook(
        &[
            "eval", "--policy", FIXTURE, "--facts", "-", "--record", "lean",
        ],
        Some(READER),
    );
    assert_eq!(code, 0, "{err}");
    assert!(lean.len() < full.len());
    assert_lean_matches_full(
        &serde_json::from_str(&full).unwrap(),
        &serde_json::from_str(&lean).unwrap(),
    );

    let one_line: Value = serde_json::from_str(READER).unwrap();
    let batch = format!("{one_line}\n{one_line}\nnot json\n");
    let (code, full, err) = rulebook(&["eval", "--policy", FIXTURE, "--batch", "-"], Some(&batch));
    assert_eq!(code, 0, "{err}");
    let (code, lean, err) = rulebook(
        &[
            "eval", "--policy", FIXTURE, "--batch", "-", "--record", "lean",
        ],
        Some(&batch),
    );
    assert_eq!(code, 0, "{err}");
    // Every record of a batch starts with its line number, lean or full.
    for l in [full.lines().next().unwrap(), lean.lines().next().unwrap()] {
        assert!(l.starts_with("{\"line\":1,\"policy\":{"), "{l}");
    }
    assert!(full
        .lines()
        .nth(1)
        .unwrap()
        .starts_with("{\"line\":2,\"policy\":{"));
    let full: Vec<Value> = full
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let lean: Vec<Value> = lean
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lean.len(), 3);
    assert_lean_matches_full(&full[0], &lean[0]);
    assert_lean_matches_full(&full[1], &lean[1]);
    // A bad line is the same error line in both.
    assert_eq!(lean[2]["line"], 3);
    assert_eq!(full[2], lean[2]);
}

#[test]
fn lean_with_a_text_format_is_refused() {
    let (code, out, err) = rulebook(
        &[
            "eval", "--policy", FIXTURE, "--facts", "-", "--record", "lean", "--format", "text",
        ],
        Some(READER),
    );
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("--record lean"), "{err}");
    let (code, _, err) = rulebook(
        &[
            "eval", "--policy", FIXTURE, "--facts", "-", "--record", "thin",
        ],
        Some(READER),
    );
    assert_eq!(code, 2);
    assert!(err.contains("lean"), "{err}");
}

/// Every example case file of the project's own policy, every decision.
#[test]
fn lean_is_the_full_record_filtered_on_every_example() {
    let mut seen = 0;
    let mut entries: Vec<_> = std::fs::read_dir("examples")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    entries.sort();
    for path in entries {
        let path = path.to_str().unwrap();
        let (code, full, err) = rulebook(&["eval", "--facts", path], None);
        assert_eq!(code, 0, "{path}: {err}");
        let (code, lean, err) = rulebook(&["eval", "--facts", path, "--record", "lean"], None);
        assert_eq!(code, 0, "{path}: {err}");
        assert_lean_matches_full(
            &serde_json::from_str(&full).unwrap(),
            &serde_json::from_str(&lean).unwrap(),
        );
        seen += 1;
    }
    assert!(seen >= 5, "the examples were found ({seen})");
}

/// Each data set of past cases kept beside a policy under `policies/` (`<policy>/*.jsonl`, every
/// decision; whatever the policy, so no Rust test names one): a lean
/// evaluation, which skips what a lean record does not show, writes byte for byte the lean
/// record of the full evaluation, and that record is the full one filtered. The evaluations share
/// one set of buffers, as the cases of a batch do.
#[test]
fn lean_evaluation_writes_the_lean_record_of_the_full_one_on_the_data_set() {
    let mut seen = Seen::default();
    for (dir, set) in data_sets(Path::new("policies")) {
        let p = Policy::load(&dir).unwrap();
        let text = std::fs::read_to_string(&set).unwrap();
        lean_evaluation_matches(&p, &text, &mut seen);
    }
    assert!(
        seen.cases >= 100,
        "the data sets were read ({} cases)",
        seen.cases
    );
    assert!(seen.satisfied > 0 && seen.not_satisfied > 0);
}

/// Each policy folder under `root` with each `*.jsonl` file lying directly in it, sorted.
fn data_sets(root: &Path) -> Vec<(PathBuf, PathBuf)> {
    let mut out = Vec::new();
    for dir in std::fs::read_dir(root).unwrap().map(|e| e.unwrap().path()) {
        if !dir.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()) {
            if f.extension().is_some_and(|x| x == "jsonl") {
                out.push((dir.clone(), f));
            }
        }
    }
    out.sort();
    out
}

/// What the data sets held: cases, and findings satisfied or not.
#[derive(Default)]
struct Seen {
    cases: usize,
    satisfied: usize,
    not_satisfied: usize,
}

/// One data set: for every case, the lean evaluation against the full one.
fn lean_evaluation_matches(p: &Policy, text: &str, seen: &mut Seen) {
    let mut scratch = rulebook::eval::interp::Scratch::default();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let facts = p.parse_case(line).unwrap();
        let day = facts.as_of.unwrap();
        let full_eval = p.evaluate(&facts, day, &[]);
        let lean_eval = p.evaluate_for(&facts, day, &[], RecordMode::Lean, &mut scratch);
        let lean = p.record_json_as(&lean_eval, RecordMode::Lean);
        assert_eq!(
            p.record_json_as(&full_eval, RecordMode::Lean),
            lean,
            "{line}"
        );
        // A full evaluation in the same buffers is the fresh one, and so is every later one in
        // the value vectors given back here (`Scratch::recycle`, as a batch does).
        scratch.recycle(lean_eval.decisions);
        let again = p.evaluate_for(&facts, day, &[], RecordMode::Full, &mut scratch);
        let full = p.record_json(&full_eval);
        assert_eq!(p.record_json(&again), full, "{line}");
        scratch.recycle(again.decisions);
        assert_lean_matches_full(
            &serde_json::from_str(&full).unwrap(),
            &serde_json::from_str(&lean).unwrap(),
        );
        for d in &full_eval.decisions {
            for f in &d.findings {
                match f.status {
                    rulebook::eval::findings::Status::Satisfied => seen.satisfied += 1,
                    _ => seen.not_satisfied += 1,
                }
            }
        }
        seen.cases += 1;
    }
}
