//! The decision record of CONTRACT section 3, as JSON, written straight into one buffer.
//!
//! Everything that does not depend on the case (a rule's id, cite and source, its value names, the
//! literal parts of its messages) is escaped once at load into `Fragments`; per case only statuses,
//! subjects, values and the holes of messages are written.

use super::message::Messages;
use super::numbers::{self, Lang};
use crate::check::ir::{Program, RuleIr, Ty};
use crate::eval::findings::{DecisionResult, Effect, EffectArg, Finding, Shown, Status, Subject};
use crate::Evaluation;

/// How much of the decision record to write (CONTRACT section 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RecordMode {
    /// Every finding, with its bilingual message and its source: what an audit needs.
    #[default]
    Full,
    /// Only the findings that are not `satisfied`, without `message`, `counterfactual` and
    /// `source`: what a screening system that only routes cases reads. Outcome, effects, missing
    /// and dates are the full record's.
    Lean,
}

impl RecordMode {
    pub fn as_str(self) -> &'static str {
        match self {
            RecordMode::Full => "full",
            RecordMode::Lean => "lean",
        }
    }
}

impl std::str::FromStr for RecordMode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "full" => Ok(RecordMode::Full),
            "lean" => Ok(RecordMode::Lean),
            _ => Err(format!("expected `full` or `lean`, got `{s}`")),
        }
    }
}

/// JSON string content, escaped.
pub fn push_escaped(out: &mut String, s: &str) {
    let bytes = s.as_bytes();
    if !needs_escape(bytes) {
        out.push_str(s);
        return;
    }
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let esc: Option<&str> = match b {
            b'"' => Some("\\\""),
            b'\\' => Some("\\\\"),
            b'\n' => Some("\\n"),
            b'\r' => Some("\\r"),
            b'\t' => Some("\\t"),
            0..=0x1f => None,
            _ => continue,
        };
        out.push_str(&s[start..i]);
        match esc {
            Some(e) => out.push_str(e),
            None => out.push_str(&format!("\\u{b:04x}")),
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
}

/// Whether JSON needs a byte of `bytes` escaped (a quote, a backslash, a control character):
/// eight bytes a step, since most text (keys, names, words) needs none.
pub fn needs_escape(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // A byte of `x` is zero: its high bit in `(x - 1..) & !x`; below 0x20 the same with 0x20.
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        let x = u64::from_le_bytes(w.try_into().unwrap_or([0; 8]));
        let control = x.wrapping_sub(ONES * 0x20) & !x & HIGH;
        if control | zero(x ^ (ONES * u64::from(b'"'))) | zero(x ^ (ONES * u64::from(b'\\'))) != 0 {
            return true;
        }
    }
    words
        .remainder()
        .iter()
        .any(|&b| b < 0x20 || b == b'"' || b == b'\\')
}

fn quoted(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 2);
    o.push('"');
    push_escaped(&mut o, s);
    o.push('"');
    o
}

#[derive(Debug, Clone)]
struct RuleFragment {
    /// `{"rule":"…","cite":"…","status":"…","subject":` for each status, in `Status` order.
    heads: [String; 5],
    /// `"…"` of the cite, for effects.
    cite: String,
    /// `,"source":"…"}`
    tail: String,
    /// `"name":` per shown value; `None` for records and lists, which are not shown.
    keys: Vec<Option<String>>,
}

#[derive(Debug, Clone)]
struct DecisionFragment {
    /// `{"decision":"…","outcome":`
    head: String,
    outcomes: Vec<String>,
    date_keys: Vec<String>,
}

/// The case-independent parts of every record of one policy.
#[derive(Debug, Clone)]
pub struct Fragments {
    policy: String,
    /// Every rule's messages, their literal parts escaped once.
    pub messages: Messages,
    rules: Vec<RuleFragment>,
    decisions: Vec<DecisionFragment>,
}

