//! Letters read as the officer who signs them: `../shared/tools/letter-lint.py` over the letter of
//! every scenario, in Chinese and in English, must find nothing. What a letter must say for a case
//! is the policy's own data (its scenarios and snapshots); these tests hold no outcome of it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rulebook::explain::letter::{markdown, LetterOptions};
use rulebook::explain::Lang;
use rulebook::{scenario, Policy};
use std::path::{Path, PathBuf};
use std::process::Command;

const LINT: &str = "../shared/tools/letter-lint.py";

fn python() -> Option<&'static str> {
    let ok = Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    (ok && Path::new(LINT).exists()).then_some("python3")
}

/// Every `scenarios` folder under `policies/` (each version keeps its own).
fn scenario_dirs() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::from("policies")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                if p.file_name().is_some_and(|n| n == "scenarios") {
                    out.push(p);
                } else {
                    stack.push(p);
                }
            }
        }
    }
    out.sort();
    out
}

/// Every scenario as (name, case JSON, decision; `None` for a golden scenario of every decision).
fn scenarios() -> Vec<(PathBuf, serde_json::Value, Option<String>)> {
    let dirs = scenario_dirs();
    assert!(!dirs.is_empty(), "no scenarios folder under policies/");
    scenario::collect(&dirs)
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let s: scenario::Scenario = serde_json::from_str(&text).unwrap();
            let case = scenario::case_of(&s, p.parent().unwrap()).unwrap();
            (p, case, s.decision)
        })
        .collect()
}

/// The lint's own `lint()` over many letters in one Python process (one process per letter
/// takes minutes on a busy machine). `jobs` is a JSON list of [letter, lang, case, outcome, name].
const DRIVER: &str = r#"
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("letter_lint", sys.argv[1])
m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
for letter, lang, case, outcome, name in json.load(open(sys.argv[2], encoding="utf-8")):
    for p in m.lint(open(letter, encoding="utf-8").read(), lang, json.load(open(case, encoding="utf-8")), outcome):
        print(f"{name} ({lang}, {outcome}): {p}")
"#;

fn lint_all(py: &str, dir: &Path, jobs: &[serde_json::Value]) -> String {
    let list = dir.join("jobs.json");
    std::fs::write(&list, serde_json::to_string(jobs).unwrap()).unwrap();
    let out = Command::new(py)
        .args(["-c", DRIVER, LINT])
        .arg(&list)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the lint driver failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_lint_finds_nothing_in_any_scenario_letter() {
    let Some(py) = python() else {
        println!("notice: python3 or {LINT} is absent; the letter lint is skipped");
        return;
    };
    let policy = Policy::load("policies").unwrap();
    // LETTERS_DUMP=DIR keeps every letter (and its case) there to read.
    let keep = std::env::var_os("LETTERS_DUMP").map(PathBuf::from);
    let dir = keep.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("rulebook-letters-{}", std::process::id()))
    });
    std::fs::create_dir_all(&dir).unwrap();
    let mut jobs = Vec::new();
    let all = scenarios();
    assert!(all.len() >= 100, "only {} scenarios", all.len());
    for (n, (path, case, decision)) in all.iter().enumerate() {
        let facts = policy.parse_case(&case.to_string()).unwrap();
        let asked: Vec<rulebook::check::ir::DecisionId> = decision
            .iter()
            .map(|d| policy.decision_index(d).unwrap())
            .collect();
        let eval = policy.evaluate(&facts, facts.as_of.unwrap(), &asked);
        let case_file = dir.join(format!("{n}.json"));
        std::fs::write(&case_file, case.to_string()).unwrap();
        for (lang, code) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
            let letter = markdown(&policy, Some(&facts), &eval, &LetterOptions::new(lang));
            let file = dir.join(format!("{n}.{code}.md"));
            std::fs::write(&file, letter).unwrap();
            // A letter of several decisions is linted once per decision's outcome.
            for d in &eval.decisions {
                let outcome =
                    &policy.program.decisions[d.decision.index()].outcomes[d.outcome.index()].name;
                jobs.push(serde_json::json!([
                    file,
                    code,
                    case_file,
                    outcome,
                    path.display().to_string()
                ]));
            }
        }
    }
    // The examples, every decision in one letter: linted once per decision's outcome.
    for (n, path) in std::fs::read_dir("examples")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .enumerate()
    {
        let facts = policy
            .parse_case(&std::fs::read_to_string(&path).unwrap())
            .unwrap();
        let eval = policy.evaluate(&facts, facts.as_of.unwrap(), &[]);
        for (lang, code) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
            let letter = markdown(&policy, Some(&facts), &eval, &LetterOptions::new(lang));
            let file = dir.join(format!("example-{n}.{code}.md"));
            std::fs::write(&file, letter).unwrap();
            for d in &eval.decisions {
                let outcome =
                    &policy.program.decisions[d.decision.index()].outcomes[d.outcome.index()].name;
                jobs.push(serde_json::json!([
                    file,
                    code,
                    path,
                    outcome,
                    path.display().to_string()
                ]));
            }
        }
    }
    let found = lint_all(py, &dir, &jobs);
    if keep.is_none() {
        std::fs::remove_dir_all(&dir).ok();
    }
    assert!(
        found.is_empty(),
        "{} problems in {} letters:\n{found}",
        found.lines().count(),
        jobs.len()
    );
}

