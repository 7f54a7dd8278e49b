//! `rulebook schema`: the case file's JSON Schema, checked with a real validator. Every example
//! case validates; cases the reader refuses do not.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rulebook::authoring::schema::case_schema;
use rulebook::Policy;
use serde_json::{json, Value};
use std::process::Command;

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(schema)
        .expect("the schema is a valid draft 2020-12 schema")
}

fn example_cases() -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir("examples").unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "json") {
            let v: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
            out.push((p.display().to_string(), v));
        }
    }
    assert!(out.len() >= 3, "{out:?}");
    out
}

fn policies() -> Vec<Policy> {
    let mut out = Vec::new();
    for e in std::fs::read_dir("policies").unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.push(Policy::load(&p).unwrap());
        }
    }
    assert!(!out.is_empty());
    out
}

#[test]
fn every_example_validates_and_the_reader_accepts_it() {
    for p in policies() {
        let v = validator(&case_schema(&p.program));
        for (name, case) in example_cases() {
            let errors: Vec<String> = v.iter_errors(&case).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{name}: {errors:?}");
            assert!(p.parse_case(&case.to_string()).is_ok(), "{name}");
        }
    }
}

/// Break a case at a JSON pointer.
fn broken(case: &Value, pointer: &str, value: Value) -> Value {
    let mut c = case.clone();
    *c.pointer_mut(pointer)
        .unwrap_or_else(|| panic!("{pointer}")) = value;
    c
}

#[test]
fn a_case_the_reader_refuses_does_not_validate() {
    let p = &policies()[0];
    let v = validator(&case_schema(&p.program));
    let (_, case) = example_cases().remove(0);
    // Find, from the vocabulary, a money field, a date field and an enum field of the root's
    // first record, so the test follows the policy rather than naming its facts.
    let mut cases: Vec<(String, Value)> = Vec::new();
    let mut no_as_of = case.clone();
    no_as_of.as_object_mut().unwrap().remove("as_of");
    cases.push(("no as_of".into(), no_as_of));
    cases.push((
        "bad date".into(),
        broken(&case, "/as_of", json!("2026-02-30")),
    ));
    let mut extra = case.clone();
    extra
        .as_object_mut()
        .unwrap()
        .insert("not_a_fact".into(), json!(true));
    cases.push(("unknown field".into(), extra));
    let schema = case_schema(&p.program);
    for (key, prop) in schema["properties"].as_object().unwrap() {
        let Some(inner) = prop.get("properties").and_then(|x| x.as_object()) else {
            continue;
        };
        for (f, fs) in inner {
            let at = format!("/{key}/{f}");
            if case.pointer(&at).is_none() {
                continue;
            }
            if fs.get("enum").is_some() {
                cases.push((
                    format!("{at} not in its enumeration"),
                    broken(&case, &at, json!("no_such_value")),
                ));
            }
            if fs
                .get("pattern")
                .and_then(|p| p.as_str())
                .is_some_and(|p| p.ends_with("[0-9]+(\\.[0-9]+)?$"))
            {
                cases.push((format!("{at} as a float"), broken(&case, &at, json!(1.5))));
                cases.push((format!("{at} as words"), broken(&case, &at, json!("five"))));
            }
            if fs.get("type") == Some(&json!(["boolean", "null"])) {
                cases.push((
                    format!("{at} as a string"),
                    broken(&case, &at, json!("yes")),
                ));
            }
        }
    }
    assert!(cases.len() >= 6, "{}", cases.len());
    for (what, c) in cases {
        assert!(!v.is_valid(&c), "{what}: the schema accepts it");
        // The reader refuses it too (or, without as_of, cannot decide it; or, leniently, warns).
        let read = p.parse_case(&c.to_string());
        assert!(
            read.as_ref()
                .map_or(true, |f| f.as_of.is_none() || !f.warnings.is_empty()),
            "{what}"
        );
    }
}

