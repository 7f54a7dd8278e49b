//! `rulebook check`: every version of the policy, its window, digest and law coverage.

use std::path::Path;

pub fn run(dir: Option<&Path>) -> i32 {
    let Some(set) = super::policy_arg::load_versions(dir) else {
        return 1;
    };
    for policy in &set.versions {
        for w in &policy.warnings {
            match w.span {
                Some(s) => eprintln!("warning: {}: {}", policy.sources.location(s), w.message),
                None => eprintln!("warning: {}", w.message),
            }
            if let Some(h) = &w.help {
                eprintln!("  help: {h}");
            }
        }
        let p = &policy.program;
        super::say(format_args!(
            "{} {} ({}): {} files, {} facts records, {} rules, {} decisions — ok ({})",
            p.meta.id,
            p.meta.version,
            policy.window.describe(),
            policy.sources.files.len(),
            p.schema.records.len(),
            p.rules.len(),
            p.decisions.len(),
            policy.digest
        ));
        if !p.meta.repeals.is_empty() {
            super::say(format_args!("repeals {}", p.meta.repeals));
        }
        if let Some(c) = &policy.coverage {
            super::say(format_args!(
                "{}/{} articles: {} encoded, {} declaratory",
                c.encoded + c.declaratory,
                c.total,
                c.encoded,
                c.declaratory
            ));
        }
    }
    0
}
