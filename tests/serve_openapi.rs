//! The OpenAPI document describes what the service really answers: every response of a tour
//! of the API (each operation, success and error) is checked against the document's operation,
//! status, content type and JSON schema. Schemathesis (in `.ci/run`) fuzzes the same document.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use serde_json::Value;
use support::*;

/// A small JSON Schema checker for the keywords the document uses (`$ref`, `type`, `enum`,
/// `required`, `properties`, `additionalProperties`, `items`); formats and patterns are left to
/// schemathesis.
fn validate(doc: &Value, schema: &Value, v: &Value, at: &str) -> Result<(), String> {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.trim_start_matches("#/components/schemas/");
        let target = &doc["components"]["schemas"][name];
        assert!(!target.is_null(), "dangling $ref {r}");
        return validate(doc, target, v, at);
    }
    if let Some(t) = schema.get("type") {
        let types: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let ok = types.iter().any(|t| match *t {
            "object" => v.is_object(),
            "array" => v.is_array(),
            "string" => v.is_string(),
            "integer" => v.is_i64() || v.is_u64(),
            "number" => v.is_number(),
            "boolean" => v.is_boolean(),
            "null" => v.is_null(),
            _ => false,
        });
        if !ok {
            return Err(format!("{at}: expected {types:?}, got {v}"));
        }
    }
    if let Some(e) = schema.get("enum").and_then(Value::as_array) {
        if !e.contains(v) {
            return Err(format!("{at}: {v} is not one of {e:?}"));
        }
    }
    if let Some(obj) = v.as_object() {
        for r in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let k = r.as_str().unwrap();
            if !obj.contains_key(k) {
                return Err(format!("{at}: missing required `{k}`"));
            }
        }
        let props = schema.get("properties").and_then(Value::as_object);
        for (k, x) in obj {
            match props.and_then(|p| p.get(k)) {
                Some(s) => validate(doc, s, x, &format!("{at}.{k}"))?,
                None => {
                    if let Some(extra) = schema.get("additionalProperties") {
                        if extra == &Value::Bool(false) {
                            return Err(format!("{at}: unexpected `{k}`"));
                        }
                        if extra.is_object() {
                            validate(doc, extra, x, &format!("{at}.{k}"))?;
                        }
                    }
                }
            }
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), v.as_array()) {
        for (i, x) in arr.iter().enumerate() {
            validate(doc, items, x, &format!("{at}[{i}]"))?;
        }
    }
    Ok(())
}

/// Check one real response against the document.
fn conforms(doc: &Value, method: &str, template: &str, r: &Reply) {
    let op = &doc["paths"][template][method];
    assert!(op.is_object(), "{method} {template} is not in the document");
    let resp = &op["responses"][r.status.to_string()];
    assert!(
        resp.is_object(),
        "{method} {template}: status {} is not documented ({})",
        r.status,
        r.body
    );
    let mime = r.content_type.split(';').next().unwrap().trim();
    let content = &resp["content"][mime];
    assert!(
        content.is_object(),
        "{method} {template} {}: content type {mime} is not documented",
        r.status
    );
    if mime == "application/json" {
        validate(doc, &content["schema"], &r.json(), "$")
            .unwrap_or_else(|e| panic!("{method} {template} {}: {e}\n{}", r.status, r.body));
    }
}

#[test]
fn every_response_of_a_tour_of_the_api_matches_the_document() {
    let dir = temp_dir("openapi");
    let db = dir.join("log.sqlite");
    let s = Server::start(
        &[
            "--policy",
            FIXTURE,
            "--db",
            db.to_str().unwrap(),
            "--max-case-bytes",
            "4096",
        ],
        &[],
    );
    let doc_reply = get(&s.url("/v1/openapi.json"));
    let doc = doc_reply.json();
    assert_eq!(doc["openapi"], "3.1.0");
    conforms(&doc, "get", "/v1/openapi.json", &doc_reply);

    let d = "/v1/decisions";
    let ok = post_json(&s.url(d), READER);
    let id = ok.id.clone().unwrap();
    let tour: Vec<(&str, &str, Reply)> = vec![
        ("post", d, ok),
        (
            "post",
            d,
            post_json(&s.url("/v1/decisions?format=text"), OWES),
        ),
        (
            "post",
            d,
            post_json(&s.url("/v1/decisions?format=letter&lang=en"), OWES),
        ),
        (
            "post",
            d,
            post_json(&s.url("/v1/decisions?format=pdf"), READER),
        ),
        ("post", d, post_json(&s.url(d), "{}")),
        ("post", d, post_json(&s.url(d), &"x".repeat(5000))),
        ("post", d, post(&s.url(d), "text/csv", b"a,b")),
        ("get", d, get(&s.url(d))),
        (
            "get",
            d,
            get(&s.url("/v1/decisions?decision=borrow&outcome=refused&limit=1")),
        ),
        ("get", d, get(&s.url("/v1/decisions?limit=0"))),
        (
            "get",
            "/v1/decisions/{id}",
            get(&s.url(&format!("/v1/decisions/{id}"))),
        ),
        (
            "get",
            "/v1/decisions/{id}",
            get(&s.url(&format!("/v1/decisions/{id}?format=letter"))),
        ),
        (
            "get",
            "/v1/decisions/{id}",
            get(&s.url("/v1/decisions/nope")),
        ),
        (
            "post",
            "/v1/batch",
            post(
                &s.url("/v1/batch"),
                "application/x-ndjson",
                format!("{READER}\n{OWES}\n").as_bytes(),
            ),
        ),
        (
            "post",
            "/v1/batch",
            post(&s.url("/v1/batch"), "image/png", b"x"),
        ),
        ("get", "/v1/policies", get(&s.url("/v1/policies"))),
        ("get", "/v1/policies", get(&s.url("/v1/policies?x=1"))),
        ("get", "/v1/schema", get(&s.url("/v1/schema"))),
        (
            "get",
            "/v1/policies/{version}/articles",
            get(&s.url("/v1/policies/current/articles")),
        ),
        (
            "get",
            "/v1/policies/{version}/articles",
            get(&s.url("/v1/policies/1999-01-01/articles")),
        ),
        ("get", "/", get(&s.url("/"))),
        ("get", "/healthz", get(&s.url("/healthz"))),
        ("get", "/metrics", get(&s.url("/metrics"))),
    ];
    let mut statuses: Vec<u16> = Vec::new();
    for (method, template, r) in &tour {
        conforms(&doc, method, template, r);
        statuses.push(r.status);
    }
    // The tour did reach the error answers it meant to.
    for code in [200, 400, 404, 413, 415, 422] {
        assert!(
            statuses.contains(&code),
            "no {code} in the tour: {statuses:?}"
        );
    }
}
