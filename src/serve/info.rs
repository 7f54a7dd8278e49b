//! What the service says about itself: liveness, metrics, the policies it serves and their
//! last reload, the OpenAPI document, the case file's schema.

use super::error::ApiError;
use super::state::AppState;
use axum::extract::{RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

const OPENAPI: &str = include_str!("openapi.json");

fn no_query(raw: Option<String>) -> Result<(), ApiError> {
    let pairs = super::query::pairs(raw.as_deref())?;
    super::query::only(&pairs, &[])
}

pub async fn healthz(State(state): State<AppState>) -> Response {
    let body = json!({"status": "ok", "policy_loaded": state.policy.load().is_some()});
    (StatusCode::OK, axum::Json(body)).into_response()
}

pub async fn metrics(State(state): State<AppState>) -> Response {
    let mut body = state.metrics.render(state.policy.load().is_some());
    if let Some(log) = &state.log {
        // Entries / commits is the group commit's sharing: near 1 when idle, larger under load.
        let (commits, entries) = log.writer.stats();
        body.push_str(&format!(
            "# HELP rulebook_log_commits_total Commits of the decision log.\n# TYPE rulebook_log_commits_total counter\nrulebook_log_commits_total {commits}\n# HELP rulebook_log_entries_total Decisions committed to the log.\n# TYPE rulebook_log_entries_total counter\nrulebook_log_entries_total {entries}\n"
        ));
    }
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        body,
    )
        .into_response()
}

pub async fn openapi(RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    no_query(raw)?;
    Ok((
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        OPENAPI,
    )
        .into_response())
}

pub async fn policies(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    no_query(raw)?;
    let mut versions = Vec::new();
    if let Some(loaded) = state.policy.load_full() {
        let today = loaded.today().map(|p| p.digest.clone());
        for p in &loaded.set.versions {
            let m = &p.program.meta;
            let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string());
            let in_force = today.as_deref() == Some(p.digest.as_str());
            versions.push(json!({
                "id": m.id,
                "version": m.version,
                "title": m.title,
                // The days it decides: its header's, cut short by the next version.
                "window": {"from": day(p.window.first), "until": day(p.window.last)},
                "digest": p.digest,
                "coverage": p.coverage.as_ref().map(|c| json!({
                    "articles": c.total, "encoded": c.encoded, "declaratory": c.declaratory,
                })),
                "decisions": p.decision_names(),
                "loaded_at": loaded.loaded_at,
                // Every version loaded decides cases dated in its window; `in_force` marks
                // the one in force today (what `current` names).
                "serving": true,
                "in_force": in_force,
            }));
        }
    }
    let r = state.reload_status();
    let body = json!({
        "folder": state.policy_dir.display().to_string(),
        "versions": versions,
        "last_reload": {
            "at": r.at,
            "trigger": r.trigger,
            "ok": r.ok,
            "errors": r.errors,
            "count": r.count,
        },
    });
    Ok((StatusCode::OK, axum::Json(body)).into_response())
}

/// `GET /v1/schema[?version=V]`: the JSON Schema of the case file (as `rulebook schema`) for
/// the version in force today, or the one named.
pub async fn schema(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let pairs = super::query::pairs(raw.as_deref())?;
    super::query::only(&pairs, &["version"])?;
    let loaded = super::decide::current(&state)?;
    let policy = match super::query::single(&pairs, "version")? {
        Some(v) => loaded.named(v).ok_or_else(|| {
            ApiError::bad_query(format!(
                "version: the policy has no version {v:?}; it has: {}",
                loaded.set.names().join(", ")
            ))
        })?,
        None => loaded.today().ok_or_else(ApiError::no_policy)?,
    };
    let schema = crate::authoring::schema::case_schema(&policy.program);
    Ok((StatusCode::OK, axum::Json(schema)).into_response())
}

/// A path the service has, asked with a method it does not take there. The router adds the
/// `Allow` header.
pub async fn method_not_allowed() -> ApiError {
    ApiError::new(
        axum::http::StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this path does not take this method; the Allow header lists the ones it takes",
    )
}

pub async fn not_found() -> ApiError {
    ApiError::not_found("no such endpoint; see /v1/openapi.json")
}
