//! Case files read straight into typed facts, guided by the vocabulary (a serde `DeserializeSeed`):
//! no untyped JSON tree, money never through a float, every error with its JSON path.

use crate::check::ir::{RecId, Schema, Ty};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use std::cell::RefCell;
use std::fmt;

/// One fact as read from the case file.
#[derive(Debug, Clone, PartialEq)]
pub enum FactValue {
    Absent,
    Bool(bool),
    Int(i64),
    Num(Decimal),
    Date(NaiveDate),
    Text(std::sync::Arc<str>),
    Enum(u16),
    Rec(Box<Record>),
    List(Vec<Record>),
}

/// A record's facts, indexed like its schema's fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub fields: Box<[FactValue]>,
}

/// A parsed case file.
#[derive(Debug, Clone, PartialEq)]
pub struct Facts {
    pub as_of: Option<NaiveDate>,
    pub root: Record,
    /// Fields the vocabulary does not know; they were skipped.
    pub warnings: Vec<String>,
}

/// Why a case file cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactsError {
    pub message: String,
}

impl fmt::Display for FactsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FactsError {}

pub fn parse_facts(schema: &Schema, json: &str) -> Result<Facts, FactsError> {
    if json.trim().is_empty() {
        return Err(FactsError {
            message: "the case file is empty; expected a JSON object with `as_of` and the facts"
                .into(),
        });
    }
    let ctx = Ctx {
        schema,
        path: RefCell::new(Vec::new()),
        warnings: RefCell::new(Vec::new()),
    };
    let mut de = serde_json::Deserializer::from_str(json);
    let parsed = RootSeed { ctx: &ctx }
        .deserialize(&mut de)
        .and_then(|r| de.end().map(|_| r));
    match parsed {
        Ok((as_of, root)) => Ok(Facts {
            as_of,
            root,
            warnings: ctx.warnings.into_inner(),
        }),
        Err(e) => Err(FactsError {
            message: describe(e),
        }),
    }
}

fn describe(e: serde_json::Error) -> String {
    let msg = e.to_string();
    if msg.starts_with("recursion limit exceeded") {
        return format!("the case file nests too deeply to be a case file ({msg})");
    }
    if e.is_eof() {
        return format!("the case file ends too early: {msg}");
    }
    msg
}

#[derive(Clone, Copy)]
enum Seg<'s> {
    Field(&'s str),
    Index(usize),
}

struct Ctx<'s> {
    schema: &'s Schema,
    path: RefCell<Vec<Seg<'s>>>,
    warnings: RefCell<Vec<String>>,
}

impl Ctx<'_> {
    fn path_string(&self, extra: Option<&str>) -> String {
        let mut s = String::new();
        for seg in self.path.borrow().iter() {
            match seg {
                Seg::Field(f) => {
                    if !s.is_empty() {
                        s.push('.');
                    }
                    s.push_str(f);
                }
                Seg::Index(i) => s.push_str(&format!("[{i}]")),
            }
        }
        if let Some(x) = extra {
            if !s.is_empty() {
                s.push('.');
            }
            s.push_str(x);
        }
        s
    }

    fn error<E: de::Error>(&self, expected: &str, got: &dyn fmt::Display) -> E {
        E::custom(format!(
            "{}: expected {expected}, got {got}",
            self.path_string(None)
        ))
    }
}

struct RootSeed<'c, 's> {
    ctx: &'c Ctx<'s>,
}

impl<'de> DeserializeSeed<'de> for RootSeed<'_, '_> {
    type Value = (Option<NaiveDate>, Record);
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(RecordVisitor {
            ctx: self.ctx,
            rec: 0,
            root: true,
        })
    }
}

struct RecordVisitor<'c, 's> {
    ctx: &'c Ctx<'s>,
    rec: RecId,
    root: bool,
}

