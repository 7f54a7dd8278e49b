//! A second fixture policy (a community garden's allotment rules) that uses what the
//! library-lending fixture does not: `known(...)`, whole-number facts with a stated range, and
//! enumerations. cargo-mutants found that no policy exercised the checker's `known(...)` or the
//! case reader's words for a whole number (README "Mutation testing"); each test here asserts a
//! real outcome, status, value or message.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rulebook::{LoadError, Policy};
use serde_json::{json, Value};

const GARDEN: &str = "tests/fixtures/garden-plots";

fn policy() -> Policy {
    Policy::load(GARDEN).unwrap()
}

/// The `allot` record of `case`, as JSON.
fn allot(case: &Value) -> Value {
    let p = policy();
    let facts = p.parse_case(&case.to_string()).unwrap();
    let d = p.decision_index("allot").unwrap();
    let e = p.evaluate(&facts, facts.as_of.unwrap(), &[d]);
    let record: Value = serde_json::from_str(&p.record_json(&e)).unwrap();
    record["decisions"][0].clone()
}

fn finding<'a>(d: &'a Value, rule: &str) -> &'a Value {
    d["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == rule)
        .unwrap_or_else(|| panic!("no finding of {rule}: {d}"))
}

fn household(born: Option<i64>, plots: usize) -> Value {
    let plots: Vec<Value> = (0..plots)
        .map(|i| json!({"plot": format!("P{i}"), "bed": "ground", "area": "5"}))
        .collect();
    let mut h = json!({"id": "H1", "deposit": "100", "plots": plots});
    if let Some(b) = born {
        h["born"] = json!(b);
    }
    json!({"as_of": "2026-06-01", "household": h})
}

/// The reader's refusal of `case`.
fn refused(case: &Value) -> String {
    match policy().parse_case(&case.to_string()) {
        Ok(f) => panic!("accepted: {f:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn the_fixture_loads_without_errors_or_warnings() {
    let p = policy();
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    assert_eq!(p.program.rules.len(), 6);
}

#[test]
fn known_of_a_stated_fact_is_true_and_of_an_absent_one_false() {
    let d = allot(&household(Some(2000), 1));
    assert_eq!(d["outcome"], "allotted");
    assert_eq!(finding(&d, "birth-year-stated")["status"], "satisfied");
    assert_eq!(finding(&d, "adult")["values"]["age"], 26);

    // `known(x)` is itself known: false, not unknown, when x is absent.
    let d = allot(&household(None, 1));
    assert_eq!(d["outcome"], "refused");
    assert_eq!(finding(&d, "birth-year-stated")["status"], "violated");
    assert_eq!(finding(&d, "adult")["status"], "unknown");
    assert_eq!(d["missing"], json!(["household.born"]));
}

#[test]
fn whole_numbers_compare_and_count() {
    let d = allot(&household(Some(2010), 4));
    assert_eq!(d["outcome"], "refused");
    let adult = finding(&d, "adult");
    assert_eq!(adult["status"], "violated");
    assert_eq!(adult["values"], json!({"age": 16, "min_age": 18}));
    assert_eq!(adult["counterfactual"]["en"], "age: 16 → 18 (+2)");
    let limit = finding(&d, "plot-limit");
    assert_eq!(limit["status"], "violated");
    assert_eq!(limit["values"], json!({"held": 4, "limit": 3}));
    // Exactly at both bounds: satisfied.
    let d = allot(&household(Some(2008), 3));
    assert_eq!(d["outcome"], "allotted");
}

#[test]
fn the_reader_names_what_a_whole_number_and_an_enumeration_want() {
    let mut case = household(Some(2000), 1);
    case["household"]["born"] = json!(true);
    let e = refused(&case);
    assert!(
        e.starts_with("household.born: expected a whole number, got true"),
        "{e}"
    );

    let mut case = household(Some(2000), 1);
    case["household"]["born"] = json!(1800);
    let e = refused(&case);
    assert!(
        e.starts_with("household.born: expected at least 1900, got 1800"),
        "{e}"
    );

    let mut case = household(Some(2000), 1);
    case["household"]["plots"][0]["area"] = json!(true);
    let e = refused(&case);
    assert!(
        e.starts_with(
            "household.plots[0].area: expected a number as a string or integer, got true"
        ),
        "{e}"
    );

    let mut case = household(Some(2000), 1);
    case["household"]["plots"][0]["bed"] = json!("roof");
    let e = refused(&case);
    assert!(
        e.starts_with("household.plots[0].bed: expected one of raised, ground, got \"roof\""),
        "{e}"
    );
}

/// The fixture with one edit, loaded: its errors, and the edited rule file.
fn diagnostics(tag: &str, from: &str, to: &str) -> (Vec<rulebook::check::Diagnostic>, String) {
    let dir = std::env::temp_dir().join(format!("rulebook-garden-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let rules = std::fs::read_to_string(format!("{GARDEN}/garden.rules")).unwrap();
    assert!(rules.contains(from), "the fixture has no `{from}`");
    let rules = rules.replacen(from, to, 1);
    std::fs::write(dir.join("garden.rules"), &rules).unwrap();
    std::fs::copy(format!("{GARDEN}/source.txt"), dir.join("source.txt")).unwrap();
    let out = match Policy::load(&dir) {
        Ok(_) => Vec::new(),
        Err(LoadError::Invalid { diagnostics, .. }) => diagnostics,
        Err(e) => panic!("{e:?}"),
    };
    let _ = std::fs::remove_dir_all(&dir);
    (out, rules)
}

/// The codes and messages of the errors of the fixture with one edit.
fn load_edited(tag: &str, from: &str, to: &str) -> Vec<(String, String)> {
    diagnostics(tag, from, to)
        .0
        .iter()
        .map(|d| (d.code.as_str().to_string(), d.message.clone()))
        .collect()
}

#[test]
fn a_quote_that_differs_from_the_source_points_at_the_one_character() {
    let (errs, rules) = diagnostics(
        "quote",
        "\"\"\"第五条 每户地块总面积",
        "\"\"\"第五条 每人地块总面积",
    );
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].code.as_str(), "rulebook::quote-mismatch");
    let span = errs[0].span.unwrap();
    assert_eq!(&rules[span.start as usize..span.end as usize], "人");
}

#[test]
fn known_takes_exactly_one_argument() {
    let errs = load_edited(
        "known2",
        "known(household.born)",
        "known(household.born, household.id)",
    );
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].1, "known(...) is not written this way");
}

