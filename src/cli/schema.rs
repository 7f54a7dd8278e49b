//! `rulebook schema [--policy DIR] [--version V]`: the JSON Schema of the case file.

use std::path::Path;

pub fn run(dir: &Path, version: Option<&str>) -> i32 {
    let Some(policy) = super::load_or_report(dir) else {
        return 1;
    };
    let meta = &policy.program.meta;
    if let Some(v) = version {
        if v != meta.version {
            eprintln!(
                "error: the policy has no version `{v}`; its version is {}",
                meta.version
            );
            return 2;
        }
    }
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
