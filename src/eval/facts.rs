//! Case files read straight into typed facts, guided by the vocabulary: no untyped JSON tree,
//! money never through a float, every error with its JSON path.
//!
//! Two readers share the work. The fast one below reads a case file in one pass over its bytes
//! (`super::json`): keys compared as bytes against the record's fields, texts left where they
//! stand in the file, whole numbers straight into facts. At the first thing it would refuse, or
//! does not read (an unknown field, a key with escapes), it steps aside and the serde reader
//! (`super::serde_walk`) reads the file again: every refusal keeps the words, path, line and
//! column it has always had, from one place.
//!
//! Ambiguous files are refused rather than guessed at (vocabulary v1.1): a key given twice in one
//! object, two entries of a keyed list with one key, a field the vocabulary does not know (unless
//! the reader is lenient), a number outside its field's stated range.

use super::json::{same, Bail, Cursor, Fast, Str};
use super::keyed::duplicate_keys;
pub use super::refusal::{FactsError, FactsErrorKind};
use super::serde_walk;
pub use super::store::{Fact, List, Record};
use super::store::{Store, Stored};
pub use super::text::Text;
use crate::check::ir::{FieldSchema, RecId, Schema, Ty};
use crate::check::range::Range;
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// A parsed case file.
#[derive(Debug, Clone, PartialEq)]
pub struct Facts {
    pub as_of: Option<NaiveDate>,
    /// Fields the vocabulary does not know, skipped by a lenient reader (a strict one refuses them).
    pub warnings: Vec<String>,
    store: Store,
}

impl Facts {
    pub(super) fn new(as_of: Option<NaiveDate>, warnings: Vec<String>, store: Store) -> Facts {
        Facts {
            as_of,
            warnings,
            store,
        }
    }

    /// The case itself: the record of the vocabulary's first schema.
    pub fn root(&self) -> Record<'_> {
        self.store.root()
    }
}

/// How a case file is read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// A field the vocabulary does not know becomes a warning instead of an error.
    pub lenient: bool,
}

/// Read a case file strictly: every field must be in the vocabulary.
pub fn parse_facts(schema: &Schema, json: &str) -> Result<Facts, FactsError> {
    parse_facts_with(schema, json, ReadOptions::default())
}

/// Read a case file; a lenient reader skips fields the vocabulary does not know, with a warning.
pub fn parse_facts_with(
    schema: &Schema,
    json: &str,
    options: ReadOptions,
) -> Result<Facts, FactsError> {
    // A byte order mark is how some editors start UTF-8; it says nothing about the case.
    let json = json.strip_prefix('\u{feff}').unwrap_or(json);
    if json.trim().is_empty() {
        return Err(FactsError {
            kind: FactsErrorKind::Empty,
            at: None,
        });
    }
    match read_fast(schema, json) {
        Ok((as_of, store)) => Ok(Facts::new(as_of, Vec::new(), store)),
        // The serde reader reads it again: it refuses the file in its words, or (lenient, past
        // unknown fields) reads it with its warnings.
        Err(Bail) => serde_walk::read(schema, json, options),
    }
}

/// Which fields of one JSON object were given: a bitset, in one machine word for up to 64 fields
/// (a u128 costs several instructions a test on x86-64).
pub(super) struct Seen {
    small: u64,
    large: Vec<u64>,
}