#[test]
fn the_reader_names_what_a_text_wants_and_reads_long_amounts_exactly() {
    let mut case = household(Some(2000), 1);
    case["household"]["id"] = json!(5);
    let e = refused(&case);
    assert!(e.starts_with("household.id: expected a text, got 5"), "{e}");

    // 24 digits: more than a 64-bit whole number holds (the reader's fast path stops at 18),
    // read exactly all the same.
    let mut case = household(Some(2000), 1);
    case["household"]["deposit"] = json!("123456789012345678901234");
    let d = allot(&case);
    assert_eq!(d["outcome"], "allotted");
    assert_eq!(
        finding(&d, "deposit")["values"]["deposit"],
        "123456789012345678901234"
    );
    case["household"]["deposit"] = json!("99.5");
    let d = allot(&case);
    assert_eq!(finding(&d, "deposit")["status"], "violated");
    assert_eq!(finding(&d, "deposit")["values"]["deposit"], "99.5");
}

#[test]
fn a_date_needs_both_dashes_in_their_places() {
    let mut case = household(Some(2000), 1);
    case["household"]["applied_on"] = json!("2026-05-31");
    assert_eq!(allot(&case)["outcome"], "allotted");
    for bad in ["2026-05/31", "2026/05-31", "2026/05/31", "2026-5-031"] {
        case["household"]["applied_on"] = json!(bad);
        let e = refused(&case);
        assert!(
            e.starts_with(&format!(
                "household.applied_on: expected a date YYYY-MM-DD, got \"{bad}\""
            )),
            "{e}"
        );
    }
}

