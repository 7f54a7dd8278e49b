//! Case files whose meaning is ambiguous, and inputs built to exhaust the stack, driven through
//! the real binary (CONTRACT section 4, vocabulary v1.1; issue 7 points 3 and 4). Each test
//! asserts the exit code and the exact message with its JSON path.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;
use serde_json::{json, Value};
use std::process::Output;

use support::run_with_stdin as run;

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A complete, valid case file to spoil one fact at a time.
fn case() -> Value {
    serde_json::from_str(&std::fs::read_to_string("examples/eligible-filing.json").unwrap())
        .unwrap()
}

/// The case refused with exit 2 and exactly this message (then serde's position in the text).
fn refused_with(input: &[u8], extra: &[&str], message: &str) {
    let mut args = vec!["eval", "--facts", "-", "--decision", "filing"];
    args.extend_from_slice(extra);
    let o = run(&args, input);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{e}");
    assert!(stdout(&o).is_empty(), "{}", stdout(&o));
    let want = format!("error: -: {message} at line ");
    assert!(e.starts_with(&want), "expected\n  {want}\ngot\n  {e}");
    assert!(!e.contains("panicked"), "{e}");
}

fn evaluated(input: &[u8], extra: &[&str]) -> (Value, String) {
    let mut args = vec!["eval", "--facts", "-", "--decision", "filing"];
    args.extend_from_slice(extra);
    let o = run(&args, input);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = serde_json::from_slice(&o.stdout).unwrap();
    (v, stderr(&o))
}

// ------------------------------------------------------------------ one meaning per key

#[test]
fn two_members_with_one_id_are_refused_naming_both() {
    let mut c = case();
    let first = c["consortium"]["members"][0].clone();
    let id = first["id"].as_str().unwrap().to_string();
    let n = c["consortium"]["members"].as_array().unwrap().len();
    c["consortium"]["members"]
        .as_array_mut()
        .unwrap()
        .push(first);
    refused_with(
        c.to_string().as_bytes(),
        &[],
        &format!(
            "consortium.members[0].id and consortium.members[{n}].id are both {id:?}; each entry of the list needs its own id"
        ),
    );
}

#[test]
fn two_financial_records_of_one_year_are_refused_naming_both() {
    let mut c = case();
    let fin = &mut c["consortium"]["members"][0]["financials"];
    let year = fin[0]["year"].as_i64().unwrap();
    fin[2]["year"] = json!(year);
    refused_with(
        c.to_string().as_bytes(),
        &[],
        &format!(
            "consortium.members[0].financials[0].year and consortium.members[0].financials[2].year are both {year}; each entry of the list needs its own year"
        ),
    );
}

#[test]
fn two_evaluations_of_one_cycle_are_refused_naming_both() {
    let mut c = case();
    c["consortium"]["evaluations"] = json!([
        {"cycle": 1, "completed_on": "2026-01-10", "grade": "qualified"},
        {"cycle": 2, "completed_on": "2026-02-10", "grade": "qualified"},
        {"cycle": 1, "completed_on": "2026-03-10", "grade": "excellent"}
    ]);
    refused_with(
        c.to_string().as_bytes(),
        &[],
        "consortium.evaluations[0].cycle and consortium.evaluations[2].cycle are both 1; each entry of the list needs its own cycle",
    );
}

