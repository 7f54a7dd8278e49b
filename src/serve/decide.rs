//! `POST /v1/decisions`: one case in, its decision record (or text, or letter) out, logged
//! before the answer is sent.

use super::error::ApiError;
use super::limits;
use super::query;
use super::state::{AppState, Loaded};
use crate::cli::choose::Chooser;
use crate::eval::facts::Facts;
use crate::explain::letter::LetterOptions;
use crate::explain::{self, Lang};
use crate::log::{Entry, Packed};
use crate::{Evaluation, Policy, Versions};
use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Text,
    Letter,
    Html,
}

impl Format {
    /// The media type of a response in this format.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Json => "application/json",
            Format::Text => "text/plain; charset=utf-8",
            Format::Letter => "text/markdown; charset=utf-8",
            Format::Html => "text/html; charset=utf-8",
        }
    }
}

/// What the query asks for, checked against the versions loaded.
#[derive(Debug, Clone)]
pub struct Options {
    /// The decisions asked for by name (all when empty); each exists in every version that
    /// may decide (the pinned one, else all of them).
    pub decisions: Vec<String>,
    /// `version=V`: decide with this version whatever the case's date (as `eval --version`).
    pub version: Option<String>,
    pub as_of: Option<NaiveDate>,
    pub format: Format,
    pub lang: Lang,
    /// `lenient=true`: unknown fields become warnings, as `eval --lenient`.
    pub read: crate::ReadOptions,
    /// `record=lean`: the response leaves out satisfied findings and words; the log keeps the
    /// full record (an audit, and replay, need every finding).
    pub record: crate::RecordMode,
    /// `letter_number=`, `letter_date=`: as `eval --letter-number/--letter-date`.
    pub letter: LetterParts,
}

/// What a letter carries beyond the decision: its number (文号) and its date (the decision's
/// as_of when not given, so a letter made again reads the same).
#[derive(Debug, Clone, Default)]
pub struct LetterParts {
    pub number: Option<String>,
    pub date: Option<NaiveDate>,
}

/// `letter_number` and `letter_date` of a query, for a letter (`format=letter|html`) only.
pub fn letter_parts(pairs: &[(String, String)], format: Format) -> Result<LetterParts, ApiError> {
    let number = query::single(pairs, "letter_number")?;
    let date = query::single(pairs, "letter_date")?;
    if (number.is_some() || date.is_some()) && !matches!(format, Format::Letter | Format::Html) {
        return Err(ApiError::bad_query(
            "letter_number and letter_date are parts of a letter: give format=letter or format=html",
        ));
    }
    if number.is_some_and(|n| !crate::explain::letter::number_ok(n)) {
        return Err(ApiError::bad_query(format!(
            "letter_number: expected {}",
            crate::explain::letter::NUMBER_HINT
        )));
    }
    let date = match date {
        Some(d) => Some(crate::eval::facts::parse_date(d).ok_or_else(|| {
            ApiError::bad_query(format!(
                "letter_date: expected a date YYYY-MM-DD, got {d:?}"
            ))
        })?),
        None => None,
    };
    Ok(LetterParts {
        number: number.map(str::to_string),
        date,
    })
}

pub const ENGINE: &str = env!("CARGO_PKG_VERSION");

pub const JSON_TYPES: &[&str] = &["application/json"];