/// The policy's phrase for `key`, up to its first hole: what a letter shows of it for sure.
fn lead_of(policy: &Policy, key: &str, zh: bool) -> String {
    let t = policy.program.wording.get(key, zh).unwrap();
    t.split('{').next().unwrap().to_string()
}

/// Every scenario of one decision, evaluated for it, with its Chinese letter.
fn scenario_letters(policy: &Policy) -> Vec<(PathBuf, rulebook::Evaluation, String)> {
    scenarios()
        .into_iter()
        .filter_map(|(p, case, decision)| Some((p, case, decision?)))
        .map(|(p, case, decision)| {
            let facts = policy.parse_case(&case.to_string()).unwrap();
            let d = policy.decision_index(&decision).unwrap();
            let eval = policy.evaluate(&facts, facts.as_of.unwrap(), &[d]);
            let letter = markdown(policy, Some(&facts), &eval, &LetterOptions::new(Lang::Zh));
            (p, eval, letter)
        })
        .collect()
}

#[test]
fn verdict_words_fit_the_rule() {
    use rulebook::eval::findings::Status;
    let policy = Policy::load("policies").unwrap();
    let consequence = lead_of(&policy, "consequence", true);
    let violated = policy
        .program
        .wording
        .get("violated", true)
        .unwrap()
        .to_string();
    let (mut breaches, mut conditions) = (0, 0);
    for (path, eval, letter) in scenario_letters(&policy) {
        let d = &eval.decisions[0];
        let failed: Vec<bool> = d
            .findings
            .iter()
            .filter(|f| f.status == Status::Violated)
            .map(|f| !policy.program.rules[f.rule.index()].otherwise.is_empty())
            .collect();
        if d.stopped_at_require || failed.is_empty() {
            continue;
        }
        // A breach found brings its measures: "经查存在该情形，依照……予以……", never "not met".
        if failed.iter().any(|c| *c) {
            breaches += 1;
            assert!(
                letter.contains(&consequence),
                "{}: {letter}",
                path.display()
            );
        }
        if failed.iter().all(|c| *c) {
            assert!(!letter.contains(&violated), "{}: {letter}", path.display());
        } else {
            conditions += 1;
            assert!(letter.contains(&violated), "{}: {letter}", path.display());
        }
    }
    assert!(
        breaches > 0 && conditions > 0,
        "{breaches} breaches, {conditions} conditions"
    );
}

