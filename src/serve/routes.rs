//! The router. The API lives under `/v1`; `/healthz` and `/metrics` beside it. Other parts of
//! the service (the staff page at `/`) add their routes in [`router`] with `.merge(...)`: every
//! route added there gets the same guard (token, concurrency, timeout, metrics) and tracing.

use super::state::AppState;
use super::{batch, decide, guard, info, logged};
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};

/// The JSON API and the operational endpoints.
pub fn api() -> Router<AppState> {
    Router::new()
        .route(
            "/v1/decisions",
            post(decide::post_decision).get(logged::list_decisions),
        )
        .route("/v1/decisions/{id}", get(logged::get_decision))
        .route("/v1/batch", post(batch::post_batch))
        .route("/v1/openapi.json", get(info::openapi))
        .route("/v1/policies", get(info::policies))
        .route("/v1/schema", get(info::schema))
        .route(
            "/v1/policies/{version}/articles",
            get(super::articles::get_articles),
        )
        .route("/healthz", get(info::healthz))
        .route("/metrics", get(info::metrics))
}

/// Everything the service serves, with its middleware.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(api())
        .merge(super::page::routes())
        // After the merges: it applies to every route registered so far.
        .method_not_allowed_fallback(info::method_not_allowed)
        // Bodies are read by the handlers, each against its own limit (a case, a batch).
        .layer(DefaultBodyLimit::disable())
        .fallback(info::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::guard,
        ))
        // Spans carry method, path and status; never headers (the token) or bodies (cases).
        // One line a request is at `debug` (`RULEBOOK_LOG=debug`): formatting and writing it
        // cost a tenth of a decision, and the decision log and /metrics already count every
        // request. Server errors (5xx) are logged at `error` whatever the level.
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().include_headers(false))
                .on_response(DefaultOnResponse::new().level(tracing::Level::DEBUG)),
        )
        .with_state(state)
}
