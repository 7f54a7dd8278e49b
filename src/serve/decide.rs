//! `POST /v1/decisions`: one case in, its decision record (or text, or letter) out, logged
//! before the answer is sent.

use super::error::ApiError;
use super::limits;
use super::query;
use super::state::{AppState, Loaded};
use crate::explain::{self, Lang};
use crate::log::Entry;
use crate::{Evaluation, Policy};
use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Text,
    Letter,
}

/// What the query asks for, resolved against the policy.
#[derive(Debug, Clone)]
pub struct Options {
    pub decisions: Vec<crate::check::ir::DecisionId>,
    pub as_of: Option<NaiveDate>,
    pub format: Format,
    pub lang: Lang,
    /// `lenient=true`: unknown fields become warnings, as `eval --lenient`.
    pub read: crate::ReadOptions,
    /// `record=lean`: the response leaves out satisfied findings and words; the log keeps the
    /// full record (an audit, and replay, need every finding).
    pub record: crate::RecordMode,
}

pub const ENGINE: &str = env!("CARGO_PKG_VERSION");

pub const JSON_TYPES: &[&str] = &["application/json"];

pub fn parse_format(v: Option<&str>) -> Result<Format, ApiError> {
    match v {
        None | Some("json") => Ok(Format::Json),
        Some("text") => Ok(Format::Text),
        Some("letter") => Ok(Format::Letter),
        Some(o) => Err(ApiError::bad_query(format!(
            "format: expected json, text or letter, got {o:?}"
        ))),
    }
}

pub fn parse_lang(v: Option<&str>) -> Result<Lang, ApiError> {
    match v {
        None | Some("zh") => Ok(Lang::Zh),
        Some("en") => Ok(Lang::En),
        Some(o) => Err(ApiError::bad_query(format!(
            "lang: expected zh or en, got {o:?}"
        ))),
    }
}

/// Read the query of a decision or batch request against the policy serving.
pub fn options(raw: Option<&str>, policy: &Policy, batch: bool) -> Result<Options, ApiError> {
    let pairs = query::pairs(raw)?;
    let known: &[&str] = if batch {
        &["decision", "as_of", "version", "record", "lenient"]
    } else {
        &[
            "decision", "as_of", "version", "format", "lang", "record", "lenient",
        ]
    };
    query::only(&pairs, known)?;
    let mut decisions = Vec::new();
    for name in query::all(&pairs, "decision") {
        match policy.decision_index(name) {
            Some(i) => decisions.push(i),
            None => {
                return Err(ApiError::bad_query(format!(
                    "decision: the policy has no decision `{name}`; it has: {}",
                    policy.decision_names().join(", ")
                )))
            }
        }
    }
    let as_of = match query::single(&pairs, "as_of")? {
        Some(s) => Some(crate::eval::facts::parse_date(s).ok_or_else(|| {
            ApiError::bad_query(format!("as_of: expected a date YYYY-MM-DD, got {s:?}"))
        })?),
        None => None,
    };
    if let Some(v) = query::single(&pairs, "version")? {
        // One version is loaded at a time; pinning it is allowed, any other is unknown.
        let have = &policy.program.meta.version;
        if v != have {
            return Err(ApiError::bad_query(format!(
                "version: the policy has no version {v:?}; it has: {have}"
            )));
        }
    }
    let record = match query::single(&pairs, "record")? {
        None | Some("full") => crate::RecordMode::Full,
        Some("lean") => crate::RecordMode::Lean,
        Some(o) => {
            return Err(ApiError::bad_query(format!(
                "record: expected full or lean, got {o:?}"
            )))
        }
    };
    let lenient = match query::single(&pairs, "lenient")? {
        None | Some("false") => false,
        Some("true") => true,
        Some(o) => {
            return Err(ApiError::bad_query(format!(
                "lenient: expected true or false, got {o:?}"
            )))
        }
    };
    let format = parse_format(query::single(&pairs, "format")?)?;
    if record == crate::RecordMode::Lean && format != Format::Json {
        return Err(ApiError::bad_query(
            "record=lean is a form of the JSON record; format text and letter explain every finding",
        ));
    }
    Ok(Options {
        decisions,
        as_of,
        format,
        lang: parse_lang(query::single(&pairs, "lang")?)?,
        read: crate::ReadOptions { lenient },
        record,
    })
}

/// A case decided: its evaluation and its compact record carrying the id.
pub struct Decided {
    pub eval: Evaluation,
    /// The full record, which the log keeps.
    pub record: String,
    /// With `record=lean`, the lean record to answer with (same id and line).
    pub lean: Option<String>,
}

impl Decided {
    /// The compact record the client asked for.
    pub fn answer(&self) -> &str {
        self.lean.as_deref().unwrap_or(&self.record)
    }
}