fn rule_fragment(r: &RuleIr) -> RuleFragment {
    RuleFragment {
        heads: Status::ALL.map(|st| {
            format!(
                "{{\"rule\":{},\"cite\":{},\"status\":\"{}\",\"subject\":",
                quoted(&r.id),
                quoted(&r.cite.text),
                st.as_str()
            )
        }),
        cite: quoted(&r.cite.text),
        tail: format!(",\"source\":{}}}", quoted(&r.source)),
        keys: r
            .locals
            .iter()
            .map(|l| {
                (!matches!(l.ty, Ty::Record(_) | Ty::List(_)))
                    .then(|| format!("{}:", quoted(&l.name)))
            })
            .collect(),
    }
}

impl Fragments {
    pub fn new(program: &Program, digest: &str) -> Self {
        let m = &program.meta;
        Fragments {
            policy: format!(
                "{{\"policy\":{{\"id\":{},\"version\":{},\"digest\":{}}},\"as_of\":\"",
                quoted(&m.id),
                quoted(&m.version),
                quoted(digest)
            ),
            rules: program.rules.iter().map(rule_fragment).collect(),
            messages: Messages::new(program),
            decisions: program
                .decisions
                .iter()
                .map(|d| DecisionFragment {
                    head: format!("{{\"decision\":{},\"outcome\":", quoted(&d.name)),
                    outcomes: d.outcomes.iter().map(|o| quoted(&o.name)).collect(),
                    date_keys: d
                        .dates
                        .iter()
                        .map(|x| format!("{}:", quoted(&x.name)))
                        .collect(),
                })
                .collect(),
        }
    }

    /// The whole record of one evaluation, compact, appended to `out`.
    pub fn write(&self, program: &Program, eval: &Evaluation, mode: RecordMode, out: &mut String) {
        self.write_line(program, eval, mode, None, out);
    }

