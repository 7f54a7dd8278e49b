//! The serde reader of case files: the reference for every refusal. The fast reader in
//! [`super::facts`] reads a well-formed case in one pass and steps aside at the first thing it
//! would refuse; this walk then reads the file again and says why, in the words and at the line
//! and column case files have always been refused with (serde_json's, for JSON that is not JSON).

use super::facts::{at_least_zero, parse_date, parse_decimal, Facts, ReadOptions, Seen};
use super::keyed::duplicate_keys;
use super::refusal::{FactsError, FactsErrorKind};
use super::store::{Fact, Store, Stored};
use crate::check::error::nearest;
use crate::check::ir::{RecId, RecordSchema, Schema, Ty};
use crate::check::range::Range;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use std::cell::RefCell;
use std::fmt;

/// Read a case file (its byte order mark already stripped, not blank) through serde_json.
pub(super) fn read(schema: &Schema, json: &str, options: ReadOptions) -> Result<Facts, FactsError> {
    let ctx = Ctx {
        schema,
        lenient: options.lenient,
        warnings: RefCell::new(Vec::new()),
        source: json,
        store: RefCell::new(Store::new(json)),
        elements: RefCell::new(Vec::new()),
        refusal: RefCell::new(None),
    };
    let mut de = serde_json::Deserializer::from_str(json);
    let parsed = RootSeed { ctx: &ctx }
        .deserialize(&mut de)
        .and_then(|r| de.end().map(|_| r));
    match parsed {
        Ok((as_of, root)) => {
            let mut store = ctx.store.into_inner();
            store.set_root(root, schema.width(0));
            Ok(Facts::new(as_of, ctx.warnings.into_inner(), store))
        }
        Err(e) => Err(describe(e, ctx.refusal.into_inner())),
    }
}

/// The typed refusal behind a JSON reader's error: ours when the error is the one we raised
/// (serde carries it as words), else the JSON reader's own.
fn describe(e: serde_json::Error, ours: Option<FactsErrorKind>) -> FactsError {
    let msg = e.to_string();
    if let Some(kind) = ours {
        if msg.starts_with(&kind.to_string()) {
            return FactsError {
                kind,
                at: Some((e.line(), e.column())),
            };
        }
    }
    let kind = if msg.starts_with("recursion limit exceeded") {
        FactsErrorKind::TooDeep(msg)
    } else if e.is_eof() {
        FactsErrorKind::EndsEarly(msg)
    } else if e.is_syntax() && !msg.starts_with("number out of range") {
        // (A number too large for the reader, `1e400`, is JSON all the same.)
        // The reader's words ("expected value at line 1 column 1") do not say that the file is
        // not JSON at all, which is what the sender needs to hear first.
        FactsErrorKind::Json(format!("the case file is not valid JSON: {msg}"))
    } else {
        FactsErrorKind::Json(msg)
    };
    FactsError { kind, at: None }
}

#[derive(Clone, Copy)]
enum Seg<'s> {
    Field(&'s str),
    Index(usize),
}

/// Where a value stands in the case file: a chain of segments on the reader's own stack, so a
/// field costs two stores rather than a push and a pop; it is spelled out only for an error.
struct At<'p, 's> {
    seg: Seg<'s>,
    up: Path<'p, 's>,
}

type Path<'p, 's> = Option<&'p At<'p, 's>>;

/// `members[3].financials`, with `extra` appended as a field.
fn path_string(at: Path, extra: Option<&str>) -> String {
    let mut segs = Vec::new();
    let mut cur = at;
    while let Some(a) = cur {
        segs.push(a.seg);
        cur = a.up;
    }
    let mut s = String::new();
    for seg in segs.into_iter().rev() {
        push_seg(&mut s, seg);
    }
    if let Some(x) = extra {
        push_seg(&mut s, Seg::Field(x));
    }
    s
}

