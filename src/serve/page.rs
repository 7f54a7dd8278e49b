//! The staff page (`GET /` and `GET /web/*`): plain HTML, CSS and JavaScript modules from `web/`,
//! compiled into the binary so that `cargo build` alone builds everything and the page works
//! offline. No build step, no CDN.

use super::state::AppState;
use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

/// `/` and `/web/{file}`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(index))
        .route("/web/{file}", get(file))
}

async fn index() -> Response {
    respond(asset("/"))
}

async fn file(Path(name): Path<String>) -> Response {
    respond(asset(&format!("/web/{name}")))
}

fn respond(a: Option<Asset>) -> Response {
    match a {
        Some(a) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, a.content_type),
                // The files change only with the binary; a reload of the page revalidates.
                (header::CACHE_CONTROL, "no-cache"),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            ],
            a.body,
        )
            .into_response(),
        None => super::error::ApiError::not_found("no such file of the staff page").into_response(),
    }
}

/// One file of the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Asset {
    pub content_type: &'static str,
    pub body: &'static [u8],
}

macro_rules! web {
    ($name:literal, $type:literal) => {
        (
            $name,
            Asset {
                content_type: $type,
                body: include_bytes!(concat!("../../web/", $name)),
            },
        )
    };
}

/// Every file under `web/`, by name. A test checks that this list and the folder agree.
pub const ASSETS: &[(&str, Asset)] = &[
    web!("index.html", "text/html; charset=utf-8"),
    web!("style.css", "text/css; charset=utf-8"),
    web!("app.js", "text/javascript; charset=utf-8"),
    web!("api.js", "text/javascript; charset=utf-8"),
    web!("decide.js", "text/javascript; charset=utf-8"),
    web!("dom.js", "text/javascript; charset=utf-8"),
    web!("form.js", "text/javascript; charset=utf-8"),
    web!("i18n.js", "text/javascript; charset=utf-8"),
    web!("log.js", "text/javascript; charset=utf-8"),
    web!("markdown.js", "text/javascript; charset=utf-8"),
    web!("money.js", "text/javascript; charset=utf-8"),
    web!("rules.js", "text/javascript; charset=utf-8"),
    web!("status.js", "text/javascript; charset=utf-8"),
    web!("vocab.js", "text/javascript; charset=utf-8"),
];

/// The file a request path names: `/` is the page itself, `/web/NAME` one of its files.
pub fn asset(path: &str) -> Option<Asset> {
    let name = match path {
        "/" | "/index.html" => "index.html",
        _ => path.strip_prefix("/web/")?,
    };
    ASSETS.iter().find(|(n, _)| *n == name).map(|(_, a)| *a)
}

/// Every JavaScript module carries this content type (browsers refuse modules served otherwise).
pub const JS_TYPE: &str = "text/javascript; charset=utf-8";

#[cfg(test)]
#[allow(clippy::expect_used, clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_page_and_its_files() {
        let root = asset("/").expect("the page");
        assert!(root.content_type.starts_with("text/html"));
        assert!(std::str::from_utf8(root.body)
            .expect("utf-8")
            .contains("/web/app.js"));
        assert_eq!(asset("/web/app.js").map(|a| a.content_type), Some(JS_TYPE));
        assert!(asset("/web/style.css")
            .map(|a| a.content_type.starts_with("text/css"))
            .unwrap_or(false));
        assert_eq!(asset("/web/../Cargo.toml"), None);
        assert_eq!(asset("/web/"), None);
        assert_eq!(asset("/nothing"), None);
    }

    #[test]
    fn every_file_of_web_is_served() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/web");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .expect("web/")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        on_disk.sort();
        let mut listed: Vec<String> = ASSETS.iter().map(|(n, _)| n.to_string()).collect();
        listed.sort();
        assert_eq!(on_disk, listed);
        for (name, a) in ASSETS {
            if name.ends_with(".js") {
                assert_eq!(a.content_type, JS_TYPE, "{name}");
            }
        }
    }
}
