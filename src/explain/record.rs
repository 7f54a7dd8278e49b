//! The decision record of CONTRACT section 3, as JSON, written straight into one buffer.
//!
//! Everything that does not depend on the case (a rule's id, cite and source, its value names, the
//! literal parts of its messages) is escaped once at load into `Fragments`; per case only statuses,
//! subjects, values and the holes of messages are written.

use super::numbers::{self, Lang};
use crate::check::ir::{Program, RuleIr, Template, TemplatePart, Ty};
use crate::eval::findings::{DecisionResult, Effect, EffectArg, Finding, Shown, Status, Subject};
use crate::Evaluation;

/// JSON string content, escaped.
pub fn push_escaped(out: &mut String, s: &str) {
    let bytes = s.as_bytes();
    if !bytes.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\') {
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

fn quoted(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 2);
    o.push('"');
    push_escaped(&mut o, s);
    o.push('"');
    o
}

#[derive(Debug, Clone)]
enum Part {
    /// The text as written, and escaped for JSON once at load.
    Lit(String, String),
    Local(usize),
    Subject,
}

#[derive(Debug, Clone, Default)]
struct Message {
    zh: Vec<Part>,
    en: Vec<Part>,
}

impl Message {
    fn pick(&self, lang: Lang) -> &[Part] {
        if lang == Lang::Zh {
            &self.zh
        } else {
            &self.en
        }
    }
}

/// For an unknown finding, the policy's `not_supplied` wording naming the facts its rule needs
/// (by their labels); `None` for a known finding or when no fact is named.
fn not_supplied(program: &Program, d: &DecisionResult, f: &Finding, lang: Lang) -> Option<String> {
    if f.status != Status::Unknown {
        return None;
    }
    let facts: Vec<String> = d
        .missing
        .iter()
        .zip(&d.missing_rules)
        .filter(|(_, rules)| rules.contains(&f.rule))
        .map(|(p, _)| super::letter::fact_label(program, p, lang))
        .collect();
    if facts.is_empty() {
        return None;
    }
    let sep = if lang == Lang::Zh { "、" } else { ", " };
    Some(super::wording::phrase(
        program,
        "not_supplied",
        lang,
        &[("facts", &facts.join(sep))],
    ))
}

#[derive(Debug, Clone)]
struct RuleFragment {
    /// `{"rule":"…","cite":"…","status":"`
    head: String,
    /// `"…"` of the cite, for effects.
    cite: String,
    /// `,"source":"…"}`
    tail: String,
    /// `"name":` per shown value; `None` for records and lists, which are not shown.
    keys: Vec<Option<String>>,
    found: Option<Message>,
    says: Option<Message>,
    fallback: Message,
    /// Said instead when the rule's values could not be computed (its list is unknown).
    undetermined: Message,
    has_values: bool,
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
    rules: Vec<RuleFragment>,
    decisions: Vec<DecisionFragment>,
}

fn lit(s: &str) -> Part {
    let mut escaped = String::with_capacity(s.len());
    push_escaped(&mut escaped, s);
    Part::Lit(s.to_string(), escaped)
}

fn message(t: &Template) -> Vec<Part> {
    t.parts
        .iter()
        .map(|p| match p {
            TemplatePart::Lit(l) => lit(l),
            TemplatePart::Local(i) => Part::Local(*i),
            TemplatePart::Subject => Part::Subject,
        })
        .collect()
}