impl Seen {
    pub(super) fn new(n: usize) -> Seen {
        Seen {
            small: 0,
            large: if n > 64 {
                vec![0; n.div_ceil(64)]
            } else {
                Vec::new()
            },
        }
    }
    /// Mark field `i`; false when it was already marked.
    pub(super) fn insert(&mut self, i: usize) -> bool {
        if self.large.is_empty() {
            let bit = 1u64 << (i & 63);
            let fresh = self.small & bit == 0;
            self.small |= bit;
            fresh
        } else {
            let (w, bit) = (i / 64, 1u64 << (i % 64));
            match self.large.get_mut(w) {
                Some(word) => {
                    let fresh = *word & bit == 0;
                    *word |= bit;
                    fresh
                }
                None => true,
            }
        }
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

pub(super) fn parse_decimal(s: &str) -> Option<Decimal> {
    // Amounts are nearly always whole yuan: up to 18 digits fit a u64 and need no decimal parser.
    let b = s.as_bytes();
    if !b.is_empty() && b.len() <= 18 {
        let whole = b.iter().try_fold(0u64, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + u64::from(d - b'0'))
        });
        if let Some(n) = whole {
            return Some(Decimal::from(n));
        }
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

/// The fast reader alone (the serde reader's work when it steps aside).
pub(super) fn read_fast(schema: &Schema, json: &str) -> Fast<(Option<NaiveDate>, Store)> {
    KEY_ORDERS.with(|memo| {
        let mut memo = memo.borrow_mut();
        let mut reader = Reader::new(schema, json);
        memo.lend_to(&mut reader);
        let read = reader.case();
        memo.take_back(&mut reader);
        read.map(|as_of| (as_of, reader.store))
    })
}

thread_local! {
    /// The key orders this thread's reader learnt, kept from one case to the next.
    static KEY_ORDERS: std::cell::RefCell<KeyOrders> = std::cell::RefCell::default();
}

/// What [`Reader`] learnt of the order of keys, kept between cases: the cases of a batch spell
/// their keys alike, and memory that started empty for every case missed the first key after
/// each optional field left out (about 22 keys a case of 212, each read and looked up in full;
/// issue 12). It belongs to one vocabulary, known by its address and size; a guess is always
/// checked against the key itself (a guessed key without its `:` bails, see `guessed`), so
/// memory of another vocabulary can cost misses, never a wrong field or another answer.
#[derive(Default)]
struct KeyOrders {
    schema: usize,
    starts: Vec<usize>,
    /// One slot a record and one a field of each, as [`Reader::orders`].
    orders: Vec<u16>,
    /// [`Reader::elements`]' vector, emptied: kept so a case does not grow it afresh.
    elements: Vec<u32>,
}

impl KeyOrders {
    /// Hands the memory to `reader`, started afresh when it is of another vocabulary.
    fn lend_to(&mut self, reader: &mut Reader<'_>) {
        let schema = reader.schema;
        let slots: usize = schema.records.iter().map(|r| 1 + r.fields.len()).sum();
        let id = std::ptr::from_ref(schema) as usize;
        // Empty vectors (a panic while they were lent out) are rebuilt too, by their lengths.
        if self.schema != id
            || self.orders.len() != slots
            || self.starts.len() != schema.records.len()
        {
            let mut n = 0;
            self.starts = (schema.records.iter())
                .map(|r| {
                    let start = n;
                    n += 1 + r.fields.len();
                    start
                })
                .collect();
            self.orders = vec![NO_FIELD; slots];
            self.schema = id;
        }
        reader.starts = std::mem::take(&mut self.starts);
        reader.orders = std::mem::take(&mut self.orders);
        reader.elements = std::mem::take(&mut self.elements);
        reader.elements.clear();
    }

    fn take_back(&mut self, reader: &mut Reader<'_>) {
        self.starts = std::mem::take(&mut reader.starts);
        self.orders = std::mem::take(&mut reader.orders);
        // Kept unless a rare huge list grew it: it must not stay that large for every case.
        if reader.elements.capacity() <= 1 << 14 {
            self.elements = std::mem::take(&mut reader.elements);
        }
    }
}

/// Records nested deeper than this are left to the serde reader (its recursion limit is 128
/// levels of objects and lists; no vocabulary comes near either).
const MAX_DEPTH: u32 = 100;

/// The fast reader: one pass over a case file, guided by the vocabulary. Every `Err(Bail)` hands
/// the file to the serde reader, so this only has to be right about what it accepts: exactly
/// what the serde reader accepts, read to the same facts (tests compare the two).
struct Reader<'s> {
    schema: &'s Schema,
    cur: Cursor<'s>,
    /// The facts read so far.
    store: Store,
    /// Where the elements of the lists being read start, innermost list last: each list's
    /// starts move into the store together when it ends.
    elements: Vec<u32>,
    /// The order of keys in the objects this thread has read (kept between cases: see
    /// [`KeyOrders`]), to guess each next key: the entries of a
    /// list spell their keys in one order, and that is not always the vocabulary's. For record r,
    /// `orders[starts[r]]` is the field its last object began with, `orders[starts[r] + 1 + i]`
    /// the field that last followed field i (a successor, so an optional field left out costs
    /// one miss, not the rest of the object).
    orders: Vec<u16>,
    starts: Vec<usize>,
    depth: u32,
}

impl<'s> Reader<'s> {
    fn new(schema: &'s Schema, text: &'s str) -> Reader<'s> {
        Reader {
            schema,
            cur: Cursor::new(text),
            store: Store::new(text),
            elements: Vec::new(),
            orders: Vec::new(),
            starts: Vec::new(),
            depth: 0,
        }
    }

