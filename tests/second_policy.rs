//! A second, unrelated policy (a city library's lending rules) run through the library API: the
//! engine is generic, and nothing in it knows the Xiamen measures.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rulebook::eval::findings::{Status, Subject};
use rulebook::Policy;

fn policy() -> Policy {
    Policy::load("tests/fixtures/library-lending").expect("the library policy loads")
}

fn eval(json: &str, decision: &str) -> (Policy, rulebook::Evaluation) {
    let p = policy();
    let facts = p.parse_case(json).expect("a usable case");
    let d = p.decision_index(decision).expect("the decision exists");
    let e = p.evaluate(&facts, facts.as_of.expect("as_of"), &[d]);
    (p, e)
}

fn outcome(p: &Policy, e: &rulebook::Evaluation) -> String {
    let d = &e.decisions[0];
    p.program.decisions[d.decision.index()].outcomes[d.outcome.index()]
        .name
        .clone()
}

const READER: &str = r#"{"as_of":"2026-03-10","reader":{"id":"R1","student":false,"unpaid_fines":"12.5",
  "loans":[{"book":"B1","due_on":"2026-03-01"},{"book":"B2","due_on":"2026-01-01"},{"book":"B3","due_on":"2026-04-01"}]}}"#;

#[test]
fn law_coverage_of_the_second_policy() {
    let c = policy().coverage.expect("the policy names its source text");
    assert_eq!((c.total, c.encoded, c.declaratory), (4, 3, 1));
}

#[test]
fn borrowing_is_allowed_under_the_limits() {
    let (p, e) = eval(READER, "borrow");
    assert_eq!(outcome(&p, &e), "allowed");
}

#[test]
fn five_loans_refuse_borrowing() {
    let five = READER.replace(
        r#"{"book":"B3","due_on":"2026-04-01"}"#,
        r#"{"book":"B3","due_on":"2026-04-01"},{"book":"B4","due_on":"2026-04-01"},{"book":"B5","due_on":"2026-04-01"}"#,
    );
    let (p, e) = eval(&five, "borrow");
    assert_eq!(outcome(&p, &e), "refused");
    let f = e.decisions[0]
        .findings
        .iter()
        .find(|f| p.program.rules[f.rule.index()].id == "loan-limit")
        .unwrap();
    assert_eq!(f.status, Status::Violated);
}

#[test]
fn overdue_fines_per_book_with_a_cap() {
    let (p, e) = eval(READER, "fines");
    assert_eq!(outcome(&p, &e), "fined");
    let fines: Vec<(Subject, String)> = e.decisions[0]
        .effects
        .iter()
        .map(|x| (x.subject.clone(), x.amount.unwrap().to_string()))
        .collect();
    assert_eq!(
        fines,
        vec![
            (Subject::Text("B1".into()), "4.5".into()),
            (Subject::Text("B2".into()), "20".into())
        ]
    );
}

#[test]
fn students_are_exempt_by_an_exception() {
    let (p, e) = eval(
        &READER.replace(r#""student":false"#, r#""student":true"#),
        "fines",
    );
    assert_eq!(outcome(&p, &e), "waived");
    assert!(e.decisions[0].effects.is_empty());
}

#[test]
fn unknown_fines_leave_borrowing_undetermined_with_the_missing_fact() {
    let (p, e) = eval(&READER.replace(r#""unpaid_fines":"12.5","#, ""), "borrow");
    assert_eq!(outcome(&p, &e), "undetermined");
    let paths: Vec<String> = e.decisions[0]
        .missing
        .iter()
        .map(|m| m.path(&p.program))
        .collect();
    assert_eq!(paths, vec!["reader.unpaid_fines".to_string()]);
}

#[test]
fn outside_its_validity_the_gate_closes() {
    let (p, e) = eval(&READER.replace("2026-03-10", "2028-01-01"), "borrow");
    assert_eq!(outcome(&p, &e), "closed");
    assert_eq!(e.decisions[0].findings.len(), 1);
}

#[test]
fn no_rust_source_names_a_term_of_the_measures() {
    // The list is data, so that this file itself names none of the measures' words.
    let list = std::fs::read_to_string("tests/fixtures/measure-terms.txt").unwrap();
    let terms: Vec<&str> = list
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    assert!(terms.len() >= 10, "the list of terms is read");
    let mut stack = vec![std::path::PathBuf::from("src")];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let text = std::fs::read_to_string(&p).unwrap().to_lowercase();
            for t in &terms {
                assert!(!text.contains(t), "{} names `{t}`", p.display());
            }
        }
    }
}

#[test]
fn a_key_holding_dots_and_brackets_stays_one_step_of_the_missing_fact() {
    use rulebook::eval::findings::Step;
    use rulebook::explain::facts::label;
    use rulebook::explain::Lang;
    let case = READER.replace(
        r#"{"book":"B1","due_on":"2026-03-01"}"#,
        r#"{"book":"B.1[x].y"}"#,
    );
    let (p, e) = eval(&case, "fines");
    let m = e.decisions[0]
        .missing
        .iter()
        .find(|m| {
            m.steps
                .iter()
                .any(|s| matches!(s, Step::Key(k) if &**k == "B.1[x].y"))
        })
        .expect("the loan's missing due date");
    assert_eq!(m.path(&p.program), "reader.loans[B.1[x].y].due_on");
    assert_eq!(m.steps.len(), 4, "{:?}", m.steps);
    // In words: the list and its key, then the field, with nothing of the path syntax.
    let zh = label(&p.program, m, None, Lang::Zh);
    assert_eq!(zh, "在借图书 B.1[x].y 应还日期");
    let en = label(&p.program, m, None, Lang::En);
    assert_eq!(en, "loans B.1[x].y due date");
}
