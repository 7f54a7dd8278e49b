//! Scenario files: a case (inline or a base file with edits), the decision asked, what must come
//! out; and, for a golden scenario, its whole record, text report and letters under `expected/`.

mod accept;
mod coverage;
pub mod diffs;
mod golden;

pub use coverage::{kind, uncovered, RuleKind, RuleTally};

use crate::Policy;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    #[serde(default)]
    pub description: String,
    /// A case file, relative to the scenario file.
    #[serde(default)]
    pub base: Option<String>,
    #[serde(default)]
    pub facts: Option<Value>,
    /// Edits by path, e.g. `school.classes[0].size`.
    #[serde(default)]
    pub set: BTreeMap<String, Value>,
    #[serde(default)]
    pub remove: Vec<String>,
    #[serde(default)]
    pub as_of: Option<String>,
    /// The decision asked; every decision when absent (golden scenarios only).
    #[serde(default)]
    pub decision: Option<String>,
    #[serde(default)]
    pub expect: Option<Expect>,
    /// Keep the whole record, text report and both letters under `expected/`.
    #[serde(default)]
    pub golden: bool,
    /// Which days count as in force: by default the version is taken to be in force on the
    /// case's date (a scenario asks what this version's rules decide, so a copied version's
    /// scenarios keep their dates); `own` keeps the window of the version's header, for
    /// scenarios about the period of validity itself.
    #[serde(default)]
    pub window: ScenarioWindow,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScenarioWindow {
    #[default]
    SetAside,
    Own,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    pub outcome: String,
    #[serde(default)]
    pub violated: Vec<String>,
    #[serde(default)]
    pub review: Vec<String>,
    #[serde(default)]
    pub exempt: Option<Vec<String>>,
    #[serde(default)]
    pub effects: Vec<Value>,
    #[serde(default)]
    pub dates: Option<BTreeMap<String, String>>,
    #[serde(default)]
    pub missing: Option<Vec<String>>,
}

pub struct Outcome {
    pub path: PathBuf,
    /// Every difference and error, in words (`outcome: "needs_review" → "eligible"`).
    pub failures: Vec<String>,
    /// Files rewritten by `--accept`.
    pub accepted: bool,
}

/// Every `.json` under the given paths, sorted.
pub fn collect(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut stack = vec![p.clone()];
            while let Some(d) = stack.pop() {
                if let Ok(rd) = std::fs::read_dir(&d) {
                    for e in rd.flatten() {
                        let q = e.path();
                        if q.is_dir() {
                            stack.push(q);
                        } else if q.extension().is_some_and(|x| x == "json") {
                            out.push(q);
                        }
                    }
                }
            }
        } else {
            out.push(p.clone());
        }
    }
    out.sort();
    out
}

/// Build the case JSON of a scenario.
pub fn case_of(s: &Scenario, dir: &Path) -> Result<Value, String> {
    let mut v = match (&s.base, &s.facts) {
        (Some(b), None) => {
            let p = dir.join(b);
            let t = std::fs::read_to_string(&p)
                .map_err(|e| format!("cannot read base `{}`: {e}", p.display()))?;
            serde_json::from_str(&t).map_err(|e| format!("base `{}`: {e}", p.display()))?
        }
        (None, Some(f)) => f.clone(),
        _ => return Err("a scenario has either `base` or `facts`".into()),
    };
    for (path, val) in &s.set {
        *slot(&mut v, path, true)? = val.clone();
    }
    for path in &s.remove {
        let (parent, last) = match path.rfind('.') {
            Some(i) => (&path[..i], &path[i + 1..]),
            None => ("", path.as_str()),
        };
        let target = if parent.is_empty() {
            &mut v
        } else {
            slot(&mut v, parent, false)?
        };
        if let Some((name, idx)) = last.split_once('[') {
            let i: usize = idx
                .trim_end_matches(']')
                .parse()
                .map_err(|_| format!("bad index in `{path}`"))?;
            let list = target
                .get_mut(name)
                .and_then(|l| l.as_array_mut())
                .ok_or(format!("`{path}` is not a list element"))?;
            if i >= list.len() {
                return Err(format!("`{path}`: no such element"));
            }
            list.remove(i);
        } else {
            target
                .as_object_mut()
                .ok_or(format!("`{parent}` is not an object"))?
                .remove(last)
                .ok_or(format!("`{path}` is not in the case"))?;
        }
    }
    if let Some(a) = &s.as_of {
        if let Some(o) = v.as_object_mut() {
            o.insert("as_of".into(), Value::String(a.clone()));
        }
    }
    Ok(v)
}

