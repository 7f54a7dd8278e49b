//! `rulebook fmt [--check] [PATH...]`: rewrite rule files in the canonical layout.

use crate::authoring::fmt::format;
use std::path::{Path, PathBuf};

/// Every `.rules` file under `paths` (files as given, folders searched), sorted.
fn rule_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut out)?;
        } else if p.exists() {
            out.push(p.clone());
        } else {
            return Err(format!("no such file or folder: {}", p.display()));
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for e in entries {
        let path = e
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if path.extension().is_some_and(|x| x == "rules") {
            out.push(path);
        }
    }
    Ok(())
}

/// Exit 0: every file is (now) in layout. 1: `--check` found files to change, or a file does not
/// parse. 2: a path cannot be read or written.
pub fn run(check: bool, paths: &[PathBuf]) -> i32 {
    let paths = if paths.is_empty() {
        vec![super::policy_arg::resolve(None).0]
    } else {
        paths.to_vec()
    };
    let files = match rule_files(&paths) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let mut code = 0;
    let mut changed = 0;
    for f in &files {
        let text = match std::fs::read_to_string(f) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", f.display());
                return 2;
            }
        };
        let formatted = match format(&text) {
            Ok(t) => t,
            Err(e) => {
                let file = crate::source::SourceFile {
                    name: f.display().to_string(),
                    label: f.display().to_string(),
                    text: text.as_str().into(),
                };
                let (line, col) = file.line_col(e.span.start as usize);
                eprintln!("error: {}:{line}:{col}: {}", f.display(), e.message);
                code = 1;
                continue;
            }
        };
        if formatted == text {
            continue;
        }
        changed += 1;
        if check {
            println!("{}", f.display());
            code = 1;
        } else if let Err(e) = std::fs::write(f, formatted) {
            eprintln!("error: cannot write {}: {e}", f.display());
            return 2;
        } else {
            println!("formatted {}", f.display());
        }
    }
    if check && changed > 0 {
        eprintln!(
            "{changed} of {} file{} would be reformatted; run `rulebook fmt` to rewrite",
            files.len(),
            if files.len() == 1 { "" } else { "s" }
        );
    }
    code
}
