//! Every version of one policy, side by side: the one in force on a case's date decides.

use super::{folder, Cache, LoadError, Policy};
use crate::check::{Code, Diagnostic};
use crate::source::SourceMap;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// The versions of one policy, ordered by the day each takes effect.
pub struct Versions {
    pub versions: Vec<Policy>,
}

/// One line of the list of versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    pub name: String,
    pub window: super::Window,
    pub digest: String,
    pub folder: PathBuf,
}

impl Versions {
    /// Load and check every version folder at or under `dir`: a version folder, a policy folder
    /// of versions, or a folder holding one policy folder (`policies/`). Every version is checked
    /// and every error of every version is reported; then versions of different policies,
    /// duplicate names and versions taking effect on the same day are refused.
    pub fn load(dir: impl AsRef<Path>) -> Result<Versions, LoadError> {
        Versions::load_with(dir, None)
    }

    /// [`Versions::load`], taking each version from `cache` when a copy was made from its very
    /// files, and keeping a copy there when not (see [`Cache`]).
    pub fn load_with(dir: impl AsRef<Path>, cache: Option<&Cache>) -> Result<Versions, LoadError> {
        let dir = dir.as_ref();
        let folders = folder::version_folders(dir).map_err(LoadError::Io)?;
        if folders.is_empty() {
            return Err(LoadError::Io(format!(
                "no `.rules` files under the policy folder `{}`",
                dir.display()
            )));
        }
        let mut versions = Vec::new();
        let mut diagnostics = Vec::new();
        let mut sources = SourceMap::default();
        for f in &folders {
            match Policy::load_version_with(f, cache) {
                Ok(p) => versions.push(p),
                Err(LoadError::Io(m)) => return Err(LoadError::Io(m)),
                Err(LoadError::Invalid {
                    diagnostics: d,
                    sources: s,
                }) => {
                    // One source map for every version: shift the file numbers of the spans.
                    let offset = sources.files.len() as u32;
                    diagnostics.extend(d.into_iter().map(|mut x| {
                        if let Some(sp) = x.span.as_mut() {
                            sp.file += offset;
                        }
                        x
                    }));
                    sources.files.extend(s.files);
                }
            }
        }
        if !diagnostics.is_empty() {
            return Err(LoadError::Invalid {
                diagnostics,
                sources,
            });
        }
        versions.sort_by(|a, b| {
            (a.program.meta.effective, a.version()).cmp(&(b.program.meta.effective, b.version()))
        });
        let problems = conflicts(&versions);
        if !problems.is_empty() {
            for p in &versions {
                sources.files.extend(p.sources.files.iter().cloned());
            }
            return Err(LoadError::Invalid {
                diagnostics: problems,
                sources,
            });
        }
        // A later version ends the window of the one before on the day before it takes effect.
        for i in 1..versions.len() {
            if let Some(next) = versions[i].program.meta.effective {
                versions[i - 1].end_before(next);
            }
        }
        Ok(Versions { versions })
    }

    /// The version in force on `day`, if any.
    pub fn in_force(&self, day: NaiveDate) -> Option<&Policy> {
        self.versions.iter().find(|p| p.window.contains(day))
    }

    /// The version that decides a case on `day`: the one in force, else the latest that took
    /// effect before it (or the first), whose own rules then say it is not in force.
    pub fn for_date(&self, day: NaiveDate) -> Option<&Policy> {
        self.in_force(day).or_else(|| {
            self.versions
                .iter()
                .rev()
                .find(|p| p.program.meta.effective.is_none_or(|e| e <= day))
                .or(self.versions.first())
        })
    }

    /// The version named `name` (its header's `version`, or its folder's name).
    pub fn pin(&self, name: &str) -> Option<&Policy> {
        self.versions
            .iter()
            .find(|p| p.version() == name || p.folder.file_name().is_some_and(|n| n == name))
    }

    /// The latest version (the last to take effect).
    pub fn latest(&self) -> Option<&Policy> {
        self.versions.last()
    }

    /// The versions' names, in the order they take effect.
    pub fn names(&self) -> Vec<String> {
        self.versions
            .iter()
            .map(|p| p.version().to_string())
            .collect()
    }

    /// Every version with its window and digest.
    pub fn list(&self) -> Vec<Version> {
        self.versions
            .iter()
            .map(|p| Version {
                name: p.version().to_string(),
                window: p.window,
                digest: p.digest.clone(),
                folder: p.folder.clone(),
            })
            .collect()
    }
}

/// What makes a set of versions ambiguous (sorted by effective date).
fn conflicts(versions: &[Policy]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let problem = |code, message: String, help: &str| Diagnostic {
        code,
        span: None,
        message,
        help: Some(help.to_string()),
    };
    let folder = |p: &Policy| p.folder.display().to_string();
    if let Some(first) = versions.first() {
        for p in versions {
            if p.program.meta.id != first.program.meta.id {
                out.push(problem(
                    Code::BadHeader,
                    format!(
                        "`{}` is policy `{}`, but `{}` is policy `{}`: one folder holds the versions of one policy",
                        folder(p),
                        p.program.meta.id,
                        folder(first),
                        first.program.meta.id
                    ),
                    "give `--policy` the folder of one policy",
                ));
            }
        }
    }
    for (i, a) in versions.iter().enumerate() {
        for b in &versions[i + 1..] {
            if a.version() == b.version() {
                out.push(problem(
                    Code::Duplicate,
                    format!(
                        "version `{}` is defined twice: `{}` and `{}`",
                        a.version(),
                        folder(a),
                        folder(b)
                    ),
                    "a new version needs its own `version` in its header",
                ));
            } else if a.program.meta.effective == b.program.meta.effective {
                let when = a
                    .program
                    .meta
                    .effective
                    .map_or("no date".to_string(), |d| d.to_string());
                out.push(problem(
                    Code::Duplicate,
                    format!(
                        "versions `{}` and `{}` both take effect on {when}: their windows overlap",
                        a.version(),
                        b.version()
                    ),
                    "give each version its own `effective` date",
                ));
            }
        }
    }
    out
}