#[test]
fn as_of_twice_is_refused_whichever_comes_first() {
    let text = std::fs::read_to_string("examples/eligible-filing.json").unwrap();
    let twice = text.replacen('{', r#"{"as_of": "2020-01-01","#, 1);
    refused_with(
        twice.as_bytes(),
        &[],
        "as_of: given twice in one object; give each fact once (JSON readers disagree on which one counts)",
    );
    // Also deeper down and also for a lenient reader, which only forgives unknown fields.
    let mut c = case().to_string();
    c = c.replacen(r#""kind":"#, r#""kind":"university","kind":"#, 1);
    refused_with(
        c.as_bytes(),
        &["--lenient"],
        "consortium.members[0].kind: given twice in one object; give each fact once (JSON readers disagree on which one counts)",
    );
}

// ------------------------------------------------------------------ byte order mark

#[test]
fn a_byte_order_mark_is_accepted_from_a_file_stdin_and_batch_lines() {
    let plain = case().to_string();
    let bom = format!("\u{feff}{plain}");
    let (want, _) = evaluated(plain.as_bytes(), &[]);
    let (got, _) = evaluated(bom.as_bytes(), &[]);
    assert_eq!(got, want);

    let dir = std::env::temp_dir().join(format!("rulebook-bom-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("case.json");
    std::fs::write(&file, &bom).unwrap();
    let o = run(
        &[
            "eval",
            "--facts",
            file.to_str().unwrap(),
            "--decision",
            "filing",
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(serde_json::from_slice::<Value>(&o.stdout).unwrap(), want);

    let batch = format!("{bom}\n{plain}\n");
    let o = run(
        &["eval", "--batch", "-", "--decision", "filing"],
        batch.as_bytes(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let lines: Vec<Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["line"], 1);
    assert_eq!(lines[0]["decisions"], want["decisions"]);
    assert_eq!(lines[1]["decisions"], want["decisions"]);
    let _ = std::fs::remove_dir_all(&dir);
}

// ------------------------------------------------------------------ ranges of the vocabulary

#[test]
fn negative_money_is_refused_with_the_bound() {
    let mut c = case();
    c["consortium"]["members"][0]["matching_funds"] = json!("-2000000");
    refused_with(
        c.to_string().as_bytes(),
        &[],
        r#"consortium.members[0].matching_funds: expected at least 0, got "-2000000""#,
    );
    c["consortium"]["members"][0]["matching_funds"] = json!(-1);
    refused_with(
        c.to_string().as_bytes(),
        &[],
        "consortium.members[0].matching_funds: expected at least 0, got -1",
    );
    // Zero is inside the range.
    c["consortium"]["members"][0]["matching_funds"] = json!("0");
    evaluated(c.to_string().as_bytes(), &[]);
}

#[test]
fn negative_counts_are_refused_with_the_bound() {
    let mut c = case();
    c["consortium"]["members"][0]["leads_other_consortia"] = json!(-3);
    refused_with(
        c.to_string().as_bytes(),
        &[],
        "consortium.members[0].leads_other_consortia: expected at least 0, got -3",
    );
}

// ------------------------------------------------------------------ fields not in the vocabulary

fn misspelled() -> String {
    let mut c = case();
    let m = c["consortium"]["members"][0].as_object_mut().unwrap();
    let v = m.remove("tech_enterprise").unwrap();
    m.insert("tech_enterprize".into(), v);
    c.to_string()
}

const TYPO: &str = "consortium.members[0].tech_enterprize: not a fact of member units; did you mean tech_enterprise?";

#[test]
fn a_misspelled_key_is_refused_with_a_did_you_mean() {
    refused_with(misspelled().as_bytes(), &[], TYPO);
    // Far from every fact: no guess.
    let mut c = case();
    c["consortium"]["colour"] = json!("blue");
    refused_with(
        c.to_string().as_bytes(),
        &[],
        "consortium.colour: not a fact of consortium",
    );
}

#[test]
fn lenient_keeps_a_misspelled_key_as_a_warning_on_stderr_in_the_record_and_the_text() {
    let warning = format!("{TYPO} (ignored)");
    let (record, err) = evaluated(misspelled().as_bytes(), &["--lenient"]);
    assert_eq!(err, format!("warning: -: {warning}\n"));
    assert_eq!(record["decisions"][0]["warnings"], json!([warning]));

    let o = run(
        &[
            "eval",
            "--facts",
            "-",
            "--decision",
            "filing",
            "--lenient",
            "--format",
            "text",
            "--lang",
            "en",
        ],
        misspelled().as_bytes(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains(&format!("warning: {warning}\n")),
        "{}",
        stdout(&o)
    );
}

// ------------------------------------------------------------------ batch

#[test]
fn batch_records_carry_their_line_counting_blank_lines() {
    let good = case().to_string();
    let input = format!(
        "{good}\n\n{{\"as_of\": \"2026-02-30\"}}\n   \n{}\n{good}\n",
        misspelled()
    );
    let o = run(
        &["eval", "--batch", "-", "--decision", "filing"],
        input.as_bytes(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let lines: Vec<Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["line"], 1);
    assert_eq!(lines[0]["decisions"][0]["decision"], "filing");
    assert_eq!(
        lines[1],
        json!({"line": 3, "error": "as_of: expected a date YYYY-MM-DD, got \"2026-02-30\" at line 1 column 22"})
    );
    assert_eq!(lines[2]["line"], 5);
    assert!(
        lines[2]["error"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{TYPO} at line 1 column ")),
        "{}",
        lines[2]
    );
    assert_eq!(lines[3]["line"], 6);
    assert_eq!(lines[3]["decisions"], lines[0]["decisions"]);
    // `line` is the record's first key, so a reader can match it without parsing the rest.
    assert!(stdout(&o).starts_with("{\"line\":1,\"policy\":"));

    // Lenient: the misspelled line is evaluated, its warning in the record and on stderr.
    let o = run(
        &["eval", "--batch", "-", "--decision", "filing", "--lenient"],
        input.as_bytes(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let lines: Vec<Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[2]["line"], 5);
    assert_eq!(
        lines[2]["decisions"][0]["warnings"],
        json!([format!("{TYPO} (ignored)")])
    );
    assert_eq!(stderr(&o), format!("warning: line 5: {TYPO} (ignored)\n"));
}

#[test]
fn a_decision_asked_twice_is_given_once() {
    let once = run(
        &["eval", "--facts", "-", "--decision", "filing"],
        case().to_string().as_bytes(),
    );
    let twice = run(
        &[
            "eval",
            "--facts",
            "-",
            "--decision",
            "filing",
            "--decision",
            "filing",
        ],
        case().to_string().as_bytes(),
    );
    assert_eq!(twice.status.code(), Some(0), "{}", stderr(&twice));
    let v: Value = serde_json::from_slice(&twice.stdout).unwrap();
    assert_eq!(v["decisions"].as_array().unwrap().len(), 1);
    assert_eq!(v["decisions"][0]["decision"], "filing");
    assert_eq!(twice.stdout, once.stdout);
}

// ------------------------------------------------------------------ limits

/// A copy of the second policy with one more rule file, in a fresh folder.
fn policy_with(tag: &str, extra: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("rulebook-deep-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for f in std::fs::read_dir("tests/fixtures/library-lending").unwrap() {
        let p = f.unwrap().path();
        std::fs::copy(&p, dir.join(p.file_name().unwrap())).unwrap();
    }
    std::fs::write(dir.join("zz-deep.rules"), extra).unwrap();
    dir
}

#[test]
fn twenty_thousand_nested_nots_are_an_error_at_the_span_not_a_stack_overflow() {
    let cases = [
        (
            "not",
            format!("let deep = {}true\n", "not ".repeat(20_000)),
            12 + 4 * 199,
        ),
        (
            "and",
            format!("let deep = true{}\n", " and true".repeat(20_000)),
            17 + 9 * 199,
        ),
    ];
    for (op, text, col) in cases {
        let dir = policy_with(op, &text);
        let o = run(&["check", "--policy", dir.to_str().unwrap()], b"");
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{op}: {e}");
        let first = e.lines().next().unwrap();
        assert_eq!(
            first,
            format!(
                "error: {}/zz-deep.rules:1:{col}: this expression nests more than 200 operators and brackets deep",
                dir.display()
            )
        );
        assert!(!e.contains("overflow"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn deep_brackets_and_let_chains_are_errors_not_stack_overflows() {
    let parens = format!(
        "let deep = {}true{}\n",
        "(".repeat(20_000),
        ")".repeat(20_000)
    );
    let dir = policy_with("parens", &parens);
    let o = run(&["check", "--policy", dir.to_str().unwrap()], b"");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("zz-deep.rules:1:"), "{}", stderr(&o));
    let _ = std::fs::remove_dir_all(&dir);

    let chain: String = (0..20_000)
        .map(|i| format!("let v{i} = v{}\n", i + 1))
        .chain(std::iter::once("let v20000 = true\n".to_string()))
        .collect();
    // `check` refuses the chain (exit 1), its first error at `at` of the rule file; its stderr.
    let too_deep_at = |tag: &str, rules: &str, at: &str| {
        let dir = policy_with(tag, rules);
        let o = run(&["check", "--policy", dir.to_str().unwrap()], b"");
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{e}");
        assert_eq!(
            e.lines().next().unwrap(),
            format!(
                "error: {}/zz-deep.rules:{at}: this expression nests more than 400 levels deep (counting the `let` values it uses)",
                dir.display()
            )
        );
        let _ = std::fs::remove_dir_all(&dir);
        e
    };
    too_deep_at("lets", &chain, "401:12");

    // Written in order, each value is compiled before the next uses it, but evaluation still
    // nests them all (a value is computed at its first use): before the checker counted each
    // value's own height, `check` passed this chain and `eval` overflowed the stack.
    let forward: String = std::iter::once("let w0 = 1\n".to_string())
        .chain((1..20_000).map(|i| format!("let w{i} = w{} + 1\n", i - 1)))
        .collect();
    let e = too_deep_at("forward", &forward, "201:12");
    assert_eq!(
        e.matches("error: ").count(),
        1,
        "one error for the whole chain: {e}"
    );
}

#[test]
fn the_deepest_expressions_check_admits_load_and_decide_in_the_service() {
    let deepest = std::fs::read_to_string("tests/fixtures/deepest-admitted.rules").unwrap();
    let dir = policy_with("admitted", &deepest);
    let check = run(&["check", "--policy", dir.to_str().unwrap()], b"");
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    // The service loads on its own threads, not the main thread: a debug build used to overflow
    // their stack here and abort.
    let server = support::Server::start(
        &["--policy", dir.to_str().unwrap(), "--no-log"],
        &[("RULEBOOK_CACHE", "off")],
    );
    let r = support::post_json(
        &server.url("/v1/decisions?decision=borrow"),
        r#"{"as_of":"2026-03-10","reader":{"id":"R1","student":false,"unpaid_fines":"0","loans":[]}}"#,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let record = r.json();
    assert_eq!(record["decisions"][0]["outcome"], "allowed", "{}", r.body);
    let rules: Vec<&str> = record["decisions"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert!(rules.contains(&"deep-rule"), "{rules:?}");
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_deeply_nested_case_file_is_exit_2() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let o = run(&["eval", "--facts", "-"], deep.as_bytes());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).starts_with("error: -: invalid type: sequence, expected a JSON object"));
    let nested = format!(
        r#"{{"as_of":"2026-03-01","consortium":{}1{}}}"#,
        r#"{"members":"#.repeat(20_000),
        "}".repeat(20_000)
    );
    let o = run(&["eval", "--facts", "-"], nested.as_bytes());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).starts_with("error: -: consortium.members: expected a list […], got an object"),
        "{}",
        stderr(&o)
    );
}
