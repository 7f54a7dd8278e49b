//! Explanations: each threshold rule's counterfactual, applied to the case, flips its finding to
//! satisfied (and one unit less does not: it is the smallest change); missing facts are listed
//! exactly; the text report and both letters of every example match their snapshots.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rulebook::eval::findings::{Counterfactual, Finding, Shown, Status};
use rulebook::explain::Lang;
use rulebook::Policy;
use rust_decimal::Decimal;
use serde_json::{json, Value};

fn policy() -> Policy {
    Policy::load("policies").unwrap()
}

fn base(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(format!("examples/{name}.json")).unwrap())
        .unwrap()
}

fn finding(p: &Policy, case: &Value, rule: &str) -> Finding {
    let facts = p.parse_case(&case.to_string()).unwrap();
    let e = p.evaluate(
        &facts,
        facts.as_of.unwrap(),
        &[p.decision_index("filing").unwrap()],
    );
    // The failing finding of the rule if there is one (a per-member rule has several), else any.
    let mine: Vec<&Finding> = e.decisions[0]
        .findings
        .iter()
        .filter(|f| p.program.rules[f.rule.index()].id == rule)
        .collect();
    let pick = mine
        .iter()
        .find(|f| f.status != Status::Satisfied)
        .or(mine.first());
    (*pick.unwrap_or_else(|| panic!("no finding of {rule}"))).clone()
}

