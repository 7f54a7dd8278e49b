//! The load cache: a copy of each checked version, kept between runs, so that a CLI call or a
//! service reload does not parse and check again rule files it has already checked (issue 12).
//!
//! A copy cannot go stale, because it is used only when everything the check read is the same
//! byte for byte: the names and texts of the version's `.rules` files, the header's `source`
//! file, and the build of rulebook that wrote it (`build.rs` names a build by its sources). Then
//! parsing and checking again would give the very same program, digest and warnings; the copy
//! only skips the work. Anything else (another file, an edit of one byte, a newer rulebook, a
//! copy that cannot be read) is a miss: the version is loaded from its files, and the copy
//! replaced. A load that fails is never kept.
//!
//! The copies live in `$RULEBOOK_CACHE` (`off` turns the cache off), else
//! `$XDG_CACHE_HOME/rulebook`, else `~/.cache/rulebook`: never in the policy folder, which staff
//! copy and the service watches. One file per version folder; the oldest beyond
//! [`MAX_COPIES`] are removed.

use super::Kept;
use crate::check::ir::Program;
use crate::check::{law::Coverage, Diagnostic};
use crate::source::{SourceFile, SourceMap};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The environment variable naming the cache folder, or `off`.
pub const ENV: &str = "RULEBOOK_CACHE";

/// Copies kept at most; a new copy removes the oldest (the tests load hundreds of folders).
const MAX_COPIES: usize = 64;

/// What a copy begins with, and the name of a copy's file.
const MAGIC: &[u8; 8] = b"rbcache1";
const SUFFIX: &str = ".rbc";

/// This build of rulebook. A debug build and a test build check alike but are kept apart anyway:
/// they cost nothing to tell apart.
fn engine() -> String {
    format!(
        "{}+{}{}",
        env!("RULEBOOK_BUILD"),
        if cfg!(debug_assertions) { "d" } else { "r" },
        if cfg!(test) { "t" } else { "" }
    )
}

/// Where copies are kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cache {
    dir: PathBuf,
}

/// One rule file as it was read: the check's input.
#[derive(Serialize, Deserialize)]
struct Input<'a> {
    name: &'a str,
    label: &'a str,
    #[serde(with = "bytes")]
    text: &'a [u8],
}

/// What a copy must match before its program is read at all.
#[derive(Serialize, Deserialize)]
struct Inputs<'a> {
    engine: &'a str,
    folder: &'a str,
    #[serde(borrow)]
    files: Vec<Input<'a>>,
    /// The header's `source` file, as the check read it.
    #[serde(borrow)]
    source: Option<Source<'a>>,
}

/// The header's `source` file: its path as the check joined it, and its bytes.
#[derive(Serialize, Deserialize)]
struct Source<'a> {
    path: &'a str,
    #[serde(with = "bytes")]
    text: &'a [u8],
}

/// What the check gave.
#[derive(Deserialize)]
struct Output {
    digest: String,
    program: Program,
    coverage: Option<Coverage>,
    warnings: Vec<Diagnostic>,
}

/// [`Output`] borrowed, to write without a copy of the program.
#[derive(Serialize)]
struct OutputRef<'a> {
    digest: &'a str,
    program: &'a Program,
    coverage: &'a Option<Coverage>,
    warnings: &'a [Diagnostic],
}

/// A rule file of a version folder as it is now on disk.
pub(super) struct OnDisk {
    pub path: PathBuf,
    pub name: String,
    pub label: String,
    pub bytes: Vec<u8>,
}

impl Cache {
    /// The cache the environment names; `None` when it is turned off or there is no home folder.
    pub fn from_env() -> Option<Cache> {
        let var = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
        if let Some(v) = var(ENV) {
            return (v != "off").then(|| Cache::at(PathBuf::from(v)));
        }
        if let Some(v) = var("XDG_CACHE_HOME") {
            return Some(Cache::at(PathBuf::from(v).join("rulebook")));
        }
        var("HOME").map(|h| Cache::at(PathBuf::from(h).join(".cache").join("rulebook")))
    }

