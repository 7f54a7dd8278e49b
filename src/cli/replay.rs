//! `rulebook replay`: the logged cases decided again under another version, reported as
//! outcome transitions with their counts, the rules whose findings changed, and the ids.

use clap::{Args, ValueEnum};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    Text,
    Json,
}

#[derive(Args, Debug)]
pub struct ReplayArgs {
    /// The decision log: a SQLite file, or a postgres:// URL
    #[arg(long)]
    pub db: String,
    /// The version to decide the cases under (a version of --policy), or a version's folder (a
    /// draft)
    #[arg(long)]
    pub to: String,
    /// The policy folder holding the version [default: $RULEBOOK_POLICY, else ./policies]
    #[arg(long)]
    pub policy: Option<PathBuf>,
    /// Only cases logged on or after this date (YYYY-MM-DD)
    #[arg(long)]
    pub since: Option<String>,
    /// Only these decisions (repeatable; default: those each case was decided for)
    #[arg(long = "decision")]
    pub decisions: Vec<String>,
    /// Report format
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
}

/// What changed for one decision.
#[derive(Default)]
struct DecisionReport {
    /// (from, to) -> ids of the cases.
    transitions: BTreeMap<(String, String), Vec<String>>,
    /// (rule, cite) -> cases whose finding for it changed status.
    rules: BTreeMap<(String, String), usize>,
}

#[derive(Default)]
struct Report {
    cases: usize,
    decisions: BTreeMap<String, DecisionReport>,
    skipped: Vec<(String, String)>,
}

pub fn run(args: &ReplayArgs) -> i32 {
    if let Some(s) = &args.since {
        if crate::eval::facts::parse_date(s).is_none() {
            eprintln!("error: --since: expected a date YYYY-MM-DD, got {s:?}");
            return 2;
        }
    }
    // A folder is a draft, checked on its own (the policy folder is not needed); anything
    // else names a version of the policy folder.
    let draft;
    let set;
    let policy: &crate::Policy = if Path::new(&args.to).is_dir() {
        match crate::Policy::load_version_with(
            Path::new(&args.to),
            crate::Cache::from_env().as_ref(),
        ) {
            Ok(p) => {
                draft = p;
                &draft
            }
            Err(e) => {
                super::report_load_error(&e);
                return 1;
            }
        }
    } else {
        let Some(loaded) = super::policy_arg::load_versions(args.policy.as_deref()) else {
            return 1;
        };
        set = loaded;
        match set.pin(&args.to) {
            Some(p) => p,
            None => {
                eprintln!(
                    "error: --to: `{}` is neither a version of the policy ({}) nor a folder",
                    args.to,
                    set.names().join(", ")
                );
                return 2;
            }
        }
    };
    for d in &args.decisions {
        if policy.decision_index(d).is_none() {
            eprintln!(
                "error: --decision: the policy has no decision `{d}`; it has: {}",
                policy.decision_names().join(", ")
            );
            return 2;
        }
    }
    // Opening a SQLite path creates the file: a mistyped path would replay an empty log and
    // report that nothing changes.
    if !crate::log::is_postgres(&args.db) && !Path::new(&args.db).is_file() {
        eprintln!(
            "error: --db: there is no decision log at `{}` (the file `rulebook serve --db` writes, or a postgres:// URL)",
            args.db
        );
        return 2;
    }
    let mut store = match crate::log::open(&args.db) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: --db: {e}");
            return 2;
        }
    };
    let mut report = Report::default();
    let mut after: Option<String> = None;
    loop {
        let page = match store.scan(args.since.as_deref(), after.as_deref(), 500) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("error: reading the log: {e}");
                return 2;
            }
        };
        let Some(last) = page.last() else { break };
        after = Some(last.id.clone());
        for entry in &page {
            replay_one(policy, entry, &args.decisions, &mut report);
        }
    }
    let out = match args.format {
        ReportFormat::Text => text(policy, args, &report),
        ReportFormat::Json => {
            let mut s = json_report(policy, args, &report).to_string();
            s.push('\n');
            s
        }
    };
    print!("{out}");
    0
}