/// The single change a finding asks for: (delta, increase).
fn delta(f: &Finding) -> (Decimal, bool) {
    let Some(cf) = f.counterfactual.as_deref() else {
        panic!("no counterfactual: {f:?}")
    };
    let c = match cf {
        Counterfactual::Change(c) => c,
        Counterfactual::Any(alts) => match &alts[0] {
            Counterfactual::Change(c) => c,
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    };
    let d = match &c.delta {
        Shown::Int(i) => Decimal::from(*i),
        Shown::Money(m) | Shown::Decimal(m) | Shown::Percent(m) => *m,
        other => panic!("{other:?}"),
    };
    (d, c.increase)
}

fn money(d: Decimal) -> Value {
    json!(d.normalize().to_string())
}

fn add_members(case: &mut Value, n: i64, kind: &str) {
    let members = case["consortium"]["members"].as_array_mut().unwrap();
    let template = members
        .iter()
        .find(|m| m["role"] != "lead")
        .unwrap()
        .clone();
    for i in 0..n {
        let mut m = template.clone();
        m["id"] = json!(format!("ADDED-{kind}-{i}"));
        m["kind"] = json!(kind);
        m["research_team"] = json!(true);
        members.push(m);
    }
}

/// Apply `amount` of the change with `edit`, and check the finding's status.
fn check_flip(rule: &str, case: &Value, edit: impl Fn(&mut Value, Decimal), want_delta: &str) {
    let p = policy();
    let before = finding(&p, case, rule);
    assert!(
        matches!(before.status, Status::Violated | Status::Review),
        "{rule} must fail first: {before:?}"
    );
    let (d, _) = delta(&before);
    assert_eq!(d.normalize().to_string(), want_delta, "{rule}: the delta");
    let mut flipped = case.clone();
    edit(&mut flipped, d);
    assert_eq!(
        finding(&p, &flipped, rule).status,
        Status::Satisfied,
        "{rule}: the change satisfies it"
    );
    let unit = if d.fract().is_zero() {
        Decimal::ONE
    } else {
        Decimal::new(1, 2)
    };
    let mut short = case.clone();
    edit(&mut short, d - unit);
    assert_eq!(
        finding(&p, &short, rule).status,
        before.status,
        "{rule}: one unit less does not"
    );
}

#[test]
fn revenue_short_of_the_threshold() {
    let mut case = base("eligible-filing");
    case["consortium"]["members"][0]["financials"][2]["main_business_revenue"] = json!("420000000");
    check_flip(
        "lead-revenue",
        &case,
        |c, d| {
            c["consortium"]["members"][0]["financials"][2]["main_business_revenue"] =
                money(Decimal::from(420_000_000) + d)
        },
        "80000000",
    );
}

#[test]
fn too_few_enterprises_members_and_others() {
    let case = base("ineligible-filing");
    check_flip(
        "enterprise-count",
        &case,
        |c, d| add_members(c, i64::try_from(d).unwrap(), "enterprise"),
        "1",
    );
    let mut small = base("eligible-filing");
    for _ in 0..3 {
        small["consortium"]["members"]
            .as_array_mut()
            .unwrap()
            .remove(3);
    }
    check_flip(
        "member-count",
        &small,
        |c, d| add_members(c, i64::try_from(d).unwrap(), "enterprise"),
        "2",
    );
    let mut few_others = base("eligible-filing");
    few_others["consortium"]["members"][7]["kind"] = json!("enterprise");
    check_flip(
        "other-unit-count",
        &few_others,
        |c, d| add_members(c, i64::try_from(d).unwrap(), "university"),
        "1",
    );
}

#[test]
fn mean_rnd_short_of_the_threshold() {
    // 2024–2026 mean 14,066,666.67: 5,933,333.33 short; adding it to every year closes the gap.
    // Sales of 3,000,000,000 a year keep the share branch out of reach.
    let mut case = base("ineligible-filing");
    for y in 0..3 {
        case["consortium"]["members"][0]["financials"][y]["sales_revenue"] = json!("3000000000");
    }
    check_flip(
        "lead-rnd-spend",
        &case,
        |c, d| {
            for y in 0..3 {
                let v: Decimal = c["consortium"]["members"][0]["financials"][y]["rnd_expense"]
                    .as_str()
                    .unwrap()
                    .parse()
                    .unwrap();
                c["consortium"]["members"][0]["financials"][y]["rnd_expense"] = money(v + d);
            }
        },
        "5933333.333333333333333333333",
    );
}

#[test]
fn matching_funds_of_zero_need_one_yuan() {
    let mut case = base("eligible-filing");
    case["consortium"]["members"][4]["matching_funds"] = json!("0");
    check_flip(
        "member-matching-funds",
        &case,
        |c, d| c["consortium"]["members"][4]["matching_funds"] = money(d),
        "1",
    );
}

#[test]
fn leading_other_consortia_must_come_down() {
    let mut case = base("eligible-filing");
    case["consortium"]["members"][0]["leads_other_consortia"] = json!(2);
    check_flip(
        "lead-one-consortium",
        &case,
        |c, d| {
            c["consortium"]["members"][0]["leads_other_consortia"] =
                json!(2 - i64::try_from(d).unwrap())
        },
        "2",
    );
}

#[test]
fn a_missing_charter_item_says_what_is_required() {
    let p = policy();
    let mut case = base("eligible-filing");
    case["consortium"]["charter"]["benefit_sharing"] = json!(false);
    let f = finding(&p, &case, "charter-benefit-sharing");
    assert_eq!(f.counterfactual.as_deref(), Some(&Counterfactual::Required));
    assert_eq!(
        p.counterfactual(&f, Lang::Zh).unwrap(),
        "须满足：章程制度应建立利益保障和激励制度"
    );
    assert_eq!(
        p.counterfactual(&f, Lang::En).unwrap(),
        "required: the charter must set benefit-sharing and incentive rules"
    );
}

#[test]
fn the_record_carries_the_counterfactual_in_both_languages() {
    let p = policy();
    let case = base("ineligible-filing");
    let facts = p.parse_case(&case.to_string()).unwrap();
    let e = p.evaluate(
        &facts,
        facts.as_of.unwrap(),
        &[rulebook::check::ir::DecisionId(0)],
    );
    let r: Value = serde_json::from_str(&p.record_json(&e)).unwrap();
    let f = r["decisions"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "enterprise-count")
        .unwrap()
        .clone();
    assert_eq!(
        f["counterfactual"],
        json!({"zh": "企业成员数为4，还差1达到5", "en": "enterprise members is 4, 1 short of 5"})
    );
    let satisfied = r["decisions"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "member-count")
        .unwrap()
        .clone();
    assert!(satisfied.get("counterfactual").is_none());
}

#[test]
fn missing_facts_are_listed_exactly_with_their_rules() {
    let p = policy();
    let mut case = base("eligible-filing");
    let lead = case["consortium"]["members"][0].as_object_mut().unwrap();
    lead.remove("established_on");
    lead["attested"]
        .as_object_mut()
        .unwrap()
        .remove("internal_controls");
    let facts = p.parse_case(&case.to_string()).unwrap();
    let e = p.evaluate(
        &facts,
        facts.as_of.unwrap(),
        &[rulebook::check::ir::DecisionId(0)],
    );
    let d = &e.decisions[0];
    assert_eq!(
        d.missing,
        [
            "consortium.members[lead].attested.internal_controls",
            "consortium.members[lead].established_on"
        ]
    );
    let rules: Vec<Vec<&str>> = d
        .missing_rules
        .iter()
        .map(|rs| {
            rs.iter()
                .map(|r| p.program.rules[r.index()].id.as_str())
                .collect()
        })
        .collect();
    assert_eq!(
        rules,
        [
            vec!["lead-internal-controls"],
            vec![
                "lead-revenue-fiscal-year",
                "lead-rnd-fiscal-year",
                "lead-rnd-spend"
            ]
        ]
    );
    let r: Value = serde_json::from_str(&p.record_json(&e)).unwrap();
    assert_eq!(
        r["decisions"][0]["missing_detail"],
        json!([
            {"path": "consortium.members[lead].attested.internal_controls",
             "label": {"zh": "牵头单位·审核认定·内控制度健全完善", "en": "lead unit › reviewers' findings › sound internal controls"},
             "rules": ["lead-internal-controls"], "cites": ["6(2)1"]},
            {"path": "consortium.members[lead].established_on",
             "label": {"zh": "牵头单位·成立日期", "en": "lead unit › date of establishment"},
             "rules": ["lead-revenue-fiscal-year", "lead-rnd-fiscal-year", "lead-rnd-spend"], "cites": ["6(2)1", "6(2)3"]}
        ])
    );
    let letter = rulebook::explain::letter::render(&p, &e, Lang::Zh);
    let items: Vec<&str> = letter.lines().filter(|l| l.starts_with("- ")).collect();
    assert_eq!(
        items,
        [
            "- 牵头单位·审核认定·内控制度健全完善（第六条第（二）项第1目：内控制度健全完善）",
            "- 牵头单位·成立日期（第六条第（二）项第1目, 第六条第（二）项第3目：有完整会计年度可认定年主营业务收入, 有完整会计年度可认定研发投入, 研发投入强度）"
        ]
    );
}

#[test]
fn snapshots_of_the_text_report_and_both_letters() {
    let mut stale = Vec::new();
    for e in std::fs::read_dir("examples").unwrap() {
        let path = e.unwrap().path();
        if path.extension().is_none_or(|x| x != "json") {
            continue;
        }
        let name = path.file_stem().unwrap().to_str().unwrap().to_string();
        for (fmt, lang, ext) in [
            ("text", "zh", "text.txt"),
            ("letter", "zh", "letter.zh.md"),
            ("letter", "en", "letter.en.md"),
        ] {
            let o = std::process::Command::new(env!("CARGO_BIN_EXE_rulebook"))
                .args([
                    "eval",
                    "--facts",
                    path.to_str().unwrap(),
                    "--format",
                    fmt,
                    "--lang",
                    lang,
                ])
                .env("NO_COLOR", "1")
                .output()
                .unwrap();
            assert_eq!(o.status.code(), Some(0));
            let snap = format!(
                "policies/xiamen-innovation-consortium/2025-08-10/expected/examples/{name}.{ext}"
            );
            let want = std::fs::read(&snap).unwrap_or_default();
            if o.stdout != want {
                if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
                    std::fs::create_dir_all(
                        "policies/xiamen-innovation-consortium/2025-08-10/expected/examples",
                    )
                    .unwrap();
                    std::fs::write(&snap, &o.stdout).unwrap();
                } else {
                    stale.push(snap);
                }
            }
        }
    }
    assert!(
        stale.is_empty(),
        "snapshots differ (review, then rerun with UPDATE_SNAPSHOTS=1): {stale:?}"
    );
}