/// A compact record with `id` (unless empty) and `line` as its first keys.
fn record_with_ids(
    policy: &Policy,
    eval: &Evaluation,
    mode: crate::RecordMode,
    id: &str,
    line: Option<usize>,
) -> String {
    let mut record = String::with_capacity(match mode {
        crate::RecordMode::Full => 16 * 1024,
        crate::RecordMode::Lean => 2 * 1024,
    });
    record.push('{');
    if !id.is_empty() {
        record.push_str("\"id\":\"");
        record.push_str(id);
        record.push_str("\",");
    }
    if let Some(n) = line {
        record.push_str(&format!("\"line\":{n},"));
    }
    let start = record.len();
    policy.write_record_as(eval, mode, &mut record);
    // The writer opens its own object; ours is already open, with the id and line in it.
    if record.as_bytes().get(start) == Some(&b'{') {
        record.remove(start);
    }
    record
}

/// Check, parse and evaluate one case; the record carries `id` unless it is empty (and `line`
/// in a batch).
pub fn decide_case(
    policy: &Policy,
    opts: &Options,
    case: &[u8],
    depth: usize,
    id: &str,
    line: Option<usize>,
) -> Result<Decided, ApiError> {
    limits::check_depth(case, depth).map_err(|m| ApiError::unusable_case(m, None))?;
    let text = std::str::from_utf8(case)
        .map_err(|_| ApiError::unusable_case("the case file is not UTF-8 text", None))?;
    let facts = policy
        .parse_case_with(text, opts.read)
        .map_err(|e| ApiError::unusable_case(e.to_string(), None))?;
    let Some(date) = opts.as_of.or(facts.as_of) else {
        return Err(ApiError::unusable_case(
            "the case has no `as_of` and the query gives no as_of; a decision without a date cannot be reproduced",
            Some("as_of".into()),
        ));
    };
    let eval = policy.evaluate(&facts, date, &opts.decisions);
    let record = record_with_ids(policy, &eval, crate::RecordMode::Full, id, line);
    let lean = (opts.record == crate::RecordMode::Lean)
        .then(|| record_with_ids(policy, &eval, crate::RecordMode::Lean, id, line));
    Ok(Decided { eval, record, lean })
}

/// Each decision's name and outcome name, for the log's index and the metrics.
pub fn outcomes(policy: &Policy, eval: &Evaluation) -> Vec<crate::log::Outcome> {
    eval.decisions
        .iter()
        .filter_map(|d| {
            let ir = policy.program.decisions.get(d.decision.index())?;
            let o = ir.outcomes.get(d.outcome.index())?;
            Some(crate::log::Outcome {
                decision: ir.name.clone(),
                outcome: o.name.clone(),
            })
        })
        .collect()
}

pub fn entry(
    loaded: &Loaded,
    id: String,
    millis: i64,
    case: &[u8],
    record: String,
    eval: &Evaluation,
) -> Entry {
    Entry {
        time: crate::log::time_text(millis),
        case: String::from_utf8_lossy(case).into_owned(),
        record_sha256: crate::log::sha256(record.as_bytes()),
        record,
        version: loaded.policy.program.meta.version.clone(),
        digest: loaded.policy.digest.clone(),
        engine: ENGINE.to_string(),
        outcomes: outcomes(&loaded.policy, eval),
        id,
    }
}

pub fn current(state: &AppState) -> Result<Arc<Loaded>, ApiError> {
    state.policy.load_full().ok_or_else(ApiError::no_policy)
}

pub async fn post_decision(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let loaded = current(&state)?;
    let policy = &loaded.policy;
    let opts = options(raw.as_deref(), policy, false)?;
    if !limits::content_type_is(&headers, JSON_TYPES) {
        return Err(ApiError::wrong_type("application/json"));
    }
    let case = limits::read_body(&headers, body, state.limits.case_bytes).await?;
    let millis = crate::log::now_millis();
    let logged = state.log.is_some();
    let id = if logged {
        state.ids.next(millis)
    } else {
        String::new()
    };
    let decided = decide_case(policy, &opts, &case, state.limits.depth, &id, None)?;
    // Without a log (`--no-log`) there is no id to give: the record is exactly `eval`'s.
    let mut record = explain::record::pretty(&decided.record);
    record.push('\n');
    let lean = decided.lean.as_deref().map(|l| {
        let mut s = explain::record::pretty(l);
        s.push('\n');
        s
    });
    let e = entry(&loaded, id.clone(), millis, &case, record, &decided.eval);
    state.metrics.decisions(
        e.outcomes
            .iter()
            .map(|o| (o.decision.as_str(), o.outcome.as_str())),
    );
    let record = if let Some(log) = &state.log {
        let record = e.record.clone();
        log.writer
            .append(vec![e])
            .await
            .map_err(|err| ApiError::log_unavailable(&err))?;
        record
    } else {
        e.record
    };
    let (body, ctype) = match opts.format {
        Format::Json => (lean.unwrap_or(record), "application/json"),
        Format::Text => (
            explain::text::render(policy, &decided.eval, opts.lang, false),
            "text/plain; charset=utf-8",
        ),
        Format::Letter => (
            explain::letter::render(policy, &decided.eval, opts.lang),
            "text/markdown; charset=utf-8",
        ),
    };
    let mut response = (StatusCode::OK, [(header::CONTENT_TYPE, ctype)], body).into_response();
    if logged {
        if let Ok(v) = HeaderValue::from_str(&id) {
            response.headers_mut().insert("x-decision-id", v);
        }
    }
    Ok(response)
}
