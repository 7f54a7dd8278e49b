//! The binary, driven as a filing system or a policy officer would: exit codes, messages, outputs.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;
use std::process::{Command, Output};

/// The fixture policy the engine's own tests use (no term of the measures).
const LENDING: &str = "tests/fixtures/library-lending";

fn rulebook(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

use support::run_with_stdin as rulebook_stdin;

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(o)))
}

// ------------------------------------------------------------------ check

#[test]
fn check_accepts_the_policy_with_full_law_coverage() {
    let o = rulebook(&["check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("18/18 articles: 13 encoded, 5 declaratory"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn check_points_at_a_syntax_error_in_plain_words() {
    let o = rulebook(&["check", "--policy", "tests/fixtures/broken-syntax"]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    let first = e.lines().next().unwrap();
    assert_eq!(
        first,
        "error: tests/fixtures/broken-syntax/policy.rules:15:19: unexpected `=`; expected a new item (policy, facts, wording, article, let, rule, exception, decision), a rule clause (cite, in, for each, applies when, let, must, should, then, otherwise, says, found, overrides) or an operator"
    );
    assert!(
        e.contains(
            "help: to compare two values write `==`; a single `=` only names a value in `let`"
        ),
        "{e}"
    );
    assert!(
        !e.contains("EOI") && !e.contains("rule_"),
        "no grammar-internal names: {e}"
    );
    assert!(
        e.contains("15 │   must unit.staff = 7"),
        "the snippet is shown: {e}"
    );
}

#[test]
fn check_reports_every_name_and_type_error_of_a_run_together() {
    let o = rulebook(&["check", "--policy", "tests/fixtures/broken-names"]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    let mut firsts: Vec<&str> = e.lines().filter(|l| l.starts_with("error: ")).collect();
    firsts.sort();
    let f = "tests/fixtures/broken-names/policy.rules";
    let mut want = vec![
        format!("error: {f}:21:13: `staf` is not a fact of this record"),
        format!("error: {f}:26:21: `hospital` is not one of the allowed values (enterprise, university)"),
        format!("error: {f}:31:8: cannot compare an amount of money with a date"),
        format!("error: {f}:36:19: this aggregate runs over a list, but this is a record"),
        format!("error: {f}:38:6: the rule `unknown-fact` is defined twice"),
        format!("error: {f}:44:3: the cite `9(1)` names article 9, which no `article` block quotes"),
    ];
    want.sort();
    assert_eq!(firsts, want);
    assert!(e.contains("did you mean `staff`?"));
    assert!(e.contains("the policy has 6 errors; nothing was evaluated"));
}

/// The library-lending fixture, copied to a temporary folder to be broken.
fn copy_policy(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("rulebook-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let to = dir.join("lending");
    std::fs::create_dir_all(&to).unwrap();
    for e in std::fs::read_dir(LENDING).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() {
            std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
        }
    }
    dir
}

#[test]
fn check_reports_an_article_that_is_neither_encoded_nor_declaratory() {
    let dir = copy_policy("coverage");
    let f = dir.join("lending/lending.rules");
    let text = std::fs::read_to_string(&f).unwrap();
    let start = text.find("article 1 declaratory").unwrap();
    let end = text.find("article 2").unwrap();
    std::fs::write(&f, format!("{}{}", &text[..start], &text[end..])).unwrap();
    let o = rulebook(&["check", "--policy", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("error: article 1 (第一条) of the source text is neither encoded nor marked as setting no rule"), "{}", stderr(&o));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn check_reports_a_misquoted_article_at_its_line() {
    let dir = copy_policy("quote");
    let f = dir.join("lending/lending.rules");
    let text = std::fs::read_to_string(&f)
        .unwrap()
        .replace("有效期两年", "有效期三年");
    std::fs::write(&f, text).unwrap();
    let o = rulebook(&["check", "--policy", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    // At the first character that differs (line 32, the `三` of 三年), with both texts from there.
    assert!(e.contains("lending.rules:32:30: the text quoted for article 4 differs from the source text of 第四条 here"), "{e}");
    // The box below names the same place, counted in characters too (not bytes: `32:64`).
    assert!(e.contains("lending.rules:32:30]"), "{e}");
    assert!(
        e.contains("the quote has 「…，有效期三年。」 where the source has 「…，有效期两年。」"),
        "{e}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

// ------------------------------------------------------------------ eval, one case

/// A reader of the fixture policy with `loans` books on loan (due in 2030) and the given fines.
fn reader(loans: usize, fines: &str) -> serde_json::Value {
    let loans: Vec<serde_json::Value> = (0..loans)
        .map(|i| serde_json::json!({"book": format!("B{i}"), "due_on": "2030-01-01"}))
        .collect();
    serde_json::json!({"as_of": "2026-06-01", "reader": {"id": "R1", "student": false, "unpaid_fines": fines, "loans": loans}})
}

/// `rulebook eval` on the fixture policy, the case on stdin.
fn eval_lending(case: &serde_json::Value, extra: &[&str]) -> Output {
    let mut args = vec!["eval", "--policy", LENDING, "--facts", "-"];
    args.extend_from_slice(extra);
    rulebook_stdin(&args, case.to_string().as_bytes())
}

#[test]
fn eval_gives_a_contract_shaped_record() {
    let o = eval_lending(&reader(7, "0"), &["--decision", "borrow"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let r = json(&o);
    assert_eq!(r["policy"]["id"], "city-library-lending");
    assert_eq!(r["policy"]["version"], "2026-01-01");
    assert!(r["policy"]["digest"]
        .as_str()
        .unwrap()
        .starts_with("sha256:"));
    assert_eq!(r["as_of"], "2026-06-01");
    let d = &r["decisions"][0];
    assert_eq!(d["decision"], "borrow");
    assert_eq!(d["outcome"], "refused");
    let limit = d["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "loan-limit")
        .unwrap();
    assert_eq!(limit["cite"], "2");
    assert_eq!(limit["status"], "violated");
    assert_eq!(limit["subject"], serde_json::Value::Null);
    assert_eq!(
        limit["values"],
        serde_json::json!({"on_loan": 7, "limit": 5})
    );
    assert_eq!(
        limit["message"],
        serde_json::json!({"zh": "在借7册；同时在借图书不得超过5册", "en": "7 books on loan; at most 5 books at a time"})
    );
    assert!(limit["counterfactual"]["zh"]
        .as_str()
        .unwrap()
        .contains('3'));
    // The source names the rule's file relative to its version's parent folder, whatever
    // path `--policy` was given.
    assert_eq!(
        limit["source"],
        "fixtures/library-lending/lending.rules:42:1"
    );
    let fines = d["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "unpaid-fines")
        .unwrap();
    assert_eq!(fines["status"], "satisfied");
    assert_eq!(
        fines["values"],
        serde_json::json!({"fines": "0", "cap": "50"})
    );
    for key in ["effects", "missing", "warnings"] {
        assert!(d[key].as_array().unwrap().is_empty(), "{key}");
    }
    assert!(d["dates"].as_object().unwrap().is_empty());
}

#[test]
fn eval_is_deterministic_to_the_byte() {
    let a = rulebook(&["eval", "--facts", "examples/support.json"]);
    let b = rulebook(&["eval", "--facts", "examples/support.json"]);
    assert_eq!(a.status.code(), Some(0));
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn eval_every_decision_by_default_with_effects() {
    // One book 12 days overdue: 0.5 yuan a day.
    let mut case = reader(2, "0");
    case["reader"]["loans"][0]["due_on"] = serde_json::json!("2026-05-20");
    let r = json(&eval_lending(&case, &[]));
    let outcomes: Vec<(&str, &str)> = r["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["decision"].as_str().unwrap(),
                d["outcome"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(outcomes, [("borrow", "allowed"), ("fines", "fined")]);
    assert_eq!(
        r["decisions"][1]["effects"],
        serde_json::json!([{"kind": "fine", "cite": "3", "subject": "B0", "amount": "6"}])
    );
}

#[test]
fn as_of_on_the_command_line_overrides_the_case() {
    let r = json(&eval_lending(
        &reader(1, "0"),
        &["--as-of", "2028-06-01", "--decision", "borrow"],
    ));
    assert_eq!(r["as_of"], "2028-06-01");
    assert_eq!(r["decisions"][0]["outcome"], "closed");
    assert_eq!(r["decisions"][0]["findings"].as_array().unwrap().len(), 1);
    assert_eq!(r["decisions"][0]["findings"][0]["rule"], "in-force");
    assert_eq!(r["decisions"][0]["findings"][0]["status"], "violated");
}

#[test]
fn eval_reads_standard_input_and_warns_of_unknown_fields_when_lenient() {
    let o = rulebook_stdin(
        &[
            "eval",
            "--policy",
            LENDING,
            "--facts",
            "-",
            "--decision",
            "borrow",
            "--lenient",
        ],
        br#"{"as_of":"2026-06-01","colour":"blue","reader":{"motto":"x"}}"#,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let r = json(&o);
    assert_eq!(
        r["decisions"][0]["warnings"],
        serde_json::json!([
            "colour: not a fact of the case file (ignored)",
            "reader.motto: not a fact of reader (ignored)"
        ])
    );
    assert_eq!(r["decisions"][0]["outcome"], "undetermined");
    assert_eq!(
        r["decisions"][0]["missing"],
        serde_json::json!(["reader.loans", "reader.unpaid_fines"])
    );
}

// ------------------------------------------------------------------ eval, batch

#[test]
fn batch_gives_one_line_per_case_in_order_and_an_error_line_for_a_bad_one() {
    let good = std::fs::read_to_string("examples/support.json").unwrap();
    let good: serde_json::Value = serde_json::from_str(&good).unwrap();
    let bad = r#"{"as_of": "2026-02-30"}"#;
    let input = format!("{good}\n{bad}\n\n{good}\n{{not json\n");
    let o = rulebook_stdin(
        &["eval", "--batch", "-", "--decision", "support"],
        input.as_bytes(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    assert!(lines[0]["decisions"][0]["outcome"].is_string());
    assert_eq!(
        lines[1],
        serde_json::json!({"line": 2, "error": "as_of: expected a date YYYY-MM-DD, got \"2026-02-30\" at line 1 column 22"})
    );
    assert_eq!(lines[3]["line"], 5);
    // Records carry their input line (blank lines counted), and are otherwise the same.
    assert_eq!(lines[0]["line"], 1);
    assert_eq!(lines[2]["line"], 4);
    let (mut a, mut b) = (lines[0].clone(), lines[2].clone());
    a["line"] = serde_json::json!(0);
    b["line"] = serde_json::json!(0);
    assert_eq!(a, b);
}

#[test]
fn batch_input_that_cannot_be_read_stops_with_exit_2() {
    let o = rulebook(&["eval", "--batch", "tests", "--decision", "filing"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("the input cannot be read after line 0"),
        "{}",
        stderr(&o)
    );
    assert!(stdout(&o).is_empty());
}

#[test]
fn batch_line_that_is_not_utf8_is_one_bad_line() {
    let good = std::fs::read_to_string("examples/support.json").unwrap();
    let good: serde_json::Value = serde_json::from_str(&good).unwrap();
    let mut input = format!("{good}\n").into_bytes();
    input.extend_from_slice(b"{\"as_of\": \"\xff\"}\n");
    input.extend_from_slice(format!("{good}\n").as_bytes());
    let o = rulebook_stdin(&["eval", "--batch", "-", "--decision", "support"], &input);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[1]["line"], 2);
    assert!(lines[1]["error"]
        .as_str()
        .unwrap()
        .starts_with("the line cannot be read"));
    assert_eq!(lines[2]["line"], 3);
    assert!(lines[2]["decisions"][0]["outcome"].is_string());
}

#[test]
fn batch_of_many_cases_keeps_order() {
    let mut input = String::new();
    for i in 0..5000 {
        // 4 books (allowed) and 6 (refused), alternately.
        input.push_str(&reader(4 + 2 * (i % 2), "0").to_string());
        input.push('\n');
    }
    let o = rulebook_stdin(
        &[
            "eval",
            "--policy",
            LENDING,
            "--batch",
            "-",
            "--decision",
            "borrow",
        ],
        input.as_bytes(),
    );
    assert_eq!(o.status.code(), Some(0));
    let outs: Vec<String> = stdout(&o)
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["decisions"][0]["outcome"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(outs.len(), 5000);
    for (i, out) in outs.iter().enumerate() {
        assert_eq!(
            out,
            if i % 2 == 0 { "allowed" } else { "refused" },
            "line {}",
            i + 1
        );
    }
}

// ------------------------------------------------------------------ bad input: exit 2, a clear message, no panic

fn refused(input: &[u8], needle: &str) {
    let o = rulebook_stdin(&["eval", "--facts", "-"], input);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{e}");
    assert!(e.contains(needle), "expected `{needle}` in: {e}");
    assert!(!e.contains("panicked") && !e.contains("overflow"), "{e}");
}

#[test]
fn malformed_json_is_refused() {
    refused(
        br#"{"as_of": "2026-01-01", "#,
        "the case file ends too early",
    );
    refused(
        br#"{"as_of": "2026-01-01"} trailing"#,
        "trailing characters",
    );
}

#[test]
fn empty_input_is_refused() {
    refused(b"", "the case file is empty");
    refused(b"   \n", "the case file is empty");
}

#[test]
fn a_wrong_type_names_the_json_path_and_the_expected_type() {
    refused(
        br#"{"as_of":"2026-03-01","consortium":{"members":[{"id":"a"},{"id":"b"},{"id":"c"},{"id":"d","established_on":"2025-13-01"}]}}"#,
        "consortium.members[3].established_on: expected a date YYYY-MM-DD, got \"2025-13-01\"",
    );
    refused(
        br#"{"as_of":"2026-03-01","consortium":{"agreement_signed":"yes"}}"#,
        "consortium.agreement_signed: expected true or false, got \"yes\"",
    );
    refused(
        br#"{"as_of":"2026-03-01","consortium":{"members":{}}}"#,
        "consortium.members: expected a list",
    );
    refused(
        br#"{"as_of":"2026-03-01","consortium":{"members":[{"kind":"bank"}]}}"#,
        "consortium.members[0].kind: expected one of enterprise, university",
    );
}

#[test]
fn an_impossible_date_is_refused() {
    refused(
        br#"{"as_of":"2025-02-30"}"#,
        "as_of: expected a date YYYY-MM-DD, got \"2025-02-30\"",
    );
    refused(
        br#"{"as_of":"2025-2-3"}"#,
        "as_of: expected a date YYYY-MM-DD",
    );
}

#[test]
fn a_forty_digit_number_is_refused_never_rounded() {
    let n = "1234567890123456789012345678901234567890";
    refused(
        format!(
            r#"{{"as_of":"2026-03-01","consortium":{{"members":[{{"matching_funds":{n}}}]}}}}"#
        )
        .as_bytes(),
        "consortium.members[0].matching_funds: expected an amount in yuan",
    );
    refused(
        format!(
            r#"{{"as_of":"2026-03-01","consortium":{{"members":[{{"matching_funds":"{n}"}}]}}}}"#
        )
        .as_bytes(),
        "consortium.members[0].matching_funds: expected an amount in yuan",
    );
    refused(
        br#"{"as_of":"2026-03-01","consortium":{"members":[{"matching_funds":1.5}]}}"#,
        "which is not exact; write it as a string",
    );
}

#[test]
fn ten_thousand_deep_nesting_is_refused() {
    let deep = format!(
        r#"{{"as_of":"2026-03-01","x":{}{}}}"#,
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    refused(deep.as_bytes(), "x: not a fact of the case file");
    let o = rulebook_stdin(&["eval", "--facts", "-", "--lenient"], deep.as_bytes());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("x: the value nests more than 64 levels deep"),
        "{}",
        stderr(&o)
    );
    let deep = format!(
        r#"{{"as_of":"2026-03-01","consortium":{{"members":{}{}}}}}"#,
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    refused(deep.as_bytes(), "expected a JSON object");
}

#[test]
fn random_bytes_are_refused() {
    let mut bytes = Vec::new();
    let mut x: u32 = 0x9e37_79b9;
    for _ in 0..4096 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        bytes.push((x & 0xff) as u8);
    }
    let o = rulebook_stdin(&["eval", "--facts", "-"], &bytes);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).starts_with("error: "), "{}", stderr(&o));
}

#[test]
fn a_case_without_a_date_is_refused() {
    refused(
        br#"{"consortium":{}}"#,
        "the case has no `as_of` and no --as-of was given",
    );
}

#[test]
fn bad_arguments_are_refused() {
    let o = rulebook(&[
        "eval",
        "--facts",
        "examples/support.json",
        "--decision",
        "nonsense",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("the policy has no decision `nonsense`; it has: filing, support, annual_report, evaluation, sanction"));
    let o = rulebook(&[
        "eval",
        "--facts",
        "examples/support.json",
        "--as-of",
        "2026-02-30",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let o = rulebook(&["eval", "--facts", "no/such/file.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot read `no/such/file.json`"));
    let o = rulebook(&["eval"]);
    assert_eq!(o.status.code(), Some(2));
    let o = rulebook(&[
        "eval",
        "--facts",
        "examples/support.json",
        "--format",
        "pdf",
    ]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn an_invalid_policy_is_exit_1() {
    let o = rulebook(&[
        "eval",
        "--facts",
        "examples/support.json",
        "--policy",
        "tests/fixtures/broken-names",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let o = rulebook(&["check", "--policy", "no/such/folder"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("cannot read the policy folder `no/such/folder`"));
}

// ------------------------------------------------------------------ help and test

#[test]
fn every_command_has_help() {
    for args in [
        vec!["--help"],
        vec!["check", "--help"],
        vec!["eval", "--help"],
        vec!["test", "--help"],
        vec!["diff", "--help"],
    ] {
        let o = rulebook(&args);
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        assert!(
            stdout(&o).contains("Usage: rulebook"),
            "{args:?}: {}",
            stdout(&o)
        );
    }
    assert!(stdout(&rulebook(&["eval", "--help"])).contains("--as-of <AS_OF>"));
}

#[test]
fn the_test_command_runs_the_scenarios() {
    let o = rulebook(&["test"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let last = stdout(&o).lines().last().unwrap().to_string();
    let (passed, failed) = last.split_once(" passed, ").unwrap();
    assert!(passed.parse::<usize>().unwrap() >= 120);
    assert_eq!(failed, "0 failed");
}

#[test]
fn extreme_amounts_give_a_record_not_a_crash() {
    // The largest amount a decimal holds, against sales of one yuan: overflowing ratios and
    // differences must stay values (unknown or shown as they are), never a panic.
    let mut case: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("examples/ineligible-filing.json").unwrap())
            .unwrap();
    for y in 0..3 {
        let f = &mut case["consortium"]["members"][0]["financials"][y];
        f["rnd_expense"] = serde_json::json!("79228162514264337593543950335");
        f["sales_revenue"] = serde_json::json!("1");
        // Amounts may not be negative (the vocabulary's range); three years of the largest one
        // overflow any sum.
        f["main_business_revenue"] = serde_json::json!("79228162514264337593543950335");
    }
    for format in ["json", "text", "letter"] {
        let o = rulebook_stdin(
            &[
                "eval",
                "--facts",
                "-",
                "--decision",
                "filing",
                "--format",
                format,
            ],
            case.to_string().as_bytes(),
        );
        assert_eq!(o.status.code(), Some(0), "{format}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"));
    }
}

#[test]
fn letters_in_markdown_and_html_with_a_number_and_a_date() {
    let base = [
        "eval",
        "--facts",
        "examples/sanction.json",
        "--decision",
        "sanction",
    ];
    let md = rulebook(
        &[
            &base[..],
            &["--format", "letter", "--letter-number", "N〔2031〕7号"],
        ]
        .concat(),
    );
    assert_eq!(md.status.code(), Some(0), "{}", stderr(&md));
    let md = stdout(&md);
    assert!(md.contains("\nN〔2031〕7号\n"), "{md}");
    let html = rulebook(
        &[
            &base[..],
            &[
                "--format",
                "html",
                "--letter-number",
                "N〔2031〕7号",
                "--letter-date",
                "2031-02-03",
            ],
        ]
        .concat(),
    );
    assert_eq!(html.status.code(), Some(0), "{}", stderr(&html));
    let html = stdout(&html);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("N〔2031〕7号"));
    assert!(html.contains("2031年2月3日"));
    // The same letter: the Markdown's outcome is in the page.
    let outcome = md.split("**").nth(1).unwrap();
    assert!(html.contains(&format!("<strong>{outcome}</strong>")));
    let bad = rulebook(
        &[
            &base[..],
            &["--format", "letter", "--letter-date", "2031-13-01"],
        ]
        .concat(),
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("--letter-date"), "{}", stderr(&bad));
    assert!(stdout(&rulebook(&["eval", "--help"])).contains("--letter-number"));
    // Checked as the service checks `letter_number=`/`letter_date=`: a date written in full, a
    // number on one visible line, and only for a letter.
    for (extra, word) in [
        (
            &["--format", "letter", "--letter-date", "2031-2-3"][..],
            "--letter-date",
        ),
        (
            &["--format", "letter", "--letter-number", " "][..],
            "--letter-number",
        ),
        (
            &["--format", "letter", "--letter-number", "N\u{202e}7"][..],
            "--letter-number",
        ),
        (
            &["--format", "html", "--letter-number", "N\n7"][..],
            "--letter-number",
        ),
        (&["--letter-number", "N〔2031〕7号"][..], "--format letter"),
    ] {
        let bad = rulebook(&[&base[..], extra].concat());
        assert_eq!(bad.status.code(), Some(2), "{extra:?}");
        assert!(stderr(&bad).contains(word), "{extra:?}: {}", stderr(&bad));
        assert!(stdout(&bad).is_empty());
    }
}

/// Mistakes in the command itself: each says what to give instead, with exit 2.
#[test]
fn a_command_without_its_input_or_with_a_missing_path_says_what_to_give() {
    // eval without an input names both ways to give one.
    let o = rulebook(&["eval", "--policy", LENDING]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--facts <FACTS>|--batch <BATCH>"),
        "{}",
        stderr(&o)
    );
    // A scenario path that is not there is an error, not a changed scenario.
    let o = rulebook(&[
        "test",
        "--policy",
        LENDING,
        "tests/fixtures/no-such-scenario.json",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("`tests/fixtures/no-such-scenario.json` does not exist"),
        "{}",
        stderr(&o)
    );
    assert!(!stdout(&o).contains("CHANGED"), "{}", stdout(&o));
}

/// A case file that is not JSON at all says so before the reader's own words.
#[test]
fn a_case_file_that_is_not_json_says_so() {
    let o = rulebook_stdin(&["eval", "--policy", LENDING, "--facts", "-"], b"hello");
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "error: -: the case file is not valid JSON: expected value at line 1 column 1\n"
    );
    // In a batch, the line's error says the same.
    let o = rulebook_stdin(&["eval", "--policy", LENDING, "--batch", "-"], b"{oops}\n");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("\"error\":\"the case file is not valid JSON: key must be a string"),
        "{}",
        stdout(&o)
    );
}
