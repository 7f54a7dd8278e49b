//! The decision log over HTTP: one logged decision (`GET /v1/decisions/{id}`, optionally
//! rendered again as text or a letter) and the listing, newest first, paged.

use super::decide::{self, Format};
use super::error::ApiError;
use super::ids::looks_like_id;
use super::query;
use super::state::{AppState, Log};
use crate::log::{Entry, ListQuery, Summary};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

const PAGE: u32 = 50;
const MAX_PAGE: u32 = 500;

fn log_of(state: &AppState) -> Result<&Log, ApiError> {
    state
        .log
        .as_ref()
        .ok_or_else(|| ApiError::not_found("this service runs without a decision log (--no-log)"))
}

fn json(body: String) -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}

fn push_str(out: &mut String, key: &str, value: &str) {
    out.push('"');
    out.push_str(key);
    out.push_str("\":\"");
    crate::explain::record::push_escaped(out, value);
    out.push('"');
}

fn push_outcomes(out: &mut String, outcomes: &[crate::log::Outcome]) {
    out.push_str("\"outcomes\":{");
    for (i, o) in outcomes.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_str(out, &o.decision, &o.outcome);
    }
    out.push('}');
}

pub async fn get_decision(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let pairs = query::pairs(raw.as_deref())?;
    query::only(&pairs, &["format", "lang", "letter_number", "letter_date"])?;
    let format = decide::parse_format(query::single(&pairs, "format")?)?;
    let lang = decide::parse_lang(query::single(&pairs, "lang")?)?;
    let letter = decide::letter_parts(&pairs, format)?;
    if !looks_like_id(&id) {
        return Err(ApiError::not_found(format!(
            "no logged decision has the id {id:?}"
        )));
    }
    let log = log_of(&state)?;
    let key = id.clone();
    let found = log
        .reader
        .with(move |s| s.get(&key))
        .await
        .map_err(|e| ApiError::log_unavailable(&e))?;
    let Some(entry) = found else {
        return Err(ApiError::not_found(format!(
            "no logged decision has the id {id:?}"
        )));
    };
    match format {
        Format::Json => Ok(json(entry_json(&entry))),
        other => render_again(&state, &entry, other, lang, &letter),
    }
}

/// The logged entry; the case and record are embedded as they were stored (both are JSON).
fn entry_json(e: &Entry) -> String {
    let mut out = String::with_capacity(e.case.len() + e.record.len() + 512);
    out.push('{');
    for (k, v) in [
        ("id", &e.id),
        ("time", &e.time),
        ("version", &e.version),
        ("digest", &e.digest),
        ("engine", &e.engine),
        ("record_sha256", &e.record_sha256),
    ] {
        push_str(&mut out, k, v);
        out.push(',');
    }
    push_outcomes(&mut out, &e.outcomes);
    out.push_str(",\"case\":");
    // The case as it came, less what is not JSON around it: a byte order mark before it (the
    // case reader skips one, `eval` and the service alike) and white space.
    out.push_str(e.case.strip_prefix('\u{feff}').unwrap_or(&e.case).trim());
    out.push_str(",\"record\":");
    out.push_str(e.record.trim());
    out.push_str("}\n");
    out
}

/// Text or a letter for a logged decision. Letters are made from the typed evaluation and the
/// case's facts, so the logged case is decided again by the logged version (pinned, with the
/// logged digest), and the new record must equal the logged one byte for byte (but for the id)
/// before anything is rendered: a letter never says something the logged record does not.
fn render_again(
    state: &AppState,
    e: &Entry,
    format: Format,
    lang: crate::explain::Lang,
    letter: &decide::LetterParts,
) -> Result<Response, ApiError> {
    let loaded = decide::current(state)?;
    let gone = |now: String| {
        ApiError::new(
            StatusCode::CONFLICT,
            "policy_changed",
            format!(
                "this decision was made under version {} ({}); {now}, so it cannot be rendered again",
                e.version, e.digest
            ),
        )
    };
    let Some(policy) = loaded.set.pin(&e.version) else {
        return Err(gone(format!(
            "the versions loaded now are {}",
            loaded.set.names().join(", ")
        )));
    };
    if policy.digest != e.digest {
        return Err(gone(format!(
            "version {} loaded now is {}",
            policy.version(),
            policy.digest
        )));
    }
    let logged: serde_json::Value = serde_json::from_str(&e.record).map_err(|_| {
        ApiError::new(
            StatusCode::CONFLICT,
            "record_unreadable",
            "the logged record is not JSON",
        )
    })?;
    let as_of = logged
        .get("as_of")
        .and_then(|v| v.as_str())
        .and_then(crate::eval::facts::parse_date);
    let decisions: Vec<String> = logged
        .get("decisions")
        .and_then(|d| d.as_array())
        .map(|ds| {
            ds.iter()
                .filter_map(|d| d.get("decision").and_then(|n| n.as_str()))
                .filter(|n| policy.decision_index(n).is_some())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let opts = decide::Options {
        decisions,
        version: Some(e.version.clone()),
        as_of,
        format,
        lang,
        // A case read strictly reads the same leniently; a lenient one needs it. The record
        // comparison below catches any difference.
        read: crate::ReadOptions { lenient: true },
        // The log holds full records; replay compares against the full one.
        record: crate::RecordMode::Full,
        letter: letter.clone(),
    };
    let decided = decide::decide_case(
        &loaded.set,
        &opts,
        &e.case,
        usize::MAX,
        (&e.id, None),
        false,
    )
    .map_err(|err| ApiError::new(StatusCode::CONFLICT, "case_unusable", err.message))?;
    if !decide::same_record(decided.answer(), &e.record) {
        // Another engine may word a record differently for the same case and version; say so,
        // since that is the usual reason.
        let engine = if e.engine == decide::ENGINE {
            String::new()
        } else {
            format!(
                " (it was logged by rulebook {}; this is rulebook {})",
                e.engine,
                decide::ENGINE
            )
        };
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "record_differs",
            format!(
                "deciding the logged case again does not give the logged record{engine}; it is not rendered"
            ),
        ));
    }
    let body = decided.render(format, lang, letter);
    Ok((
        StatusCode::OK,
        [(header::CONTENT_TYPE, format.content_type())],
        body,
    )
        .into_response())
}

