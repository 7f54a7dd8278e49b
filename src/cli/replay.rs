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
    /// Old sides decided again under their logged version, the window set aside.
    decided_again: usize,
    /// Old sides taken from the log as recorded (their version is not loaded now).
    as_logged: usize,
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
    // The log first: a mistyped --db is reported before any policy is read, and is never
    // created (an empty log would read as "nothing changes").
    let mut store = match crate::log::open_existing(&args.db) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: --db: {e}");
            return 2;
        }
    };
    // The policy folder names the versions: `--to` as `diff` reads it (a version first, then a
    // folder), and the logged versions decided again on the old side. Only a `--to` folder
    // with no policy folder at all is read on its own.
    let (dir, _) = super::policy_arg::resolve(args.policy.as_deref());
    let set = if Path::new(&args.to).is_dir() && !dir.is_dir() {
        None
    } else {
        match super::policy_arg::load_versions(args.policy.as_deref()) {
            Some(v) => Some(v),
            None => return 1,
        }
    };
    let chosen = match &set {
        Some(set) => super::policy_arg::version_or_folder(set, &args.to, "--to"),
        None => super::policy_arg::folder(Path::new(&args.to)),
    };
    let chosen = match chosen {
        Ok(c) => c,
        Err(code) => return code,
    };
    let policy = chosen.policy();
    for d in &args.decisions {
        if policy.decision_index(d).is_none() {
            eprintln!(
                "error: --decision: the policy has no decision `{d}`; it has: {}",
                policy.decision_names().join(", ")
            );
            return 2;
        }
    }
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
            replay_one(policy, set.as_ref(), entry, &args.decisions, &mut report);
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

/// The old side of a logged case, as `diff` decides it: under the version that decided it,
/// with the window set aside, when that version is loaded with the logged digest; else the
/// record as the log kept it. Without this, a case logged outside every window would show as
/// changed by any revision.
fn old_side(
    set: Option<&crate::Versions>,
    entry: &crate::log::Entry,
    logged: Value,
    as_of: chrono::NaiveDate,
    report: &mut Report,
) -> Value {
    let Some(then) = set
        .and_then(|s| s.pin(&entry.version))
        .filter(|p| p.digest == entry.digest)
    else {
        report.as_logged += 1;
        return logged;
    };
    let names = logged_decisions(then, &logged, &[]);
    let again = decided_in_force(then, &entry.case, as_of, &names).ok();
    match again {
        Some(v) => {
            report.decided_again += 1;
            v
        }
        None => {
            report.as_logged += 1;
            logged
        }
    }
}

/// The ids in `policy` of the decisions a logged record holds (only those in `only`, when it
/// names any).
fn logged_decisions(
    policy: &crate::Policy,
    logged: &Value,
    only: &[String],
) -> Vec<crate::check::ir::DecisionId> {
    logged
        .get("decisions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|d| d.get("decision").and_then(Value::as_str))
        .filter(|n| only.is_empty() || only.iter().any(|o| o == n))
        .filter_map(|n| policy.decision_index(n))
        .collect()
}

/// A logged case decided again by `policy` as of `as_of`, the version taken to be in force (the
/// question is what these rules would decide, not whether they were in force then), as its
/// record. Read leniently: a case the service read leniently must be read so again; fields the
/// version does not know show in the record's warnings.
fn decided_in_force(
    policy: &crate::Policy,
    case: &str,
    as_of: chrono::NaiveDate,
    decisions: &[crate::check::ir::DecisionId],
) -> Result<Value, String> {
    let facts = policy
        .parse_case_with(case, crate::ReadOptions { lenient: true })
        .map_err(|e| format!("the case is unusable under this version: {e}"))?;
    let eval = policy.evaluate_in_force(&facts, as_of, decisions);
    serde_json::from_str::<Value>(&policy.record_json(&eval))
        .map_err(|_| "the new record is not JSON".to_string())
}

fn replay_one(
    policy: &crate::Policy,
    set: Option<&crate::Versions>,
    entry: &crate::log::Entry,
    only: &[String],
    report: &mut Report,
) {
    let skip = |report: &mut Report, why: &str| {
        report.skipped.push((entry.id.clone(), why.to_string()));
    };
    let Ok(logged) = serde_json::from_str::<Value>(&entry.record) else {
        return skip(report, "the logged record is not JSON");
    };
    let Some(as_of) = logged
        .get("as_of")
        .and_then(Value::as_str)
        .and_then(crate::eval::facts::parse_date)
    else {
        return skip(report, "the logged record has no as_of");
    };
    let name = |d: &Value| {
        d.get("decision")
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let wanted = logged_decisions(policy, &logged, only);
    if wanted.is_empty() {
        return skip(report, "none of its decisions is in the policy");
    }
    let new = match decided_in_force(policy, &entry.case, as_of, &wanted) {
        Ok(v) => v,
        Err(why) => return skip(report, &why),
    };
    let old = old_side(set, entry, logged, as_of, report);
    let old_decisions: Vec<&Value> = old
        .get("decisions")
        .and_then(Value::as_array)
        .map(|v| v.iter().collect())
        .unwrap_or_default();
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
    s.push_str(&format!(
        "the logged side: {} decided again under the version that decided them, the window set aside as well; {} as the log recorded them (their version is not loaded)\n",
        r.decided_again, r.as_logged
    ));
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
        "old_side": {"decided_again": r.decided_again, "as_logged": r.as_logged},
        "decisions": decisions,
        "skipped": r.skipped.iter().map(|(id, why)| json!({"id": id, "reason": why})).collect::<Vec<_>>(),
    })
}
