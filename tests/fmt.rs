//! `rulebook fmt` as properties: idempotent on every rule file of every policy and fixture and on
//! whitespace variants of them; every comment kept; and every scenario decides the same (same
//! record, the digest aside) before and after formatting.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rulebook::authoring::fmt::format;
use rulebook::Policy;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn rule_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rule_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rules") {
            out.push(p);
        }
    }
}

fn every_rule_file() -> Vec<PathBuf> {
    let mut out = Vec::new();
    rule_files(Path::new("policies"), &mut out);
    rule_files(Path::new("tests/fixtures"), &mut out);
    out.sort();
    assert!(out.len() > 10, "{out:?}");
    out
}

/// Where a character of a rule file is: in code, or inside a string, a `"""` text or a comment.
#[derive(PartialEq, Clone, Copy)]
enum At {
    Code,
    Str,
    Text,
    Comment,
}

/// Each character of `text` with where it is.
fn regions(text: &str) -> Vec<(char, At)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut at = At::Code;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let triple = chars.get(i..i + 3) == Some(&['"', '"', '"'][..]);
        match at {
            At::Code if triple => {
                out.extend([(c, At::Text); 3]);
                at = At::Text;
                i += 3;
                continue;
            }
            At::Text if triple => {
                out.extend([(c, At::Text); 3]);
                at = At::Code;
                i += 3;
                continue;
            }
            At::Code if c == '"' => {
                out.push((c, At::Str));
                at = At::Str;
            }
            At::Str if c == '\\' => {
                out.push((c, At::Str));
                if let Some(n) = chars.get(i + 1) {
                    out.push((*n, At::Str));
                }
                i += 2;
                continue;
            }
            At::Str if c == '"' => {
                out.push((c, At::Str));
                at = At::Code;
            }
            At::Code if c == '#' => {
                out.push((c, At::Comment));
                at = At::Comment;
            }
            At::Comment if c == '\n' => {
                out.push((c, At::Code));
                at = At::Code;
            }
            _ => out.push((c, at)),
        }
        i += 1;
    }
    out
}

/// The same file with other whitespace: every space of code doubled, lines indented by `indent`
/// more (or less, when negative), trailing spaces added. It means the same and must lay out the
/// same.
fn variant(text: &str, indent: usize) -> String {
    let mut out = String::new();
    let mut line_start = true;
    for (c, at) in regions(text) {
        if at == At::Code && line_start && c == ' ' {
            continue; // the old indentation goes
        }
        if at == At::Code && line_start && c != '\n' {
            out.push_str(&" ".repeat(indent));
        }
        line_start = false;
        match (c, at) {
            (' ', At::Code) => out.push_str("  "),
            ('\n', At::Code) => {
                out.push_str("   \n");
                line_start = true;
            }
            _ => out.push(c),
        }
    }
    out
}

fn comments(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for (c, at) in regions(text) {
        if at == At::Comment {
            cur.push(c);
        } else if !cur.is_empty() {
            out.push(cur.trim_end().to_string());
            cur.clear();
        }
    }
    if !cur.is_empty() {
        out.push(cur.trim_end().to_string());
    }
    out
}

#[test]
fn fmt_is_idempotent_and_ignores_whitespace_on_every_rule_file() {
    let mut formatted = 0;
    for f in every_rule_file() {
        let text = std::fs::read_to_string(&f).unwrap();
        let Ok(once) = format(&text) else {
            // Only the fixture that is broken on purpose does not parse.
            assert!(f.to_string_lossy().contains("broken-syntax"), "{f:?}");
            continue;
        };
        formatted += 1;
        assert_eq!(
            format(&once).unwrap(),
            once,
            "fmt(fmt(x)) != fmt(x) for {f:?}"
        );
        for indent in [0, 3, 8] {
            let v = variant(&text, indent);
            assert_ne!(v, text);
            let got = format(&v).unwrap_or_else(|e| panic!("{f:?} variant: {}", e.message));
            assert_eq!(
                got, once,
                "a whitespace variant of {f:?} lays out differently"
            );
        }
    }
    assert!(formatted > 10);
}

#[test]
fn fmt_keeps_every_comment_in_order() {
    for f in every_rule_file() {
        let text = std::fs::read_to_string(&f).unwrap();
        let Ok(once) = format(&text) else { continue };
        let before = comments(&text);
        assert_eq!(comments(&once), before, "{f:?}");
    }
    // And the policies do have comments to keep.
    let text = std::fs::read_to_string(every_rule_file()[0].clone()).unwrap();
    assert!(!comments(&text).is_empty());
}

#[test]
fn a_rule_file_in_hand_layout_is_left_as_it_is() {
    let src = "# A rule.\nrule r \"规则\" | \"rule\"\n  cite 1(2)3\n  in d\n  let n = count(x in xs where x.k != a) \"数\" | \"n\" # how many\n  must n >= 2 and xs[k].v <= -1\n\ndecision d {\n  outcome ok \"好\" | \"ok\" otherwise\n}\n";
    assert_eq!(format(src).unwrap(), src);
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let q = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &q);
        } else {
            std::fs::copy(&p, &q).unwrap();
        }
    }
}