struct Ctx<'s> {
    schema: &'s Schema,
    lenient: bool,
    warnings: RefCell<Vec<String>>,
    /// The case file as read, to find where a borrowed text stands in it.
    source: &'s str,
    /// The refusal behind the error being raised (serde's errors carry only words).
    refusal: RefCell<Option<FactsErrorKind>>,
    /// The facts read so far.
    store: RefCell<Store>,
    /// Where the elements of the lists being read start, innermost list last: each list's
    /// starts move into the store together when it ends.
    elements: RefCell<Vec<u32>>,
}

/// The range of a value that has none (`as_of`).
static OPEN: Range = Range {
    min: None,
    max: None,
};

impl Ctx<'_> {
    /// Refuse the case file: keep the typed refusal, hand serde its words.
    fn refuse<E: de::Error>(&self, kind: FactsErrorKind) -> E {
        let e = E::custom(&kind);
        *self.refusal.borrow_mut() = Some(kind);
        e
    }

    /// "members[2].kind: expected one of …, got …"
    fn wrong<E: de::Error>(&self, at: Path, expected: &str, got: &dyn fmt::Display) -> E {
        self.refuse(FactsErrorKind::Value {
            path: path_string(at, None),
            expected: expected.to_string(),
            got: got.to_string(),
        })
    }

    /// A text the parser lends straight from the input (it has no escapes): a place in the
    /// case file's one copy. The check that `v` lies within the input only guards the arithmetic.
    fn text(&self, v: &str) -> Stored {
        let start = (v.as_ptr() as usize).wrapping_sub(self.source.as_ptr() as usize);
        let within = start
            .checked_add(v.len())
            .is_some_and(|end| end <= self.source.len());
        let mut store = self.store.borrow_mut();
        match within.then(|| store.text_in_file(start, start + v.len())) {
            Some(Some(t)) => t,
            _ => store.text_decoded(v),
        }
    }
}

fn push_seg(s: &mut String, seg: Seg) {
    match seg {
        Seg::Field(f) => {
            if !s.is_empty() {
                s.push('.');
            }
            s.push_str(f);
        }
        Seg::Index(i) => {
            use std::fmt::Write;
            let _ = write!(s, "[{i}]");
        }
    }
}

struct RootSeed<'c, 's> {
    ctx: &'c Ctx<'s>,
}

impl<'de> DeserializeSeed<'de> for RootSeed<'_, '_> {
    type Value = (Option<NaiveDate>, u32);
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(RecordVisitor {
            ctx: self.ctx,
            at: None,
            rec: 0,
            root: true,
            label: "the case file",
        })
    }
}

struct RecordVisitor<'c, 'p, 's> {
    ctx: &'c Ctx<'s>,
    at: Path<'p, 's>,
    rec: RecId,
    root: bool,
    /// What the record is, for "not a fact of …": the English label of the field holding it.
    label: &'s str,
}

impl<'s> RecordVisitor<'_, '_, 's> {
    fn twice<E: de::Error>(&self, name: &str) -> E {
        self.ctx.refuse(FactsErrorKind::GivenTwice {
            path: path_string(self.at, Some(name)),
        })
    }

    /// "not a fact of member units; did you mean tech_enterprise?"
    fn not_a_fact(&self, schema: &'s RecordSchema, name: &str) -> FactsErrorKind {
        let names = schema
            .fields
            .iter()
            .map(|f| f.name.as_str())
            .chain(self.root.then_some("as_of"));
        FactsErrorKind::NotAFact {
            path: path_string(self.at, Some(name)),
            of: self.label.to_string(),
            nearest: nearest(name, names).map(str::to_string),
        }
    }
}