#[test]
fn a_sum_of_decimals_keeps_its_fraction() {
    let mut case = household(Some(2000), 2);
    case["household"]["plots"][0]["area"] = json!("10.5");
    case["household"]["plots"][1]["area"] = json!(20);
    let d = allot(&case);
    let total = finding(&d, "total-area");
    assert_eq!(total["status"], "violated");
    assert_eq!(total["values"]["total"], "30.5");
    assert_eq!(
        total["counterfactual"]["en"],
        "total area: 30.5 → 30 (−0.5)"
    );
    case["household"]["plots"][0]["area"] = json!("10");
    let d = allot(&case);
    assert_eq!(finding(&d, "total-area")["status"], "satisfied");
    assert_eq!(finding(&d, "total-area")["values"]["total"], "30");
}

#[test]
fn an_aggregate_of_values_that_are_not_numbers_is_a_type_error() {
    let errs = load_edited(
        "sum-bed",
        "sum(p.area for p in household.plots)",
        "sum(p.bed for p in household.plots)",
    );
    assert_eq!(
        errs,
        [(
            "rulebook::type-mismatch".to_string(),
            "only numbers can be aggregated, but this is one of (raised, ground)".to_string()
        )]
    );
}

/// Each edit alone gives exactly this error (`None`: the edited fixture loads).
fn check_edit(tag: &str, from: &str, to: &str, want: Option<(&str, &str)>) {
    let got = load_edited(tag, from, to);
    let want: Vec<(String, String)> = want
        .into_iter()
        .map(|(c, m)| (c.to_string(), m.to_string()))
        .collect();
    assert_eq!(got, want, "{tag}");
}

#[test]
fn the_checker_refuses_mistyped_conditions_comparisons_and_messages() {
    check_edit(
        "where",
        "sum(p.area for p in household.plots)",
        "sum(p.area for p in household.plots where 1)",
        Some((
            "rulebook::type-mismatch",
            "the `where` condition must be a yes/no value, but this is a whole number",
        )),
    );
    check_edit(
        "cmp",
        "must held <= limit",
        "must held <= household.id",
        Some((
            "rulebook::type-mismatch",
            "cannot compare a whole number with a text",
        )),
    );
    check_edit(
        "tmpl",
        "不得超过{limit}块\" |",
        "不得超过{limt}块\" |",
        Some((
            "rulebook::bad-template",
            "the message names `{limt}`, which is not a value of this rule",
        )),
    );
}

#[test]
fn money_divided_by_a_number_is_money() {
    check_edit(
        "div",
        "let deposit = household.deposit \"",
        "let deposit = household.deposit / 2 \"",
        None,
    );
}

#[test]
fn a_version_may_be_written_as_text() {
    check_edit(
        "version-text",
        "version   2026-01-01",
        "version   \"2026a\"",
        None,
    );
}

/// The warnings of the fixture with one edit (it still loads).
fn warnings_edited(tag: &str, from: &str, to: &str) -> Vec<(String, String)> {
    let dir = std::env::temp_dir().join(format!("rulebook-garden-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let rules = std::fs::read_to_string(format!("{GARDEN}/garden.rules")).unwrap();
    assert!(rules.contains(from), "the fixture has no `{from}`");
    std::fs::write(dir.join("garden.rules"), rules.replacen(from, to, 1)).unwrap();
    std::fs::copy(format!("{GARDEN}/source.txt"), dir.join("source.txt")).unwrap();
    let p = Policy::load(&dir).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    p.warnings
        .iter()
        .map(|d| (d.code.as_str().to_string(), d.message.clone()))
        .collect()
}

/// An amount the article does not say is found wherever it is written in a condition: inside
/// `not (...)` too (found by cargo-mutants: `check/thresholds.rs` looking inside unary operators).
#[test]
fn an_amount_the_article_does_not_say_is_found_inside_not() {
    let w = warnings_edited(
        "not-amount",
        "must deposit >= minimum",
        "must not (deposit < 80元)",
    );
    assert_eq!(
        w,
        vec![(
            "rulebook::threshold-not-quoted".to_string(),
            "the rule says 80元; article 4 says 100元".to_string()
        )]
    );
    // The amount the article says gives no warning in the same place.
    let w = warnings_edited(
        "not-amount-ok",
        "must deposit >= minimum",
        "must not (deposit < 100元)",
    );
    assert!(w.is_empty(), "{w:?}");
}