    /// The whole file: one object, then nothing but whitespace. `starts` and `orders` are set.
    fn case(&mut self) -> Fast<Option<NaiveDate>> {
        self.cur.eat(b'{')?;
        let (as_of, start) = self.record(0, true)?;
        self.store.set_root(start, self.schema.width(0));
        if self.cur.at_end() {
            Ok(as_of)
        } else {
            Err(Bail)
        }
    }

    /// The fields of a record of schema `rec`, its `{` read; `as_of` too at the root. Where
    /// the record starts in the store.
    fn record(&mut self, rec: RecId, root: bool) -> Fast<(Option<NaiveDate>, u32)> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Bail);
        }
        let schema: &'s Schema = self.schema;
        let fields_of = &schema.records.get(rec as usize).ok_or(Bail)?.fields;
        let at = self.store.open(fields_of.len());
        let mut seen = Seen::new(fields_of.len());
        let mut as_of: Option<Option<NaiveDate>> = None;
        // `orders[start]` guesses this record's first key, `orders[start + 1 + i]` the key after
        // field i; without a guess, the vocabulary's order: the field after the last one.
        let start = self.starts.get(rec as usize).copied().ok_or(Bail)?;
        let mut hint = start;
        let mut next = 0usize;
        if !self.cur.eat_if(b'}') {
            loop {
                // The guessed key is matched in place, without scanning it as a string (the root,
                // with its `as_of`, always scans: few keys, and `as_of` comes first there).
                let guessed = if root {
                    None
                } else {
                    self.guessed(fields_of, hint, next)?
                };
                let i = match guessed {
                    Some(i) => i,
                    None => {
                        let key = self.cur.key()?;
                        self.cur.eat(b':')?;
                        if root && key == b"as_of" {
                            if as_of.is_some() {
                                return Err(Bail);
                            }
                            as_of = Some(match self.cur.peek() {
                                Some(b'n') => self.cur.word(b"null").map(|_| None)?,
                                _ => Some(self.date()?),
                            });
                            if self.more(b'}')? {
                                continue;
                            }
                            break;
                        }
                        (fields_of.iter())
                            .position(|f| same(f.name.as_bytes(), key))
                            .ok_or(Bail)?
                    }
                };
                if let (Some(slot), Ok(i)) = (self.orders.get_mut(hint), u16::try_from(i)) {
                    *slot = i;
                }
                if !seen.insert(i) {
                    return Err(Bail);
                }
                hint = start + 1 + i;
                next = i + 1;
                let f = fields_of.get(i).ok_or(Bail)?;
                self.value(f, at, i)?;
                if !self.more(b'}')? {
                    break;
                }
            }
        }
        self.depth -= 1;
        Ok((as_of.flatten(), at))
    }

    /// The field guessed at `hint` (or `next`) when its key comes next, read with its `:`;
    /// `None` (nothing read) when another key comes next. A guessed key without its `:` is
    /// malformed JSON and bails: going on to read the next string as the key would have taken
    /// `{"id" "name": …}` for `{"name": …}`, which the serde reader refuses.
    #[inline]
    fn guessed(
        &mut self,
        fields_of: &[FieldSchema],
        hint: usize,
        next: usize,
    ) -> Fast<Option<usize>> {
        let remembered = self.orders.get(hint).copied().unwrap_or(NO_FIELD);
        let guess = if remembered == NO_FIELD {
            next
        } else {
            usize::from(remembered)
        };
        match fields_of.get(guess) {
            Some(f) if self.cur.key_is(f.name.as_bytes()) => {
                self.cur.eat(b':')?;
                Ok(Some(guess))
            }
            _ => Ok(None),
        }
    }

    /// After a member of an object or list: true when a `,` says another follows, false at the
    /// `close` that ends it.
    #[inline]
    fn more(&mut self, close: u8) -> Fast<bool> {
        if self.cur.eat_if(b',') {
            Ok(true)
        } else {
            self.cur.eat(close).map(|_| false)
        }
    }

    /// The value of field `f`, after its `:`, read into fact `i` of the record at `at`. Each
    /// kind is stored where it is read: a `Stored` handed back through `Fast` was moved a field
    /// at a time, some 3,000 instructions a case (issue 12).
    #[inline(always)]
    fn value(&mut self, f: &'s FieldSchema, at: u32, i: usize) -> Fast<()> {
        let first = self.cur.peek().ok_or(Bail)?;
        if first == b'n' {
            // The fact is already absent: the store opened the record so.
            return self.cur.word(b"null");
        }
        match (f.ty, first) {
            (Ty::Record(r), b'{') => {
                self.cur.eat(b'{')?;
                let (_, start) = self.record(r, false)?;
                let width = self.schema.width(r);
                self.store.set(at, i, Store::rec(start, width));
            }
            (Ty::List(r), b'[') => {
                let list = self.list(r)?;
                self.store.set(at, i, list);
            }
            (Ty::Record(_) | Ty::List(_), _) => return Err(Bail),
            (_, b'"') => match self.cur.string()? {
                Str::Plain(start, end) => {
                    if f.ty == Ty::Text {
                        let text = self.store.text_in_file(start, end).ok_or(Bail)?;
                        self.store.set(at, i, text);
                    } else {
                        self.scalar(f, self.cur.slice(start, end)?, at, i)?;
                    }
                }
                Str::Decoded(s) if f.ty == Ty::Text => {
                    let text = self.store.text_decoded(&s);
                    self.store.set(at, i, text);
                }
                Str::Decoded(s) => self.scalar(f, &s, at, i)?,
            },
            (Ty::Bool, b't') => {
                self.cur.word(b"true")?;
                self.store.set(at, i, Stored::Bool(true));
            }
            (Ty::Bool, b'f') => {
                self.cur.word(b"false")?;
                self.store.set(at, i, Stored::Bool(false));
            }
            (_, b'-' | b'0'..=b'9') => {
                let n = self.cur.integer()?;
                self.store.set(at, i, whole(f, n)?);
            }
            _ => return Err(Bail),
        }
        Ok(())
    }

    /// A list of records of schema `r`, its `[` next; a keyed list's keys all differ.
    fn list(&mut self, r: RecId) -> Fast<Stored> {
        self.cur.eat(b'[')?;
        // This list's element starts go on the shared stack above `base` (a nested list's are
        // moved out before its element is pushed), then into the store together.
        let base = self.elements.len();
        if !self.cur.eat_if(b']') {
            loop {
                self.cur.eat(b'{')?;
                let (_, start) = self.record(r, false)?;
                self.elements.push(start);
                if !self.more(b']')? {
                    break;
                }
            }
        }
        let width = self.schema.width(r);
        let list = self.store.list(self.elements.drain(base..), width);
        let key = self.schema.records.get(r as usize).and_then(|s| s.key);
        match (key, self.store.fact(&list)) {
            (Some(k), Fact::List(l)) if duplicate_keys(l, k as usize).is_some() => Err(Bail),
            _ => Ok(list),
        }
    }

    /// `as_of`: a date string.
    fn date(&mut self) -> Fast<NaiveDate> {
        match self.cur.string()? {
            Str::Plain(start, end) => parse_date(self.cur.slice(start, end)?),
            Str::Decoded(s) => parse_date(&s),
        }
        .ok_or(Bail)
    }

    /// A fact given as a string (not a text), into fact `i` of the record at `at`: a date, an
    /// amount, a percent, an enumeration value.
    fn scalar(&mut self, f: &FieldSchema, v: &str, at: u32, i: usize) -> Fast<()> {
        let number =
            |t: &str| parse_decimal(t).filter(|&d| f.range.is_open() || within(&f.range, d));
        let fact = match f.ty {
            Ty::Date => parse_date(v).map(Stored::Date),
            Ty::Money | Ty::Decimal => number(v).map(Stored::Num),
            Ty::Percent => {
                number(v.trim_end_matches('%')).map(|d| Stored::Num(d / Decimal::ONE_HUNDRED))
            }
            Ty::Enum(e) => self
                .schema
                .enums
                .get(e as usize)
                .and_then(|en| (en.variants.iter()).position(|x| same(x.as_bytes(), v.as_bytes())))
                .and_then(|i| u16::try_from(i).ok())
                .map(Stored::Enum),
            _ => None,
        };
        self.store.set(at, i, fact.ok_or(Bail)?);
        Ok(())
    }
}

