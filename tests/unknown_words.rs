//! Words for what is not known (CONTRACT 5.1 "Words"), on the library-lending fixture: an
//! unknown finding's message names the missing fact and states no value it does not have.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use rulebook::Policy;
use serde_json::Value;

const READER: &str = r#"{"as_of":"2026-03-10","reader":{"id":"R1","student":false,"unpaid_fines":"12.5",
  "loans":[{"book":"B1","due_on":"2026-03-01"},{"book":"B2","due_on":"2026-01-01"}]}}"#;

fn record(json: &str) -> Value {
    decided(
        &Policy::load("tests/fixtures/library-lending").unwrap(),
        json,
    )
    .0
}

/// A case read and evaluated under `p` on its own date.
fn evaluated(p: &Policy, json: &str) -> (rulebook::eval::facts::Facts, rulebook::Evaluation) {
    let facts = p.parse_case(json).unwrap();
    let e = p.evaluate(&facts, facts.as_of.unwrap(), &[]);
    (facts, e)
}

/// A case's Chinese `--format text` report under `p`, without colour.
fn text_report(p: &Policy, json: &str) -> String {
    rulebook::explain::text::render(p, &evaluated(p, json).1, rulebook::explain::Lang::Zh, false)
}

/// A case decided under `p`: its record and its Chinese letter.
fn decided(p: &Policy, json: &str) -> (Value, String) {
    let (facts, e) = evaluated(p, json);
    let opts = rulebook::explain::letter::LetterOptions::new(rulebook::explain::Lang::Zh);
    let record = serde_json::from_str(&p.record_json(&e)).unwrap();
    (record, p.letter_markdown(Some(&facts), &e, &opts))
}

fn finding<'a>(r: &'a Value, decision: &str, rule: &str) -> &'a Value {
    r["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["decision"] == decision)
        .and_then(|d| {
            d["findings"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["rule"] == rule)
        })
        .unwrap_or_else(|| panic!("no finding of {rule} in {decision}"))
}