impl<'de, 's> Visitor<'de> for RecordVisitor<'_, '_, 's> {
    type Value = (Option<NaiveDate>, u32);
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        if self.root {
            f.write_str("a JSON object with `as_of` and the facts")
        } else {
            f.write_str("a JSON object")
        }
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let ctx = self.ctx;
        let schema: &'s RecordSchema = &ctx.schema.records[self.rec as usize];
        let start = ctx.store.borrow_mut().open(schema.fields.len());
        let mut seen = Seen::new(schema.fields.len());
        let mut as_of = None;
        let mut as_of_seen = false;
        // Only a lenient reader gets past an unknown key; it still refuses one given twice.
        let mut unknown_seen: Vec<String> = Vec::new();
        // Case files mostly list fields in the vocabulary's order: try the next one first.
        let mut guess = 0usize;
        while let Some(key) = map.next_key_seed(KeySeed {
            schema,
            guess,
            root: self.root,
        })? {
            match key {
                Key::AsOf => {
                    if std::mem::replace(&mut as_of_seen, true) {
                        return Err(self.twice("as_of"));
                    }
                    let at = At {
                        seg: Seg::Field("as_of"),
                        up: self.at,
                    };
                    as_of = match map.next_value_seed(FieldSeed {
                        ctx,
                        at: &at,
                        ty: Ty::Date,
                        range: &OPEN,
                        label: "",
                    })? {
                        Stored::Date(d) => Some(d),
                        _ => None,
                    };
                }
                Key::Field(i) => {
                    guess = i + 1;
                    let f = &schema.fields[i];
                    if !seen.insert(i) {
                        return Err(self.twice(&f.name));
                    }
                    let at = At {
                        seg: Seg::Field(f.name.as_str()),
                        up: self.at,
                    };
                    let v = map.next_value_seed(FieldSeed {
                        ctx,
                        at: &at,
                        ty: f.ty,
                        range: &f.range,
                        label: f.labels.en.as_str(),
                    })?;
                    ctx.store.borrow_mut().set(start, i, v);
                }
                Key::Unknown(name) => {
                    let refusal = self.not_a_fact(schema, &name);
                    if !ctx.lenient {
                        return Err(ctx.refuse(refusal));
                    }
                    if unknown_seen.contains(&name) {
                        return Err(self.twice(&name));
                    }
                    let p = path_string(self.at, Some(&name));
                    map.next_value_seed(Skip {
                        ctx,
                        at: &p,
                        depth: 0,
                    })?;
                    ctx.warnings
                        .borrow_mut()
                        .push(format!("{refusal} (ignored)"));
                    unknown_seen.push(name);
                }
            }
        }
        Ok((as_of, start))
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
    schema: &'r RecordSchema,
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

struct FieldSeed<'c, 'p, 's> {
    ctx: &'c Ctx<'s>,
    at: &'p At<'p, 's>,
    ty: Ty,
    range: &'s Range,
    label: &'s str,
}