/// No field remembered at this place.
const NO_FIELD: u16 = u16::MAX;

/// A fact given as a whole JSON number.
fn whole(f: &FieldSchema, v: i64) -> Fast<Stored> {
    let settled = f.range.is_open() || (v >= 0 && at_least_zero(&f.range));
    if f.ty.is_numeric() && !settled && !within(&f.range, Decimal::from(v)) {
        return Err(Bail);
    }
    match f.ty {
        Ty::Int => Ok(Stored::Int(v)),
        Ty::Money | Ty::Decimal => Ok(Stored::Num(Decimal::from(v))),
        Ty::Percent => Ok(Stored::Num(Decimal::from(v) / Decimal::ONE_HUNDRED)),
        _ => Err(Bail),
    }
}

/// The range nearly every amount and count has, `>= 0`: a sign test settles it, where the
/// general check compares decimals twice.
pub(super) fn at_least_zero(range: &Range) -> bool {
    matches!(range, Range { min: Some(lo), max: None } if lo.inclusive && lo.value.is_zero())
}

/// `v` (in the case file's units) within the stated range.
pub(super) fn within(range: &Range, v: Decimal) -> bool {
    (at_least_zero(range) && !v.is_sign_negative()) || range.violated(v).is_none()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::check::ir::{EnumSchema, FieldSchema, RecordSchema};
    use crate::syntax::ast::Labels;

    fn field(name: &str, ty: Ty) -> FieldSchema {
        let en = if name == "units" { "units" } else { "" };
        FieldSchema {
            name: name.into(),
            ty,
            range: Default::default(),
            labels: Labels {
                zh: String::new(),
                en: en.into(),
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
                labels: vec![None, None],
                spans: Vec::new(),
            }],
        }
    }

    #[test]
    fn money_is_exact_from_strings_and_integers() {
        let f = parse_facts(&schema(), r#"{"as_of":"2026-01-01","units":[{"id":"x","funds":"3500000.5"},{"id":"y","funds":12}]}"#).unwrap();
        let Some(Fact::List(units)) = f.root().get(0) else {
            panic!()
        };
        let fact = |u: usize, i: usize| units.get(u).and_then(|r| r.get(i));
        assert_eq!(fact(0, 1), Some(Fact::Num(Decimal::new(35000005, 1))));
        assert_eq!(fact(1, 1), Some(Fact::Num(Decimal::from(12))));
        assert_eq!(fact(1, 2), Some(Fact::Absent));
    }

    #[test]
    fn errors_name_the_json_path() {
        let e = parse_facts(
            &schema(),
            r#"{"as_of":"2026-01-01","units":[{"id":"x"},{"kind":"c"}]}"#,
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .starts_with(r#"units[1].kind: expected one of a, b, got "c""#),
            "{e}"
        );
        let e = parse_facts(&schema(), r#"{"units":[{"since":"2024-02-30"}]}"#).unwrap_err();
        assert!(
            e.to_string()
                .starts_with(r#"units[0].since: expected a date YYYY-MM-DD, got "2024-02-30""#),
            "{e}"
        );
    }

    #[test]
    fn unknown_fields_are_errors_or_lenient_warnings_and_null_is_absent() {
        let json =
            r#"{"as_of":null,"extra":[1,{"x":2}],"units":[{"id":"x","fund":"n","funds":null}]}"#;
        let e = parse_facts(&schema(), json).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("extra: not a fact of the case file at line 1"),
            "{e}"
        );
        let f = parse_facts_with(&schema(), json, ReadOptions { lenient: true }).unwrap();
        assert_eq!(
            f.warnings,
            vec![
                "extra: not a fact of the case file (ignored)",
                "units[0].fund: not a fact of units; did you mean funds? (ignored)"
            ]
        );
        assert_eq!(f.as_of, None);
    }

    #[test]
    fn a_key_given_twice_is_refused_even_where_it_is_skipped() {
        let e =
            parse_facts(&schema(), r#"{"units":[{"id":"x","funds":1,"funds":2}]}"#).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("units[0].funds: given twice in one object"),
            "{e}"
        );
        let e =
            parse_facts(&schema(), r#"{"as_of":"2026-01-01","as_of":"2026-01-02"}"#).unwrap_err();
        assert!(e.to_string().starts_with("as_of: given twice"), "{e}");
        let lenient = ReadOptions { lenient: true };
        let e = parse_facts_with(&schema(), r#"{"x":1,"x":2}"#, lenient).unwrap_err();
        assert!(e.to_string().starts_with("x: given twice"), "{e}");
        let e = parse_facts_with(&schema(), r#"{"x":{"a":1,"a":2}}"#, lenient).unwrap_err();
        assert!(
            e.to_string()
                .starts_with(r#"x: the key "a" is given twice"#),
            "{e}"
        );
    }

    #[test]
    fn two_entries_with_one_key_are_refused_naming_both() {
        let e = parse_facts(
            &schema(),
            r#"{"units":[{"id":"x"},{"id":"y"},{},{"id":"x"}]}"#,
        )
        .unwrap_err();
        assert!(
            e.to_string().starts_with(
                r#"units[0].id and units[3].id are both "x"; each entry of the list needs its own id"#
            ),
            "{e}"
        );
        assert!(parse_facts(&schema(), r#"{"units":[{"id":"x"},{},{},{"id":"y"}]}"#).is_ok());
    }

    #[test]
    fn refusals_are_typed_with_their_paths() {
        let e = parse_facts(&schema(), r#"{"units":[{"id":"x"},{"id":"x"}]}"#).unwrap_err();
        assert_eq!(
            e.kind,
            FactsErrorKind::SameKey {
                first: "units[0].id".into(),
                second: "units[1].id".into(),
                value: "\"x\"".into(),
                key: "id".into(),
            }
        );
        assert_eq!(e.at, Some((1, 32)));
        let e = parse_facts(&schema(), r#"{"units":[{"fund":1}]}"#).unwrap_err();
        assert_eq!(
            e.kind,
            FactsErrorKind::NotAFact {
                path: "units[0].fund".into(),
                of: "units".into(),
                nearest: Some("funds".into()),
            }
        );
        let e = parse_facts(&schema(), r#"{"units":[{"kind":true}]}"#).unwrap_err();
        assert_eq!(
            e.kind,
            FactsErrorKind::Value {
                path: "units[0].kind".into(),
                expected: "one of a, b".into(),
                got: "true".into(),
            }
        );
        let e = parse_facts(&schema(), r#"{"units":[{"kind":"a"}"#).unwrap_err();
        assert!(matches!(e.kind, FactsErrorKind::EndsEarly(_)), "{e:?}");
        let e = parse_facts(&schema(), r#"{"units":[{"kind":"a"}]} x"#).unwrap_err();
        assert!(matches!(e.kind, FactsErrorKind::Json(_)), "{e:?}");
        assert_eq!(
            e.to_string(),
            "the case file is not valid JSON: trailing characters at line 1 column 26"
        );
        let e = parse_facts(&schema(), "hello").unwrap_err();
        assert_eq!(
            e.to_string(),
            "the case file is not valid JSON: expected value at line 1 column 1"
        );
        assert_eq!(
            parse_facts(&schema(), " ").unwrap_err().kind,
            FactsErrorKind::Empty
        );
    }

    #[test]
    fn field_names_compare_by_every_byte() {
        let name = b"abcdefghijklmnopqrstu";
        for n in 0..name.len() {
            let a = &name[..n];
            assert!(same(a, a.to_vec().as_slice()));
            assert!(!same(a, &name[..n + 1]));
            for j in 0..n {
                let mut b = a.to_vec();
                b[j] = b'_';
                assert!(!same(a, &b), "{n} {j}");
            }
        }
    }

    #[test]
    fn a_fact_stays_three_words() {
        // Every field of every object is one of these: a larger variant would cost every case.
        assert!(std::mem::size_of::<Stored>() <= 24);
    }

    #[test]
    fn an_amount_is_digits_a_point_and_a_minus_and_nothing_else() {
        // What the decimal parser would take and a case file may not say: a plus sign,
        // underscores between digits, an exponent, nothing at all.
        for t in ["+5", "1_000", "5e3", "", "  "] {
            assert_eq!(parse_decimal(t), None, "{t:?}");
        }
        assert_eq!(parse_decimal("-2.5"), Some(Decimal::new(-25, 1)));
        assert_eq!(parse_decimal(" 7 "), Some(Decimal::from(7)));
        assert_eq!(
            parse_decimal("1234567890123456789012"),
            Decimal::from_str_exact("1234567890123456789012").ok()
        );
    }

    #[test]
    fn money_of_the_wrong_kind_is_refused_with_the_words_of_money() {
        let e = parse_facts(&schema(), r#"{"units":[{"funds":true}]}"#).unwrap_err();
        assert_eq!(
            e.kind,
            FactsErrorKind::Value {
                path: "units[0].funds".into(),
                expected: "an amount in yuan as a string or integer, e.g. \"500000000\"".into(),
                got: "true".into(),
            }
        );
    }

    #[test]
    fn a_record_of_the_wrong_kind_is_refused_naming_what_was_expected() {
        // `head: units`-record given `true`: the serde reader's words name the JSON object wanted.
        let mut s = schema();
        s.records[0].fields.push(field("head", Ty::Record(1)));
        for (json, words) in [
            (
                r#"{"head":true}"#,
                "invalid type: boolean `true`, expected a JSON object at line 1 column 12",
            ),
            (
                r#"{"head":"x"}"#,
                "invalid type: string \"x\", expected a JSON object at line 1 column 11",
            ),
            (
                r#"{"head":7}"#,
                "invalid type: integer `7`, expected a JSON object at line 1 column 9",
            ),
        ] {
            assert_eq!(parse_facts(&s, json).unwrap_err().to_string(), words);
        }
        for (json, got) in [
            (r#"{"head":-7}"#, "integer `-7`"),
            (r#"{"head":1.5}"#, "floating point `1.5`"),
            (r#"{"head":[]}"#, "sequence"),
        ] {
            let e = parse_facts(&s, json).unwrap_err();
            assert!(
                e.to_string()
                    .starts_with(&format!("invalid type: {got}, expected a JSON object")),
                "{e}"
            );
        }
    }

    #[test]
    fn a_yes_or_no_of_the_wrong_kind_is_refused_with_the_words_of_yes_or_no() {
        let mut s = schema();
        s.records[1].fields.push(field("open", Ty::Bool));
        let e = parse_facts(&s, r#"{"units":[{"open":"yes"}]}"#).unwrap_err();
        assert!(
            matches!(&e.kind, FactsErrorKind::Value { path, expected, .. }
                if path == "units[0].open" && expected == "true or false"),
            "{e:?}"
        );
    }

    #[test]
    fn a_skipped_field_nested_too_deep_is_refused_whether_objects_or_lists() {
        // A lenient read skips `x`, but not through more than 64 levels of objects or of lists.
        let lenient = ReadOptions { lenient: true };
        let objects = format!("{{\"x\":{}1{}}}", "{\"a\":".repeat(70), "}".repeat(70));
        let lists = format!("{{\"x\":{}1{}}}", "[".repeat(70), "]".repeat(70));
        for json in [objects, lists] {
            let e = parse_facts_with(&schema(), &json, lenient).unwrap_err();
            assert!(
                matches!(e.kind, FactsErrorKind::SkippedTooDeep { .. }),
                "{e:?}"
            );
        }
        let shallow = format!("{{\"x\":{}1{}}}", "{\"a\":".repeat(10), "}".repeat(10));
        assert!(parse_facts_with(&schema(), &shallow, lenient).is_ok());
    }

    #[test]
    fn a_byte_order_mark_is_ignored() {
        let f = parse_facts(&schema(), "\u{feff}{\"as_of\":\"2026-01-01\"}").unwrap();
        assert_eq!(f.as_of, NaiveDate::from_ymd_opt(2026, 1, 1));
        assert!(parse_facts(&schema(), "\u{feff}").is_err());
    }

    #[test]
    fn numbers_outside_the_stated_range_are_refused() {
        let mut s = schema();
        s.records[1].fields[1].range = Range {
            min: Some(crate::check::range::Bound {
                value: Decimal::ZERO,
                inclusive: true,
            }),
            max: None,
        };
        assert!(parse_facts(&s, r#"{"units":[{"funds":"0"},{"funds":0}]}"#).is_ok());
        let e = parse_facts(&s, r#"{"units":[{"funds":"-2000000"}]}"#).unwrap_err();
        assert!(
            e.to_string()
                .starts_with(r#"units[0].funds: expected at least 0, got "-2000000""#),
            "{e}"
        );
        let e = parse_facts(&s, r#"{"units":[{"funds":-3}]}"#).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("units[0].funds: expected at least 0, got -3"),
            "{e}"
        );
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let e = parse_facts(&schema(), &deep).unwrap_err();
        assert!(e.to_string().contains("expected a JSON object"), "{e}");
        let deep = format!(r#"{{"x":{}1{}}}"#, "[".repeat(100_000), "]".repeat(100_000));
        let e = parse_facts_with(&schema(), &deep, ReadOptions { lenient: true }).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("x: the value nests more than 64 levels deep"),
            "{e}"
        );
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
