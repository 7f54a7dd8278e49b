//! `rulebook diff`: what a revision changes, over a corpus of past cases.

use super::policy_arg::version_or_folder;
use crate::policy::{compare, Report};
use crate::Policy;
use serde_json::{json, Value};
use std::path::Path;

/// How many case lines a text report lists per transition before it counts the rest.
const SHOW_LINES: usize = 40;

pub struct DiffArgs<'a> {
    pub policy: Option<&'a Path>,
    pub from: &'a str,
    pub to: &'a str,
    pub cases: &'a Path,
    pub decisions: &'a [String],
    pub json: bool,
}

pub fn run(args: &DiffArgs<'_>) -> i32 {
    let Some(set) = super::policy_arg::load_versions(args.policy) else {
        return 1;
    };
    let from = match version_or_folder(&set, args.from, "--from") {
        Ok(s) => s,
        Err(c) => return c,
    };
    let to = match version_or_folder(&set, args.to, "--to") {
        Ok(s) => s,
        Err(c) => return c,
    };
    let (from, to) = (from.policy(), to.policy());
    for d in args.decisions {
        if from.decision_index(d).is_none() || to.decision_index(d).is_none() {
            eprintln!(
                "error: --decision: `{d}` is not a decision of both versions; {} has: {}",
                to.version(),
                to.decision_names().join(", ")
            );
            return 2;
        }
    }
    let text = match std::fs::read_to_string(args.cases) {
        Ok(t) => t,
        Err(e) => {
            eprintln!(
                "error: --cases: cannot read `{}`: {e}",
                args.cases.display()
            );
            return 2;
        }
    };
    let lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l))
        // Blank as `eval --batch` has it (a byte order mark alone too), counted all the same.
        .filter(|(_, l)| !crate::jsonl::is_blank(l.as_bytes()));
    let report = compare(from, to, lines, args.decisions);
    let out = if args.json {
        let mut s = serde_json::to_string_pretty(&as_json(from, to, args.cases, &report))
            .unwrap_or_default();
        s.push('\n');
        s
    } else {
        as_text(from, to, args.cases, &report)
    };
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
    0
}

const SET_ASIDE: &str = "each case is decided as of its own as_of by each version's rules, that version taken to be in force (the validity window is set aside)";

fn name(p: &Policy) -> String {
    format!("{} {}", p.program.meta.id, p.version())
}

fn as_text(from: &Policy, to: &Policy, cases: &Path, r: &Report) -> String {
    let mut s = format!(
        "diff {} -> {} over {} ({} cases)\n{SET_ASIDE}\n",
        name(from),
        to.version(),
        cases.display(),
        r.cases
    );
    for (line, e) in &r.errors {
        s.push_str(&format!("line {line}: not decided: {e}\n"));
    }
    for d in &r.decisions {
        let changed = d.changed();
        s.push_str(&format!(
            "\n{}: {changed} of {} cases change outcome\n",
            d.decision, d.cases
        ));
        for ((a, b), lines) in d.transitions.iter().filter(|((a, b), _)| a != b) {
            s.push_str(&format!("  {a} -> {b}: {}\n", lines.len()));
            s.push_str(&format!("    lines {}\n", list(lines)));
            // Who they are, as the new version's letters would address them.
            for l in lines.iter().take(SHOW_LINES) {
                if let Some(name) = r.addressees.get(l) {
                    s.push_str(&format!("    line {l}: {name}\n"));
                }
            }
        }
        for ((a, _), lines) in d.transitions.iter().filter(|((a, b), _)| a == b) {
            s.push_str(&format!("  {a} (unchanged): {}\n", lines.len()));
        }
        if !d.rules.is_empty() {
            let rules: Vec<String> = d
                .rules
                .iter()
                .map(|(k, v)| format!("{k} ({})", v.len()))
                .collect();
            let cites: Vec<String> = d
                .cites
                .iter()
                .map(|(k, v)| format!("{k} ({})", v.len()))
                .collect();
            s.push_str(&format!(
                "  rules whose findings changed (cases): {}\n",
                rules.join(", ")
            ));
            s.push_str(&format!("  cites (cases): {}\n", cites.join(", ")));
        }
    }
    s
}

fn list(lines: &[usize]) -> String {
    let shown: Vec<String> = lines
        .iter()
        .take(SHOW_LINES)
        .map(|l| l.to_string())
        .collect();
    if lines.len() > SHOW_LINES {
        format!("{} … ({} more)", shown.join(", "), lines.len() - SHOW_LINES)
    } else {
        shown.join(", ")
    }
}

fn as_json(from: &Policy, to: &Policy, cases: &Path, r: &Report) -> Value {
    let version = |p: &Policy| json!({"id": p.program.meta.id, "version": p.version(), "digest": p.digest, "folder": p.folder.display().to_string()});
    json!({
        "from": version(from),
        "to": version(to),
        "cases_file": cases.display().to_string(),
        "cases": r.cases,
        "validity_window": "set aside",
        "note": SET_ASIDE,
        "errors": r.errors.iter().map(|(l, e)| json!({"line": l, "error": e})).collect::<Vec<_>>(),
        "decisions": r.decisions.iter().map(|d| json!({
            "decision": d.decision,
            "cases": d.cases,
            "changed": d.changed(),
            "transitions": d.transitions.iter().map(|((a, b), l)| json!({
                "from": a, "to": b, "count": l.len(), "changed": a != b,
                "lines": if a != b { json!(l) } else { Value::Null },
                "addressees": if a != b {
                    json!(l.iter().filter_map(|n| r.addressees.get(n).map(|name| json!({"line": n, "addressee": name}))).collect::<Vec<_>>())
                } else { Value::Null },
            })).collect::<Vec<_>>(),
            "rules": d.rules.iter().map(|(k, l)| json!({"rule": k, "count": l.len(), "lines": l})).collect::<Vec<_>>(),
            "cites": d.cites.iter().map(|(k, l)| json!({"cite": k, "count": l.len(), "lines": l})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}