impl<'de, 's> DeserializeSeed<'de> for FieldSeed<'_, '_, 's> {
    type Value = Stored;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Stored, D::Error> {
        match self.ty {
            Ty::Record(r) => d
                .deserialize_any(NullOr(RecordVisitor {
                    ctx: self.ctx,
                    at: Some(self.at),
                    rec: r,
                    root: false,
                    label: self.label,
                }))
                .map(|o| {
                    o.map_or(Stored::Absent, |(_, start)| {
                        Store::rec(start, self.ctx.schema.width(r))
                    })
                }),
            Ty::List(r) => d.deserialize_any(ListVisitor {
                ctx: self.ctx,
                at: self.at,
                rec: r,
                label: self.label,
            }),
            _ => d.deserialize_any(ScalarVisitor {
                ctx: self.ctx,
                at: self.at,
                ty: self.ty,
                range: self.range,
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

struct ListVisitor<'c, 'p, 's> {
    ctx: &'c Ctx<'s>,
    at: &'p At<'p, 's>,
    rec: RecId,
    label: &'s str,
}

impl<'de> Visitor<'de> for ListVisitor<'_, '_, '_> {
    type Value = Stored;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Stored, E> {
        Ok(Stored::Absent)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Stored, A::Error> {
        // This list's element starts go on the shared stack above `base` (a nested list's are
        // moved out before its element is pushed), then into the store together.
        let base = self.ctx.elements.borrow().len();
        loop {
            let at = At {
                seg: Seg::Index(self.ctx.elements.borrow().len().saturating_sub(base)),
                up: Some(self.at),
            };
            let next = seq.next_element_seed(ElementSeed {
                ctx: self.ctx,
                at: &at,
                rec: self.rec,
                label: self.label,
            });
            match next? {
                Some(r) => self.ctx.elements.borrow_mut().push(r),
                None => break,
            }
        }
        let width = self.ctx.schema.width(self.rec);
        let list = {
            let mut elements = self.ctx.elements.borrow_mut();
            self.ctx
                .store
                .borrow_mut()
                .list(elements.drain(base..), width)
        };
        let schema = &self.ctx.schema.records[self.rec as usize];
        let store = self.ctx.store.borrow();
        if let (Some(key), Fact::List(out)) = (schema.key, store.fact(&list)) {
            if let Some((a, b)) = duplicate_keys(out, key as usize) {
                let name = schema.fields[key as usize].name.as_str();
                let at = |i: usize| {
                    let mut p = path_string(Some(self.at), None);
                    push_seg(&mut p, Seg::Index(i));
                    push_seg(&mut p, Seg::Field(name));
                    p
                };
                let value = match out.get(a).and_then(|r| r.get(key as usize)) {
                    Some(Fact::Text(t)) => format!("{t:?}"),
                    Some(Fact::Int(i)) => i.to_string(),
                    other => format!("{other:?}"),
                };
                return Err(self.ctx.refuse(FactsErrorKind::SameKey {
                    first: at(a),
                    second: at(b),
                    value,
                    key: name.to_string(),
                }));
            }
        }
        Ok(list)
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<Stored, A::Error> {
        Err(self.ctx.wrong(Some(self.at), "a list […]", &"an object"))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Stored, E> {
        Err(self.ctx.wrong(Some(self.at), "a list […]", &v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Stored, E> {
        Err(self.ctx.wrong(Some(self.at), "a list […]", &v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Stored, E> {
        Err(self.ctx.wrong(Some(self.at), "a list […]", &v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Stored, E> {
        Err(self.ctx.wrong(Some(self.at), "a list […]", &v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Stored, E> {
        Err(self
            .ctx
            .wrong(Some(self.at), "a list […]", &format_args!("{v:?}")))
    }
}

struct ElementSeed<'c, 'p, 's> {
    ctx: &'c Ctx<'s>,
    at: &'p At<'p, 's>,
    rec: RecId,
    label: &'s str,
}

impl<'de> DeserializeSeed<'de> for ElementSeed<'_, '_, '_> {
    /// Where the element starts in the store.
    type Value = u32;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<u32, D::Error> {
        let ctx = self.ctx;
        match d.deserialize_any(NullOr(RecordVisitor {
            ctx,
            at: Some(self.at),
            rec: self.rec,
            root: false,
            label: self.label,
        }))? {
            Some((_, r)) => Ok(r),
            None => Err(ctx.wrong(Some(self.at), "an object", &"null")),
        }
    }
}

struct ScalarVisitor<'c, 'p, 's> {
    ctx: &'c Ctx<'s>,
    at: &'p At<'p, 's>,
    ty: Ty,
    range: &'s Range,
}

impl ScalarVisitor<'_, '_, '_> {
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
        self.ctx.wrong(Some(self.at), &self.want(), got)
    }
    /// The range nearly every amount and count has, `>= 0`: a sign test settles it, where the
    /// general check compares decimals twice.
    fn at_least_zero(&self) -> bool {
        at_least_zero(self.range)
    }
    /// `v` (in the case file's units) within the field's stated range, or the bound it breaks.
    fn in_range<E: de::Error>(&self, v: Decimal, got: &dyn fmt::Display) -> Result<(), E> {
        if self.at_least_zero() && !v.is_sign_negative() {
            return Ok(());
        }
        match self.range.violated(v) {
            None => Ok(()),
            Some(side) => Err(self.ctx.wrong(Some(self.at), &side.to_string(), got)),
        }
    }
}

impl<'de> Visitor<'de> for ScalarVisitor<'_, '_, '_> {
    type Value = Stored;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.want())
    }
    fn visit_unit<E: de::Error>(self) -> Result<Stored, E> {
        Ok(Stored::Absent)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Stored, E> {
        match self.ty {
            Ty::Bool => Ok(Stored::Bool(v)),
            _ => Err(self.fail(&v)),
        }
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Stored, E> {
        let settled = self.range.is_open() || (v >= 0 && self.at_least_zero());
        if self.ty.is_numeric() && !settled {
            self.in_range(Decimal::from(v), &v)?;
        }
        match self.ty {
            Ty::Int => Ok(Stored::Int(v)),
            Ty::Money | Ty::Decimal => Ok(Stored::Num(Decimal::from(v))),
            Ty::Percent => Ok(Stored::Num(Decimal::from(v) / Decimal::ONE_HUNDRED)),
            _ => Err(self.fail(&v)),
        }
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Stored, E> {
        match (self.ty, i64::try_from(v)) {
            (_, Ok(i)) => self.visit_i64(i),
            (_, Err(_)) => Err(self.fail(&format_args!("{v}, which is too large"))),
        }
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Stored, E> {
        // Numbers with a fraction, and integers too large for 64 bits, arrive as floats: never
        // take money or counts through a float.
        Err(self.fail(&format_args!(
            "the number {v}, which is not exact; write it as a string"
        )))
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Stored, E> {
        match self.ty {
            Ty::Text => Ok(self.ctx.text(v)),
            _ => self.visit_str(v),
        }
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Stored, E> {
        let number = |t: &str| -> Result<Decimal, E> {
            let d = parse_decimal(t).ok_or_else(|| self.fail(&format_args!("{v:?}")))?;
            if !self.range.is_open() {
                self.in_range(d, &format_args!("{v:?}"))?;
            }
            Ok(d)
        };
        match self.ty {
            // Escaped in the file: the parser's unescaped copy is only lent, so keep our own.
            Ty::Text => Ok(self.ctx.store.borrow_mut().text_decoded(v)),
            Ty::Date => parse_date(v)
                .map(Stored::Date)
                .ok_or_else(|| self.fail(&format_args!("{v:?}"))),
            Ty::Money | Ty::Decimal => number(v).map(Stored::Num),
            Ty::Percent => {
                number(v.trim_end_matches('%')).map(|d| Stored::Num(d / Decimal::ONE_HUNDRED))
            }
            Ty::Enum(e) => {
                let en = &self.ctx.schema.enums[e as usize];
                match en.variants.iter().position(|x| x == v) {
                    Some(i) => Ok(Stored::Enum(i as u16)),
                    None => Err(self.fail(&format_args!("{v:?}"))),
                }
            }
            _ => Err(self.fail(&format_args!("{v:?}"))),
        }
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<Stored, A::Error> {
        Err(self.fail(&"an object"))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<Stored, A::Error> {
        Err(self.fail(&"a list"))
    }
}

/// How deep a value the vocabulary does not know may nest before the case file is refused.
const MAX_SKIP_DEPTH: usize = 64;

/// Skips a value the vocabulary does not know, refusing absurd nesting instead of walking it.
struct Skip<'c, 'p, 's> {
    ctx: &'c Ctx<'s>,
    at: &'p str,
    depth: usize,
}

impl Skip<'_, '_, '_> {
    fn too_deep<E: de::Error>(&self) -> E {
        self.ctx.refuse(FactsErrorKind::SkippedTooDeep {
            path: self.at.to_string(),
            max: MAX_SKIP_DEPTH,
        })
    }
}

impl<'de> DeserializeSeed<'de> for Skip<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Skip<'_, '_, '_> {
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
            return Err(self.too_deep());
        }
        while seq
            .next_element_seed(Skip {
                ctx: self.ctx,
                at: self.at,
                depth: self.depth + 1,
            })?
            .is_some()
        {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        if self.depth >= MAX_SKIP_DEPTH {
            return Err(self.too_deep());
        }
        // Even a value nobody reads may not say one thing twice (only lenient readers get here).
        let mut keys: Vec<String> = Vec::new();
        while let Some(k) = map.next_key::<String>()? {
            if keys.contains(&k) {
                return Err(self.ctx.refuse(FactsErrorKind::SkippedKeyTwice {
                    path: self.at.to_string(),
                    key: k,
                }));
            }
            map.next_value_seed(Skip {
                ctx: self.ctx,
                at: self.at,
                depth: self.depth + 1,
            })?;
            keys.push(k);
        }
        Ok(())
    }
}