    /// A cache in `dir` (made when the first copy is written).
    pub fn at(dir: impl Into<PathBuf>) -> Cache {
        Cache { dir: dir.into() }
    }

    /// The folder the copies are in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file of the copy of `folder` (as given: the names in diagnostics depend on it).
    fn file(&self, folder: &str) -> PathBuf {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in folder.bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.dir.join(format!("{h:016x}{SUFFIX}"))
    }

    /// The checked version of `folder`, if a copy was made from exactly `files` (and the same
    /// `source` file, read again now) by this build.
    pub(super) fn get(&self, folder: &Path, files: &[OnDisk]) -> Option<Kept> {
        let folder = folder.to_string_lossy();
        let bytes = std::fs::read(self.file(&folder)).ok()?;
        let rest = bytes.strip_prefix(MAGIC)?;
        let (inputs, rest) = postcard::take_from_bytes::<Inputs>(rest).ok()?;
        let engine = engine();
        let same_files = inputs.files.len() == files.len()
            && inputs.files.iter().zip(files).all(|(kept, now)| {
                kept.name == now.name && kept.label == now.label && kept.text == now.bytes
            });
        if inputs.engine != engine || inputs.folder != folder || !same_files {
            return None;
        }
        if let Some(kept) = &inputs.source {
            if std::fs::read(kept.path).ok()? != kept.text {
                return None;
            }
        }
        let output: Output = postcard::from_bytes(rest).ok()?;
        let mut sources = SourceMap::default();
        for f in files {
            sources.files.push(SourceFile {
                name: f.name.clone(),
                label: f.label.clone(),
                text: simdutf8::basic::from_utf8(&f.bytes).ok()?.into(),
            });
        }
        Some(Kept {
            sources,
            digest: output.digest,
            program: output.program,
            coverage: output.coverage,
            warnings: output.warnings,
        })
    }

    /// Keep a copy of `kept`, checked from `folder` (reading `source` for coverage). A copy that
    /// cannot be written is not kept, and nothing else happens: the cache only saves work.
    pub(super) fn put(&self, folder: &Path, kept: &Kept, source: Option<&(PathBuf, String)>) {
        let folder = folder.to_string_lossy();
        let engine = engine();
        let source_path = source.map(|(p, _)| p.to_string_lossy());
        let inputs = Inputs {
            engine: &engine,
            folder: &folder,
            files: kept
                .sources
                .files
                .iter()
                .map(|f| Input {
                    name: &f.name,
                    label: &f.label,
                    text: f.text.as_bytes(),
                })
                .collect(),
            source: source
                .zip(source_path.as_deref())
                .map(|((_, text), path)| Source {
                    path,
                    text: text.as_bytes(),
                }),
        };
        let output = OutputRef {
            digest: &kept.digest,
            program: &kept.program,
            coverage: &kept.coverage,
            warnings: &kept.warnings,
        };
        let bytes = MAGIC.to_vec();
        let written =
            postcard::to_extend(&inputs, bytes).and_then(|b| postcard::to_extend(&output, b));
        if let Ok(bytes) = written {
            if self.write(&self.file(&folder), &bytes).is_ok() {
                self.prune();
            }
        }
    }

    /// Write beside and rename, so that a reader sees the old copy or the new one, never half.
    fn write(&self, to: &Path, bytes: &[u8]) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let tmp = to.with_extension(format!("{}-{nanos}.tmp", std::process::id()));
        std::fs::write(&tmp, bytes)?;
        std::fs::rename(&tmp, to).inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })
    }

    /// Remove the oldest copies beyond [`MAX_COPIES`].
    fn prune(&self) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        let mut copies: Vec<(std::time::SystemTime, PathBuf)> = entries
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(SUFFIX))
            .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
            .collect();
        if copies.len() <= MAX_COPIES {
            return;
        }
        copies.sort();
        for (_, path) in &copies[..copies.len() - MAX_COPIES] {
            // Another process may have removed it first.
            let _ = std::fs::remove_file(path);
        }
    }
}

/// A text as bytes: compared with the file on disk without checking it is UTF-8 first.
mod bytes {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(b: &&[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(b)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<&'de [u8], D::Error> {
        <&[u8]>::deserialize(d)
    }
}
