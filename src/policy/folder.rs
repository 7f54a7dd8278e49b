//! Where a policy's versions are on disk: a version folder is a folder that holds `.rules` files
//! directly; a policy folder holds version folders side by side; `policies/` holds policy folders.

use std::path::{Path, PathBuf};

/// How deep below the folder given to look for version folders (`policies/<id>/<version>/`).
const MAX_DEPTH: usize = 3;

/// The `.rules` files directly in a version folder, in name order.
pub fn rule_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read the policy folder `{}`: {e}", dir.display()))?;
    let mut out = Vec::new();
    for entry in entries {
        let p = entry
            .map_err(|e| format!("cannot read `{}`: {e}", dir.display()))?
            .path();
        if p.is_file() && p.extension().is_some_and(|x| x == "rules") {
            out.push(p);
        }
    }
    out.sort();
    Ok(out)
}

/// Every version folder at or under `dir`, sorted by path. A version folder is not searched
/// further (its `scenarios/` and `expected/` hold no rules).
pub fn version_folders(dir: &Path) -> Result<Vec<PathBuf>, String> {
    if !dir.is_dir() {
        return Err(format!(
            "cannot read the policy folder `{}`: no such folder",
            dir.display()
        ));
    }
    let mut out = Vec::new();
    walk(dir, 0, &mut out)?;
    out.sort();
    Ok(out)
}

fn walk(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) -> Result<(), String> {
    if !rule_files(dir)?.is_empty() {
        out.push(dir.to_path_buf());
        return Ok(());
    }
    if depth >= MAX_DEPTH {
        return Ok(());
    }
    let entries = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read the policy folder `{}`: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let p = entry.path();
        let hidden = p
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if p.is_dir() && !hidden {
            walk(&p, depth + 1, out)?;
        }
    }
    Ok(())
}

/// The label of a file of a version folder: `<parent>/<version folder>/<file>`, from the folder's
/// absolute path so that `.` or `../x` give the same label as the full path.
pub fn label(version_dir: &Path, file: &Path) -> String {
    let abs = std::fs::canonicalize(version_dir).unwrap_or_else(|_| version_dir.to_path_buf());
    let name = |p: Option<&Path>| {
        p.and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
    };
    let rel = file.strip_prefix(version_dir).unwrap_or(file);
    let rel = rel.to_string_lossy().replace('\\', "/");
    match (name(abs.parent()), name(Some(&abs))) {
        (Some(parent), Some(me)) => format!("{parent}/{me}/{rel}"),
        (None, Some(me)) => format!("{me}/{rel}"),
        _ => rel,
    }
}
