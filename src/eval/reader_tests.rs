//! The fast case reader against the serde reader, the reference: on any text, whatever the fast
//! reader accepts the serde reader accepts too, read to the same facts (a bail costs only time:
//! the serde reader then decides). Texts are grown from JSON bits near a small vocabulary (every
//! type of fact, a keyed list, a nested record, stated ranges) and then cut and mutated.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::facts::{read_fast, Fact, ReadOptions};
use super::serde_walk;
use crate::check::ir::{EnumSchema, FieldSchema, RecordSchema, Schema, Ty};
use crate::check::range::{Bound, Range};
use crate::syntax::ast::Labels;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use rust_decimal::Decimal;

fn field(name: &str, ty: Ty, range: Range) -> FieldSchema {
    FieldSchema {
        name: name.into(),
        ty,
        range,
        labels: Labels {
            zh: String::new(),
            en: name.into(),
        },
        attested: false,
        span: Default::default(),
    }
}

fn at_least(v: i64) -> Range {
    Range {
        min: Some(Bound {
            value: Decimal::from(v),
            inclusive: true,
        }),
        max: None,
    }
}

/// `units: list by id { id, funds >= 0, kind, since, n, flag, share <= 100 (percent), info {..} }`
fn schema() -> Schema {
    let open = Range::default;
    let upto = Range {
        min: None,
        max: Some(Bound {
            value: Decimal::from(100),
            inclusive: false,
        }),
    };
    Schema {
        records: vec![
            RecordSchema {
                fields: vec![
                    field("units", Ty::List(1), open()),
                    field("note", Ty::Text, open()),
                    field("rate", Ty::Decimal, open()),
                ],
                key: None,
                incomplete: false,
            },
            RecordSchema {
                fields: vec![
                    field("id", Ty::Text, open()),
                    field("funds", Ty::Money, at_least(0)),
                    field("kind", Ty::Enum(0), open()),
                    field("since", Ty::Date, open()),
                    field("n", Ty::Int, at_least(-2)),
                    field("flag", Ty::Bool, open()),
                    field("share", Ty::Percent, upto),
                    field("info", Ty::Record(2), open()),
                    field("span", Ty::Duration, open()),
                ],
                key: Some(0),
                incomplete: false,
            },
            RecordSchema {
                fields: vec![
                    field("year", Ty::Int, open()),
                    field("items", Ty::List(3), open()),
                ],
                key: None,
                incomplete: false,
            },
            RecordSchema {
                fields: vec![field("code", Ty::Int, open())],
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

const KEYS: &[&str] = &[
    "as_of", "units", "note", "rate", "id", "funds", "kind", "since", "n", "flag", "share", "info",
    "span", "year", "items", "code", "fund", "x", "i\\u0064", "",
];

const SCALARS: &[&str] = &[
    "null",
    "true",
    "false",
    "0",
    "-0",
    "1",
    "-1",
    "-2",
    "-3",
    "12",
    "1.0",
    "1e2",
    "1E2",
    "-1e400",
    "1e400",
    "01",
    "-",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "18446744073709551616",
    "\"a\"",
    "\"b\"",
    "\"c\"",
    "\"\"",
    "\"2024-02-29\"",
    "\"2023-02-29\"",
    "\"2026-01-01\"",
    "\"12\"",
    "\"-3\"",
    "\"3.5\"",
    "\"1e2\"",
    "\"5%\"",
    "\"100%\"",
    "\"99.5%\"",
    "\" 7\"",
    "\"\\u0041\"",
    "\"\\u0061\"",
    "\"\\ud83d\\ude00\"",
    "\"\\ud800\"",
    "\"\\udc00x\"",
    "\"x\\ny\\t\\\"q\\\\/\\/\"",
    "\"\\x\"",
    "\"甲乙\"",
    "\"\\u00e9\"",
    "\"2026-01-0\\u0031\"",
    "\"\\u0000\"",
    "nul",
    "tru",
    "\"\t\"",
];

/// A JSON-ish value: mostly well formed, keys and scalars drawn from the lists above.
fn value() -> impl Strategy<Value = String> {
    let leaf = prop::sample::select(SCALARS).prop_map(str::to_string);
    leaf.prop_recursive(5, 48, 6, |inner| {
        let ws = prop::sample::select(&["", " ", "\n", "\t", "\r\n "][..]);
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(|v| format!("[{}]", v.join(","))),
            (
                prop::collection::vec((prop::sample::select(KEYS), inner), 0..6),
                ws
            )
                .prop_map(|(kv, ws)| {
                    let body: Vec<String> = kv
                        .iter()
                        .map(|(k, v)| format!("{ws}\"{k}\"{ws}:{ws}{v}{ws}"))
                        .collect();
                    format!("{{{}}}", body.join(","))
                }),
        ]
    })
}

/// Values that mostly fit each field of a unit (and some that do not).
const FITTING: &[(&str, &[&str])] = &[
    (
        "id",
        &[
            "\"u1\"",
            "\"u2\"",
            "\"u3\"",
            "\"甲\"",
            "\"\\u0041\"",
            "\"A\"",
            "1",
        ],
    ),
    (
        "funds",
        &[
            "\"0\"",
            "12",
            "\"3500000.5\"",
            "0",
            "\"-1\"",
            "\"999999999999999999\"",
        ],
    ),
    ("kind", &["\"a\"", "\"b\"", "null"]),
    ("since", &["\"2024-02-29\"", "\"2025-12-31\""]),
    ("n", &["-2", "5", "0", "-9223372036854775808"]),
    ("flag", &["true", "false"]),
    ("share", &["\"5%\"", "7", "\"99.5\"", "\"-1%\""]),
    (
        "info",
        &[
            "{\"year\":2025,\"items\":[{\"code\":1},{\"code\":2}]}",
            "{}",
            "{\"items\":[{\"code\":1},{\"code\":1}]}",
            "{\"items\":[]}",
        ],
    ),
    ("span", &["null"]),
];

/// An object with some of `fields` (each once, in any order), their values mostly fitting.
fn object(
    fields: &'static [(&'static str, &'static [&'static str])],
) -> impl Strategy<Value = String> {
    let picks = prop::collection::vec(
        (any::<prop::sample::Index>(), value(), 0..10u8),
        fields.len(),
    );
    (
        prop::sample::subsequence((0..fields.len()).collect::<Vec<_>>(), 0..=fields.len())
            .prop_shuffle(),
        picks,
    )
        .prop_map(move |(keys, picks)| {
            let kv: Vec<String> = keys
                .iter()
                .map(|&k| {
                    let (key, fits) = fields[k];
                    let (pick, other, odds) = &picks[k];
                    let v = if *odds < 9 {
                        fits[pick.index(fits.len())]
                    } else {
                        other
                    };
                    format!("\"{key}\":{v}")
                })
                .collect();
            format!("{{{}}}", kv.join(","))
        })
}