#[test]
fn points_for_review_under_a_refusal_have_their_own_short_section() {
    use rulebook::eval::findings::Status;
    let policy = Policy::load("policies").unwrap();
    let section = policy
        .program
        .wording
        .get("secondary_review", true)
        .unwrap()
        .to_string();
    let review = policy
        .program
        .wording
        .get("review", true)
        .unwrap()
        .to_string();
    let mut seen = 0;
    for (path, eval, letter) in scenario_letters(&policy) {
        let d = &eval.decisions[0];
        let has = |s: Status| d.findings.iter().any(|f| f.status == s);
        if has(Status::Violated) && has(Status::Review) {
            seen += 1;
            let at = letter
                .find(&section)
                .unwrap_or_else(|| panic!("{}: {letter}", path.display()));
            // Every point for review comes after the section's line.
            assert!(
                letter[..at].find(&review).is_none(),
                "{}: {letter}",
                path.display()
            );
            assert!(
                letter[at..].contains(&review),
                "{}: {letter}",
                path.display()
            );
        } else {
            assert!(!letter.contains(&section), "{}: {letter}", path.display());
        }
    }
    assert!(seen > 0);
}

#[test]
fn unknown_findings_are_grouped_by_the_missing_fact() {
    use rulebook::eval::findings::Status;
    let policy = Policy::load("policies").unwrap();
    // A group of facts the case should give, or of reviewers' judgements not yet made.
    let groups_in = |letter: &str| {
        ["unknown_group", "unknown_group_attested"]
            .iter()
            .map(|k| letter.matches(&lead_of(&policy, k, true)).count())
            .sum::<usize>()
    };
    let unknown = policy
        .program
        .wording
        .get("unknown", true)
        .unwrap()
        .to_string();
    let mut seen = 0;
    for (path, eval, letter) in scenario_letters(&policy) {
        let d = &eval.decisions[0];
        let n_unknown = d
            .findings
            .iter()
            .filter(|f| f.status == Status::Unknown)
            .count();
        if d.stopped_at_require || n_unknown == 0 {
            continue;
        }
        let facts = d.missing.iter().filter(|m| !m.rules.is_empty()).count();
        let groups = groups_in(&letter);
        // One paragraph per missing fact at most, never one per finding, and no unknown finding
        // is worded on its own when a missing fact explains it.
        assert!(groups <= facts, "{}: {letter}", path.display());
        let explained = d
            .findings
            .iter()
            .filter(|f| f.status == Status::Unknown)
            .all(|f| d.missing.iter().any(|m| m.rules.contains(&f.rule)));
        if explained {
            assert!(groups >= 1, "{}: {letter}", path.display());
            let lead = lead_of(&policy, "paragraph", true);
            assert!(
                !letter
                    .lines()
                    .any(|l| l.starts_with(&lead) && l.contains(&unknown)),
                "{}: {letter}",
                path.display()
            );
        }
        if n_unknown > groups {
            seen += 1;
        }
    }
    assert!(
        seen > 0,
        "no scenario has more unknown findings than missing facts"
    );
}

fn example(name: &str) -> (Policy, rulebook::eval::facts::Facts) {
    let policy = Policy::load("policies").unwrap();
    let facts = policy
        .parse_case(&std::fs::read_to_string(format!("examples/{name}.json")).unwrap())
        .unwrap();
    (policy, facts)
}