pub fn parse_format(v: Option<&str>) -> Result<Format, ApiError> {
    match v {
        None | Some("json") => Ok(Format::Json),
        Some("text") => Ok(Format::Text),
        Some("letter") => Ok(Format::Letter),
        Some("html") => Ok(Format::Html),
        Some(o) => Err(ApiError::bad_query(format!(
            "format: expected json, text, letter or html, got {o:?}"
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

/// Read the query of a decision or batch request against the versions loaded.
pub fn options(raw: Option<&str>, set: &Versions, batch: bool) -> Result<Options, ApiError> {
    let pairs = query::pairs(raw)?;
    let known: &[&str] = if batch {
        &["decision", "as_of", "version", "record", "lenient"]
    } else {
        &[
            "decision",
            "as_of",
            "version",
            "format",
            "lang",
            "record",
            "lenient",
            "letter_number",
            "letter_date",
        ]
    };
    query::only(&pairs, known)?;
    let version = query::single(&pairs, "version")?.map(str::to_string);
    let candidates: Vec<&Policy> = match &version {
        Some(v) => vec![set.pin(v).ok_or_else(|| {
            ApiError::bad_query(format!(
                "version: the policy has no version {v:?}; it has: {}",
                set.names().join(", ")
            ))
        })?],
        None => set.versions.iter().collect(),
    };
    let decisions: Vec<String> = query::all(&pairs, "decision")
        .into_iter()
        .map(str::to_string)
        .collect();
    for name in &decisions {
        for p in &candidates {
            if p.decision_index(name).is_none() {
                return Err(ApiError::bad_query(format!(
                    "decision: the policy has no decision `{name}`; it has: {} (version {})",
                    p.decision_names().join(", "),
                    p.version()
                )));
            }
        }
    }
    let as_of = match query::single(&pairs, "as_of")? {
        Some(s) => Some(crate::eval::facts::parse_date(s).ok_or_else(|| {
            ApiError::bad_query(format!("as_of: expected a date YYYY-MM-DD, got {s:?}"))
        })?),
        None => None,
    };
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
            "record=lean is a form of the JSON record; format text, letter and html explain every finding",
        ));
    }
    Ok(Options {
        decisions,
        version,
        as_of,
        format,
        lang: parse_lang(query::single(&pairs, "lang")?)?,
        read: crate::ReadOptions { lenient },
        record,
        letter: letter_parts(&pairs, format)?,
    })
}

/// A case decided: the version that decided it, the case's facts (letters name the
/// addressee and members from them), the evaluation and its compact record carrying the id.
pub struct Decided<'a> {
    pub policy: &'a Policy,
    pub facts: Facts,
    pub eval: Evaluation,
    /// The compact record the client asked for: the full record, or with `record=lean` the
    /// lean one (same id and line).
    answer: String,
    /// Beside a lean answer, the full record, when it was asked for (the log keeps it).
    full: Option<String>,
    /// Whether the answer is the lean record.
    lean: bool,
}

impl Decided<'_> {
    /// The compact record the client asked for.
    pub fn answer(&self) -> &str {
        &self.answer
    }

    /// The full record, which the log keeps, moved out: the answer itself unless the answer is
    /// lean (then [`decide_case`] was asked for the full record too). Taken once, when the
    /// answer has been used.
    pub fn take_full(&mut self) -> String {
        debug_assert!(
            self.full.is_some() || !self.lean,
            "a lean answer's full record was not asked for"
        );
        self.full
            .take()
            .unwrap_or_else(|| std::mem::take(&mut self.answer))
    }

    /// The answer in a format other than JSON: text, or the letter as Markdown or HTML.
    pub fn render(&self, format: Format, lang: Lang, letter: &LetterParts) -> String {
        let opts = LetterOptions {
            number: letter.number.as_deref(),
            date: letter.date,
            ..LetterOptions::new(lang)
        };
        match format {
            Format::Json => self.answer().to_string(),
            Format::Text => explain::text::render(self.policy, &self.eval, lang, false),
            Format::Letter => self
                .policy
                .letter_markdown(Some(&self.facts), &self.eval, &opts),
            Format::Html => self
                .policy
                .letter_html(Some(&self.facts), &self.eval, &opts),
        }
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
    // Room for a record as long as the last one of this mode and a bit: growing a record of
    // tens of KiB on the way copies it again (the length is only a hint; any value is safe).
    static LAST: [AtomicUsize; 2] = [AtomicUsize::new(16 * 1024), AtomicUsize::new(2 * 1024)];
    let last = &LAST[usize::from(mode == crate::RecordMode::Lean)];
    let hint = last.load(Ordering::Relaxed).min(MAX_HINT);
    let mut record = String::with_capacity(hint + hint / 8);
    // Our keys first, `{"id":"…"` and `,"line":n`, without the comma after them: the record's
    // own opening brace becomes that comma in place, instead of the whole record moving one
    // byte to drop it.
    if !id.is_empty() {
        record.push_str("{\"id\":\"");
        record.push_str(id);
        record.push('"');
    }
    if let Some(n) = line {
        record.push_str(if record.is_empty() { "{" } else { "," });
        record.push_str("\"line\":");
        record.push_str(&n.to_string());
    }
    let start = record.len();
    policy.write_record_as(eval, mode, &mut record);
    if start > 0 {
        if record.as_bytes().get(start) == Some(&b'{') {
            record.replace_range(start..start + 1, ",");
        } else {
            record.insert(start, ',');
        }
    }
    last.store(record.len(), Ordering::Relaxed);
    record
}

/// The largest capacity a record is given before it is written (a batch line's record can be
/// far longer than a usual one; it then grows as it needs).
const MAX_HINT: usize = 1 << 20;

/// Check, parse and evaluate one case; the record carries `id` unless it is empty (and `line`
/// in a batch). The version that decides is the pinned one, else the one in force on the
/// case's date (the query's `as_of`, else the case's), as `eval` chooses: the case is read
/// with the latest version's vocabulary to find its date, and read again if another decides.
/// `full_too`: with `record=lean`, write the full record as well (for the log); without a log
/// a lean answer costs only the lean record.
pub fn decide_case<'a>(
    set: &'a Versions,
    opts: &Options,
    text: &str,
    depth: usize,
    (id, line): (&str, Option<usize>),
    full_too: bool,
) -> Result<Decided<'a>, ApiError> {
    limits::check_depth(text, depth).map_err(|m| ApiError::unusable_case(m, None))?;
    // `options` checked the version and the decision names; this cannot fail after it.
    let chooser =
        Chooser::new(set, opts.version.as_deref(), &opts.decisions).map_err(ApiError::bad_query)?;
    let (first, _) = chooser.for_date(opts.as_of);
    let read = |p: &Policy| {
        p.parse_case_with(text, opts.read)
            .map_err(|e| ApiError::unusable_case(e.to_string(), e.path().map(str::to_string)))
    };
    let facts = read(first)?;
    let Some(date) = opts.as_of.or(facts.as_of) else {
        return Err(ApiError::unusable_case(
            "the case has no `as_of` and the query gives no as_of; a decision without a date cannot be reproduced",
            Some("as_of".into()),
        ));
    };
    let (policy, decisions) = chooser.for_date(Some(date));
    let decisions = decisions.to_vec();
    let facts = if std::ptr::eq(policy, first) {
        facts
    } else {
        read(policy)?
    };
    let eval = policy.evaluate(&facts, date, &decisions);
    let answer = record_with_ids(policy, &eval, opts.record, id, line);
    let full = (opts.record == crate::RecordMode::Lean && full_too)
        .then(|| record_with_ids(policy, &eval, crate::RecordMode::Full, id, line));
    Ok(Decided {
        policy,
        facts,
        eval,
        answer,
        full,
        lean: opts.record == crate::RecordMode::Lean,
    })
}

