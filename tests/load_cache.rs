//! The load cache (src/policy/cache.rs) as a user meets it, through the real binary: a version
//! read back from the cache decides byte for byte as its rule files do, and an edit of a rule
//! file or of the source text, made after a copy was kept, is decided from the edited files.
//! Every comparison is with the same command run with `RULEBOOK_CACHE=off`; nothing of the
//! measures is written here (the version, its cases and the edit are the revision fixture's).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The revision fixture names the version, its past cases and the edit.
const REVISION: &str = "tests/fixtures/revision/lower-revenue-threshold.json";

fn revision() -> Value {
    serde_json::from_str(&std::fs::read_to_string(REVISION).unwrap()).unwrap()
}

/// The version folder the revision starts from.
fn version() -> PathBuf {
    let spec = revision();
    Path::new("policies")
        .join(spec["policy"].as_str().unwrap())
        .join(spec["from"].as_str().unwrap())
}

/// Last year's cases of the policy.
fn cases() -> String {
    revision()["cases"].as_str().unwrap().to_string()
}

/// `rulebook ARGS` with the cache at `cache` (`off` to turn it off) and no other cache variable.
fn rulebook(cache: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .args(args)
        .env("NO_COLOR", "1")
        .env("RULEBOOK_CACHE", cache)
        .env_remove("RULEBOOK_POLICY")
        .env_remove("XDG_CACHE_HOME")
        .output()
        .unwrap()
}

/// The rule files and source text of the version, copied to `to`.
fn copy_version(to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(version()).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() {
            std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
        }
    }
}

/// A copy of the version in a temporary folder, and a cache folder beside it.
struct Copied {
    /// Removed when the test passes.
    _tmp: support::TempDir,
    version: PathBuf,
    cache: PathBuf,
}

impl Copied {
    fn new(name: &str) -> Copied {
        let tmp = support::temp_dir(name);
        let version = tmp.join("policy").join("2025-08-10");
        copy_version(&version);
        let cache = tmp.join("cache");
        Copied {
            _tmp: tmp,
            version,
            cache,
        }
    }

    /// `--policy` for the copy.
    fn policy(&self) -> &str {
        self.version.to_str().unwrap()
    }

    /// `RULEBOOK_CACHE` for the cache folder.
    fn cache_arg(&self) -> &str {
        self.cache.to_str().unwrap()
    }
}

/// The copies in a cache folder.
fn copies(cache: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(cache)
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "rbc"))
                .collect()
        })
        .unwrap_or_default()
}

/// Which file the only copy is: a run that reads the copy leaves it (and marks it used), a run
/// that writes it again puts a new file in its place.
fn copy_file(cache: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    let [copy] = copies(cache).try_into().unwrap();
    std::fs::metadata(copy).unwrap().ino()
}

