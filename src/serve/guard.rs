//! The middleware every request passes: the token, the concurrency limit (429 when over; not
//! for `/healthz` and `/metrics`), the request timeout, and the metrics. Nothing here logs a
//! header or a body.

use super::error::ApiError;
use super::state::{AppState, RequestSlot};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

pub async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = std::time::Instant::now();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", |m| m.as_str())
        .to_string();
    let method = req.method().as_str().to_string();
    let response = checked(&state, &route, req, next).await;
    state.metrics.request(
        &route,
        &method,
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    response
}

async fn checked(state: &AppState, route: &str, mut req: Request, next: Next) -> Response {
    // Liveness answers without a token, so a load balancer can probe it.
    if route != "/healthz" {
        if let Some(expected) = &state.token {
            if !authorized(req.headers().get(header::AUTHORIZATION), expected) {
                let mut r = ApiError::unauthorized().into_response();
                r.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    header::HeaderValue::from_static("Bearer"),
                );
                return r;
            }
        }
    }
    // Liveness and metrics answer whatever the load: a probe refused while long batches hold
    // every place would get a busy service restarted.
    if route == "/healthz" || route == "/metrics" {
        return next.run(req).await;
    }
    let Ok(permit) = state.inflight.clone().try_acquire_owned() else {
        return ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_requests",
            "the service is at its limit of concurrent requests; retry shortly",
        )
        .into_response();
    };
    // The guard keeps its own copy to the end of `next.run`: axum drops a request's
    // extensions when a handler takes its body, before the handler runs.
    let slot = RequestSlot::new(permit);
    req.extensions_mut().insert(slot.clone());
    let answered = tokio::time::timeout(state.limits.timeout, next.run(req)).await;
    drop(slot);
    match answered {
        Ok(r) => r,
        Err(_) => ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            "timeout",
            format!(
                "the request took longer than {} s (a body sent too slowly?)",
                state.limits.timeout.as_secs_f64()
            ),
        )
        .into_response(),
    }
}

/// `Bearer <token>` whose sha256 equals `expected`, compared in constant time (hashing first
/// also hides the token's length).
fn authorized(value: Option<&header::HeaderValue>, expected: &[u8; 32]) -> bool {
    let Some(given) = value
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    else {
        return false;
    };
    let digest: [u8; 32] = Sha256::digest(given.trim().as_bytes()).into();
    constant_time_eq(&digest, expected)
}

pub fn constant_time_eq(a: &[u8; 32], b: &[u8; 32]) -> bool {
    let mut diff = 0u8;
    for (x, y) in a.iter().zip(b.iter()) {
        diff |= x ^ y;
    }
    // black_box keeps the optimiser from turning the fold into an early exit.
    std::hint::black_box(diff) == 0
}

pub fn token_digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn bearer_tokens() {
        let t = token_digest("s3cret");
        let h = |s: &str| header::HeaderValue::from_str(s).unwrap();
        assert!(authorized(Some(&h("Bearer s3cret")), &t));
        assert!(!authorized(Some(&h("Bearer s3cre")), &t));
        assert!(!authorized(Some(&h("Basic s3cret")), &t));
        assert!(!authorized(None, &t));
    }
}
