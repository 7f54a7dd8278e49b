//! Which policy folder a command reads: `--policy`, else `$RULEBOOK_POLICY`, else `./policies`.

use crate::{LoadError, Versions};
use std::path::{Path, PathBuf};

pub const ENV: &str = "RULEBOOK_POLICY";

/// The folder to load and where its name came from (for the error when it cannot be read).
pub fn resolve(arg: Option<&Path>) -> (PathBuf, &'static str) {
    if let Some(p) = arg {
        return (p.to_path_buf(), "--policy");
    }
    match std::env::var_os(ENV) {
        Some(v) if !v.is_empty() => (PathBuf::from(v), "$RULEBOOK_POLICY"),
        _ => (PathBuf::from("policies"), "the default ./policies"),
    }
}

/// Load every version, printing diagnostics; `None` means exit 1.
pub fn load_versions(arg: Option<&Path>) -> Option<Versions> {
    let (dir, from) = resolve(arg);
    match Versions::load_with(&dir, crate::Cache::from_env().as_ref()) {
        Ok(v) => Some(v),
        Err(LoadError::Io(m)) => {
            let cwd = std::env::current_dir()
                .map(|d| d.display().to_string())
                .unwrap_or_default();
            eprintln!(
                "error: {m}\n  the policy folder `{}` came from {from} (run in `{cwd}`); give --policy DIR, or set {ENV}, or run where ./policies is",
                dir.display()
            );
            None
        }
        Err(e) => {
            super::report_load_error(&e);
            None
        }
    }
}