#[test]
fn a_letter_answers_only_the_decisions_asked_with_one_frame() {
    let (policy, facts) = example("ineligible-filing");
    let as_of = facts.as_of.unwrap();
    let labels: Vec<String> = policy
        .program
        .decisions
        .iter()
        .map(|d| d.labels.as_ref().unwrap().zh.clone())
        .collect();
    let authority = policy
        .program
        .wording
        .get("authority", true)
        .unwrap()
        .to_string();
    for (i, label) in labels.iter().enumerate() {
        let eval = policy.evaluate(&facts, as_of, &[rulebook::check::ir::DecisionId(i as u16)]);
        let letter = markdown(&policy, Some(&facts), &eval, &LetterOptions::new(Lang::Zh));
        assert!(letter.contains(label.as_str()));
        for (j, other) in labels.iter().enumerate() {
            if j != i && !label.contains(other.as_str()) {
                assert!(
                    !letter.contains(other.as_str()),
                    "{other} in the letter for {label}:\n{letter}"
                );
            }
        }
    }
    // Every decision in one letter: one head, one signature.
    let eval = policy.evaluate(&facts, as_of, &[]);
    let letter = markdown(&policy, Some(&facts), &eval, &LetterOptions::new(Lang::Zh));
    assert_eq!(letter.matches(&format!("# {authority}\n")).count(), 1);
    assert_eq!(letter.matches(&format!("\n{authority}\n")).count(), 1);
    assert_eq!(letter.matches("\n## ").count(), 1);
    assert_eq!(letter.matches("\n### ").count(), labels.len());
}

#[test]
fn the_same_reason_is_given_once_a_letter() {
    // Out of force, every decision is closed by the same gate: its paragraph once.
    let (policy, facts) = example("eligible-filing");
    let late = facts.as_of.unwrap() + chrono::Duration::days(365 * 10);
    let eval = policy.evaluate(&facts, late, &[]);
    assert!(eval.decisions.iter().all(|d| d.findings.len() == 1));
    let letter = markdown(&policy, Some(&facts), &eval, &LetterOptions::new(Lang::Zh));
    let says = policy
        .message_parts(&eval.decisions[0].findings[0], Lang::Zh)
        .1
        .unwrap();
    assert_eq!(letter.matches(says.as_str()).count(), 1, "{letter}");
}

#[test]
fn number_and_date_are_the_callers_and_the_letter_is_deterministic() {
    let (policy, facts) = example("sanction");
    let eval = policy.evaluate(&facts, facts.as_of.unwrap(), &[]);
    let plain = markdown(&policy, Some(&facts), &eval, &LetterOptions::new(Lang::Zh));
    assert_eq!(
        plain,
        markdown(&policy, Some(&facts), &eval, &LetterOptions::new(Lang::Zh))
    );
    let as_of = rulebook::explain::numbers::date(eval.as_of, Lang::Zh);
    assert!(plain.trim_end().ends_with(&as_of), "{plain}");
    let day = chrono::NaiveDate::from_ymd_opt(2031, 2, 3).unwrap();
    let opts = LetterOptions {
        lang: Lang::Zh,
        number: Some("ABC〔2031〕7号"),
        date: Some(day),
    };
    let framed = markdown(&policy, Some(&facts), &eval, &opts);
    assert!(framed.contains("\nABC〔2031〕7号\n"), "{framed}");
    assert!(framed.trim_end().ends_with("2031年2月3日"), "{framed}");
    assert!(!plain.contains("ABC〔2031〕7号"));
}

#[test]
fn the_html_letter_is_the_same_letter_escaped_and_printable() {
    let (policy, facts) = example("sanction");
    let mut case: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("examples/sanction.json").unwrap()).unwrap();
    let name = case["consortium"]["name"].as_str().unwrap().to_string();
    let odd = format!("{name}<script>&\"'");
    case["consortium"]["name"] = serde_json::Value::String(odd.clone());
    let facts_odd = policy.parse_case(&case.to_string()).unwrap();
    for (lang, font) in [(Lang::Zh, "FangSong"), (Lang::En, "Times")] {
        let eval = policy.evaluate(&facts, facts.as_of.unwrap(), &[]);
        let opts = LetterOptions::new(lang);
        let md = markdown(&policy, Some(&facts), &eval, &opts);
        let html = rulebook::explain::html::render(&policy, Some(&facts), &eval, &opts);
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang="));
        assert!(html.contains("@page{size:A4"));
        assert!(html.contains(font));
        assert!(html.trim_end().ends_with("</html>"));
        // Every line of the Markdown letter is in the page, as text.
        for line in md.lines().filter(|l| !l.is_empty()) {
            let text = line
                .trim_start_matches('#')
                .trim_start_matches("- ")
                .trim()
                .replace("**", "");
            let escaped = text
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;")
                .replace('\'', "&#39;");
            let plain = html.replace("<strong>", "").replace("</strong>", "");
            assert!(plain.contains(&escaped), "{text:?} not in the page");
        }
        let eval = policy.evaluate(&facts_odd, facts.as_of.unwrap(), &[]);
        let html = rulebook::explain::html::render(&policy, Some(&facts_odd), &eval, &opts);
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;&amp;&quot;&#39;"));
    }
}