fn slot<'v>(v: &'v mut Value, path: &str, create: bool) -> Result<&'v mut Value, String> {
    let mut cur = v;
    for part in path.split('.') {
        let (name, indexes) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !name.is_empty() {
            let obj = cur
                .as_object_mut()
                .ok_or(format!("`{path}`: `{name}` is not inside an object"))?;
            if !obj.contains_key(name) && !create {
                return Err(format!("`{path}`: no `{name}`"));
            }
            cur = obj.entry(name.to_string()).or_insert(Value::Null);
        }
        for ix in indexes.split('[').filter(|s| !s.is_empty()) {
            let i: usize = ix
                .trim_end_matches(']')
                .parse()
                .map_err(|_| format!("`{path}`: bad index"))?;
            cur = cur
                .as_array_mut()
                .and_then(|a| a.get_mut(i))
                .ok_or(format!("`{path}`: no element {i}"))?;
        }
    }
    Ok(cur)
}

fn cites(findings: &[Value], status: &str) -> Vec<String> {
    let mut c: Vec<String> = findings
        .iter()
        .filter(|f| f["status"] == status)
        .filter_map(|f| f["cite"].as_str().map(String::from))
        .collect();
    c.sort();
    c.dedup();
    c
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v.dedup();
    v
}

/// Run one scenario file; tally rule statuses into `tally`.
pub fn run(policy: &Policy, path: &Path, tally: &mut BTreeMap<String, RuleTally>) -> Outcome {
    run_with(policy, path, tally, false)
}

/// Run one scenario file; with `accept`, rewrite its expectations (the `expect` block and the
/// files under `expected/`) to what the engine now gives instead of reporting the difference.
pub fn run_with(
    policy: &Policy,
    path: &Path,
    tally: &mut BTreeMap<String, RuleTally>,
    accept: bool,
) -> Outcome {
    let mut failures = Vec::new();
    let mut accepted = false;
    if let Err(e) = run_inner(policy, path, tally, accept, &mut failures, &mut accepted) {
        failures.push(e);
    }
    Outcome {
        path: path.to_path_buf(),
        failures,
        accepted,
    }
}

fn run_inner(
    policy: &Policy,
    path: &Path,
    tally: &mut BTreeMap<String, RuleTally>,
    accept: bool,
    failures: &mut Vec<String>,
    accepted: &mut bool,
) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let s: Scenario = serde_json::from_str(&text).map_err(|e| format!("not a scenario: {e}"))?;
    let case = case_of(&s, path.parent().unwrap_or(Path::new(".")))?;
    let facts = policy
        .parse_case(&case.to_string())
        .map_err(|e| format!("case file refused: {e}"))?;
    let as_of = facts.as_of.ok_or("the case has no as_of")?;
    let which: Vec<crate::check::ir::DecisionId> = match &s.decision {
        Some(name) => vec![policy
            .decision_index(name)
            .ok_or(format!("no decision `{name}`"))?],
        None => Vec::new(),
    };
    if s.expect.is_some() && which.is_empty() {
        return Err("an `expect` block needs the `decision` it is about".into());
    }
    if s.expect.is_none() && !s.golden {
        return Err("a scenario has an `expect` block, `\"golden\": true`, or both".into());
    }
    let in_force = match s.window {
        ScenarioWindow::SetAside => crate::InForce::SetAside,
        ScenarioWindow::Own => crate::InForce::Natural,
    };
    let eval = policy.evaluate_with(&facts, as_of, &which, in_force);
    let record: Value =
        serde_json::from_str(&policy.record_json(&eval)).map_err(|e| e.to_string())?;
    for (i, dec) in record["decisions"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        let d = which
            .get(i)
            .copied()
            .unwrap_or(crate::check::ir::DecisionId(i as u16));
        count(policy, d, dec, tally);
    }
    if let Some(e) = &s.expect {
        let dec = &record["decisions"][0];
        let fields = got_expect(e, dec);
        let changes = compare(e, &fields);
        if !changes.is_empty() {
            if accept {
                let block = accept::expect_block(&fields);
                let new = accept::replace_top_level(&text, "expect", &block)
                    .ok_or("cannot find the `expect` block to rewrite")?;
                std::fs::write(path, new)
                    .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
                *accepted = true;
            } else {
                failures.extend(changes);
            }
        }
    }
    if s.golden {
        let (lines, wrote) =
            golden::check(policy, &facts, &eval, &golden::stem(policy, path), accept);
        failures.extend(lines);
        *accepted |= wrote;
    }
    Ok(())
}