    /// The record with `"line": N` as its first key when `line` is given (a batch's records).
    pub fn write_line(
        &self,
        program: &Program,
        eval: &Evaluation,
        mode: RecordMode,
        line: Option<usize>,
        out: &mut String,
    ) {
        match line {
            Some(n) => {
                // Written in place: inserting the key afterwards moved the whole record.
                out.push_str("{\"line\":");
                numbers::push_int(out, i64::try_from(n).unwrap_or(i64::MAX));
                out.push(',');
                out.push_str(self.policy.get(1..).unwrap_or_default());
            }
            None => out.push_str(&self.policy),
        }
        numbers::push_iso_date(out, eval.as_of);
        out.push_str("\",\"decisions\":[");
        for (i, d) in eval.decisions.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            self.decision(program, d, &eval.warnings, mode, out);
        }
        out.push_str("]}");
    }

    fn decision(
        &self,
        program: &Program,
        d: &DecisionResult,
        warnings: &[String],
        mode: RecordMode,
        out: &mut String,
    ) {
        let Some(df) = self.decisions.get(d.decision.index()) else {
            return;
        };
        out.push_str(&df.head);
        out.push_str(
            df.outcomes
                .get(d.outcome.index())
                .map_or("null", |s| s.as_str()),
        );
        // The missing facts in words once: `missing_detail` and unknown findings' messages say them.
        let labels: Vec<(String, String)> = d
            .missing
            .iter()
            .map(|m| {
                (
                    super::facts::label(program, m, None, Lang::Zh),
                    super::facts::label(program, m, None, Lang::En),
                )
            })
            .collect();
        out.push_str(",\"findings\":[");
        let mut first = true;
        for f in &d.findings {
            if mode == RecordMode::Lean && f.status == Status::Satisfied {
                continue;
            }
            if !first {
                out.push(',');
            }
            first = false;
            self.finding(program, d, f, &labels, mode, out);
        }
        out.push_str("],\"effects\":[");
        for (i, e) in d.effects.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            self.effect(e, out);
        }
        out.push_str("],\"missing\":");
        let paths: Vec<String> = d.missing.iter().map(|m| m.path(program)).collect();
        strings(&paths, out);
        // The same facts by their labels, with the rules and cites that need them.
        out.push_str(",\"missing_detail\":[");
        for (i, ((m, path), (zh, en))) in d.missing.iter().zip(&paths).zip(&labels).enumerate() {
            let rules = &m.rules;
            if i > 0 {
                out.push(',');
            }
            out.push_str("{\"path\":\"");
            push_escaped(out, path);
            out.push_str("\",\"label\":{\"zh\":\"");
            push_escaped(out, zh);
            out.push_str("\",\"en\":\"");
            push_escaped(out, en);
            out.push_str("\"},\"rules\":");
            let ids: Vec<String> = rules
                .iter()
                .filter_map(|r| program.rules.get(r.index()))
                .map(|r| r.id.clone())
                .collect();
            strings(&ids, out);
            out.push_str(",\"cites\":");
            let mut cites: Vec<String> = rules
                .iter()
                .filter_map(|r| program.rules.get(r.index()))
                .map(|r| r.cite.text.clone())
                .collect();
            cites.sort();
            cites.dedup();
            strings(&cites, out);
            out.push('}');
        }
        out.push(']');
        out.push_str(",\"dates\":{");
        for (i, (k, v)) in d.dates.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(df.date_keys.get(k.index()).map_or("\"?\":", |s| s.as_str()));
            out.push('"');
            numbers::push_iso_date(out, *v);
            out.push('"');
        }
        out.push_str("},\"warnings\":");
        strings(warnings, out);
        out.push('}');
    }

    fn finding(
        &self,
        program: &Program,
        d: &DecisionResult,
        f: &Finding,
        labels: &[(String, String)],
        mode: RecordMode,
        out: &mut String,
    ) {
        let Some(rf) = self.rules.get(f.rule.index()) else {
            return;
        };
        out.push_str(rf.heads.get(f.status as usize).map_or("", String::as_str));
        subject(&f.subject, out);
        if mode == RecordMode::Full {
            self.messages.write_record(program, d, f, labels, out);
        }
        out.push_str(",\"values\":{");
        let mut first = true;
        for (k, v) in rf.keys.iter().zip(&f.values) {
            let Some(k) = k else { continue };
            if !first {
                out.push(',');
            }
            first = false;
            out.push_str(k);
            value(v, out);
        }
        out.push('}');
        if mode == RecordMode::Lean {
            // Words are for people; a screening system routes on statuses and values.
            out.push('}');
            return;
        }
        if let (Some(rule), Some(cf)) = (program.rules.get(f.rule.index()), &f.counterfactual) {
            out.push_str(",\"counterfactual\":{\"zh\":\"");
            // The provision's words only when the counterfactual says them.
            let with_says = super::wording::needs_says(cf);
            for lang in [Lang::Zh, Lang::En] {
                if lang == Lang::En {
                    out.push_str("\",\"en\":\"");
                }
                let says = match with_says {
                    true => self.messages.parts(f, lang).1.unwrap_or_default(),
                    false => String::new(),
                };
                let text = super::wording::counterfactual(program, rule, &says, f, lang)
                    .unwrap_or_default();
                push_escaped(out, &text);
            }
            out.push_str("\"}");
        }
        out.push_str(&rf.tail);
    }

    /// A finding's message in its decision, as plain text (the text report).
    pub fn finding_text(
        &self,
        program: &Program,
        d: &DecisionResult,
        f: &Finding,
        lang: Lang,
    ) -> String {
        let mut s = String::new();
        self.messages.write_for(program, d, f, lang, false, &mut s);
        s
    }

    fn effect(&self, e: &Effect, out: &mut String) {
        out.push_str("{\"kind\":\"");
        push_escaped(out, &e.kind);
        out.push_str("\",\"cite\":");
        out.push_str(
            self.rules
                .get(e.rule.index())
                .map_or("null", |r| r.cite.as_str()),
        );
        out.push_str(",\"subject\":");
        subject(&e.subject, out);
        if let Some(m) = &e.measure {
            out.push_str(",\"measure\":\"");
            push_escaped(out, m);
            out.push('"');
        }
        if let Some(a) = e.amount {
            out.push_str(",\"amount\":\"");
            numbers::push_decimal(out, a);
            out.push('"');
        } else if e.lacks(EffectArg::Amount) {
            out.push_str(",\"amount\":null");
        }
        if !e.roles.is_empty() {
            out.push_str(",\"roles\":");
            strings(&e.roles, out);
        }
        if let Some(day) = e.last_day {
            out.push_str(",\"last_day\":\"");
            numbers::push_iso_date(out, day);
            out.push('"');
        } else if e.lacks(EffectArg::LastDay) {
            out.push_str(",\"last_day\":null");
        }
        out.push('}');
    }
}