#[test]
fn an_enumeration_value_without_words_is_a_check_warning() {
    let dir = std::env::temp_dir().join(format!("rulebook-enum-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let src = "tests/fixtures/library-lending";
    for f in ["lending.rules", "source.txt"] {
        std::fs::copy(format!("{src}/{f}"), dir.join(f)).unwrap();
    }
    let rules = std::fs::read_to_string(dir.join("lending.rules"))
        .unwrap()
        .replace(
        "    student: bool",
        "    tier: enum(adult \"成人\" | \"adult\", child) \"类别\" | \"tier\"\n    student: bool",
    );
    std::fs::write(dir.join("lending.rules"), rules).unwrap();
    let p = Policy::load(&dir).unwrap();
    assert_eq!(p.warnings.len(), 1, "{:?}", p.warnings);
    assert!(p.warnings[0].message.contains("`child`"));
    let en = &p.program.schema.enums[0];
    assert_eq!(en.label(0, true), "成人");
    assert_eq!(en.label(1, true), "child");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn members_are_named_by_their_name_and_by_their_code_too_when_names_repeat() {
    use rulebook::explain::facts::{subject, Names};
    let policy = Policy::load("policies").unwrap();
    let text = std::fs::read_to_string("examples/ineligible-filing.json").unwrap();
    let mut case: serde_json::Value = serde_json::from_str(&text).unwrap();
    let members = case["consortium"]["members"].as_array_mut().unwrap();
    let (id0, id1) = (
        members[0]["id"].as_str().unwrap().to_string(),
        members[1]["id"].as_str().unwrap().to_string(),
    );
    let name0 = members[0]["name"].as_str().unwrap().to_string();
    let facts = policy.parse_case(&case.to_string()).unwrap();
    let names = Names::of(&policy.program, &facts);
    assert_eq!(names.find(&id0), Some(name0.as_str()));
    // The same name twice: the code tells them apart.
    let members = case["consortium"]["members"].as_array_mut().unwrap();
    members[1]["name"] = serde_json::Value::String(name0.clone());
    let facts = policy.parse_case(&case.to_string()).unwrap();
    let names = Names::of(&policy.program, &facts);
    assert_eq!(names.find(&id1), Some(format!("{name0}（{id1}）").as_str()));
    // A rule over the members names its subject by the member's name in letters.
    let schema = &policy.program.schema;
    let members_rec = schema.records[schema.records[0]
        .field("consortium")
        .map(|f| match schema.records[0].fields[f as usize].ty {
            rulebook::check::ir::Ty::Record(r) => r,
            _ => panic!(),
        })
        .unwrap() as usize]
        .fields
        .iter()
        .find_map(|f| match (f.name.as_str(), f.ty) {
            ("members", rulebook::check::ir::Ty::List(r)) => Some(r),
            _ => None,
        })
        .unwrap();
    let rule = policy
        .program
        .rules
        .iter()
        .position(|r| {
            matches!(&r.for_each, Some(fe) if matches!(fe.src, rulebook::check::ir::ForEachSrc::List { rec, .. } if rec == members_rec))
        })
        .map(|i| rulebook::check::ir::RuleId(i as u16))
        .unwrap();
    let s = rulebook::eval::findings::Subject::Text(id1.as_str().into());
    assert_eq!(
        subject(&policy.program, rule, &s, Some(&names)),
        format!("{name0}（{id1}）")
    );
}

/// The lending fixture with `extra` appended, loaded: its errors, if any.
fn lending_with(extra: &str, tag: &str) -> Result<Policy, String> {
    let dir = std::env::temp_dir().join(format!("rulebook-wording-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let src = "tests/fixtures/library-lending";
    std::fs::copy(format!("{src}/source.txt"), dir.join("source.txt")).unwrap();
    let rules = std::fs::read_to_string(format!("{src}/lending.rules")).unwrap() + extra;
    std::fs::write(dir.join("lending.rules"), rules).unwrap();
    let r = Policy::load(&dir).map_err(|e| e.to_string());
    std::fs::remove_dir_all(&dir).ok();
    r
}

#[test]
fn wording_scopes_and_frame_holes_are_checked() {
    // A scope names decisions, outcomes, lists, effects or measures of the policy.
    let ok = lending_with(
        "let card = reader.id \"读者证号\" | \"card\"\nwording {\n  authority \"市图书馆\" | \"City Library\"\n  addressee \"{card}：\" | \"To {card}:\"\n  rights for [refused] \"可申请复核。\" | \"You may ask for a review.\"\n  rights for [fined] \"可申请复核。\" | \"You may ask for a review.\"\n  element for [loans] \"{key}号图书\" | \"book {key}\"\n  effect for [fine] \"罚款{amount}\" | \"a fine of {amount}\"\n}\n",
        "ok",
    )
    .unwrap();
    let w = &ok.program.wording;
    assert_eq!(w.get_in("rights", &["refused"], true), Some("可申请复核。"));
    assert_eq!(w.get_in("rights", &["allowed"], true), None);
    assert_eq!(w.get_in("element", &["loans"], false), Some("book {key}"));
    let unknown = lending_with(
        "wording {\n  rights for [refussed] \"x\" | \"x\"\n}\n",
        "scope",
    )
    .err()
    .unwrap();
    assert!(
        unknown.contains("`refussed` is not a decision, outcome, fact, effect or measure"),
        "{unknown}"
    );
    let twice = lending_with(
        "wording {\n  rights for [refused, closed] \"x\" | \"x\"\n  rights for [closed] \"y\" | \"y\"\n}\n",
        "twice",
    )
    .err().unwrap();
    assert!(twice.contains("given twice"), "{twice}");
    // A frame phrase may name `let` values; other phrases may not.
    let hole = lending_with(
        "wording {\n  addressee \"{nobody}\" | \"{nobody}\"\n}\n",
        "hole",
    )
    .err()
    .unwrap();
    assert!(hole.contains("`{nobody}`"), "{hole}");
    let not_frame = lending_with(
        "let card = reader.id \"读者证号\" | \"card\"\nwording {\n  rights \"{card}\" | \"{card}\"\n}\n",
        "frame",
    )
    .err().unwrap();
    assert!(not_frame.contains("`{card}`"), "{not_frame}");
}

#[test]
fn a_policy_without_a_letter_frame_still_gives_a_letter_with_its_own_words() {
    // The lending fixture has no wording at all: the letter holds its decisions and outcomes, in
    // the policy's labels, with no sentence written in Rust.
    let p = Policy::load("tests/fixtures/library-lending").unwrap();
    let facts = p
        .parse_case(
            r#"{"as_of":"2026-03-10","reader":{"id":"R1","student":false,"unpaid_fines":"80"}}"#,
        )
        .unwrap();
    let e = p.evaluate(&facts, facts.as_of.unwrap(), &[]);
    let letter = markdown(&p, Some(&facts), &e, &LetterOptions::new(Lang::Zh));
    assert!(letter.contains("**不予借阅**"), "{letter}");
    assert!(letter.trim_end().ends_with("2026年3月10日"), "{letter}");
    assert!(!letter.contains("行政复议"));
}
