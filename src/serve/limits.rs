//! Limits on what a request may carry: body size and JSON nesting depth.

use super::error::ApiError;
use axum::body::Body;
use axum::http::{header, HeaderMap};
use futures_util::StreamExt;

/// The limits the service enforces.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Bytes of one case (a body of `POST /v1/decisions`, a line of a batch).
    pub case_bytes: usize,
    /// Bytes of one batch.
    pub batch_bytes: u64,
    /// Nesting of arrays and objects in a case.
    pub depth: usize,
    /// How long a request may take (a batch: how long the service waits for its next bytes).
    pub timeout: std::time::Duration,
    /// Requests served at once; more get 429.
    pub concurrency: usize,
    /// How long a connection may take to send a request's head, new or kept alive.
    pub idle: std::time::Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            case_bytes: 1 << 20,
            batch_bytes: 256 << 20,
            depth: 64,
            timeout: std::time::Duration::from_secs(30),
            concurrency: 512,
            idle: std::time::Duration::from_secs(30),
        }
    }
}

/// The declared length, if any, refused at once when over the limit.
pub fn declared_length(headers: &HeaderMap, limit: u64) -> Result<Option<u64>, ApiError> {
    let Some(v) = headers.get(header::CONTENT_LENGTH) else {
        return Ok(None);
    };
    let n: u64 = v
        .to_str()
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .ok_or_else(|| ApiError::bad_query("Content-Length is not a number"))?;
    if n > limit {
        return Err(ApiError::too_large(limit as usize));
    }
    Ok(Some(n))
}

/// Bodies over the limit are still read (and dropped) up to this size before the 413 goes
/// out: a client still sending when the answer comes would otherwise see its connection reset
/// instead of the answer.
const DRAIN: u64 = 16 << 20;

/// Read and drop a refused body, up to [`DRAIN`] bytes, so that its 413 reaches the client.
pub async fn drain(body: Body, timeout: std::time::Duration) {
    let mut stream = body.into_data_stream();
    let mut seen = 0u64;
    while let Ok(Some(Ok(data))) = tokio::time::timeout(timeout, stream.next()).await {
        seen += data.len() as u64;
        if seen > DRAIN {
            break;
        }
    }
}

/// Read a whole body of at most `limit` bytes.
pub async fn read_body(headers: &HeaderMap, body: Body, limit: usize) -> Result<Vec<u8>, ApiError> {
    let declared = declared_length(headers, DRAIN.max(limit as u64))
        .map_err(|_| ApiError::too_large(limit))?;
    let mut over = declared.is_some_and(|n| n > limit as u64);
    let mut out = Vec::with_capacity(if over {
        0
    } else {
        declared.unwrap_or(0) as usize
    });
    let mut seen = 0u64;
    let mut stream = body.into_data_stream();
    while let Some(frame) = stream.next().await {
        let Ok(data) = frame else {
            // A connection that broke mid-body, or a malformed chunked encoding.
            return Err(ApiError::new(
                axum::http::StatusCode::BAD_REQUEST,
                "bad_body",
                "the body could not be read",
            ));
        };
        seen += data.len() as u64;
        if !over && out.len() + data.len() > limit {
            over = true;
            out = Vec::new();
        }
        if over {
            if seen > DRAIN {
                break;
            }
            continue;
        }
        out.extend_from_slice(&data);
    }
    if over {
        Err(ApiError::too_large(limit))
    } else {
        Ok(out)
    }
}

/// Refuse JSON nested deeper than `max` before any parser sees it. Strings are skipped whole
/// (a search for the closing quote): most of a case's bytes are in them.
pub fn check_depth(json: &str, max: usize) -> Result<(), String> {
    let bytes = json.as_bytes();
    // No deeper than the number of brackets: a case with fewer than the limit (most of them)
    // needs no walk.
    if memchr::memchr2_iter(b'{', b'[', bytes)
        .take(max.saturating_add(1))
        .count()
        <= max
    {
        return Ok(());
    }
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => {
                i = crate::explain::record::string_end(json, i + 1);
                continue;
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return Err(format!(
                        "the JSON is nested deeper than the limit of {max} levels"
                    ));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

/// Whether the request's content type is one of `accepted` (parameters ignored). A request
/// without one is taken as the expected type.
pub fn content_type_is(headers: &HeaderMap, accepted: &[&str]) -> bool {
    match headers.get(header::CONTENT_TYPE) {
        None => true,
        Some(v) => {
            let Ok(s) = v.to_str() else { return false };
            let mime = s.split(';').next().unwrap_or("").trim();
            accepted.iter().any(|a| mime.eq_ignore_ascii_case(a))
        }
    }
}

/// The cores this process may use (2 when that cannot be told).
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_counts_only_outside_strings() {
        assert!(check_depth(r#"{"a": [[1]]}"#, 3).is_ok());
        assert!(check_depth(r#"{"a": [[[1]]]}"#, 3).is_err());
        assert!(check_depth(r#"{"a": "[[[[[[\"{{{{"}"#, 1).is_ok());
        assert!(check_depth(r#"{"a": "\\", "b": [[1]]}"#, 2).is_err());
        assert!(check_depth(r#"{"a": "中[\\\"[", "b": [1]}"#, 2).is_ok());
        // Many brackets, none deep: the walk decides.
        let wide = format!("[{}]", vec!["[1]"; 100].join(","));
        assert!(check_depth(&wide, 2).is_ok());
        assert!(check_depth(&wide, 1).is_err());
    }
}
