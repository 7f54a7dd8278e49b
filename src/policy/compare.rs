//! What changes between two versions over a corpus of cases: each case decided by both, as of
//! its own date, each version taken to be in force (CONTRACT section 6, `diff` and `replay`).

use super::Policy;
use crate::eval::findings::{DecisionResult, Finding, Status, Subject};
use std::collections::BTreeMap;

/// The report, per decision.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// Cases read (lines that are not blank).
    pub cases: usize,
    /// Lines that either version could not read: (line, error).
    pub errors: Vec<(usize, String)>,
    pub decisions: Vec<DecisionDiff>,
    /// Line → the applicant of each case whose outcome changed in some decision, as the `to`
    /// version's letters address them (in Chinese); absent when its letters have no addressee.
    pub addressees: BTreeMap<usize, String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct DecisionDiff {
    pub decision: String,
    /// Cases decided (the decision exists in both versions).
    pub cases: usize,
    /// (from outcome, to outcome) → the lines of the cases that moved; unchanged outcomes too.
    pub transitions: BTreeMap<(String, String), Vec<usize>>,
    /// Rule id → lines of the cases whose findings of that rule changed (status, or present /
    /// absent), whether or not the outcome moved.
    pub rules: BTreeMap<String, Vec<usize>>,
    /// Cite → lines, as for rules.
    pub cites: BTreeMap<String, Vec<usize>>,
}

impl DecisionDiff {
    /// The cases whose outcome changed.
    pub fn changed(&self) -> usize {
        self.transitions
            .iter()
            .filter(|((a, b), _)| a != b)
            .map(|(_, l)| l.len())
            .sum()
    }
}

/// Decide every `(line, case)` under both versions. `decisions` empty: every decision of `to`
/// that `from` has too.
pub fn compare<'c>(
    from: &Policy,
    to: &Policy,
    cases: impl IntoIterator<Item = (usize, &'c str)>,
    decisions: &[String],
) -> Report {
    let names: Vec<String> = if decisions.is_empty() {
        to.decision_names()
            .into_iter()
            .filter(|n| from.decision_index(n).is_some())
            .map(String::from)
            .collect()
    } else {
        decisions.to_vec()
    };
    let pairs: Vec<(
        String,
        Option<crate::check::ir::DecisionId>,
        Option<crate::check::ir::DecisionId>,
    )> = names
        .iter()
        .map(|n| (n.clone(), from.decision_index(n), to.decision_index(n)))
        .collect();
    let mut report = Report {
        decisions: pairs
            .iter()
            .map(|(n, _, _)| DecisionDiff {
                decision: n.clone(),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    };
    let ask = |p: Option<crate::check::ir::DecisionId>| {
        p.into_iter().collect::<Vec<crate::check::ir::DecisionId>>()
    };
    for (line, text) in cases {
        report.cases += 1;
        let read = |p: &Policy| {
            let facts = p.parse_case(text).map_err(|e| e.to_string())?;
            let as_of = facts
                .as_of
                .ok_or_else(|| "the case has no `as_of`".to_string())?;
            Ok::<_, String>((facts, as_of))
        };
        let (a, b) = match (read(from), read(to)) {
            (Ok(a), Ok(b)) => (a, b),
            (Err(e), _) | (_, Err(e)) => {
                report.errors.push((line, e));
                continue;
            }
        };
        for ((_, fi, ti), out) in pairs.iter().zip(report.decisions.iter_mut()) {
            let (Some(fi), Some(ti)) = (fi, ti) else {
                continue;
            };
            let ea = from.evaluate_in_force(&a.0, a.1, &ask(Some(*fi)));
            let eb = to.evaluate_in_force(&b.0, b.1, &ask(Some(*ti)));
            let (Some(da), Some(db)) = (ea.decisions.first(), eb.decisions.first()) else {
                continue;
            };
            out.cases += 1;
            let moved = (outcome(from, da), outcome(to, db));
            if moved.0 != moved.1 && !report.addressees.contains_key(&line) {
                let name = crate::explain::letter::addressee(
                    to,
                    &b.0,
                    b.1,
                    &[out.decision.as_str()],
                    crate::explain::Lang::Zh,
                );
                if !name.is_empty() {
                    report.addressees.insert(line, name);
                }
            }
            out.transitions.entry(moved).or_default().push(line);
            let fa = keyed(from, &da.findings);
            let fb = keyed(to, &db.findings);
            let mut rules: Vec<(&str, &str)> = Vec::new();
            for (k, (cite, st)) in &fa {
                if fb.get(k).map(|x| x.1) != Some(*st) {
                    rules.push((k.0, cite));
                }
            }
            for (k, (cite, _)) in &fb {
                if !fa.contains_key(k) {
                    rules.push((k.0, cite));
                }
            }
            rules.sort();
            rules.dedup();
            let mut cites: Vec<&str> = rules.iter().map(|r| r.1).collect();
            cites.sort();
            cites.dedup();
            for (r, _) in rules {
                push_once(out.rules.entry(r.to_string()).or_default(), line);
            }
            for c in cites {
                push_once(out.cites.entry(c.to_string()).or_default(), line);
            }
        }
    }
    report
}

fn push_once(lines: &mut Vec<usize>, line: usize) {
    if lines.last() != Some(&line) {
        lines.push(line);
    }
}

fn outcome(p: &Policy, d: &DecisionResult) -> String {
    p.program
        .decisions
        .get(d.decision.index())
        .and_then(|x| x.outcomes.get(d.outcome.index()))
        .map_or_else(String::new, |o| o.name.clone())
}

/// Findings by (rule id, subject) → (cite, status).
fn keyed<'p>(
    p: &'p Policy,
    findings: &[Finding],
) -> BTreeMap<(&'p str, Subject), (&'p str, Status)> {
    findings
        .iter()
        .filter_map(|f| {
            let r = p.program.rules.get(f.rule.index())?;
            Some((
                (r.id.as_str(), f.subject.clone()),
                (r.cite.text.as_str(), f.status),
            ))
        })
        .collect()
}
