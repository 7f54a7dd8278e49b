//! Words for what is not known (CONTRACT 5.1 "Words"), on the library-lending fixture: an
//! unknown finding's message names the missing fact and states no value it does not have.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rulebook::Policy;
use serde_json::Value;

const READER: &str = r#"{"as_of":"2026-03-10","reader":{"id":"R1","student":false,"unpaid_fines":"12.5",
  "loans":[{"book":"B1","due_on":"2026-03-01"},{"book":"B2","due_on":"2026-01-01"}]}}"#;

fn record(json: &str) -> Value {
    let p = Policy::load("tests/fixtures/library-lending").unwrap();
    let facts = p.parse_case(json).unwrap();
    let e = p.evaluate(&facts, facts.as_of.unwrap(), &[]);
    serde_json::from_str(&p.record_json(&e)).unwrap()
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