fn strings(items: &[String], out: &mut String) {
    out.push('[');
    for (i, s) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('"');
        push_escaped(out, s);
        out.push('"');
    }
    out.push(']');
}

fn subject(s: &Subject, out: &mut String) {
    match s {
        Subject::None => out.push_str("null"),
        Subject::Int(i) => numbers::push_int(out, *i),
        Subject::Text(t) => {
            out.push('"');
            push_escaped(out, t);
            out.push('"');
        }
    }
}

fn value(v: &Shown, out: &mut String) {
    match v {
        // A range is no single value: the record gives none (the message shows the bounds).
        Shown::Unknown | Shown::Absent | Shown::Range(_) => out.push_str("null"),
        Shown::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Shown::Int(i) => numbers::push_int(out, *i),
        Shown::Decimal(d) | Shown::Money(d) => {
            out.push('"');
            numbers::push_decimal(out, *d);
            out.push('"');
        }
        Shown::Percent(p) => {
            out.push('"');
            numbers::push_percent(out, *p);
            out.push('"');
        }
        Shown::Date(d) => {
            out.push('"');
            numbers::push_iso_date(out, *d);
            out.push('"');
        }
        Shown::Text(t) => {
            out.push('"');
            push_escaped(out, t);
            out.push('"');
        }
        Shown::Enum(_, _, t) => {
            out.push('"');
            push_escaped(out, t);
            out.push('"');
        }
    }
}

/// Compact JSON re-indented with two spaces, keys in the order written.
///
/// The service indents every record it answers with, so this runs once a request over tens of
/// KiB: strings (most of a record's bytes) are skipped with a search for their closing quote
/// rather than byte by byte, and runs of bytes are copied whole.
pub fn pretty(compact: &str) -> String {
    let bytes = compact.as_bytes();
    let mut out = String::with_capacity(compact.len() + compact.len() / 2);
    let mut depth = 0usize;
    // `compact[run..i]` is copied as it is when a structural byte (or the end) is reached.
    let mut run = 0;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => {
                i = string_end(compact, i + 1);
                continue;
            }
            b'{' | b'[' => {
                let close = if b == b'{' { b'}' } else { b']' };
                if bytes.get(i + 1) == Some(&close) {
                    // `{}` and `[]` stay as they are.
                    i += 2;
                    continue;
                }
                out.push_str(&compact[run..=i]);
                depth += 1;
                newline(&mut out, depth);
            }
            b'}' | b']' => {
                out.push_str(&compact[run..i]);
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(b as char);
            }
            b',' => {
                out.push_str(&compact[run..=i]);
                newline(&mut out, depth);
            }
            b':' => {
                out.push_str(&compact[run..=i]);
                out.push(' ');
            }
            _ => {
                i += 1;
                continue;
            }
        }
        i += 1;
        run = i;
    }
    out.push_str(&compact[run..]);
    out
}

/// A newline and two spaces a level, in one copy up to 31 levels.
fn newline(out: &mut String, depth: usize) {
    const LINE: &str = "\n                                                              ";
    let want = 1 + depth * 2;
    let first = want.min(LINE.len());
    out.push_str(&LINE[..first]);
    let mut left = want - first;
    while left > 0 {
        let n = left.min(LINE.len() - 1);
        out.push_str(&LINE[1..=n]);
        left -= n;
    }
}