/// A case file: a root object of known keys, sometimes cut or with one byte changed.
fn case() -> impl Strategy<Value = String> {
    let root = (
        prop::sample::select(
            &[
                "\"2026-01-01\"",
                "\"2026-01-01\"",
                "null",
                "\"2026-1-1\"",
                "1",
            ][..],
        ),
        prop::collection::vec(object(FITTING), 0..4),
        object(&[
            ("note", &["\"x\"", "\"\\\"q\\\"\""]),
            ("rate", &["\"-0.25\"", "3"]),
        ]),
    )
        .prop_map(|(as_of, units, extra)| {
            let extra = extra.trim_start_matches('{').trim_end_matches('}');
            let sep = if extra.is_empty() { "" } else { "," };
            format!(
                "{{\"as_of\":{as_of},\"units\":[{}]{sep}{extra}}}",
                units.join(",")
            )
        });
    let edit = prop_oneof![
        Just(None),
        Just(None),
        (any::<prop::sample::Index>(), 0usize..5, any::<u8>()).prop_map(Some),
    ];
    (root, edit).prop_map(|(s, edit)| {
        let Some((at, op, byte)) = edit else {
            return s;
        };
        let mut b = s.into_bytes();
        let i = at.index(b.len() + 1);
        let pool = b"{}[]\",: 0-.e\\ntu";
        let c = pool[usize::from(byte) % pool.len()];
        match op {
            0 => b.truncate(i),
            // A `:` and its value cut away through the next `,`: two keys side by side
            // (`"id""funds":1`), which no single byte's edit makes.
            4 => {
                let colons: Vec<usize> = (0..b.len()).filter(|&k| b[k] == b':').collect();
                if let Some(&from) = colons.get(at.index(colons.len().max(1))) {
                    let end = b[from..]
                        .iter()
                        .position(|&x| x == b',')
                        .map_or(b.len(), |p| from + p + 1);
                    b.drain(from..end);
                }
            }
            1 if i < b.len() => {
                b.remove(i);
            }
            2 => b.insert(i, c),
            _ if i < b.len() => b[i] = c,
            _ => {}
        }
        String::from_utf8_lossy(&b).into_owned()
    })
}

/// What the fast reader accepts, the serde reader reads to the same facts.
fn agrees(schema: &Schema, json: &str) -> Result<bool, String> {
    let Ok((as_of, store)) = read_fast(schema, json) else {
        return Ok(false);
    };
    for lenient in [false, true] {
        match serde_walk::read(schema, json, ReadOptions { lenient }) {
            Ok(f) if f.as_of == as_of && f.root() == store.root() && f.warnings.is_empty() => {}
            other => {
                return Err(format!(
                    "{json}\nfast: {:?}\nserde: {other:?}",
                    store.root()
                ))
            }
        }
    }
    Ok(true)
}

#[test]
fn the_fast_reader_accepts_only_what_the_serde_reader_reads_the_same() {
    let schema = schema();
    let mut runner = TestRunner::new(Config {
        cases: 3000,
        failure_persistence: None,
        ..Config::default()
    });
    let accepted = std::cell::Cell::new(0u32);
    runner
        .run(&case(), |json| {
            let ok = agrees(&schema, &json).map_err(TestCaseError::fail)?;
            accepted.set(accepted.get() + u32::from(ok));
            Ok(())
        })
        .unwrap();
    // The generator must reach the accepting side often, or the test says little.
    assert!(accepted.get() > 300, "only {} accepted", accepted.get());
}