/// Tally the findings of one decision by rule.
fn count(
    policy: &Policy,
    d: crate::check::ir::DecisionId,
    dec: &Value,
    tally: &mut BTreeMap<String, RuleTally>,
) {
    let Some(dec_ir) = policy.program.decisions.get(d.index()) else {
        return;
    };
    let findings = dec["findings"].as_array().cloned().unwrap_or_default();
    for r in dec_ir.gates.iter().map(|g| &g.0).chain(&dec_ir.rules) {
        let Some(rule) = policy.program.rules.get(r.index()) else {
            continue;
        };
        let t = tally.entry(rule.id.clone()).or_default();
        let mine: Vec<&Value> = findings
            .iter()
            .filter(|f| f["rule"] == rule.id.as_str())
            .collect();
        if mine.is_empty() {
            t.not_applicable += 1;
        }
        for f in mine {
            match f["status"].as_str() {
                Some("satisfied") => t.satisfied += 1,
                Some("violated") => t.violated += 1,
                Some("review") => t.review += 1,
                Some("exempt") => t.exempt += 1,
                _ => t.unknown += 1,
            }
        }
    }
}

fn strings(v: &[String]) -> Value {
    Value::Array(v.iter().map(|s| Value::String(s.clone())).collect())
}

/// What the decision gave, as the fields of an `expect` block: the ones every block has, and the
/// optional ones this block states.
fn got_expect(e: &Expect, dec: &Value) -> Vec<(&'static str, Value)> {
    let findings = dec["findings"].as_array().cloned().unwrap_or_default();
    let mut out = vec![
        ("outcome", dec["outcome"].clone()),
        ("violated", strings(&cites(&findings, "violated"))),
        ("review", strings(&cites(&findings, "review"))),
    ];
    if e.exempt.is_some() {
        out.push(("exempt", strings(&cites(&findings, "exempt"))));
    }
    let effects = dec["effects"].as_array().cloned().unwrap_or_default();
    if !effects.is_empty() || !e.effects.is_empty() {
        out.push(("effects", Value::Array(effects)));
    }
    if e.dates.is_some() {
        out.push(("dates", dec["dates"].clone()));
    }
    if e.missing.is_some() {
        let got: Vec<String> = dec["missing"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        out.push(("missing", strings(&sorted(got))));
    }
    out
}

/// The expected fields that differ from what came out, as `field: old → new`.
fn compare(e: &Expect, got: &[(&str, Value)]) -> Vec<String> {
    let field = |k: &str| got.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone());
    let mut out = Vec::new();
    let mut same = |what: &str, want: Value, normal: fn(&Value) -> Value| {
        let have = field(what).unwrap_or(Value::Null);
        if normal(&want) != normal(&have) {
            out.push(format!(
                "{what}: {} → {}",
                diffs::short(&want),
                diffs::short(&have)
            ));
        }
    };
    let set = |v: &Value| -> Value {
        let mut items: Vec<String> = v
            .as_array()
            .map(|a| a.iter().map(|x| x.to_string()).collect())
            .unwrap_or_default();
        items.sort();
        items.dedup();
        Value::Array(items.into_iter().map(Value::String).collect())
    };
    let same_value = |v: &Value| v.clone();
    same("outcome", Value::String(e.outcome.clone()), same_value);
    same("violated", strings(&e.violated), set);
    same("review", strings(&e.review), set);
    if let Some(x) = &e.exempt {
        same("exempt", strings(x), set);
    }
    same("effects", Value::Array(e.effects.clone()), set);
    if let Some(want) = &e.dates {
        let want: serde_json::Map<String, Value> = want
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect();
        same("dates", Value::Object(want), same_value);
    }
    if let Some(want) = &e.missing {
        same("missing", strings(want), set);
    }
    out
}