/// Whether a compact record made again is the one the log stored: compact (what the service
/// stores), or indented (what logs written before it stored).
pub fn same_record(compact: &str, stored: &str) -> bool {
    if compact == stored {
        return true;
    }
    let mut pretty = explain::record::pretty(compact);
    pretty.push('\n');
    pretty == stored
}

/// Each decision's name and outcome name, borrowed from the policy: the metrics count them
/// without copying, the log's index copies them.
pub fn outcome_names<'a>(
    policy: &'a Policy,
    eval: &'a Evaluation,
) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
    eval.decisions.iter().filter_map(|d| {
        let ir = policy.program.decisions.get(d.decision.index())?;
        let o = ir.outcomes.get(d.outcome.index())?;
        Some((ir.name.as_str(), o.name.as_str()))
    })
}

/// The log entry of a decided case, packed. Only made when the service logs: hashing and
/// packing a record of tens of KiB costs more than deciding the case. Packing here, in the
/// request's task, leaves the log's one writer thread only the writing.
pub fn entry(
    policy: &Policy,
    id: String,
    millis: i64,
    case: Vec<u8>,
    record: String,
    eval: &Evaluation,
) -> Packed {
    Entry {
        time: crate::log::time_text(millis),
        // A decided case was read as UTF-8: the bytes move into the entry without a copy.
        case: String::from_utf8(case)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        record_sha256: crate::log::sha256(record.as_bytes()),
        record,
        version: policy.version().to_string(),
        digest: policy.digest.clone(),
        engine: ENGINE.to_string(),
        outcomes: outcome_names(policy, eval)
            .map(|(decision, outcome)| crate::log::Outcome {
                decision: decision.to_string(),
                outcome: outcome.to_string(),
            })
            .collect(),
        id,
    }
    .pack()
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
    let opts = options(raw.as_deref(), &loaded.set, false)?;
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
    // simdutf8, as a batch's lines are checked: the same answer for a fraction of the cost.
    let text = crate::jsonl::text(&case)
        .ok_or_else(|| ApiError::unusable_case("the case file is not UTF-8 text", None))?;
    let mut decided = decide_case(
        &loaded.set,
        &opts,
        text,
        state.limits.depth,
        (&id, None),
        logged,
    )?;
    state
        .metrics
        .decisions(outcome_names(decided.policy, &decided.eval));
    // The answer is the record as `eval` prints it, which is `pretty(logged record) + "\n"`
    // byte for byte. It is made before the log is written only to hand the record itself to
    // the log afterwards without a copy; nothing is sent before the log has it.
    let body = match opts.format {
        Format::Json => {
            let mut s = explain::record::pretty(decided.answer());
            s.push('\n');
            s
        }
        other => decided.render(other, opts.lang, &opts.letter),
    };
    if let Some(log) = &state.log {
        // The log keeps the compact record (and the hash of those bytes): half the bytes of
        // the indented one to write and hash under the commit.
        let record = decided.take_full();
        let e = entry(
            decided.policy,
            id.clone(),
            millis,
            case,
            record,
            &decided.eval,
        );
        log.writer
            .append(vec![e])
            .await
            .map_err(|err| ApiError::log_unavailable(&err))?;
    }
    let mut response = (
        StatusCode::OK,
        [(header::CONTENT_TYPE, opts.format.content_type())],
        body,
    )
        .into_response();
    if logged {
        if let Ok(v) = HeaderValue::from_str(&id) {
            response.headers_mut().insert("x-decision-id", v);
        }
    }
    Ok(response)
}