#[test]
fn an_unknown_finding_names_the_missing_fact_instead_of_a_value() {
    let r = record(&READER.replace(r#""unpaid_fines":"12.5","#, ""));
    let f = finding(&r, "borrow", "unpaid-fines");
    assert_eq!(f["status"], "unknown");
    // The fixture has no wording block: the engine's neutral `not_supplied` ("? {facts}").
    assert_eq!(
        f["message"]["zh"],
        "? 欠缴罚款；欠缴罚款达到50元的，不得借阅"
    );
    assert_eq!(
        f["message"]["en"],
        "? unpaid fines; no borrowing with CNY 50 or more unpaid"
    );
    assert_eq!(f["values"]["fines"], Value::Null);
    // The same rule, known, states its value.
    let known = record(READER);
    let f = finding(&known, "borrow", "unpaid-fines");
    assert_eq!(f["status"], "satisfied");
    assert_eq!(
        f["message"]["zh"],
        "欠缴罚款12.5元；欠缴罚款达到50元的，不得借阅"
    );
}

#[test]
fn a_fine_for_a_loan_of_unknown_due_date_stays_open_and_names_that_date() {
    let r = record(&READER.replace(r#","due_on":"2026-03-01""#, ""));
    let f = finding(&r, "fines", "overdue-fine");
    assert_eq!(f["subject"], "B1");
    assert_eq!(f["status"], "unknown");
    // The fact in words (no path syntax), then what the rule is about.
    assert_eq!(f["message"]["en"], "? loans B1 due date; overdue fine");
    let d = &r["decisions"][1];
    assert_eq!(d["outcome"], "undetermined");
    assert_eq!(d["missing"], serde_json::json!(["reader.loans[B1].due_on"]));
}

/// The fixture with its unpaid fines made a reviewers' judgement (`attested`), inside a record
/// that groups such judgements, and words for what is missing.
fn attested_fines_policy(dir: &std::path::Path) -> Policy {
    support::copy_policy("tests/fixtures/library-lending", dir);
    let file = dir.join("lending.rules");
    let text = std::fs::read_to_string(&file).unwrap();
    let edits = [
        (
            r#"    unpaid_fines: money >= 0 "欠缴罚款" | "unpaid fines""#,
            "    review: record \"馆员审核\" | \"librarians' findings\" {\n      unpaid_fines: money >= 0 attested \"欠缴罚款\" | \"unpaid fines\"\n    }",
        ),
        ("let fines = reader.unpaid_fines", "let fines = reader.review.unpaid_fines"),
    ];
    // A second condition of the same article on the same fact: the letter names the article once.
    let cap = r#"
rule fines-cap "罚款上限" | "fines cap"
  cite 2
  in borrow
  must reader.review.unpaid_fines < 100元
  says "欠缴罚款不得达到100元" | "unpaid fines stay under CNY 100"
"#;
    let mut edited = text.clone();
    for (from, to) in edits {
        assert!(edited.contains(from), "the fixture no longer has {from:?}");
        edited = edited.replace(from, to);
    }
    edited.push_str(cap);
    edited.push_str(
        r#"
wording {
  not_supplied "未提供{facts}" | "not given: {facts}"
  not_attested "尚未审核{facts}" | "not yet judged: {facts}"
  pending "待审核" | "pending"
  unknown_group "未提供{facts}，无法认定：{rules}" | "not given: {facts}; open: {rules}"
  unknown_group_attested "馆员尚未审核{facts}，无法认定：{rules}" | "librarians have yet to judge {facts}; open: {rules}"
  rule_item "{cite}（{rule}）" | "{cite} ({rule})"
  supply "请补充：" | "Please supply:"
  supply_item "{fact}：{rules}" | "{fact}, for {rules}"
  fact_of "{owner}的{field}" | "{field} of {owner}"
  list_sep "、" | "; "
}
"#,
    );
    std::fs::write(&file, edited).unwrap();
    Policy::load(dir).unwrap()
}

#[test]
fn a_missing_reviewers_judgement_is_not_asked_of_the_applicant() {
    let dir = support::temp_dir("attested-words");
    let p = attested_fines_policy(&dir);
    let case = READER
        .replace(r#""unpaid_fines":"12.5","#, "")
        .replace(r#""reader":{"#, r#""reader":{"review":{},"#);
    let (r, letter) = decided(&p, &case);
    let f = finding(&r, "borrow", "unpaid-fines");
    assert_eq!(f["status"], "unknown");
    // Its own wording, and the record that groups judgements is not named before the fact.
    assert_eq!(
        f["message"]["zh"],
        "尚未审核欠缴罚款；欠缴罚款达到50元的，不得借阅"
    );
    assert_eq!(
        f["message"]["en"],
        "not yet judged: unpaid fines; no borrowing with CNY 50 or more unpaid"
    );
    assert!(
        letter.contains("馆员尚未审核欠缴罚款，无法认定：第二条（欠缴罚款、罚款上限）"),
        "{letter}"
    );
    // Nothing to supply: the judgement is the librarians' to make.
    assert!(!letter.contains("请补充"), "{letter}");
    assert!(!letter.contains("未提供"), "{letter}");
    // As a value, in what the text report found, it is pending, not "not given".
    let text = text_report(&p, &case);
    assert!(text.contains("╰── 欠缴罚款待审核\n"), "{text}");

    // The record of judgements absent as a whole is a judgement not yet made too.
    let whole = READER.replace(r#""unpaid_fines":"12.5","#, "");
    let (_, letter_whole) = decided(&p, &whole);
    assert!(
        letter_whole.contains("馆员尚未审核馆员审核，无法认定：第二条（欠缴罚款、罚款上限）"),
        "{letter_whole}"
    );
    assert!(!letter_whole.contains("请补充"), "{letter_whole}");

    // A policy that does not word judgements apart keeps its own words for what is missing
    // (and still does not ask the applicant for them).
    let unworded: String = std::fs::read_to_string(dir.join("lending.rules"))
        .unwrap()
        .lines()
        .filter(|l| !l.contains("_attested ") && !l.contains("not_attested "))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(dir.join("lending.rules"), &unworded).unwrap();
    let (r2, letter2) = decided(&Policy::load(&*dir).unwrap(), &case);
    assert_eq!(
        finding(&r2, "borrow", "unpaid-fines")["message"]["zh"],
        "未提供欠缴罚款；欠缴罚款达到50元的，不得借阅"
    );
    assert!(
        letter2.contains("未提供欠缴罚款，无法认定：第二条（欠缴罚款、罚款上限）"),
        "{letter2}"
    );
    assert!(!letter2.contains("请补充"), "{letter2}");

    // The same fact not marked `attested` is asked for, by provision.
    let plain = std::fs::read_to_string(dir.join("lending.rules"))
        .unwrap()
        .replace("money >= 0 attested", "money >= 0");
    std::fs::write(dir.join("lending.rules"), plain).unwrap();
    let (_, letter) = decided(&Policy::load(&*dir).unwrap(), &case);
    assert!(
        letter.contains("未提供馆员审核的欠缴罚款，无法认定：第二条（欠缴罚款、罚款上限）"),
        "{letter}"
    );
    assert!(
        letter.contains("请补充：\n- 馆员审核的欠缴罚款：第二条（欠缴罚款、罚款上限）"),
        "{letter}"
    );
}

/// The fixture with a rule that states a value worked out from a fact (the fines doubled), and a
/// wording block with `extra` words for values.
fn doubled_fines_policy(dir: &std::path::Path, extra: &str) -> Policy {
    support::copy_policy("tests/fixtures/library-lending", dir);
    let file = dir.join("lending.rules");
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str(&format!(
        r#"
rule fines-doubled "罚款加倍" | "fines doubled"
  cite 2
  in borrow
  let fines = reader.unpaid_fines "欠缴罚款" | "unpaid fines"
  let same = fines "同一罚款" | "the same fines"
  let doubled = fines * 2 "加倍罚款" | "doubled fines"
  must reader.student or doubled < 100元
  found "欠缴罚款{{same}}，加倍为{{doubled}}" | "unpaid fines {{same}}, doubled {{doubled}}"

wording {{
  not_given "未提供" | "not given"
{extra}}}
"#
    ));
    std::fs::write(&file, text).unwrap();
    Policy::load(dir).unwrap()
}

#[test]
fn a_value_worked_out_from_a_missing_fact_is_not_said_to_be_unsubmitted() {
    let case = READER
        .replace(r#""unpaid_fines":"12.5","#, "")
        .replace(r#""student":false"#, r#""student":true"#);
    let dir = support::temp_dir("not-computed-words");
    let p = doubled_fines_policy(&dir, "  not_computed \"不详\" | \"unknown\"\n");
    let (r, _) = decided(&p, &case);
    // A student passes whatever the fines are, so the finding is known and states its values:
    // the fact (also through another `let`) as not given, the doubled fines as unknown.
    let f = finding(&r, "borrow", "fines-doubled");
    assert_eq!(f["status"], "satisfied");
    assert_eq!(f["message"]["zh"], "欠缴罚款未提供，加倍为不详");
    assert_eq!(
        f["message"]["en"],
        "unpaid fines not given, doubled unknown"
    );
    // The same words in plain text (the path letters and `--format text` take).
    let (_, e) = evaluated(&p, &case);
    let texts: Vec<String> = e
        .decisions
        .iter()
        .flat_map(|d| &d.findings)
        .map(|f| p.message(f, rulebook::explain::Lang::Zh))
        .collect();
    assert!(
        texts.iter().any(|t| t == "欠缴罚款未提供，加倍为不详"),
        "{texts:?}"
    );

    // Known, both are numbers.
    let (known, _) = decided(
        &p,
        &READER.replace(r#""student":false"#, r#""student":true"#),
    );
    assert_eq!(
        finding(&known, "borrow", "fines-doubled")["message"]["zh"],
        "欠缴罚款12.5元，加倍为25元"
    );

    // Not known at all (a reader who is no student), the text report's label at the rule says
    // what was found where that states facts ("欠缴罚款未提供"), and which fact is missing where
    // it would state a value the rules could not work out ("加倍为不详").
    let open = READER.replace(r#""unpaid_fines":"12.5","#, "");
    let text = text_report(&p, &open);
    assert!(text.contains("unknown 2: ? 欠缴罚款；"), "{text}");
    assert!(text.contains("╰── 欠缴罚款未提供\n"), "{text}");
    assert!(text.contains("╰── ? 欠缴罚款\n"), "{text}");
    assert!(!text.contains("加倍为不详"), "{text}");

    // A policy without `not_computed` says both as it says a fact not given.
    let dir = support::temp_dir("not-computed-fallback");
    let p = doubled_fines_policy(&dir, "");
    let (r, _) = decided(&p, &case);
    let f = finding(&r, "borrow", "fines-doubled");
    assert_eq!(f["message"]["zh"], "欠缴罚款未提供，加倍为未提供");
    assert_eq!(
        f["message"]["en"],
        "unpaid fines not given, doubled not given"
    );
}