/// The index just past the quote that closes the JSON string whose contents start at `from`
/// (the end of the text if it is not closed). Only quotes and backslashes matter inside a
/// string, and `memchr2` finds them many bytes at a time.
pub fn string_end(text: &str, from: usize) -> usize {
    let bytes = text.as_bytes();
    let mut k = from;
    while let Some(rest) = bytes.get(k..) {
        match memchr::memchr2(b'"', b'\\', rest) {
            Some(p) if rest[p] == b'"' => return k + p + 1,
            // A backslash escapes the byte after it.
            Some(p) => k += p + 2,
            None => break,
        }
    }
    bytes.len()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    #[test]
    fn escapes_what_json_requires() {
        let mut s = String::new();
        push_escaped(&mut s, "a\"b\\c\nd\u{1}é中");
        assert_eq!(s, "a\\\"b\\\\c\\nd\\u0001é中");
    }
    #[test]
    fn a_status_indexes_its_record_head() {
        for (i, st) in Status::ALL.iter().enumerate() {
            assert_eq!(*st as usize, i);
        }
    }

    #[test]
    fn needs_escape_is_the_bytewise_test() {
        let naive = |b: &[u8]| b.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\');
        // Every byte value at every offset of texts of several lengths, among plain and UTF-8 bytes.
        for len in 0..20 {
            for at in 0..len {
                for v in 0..=255u8 {
                    for fill in [b'a', 0xe4, 0x7f, 0x21, 0x5d] {
                        let mut t = vec![fill; len];
                        t[at] = v;
                        assert_eq!(needs_escape(&t), naive(&t), "{t:?}");
                    }
                }
            }
        }
        assert!(!needs_escape("借阅人员12350200DEW2CWALFG".as_bytes()));
        assert!(needs_escape("借阅人员12350200DEW2CWAL\"".as_bytes()));
    }

    #[test]
    fn pretty_keeps_order_and_strings() {
        let c = r#"{"b":[1,{"x":"a,{b}:c"}],"a":{},"e":[]}"#;
        let p = pretty(c);
        assert_eq!(p, "{\n  \"b\": [\n    1,\n    {\n      \"x\": \"a,{b}:c\"\n    }\n  ],\n  \"a\": {},\n  \"e\": []\n}");
        let back: serde_json::Value = serde_json::from_str(&p).unwrap();
        assert_eq!(back, serde_json::from_str::<serde_json::Value>(c).unwrap());
    }

    #[test]
    fn pretty_skips_escaped_quotes_and_backslashes() {
        let c = r#"{"a":"x\"y,[","b":"z\\","c":[{"d":"\\\":{"}],"e":"中,文"}"#;
        assert_eq!(
            pretty(c),
            "{\n  \"a\": \"x\\\"y,[\",\n  \"b\": \"z\\\\\",\n  \"c\": [\n    {\n      \"d\": \"\\\\\\\":{\"\n    }\n  ],\n  \"e\": \"中,文\"\n}"
        );
        // 40 levels: deeper than one run of spaces.
        let deep = format!("{}1{}", "[".repeat(40), "]".repeat(40));
        let p = pretty(&deep);
        assert!(p.contains(&format!("\n{}1\n", " ".repeat(80))));
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&p).unwrap(),
            serde_json::from_str::<serde_json::Value>(&deep).unwrap()
        );
        // An unclosed string runs to the end.
        assert_eq!(pretty(r#"{"a":"b,"#), "{\n  \"a\": \"b,");
        assert_eq!(string_end(r#"ab\"c"d"#, 0), 6);
        // Against a byte-by-byte reading, with quotes and escapes at every offset of a word.
        let naive = |t: &str, from: usize| {
            let b = t.as_bytes();
            let mut k = from;
            while k < b.len() {
                match b[k] {
                    b'"' => return k + 1,
                    b'\\' => k += 2,
                    _ => k += 1,
                }
            }
            b.len()
        };
        for pad in 0..20 {
            for tail in [
                r#"x"y"#,
                r#"\"中"y"#,
                r#"\\"y"#,
                r#"é\\\"a"b"#,
                "中文",
                r#"\"#,
            ] {
                let t = format!("{}{tail}", "字a".repeat(pad));
                for from in 0..t.len() {
                    if t.is_char_boundary(from) {
                        assert_eq!(
                            string_end(&t, from),
                            naive(&t, from).min(t.len()),
                            "{t:?} from {from}"
                        );
                    }
                }
            }
        }
        // Past the plain loop's reach: the search, escaped quotes and backslashes included.
        let long = format!(r#"{}\"\\\"中\\"x"#, "字".repeat(20));
        assert_eq!(string_end(&long, 0), long.len() - 1);
        assert_eq!(string_end(r#"\中中中中中中中中中中中中"x"#, 0), 38);
    }
}
