//! `GET /v1/policies/{version}/articles`: the policy's articles beside the rules that encode
//! them ([`crate::catalog`]), with the scenario coverage of the scenario files found beside the
//! rule files. Framework-free: the router calls [`articles_json`].

use super::error::ApiError;
use super::state::AppState;
use crate::catalog;
use crate::scenario::{self, RuleTally};
use crate::Policy;
use axum::extract::{Path as UrlPath, RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// `GET /v1/policies/{version}/articles` (`current` names the version serving).
pub async fn get_articles(
    State(state): State<AppState>,
    UrlPath(version): UrlPath<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let pairs = super::query::pairs(raw.as_deref())?;
    super::query::only(&pairs, &[])?;
    let loaded = super::decide::current(&state)?;
    let Some(name) = loaded.named(&version).map(|p| p.version().to_string()) else {
        return Err(ApiError::not_found(
            "no such policy version is serving; see /v1/policies",
        ));
    };
    let dirs = scenario_dirs(&state.policy_dir, &name);
    // Running the scenario files the first time is CPU work: keep it off the request threads.
    let reply = tokio::task::spawn_blocking(move || match loaded.named(&name) {
        Some(p) => articles_json(p, &name, &dirs),
        None => Reply::UnknownVersion,
    })
    .await
    .map_err(|e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            format!("the articles could not be built: {e}"),
        )
    })?;
    match reply {
        Reply::Json(body) => Ok((
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response()),
        Reply::UnknownVersion => Err(ApiError::not_found(
            "no such policy version is serving; see /v1/policies",
        )),
    }
}

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
    let reply = ArticlesReply {
        catalog: catalog::build(
            &policy.program,
            &policy.digest,
            policy.coverage.as_ref(),
            tally.as_ref(),
        ),
        examples: examples(scenario_dirs),
    };
    match serde_json::to_string(&reply) {
        Ok(s) => Reply::Json(s),
        // Serialising plain structs of strings and numbers cannot fail; say so rather than panic.
        Err(e) => Reply::Json(format!(
            "{{\"error\":{{\"message\":{}}}}}",
            serde_json::Value::String(e.to_string())
        )),
    }
}

#[derive(serde::Serialize)]
struct ArticlesReply {
    #[serde(flatten)]
    catalog: catalog::Catalog,
    /// Example case files to start the staff page's form from.
    examples: Vec<Example>,
}

#[derive(serde::Serialize)]
struct Example {
    /// The file name without `.json`.
    name: String,
    case: serde_json::Value,
}

/// At most this many example cases, each at most this many bytes: the reply stays small.
const MAX_EXAMPLES: usize = 50;
const MAX_EXAMPLE_BYTES: u64 = 256 * 1024;

/// The case files in `cases/` beside each scenario folder (the version folder's example cases),
/// sorted by name; a file that is not JSON is left out.
fn examples(scenario_dirs: &[PathBuf]) -> Vec<Example> {
    let mut files: Vec<PathBuf> = scenario_dirs
        .iter()
        .filter_map(|d| d.parent())
        .filter_map(|v| std::fs::read_dir(v.join("cases")).ok())
        .flat_map(|rd| rd.flatten().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .filter(|p| std::fs::metadata(p).is_ok_and(|m| m.len() <= MAX_EXAMPLE_BYTES))
        .collect();
    files.sort();
    files
        .into_iter()
        .take(MAX_EXAMPLES)
        .filter_map(|p| {
            let text = std::fs::read_to_string(&p).ok()?;
            let case = serde_json::from_str(&text).ok()?;
            let name = p.file_stem()?.to_string_lossy().into_owned();
            Some(Example { name, case })
        })
        .collect()
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

/// Where a policy folder keeps the scenario files of `version`: the `scenarios/` folders under
/// it (three levels at most) inside a folder named for the version, or the only one there is.
pub fn scenario_dirs(policy_dir: &Path, version: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![(policy_dir.to_path_buf(), 0)];
    while let Some((dir, depth)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if !p.is_dir() {
                continue;
            }
            if p.file_name().is_some_and(|n| n == "scenarios") {
                found.push(p);
            } else if depth < 3 {
                stack.push((p, depth + 1));
            }
        }
    }
    found.sort();
    let of_version: Vec<PathBuf> = found
        .iter()
        .filter(|d| {
            d.parent()
                .and_then(|p| p.file_name())
                .is_some_and(|n| n == version)
        })
        .cloned()
        .collect();
    if !of_version.is_empty() || found.len() != 1 {
        of_version
    } else {
        found
    }
}