impl<'de> Visitor<'de> for RecordVisitor<'_, '_> {
    type Value = (Option<NaiveDate>, Record);
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        if self.root {
            f.write_str("a JSON object with `as_of` and the facts")
        } else {
            f.write_str("a JSON object")
        }
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let schema = &self.ctx.schema.records[self.rec as usize];
        let mut fields = vec![FactValue::Absent; schema.fields.len()].into_boxed_slice();
        let mut as_of = None;
        // Case files mostly list fields in the vocabulary's order: try the next one first.
        let mut guess = 0usize;
        while let Some(key) = map.next_key_seed(KeySeed {
            schema,
            guess,
            root: self.root,
        })? {
            match key {
                Key::AsOf => {
                    self.ctx.path.borrow_mut().push(Seg::Field("as_of"));
                    as_of = match map.next_value_seed(FieldSeed {
                        ctx: self.ctx,
                        ty: Ty::Date,
                    })? {
                        FactValue::Date(d) => Some(d),
                        _ => None,
                    };
                    self.ctx.path.borrow_mut().pop();
                }
                Key::Field(i) => {
                    guess = i + 1;
                    let f = &schema.fields[i];
                    self.ctx.path.borrow_mut().push(Seg::Field(f.name.as_str()));
                    fields[i] = map.next_value_seed(FieldSeed {
                        ctx: self.ctx,
                        ty: f.ty,
                    })?;
                    self.ctx.path.borrow_mut().pop();
                }
                Key::Unknown(name) => {
                    let p = self.ctx.path_string(Some(&name));
                    map.next_value_seed(Skip { at: &p, depth: 0 })?;
                    self.ctx
                        .warnings
                        .borrow_mut()
                        .push(format!("`{p}` is not in the vocabulary and was ignored"));
                }
            }
        }
        Ok((as_of, Record { fields }))
    }
}

/// A key of a JSON object, matched against the record's fields where it stands: no string is
/// built for a known key.
enum Key {
    AsOf,
    Field(usize),
    Unknown(String),
}

struct KeySeed<'r> {
    schema: &'r crate::check::ir::RecordSchema,
    guess: usize,
    root: bool,
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Key;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = Key;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a field name")
    }
    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
        if self.root && key == "as_of" {
            return Ok(Key::AsOf);
        }
        let fields = &self.schema.fields;
        let found = match fields.get(self.guess) {
            Some(f) if f.name == key => Some(self.guess),
            _ => fields
                .iter()
                .position(|f| f.name.len() == key.len() && f.name == key),
        };
        Ok(found.map_or_else(|| Key::Unknown(key.to_string()), Key::Field))
    }
}

struct FieldSeed<'c, 's> {
    ctx: &'c Ctx<'s>,
    ty: Ty,
}

impl<'de> DeserializeSeed<'de> for FieldSeed<'_, '_> {
    type Value = FactValue;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<FactValue, D::Error> {
        match self.ty {
            Ty::Record(r) => d
                .deserialize_any(NullOr(RecordVisitor {
                    ctx: self.ctx,
                    rec: r,
                    root: false,
                }))
                .map(|o| o.map_or(FactValue::Absent, |(_, rec)| FactValue::Rec(Box::new(rec)))),
            Ty::List(r) => d.deserialize_any(ListVisitor {
                ctx: self.ctx,
                rec: r,
            }),
            _ => d.deserialize_any(ScalarVisitor {
                ctx: self.ctx,
                ty: self.ty,
            }),
        }
    }
}

/// A record that may be `null` (absent).
struct NullOr<V>(V);

impl<'de, V: Visitor<'de>> Visitor<'de> for NullOr<V> {
    type Value = Option<V::Value>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        self.0.expecting(f)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        self.0.visit_map(map).map(Some)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Err(E::invalid_type(de::Unexpected::Bool(v), &self))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Err(E::invalid_type(de::Unexpected::Signed(v), &self))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Err(E::invalid_type(de::Unexpected::Unsigned(v), &self))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Err(E::invalid_type(de::Unexpected::Float(v), &self))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Err(E::invalid_type(de::Unexpected::Str(v), &self))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        Err(de::Error::invalid_type(de::Unexpected::Seq, &self))
    }
}