fn rule_fragment(program: &Program, r: &RuleIr) -> RuleFragment {
    let label = |lang: Lang| {
        r.labels
            .as_ref()
            .map(|l| l.pick(lang).to_string())
            .unwrap_or_else(|| r.id.clone())
    };
    RuleFragment {
        head: format!(
            "{{\"rule\":{},\"cite\":{},\"status\":\"",
            quoted(&r.id),
            quoted(&r.cite.text)
        ),
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
        found: r.found.as_ref().map(|p| Message {
            zh: message(&p.zh),
            en: message(&p.en),
        }),
        says: r.says.as_ref().map(|p| Message {
            zh: message(&p.zh),
            en: message(&p.en),
        }),
        fallback: Message {
            zh: vec![lit(&label(Lang::Zh))],
            en: vec![lit(&label(Lang::En))],
        },
        undetermined: Message {
            zh: vec![lit(&super::wording::phrase(
                program,
                "no_finding",
                Lang::Zh,
                &[("rule", &label(Lang::Zh))],
            ))],
            en: vec![lit(&super::wording::phrase(
                program,
                "no_finding",
                Lang::En,
                &[("rule", &label(Lang::En))],
            ))],
        },
        has_values: !r.locals.is_empty(),
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
            rules: program
                .rules
                .iter()
                .map(|r| rule_fragment(program, r))
                .collect(),
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
    pub fn write(&self, program: &Program, eval: &Evaluation, out: &mut String) {
        out.push_str(&self.policy);
        numbers::push_iso_date(out, eval.as_of);
        out.push_str("\",\"decisions\":[");
        for (i, d) in eval.decisions.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            self.decision(program, d, &eval.warnings, out);
        }
        out.push_str("]}");
    }

    fn decision(
        &self,
        program: &Program,
        d: &DecisionResult,
        warnings: &[String],
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
        out.push_str(",\"findings\":[");
        for (i, f) in d.findings.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            self.finding(program, d, f, out);
        }
        out.push_str("],\"effects\":[");
        for (i, e) in d.effects.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            self.effect(e, out);
        }
        out.push_str("],\"missing\":");
        strings(&d.missing, out);
        // The same facts by their labels, with the rules and cites that need them.
        out.push_str(",\"missing_detail\":[");
        for (i, (path, rules)) in d.missing.iter().zip(&d.missing_rules).enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str("{\"path\":\"");
            push_escaped(out, path);
            out.push_str("\",\"label\":{\"zh\":\"");
            push_escaped(out, &super::letter::fact_label(program, path, Lang::Zh));
            out.push_str("\",\"en\":\"");
            push_escaped(out, &super::letter::fact_label(program, path, Lang::En));
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

    fn finding(&self, program: &Program, d: &DecisionResult, f: &Finding, out: &mut String) {
        let Some(rf) = self.rules.get(f.rule.index()) else {
            return;
        };
        out.push_str(&rf.head);
        out.push_str(f.status.as_str());
        out.push_str("\",\"subject\":");
        subject(&f.subject, out);
        out.push_str(",\"message\":{\"zh\":\"");
        self.finding_message(program, d, rf, f, Lang::Zh, true, out);
        out.push_str("\",\"en\":\"");
        self.finding_message(program, d, rf, f, Lang::En, true, out);
        out.push_str("\"},\"values\":{");
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
        if let (Some(rule), Some(_)) = (program.rules.get(f.rule.index()), &f.counterfactual) {
            out.push_str(",\"counterfactual\":{\"zh\":\"");
            for lang in [Lang::Zh, Lang::En] {
                if lang == Lang::En {
                    out.push_str("\",\"en\":\"");
                }
                let says = self.parts_text(f, lang).1.unwrap_or_default();
                let text = super::wording::counterfactual(program, rule, &says, f, lang)
                    .unwrap_or_default();
                push_escaped(out, &text);
            }
            out.push_str("\"}");
        }
        out.push_str(&rf.tail);
    }

    /// What a finding found and what its provision says, as plain text.
    pub fn parts_text(&self, f: &Finding, lang: Lang) -> (Option<String>, Option<String>) {
        let Some(rf) = self.rules.get(f.rule.index()) else {
            return (None, None);
        };
        let text = |m: &Message| {
            let mut s = String::new();
            fill(
                if lang == Lang::Zh { &m.zh } else { &m.en },
                f,
                lang,
                false,
                &mut s,
            );
            s
        };
        if rf.has_values && f.values.is_empty() {
            return (Some(text(&rf.undetermined)), rf.says.as_ref().map(text));
        }
        (rf.found.as_ref().map(text), rf.says.as_ref().map(text))
    }

    /// A finding's message, escaped for JSON when `json`.
    fn message(&self, rf: &RuleFragment, f: &Finding, lang: Lang, json: bool, out: &mut String) {
        fn pick(m: &Message, lang: Lang) -> &[Part] {
            if lang == Lang::Zh {
                &m.zh
            } else {
                &m.en
            }
        }
        if rf.has_values && f.values.is_empty() {
            return fill(pick(&rf.undetermined, lang), f, lang, json, out);
        }
        match (&rf.found, &rf.says) {
            (Some(a), Some(b)) => {
                fill(pick(a, lang), f, lang, json, out);
                out.push_str(if lang == Lang::Zh { "；" } else { "; " });
                fill(pick(b, lang), f, lang, json, out);
            }
            (Some(a), None) | (None, Some(a)) => fill(pick(a, lang), f, lang, json, out),
            (None, None) => fill(pick(&rf.fallback, lang), f, lang, json, out),
        }
    }

    /// A finding's message as the record words it; an unknown finding says what is missing,
    /// never the values it does not have. Escaped for JSON when `json`.
    #[allow(clippy::too_many_arguments)]
    fn finding_message(
        &self,
        program: &Program,
        d: &DecisionResult,
        rf: &RuleFragment,
        f: &Finding,
        lang: Lang,
        json: bool,
        out: &mut String,
    ) {
        let Some(text) = not_supplied(program, d, f, lang) else {
            return self.message(rf, f, lang, json, out);
        };
        if json {
            push_escaped(out, &text);
        } else {
            out.push_str(&text);
        }
        // Its provision; only the rule's name when the provision's holes have no values to
        // fill (the rule's list is unknown).
        let provision = match &rf.says {
            Some(says) if !(rf.has_values && f.values.is_empty()) => says,
            _ => &rf.fallback,
        };
        out.push_str(if lang == Lang::Zh { "；" } else { "; " });
        fill(provision.pick(lang), f, lang, json, out);
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
        if let Some(rf) = self.rules.get(f.rule.index()) {
            self.finding_message(program, d, rf, f, lang, false, &mut s);
        }
        s
    }

    /// A finding's message as plain text, for the text report and the letter.
    pub fn message_text(&self, f: &Finding, lang: Lang) -> String {
        let mut s = String::new();
        if let Some(rf) = self.rules.get(f.rule.index()) {
            self.message(rf, f, lang, false, &mut s);
        }
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

/// A message's holes filled with the finding's values; escaped for JSON when `json`.
fn fill(parts: &[Part], f: &Finding, lang: Lang, json: bool, out: &mut String) {
    let push = |out: &mut String, s: &str| {
        if json {
            push_escaped(out, s)
        } else {
            out.push_str(s)
        }
    };
    for p in parts {
        match p {
            Part::Lit(raw, escaped) => out.push_str(if json { escaped } else { raw }),
            Part::Local(i) => {
                if let Some(v) = f.values.get(*i) {
                    let start = out.len();
                    numbers::push_shown(out, v, lang);
                    if json
                        && out[start..]
                            .bytes()
                            .any(|b| b == b'"' || b == b'\\' || b < 0x20)
                    {
                        let raw = out.split_off(start);
                        push_escaped(out, &raw);
                    }
                }
            }
            Part::Subject => match &f.subject {
                Subject::None => {}
                Subject::Int(i) => numbers::push_int(out, *i),
                Subject::Text(t) => push(out, t),
            },
        }
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
        Shown::Name(t) => {
            out.push('"');
            push_escaped(out, t);
            out.push('"');
        }
    }
}

/// Compact JSON re-indented with two spaces, keys in the order written.
pub fn pretty(compact: &str) -> String {
    let mut out = String::with_capacity(compact.len() * 2);
    let mut depth = 0usize;
    let mut in_str = false;
    let mut escaped = false;
    let bytes = compact.as_bytes();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    };
    let mut i = 0;
    let mut run = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if in_str {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_str = false;
            }
            i += 1;
            continue;
        }
        let flush = |out: &mut String, upto: usize, run: usize| out.push_str(&compact[run..upto]);
        match b {
            b'"' => {
                in_str = true;
                i += 1;
                continue;
            }
            b'{' | b'[' => {
                flush(&mut out, i + 1, run);
                let close = if b == b'{' { b'}' } else { b']' };
                if bytes.get(i + 1) == Some(&close) {
                    out.push(close as char);
                    i += 2;
                    run = i;
                    continue;
                }
                depth += 1;
                newline(&mut out, depth);
            }
            b'}' | b']' => {
                flush(&mut out, i, run);
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(b as char);
            }
            b',' => {
                flush(&mut out, i + 1, run);
                newline(&mut out, depth);
            }
            b':' => {
                flush(&mut out, i + 1, run);
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
    fn pretty_keeps_order_and_strings() {
        let c = r#"{"b":[1,{"x":"a,{b}:c"}],"a":{},"e":[]}"#;
        let p = pretty(c);
        assert_eq!(p, "{\n  \"b\": [\n    1,\n    {\n      \"x\": \"a,{b}:c\"\n    }\n  ],\n  \"a\": {},\n  \"e\": []\n}");
        let back: serde_json::Value = serde_json::from_str(&p).unwrap();
        assert_eq!(back, serde_json::from_str::<serde_json::Value>(c).unwrap());
    }
}