/// (rule, subject) -> (cite, status) of a record's decision.
fn findings(decision: &Value) -> BTreeMap<(String, String), (String, String)> {
    let s = |v: Option<&Value>| match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    };
    decision
        .get("findings")
        .and_then(Value::as_array)
        .map(|fs| {
            fs.iter()
                .map(|f| {
                    (
                        (s(f.get("rule")), s(f.get("subject"))),
                        (s(f.get("cite")), s(f.get("status"))),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn replay_one(
    policy: &crate::Policy,
    entry: &crate::log::Entry,
    only: &[String],
    report: &mut Report,
) {
    let skip = |report: &mut Report, why: &str| {
        report.skipped.push((entry.id.clone(), why.to_string()));
    };
    let Ok(old) = serde_json::from_str::<Value>(&entry.record) else {
        return skip(report, "the logged record is not JSON");
    };
    let Some(as_of) = old
        .get("as_of")
        .and_then(Value::as_str)
        .and_then(crate::eval::facts::parse_date)
    else {
        return skip(report, "the logged record has no as_of");
    };
    let old_decisions: Vec<&Value> = old
        .get("decisions")
        .and_then(Value::as_array)
        .map(|v| v.iter().collect())
        .unwrap_or_default();
    let name = |d: &Value| {
        d.get("decision")
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let wanted: Vec<crate::check::ir::DecisionId> = old_decisions
        .iter()
        .filter_map(|d| name(d))
        .filter(|n| only.is_empty() || only.contains(n))
        .filter_map(|n| policy.decision_index(&n))
        .collect();
    if wanted.is_empty() {
        return skip(report, "none of its decisions is in the policy");
    }
    // Lenient: a case the service read leniently must be read so again; fields the new
    // version does not know show in its record's warnings.
    let facts = match policy.parse_case_with(&entry.case, crate::ReadOptions { lenient: true }) {
        Ok(f) => f,
        Err(e) => {
            return skip(
                report,
                &format!("the case is unusable under this version: {e}"),
            )
        }
    };
    // The question is what these rules would decide, not whether they were in force then.
    let eval = policy.evaluate_in_force(&facts, as_of, &wanted);
    let Ok(new) = serde_json::from_str::<Value>(&policy.record_json(&eval)) else {
        return skip(report, "the new record is not JSON");
    };
    report.cases += 1;
    let new_decisions = new
        .get("decisions")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for nd in &new_decisions {
        let Some(dname) = name(nd) else { continue };
        let Some(od) = old_decisions
            .iter()
            .find(|d| name(d).as_deref() == Some(&dname))
        else {
            continue;
        };
        let outcome = |d: &Value| {
            d.get("outcome")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let r = report.decisions.entry(dname).or_default();
        r.transitions
            .entry((outcome(od), outcome(nd)))
            .or_default()
            .push(entry.id.clone());
        let (of, nf) = (findings(od), findings(nd));
        let mut changed: BTreeMap<(String, String), ()> = BTreeMap::new();
        for (k, (cite, status)) in &nf {
            if of.get(k).map(|x| &x.1) != Some(status) {
                changed.insert((k.0.clone(), cite.clone()), ());
            }
        }
        for (k, (cite, _)) in &of {
            if !nf.contains_key(k) {
                changed.insert((k.0.clone(), cite.clone()), ());
            }
        }
        for (k, ()) in changed {
            *r.rules.entry(k).or_default() += 1;
        }
    }
}

const SHOWN_IDS: usize = 20;

/// What the report says about the window (CONTRACT section 6), as `diff` says it.
const SET_ASIDE: &str = "each case is decided as of its own as_of, as the log recorded it, by this version's rules, the version taken to be in force (the validity window is set aside)";

fn text(policy: &crate::Policy, args: &ReplayArgs, r: &Report) -> String {
    let mut s = format!(
        "replay: {} logged case{}{} decided again under {} ({})\n",
        r.cases,
        if r.cases == 1 { "" } else { "s" },
        args.since
            .as_ref()
            .map(|d| format!(" since {d}"))
            .unwrap_or_default(),
        policy.program.meta.version,
        policy.digest
    );
    s.push_str(SET_ASIDE);
    s.push('\n');
    for (decision, d) in &r.decisions {
        s.push_str(&format!("\n{decision}\n"));
        for ((from, to), ids) in &d.transitions {
            let mark = if from == to { "  (unchanged)" } else { "" };
            s.push_str(&format!("  {from} -> {to}: {}{mark}\n", ids.len()));
            if from != to {
                let shown: Vec<&str> = ids.iter().take(SHOWN_IDS).map(String::as_str).collect();
                let more = ids.len().saturating_sub(SHOWN_IDS);
                s.push_str(&format!(
                    "    ids: {}{}\n",
                    shown.join(", "),
                    if more > 0 {
                        format!(" and {more} more")
                    } else {
                        String::new()
                    }
                ));
            }
        }
        if !d.rules.is_empty() {
            s.push_str("  findings changed:\n");
            for ((rule, cite), n) in &d.rules {
                s.push_str(&format!("    {rule} {cite}: {n}\n"));
            }
        }
    }
    if !r.skipped.is_empty() {
        s.push_str(&format!("\nskipped {}:\n", r.skipped.len()));
        for (id, why) in &r.skipped {
            s.push_str(&format!("  {id}: {why}\n"));
        }
    }
    s
}

fn json_report(policy: &crate::Policy, args: &ReplayArgs, r: &Report) -> Value {
    let decisions: serde_json::Map<String, Value> = r
        .decisions
        .iter()
        .map(|(name, d)| {
            let transitions: Vec<Value> = d
                .transitions
                .iter()
                .map(|((from, to), ids)| {
                    json!({"from": from, "to": to, "count": ids.len(), "ids": ids})
                })
                .collect();
            let rules: Vec<Value> = d
                .rules
                .iter()
                .map(|((rule, cite), n)| json!({"rule": rule, "cite": cite, "cases": n}))
                .collect();
            (
                name.clone(),
                json!({"transitions": transitions, "findings_changed": rules}),
            )
        })
        .collect();
    json!({
        "to": {"version": policy.program.meta.version, "digest": policy.digest},
        "since": args.since,
        "cases": r.cases,
        "validity_window": "set aside",
        "note": SET_ASIDE,
        "decisions": decisions,
        "skipped": r.skipped.iter().map(|(id, why)| json!({"id": id, "reason": why})).collect::<Vec<_>>(),
    })
}
