//! `rulebook schema [--policy DIR] [--version V]`: the JSON Schema of the case file.

use std::path::Path;

/// The latest version's vocabulary, or the pinned one's (exit 2 for a version the policy lacks).
pub fn run(dir: Option<&Path>, version: Option<&str>) -> i32 {
    let Some(set) = super::policy_arg::load_versions(dir) else {
        return 1;
    };
    let policy = match version {
        Some(v) => match set.pin(v) {
            Some(p) => p,
            None => {
                eprintln!(
                    "error: the policy has no version `{v}`; its versions are {}",
                    set.names().join(", ")
                );
                return 2;
            }
        },
        None => match set.latest() {
            Some(p) => p,
            None => {
                eprintln!("error: the policy has no version");
                return 1;
            }
        },
    };
    let schema = crate::authoring::schema::case_schema(&policy.program);
    match serde_json::to_string_pretty(&schema) {
        Ok(s) => {
            println!("{s}");
            0
        }
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}