/// The key orders a thread learnt carry over from case to case, and to another vocabulary that
/// takes the place of the first at the same address and size (a policy reloaded in the
/// service): whatever was learnt, each case reads to what the serde reader reads.
#[test]
fn key_orders_learnt_from_earlier_cases_never_change_what_a_case_reads() {
    let mut schema = schema();
    // The same vocabulary with its fields in another order: the same sizes, other positions.
    let mut other = schema.clone();
    for r in &mut other.records {
        r.fields.reverse();
        let last = u16::try_from(r.fields.len() - 1).unwrap();
        r.key = r.key.map(|k| last - k);
    }
    let one = r#"{"as_of":"2026-01-01","units":[{"id":"a","funds":1,"kind":"a","n":1},{"id":"b","kind":"b","funds":2}],"note":"x"}"#;
    let reversed = r#"{"note":"y","units":[{"n":3,"kind":"b","funds":5,"id":"c"},{"funds":6,"id":"d"}],"as_of":"2026-01-02"}"#;
    for _ in 0..3 {
        for json in [one, reversed, one, one, reversed] {
            assert!(agrees(&schema, json).unwrap(), "{json}");
            // The other vocabulary where this one was: the memory is taken for it.
            std::mem::swap(&mut schema, &mut other);
            assert!(agrees(&schema, json).unwrap(), "{json}");
            std::mem::swap(&mut schema, &mut other);
            assert!(agrees(&other, json).unwrap(), "{json}");
        }
    }
    // What was read, read again after the other order: the same facts as at first.
    let (_, first) = read_fast(&schema, one).unwrap();
    let _ = read_fast(&schema, reversed).unwrap();
    let _ = read_fast(&other, reversed).unwrap();
    assert_eq!(read_fast(&schema, one).unwrap().1, first);
}

#[test]
fn the_fast_reader_reads_every_kind_of_fact_without_stepping_aside() {
    let schema = schema();
    let json = r#" {"as_of" : "2026-01-01", "note": "a\n\"b\" \u00e9 \ud83d\ude00",
        "units": [{"id": "x", "funds": "3500000.5", "kind": "b", "since": "2024-02-29", "n": -2,
                   "flag": false, "share": "99.5%", "info": {"year": 2025, "items": [{"code": 1},
                   {"code": 2}]}},
                  {"id": "甲", "funds": 12, "share": 7, "info": null, "kind": null}],
        "rate": "-0.25"} "#;
    assert!(
        agrees(&schema, json).unwrap(),
        "the fast reader stepped aside"
    );
    let (_, store) = read_fast(&schema, json).unwrap();
    let root = store.root();
    assert_eq!(root.get(1), Some(Fact::Text("a\n\"b\" é 😀")));
    let Some(Fact::List(units)) = root.get(0) else {
        panic!("{root:?}")
    };
    let fact = |u: usize, i: usize| units.get(u).and_then(|r| r.get(i));
    assert_eq!(fact(1, 0), Some(Fact::Text("甲")));
    assert_eq!(fact(0, 6), Some(Fact::Num(Decimal::new(995, 3))));
    assert_eq!(fact(1, 6), Some(Fact::Num(Decimal::new(7, 2))));
}

#[test]
fn the_fast_reader_steps_aside_for_what_it_must_refuse_or_cannot_read() {
    let schema = schema();
    for json in [
        // A key without its `:`, where the reader guesses that key (first, or after `id` as an
        // earlier element had it) and where it does not.
        r#"{"units":[{"id" "funds":1}]}"#,
        r#"{"units":[{"id":"a","funds":1},{"id":"b" "funds":1}]}"#,
        r#"{"units":[{"id":"a","funds":1},{"id":"b","funds" 1}]}"#,
        r#"{"units":[{"funds" "id":"x"}]}"#,
        r#"{"units":[{"id":"x"},{"id":"x"}]}"#,
        r#"{"units":[{"funds":"-1"}]}"#,
        r#"{"units":[{"funds":-1}]}"#,
        r#"{"units":[{"n":-3}]}"#,
        r#"{"units":[{"share":"100%"}]}"#,
        r#"{"units":[{"n":1.0}]}"#,
        r#"{"units":[{"n":-0}]}"#,
        r#"{"units":[{"n":9223372036854775808}]}"#,
        r#"{"units":[{"kind":"c"}]}"#,
        r#"{"units":[null]}"#,
        r#"{"units":[{"span":"1"}]}"#,
        r#"{"units":[{"id":1}]}"#,
        r#"{"unit":[]}"#,
        r#"{"units":[],"units":[]}"#,
        r#"{"as_of":null,"as_of":null}"#,
        r#"{"\u0075nits":[]}"#,
        r#"{"note":"\ud800"}"#,
        r#"{"note":"	"}"#,
        r#"{"units":[{},]}"#,
        r#"{} {}"#,
        r#"{"rate":"1e2"}"#,
    ] {
        assert!(read_fast(&schema, json).is_err(), "{json}");
    }
}
