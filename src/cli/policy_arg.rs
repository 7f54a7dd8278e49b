//! Which policy folder a command reads: `--policy`, else `$RULEBOOK_POLICY`, else `./policies`.

use crate::{LoadError, Policy, Versions};
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

/// Where a policy folder that cannot be read came from, and how to name another.
pub fn whence(dir: &Path, from: &str) -> String {
    let cwd = std::env::current_dir()
        .map(|d| d.display().to_string())
        .unwrap_or_default();
    format!(
        "the policy folder `{}` came from {from} (run in `{cwd}`); give --policy DIR, or set {ENV}, or run where ./policies is",
        dir.display()
    )
}

/// Load every version, printing diagnostics; `None` means exit 1.
pub fn load_versions(arg: Option<&Path>) -> Option<Versions> {
    let (dir, from) = resolve(arg);
    match Versions::load_with(&dir, crate::Cache::from_env().as_ref()) {
        Ok(v) => Some(v),
        Err(LoadError::Io(m)) => {
            eprintln!("error: {m}\n  {}", whence(&dir, from));
            None
        }
        Err(e) => {
            super::report_load_error(&e);
            None
        }
    }
}

/// A version named from the policy folder, or a folder (a draft) loaded on its own: what
/// `diff --from/--to` and `replay --to` accept.
pub enum Chosen<'a> {
    Named(&'a Policy),
    Folder(Box<Policy>),
}

impl Chosen<'_> {
    pub fn policy(&self) -> &Policy {
        match self {
            Chosen::Named(p) => p,
            Chosen::Folder(p) => p,
        }
    }
}

/// `what` as a version of `set`, else as a folder; on failure the error is printed and the
/// exit code returned (1: the folder does not check, 2: neither a version nor a folder).
pub fn version_or_folder<'a>(set: &'a Versions, what: &str, flag: &str) -> Result<Chosen<'a>, i32> {
    if let Some(p) = set.pin(what) {
        return Ok(Chosen::Named(p));
    }
    let dir = PathBuf::from(what);
    if dir.is_dir() {
        return folder(&dir);
    }
    eprintln!(
        "error: {flag}: `{what}` is neither a version ({}) nor a folder",
        set.names().join(", ")
    );
    Err(2)
}

/// A version's folder (a draft) checked on its own; a load error is printed (exit 1).
pub fn folder(dir: &Path) -> Result<Chosen<'static>, i32> {
    match Policy::load_version_with(dir, crate::Cache::from_env().as_ref()) {
        Ok(p) => Ok(Chosen::Folder(Box::new(p))),
        Err(e) => {
            super::report_load_error(&e);
            Err(1)
        }
    }
}
