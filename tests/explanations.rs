//! Explanations, on a fixture policy (a library's lending rules): a failing comparison's
//! counterfactual, applied to the case, flips its finding to satisfied, and one unit less does not
//! (it is the smallest change); the record carries it in both languages; a satisfied finding has
//! none. The measures' own wording is kept as data: the expected records and letters of their
//! golden scenarios (policies/*/*/expected/).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rulebook::eval::findings::{Counterfactual, Finding, Shown, Status};
use rulebook::Policy;
use rust_decimal::Decimal;
use serde_json::{json, Value};

fn policy() -> Policy {
    Policy::load("tests/fixtures/library-lending").unwrap()
}

fn reader(loans: usize, fines: &str) -> Value {
    let loans: Vec<Value> = (0..loans)
        .map(|i| json!({"book": format!("B{i}"), "due_on": "2030-01-01"}))
        .collect();
    json!({"as_of": "2026-06-01", "reader": {"id": "R1", "student": false, "unpaid_fines": fines, "loans": loans}})
}

fn finding(p: &Policy, case: &Value, rule: &str) -> Finding {
    let facts = p.parse_case(&case.to_string()).unwrap();
    let d = p.decision_index("borrow").unwrap();
    let e = p.evaluate(&facts, facts.as_of.unwrap(), &[d]);
    e.decisions[0]
        .findings
        .iter()
        .find(|f| p.program.rules[f.rule.index()].id == rule)
        .unwrap_or_else(|| panic!("no finding of {rule}"))
        .clone()
}

/// The single change a finding asks for: (delta, increase).
fn delta(f: &Finding) -> (Decimal, bool) {
    let Some(Counterfactual::Change(c)) = f.counterfactual.as_deref() else {
        panic!("no change: {f:?}")
    };
    let d = match &c.delta {
        Shown::Int(i) => Decimal::from(*i),
        Shown::Money(m) | Shown::Decimal(m) | Shown::Percent(m) => *m,
        other => panic!("{other:?}"),
    };
    (d, c.increase)
}

/// The counterfactual's change, applied with `edit`, satisfies the rule; one unit less does not.
fn check_flip(rule: &str, case: &Value, edit: impl Fn(&mut Value, Decimal), want: (&str, bool)) {
    let p = policy();
    let before = finding(&p, case, rule);
    assert_eq!(before.status, Status::Violated, "{rule} must fail first");
    let (d, increase) = delta(&before);
    assert_eq!(
        (d.normalize().to_string().as_str(), increase),
        want,
        "{rule}"
    );
    let mut flipped = case.clone();
    edit(&mut flipped, d);
    assert_eq!(
        finding(&p, &flipped, rule).status,
        Status::Satisfied,
        "{rule}: the change satisfies it"
    );
    let mut short = case.clone();
    edit(&mut short, d - Decimal::ONE);
    assert_eq!(
        finding(&p, &short, rule).status,
        Status::Violated,
        "{rule}: one unit less does not"
    );
}

#[test]
fn too_many_books_on_loan_come_down_by_the_smallest_count() {
    // `on_loan < 5` with 7 books: 3 fewer.
    check_flip(
        "loan-limit",
        &reader(7, "0"),
        |c, d| {
            let n = usize::try_from(i64::try_from(d).unwrap()).unwrap();
            let loans = c["reader"]["loans"].as_array_mut().unwrap();
            loans.truncate(loans.len() - n);
        },
        ("3", false),
    );
}

#[test]
fn unpaid_fines_come_down_by_the_smallest_amount() {
    // `fines < 50元` with 80元: 31元 less (one yuan is the smallest step of money).
    check_flip(
        "unpaid-fines",
        &reader(1, "80"),
        |c, d| c["reader"]["unpaid_fines"] = json!((Decimal::from(80) - d).normalize().to_string()),
        ("31", false),
    );
}

/// The findings of `borrow` in the full record of `case`, as JSON.
fn record_findings(case: &Value) -> Vec<Value> {
    let p = policy();
    let facts = p.parse_case(&case.to_string()).unwrap();
    let e = p.evaluate(
        &facts,
        facts.as_of.unwrap(),
        &[p.decision_index("borrow").unwrap()],
    );
    let r: Value = serde_json::from_str(&p.record_json(&e)).unwrap();
    r["decisions"][0]["findings"].as_array().unwrap().clone()
}

/// The finding of rule `id` among `findings`.
fn finding_of(findings: &[Value], id: &str) -> Value {
    findings
        .iter()
        .find(|f| f["rule"] == id)
        .unwrap_or_else(|| panic!("no finding of {id}"))
        .clone()
}

#[test]
fn the_record_carries_the_counterfactual_in_both_languages_and_only_when_failing() {
    let findings = record_findings(&reader(7, "0"));
    let by_rule = |id: &str| finding_of(&findings, id);
    // Both languages name the value found and the change (the fixture has no wording of its
    // own: these are the engine's fallback phrases).
    let cf = by_rule("loan-limit")["counterfactual"].clone();
    for lang in ["zh", "en"] {
        let t = cf[lang].as_str().unwrap();
        assert!(t.contains('7') && t.contains('3'), "{lang}: {t}");
    }
    assert!(by_rule("unpaid-fines").get("counterfactual").is_none());
    assert_eq!(by_rule("unpaid-fines")["status"], "satisfied");
    // `on_loan < 5` with 7: the words name where the change lands (4), not the provision's 5,
    // so that "7 → 4, less 3" adds up (the fixture gives no wording: the engine's own).
    assert_eq!(cf["en"], "books on loan: 7 → 4 (−3)");
    assert_eq!(cf["zh"], "在借册数: 7 → 4 (−3)");
}

/// A strict comparison of money: `fines < 50元` with 80元 comes down by 31元 to 49元, and the
/// words say so (before, "80元 → 50元 (−31元)" did not add up).
#[test]
fn a_strict_bound_is_passed_by_one_step_in_the_words_too() {
    let fines = finding_of(&record_findings(&reader(1, "80")), "unpaid-fines");
    assert_eq!(fines["status"], "violated");
    assert_eq!(
        fines["counterfactual"]["zh"],
        "欠缴罚款: 80元 → 49元 (−31元)"
    );
    assert_eq!(
        fines["counterfactual"]["en"],
        "unpaid fines: CNY 80 → CNY 49 (−CNY 31)"
    );
}