/// The record without what names the folder: the digest, and the folder in `file:line:col`.
fn strip_digest(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.remove("digest");
            if let Some(Value::String(s)) = m.get_mut("source") {
                if let Some(i) = s.rfind('/') {
                    *s = s[i + 1..].to_string();
                }
            }
            m.values_mut().for_each(strip_digest);
        }
        Value::Array(a) => a.iter_mut().for_each(strip_digest),
        _ => {}
    }
}

fn record(p: &Policy, case: &str) -> Value {
    let facts = p.parse_case(case).unwrap();
    let e = p.evaluate(&facts, facts.as_of.unwrap(), &[]);
    let mut v: Value = serde_json::from_str(&p.record_json(&e)).unwrap();
    strip_digest(&mut v);
    v
}

fn scenario_dirs(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            if p.ends_with("scenarios") {
                out.push(p);
            } else {
                scenario_dirs(&p, out);
            }
        }
    }
}

/// Every case of the scenario files and examples, as case JSON.
fn every_case() -> Vec<String> {
    let mut cases = Vec::new();
    let mut dirs = Vec::new();
    scenario_dirs(Path::new("policies"), &mut dirs);
    assert!(!dirs.is_empty());
    for f in rulebook::scenario::collect(&dirs) {
        let Ok(s) = serde_json::from_str::<rulebook::scenario::Scenario>(
            &std::fs::read_to_string(&f).unwrap(),
        ) else {
            continue;
        };
        if let Ok(c) = rulebook::scenario::case_of(&s, f.parent().unwrap()) {
            cases.push(c.to_string());
        }
    }
    for f in rulebook::scenario::collect(&[PathBuf::from("examples")]) {
        if f.parent().is_some_and(|d| d.ends_with("examples")) {
            cases.push(std::fs::read_to_string(&f).unwrap());
        }
    }
    cases
}

/// Reformat a whitespace variant of a policy with the real binary, then decide every case under
/// both: the records are the same.
fn decides_the_same(policy: &Path, cases: &[String], tag: &str) {
    let dir = std::env::temp_dir().join(format!("rulebook-fmt-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(policy, &dir);
    let mut files = Vec::new();
    rule_files(&dir, &mut files);
    for f in &files {
        let t = std::fs::read_to_string(f).unwrap();
        std::fs::write(f, variant(&t, 5)).unwrap();
    }
    let check = Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .args(["fmt", "--check"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(1), "--check finds the variant");
    let listed = String::from_utf8_lossy(&check.stdout);
    assert_eq!(listed.lines().count(), files.len(), "{listed}");
    let run = Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .arg("fmt")
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0), "{run:?}");
    let again = Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .args(["fmt", "--check"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(0), "{again:?}");
    let before = Policy::load(policy).unwrap();
    let after = Policy::load(&dir).unwrap();
    assert!(!cases.is_empty());
    for (i, c) in cases.iter().enumerate() {
        let (a, b) = (record(&before, c), record(&after, c));
        assert!(a == b, "case {i} decides differently after fmt:\n{a}\n{b}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn every_scenario_decides_the_same_after_fmt() {
    let mut n = 0;
    for e in std::fs::read_dir("policies").unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            decides_the_same(&p, &every_case(), &format!("p{n}"));
            n += 1;
        }
    }
    assert!(n > 0);
}

#[test]
fn the_fixture_policy_decides_the_same_after_fmt() {
    let cases = [
        r#"{"as_of":"2026-03-10","reader":{"id":"R1","student":false,"unpaid_fines":"12.5",
  "loans":[{"book":"B1","due_on":"2026-03-01"},{"book":"B2","due_on":"2026-01-01"}]}}"#
            .to_string(),
        r#"{"as_of":"2026-03-10","reader":{"id":"R2","student":true,"unpaid_fines":"80"}}"#
            .to_string(),
    ];
    decides_the_same(Path::new("tests/fixtures/library-lending"), &cases, "lib");
}

#[test]
fn fmt_and_schema_have_help_and_clear_errors() {
    for cmd in ["fmt", "schema"] {
        let o = Command::new(env!("CARGO_BIN_EXE_rulebook"))
            .args([cmd, "--help"])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0));
        assert!(String::from_utf8_lossy(&o.stdout).contains("Usage: rulebook"));
    }
    let missing = Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .args(["fmt", "--check", "no/such/folder"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no/such/folder"));
    let broken = Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .args([
            "fmt",
            "--check",
            "tests/fixtures/broken-syntax/policy.rules",
        ])
        .output()
        .unwrap();
    assert_eq!(broken.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&broken.stderr)
            .starts_with("error: tests/fixtures/broken-syntax/policy.rules:15:19: "),
        "{}",
        String::from_utf8_lossy(&broken.stderr)
    );
}
