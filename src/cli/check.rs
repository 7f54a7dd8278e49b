//! `rulebook check`.

use std::path::Path;

pub fn run(dir: &Path) -> i32 {
    let Some(policy) = super::load_or_report(dir) else {
        return 1;
    };
    let colour = crate::render::stderr_colour();
    for w in &policy.warnings {
        eprint!("{}", crate::render::diagnostic(w, &policy.sources, colour));
    }
    let p = &policy.program;
    println!(
        "{} {}: {} files, {} facts records, {} rules, {} decisions — ok ({})",
        p.meta.id,
        p.meta.version,
        policy.sources.files.len(),
        p.schema.records.len(),
        p.rules.len(),
        p.decisions.len(),
        policy.digest
    );
    if !p.meta.repeals.is_empty() {
        println!("repeals {}", p.meta.repeals);
    }
    if let Some(c) = &policy.coverage {
        println!(
            "{}/{} articles: {} encoded, {} declaratory",
            c.encoded + c.declaratory,
            c.total,
            c.encoded,
            c.declaratory
        );
    }
    0
}
