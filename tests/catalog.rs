//! The policy as data for the staff page's rules view (`rulebook::catalog`), on the library
//! fixture: articles in order with their text, rules under the article they cite, thresholds
//! exact, the facts each rule reads, outcomes with their labels, and the validity window.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rulebook::catalog::{self, Force};
use rulebook::Policy;

fn catalog() -> catalog::Catalog {
    let p = Policy::load("tests/fixtures/library-lending").expect("the library policy loads");
    catalog::build(&p.program, &p.digest, p.coverage.as_ref(), None)
}

#[test]
fn articles_in_order_with_their_rules() {
    let c = catalog();
    let numbers: Vec<u32> = c.articles.iter().map(|a| a.number).collect();
    assert_eq!(numbers, vec![1, 2, 3, 4]);
    assert_eq!(c.articles[0].heading.zh, "第一条");
    assert_eq!(c.articles[1].heading.en, "Article 2");
    assert_eq!(c.articles[0].declaratory.as_deref(), Some("目的条款"));
    assert!(c.articles[0].rules.is_empty());
    assert!(c.articles[1]
        .text
        .starts_with("第二条 读者同时在借图书不得超过5册"));
    let ids: Vec<&str> = c.articles[1].rules.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, vec!["loan-limit", "unpaid-fines"]);
    let art3: Vec<&str> = c.articles[2].rules.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(art3, vec!["student-exempt", "overdue-fine"]);
    assert!(c.unplaced.is_empty());
    let cov = c.coverage.expect("the fixture has a source text");
    assert_eq!((cov.total, cov.declaratory), (4, 1));
}

#[test]
fn a_rule_says_its_thresholds_and_reads_its_facts() {
    let c = catalog();
    let fines = &c.articles[1].rules[1];
    assert_eq!(fines.labels.zh, "欠缴罚款");
    assert_eq!(fines.force, Force::Must);
    assert_eq!(fines.cite_words.zh, "第二条");
    assert_eq!(fines.thresholds.len(), 1);
    assert_eq!(fines.thresholds[0].name, "cap");
    assert_eq!(fines.thresholds[0].kind, "money");
    assert_eq!(fines.thresholds[0].value, "50");
    assert_eq!(
        fines.says.as_ref().expect("says").zh,
        "欠缴罚款达到50元的，不得借阅"
    );
    assert_eq!(fines.reads, vec!["reader.unpaid_fines"]);
    assert_eq!(fines.decisions, vec!["borrow"]);
    assert!(
        fines.source.ends_with("lending.rules:51:1"),
        "{}",
        fines.source
    );

    let limit = &c.articles[1].rules[0];
    assert_eq!(limit.thresholds[0].kind, "int");
    assert_eq!(limit.thresholds[0].value, "5");
    assert_eq!(limit.reads, vec!["reader.loans"]);

    let overdue = &c.articles[2].rules[1];
    assert_eq!(overdue.effects, vec!["fine"]);
    assert_eq!(
        overdue.reads,
        vec![
            "reader.loans",
            "reader.loans[].book",
            "reader.loans[].due_on"
        ]
    );
    let exempt = &c.articles[2].rules[0];
    assert_eq!(exempt.force, Force::Effect);
    assert_eq!(exempt.overrides, vec!["overdue-fine"]);
    assert_eq!(exempt.decisions, vec!["fines"]);
}

#[test]
fn decisions_outcomes_and_window() {
    let c = catalog();
    assert_eq!(c.policy.version, "2026-01-01");
    assert_eq!(
        c.policy.effective.map(|d| d.to_string()).as_deref(),
        Some("2026-01-01")
    );
    assert_eq!(
        c.policy.last_day.map(|d| d.to_string()).as_deref(),
        Some("2027-12-31")
    );
    assert!(c.policy.digest.starts_with("sha256:"));
    let borrow = &c.decisions[0];
    assert_eq!(borrow.name, "borrow");
    assert_eq!(borrow.labels.zh, "借阅");
    let labels: Vec<(&str, &str)> = borrow
        .outcomes
        .iter()
        .map(|o| (o.name.as_str(), o.labels.zh.as_str()))
        .collect();
    assert_eq!(
        labels,
        vec![
            ("closed", "规则未生效"),
            ("refused", "不予借阅"),
            ("undetermined", "无法认定"),
            ("allowed", "可以借阅")
        ]
    );
    let json = serde_json::to_value(&c).expect("serialises");
    assert_eq!(json["articles"][1]["rules"][0]["force"], "must");
    assert_eq!(
        json["articles"][1]["rules"][0]["scenarios"],
        serde_json::Value::Null
    );
}

#[test]
fn the_vocabulary_as_a_tree() {
    let c = catalog();
    let reader = &c.vocabulary[0];
    assert_eq!((reader.name.as_str(), reader.ty), ("reader", "record"));
    assert_eq!(reader.labels.zh, "读者");
    let names: Vec<(&str, &str)> = reader
        .fields
        .iter()
        .map(|f| (f.name.as_str(), f.ty))
        .collect();
    assert_eq!(
        names,
        vec![
            ("id", "text"),
            ("student", "bool"),
            ("unpaid_fines", "money"),
            ("loans", "list")
        ]
    );
    let loans = &reader.fields[3];
    assert_eq!(loans.key.as_deref(), Some("book"));
    assert_eq!(loans.fields[1].ty, "date");
    assert_eq!(loans.fields[1].labels.en, "due date");
}

#[test]
fn the_articles_reply_names_its_version_and_tallies_scenarios() {
    use rulebook::serve::articles::{articles_json, Reply};
    let p = Policy::load("tests/fixtures/library-lending").expect("loads");
    assert_eq!(articles_json(&p, "1999-01-01", &[]), Reply::UnknownVersion);
    let dir = std::env::temp_dir().join(format!("rulebook-catalog-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("scenarios")).unwrap();
    std::fs::create_dir_all(dir.join("cases")).unwrap();
    std::fs::write(
        dir.join("cases").join("student.json"),
        r#"{"as_of": "2026-03-10", "reader": {"id": "R9", "student": true}}"#,
    )
    .unwrap();
    std::fs::write(dir.join("cases").join("broken.json"), "{").unwrap();
    std::fs::write(
        dir.join("scenarios").join("too-many.json"),
        r#"{"decision": "borrow", "facts": {"as_of": "2026-03-10", "reader": {"id": "R1", "unpaid_fines": "0",
            "loans": [{"book": "B1", "due_on": "2026-04-01"}, {"book": "B2", "due_on": "2026-04-01"},
                      {"book": "B3", "due_on": "2026-04-01"}, {"book": "B4", "due_on": "2026-04-01"},
                      {"book": "B5", "due_on": "2026-04-01"}]}},
            "expect": {"outcome": "refused", "violated": ["2"]}}"#,
    )
    .unwrap();
    let Reply::Json(json) = articles_json(&p, "2026-01-01", &[dir.join("scenarios")]) else {
        panic!("the loaded version is known");
    };
    std::fs::remove_dir_all(&dir).unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let rules = &v["articles"][1]["rules"];
    assert_eq!(rules[0]["id"], "loan-limit");
    assert_eq!(rules[0]["scenarios"]["violated"], 1);
    assert_eq!(rules[1]["scenarios"]["satisfied"], 1);
    assert_eq!(v["policy"]["last_day"], "2027-12-31");
    // The version's example cases, to start the page's form from; a file that is not JSON is not one.
    assert_eq!(v["examples"].as_array().unwrap().len(), 1);
    assert_eq!(v["examples"][0]["name"], "student");
    assert_eq!(v["examples"][0]["case"]["reader"]["id"], "R9");
}
