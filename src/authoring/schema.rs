//! `rulebook schema`: a JSON Schema (draft 2020-12) of the case file, made from the vocabulary,
//! so a caller can check a case before sending it and the staff page can build its form.
//!
//! What the case reader accepts, said as a schema (CONTRACT section 4): an absent fact is
//! unknown, so no fact is required and `null` means absent; only `as_of` is required. Money and
//! other decimals are a string of digits or an integer, never a float. A field not in the
//! vocabulary is refused. Labels are titles ("中文 | English", and both under `x-labels`).

use crate::check::ir::{FieldSchema, Program, RecordSchema, Ty};
use crate::check::range::Range;
use rust_decimal::Decimal;
use serde_json::{json, Map, Value};

/// The draft this schema follows.
pub const DRAFT: &str = "https://json-schema.org/draft/2020-12/schema";

/// The JSON Schema of a case file for this program's vocabulary.
pub fn case_schema(program: &Program) -> Value {
    let meta = &program.meta;
    let mut root = record(program, 0);
    if let Some(obj) = root.as_object_mut() {
        obj.insert("$schema".into(), json!(DRAFT));
        obj.insert(
            "$id".into(),
            json!(format!("urn:rulebook:{}:{}:case", meta.id, meta.version)),
        );
        obj.insert(
            "title".into(),
            json!(format!("{} | {}", meta.title, meta.title_en)),
        );
        if let Some(Value::Object(props)) = obj.get_mut("properties") {
            props.insert(
                "as_of".into(),
                json!({
                    "title": "判定基准日 | as of",
                    "description": "the date the case is decided as of (YYYY-MM-DD)",
                    "type": "string",
                    "format": "date",
                    "pattern": DATE_PATTERN,
                }),
            );
        }
        obj.insert("required".into(), json!(["as_of"]));
    }
    root
}

const DATE_PATTERN: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";
/// Digits with an optional fraction; the reader parses them exactly.
const DECIMAL_PATTERN: &str = "^-?[0-9]+(\\.[0-9]+)?$";

fn record(program: &Program, rec: u16) -> Value {
    let empty = RecordSchema::default();
    let r = program
        .schema
        .records
        .get(usize::from(rec))
        .unwrap_or(&empty);
    let mut props = Map::new();
    for f in &r.fields {
        props.insert(f.name.clone(), field(program, f));
    }
    json!({
        "type": "object",
        "properties": props,
        "additionalProperties": false,
    })
}

fn field(program: &Program, f: &FieldSchema) -> Value {
    let mut v = value(program, f.ty);
    if let Some(obj) = v.as_object_mut() {
        range(obj, &f.range);
        obj.insert(
            "title".into(),
            json!(format!("{} | {}", f.labels.zh, f.labels.en)),
        );
        obj.insert(
            "x-labels".into(),
            json!({"zh": f.labels.zh, "en": f.labels.en}),
        );
        if f.attested {
            // A reviewer's finding rather than the applicant's statement.
            obj.insert("x-attested".into(), json!(true));
        }
    }
    v
}

/// `money >= 0`: `minimum` (or `exclusiveMinimum`) for the number form, and, for a lower bound
/// of zero or more, a string pattern without a minus sign.
fn range(obj: &mut Map<String, Value>, r: &Range) {
    if let Some(b) = r.min {
        let key = if b.inclusive {
            "minimum"
        } else {
            "exclusiveMinimum"
        };
        obj.insert(key.into(), number(b.value));
        if !b.value.is_sign_negative() {
            if let Some(Value::String(p)) = obj.get_mut("pattern") {
                *p = p.replacen("^-?", "^", 1);
            }
        }
    }
    if let Some(b) = r.max {
        let key = if b.inclusive {
            "maximum"
        } else {
            "exclusiveMaximum"
        };
        obj.insert(key.into(), number(b.value));
    }
}

/// A bound as a JSON number: an integer when it is one (the schema's only float is a fractional
/// bound, which the reader itself compares exactly).
fn number(d: Decimal) -> Value {
    if d.fract().is_zero() {
        if let Ok(i) = i64::try_from(d) {
            return json!(i);
        }
    }
    d.to_string()
        .parse::<f64>()
        .map_or(Value::Null, |f| json!(f))
}

/// A scalar's schema also takes `null`, which the reader treats as absent.
fn nullable(types: &[&str]) -> Value {
    let mut t: Vec<&str> = types.to_vec();
    t.push("null");
    json!(t)
}

fn value(program: &Program, ty: Ty) -> Value {
    match ty {
        Ty::Bool => json!({"type": nullable(&["boolean"])}),
        Ty::Int => json!({"type": nullable(&["integer"])}),
        Ty::Money | Ty::Decimal => json!({
            "type": nullable(&["string", "integer"]),
            "pattern": DECIMAL_PATTERN,
        }),
        Ty::Percent => json!({
            "type": nullable(&["string", "integer"]),
            "pattern": "^-?[0-9]+(\\.[0-9]+)?%?$",
        }),
        Ty::Date => json!({
            "type": nullable(&["string"]),
            "format": "date",
            "pattern": DATE_PATTERN,
        }),
        Ty::Duration | Ty::Text => json!({"type": nullable(&["string"])}),
        Ty::Enum(e) => {
            let variants: Vec<Value> = program
                .schema
                .enums
                .get(usize::from(e))
                .map(|en| en.variants.iter().map(|v| json!(v)).collect())
                .unwrap_or_default();
            let mut all = variants;
            all.push(Value::Null);
            json!({"enum": all})
        }
        Ty::Record(r) => record(program, r),
        Ty::List(r) => {
            let mut v = json!({"type": "array", "items": record(program, r)});
            let key = program
                .schema
                .records
                .get(usize::from(r))
                .and_then(|rec| rec.key.and_then(|k| rec.fields.get(usize::from(k))));
            if let (Some(k), Some(obj)) = (key, v.as_object_mut()) {
                // JSON Schema cannot say "unique by this field"; the reader refuses duplicates.
                obj.insert("x-key".into(), json!(k.name));
            }
            v
        }
    }
}
