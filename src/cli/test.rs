//! `rulebook test`.

use crate::scenario;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub fn run(dir: &Path, coverage: bool, paths: &[PathBuf]) -> i32 {
    let Some(policy) = super::load_or_report(dir) else {
        return 1;
    };
    let paths = if paths.is_empty() {
        vec![PathBuf::from("tests/scenarios")]
    } else {
        paths.to_vec()
    };
    let files = scenario::collect(&paths);
    let mut tally = BTreeMap::new();
    let (mut passed, mut failed) = (0, 0);
    for f in &files {
        let o = scenario::run(&policy, f, &mut tally);
        if o.failures.is_empty() {
            passed += 1;
        } else {
            failed += 1;
            println!("FAIL {}", o.path.display());
            for x in &o.failures {
                println!("     {x}");
            }
        }
    }
    if coverage {
        println!(
            "{:<34} {:>9} {:>8} {:>6} {:>6} {:>7} {:>6}",
            "rule", "satisfied", "violated", "review", "exempt", "unknown", "n/a"
        );
        let gaps = scenario::uncovered(&policy, &tally);
        for r in &policy.program.rules {
            let t = tally.get(&r.id).cloned().unwrap_or_default();
            let mark = if gaps.contains(&r.id) {
                "  <- not seen both ways"
            } else {
                ""
            };
            println!(
                "{:<34} {:>9} {:>8} {:>6} {:>6} {:>7} {:>6}{}",
                r.id,
                t.satisfied,
                t.violated,
                t.review,
                t.exempt,
                t.unknown,
                t.not_applicable,
                mark
            );
        }
        let uncovered = gaps.len();
        println!(
            "{} rules, {} seen both satisfied and not satisfied",
            policy.program.rules.len(),
            policy.program.rules.len() - uncovered
        );
        if uncovered > 0 {
            println!("coverage: {uncovered} rules are not seen both ways");
        }
        println!("{passed} passed, {failed} failed");
        return i32::from(failed > 0 || uncovered > 0 || files.is_empty());
    }
    println!("{passed} passed, {failed} failed");
    if failed == 0 && !files.is_empty() {
        0
    } else {
        1
    }
}
