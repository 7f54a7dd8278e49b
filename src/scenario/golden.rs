//! Expected records and letters: files under the version's `expected/` folder that must match
//! what the engine writes, byte for byte.

use super::diffs;
use crate::eval::facts::Facts;
use crate::explain::letter::LetterOptions;
use crate::explain::{self, Lang};
use crate::{Evaluation, Policy};
use std::path::{Path, PathBuf};

/// The outputs kept for a golden scenario, by file suffix.
const KINDS: [&str; 4] = ["record.json", "text.txt", "letter.zh.md", "letter.en.md"];

/// Where a scenario's expected outputs live: `<version>/expected/<path under scenarios>`, or
/// beside the scenario in `expected/` when it is not in a version folder.
pub fn stem(policy: &Policy, scenario: &Path) -> PathBuf {
    let rel = std::fs::canonicalize(scenario).ok().and_then(|abs| {
        let root = std::fs::canonicalize(policy.folder.join("scenarios")).ok()?;
        abs.strip_prefix(root).ok().map(Path::to_path_buf)
    });
    match rel {
        Some(r) => policy.folder.join("expected").join(r.with_extension("")),
        None => {
            let dir = scenario.parent().unwrap_or(Path::new("."));
            let name = scenario.file_stem().unwrap_or_default();
            dir.join("expected").join(name)
        }
    }
}

fn render(policy: &Policy, facts: &Facts, eval: &Evaluation, kind: &str) -> String {
    match kind {
        "record.json" => {
            let mut s = policy.record_json_pretty(eval);
            s.push('\n');
            s
        }
        "text.txt" => explain::text::render(policy, eval, Lang::Zh, false),
        // The letter the applicant gets: addressed and naming members from the case.
        "letter.zh.md" => {
            explain::letter::markdown(policy, Some(facts), eval, &LetterOptions::new(Lang::Zh))
        }
        _ => explain::letter::markdown(policy, Some(facts), eval, &LetterOptions::new(Lang::En)),
    }
}

/// Compare (or, when accepting, write) every expected output; returns the differences, each
/// `file: what changed`, and whether any file was written.
pub fn check(
    policy: &Policy,
    facts: &Facts,
    eval: &Evaluation,
    stem: &Path,
    accept: bool,
) -> (Vec<String>, bool) {
    let mut out = Vec::new();
    let mut wrote = false;
    for kind in KINDS {
        let got = render(policy, facts, eval, kind);
        let file = PathBuf::from(format!("{}.{kind}", stem.display()));
        let want = std::fs::read_to_string(&file).ok();
        if want.as_deref() == Some(got.as_str()) {
            continue;
        }
        if accept {
            let written = file
                .parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|_| std::fs::write(&file, &got));
            match written {
                Ok(()) => wrote = true,
                Err(e) => out.push(format!("{}: cannot write: {e}", file.display())),
            }
            continue;
        }
        let Some(want) = want else {
            out.push(format!(
                "{}: missing (`rulebook test --accept` writes it)",
                file.display()
            ));
            continue;
        };
        let lines = if kind == "record.json" {
            match (
                serde_json::from_str::<serde_json::Value>(&want),
                serde_json::from_str::<serde_json::Value>(&got),
            ) {
                (Ok(a), Ok(b)) if a != b => diffs::json(&a, &b),
                _ => diffs::text(&want, &got),
            }
        } else {
            diffs::text(&want, &got)
        };
        out.push(format!("{}:", file.display()));
        out.extend(lines.into_iter().map(|l| format!("  {l}")));
    }
    (out, wrote)
}
