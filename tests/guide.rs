//! The staff guide (policies/修订指南.md) works as written: every command of its `sh` blocks is
//! run, in order, in a temporary copy of the project's policies and examples, with `rulebook` on
//! the PATH. A command exits 0 unless the guide says otherwise (`# 退出码 N`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::Command;

const GUIDE: &str = "policies/修订指南.md";

/// The lines of the guide's ```sh blocks, each with the exit code it expects.
fn commands(text: &str) -> Vec<(String, i32)> {
    let mut out = Vec::new();
    let mut in_sh = false;
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with("```") {
            in_sh = !in_sh && t == "```sh";
            continue;
        }
        if !in_sh || t.is_empty() || t.starts_with('#') {
            continue;
        }
        let (cmd, code) = match t.split_once("# 退出码 ") {
            Some((c, rest)) => (
                c.trim().to_string(),
                rest.chars()
                    .take_while(char::is_ascii_digit)
                    .collect::<String>()
                    .parse()
                    .unwrap(),
            ),
            None => (t.to_string(), 0),
        };
        out.push((cmd, code));
    }
    out
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            copy(&p, &to.join(p.file_name().unwrap()));
        } else {
            std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
        }
    }
}

#[test]
fn every_command_of_the_staff_guide_works_as_written() {
    let text = std::fs::read_to_string(GUIDE).unwrap();
    let cmds = commands(&text);
    for needed in [
        "cp -r ",
        "rulebook check",
        "rulebook test",
        "rulebook diff ",
        "rulebook test --accept",
        "rulebook eval ",
    ] {
        assert!(
            cmds.iter().any(|(c, _)| c.starts_with(needed)),
            "the guide shows no `{needed}`"
        );
    }
    let tmp = std::env::temp_dir().join(format!("rulebook-guide-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    copy(Path::new("policies"), &tmp.join("policies"));
    copy(Path::new("examples"), &tmp.join("examples"));
    let bin = Path::new(env!("CARGO_BIN_EXE_rulebook"));
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for (cmd, code) in &cmds {
        let o = Command::new("sh")
            .arg("-c")
            .arg(cmd)
            .current_dir(&tmp)
            .env("PATH", &path)
            .env("NO_COLOR", "1")
            .env_remove("RULEBOOK_POLICY")
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            Some(*code),
            "`{cmd}` in {GUIDE}:\n{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
    }
    // What the guide says the last steps show.
    let o = Command::new(bin)
        .args(["test"])
        .current_dir(&tmp)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    std::fs::remove_dir_all(&tmp).ok();
}