#[test]
fn a_stated_range_is_a_minimum() {
    let p = Policy::load("tests/fixtures/library-lending").unwrap();
    let s = case_schema(&p.program);
    let v = validator(&s);
    // Find every field with a lower bound of zero and break it both ways.
    let mut found = 0;
    for rec in &p.program.schema.records {
        for f in &rec.fields {
            let Some(b) = f.range.min else { continue };
            if b.value.is_zero() && b.inclusive {
                found += 1;
            }
        }
    }
    assert!(found > 0, "the fixture states `money >= 0`");
    assert!(v.is_valid(&json!({"as_of": "2026-03-10", "reader": {"unpaid_fines": "0"}})));
    assert!(!v.is_valid(&json!({"as_of": "2026-03-10", "reader": {"unpaid_fines": "-1"}})));
}

#[test]
fn money_below_its_range_does_not_validate() {
    for p in policies() {
        let s = case_schema(&p.program);
        let v = validator(&s);
        let text = s.to_string();
        // Some field of the vocabulary has `>= 0`: the schema says `minimum: 0` for it.
        assert!(text.contains("\"minimum\":0"), "no range in the schema");
        let (_, case) = example_cases().remove(0);
        // Every money field that is present in the example, set to -1 (as integer and string).
        let mut tried = 0;
        walk(&s, &case, "", &mut |ptr, fs| {
            if fs.get("minimum") == Some(&json!(0)) {
                for bad in [json!(-1), json!("-1")] {
                    let mut c = case.clone();
                    *c.pointer_mut(ptr).unwrap() = bad;
                    assert!(!v.is_valid(&c), "{ptr} = -1 validates");
                    tried += 1;
                }
            }
        });
        assert!(tried > 0);
    }
}

/// Visit every field of `case` with its schema, by JSON pointer.
fn walk(schema: &Value, case: &Value, at: &str, f: &mut dyn FnMut(&str, &Value)) {
    match case {
        Value::Object(m) => {
            for (k, v) in m {
                if let Some(fs) = schema.get("properties").and_then(|p| p.get(k)) {
                    let ptr = format!("{at}/{k}");
                    f(&ptr, fs);
                    walk(fs, v, &ptr, f);
                }
            }
        }
        Value::Array(a) => {
            if let Some(items) = schema.get("items") {
                for (i, v) in a.iter().enumerate() {
                    walk(items, v, &format!("{at}/{i}"), f);
                }
            }
        }
        _ => {}
    }
}

#[test]
fn titles_come_from_the_labels_and_only_as_of_is_required() {
    let p = &policies()[0];
    let s = case_schema(&p.program);
    assert_eq!(s["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert_eq!(s["required"], json!(["as_of"]));
    let root = &p.program.schema.records[0];
    let first = &root.fields[0];
    let prop = &s["properties"][&first.name];
    assert_eq!(
        prop["title"],
        format!("{} | {}", first.labels.zh, first.labels.en)
    );
    assert_eq!(prop["x-labels"]["en"], first.labels.en.as_str());
    // No fact is required: an absent fact is unknown.
    assert!(prop.get("required").is_none());
}

#[test]
fn the_command_prints_the_same_schema_and_refuses_an_unknown_version() {
    let out = Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .args(["schema", "--policy", "tests/fixtures/library-lending"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
    let p = Policy::load("tests/fixtures/library-lending").unwrap();
    assert_eq!(printed, case_schema(&p.program));
    let v = validator(&printed);
    assert!(
        v.is_valid(&json!({"as_of": "2026-03-10", "reader": {"id": "R1", "unpaid_fines": "12.5"}}))
    );
    assert!(!v.is_valid(&json!({"as_of": "2026-03-10", "reader": {"unpaid_fines": 12.5}})));
    let bad = Command::new(env!("CARGO_BIN_EXE_rulebook"))
        .args([
            "schema",
            "--policy",
            "tests/fixtures/library-lending",
            "--version",
            "1999-01-01",
        ])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("1999-01-01"));
}