struct ListVisitor<'c, 's> {
    ctx: &'c Ctx<'s>,
    rec: RecId,
}

impl<'de> Visitor<'de> for ListVisitor<'_, '_> {
    type Value = FactValue;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list")
    }
    fn visit_unit<E: de::Error>(self) -> Result<FactValue, E> {
        Ok(FactValue::Absent)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<FactValue, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(4));
        loop {
            self.ctx.path.borrow_mut().push(Seg::Index(out.len()));
            let next = seq.next_element_seed(ElementSeed {
                ctx: self.ctx,
                rec: self.rec,
            });
            self.ctx.path.borrow_mut().pop();
            match next? {
                Some(r) => out.push(r),
                None => break,
            }
        }
        Ok(FactValue::List(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<FactValue, A::Error> {
        Err(self.ctx.error("a list […]", &"an object"))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<FactValue, E> {
        Err(self.ctx.error("a list […]", &v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<FactValue, E> {
        Err(self.ctx.error("a list […]", &v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<FactValue, E> {
        Err(self.ctx.error("a list […]", &v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<FactValue, E> {
        Err(self.ctx.error("a list […]", &v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<FactValue, E> {
        Err(self.ctx.error("a list […]", &format_args!("{v:?}")))
    }
}

struct ElementSeed<'c, 's> {
    ctx: &'c Ctx<'s>,
    rec: RecId,
}

impl<'de> DeserializeSeed<'de> for ElementSeed<'_, '_> {
    type Value = Record;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Record, D::Error> {
        let ctx = self.ctx;
        match d.deserialize_any(NullOr(RecordVisitor {
            ctx,
            rec: self.rec,
            root: false,
        }))? {
            Some((_, r)) => Ok(r),
            None => Err(ctx.error("an object", &"null")),
        }
    }
}

struct ScalarVisitor<'c, 's> {
    ctx: &'c Ctx<'s>,
    ty: Ty,
}

impl ScalarVisitor<'_, '_> {
    fn want(&self) -> String {
        match self.ty {
            Ty::Bool => "true or false".into(),
            Ty::Int => "a whole number".into(),
            Ty::Money => "an amount in yuan as a string or integer, e.g. \"500000000\"".into(),
            Ty::Decimal | Ty::Percent => "a number as a string or integer".into(),
            Ty::Date => "a date YYYY-MM-DD".into(),
            Ty::Text => "a text".into(),
            Ty::Enum(e) => match self.ctx.schema.enums.get(e as usize) {
                Some(en) => format!("one of {}", en.variants.join(", ")),
                None => "an enumeration value".into(),
            },
            _ => "a value".into(),
        }
    }
    fn fail<E: de::Error>(&self, got: &dyn fmt::Display) -> E {
        self.ctx.error(&self.want(), got)
    }
}

impl<'de> Visitor<'de> for ScalarVisitor<'_, '_> {
    type Value = FactValue;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.want())
    }
    fn visit_unit<E: de::Error>(self) -> Result<FactValue, E> {
        Ok(FactValue::Absent)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<FactValue, E> {
        match self.ty {
            Ty::Bool => Ok(FactValue::Bool(v)),
            _ => Err(self.fail(&v)),
        }
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<FactValue, E> {
        match self.ty {
            Ty::Int => Ok(FactValue::Int(v)),
            Ty::Money | Ty::Decimal => Ok(FactValue::Num(Decimal::from(v))),
            Ty::Percent => Ok(FactValue::Num(Decimal::from(v) / Decimal::ONE_HUNDRED)),
            _ => Err(self.fail(&v)),
        }
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<FactValue, E> {
        match (self.ty, i64::try_from(v)) {
            (_, Ok(i)) => self.visit_i64(i),
            (_, Err(_)) => Err(self.fail(&format_args!("{v}, which is too large"))),
        }
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<FactValue, E> {
        // Numbers with a fraction, and integers too large for 64 bits, arrive as floats: never
        // take money or counts through a float.
        Err(self.fail(&format_args!(
            "the number {v}, which is not exact; write it as a string"
        )))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<FactValue, E> {
        match self.ty {
            Ty::Text => Ok(FactValue::Text(v.into())),
            Ty::Date => parse_date(v)
                .map(FactValue::Date)
                .ok_or_else(|| self.fail(&format_args!("{v:?}"))),
            Ty::Money | Ty::Decimal => parse_decimal(v)
                .map(FactValue::Num)
                .ok_or_else(|| self.fail(&format_args!("{v:?}"))),
            Ty::Percent => {
                let t = v.trim_end_matches('%');
                parse_decimal(t)
                    .map(|d| FactValue::Num(d / Decimal::ONE_HUNDRED))
                    .ok_or_else(|| self.fail(&format_args!("{v:?}")))
            }
            Ty::Enum(e) => {
                let en = &self.ctx.schema.enums[e as usize];
                match en.variants.iter().position(|x| x == v) {
                    Some(i) => Ok(FactValue::Enum(i as u16)),
                    None => Err(self.fail(&format_args!("{v:?}"))),
                }
            }
            _ => Err(self.fail(&format_args!("{v:?}"))),
        }
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<FactValue, A::Error> {
        Err(self.fail(&"an object"))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<FactValue, A::Error> {
        Err(self.fail(&"a list"))
    }
}

/// `YYYY-MM-DD`, a real calendar day, nothing more or less.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    // Digits read by hand: chrono's format-string parser cost about 19,000 instructions per case
    // file (it has a date in nearly every record). The calendar check stays chrono's.
    let num = |r: std::ops::Range<usize>| {
        b.get(r)?.iter().try_fold(0u32, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    NaiveDate::from_ymd_opt(i32::try_from(num(0..4)?).ok()?, num(5..7)?, num(8..10)?)
}

fn parse_decimal(s: &str) -> Option<Decimal> {
    // Amounts are nearly always whole yuan: up to 18 digits fit a u64 and need no decimal parser.
    let b = s.as_bytes();
    if !b.is_empty() && b.len() <= 18 && b.iter().all(u8::is_ascii_digit) {
        let n = b.iter().fold(0u64, |n, d| n * 10 + u64::from(d - b'0'));
        return Some(Decimal::from(n));
    }
    let t = s.trim();
    if t.is_empty()
        || !t
            .bytes()
            .all(|c| c.is_ascii_digit() || c == b'.' || c == b'-')
    {
        return None;
    }
    Decimal::from_str_exact(t).ok()
}

/// How deep a value the vocabulary does not know may nest before the case file is refused.
const MAX_SKIP_DEPTH: usize = 64;

/// Skips a value the vocabulary does not know, refusing absurd nesting instead of walking it.
struct Skip<'p> {
    at: &'p str,
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for Skip<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Skip<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        if self.depth >= MAX_SKIP_DEPTH {
            return Err(de::Error::custom(format!(
                "{}: the value nests more than {MAX_SKIP_DEPTH} levels deep",
                self.at
            )));
        }
        while seq
            .next_element_seed(Skip {
                at: self.at,
                depth: self.depth + 1,
            })?
            .is_some()
        {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        if self.depth >= MAX_SKIP_DEPTH {
            return Err(de::Error::custom(format!(
                "{}: the value nests more than {MAX_SKIP_DEPTH} levels deep",
                self.at
            )));
        }
        while map.next_key::<de::IgnoredAny>()?.is_some() {
            map.next_value_seed(Skip {
                at: self.at,
                depth: self.depth + 1,
            })?;
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::check::ir::{EnumSchema, FieldSchema, RecordSchema};
    use crate::syntax::ast::Labels;

    fn field(name: &str, ty: Ty) -> FieldSchema {
        FieldSchema {
            name: name.into(),
            ty,
            labels: Labels {
                zh: String::new(),
                en: String::new(),
            },
            attested: false,
            span: Default::default(),
        }
    }

    fn schema() -> Schema {
        Schema {
            records: vec![
                RecordSchema {
                    fields: vec![field("units", Ty::List(1))],
                    key: None,
                    incomplete: false,
                },
                RecordSchema {
                    fields: vec![
                        field("id", Ty::Text),
                        field("funds", Ty::Money),
                        field("kind", Ty::Enum(0)),
                        field("since", Ty::Date),
                    ],
                    key: Some(0),
                    incomplete: false,
                },
            ],
            enums: vec![EnumSchema {
                variants: vec!["a".into(), "b".into()],
                shared: vec!["a".into(), "b".into()],
            }],
        }
    }

    #[test]
    fn money_is_exact_from_strings_and_integers() {
        let f = parse_facts(&schema(), r#"{"as_of":"2026-01-01","units":[{"id":"x","funds":"3500000.5"},{"id":"y","funds":12}]}"#).unwrap();
        let FactValue::List(units) = &f.root.fields[0] else {
            panic!()
        };
        assert_eq!(
            units[0].fields[1],
            FactValue::Num(Decimal::new(35000005, 1))
        );
        assert_eq!(units[1].fields[1], FactValue::Num(Decimal::from(12)));
        assert_eq!(units[1].fields[2], FactValue::Absent);
    }

    #[test]
    fn errors_name_the_json_path() {
        let e = parse_facts(
            &schema(),
            r#"{"as_of":"2026-01-01","units":[{"id":"x"},{"kind":"c"}]}"#,
        )
        .unwrap_err();
        assert!(
            e.message
                .starts_with(r#"units[1].kind: expected one of a, b, got "c""#),
            "{e}"
        );
        let e = parse_facts(&schema(), r#"{"units":[{"since":"2024-02-30"}]}"#).unwrap_err();
        assert!(
            e.message
                .starts_with(r#"units[0].since: expected a date YYYY-MM-DD, got "2024-02-30""#),
            "{e}"
        );
    }

    #[test]
    fn unknown_fields_are_warnings_and_null_is_absent() {
        let f = parse_facts(
            &schema(),
            r#"{"as_of":null,"extra":[1,{"x":2}],"units":[{"id":"x","note":"n","funds":null}]}"#,
        )
        .unwrap();
        assert_eq!(
            f.warnings,
            vec![
                "`extra` is not in the vocabulary and was ignored",
                "`units[0].note` is not in the vocabulary and was ignored"
            ]
        );
        assert_eq!(f.as_of, None);
    }

    #[test]
    fn amounts_parse_exactly_on_both_paths() {
        assert_eq!(parse_decimal("500000000"), Some(Decimal::from(500_000_000)));
        assert_eq!(
            parse_decimal("999999999999999999"),
            Some(Decimal::from(999_999_999_999_999_999u64))
        );
        assert_eq!(
            parse_decimal("9999999999999999999"),
            Some(Decimal::from(9_999_999_999_999_999_999u64))
        );
        assert_eq!(parse_decimal("0"), Some(Decimal::ZERO));
        assert_eq!(parse_decimal("3500000.5"), Some(Decimal::new(35000005, 1)));
        assert_eq!(parse_decimal("-12"), Some(Decimal::from(-12)));
        assert_eq!(parse_decimal(""), None);
        assert_eq!(parse_decimal("1e5"), None);
        assert_eq!(parse_decimal("12 345"), None);
    }

    #[test]
    fn dates_must_be_exactly_yyyy_mm_dd() {
        assert!(parse_date("2024-02-29").is_some());
        assert!(parse_date("2023-02-29").is_none());
        assert!(parse_date("2024-2-9").is_none());
        assert!(parse_date("2024-02-29T00:00").is_none());
        assert_eq!(
            parse_date("2025-12-31"),
            NaiveDate::from_ymd_opt(2025, 12, 31)
        );
        for bad in [
            "+024-01-01",
            " 2024-1-01",
            "2024-1a-01",
            "2024-01- 1",
            "2024-13-01",
            "2024-00-10",
            "2024-04-31",
            "２０２４-01-01",
        ] {
            assert!(parse_date(bad).is_none(), "{bad}");
        }
    }
}
