//! `rulebook test`: every version's scenarios and expected records and letters.

use crate::scenario;
use crate::{Policy, Versions};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub struct TestArgs<'a> {
    pub policy: Option<&'a Path>,
    pub version: Option<&'a str>,
    pub coverage: bool,
    pub accept: bool,
    pub paths: &'a [PathBuf],
}

pub fn run(args: &TestArgs<'_>) -> i32 {
    let Some(set) = super::policy_arg::load_versions(args.policy) else {
        return 1;
    };
    let versions: Vec<&Policy> = match args.version {
        Some(v) => match set.pin(v) {
            Some(p) => vec![p],
            None => {
                eprintln!(
                    "error: --version: no version `{v}`; the policy has: {}",
                    set.names().join(", ")
                );
                return 2;
            }
        },
        None => set.versions.iter().collect(),
    };
    // A path that is not there is a mistake in the command, not a scenario whose result changed.
    if let Some(missing) = args.paths.iter().find(|p| !p.exists()) {
        eprintln!(
            "error: `{}` does not exist; give scenario files or folders (default: each version's scenarios/)",
            missing.display()
        );
        return 2;
    }
    let plan = plan(&set, &versions, args.paths);
    let (mut passed, mut failed, mut accepted, mut gaps) = (0, 0, 0, 0);
    for (policy, files) in &plan {
        super::say(format_args!(
            "{} {} ({}): {} scenarios",
            policy.program.meta.id,
            policy.version(),
            policy.window.describe(),
            files.len()
        ));
        let mut tally = BTreeMap::new();
        for f in files {
            let o = scenario::run_with(policy, f, &mut tally, args.accept);
            if o.accepted {
                accepted += 1;
                super::say(format_args!("ACCEPTED {}", o.path.display()));
            }
            if o.failures.is_empty() {
                passed += 1;
            } else {
                failed += 1;
                super::say(format_args!("CHANGED {}", o.path.display()));
                for x in &o.failures {
                    super::say(format_args!("     {x}"));
                }
            }
        }
        if args.coverage {
            gaps += coverage(policy, &tally);
        }
    }
    let total = passed + failed;
    if args.accept {
        super::say(format_args!(
            "{passed} passed, {failed} failed, {accepted} accepted"
        ));
    } else {
        super::say(format_args!("{passed} passed, {failed} failed"));
    }
    i32::from(failed > 0 || gaps > 0 || total == 0)
}

/// Which scenario files each version runs: its own `scenarios/` folder, or the files given that
/// lie in it (a file outside every version folder is run by the latest version).
fn plan<'a>(
    set: &'a Versions,
    versions: &[&'a Policy],
    paths: &[PathBuf],
) -> Vec<(&'a Policy, Vec<PathBuf>)> {
    if paths.is_empty() {
        return versions
            .iter()
            .map(|p| (*p, scenario::collect(&[p.folder.join("scenarios")])))
            .collect();
    }
    let canon = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    // Each version's folder and its `scenarios/`, resolved once.
    let homes: Vec<(PathBuf, PathBuf)> = versions
        .iter()
        .map(|p| (canon(&p.folder), canon(&p.folder.join("scenarios"))))
        .collect();
    let latest = set
        .latest()
        .and_then(|l| versions.iter().position(|p| std::ptr::eq(*p, l)))
        .unwrap_or(versions.len().saturating_sub(1));
    let mut files: Vec<(PathBuf, bool)> = Vec::new();
    for p in paths {
        let walked = p.is_dir();
        files.extend(
            scenario::collect(std::slice::from_ref(p))
                .into_iter()
                .map(|f| (f, walked)),
        );
    }
    files.sort();
    let mut out: Vec<(&Policy, Vec<PathBuf>)> = versions.iter().map(|p| (*p, Vec::new())).collect();
    for (f, walked) in files {
        let abs = canon(&f);
        let inside = homes.iter().position(|(folder, _)| abs.starts_with(folder));
        // A folder given as PATH (say `policies`) also holds each version's example cases and
        // expected records: only the files under a version's `scenarios/` are scenarios there.
        // A file named on its own is run wherever it lies.
        if let (Some(i), true) = (inside, walked) {
            if !homes.get(i).is_some_and(|(_, scen)| abs.starts_with(scen)) {
                continue;
            }
        }
        if let Some(slot) = out.get_mut(inside.unwrap_or(latest)) {
            slot.1.push(f);
        }
    }
    out.retain(|(_, f)| !f.is_empty());
    out
}

/// Print the coverage table of one version; returns how many rules were not seen both ways.
fn coverage(policy: &Policy, tally: &BTreeMap<String, scenario::RuleTally>) -> usize {
    // The first column is as wide as the longest rule id (in characters), and at least 34.
    let w = policy
        .program
        .rules
        .iter()
        .map(|r| r.id.chars().count())
        .max()
        .unwrap_or(0)
        .max(34);
    super::say(format_args!(
        "{:<w$} {:>9} {:>8} {:>6} {:>6} {:>7} {:>6}",
        "rule", "satisfied", "violated", "review", "exempt", "unknown", "n/a"
    ));
    let gaps = scenario::uncovered(policy, tally);
    for r in &policy.program.rules {
        let t = tally.get(&r.id).cloned().unwrap_or_default();
        let mark = if gaps.contains(&r.id) {
            "  <- not seen both ways"
        } else {
            ""
        };
        super::say(format_args!(
            "{:<w$} {:>9} {:>8} {:>6} {:>6} {:>7} {:>6}{}",
            r.id, t.satisfied, t.violated, t.review, t.exempt, t.unknown, t.not_applicable, mark
        ));
    }
    let n = policy.program.rules.len();
    super::say(format_args!(
        "{n} rules, {} seen both ways (a condition: satisfied and violated or review, n/a and unknown count for neither; an effect or exception: applied and not)",
        n - gaps.len()
    ));
    if !gaps.is_empty() {
        super::say(format_args!(
            "coverage: {} rules are not seen both ways: {}",
            gaps.len(),
            gaps.join(", ")
        ));
    }
    gaps.len()
}
