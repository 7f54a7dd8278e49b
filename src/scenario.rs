//! Scenario files: a case (inline or a base file with edits), the decision asked, what must come out.

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
    pub decision: String,
    pub expect: Expect,
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

/// Per rule, how often each status (and "did not apply") was seen.
#[derive(Debug, Default, Clone)]
pub struct RuleTally {
    pub satisfied: usize,
    pub violated: usize,
    pub review: usize,
    pub exempt: usize,
    pub unknown: usize,
    pub not_applicable: usize,
}

pub struct Outcome {
    pub path: PathBuf,
    pub failures: Vec<String>,
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
    let mut failures = Vec::new();
    let result = (|| -> Result<(), String> {
        let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
        let s: Scenario =
            serde_json::from_str(&text).map_err(|e| format!("not a scenario: {e}"))?;
        let case = case_of(&s, path.parent().unwrap_or(Path::new(".")))?;
        let facts = policy
            .parse_case(&case.to_string())
            .map_err(|e| format!("case file refused: {e}"))?;
        let as_of = facts.as_of.ok_or("the case has no as_of")?;
        let d = policy
            .decision_index(&s.decision)
            .ok_or(format!("no decision `{}`", s.decision))?;
        let eval = policy.evaluate(&facts, as_of, &[d]);
        let record: Value =
            serde_json::from_str(&policy.record_json(&eval)).map_err(|e| e.to_string())?;
        let dec = &record["decisions"][0];
        let findings = dec["findings"].as_array().cloned().unwrap_or_default();
        let dec_ir = &policy.program.decisions[d.index()];
        for r in dec_ir.gates.iter().map(|g| &g.0).chain(&dec_ir.rules) {
            let id = &policy.program.rules[r.index()].id;
            let t = tally.entry(id.clone()).or_default();
            let mine: Vec<&Value> = findings
                .iter()
                .filter(|f| f["rule"] == id.as_str())
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
        let e = &s.expect;
        if dec["outcome"] != e.outcome.as_str() {
            failures.push(format!(
                "outcome: expected `{}`, got {}",
                e.outcome, dec["outcome"]
            ));
        }
        let check = |failures: &mut Vec<String>, what: &str, want: &[String], got: Vec<String>| {
            if sorted(want.to_vec()) != got {
                failures.push(format!("{what}: expected {want:?}, got {got:?}"));
            }
        };
        check(
            &mut failures,
            "violated",
            &e.violated,
            cites(&findings, "violated"),
        );
        check(
            &mut failures,
            "review",
            &e.review,
            cites(&findings, "review"),
        );
        if let Some(x) = &e.exempt {
            check(&mut failures, "exempt", x, cites(&findings, "exempt"));
        }
        let got_effects = dec["effects"].as_array().cloned().unwrap_or_default();
        let key = |v: &Value| v.to_string();
        let mut a: Vec<String> = e.effects.iter().map(key).collect();
        let mut b: Vec<String> = got_effects.iter().map(key).collect();
        a.sort();
        b.sort();
        if a != b {
            failures.push(format!(
                "effects: expected {}, got {}",
                a.join(", "),
                b.join(", ")
            ));
        }
        if let Some(want) = &e.dates {
            let got: BTreeMap<String, String> = dec["dates"]
                .as_object()
                .map(|o| {
                    o.iter()
                        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                        .collect()
                })
                .unwrap_or_default();
            if &got != want {
                failures.push(format!("dates: expected {want:?}, got {got:?}"));
            }
        }
        if let Some(want) = &e.missing {
            let got: Vec<String> = dec["missing"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default();
            check(&mut failures, "missing", want, sorted(got));
        }
        Ok(())
    })();
    if let Err(e) = result {
        failures.push(e);
    }
    Outcome {
        path: path.to_path_buf(),
        failures,
    }
}

/// Rules not seen both holding and not holding across a run: an exception holds when it exempts,
/// any other rule when it is satisfied.
pub fn uncovered(policy: &Policy, tally: &BTreeMap<String, RuleTally>) -> Vec<String> {
    policy
        .program
        .rules
        .iter()
        .filter(|r| {
            let t = tally.get(&r.id).cloned().unwrap_or_default();
            let (held, not_held) = if r.overrides.is_empty() {
                (
                    t.satisfied,
                    t.violated + t.review + t.exempt + t.unknown + t.not_applicable,
                )
            } else {
                (
                    t.exempt,
                    t.satisfied + t.violated + t.review + t.unknown + t.not_applicable,
                )
            };
            held == 0 || not_held == 0
        })
        .map(|r| r.id.clone())
        .collect()
}
