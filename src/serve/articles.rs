//! `GET /v1/policies/{version}/articles`: the policy's articles beside the rules that encode
//! them ([`crate::catalog`]), with the scenario coverage of the scenario files found beside the
//! rule files. Framework-free: the router calls [`articles_json`].

use crate::catalog;
use crate::scenario::{self, RuleTally};
use crate::Policy;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// What a request for the articles of a version gets.
#[derive(Debug, PartialEq, Eq)]
pub enum Reply {
    /// 200 with this JSON.
    Json(String),
    /// 404: no such version is loaded.
    UnknownVersion,
}

/// The catalog of `policy` as JSON when `version` names it (or is `current`). `scenario_dirs`
/// are folders of scenario files to tally (missing folders are skipped); the tally is kept per
/// policy digest, since running them costs more than one request should pay each time.
pub fn articles_json(policy: &Policy, version: &str, scenario_dirs: &[PathBuf]) -> Reply {
    if version != "current" && version != policy.program.meta.version {
        return Reply::UnknownVersion;
    }
    let tally = tally(policy, scenario_dirs);
    let c = catalog::build(
        &policy.program,
        &policy.digest,
        policy.coverage.as_ref(),
        tally.as_ref(),
    );
    match serde_json::to_string(&c) {
        Ok(s) => Reply::Json(s),
        // Serialising plain structs of strings and numbers cannot fail; say so rather than panic.
        Err(e) => Reply::Json(format!(
            "{{\"error\":{{\"message\":{}}}}}",
            serde_json::Value::String(e.to_string())
        )),
    }
}

type Cached = (String, Option<BTreeMap<String, RuleTally>>);

static TALLY: Mutex<Option<Cached>> = Mutex::new(None);

fn tally(policy: &Policy, dirs: &[PathBuf]) -> Option<BTreeMap<String, RuleTally>> {
    if let Ok(cache) = TALLY.lock() {
        if let Some((digest, t)) = cache.as_ref() {
            if *digest == policy.digest {
                return t.clone();
            }
        }
    }
    let existing: Vec<PathBuf> = dirs.iter().filter(|d| d.is_dir()).cloned().collect();
    let t = if existing.is_empty() {
        None
    } else {
        let mut tally = BTreeMap::new();
        for file in scenario::collect(&existing) {
            scenario::run(policy, &file, &mut tally);
        }
        Some(tally)
    };
    if let Ok(mut cache) = TALLY.lock() {
        *cache = Some((policy.digest.clone(), t.clone()));
    }
    t
}

/// Where a policy folder keeps its scenario files: `scenarios/` beside the rule files.
pub fn scenario_dirs(policy_dir: &Path) -> Vec<PathBuf> {
    vec![policy_dir.join("scenarios")]
}