/// Everything a run printed and how it ended.
fn seen(o: &Output) -> (Option<i32>, String, String) {
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// The revision fixture's edits of `file`, applied in place to the version at `dir`.
fn edit(dir: &Path, file: &str) {
    let spec = revision();
    let mut applied = 0;
    for e in spec["edits"].as_array().unwrap() {
        if e["file"] != file {
            continue;
        }
        let path = dir.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        let (a, b) = (e["from"].as_str().unwrap(), e["to"].as_str().unwrap());
        assert_eq!(text.matches(a).count(), 1, "{a:?} in {}", path.display());
        std::fs::write(&path, text.replace(a, b)).unwrap();
        applied += 1;
    }
    assert!(applied > 0, "the fixture edits {file}");
}

#[test]
fn a_kept_version_decides_byte_for_byte_as_its_rule_files_do() {
    let copied = Copied::new("cache-same");
    let (policy, cache_arg, cache) = (copied.policy(), copied.cache_arg(), &copied.cache);
    let cases = cases();
    let batch = ["eval", "--policy", policy, "--batch", &cases];

    let off = seen(&rulebook("off", &batch));
    assert_eq!(off.0, Some(0), "{}", off.2);
    assert!(off.1.lines().count() > 100, "{}", off.1);
    assert!(!cache.exists(), "`off` keeps nothing");

    // The first run checks the files and keeps a copy; the second reads the copy (it does not
    // write it again).
    let first = seen(&rulebook(cache_arg, &batch));
    assert_eq!(copies(cache).len(), 1);
    let kept = copy_file(cache);
    let second = seen(&rulebook(cache_arg, &batch));
    assert_eq!(copy_file(cache), kept, "the second run read the copy");
    assert_eq!(first, off);
    assert_eq!(second, off);

    // What `check` reports (coverage, warnings) and a letter come from the copy alike.
    for args in [
        vec!["check", "--policy", policy],
        vec![
            "eval",
            "--policy",
            policy,
            "--facts",
            "../shared/examples/ineligible-filing.json",
            "--decision",
            "filing",
            "--format",
            "letter",
        ],
    ] {
        let off = seen(&rulebook("off", &args));
        assert_eq!(off.0, Some(0), "{args:?}: {}", off.2);
        assert_eq!(seen(&rulebook(cache_arg, &args)), off, "{args:?}");
        assert_eq!(copy_file(cache), kept, "{args:?} read the copy");
    }
}

#[test]
fn a_rule_edited_after_a_copy_was_kept_decides_from_the_edited_files() {
    let copied = Copied::new("cache-edit");
    let (policy, cache_arg, cache) = (copied.policy(), copied.cache_arg(), &copied.cache);
    let cases = cases();
    let batch = ["eval", "--policy", policy, "--batch", &cases];

    let before = seen(&rulebook(cache_arg, &batch));
    assert_eq!(before.0, Some(0), "{}", before.2);
    let kept = copy_file(cache);

    // The threshold, in the rule and in the article it quotes, and the source text, in place.
    edit(&copied.version, "06-conditions.rules");
    edit(&copied.version, "source.txt");
    let after = seen(&rulebook(cache_arg, &batch));
    assert_eq!(after, seen(&rulebook("off", &batch)));
    assert_ne!(after.1, before.1, "the edit changes decisions");
    assert_ne!(copy_file(cache), kept, "the copy was replaced");
}

#[test]
fn the_source_text_edited_alone_after_a_copy_was_kept_is_checked_again() {
    let copied = Copied::new("cache-source");
    let (policy, cache_arg) = (copied.policy(), copied.cache_arg());
    let check = ["check", "--policy", policy];

    let before = seen(&rulebook(cache_arg, &check));
    assert_eq!(before.0, Some(0), "{}", before.2);
    // The rule files are unchanged; only the text their quotes are checked against is not.
    edit(&copied.version, "source.txt");
    let after = seen(&rulebook(cache_arg, &check));
    assert_eq!(after, seen(&rulebook("off", &check)));
    assert_ne!(after, before, "the check sees the edited source text");
}

#[test]
fn the_cache_is_where_the_environment_says() {
    let tmp = support::temp_dir("cache-where");
    let run = |vars: &[(&str, &Path)]| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_rulebook"));
        cmd.arg("check")
            .arg("--policy")
            .arg(version())
            .env_remove("RULEBOOK_CACHE")
            .env_remove("XDG_CACHE_HOME")
            .env_remove("HOME");
        for (k, v) in vars {
            cmd.env(k, v);
        }
        let o = cmd.output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", seen(&o).2);
    };
    let (xdg, home) = (tmp.join("xdg"), tmp.join("home"));
    run(&[("XDG_CACHE_HOME", &xdg), ("HOME", &home)]);
    assert_eq!(copies(&xdg.join("rulebook")).len(), 1);
    assert!(!home.exists());
    run(&[("HOME", &home)]);
    assert_eq!(copies(&home.join(".cache").join("rulebook")).len(), 1);
    // No home and no cache named: nothing is kept, and nothing fails.
    run(&[]);
}
