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
/// The end of the name of a copy being written.
const TMP: &str = ".tmp";

/// This build of rulebook: the name `build.rs` gives its sources, compiler and settings, and the
/// running program's own size and time, which tell apart two builds of the same sources made
/// otherwise (another lock file, a vendored crate edited). A debug build and a test build check
/// alike but are kept apart anyway: they cost nothing to tell apart. Found once per process (the
/// binary is looked up on disk), not at each version's lookup and again at its write.
fn engine() -> &'static str {
    static ENGINE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    ENGINE.get_or_init(find_engine)
}

fn find_engine() -> String {
    let binary = std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|m| {
            let modified = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            format!("{}@{modified}", m.len())
        })
        .unwrap_or_default();
    format!(
        "{}+{}{}+{binary}",
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
        Cache::from_vars(|k| std::env::var_os(k))
    }

    /// [`Cache::from_env`] over any source of variables.
    fn from_vars(var: impl Fn(&str) -> Option<std::ffi::OsString>) -> Option<Cache> {
        let var = |k: &str| var(k).filter(|v| !v.is_empty());
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

    /// The file of the copy of `folder` made by `engine`: by the folder's name as given (the
    /// names in diagnostics depend on it) and the folder it names from here, so that `policies`
    /// in two checkouts keeps two copies, and by the build, so that two builds used in turn
    /// (`cargo run` and an installed one) do not replace each other's copy at every call. Only a
    /// place to look: what is found there is compared in full.
    fn file(&self, folder: &str, engine: &str) -> PathBuf {
        let absolute = std::path::absolute(folder).unwrap_or_default();
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let key = [
            folder.as_bytes(),
            absolute.as_os_str().as_encoded_bytes(),
            engine.as_bytes(),
        ];
        for part in key {
            for &b in part.iter().chain(&[0]) {
                h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
        self.dir.join(format!("{h:016x}{SUFFIX}"))
    }

    /// The checked version of `folder`, if a copy was made from exactly `files` (and the same
    /// `source` file, read again now) by this build.
    pub(super) fn get(&self, folder: &Path, files: &[OnDisk]) -> Option<Kept> {
        let folder = folder.to_string_lossy();
        let engine = engine();
        let file = self.file(&folder, engine);
        let bytes = std::fs::read(&file).ok()?;
        let rest = bytes.strip_prefix(MAGIC)?;
        let (inputs, rest) = postcard::take_from_bytes::<Inputs>(rest).ok()?;
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
        // The inputs were compared with the files themselves; what the check gave is trusted
        // only with its checksum (a disk can flip a digit of a threshold).
        let (output, sum) = rest.split_at_checked(rest.len().checked_sub(8)?)?;
        if checksum(output).to_le_bytes() != sum {
            return None;
        }
        let output: Output = postcard::from_bytes(output).ok()?;
        let mut sources = SourceMap::default();
        for f in files {
            sources.files.push(SourceFile {
                name: f.name.clone(),
                label: f.label.clone(),
                text: simdutf8::basic::from_utf8(&f.bytes).ok()?.into(),
            });
        }
        // Used now: the last to be pruned.
        if let Ok(f) = std::fs::File::options().append(true).open(&file) {
            let _ = f.set_modified(std::time::SystemTime::now());
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
            engine,
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
        let Ok(bytes) = postcard::to_extend(&inputs, MAGIC.to_vec()) else {
            return;
        };
        let start = bytes.len();
        let Ok(mut bytes) = postcard::to_extend(&output, bytes) else {
            return;
        };
        let sum = checksum(&bytes[start..]);
        bytes.extend_from_slice(&sum.to_le_bytes());
        if self.write(&self.file(&folder, engine), &bytes).is_ok() {
            self.prune();
        }
    }

    /// Write beside and rename, so that a reader sees the old copy or the new one, never half.
    /// What could not be written is removed.
    fn write(&self, to: &Path, bytes: &[u8]) -> std::io::Result<()> {
        use std::io::Write;
        use std::sync::atomic::{AtomicU64, Ordering};
        // Each writer its own file: the process, and a count within it.
        static WRITES: AtomicU64 = AtomicU64::new(0);
        let mut folder = std::fs::DirBuilder::new();
        folder.recursive(true);
        // The copies hold the rule files and the law they quote: for the user alone.
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut folder, 0o700);
        folder.create(&self.dir)?;
        let tmp = to.with_extension(format!(
            "{}-{}{TMP}",
            std::process::id(),
            WRITES.fetch_add(1, Ordering::Relaxed)
        ));
        let written = std::fs::File::options()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .and_then(|mut f| f.write_all(bytes))
            .and_then(|()| std::fs::rename(&tmp, to));
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        written
    }

    /// Remove the oldest copies beyond [`MAX_COPIES`], and what a writer that stopped halfway
    /// left (a `.tmp` file over an hour old).
    fn prune(&self) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        let mut copies = Vec::new();
        for e in entries.flatten() {
            let Some(modified) = e.metadata().ok().and_then(|m| m.modified().ok()) else {
                continue;
            };
            let name = e.file_name().to_string_lossy().into_owned();
            match Name::of(&name) {
                Some(Name::Copy) => copies.push((modified, e.path())),
                Some(Name::Writing) if modified < hour_ago => {
                    let _ = std::fs::remove_file(e.path());
                }
                _ => {}
            }
        }
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

/// The files of the cache folder that are the cache's own: nothing else there is ever removed
/// (the folder may be one that other programs use too).
enum Name {
    /// `<16 hex digits>.rbc`
    Copy,
    /// `<16 hex digits>.<process>-<count>.tmp`
    Writing,
}

impl Name {
    fn of(name: &str) -> Option<Name> {
        let (hash, rest) = name.split_at_checked(16)?;
        if !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        if rest == SUFFIX {
            return Some(Name::Copy);
        }
        let (process, count) = rest.strip_prefix('.')?.strip_suffix(TMP)?.split_once('-')?;
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        (digits(process) && digits(count)).then_some(Name::Writing)
    }
}

/// A checksum of what the check gave, eight bytes at a time: it finds damage, not forgery.
fn checksum(bytes: &[u8]) -> u64 {
    let step = |h: u64, word: u64| {
        (h ^ word)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
            .rotate_left(29)
    };
    let mut h: u64 = 0x243f_6a88_85a3_08d3 ^ bytes.len() as u64;
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        let mut word = [0u8; 8];
        word.copy_from_slice(w);
        h = step(h, u64::from_le_bytes(word));
    }
    for &b in words.remainder() {
        h = step(h, u64::from(b));
    }
    h
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use crate::Policy;

    /// A fresh folder under the system's temporary folder, removed when dropped.
    struct Temp(PathBuf);

    impl Temp {
        fn new(name: &str) -> Temp {
            let dir = std::env::temp_dir().join(format!(
                "rulebook-cache-{name}-{}-{:?}",
                std::process::id(),
                std::thread::current().id()
            ));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            Temp(dir)
        }
    }

    impl Drop for Temp {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name)
    }

    /// A copy of a fixture's files in `to`.
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let p = e.unwrap().path();
            if p.is_file() {
                std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
            }
        }
    }

    /// Everything a loaded version holds, in one text to compare.
    fn whole(p: &Policy) -> String {
        format!(
            "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
            p.program, p.digest, p.coverage, p.warnings, p.sources, p.window
        )
    }

    fn copies(cache: &Cache) -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(cache.dir())
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        v.sort();
        v
    }

    fn on_disk(dir: &Path) -> Vec<OnDisk> {
        super::super::read_folder(dir).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_copy_reads_back_as_the_very_version_its_files_check_to() {
        // The two small policies of the tests, and every version of the project's policies.
        let policies = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies");
        let versions = super::super::folder::version_folders(&policies).unwrap();
        assert!(!versions.is_empty());
        let small = [fixture("library-lending"), fixture("garden-plots")];
        for dir in small.into_iter().chain(versions) {
            let temp = Temp::new("same");
            let cache = Cache::at(temp.0.join("cache"));
            let fresh = Policy::load_version(&dir).unwrap();
            // The first load through the cache checks the files and keeps a copy; the second
            // reads the copy.
            let first = Policy::load_version_with(&dir, Some(&cache)).unwrap();
            assert_eq!(copies(&cache).len(), 1, "{}", dir.display());
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let mode = std::fs::metadata(cache.dir()).unwrap().permissions().mode();
                assert_eq!(mode & 0o777, 0o700, "the copies are the user's alone");
            }
            assert!(
                cache.get(&dir, &on_disk(&dir)).is_some(),
                "{}",
                dir.display()
            );
            let second = Policy::load_version_with(&dir, Some(&cache)).unwrap();
            assert_eq!(whole(&fresh), whole(&first), "{}", dir.display());
            assert_eq!(whole(&fresh), whole(&second), "{}", dir.display());
        }
    }

    #[test]
    fn the_deepest_expressions_a_policy_may_hold_are_kept_and_read_back() {
        // Writing and reading a program walk its expressions as deep as they nest, a frame or
        // more a level. On the stack the service gives its threads (8 MiB, as a main thread):
        // the test's own thread has 2 MiB, which a debug build's check alone overflows.
        let temp = Temp::new("deep");
        let dir = temp.0.join("deep");
        copy(&fixture("library-lending"), &dir);
        let deep = std::fs::read(fixture("deepest-admitted.rules")).unwrap();
        std::fs::write(dir.join("zz-deep.rules"), deep).unwrap();
        let cache = Cache::at(temp.0.join("cache"));
        let on_service_stack = move || {
            let fresh = whole(&Policy::load_version(&dir).unwrap());
            let first = whole(&Policy::load_version_with(&dir, Some(&cache)).unwrap());
            assert_eq!(copies(&cache).len(), 1);
            assert!(cache.get(&dir, &on_disk(&dir)).is_some());
            let second = whole(&Policy::load_version_with(&dir, Some(&cache)).unwrap());
            assert_eq!(first, fresh);
            assert_eq!(second, fresh);
        };
        std::thread::Builder::new()
            .stack_size(crate::serve::THREAD_STACK)
            .spawn(on_service_stack)
            .unwrap()
            .join()
            .unwrap();
    }

    #[test]
    fn a_changed_added_or_removed_file_or_source_text_is_a_miss() {
        let temp = Temp::new("miss");
        let dir = temp.0.join("lending");
        copy(&fixture("library-lending"), &dir);
        let cache = Cache::at(temp.0.join("cache"));
        Policy::load_version_with(&dir, Some(&cache)).unwrap();
        assert!(cache.get(&dir, &on_disk(&dir)).is_some());

        // One byte more at the end of the rule file (a comment): the same program, but not the
        // same bytes, so not the copy.
        let rules = dir.join("lending.rules");
        let text = std::fs::read_to_string(&rules).unwrap();
        std::fs::write(&rules, format!("{text}#\n")).unwrap();
        assert!(cache.get(&dir, &on_disk(&dir)).is_none());
        std::fs::write(&rules, &text).unwrap();
        assert!(cache.get(&dir, &on_disk(&dir)).is_some());

        // A rule file more.
        std::fs::write(dir.join("more.rules"), "# nothing yet\n").unwrap();
        assert!(cache.get(&dir, &on_disk(&dir)).is_none());
        std::fs::remove_file(dir.join("more.rules")).unwrap();
        assert!(cache.get(&dir, &on_disk(&dir)).is_some());

        // The source text the check compares quotes with, changed or gone.
        let source = dir.join("source.txt");
        let law = std::fs::read_to_string(&source).unwrap();
        std::fs::write(&source, format!("{law} ")).unwrap();
        assert!(cache.get(&dir, &on_disk(&dir)).is_none());
        std::fs::remove_file(&source).unwrap();
        assert!(cache.get(&dir, &on_disk(&dir)).is_none());
        std::fs::write(&source, &law).unwrap();
        assert!(cache.get(&dir, &on_disk(&dir)).is_some());

        // The same files under another name of the folder.
        let other = temp.0.join("lending-too");
        copy(&dir, &other);
        assert!(cache.get(&other, &on_disk(&other)).is_none());
    }

    #[test]
    fn another_builds_copy_or_a_damaged_one_is_a_miss_and_is_replaced() {
        let temp = Temp::new("damaged");
        let dir = fixture("library-lending");
        let cache = Cache::at(temp.0.join("cache"));
        let fresh = whole(&Policy::load_version(&dir).unwrap());
        Policy::load_version_with(&dir, Some(&cache)).unwrap();
        let file = copies(&cache).pop().unwrap();
        let good = std::fs::read(&file).unwrap();

        // The build's name follows the magic and the length of the name.
        let mut other_build = good.clone();
        other_build[MAGIC.len() + 1] ^= 1;
        let mut cut = good.clone();
        cut.truncate(good.len() - 10);
        let mut flipped = good.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 0xff;
        // One bit in the middle of what the check gave (past the inputs, before the checksum).
        let (_, output) = postcard::take_from_bytes::<Inputs>(&good[MAGIC.len()..]).unwrap();
        let mut one_bit = good.clone();
        one_bit[good.len() - 8 - output.len() / 2] ^= 1;
        for bad in [
            other_build,
            cut,
            flipped,
            one_bit,
            b"rbcache1".to_vec(),
            Vec::new(),
        ] {
            std::fs::write(&file, &bad).unwrap();
            let loaded = Policy::load_version_with(&dir, Some(&cache)).unwrap();
            assert_eq!(whole(&loaded), fresh);
            assert_eq!(
                std::fs::read(&file).unwrap(),
                good,
                "the copy is written again"
            );
        }
    }

    #[test]
    fn a_version_that_does_not_check_is_not_kept() {
        let temp = Temp::new("broken");
        let cache = Cache::at(temp.0.join("cache"));
        let dir = fixture("broken-syntax");
        assert!(Policy::load_version_with(&dir, Some(&cache)).is_err());
        assert!(copies(&cache).is_empty());
    }

    #[test]
    fn a_cache_that_cannot_be_written_only_saves_no_work() {
        let temp = Temp::new("unwritable");
        // The cache "folder" is a file: nothing can be written under it.
        let blocker = temp.0.join("file");
        std::fs::write(&blocker, "").unwrap();
        let cache = Cache::at(&blocker);
        let dir = fixture("garden-plots");
        let loaded = Policy::load_version_with(&dir, Some(&cache)).unwrap();
        assert_eq!(whole(&loaded), whole(&Policy::load_version(&dir).unwrap()));
    }

    #[test]
    fn the_oldest_copies_beyond_the_limit_are_removed() {
        let temp = Temp::new("prune");
        let cache = Cache::at(temp.0.join("cache"));
        std::fs::create_dir_all(cache.dir()).unwrap();
        let start = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        let name = |i: usize| cache.dir().join(format!("{i:016x}{SUFFIX}"));
        for i in 0..MAX_COPIES + 3 {
            let f = std::fs::File::create(name(i)).unwrap();
            f.set_modified(start + std::time::Duration::from_secs(i as u64))
                .unwrap();
        }
        // What writers left: one stopped two hours ago, one is writing now.
        let long_ago = start - std::time::Duration::from_secs(3600);
        let old_file = |name: &str| {
            let path = cache.dir().join(name);
            std::fs::File::create(&path)
                .unwrap()
                .set_modified(long_ago)
                .unwrap();
            path
        };
        let stale = old_file(&format!("{:016x}.12-0{TMP}", 1));
        let writing = cache.dir().join(format!("{:016x}.12-1{TMP}", 1));
        std::fs::write(&writing, "").unwrap();
        // Not the cache's own, however old: never removed.
        let others = [
            "notes.txt",
            "x.rbc",
            "notes.tmp",
            "0123456789abcdef.old.tmp",
        ]
        .map(old_file);
        cache.prune();
        assert!(!stale.exists() && writing.exists());
        assert!(others.iter().all(|p| p.exists()));
        let left = copies(&cache);
        assert_eq!(left.len(), MAX_COPIES + 1 + others.len());
        for i in 0..3 {
            assert!(!name(i).exists(), "{i}");
        }
        assert!(name(3).exists() && name(MAX_COPIES + 2).exists());
    }

    #[test]
    fn the_environment_names_the_cache_or_turns_it_off() {
        let vars = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| std::ffi::OsString::from(v))
            }
        };
        let dir = |c: Option<Cache>| c.map(|c| c.dir().to_path_buf());
        let all = &[(ENV, "/c"), ("XDG_CACHE_HOME", "/x"), ("HOME", "/h")];
        assert_eq!(dir(Cache::from_vars(vars(all))), Some(PathBuf::from("/c")));
        assert_eq!(
            dir(Cache::from_vars(vars(&[(ENV, "off"), ("HOME", "/h")]))),
            None
        );
        assert_eq!(
            dir(Cache::from_vars(vars(&[
                (ENV, ""),
                ("XDG_CACHE_HOME", "/x"),
                ("HOME", "/h")
            ]))),
            Some(PathBuf::from("/x/rulebook"))
        );
        assert_eq!(
            dir(Cache::from_vars(vars(&[("HOME", "/h")]))),
            Some(PathBuf::from("/h/.cache/rulebook"))
        );
        assert_eq!(dir(Cache::from_vars(vars(&[]))), None);
    }
}
