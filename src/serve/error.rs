//! Errors as the contract words them: `{"error": {"code", "message", "path"?}}` with a 4xx
//! for anything a client can cause, 503 when the service cannot decide (no valid policy, the
//! log unavailable). Messages never echo a token or a case's contents beyond a field path.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// The case field the error is about, when there is one.
    pub path: Option<String>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            path: None,
        }
    }

    pub fn bad_query(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_query", message)
    }

    pub fn unusable_case(message: impl Into<String>, path: Option<String>) -> ApiError {
        ApiError {
            path,
            ..ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "unusable_case", message)
        }
    }

    pub fn too_large(limit: usize) -> ApiError {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            format!("the body is over the limit of {} bytes", limit),
        )
    }

    pub fn unauthorized() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "this service needs `Authorization: Bearer <token>`",
        )
    }

    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    pub fn no_policy() -> ApiError {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "no_policy",
            "no valid policy is loaded; see /v1/policies for the errors",
        )
    }

    pub fn log_unavailable(e: &crate::log::LogError) -> ApiError {
        tracing::error!(error = %e, "decision log");
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "log_unavailable",
            "the decision log cannot be written; nothing was decided",
        )
    }

    pub fn wrong_type(expected: &str) -> ApiError {
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            format!("send the body as {expected}"),
        )
    }

    pub fn not_supported(what: &str) -> ApiError {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "not_supported",
            format!("{what} is not supported yet"),
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = String::from("{\"error\":{\"code\":\"");
        body.push_str(self.code);
        body.push_str("\",\"message\":\"");
        crate::explain::record::push_escaped(&mut body, &self.message);
        body.push('"');
        if let Some(p) = &self.path {
            body.push_str(",\"path\":\"");
            crate::explain::record::push_escaped(&mut body, p);
            body.push('"');
        }
        body.push_str("}}\n");
        (
            self.status,
            [(header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response()
    }
}
