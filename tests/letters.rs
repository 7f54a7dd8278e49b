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

/// Every scenario as (name, case JSON, decision).
fn scenarios() -> Vec<(PathBuf, serde_json::Value, String)> {
    scenario::collect(&[PathBuf::from("tests/scenarios")])
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
    let dir = std::env::temp_dir().join(format!("rulebook-letters-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut jobs = Vec::new();
    let all = scenarios();
    assert!(all.len() >= 100, "only {} scenarios", all.len());
    for (n, (path, case, decision)) in all.iter().enumerate() {
        let facts = policy.parse_case(&case.to_string()).unwrap();
        let d = policy.decision_index(decision).unwrap();
        let eval = policy.evaluate(&facts, facts.as_of.unwrap(), &[d]);
        let outcome = &policy.program.decisions[d as usize].outcomes
            [eval.decisions[0].outcome as usize]
            .name;
        let case_file = dir.join(format!("{n}.json"));
        std::fs::write(&case_file, case.to_string()).unwrap();
        for (lang, code) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
            let letter = markdown(&policy, Some(&facts), &eval, &LetterOptions::new(lang));
            let file = dir.join(format!("{n}.{code}.md"));
            std::fs::write(&file, letter).unwrap();
            jobs.push(serde_json::json!([file, code, case_file, outcome, path.display().to_string()]));
        }
    }
    // The examples, every decision in one letter: linted once per decision's outcome.
    for (n, path) in std::fs::read_dir("examples")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .enumerate()
    {
        let facts = policy.parse_case(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let eval = policy.evaluate(&facts, facts.as_of.unwrap(), &[]);
        for (lang, code) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
            let letter = markdown(&policy, Some(&facts), &eval, &LetterOptions::new(lang));
            let file = dir.join(format!("example-{n}.{code}.md"));
            std::fs::write(&file, letter).unwrap();
            for d in &eval.decisions {
                let outcome = &policy.program.decisions[d.decision as usize].outcomes
                    [d.outcome as usize]
                    .name;
                jobs.push(serde_json::json!([file, code, path, outcome, path.display().to_string()]));
            }
        }
    }
    let found = lint_all(py, &dir, &jobs);
    std::fs::remove_dir_all(&dir).ok();
    assert!(
        found.is_empty(),
        "{} problems in {} letters:\n{found}",
        found.lines().count(),
        jobs.len()
    );
}