pub async fn list_decisions(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let pairs = query::pairs(raw.as_deref())?;
    query::only(&pairs, &["since", "decision", "outcome", "after", "limit"])?;
    let since = match query::single(&pairs, "since")? {
        Some(s) => Some(valid_since(s)?),
        None => None,
    };
    let after = match query::single(&pairs, "after")? {
        Some(a) if looks_like_id(a) => Some(a.to_string()),
        Some(a) => {
            return Err(ApiError::bad_query(format!(
                "after: {a:?} is not a decision id"
            )))
        }
        None => None,
    };
    let limit = match query::single(&pairs, "limit")? {
        Some(l) => match l.parse::<u32>() {
            Ok(n) if (1..=MAX_PAGE).contains(&n) => n,
            _ => {
                return Err(ApiError::bad_query(format!(
                    "limit: expected a number from 1 to {MAX_PAGE}, got {l:?}"
                )))
            }
        },
        None => PAGE,
    };
    let decision = query::single(&pairs, "decision")?;
    let outcome = query::single(&pairs, "outcome")?;
    // Checked now, reported only if the page comes back empty: the log may hold names of
    // versions no longer loaded, and those must still list.
    let unknown = match state.policy.load_full() {
        Some(loaded) => known_filters(&loaded.set, decision, outcome).err(),
        None => None,
    };
    let q = ListQuery {
        since,
        decision: decision.map(str::to_string),
        outcome: outcome.map(str::to_string),
        after,
        limit,
    };
    let log = log_of(&state)?;
    let page = log
        .reader
        .with(move |s| s.list(&q))
        .await
        .map_err(|e| ApiError::log_unavailable(&e))?;
    if let (true, Some(e)) = (page.is_empty(), unknown) {
        return Err(e);
    }
    Ok(json(list_json(&page, limit)))
}

/// A `decision` or `outcome` that no loaded version has is, when nothing in the log has it
/// either, a mistyped filter that would list nothing and read as "no such decisions were made":
/// 400, naming the values there are. (With no policy loaded the filters are taken as given.)
fn known_filters(
    set: &crate::Versions,
    decision: Option<&str>,
    outcome: Option<&str>,
) -> Result<(), ApiError> {
    let decisions = || set.versions.iter().flat_map(|p| p.program.decisions.iter());
    let mut names: Vec<&str> = decisions().map(|d| d.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    if let Some(d) = decision {
        if !names.contains(&d) {
            return Err(ApiError::bad_query(format!(
                "decision: no version of the policy has a decision {d:?}; they have: {}",
                names.join(", ")
            )));
        }
    }
    if let Some(o) = outcome {
        let mut outcomes: Vec<&str> = decisions()
            .filter(|d| decision.is_none_or(|name| d.name == name))
            .flat_map(|d| d.outcomes.iter().map(|o| o.name.as_str()))
            .collect();
        outcomes.sort_unstable();
        outcomes.dedup();
        if !outcomes.contains(&o) {
            let of = decision.map(|d| format!(" of {d:?}")).unwrap_or_default();
            return Err(ApiError::bad_query(format!(
                "outcome: no decision{of} has the outcome {o:?}; the outcomes are: {}",
                outcomes.join(", ")
            )));
        }
    }
    Ok(())
}

/// `since` as a date (`2026-03-01`) or a UTC time (`2026-03-01T10:00:00Z`).
fn valid_since(s: &str) -> Result<String, ApiError> {
    // ASCII first: the slices below are then on character boundaries.
    let date_ok =
        s.is_ascii() && s.len() >= 10 && crate::eval::facts::parse_date(&s[..10]).is_some();
    let rest_ok = date_ok
        && (s.len() == 10
            || (s.as_bytes().get(10) == Some(&b'T')
                && s[11..]
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b == b':' || b == b'.' || b == b'Z')));
    if rest_ok {
        Ok(s.to_string())
    } else {
        Err(ApiError::bad_query(format!(
            "since: expected a date YYYY-MM-DD or a UTC time YYYY-MM-DDTHH:MM:SSZ, got {s:?}"
        )))
    }
}

fn list_json(page: &[Summary], limit: u32) -> String {
    let mut out = String::from("{\"decisions\":[");
    for (i, s) in page.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('{');
        for (k, v) in [
            ("id", &s.id),
            ("time", &s.time),
            ("version", &s.version),
            ("digest", &s.digest),
        ] {
            push_str(&mut out, k, v);
            out.push(',');
        }
        push_outcomes(&mut out, &s.outcomes);
        out.push('}');
    }
    out.push_str("],\"next\":");
    match page.last() {
        Some(last) if page.len() as u32 == limit => {
            out.push('"');
            out.push_str(&last.id);
            out.push('"');
        }
        _ => out.push_str("null"),
    }
    out.push_str("}\n");
    out
}
