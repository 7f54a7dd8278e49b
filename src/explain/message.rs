//! A finding's message: the rule's `found` and `says` templates with their holes filled from the
//! finding's values, in words (money exact, enumeration values by their labels, a value the case
//! does not give said as the policy words it). Literal parts are escaped for JSON once at load, so
//! the record writer copies them; the letter and the text report take the plain text.

use super::numbers::{self, Lang};
use super::record::{needs_escape, push_escaped};
use crate::check::ir::{Ex, Program, RuleIr, Template, TemplatePart, Ty};
use crate::eval::findings::{DecisionResult, Finding, Shown, Status, Subject};

#[derive(Debug, Clone)]
enum Part {
    /// The text as written, and escaped for JSON once at load.
    Lit(String, String),
    Local(usize, Source),
    Subject,
}

/// Where a rule's `let` value comes from, which decides how it is said when it is not known: a
/// fact the case does not give is "未报送", but a value worked out from facts (a mean, a share, a
/// year) is not something the applicant was asked to submit, and says so.
/// Its value indexes `ValueWords::unknown`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    /// A fact of the case as it stands (a field, an element of a list).
    Fact = 0,
    /// Worked out from facts and constants.
    Computed,
    /// A reviewers' judgement (a field the vocabulary marks `attested`, or inside a record it
    /// marks so): not the applicant's to submit either, but the bureau's to make.
    Attested,
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

#[derive(Debug, Clone)]
struct RuleMessages {
    found: Option<Message>,
    says: Option<Message>,
    fallback: Message,
    /// Said instead when the rule's values could not be computed (its list is unknown).
    undetermined: Message,
    has_values: bool,
    /// The record's whole `,"message":{"zh":"…","en":"…"}` of a known finding, compiled once.
    record: RecordMessage,
}

/// One piece of a message as the record writes it: literal JSON, or a hole in one language.
/// An explicit one-byte tag (as `Ex`'s): a full record walks some 460 pieces a case, and the
/// niche-encoded tag took five instructions to decode at each.
#[derive(Debug, Clone)]
#[repr(u8)]
enum Piece {
    /// Escaped JSON, adjacent literals (and the keys around the two languages) in one piece.
    Lit(String),
    Local(usize, Lang, Source),
    Subject,
}

/// A rule's value that the rule files give as a constant (a threshold), in words once.
#[derive(Debug, Clone)]
struct Constant {
    index: usize,
    /// The value as evaluation shows it: the words are used only when the finding's value is it.
    shown: Shown,
}

/// The record's message of a known finding: its pieces, and the same with the rule's constants
/// written in (used when every constant value of the finding is the one the rule files give).
#[derive(Debug, Clone, Default)]
struct RecordMessage {
    pieces: Vec<Piece>,
    folded: Option<Vec<Piece>>,
    constants: Vec<Constant>,
}

/// Words for values that are not numbers, read from the policy once.
#[derive(Debug, Clone, Default)]
struct ValueWords {
    /// Per enumeration, per value: (zh, en).
    enums: Vec<Vec<(String, String)>>,
    /// A value not known, by its [`Source`]: a fact the case does not give (`not_given`,
    /// "未报送"), one worked out from facts that could not be worked out (`not_computed`), a
    /// reviewers' judgement not yet made (`pending`); the last two are `not_given`'s words when
    /// the policy has none of their own.
    unknown: [(String, String); 3],
    /// A thing known not to be there.
    absent: (String, String),
    /// `at_most`, `at_least`, `between` templates: (zh, en), when the policy gives them.
    range: [Option<(String, String)>; 3],
    /// The same words escaped for JSON once: enumeration labels, `unknown`, `absent`.
    enums_json: Vec<Vec<(String, String)>>,
    unknown_json: [(String, String); 3],
    absent_json: (String, String),
}

fn escaped(s: &str) -> String {
    let mut e = String::with_capacity(s.len());
    push_escaped(&mut e, s);
    e
}

/// The words of one language from a (Chinese, English) pair.
fn pick(p: &(String, String), lang: Lang) -> &str {
    if lang == Lang::Zh {
        &p.0
    } else {
        &p.1
    }
}

fn escaped_pair(p: &(String, String)) -> (String, String) {
    (escaped(&p.0), escaped(&p.1))
}

impl ValueWords {
    fn new(program: &Program) -> Self {
        let word = |key: &str, zh: bool, fallback: &str| {
            program
                .wording
                .get(key, zh)
                .map_or(fallback.to_string(), str::to_string)
        };
        // A key's words as `word` reads them (unscoped), else those of `not_given`.
        let or_not_given = |key: &'static str| {
            let key = |zh| match program.wording.get(key, zh) {
                Some(_) => key,
                None => "not_given",
            };
            (word(key(true), true, "?"), word(key(false), false, "?"))
        };
        let mut w = ValueWords {
            enums: program
                .schema
                .enums
                .iter()
                .map(|en| {
                    (0..en.variants.len() as u16)
                        .map(|v| {
                            (
                                en.label(v, true).to_string(),
                                en.label(v, false).to_string(),
                            )
                        })
                        .collect()
                })
                .collect(),
            unknown: [
                or_not_given("not_given"),
                or_not_given("not_computed"),
                or_not_given("pending"),
            ],
            absent: (word("absent", true, "-"), word("absent", false, "-")),
            range: ["at_most", "at_least", "between"].map(|k| {
                Some((
                    program.wording.get(k, true)?.to_string(),
                    program.wording.get(k, false)?.to_string(),
                ))
            }),
            ..ValueWords::default()
        };
        w.enums_json = w
            .enums
            .iter()
            .map(|e| e.iter().map(escaped_pair).collect())
            .collect();
        w.unknown_json = w.unknown.each_ref().map(escaped_pair);
        w.absent_json = escaped_pair(&w.absent);
        w
    }

    /// A value in words, escaped for JSON: only words that may hold a quote or a control
    /// character (the policy's and the case's) are escaped; numbers, dates and yes/no never are.
    fn push_json(&self, out: &mut String, v: &Shown, lang: Lang, source: Source) {
        match v {
            Shown::Unknown => out.push_str(pick(&self.unknown_json[source as usize], lang)),
            Shown::Absent => out.push_str(pick(&self.absent_json, lang)),
            Shown::Enum(en, val, name) => match self
                .enums_json
                .get(*en as usize)
                .and_then(|e| e.get(*val as usize))
            {
                Some(p) => out.push_str(pick(p, lang)),
                None => push_escaped(out, name),
            },
            Shown::Text(t) => push_escaped(out, t),
            Shown::Range(_) => {
                let mut s = String::new();
                self.push(&mut s, v, lang, source);
                push_escaped(out, &s);
            }
            Shown::Bool(b) => out.push_str(numbers::bool_word(*b, lang)),
            Shown::Int(i) => numbers::push_int(out, *i),
            Shown::Money(m) => numbers::push_money(out, *m, lang),
            Shown::Decimal(_) | Shown::Percent(_) | Shown::Date(_) => {
                numbers::push_shown(out, v, lang)
            }
        }
    }

    fn push(&self, out: &mut String, v: &Shown, lang: Lang, source: Source) {
        match v {
            Shown::Unknown => out.push_str(pick(&self.unknown[source as usize], lang)),
            Shown::Absent => out.push_str(pick(&self.absent, lang)),
            Shown::Enum(en, val, name) => match self
                .enums
                .get(*en as usize)
                .and_then(|e| e.get(*val as usize))
            {
                Some(p) => out.push_str(pick(p, lang)),
                None => out.push_str(name),
            },
            Shown::Range(b) => {
                let (lo, hi) = &**b;
                let word = |v: &Shown| {
                    let mut s = String::new();
                    self.push(&mut s, v, lang, source);
                    s
                };
                let (which, args) = match (lo, hi) {
                    (Shown::Unknown, hi) => (0, vec![("{value}", word(hi))]),
                    (lo, Shown::Unknown) => (1, vec![("{value}", word(lo))]),
                    (lo, hi) => (2, vec![("{low}", word(lo)), ("{high}", word(hi))]),
                };
                match &self.range[which] {
                    Some(t) => {
                        let mut s = pick(t, lang).to_string();
                        for (k, v) in args {
                            s = s.replace(k, &v);
                        }
                        out.push_str(&s);
                    }
                    None => numbers::push_shown(out, v, lang),
                }
            }
            other => numbers::push_shown(out, other, lang),
        }
    }
}

/// The messages of every rule of a policy.
#[derive(Debug, Clone)]
pub struct Messages {
    rules: Vec<RuleMessages>,
    words: ValueWords,
}

fn lit(s: &str) -> Part {
    let mut escaped = String::with_capacity(s.len());
    push_escaped(&mut escaped, s);
    Part::Lit(s.to_string(), escaped)
}

fn template(program: &Program, r: &RuleIr, t: &Template) -> Vec<Part> {
    t.parts
        .iter()
        .map(|p| match p {
            TemplatePart::Lit(l) => lit(l),
            TemplatePart::Local(i) => Part::Local(
                *i,
                r.locals
                    .get(*i)
                    .map_or(Source::Fact, |l| source(program, r, &l.ex, 0)),
            ),
            TemplatePart::Subject => Part::Subject,
        })
        .collect()
}

fn separator(lang: Lang) -> &'static str {
    if lang == Lang::Zh {
        "；"
    } else {
        "; "
    }
}

fn rule_messages(program: &Program, words: &ValueWords, r: &RuleIr) -> RuleMessages {
    let label = |zh: bool| {
        r.labels
            .as_ref()
            .map_or(r.id.clone(), |l| l.pick(zh).to_string())
    };
    let no_finding = |lang: Lang| {
        super::wording::phrase(
            program,
            "no_finding",
            lang,
            &[("rule", &label(lang == Lang::Zh))],
        )
    };
    let mut rm = RuleMessages {
        found: r.found.as_ref().map(|p| Message {
            zh: template(program, r, &p.zh),
            en: template(program, r, &p.en),
        }),
        says: r.says.as_ref().map(|p| Message {
            zh: template(program, r, &p.zh),
            en: template(program, r, &p.en),
        }),
        fallback: Message {
            zh: vec![lit(&label(true))],
            en: vec![lit(&label(false))],
        },
        undetermined: Message {
            zh: vec![lit(&no_finding(Lang::Zh))],
            en: vec![lit(&no_finding(Lang::En))],
        },
        has_values: !r.locals.is_empty(),
        record: RecordMessage::default(),
    };
    rm.record = record_message(program, words, r, &rm);
    rm
}

/// A message's parts as record pieces in `lang`.
fn push_pieces(parts: &[Part], lang: Lang, out: &mut Vec<Piece>) {
    out.extend(parts.iter().map(|p| match p {
        Part::Lit(_, escaped) => Piece::Lit(escaped.clone()),
        Part::Local(i, source) => Piece::Local(*i, lang, *source),
        Part::Subject => Piece::Subject,
    }));
}

/// What [`Messages::write`] writes for a known finding, both languages in their record keys.
fn record_message(
    program: &Program,
    words: &ValueWords,
    r: &RuleIr,
    rm: &RuleMessages,
) -> RecordMessage {
    let constants: Vec<Constant> = r
        .locals
        .iter()
        .enumerate()
        .filter_map(|(index, l)| {
            Some(Constant {
                index,
                shown: constant(program, &l.ex, l.ty, 0)?,
            })
        })
        .collect();
    let mut pieces = vec![Piece::Lit(",\"message\":{\"zh\":\"".into())];
    for lang in [Lang::Zh, Lang::En] {
        if lang == Lang::En {
            pieces.push(Piece::Lit("\",\"en\":\"".into()));
        }
        match (&rm.found, &rm.says) {
            (Some(a), Some(b)) => {
                push_pieces(a.pick(lang), lang, &mut pieces);
                pieces.push(Piece::Lit(separator(lang).into()));
                push_pieces(b.pick(lang), lang, &mut pieces);
            }
            (Some(a), None) | (None, Some(a)) => push_pieces(a.pick(lang), lang, &mut pieces),
            (None, None) => push_pieces(rm.fallback.pick(lang), lang, &mut pieces),
        }
    }
    pieces.push(Piece::Lit("\"}".into()));
    let folded = (!constants.is_empty()).then(|| {
        let with: Vec<Piece> = pieces
            .iter()
            .map(|p| match p {
                Piece::Local(i, lang, source) => match constants.iter().find(|c| c.index == *i) {
                    Some(c) => {
                        let mut w = String::new();
                        words.push_json(&mut w, &c.shown, *lang, *source);
                        Piece::Lit(w)
                    }
                    None => p.clone(),
                },
                other => other.clone(),
            })
            .collect();
        merged(with)
    });
    RecordMessage {
        pieces: merged(pieces),
        folded,
        constants,
    }
}

/// Adjacent literal pieces as one.
fn merged(pieces: Vec<Piece>) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::with_capacity(pieces.len());
    for p in pieces {
        match (out.last_mut(), p) {
            (Some(Piece::Lit(a)), Piece::Lit(b)) => a.push_str(&b),
            (_, p) => out.push(p),
        }
    }
    out
}

/// The value of a rule's `let` that the rule files give as a literal (or a named literal), as
/// evaluation shows it; `None` for anything computed. A guess is harmless: the words are used
/// only when the finding's value equals it.
fn constant(program: &Program, ex: &Ex, ty: Ty, depth: usize) -> Option<Shown> {
    match (ex, ty) {
        (Ex::Int(i), Ty::Int) => Some(Shown::Int(*i)),
        (Ex::Int(i), Ty::Money) => Some(Shown::Money((*i).into())),
        (Ex::Num(n), Ty::Money) => Some(Shown::Money(n.normalize())),
        (Ex::Num(n), Ty::Percent) => Some(Shown::Percent(n.normalize())),
        (Ex::Num(n), Ty::Decimal) => Some(Shown::Decimal(n.normalize())),
        (Ex::Bool(b), Ty::Bool) => Some(Shown::Bool(*b)),
        (Ex::Date(d), Ty::Date) => Some(Shown::Date(*d)),
        (Ex::Global(g), _) if depth < 8 => {
            let g = program.globals.get(*g as usize)?;
            constant(program, &g.ex, ty, depth + 1)
        }
        _ => None,
    }
}

/// Whether a rule's value is a fact of the case, a reviewers' judgement, or worked out from
/// facts: a path (fields, list elements, `only(...)`, named values that are paths) is a fact, or
/// a judgement where a field on it is one; anything else is computed.
fn source(program: &Program, r: &RuleIr, ex: &Ex, depth: usize) -> Source {
    if depth > 16 {
        return Source::Computed;
    }
    match ex {
        Ex::Root => Source::Fact,
        Ex::Field(of, rec, field) => match source(program, r, of, depth + 1) {
            Source::Fact if super::facts::field_is_judgement(program, *rec, *field) => {
                Source::Attested
            }
            s => s,
        },
        Ex::Lookup(of, ..) | Ex::Only { list: of, .. } => source(program, r, of, depth + 1),
        // Another `let` of the rule is what it is; the variable of `for each` is an element.
        Ex::Var(slot) => match r.locals.iter().find(|l| l.slot == *slot) {
            Some(l) => source(program, r, &l.ex, depth + 1),
            None => Source::Fact,
        },
        Ex::Global(g) => program
            .globals
            .get(*g as usize)
            .map_or(Source::Computed, |g| source(program, r, &g.ex, depth + 1)),
        _ => Source::Computed,
    }
}

impl Messages {
    pub fn new(program: &Program) -> Self {
        let words = ValueWords::new(program);
        Messages {
            rules: program
                .rules
                .iter()
                .map(|r| rule_messages(program, &words, r))
                .collect(),
            words,
        }
    }

    /// A finding's whole message (found; says), escaped for JSON when `json`.
    pub fn write(&self, f: &Finding, lang: Lang, json: bool, out: &mut String) {
        let Some(rm) = self.rules.get(f.rule.index()) else {
            return;
        };
        if rm.has_values && f.values.is_empty() {
            return self.fill(rm.undetermined.pick(lang), f, lang, json, None, out);
        }
        match (&rm.found, &rm.says) {
            (Some(a), Some(b)) => {
                self.fill(a.pick(lang), f, lang, json, None, out);
                out.push_str(separator(lang));
                self.fill(b.pick(lang), f, lang, json, None, out);
            }
            (Some(a), None) | (None, Some(a)) => self.fill(a.pick(lang), f, lang, json, None, out),
            (None, None) => self.fill(rm.fallback.pick(lang), f, lang, json, None, out),
        }
    }

    /// A finding's message in its decision, escaped for JSON when `json`: an unknown finding says which facts
    /// are missing (the policy's `not_supplied` wording), never the values it does not have.
    pub fn write_for(
        &self,
        program: &Program,
        d: &DecisionResult,
        f: &Finding,
        lang: Lang,
        json: bool,
        out: &mut String,
    ) {
        self.write_for_in(program, d, f, None, lang, json, out);
    }

    /// Whether what the finding found, in words, would state a value worked out from facts that
    /// could not be worked out ("欠缴罚款未提供，加倍为不详"): the text report then labels the
    /// finding with the facts it lacks instead.
    pub fn found_lacks_a_computed_value(&self, f: &Finding) -> bool {
        let Some(found) = self
            .rules
            .get(f.rule.index())
            .and_then(|rm| rm.found.as_ref())
        else {
            return false;
        };
        found.zh.iter().chain(&found.en).any(|p| {
            matches!(p, Part::Local(i, Source::Computed)
                if matches!(f.values.get(*i), Some(Shown::Unknown)))
        })
    }

    /// For an unknown finding, what the case does not give that it needs, in words (the
    /// policy's `not_supplied` / `not_attested`); `None` for a known finding. Said in place of
    /// what was found, whose values it does not have.
    pub fn missing_text(
        program: &Program,
        d: &DecisionResult,
        f: &Finding,
        lang: Lang,
    ) -> Option<String> {
        not_supplied(program, d, f, None, lang)
    }

    /// [`Messages::write_for`] with the labels of the decision's missing facts already in words
    /// (zh, en; by index of `d.missing`), as the record writes them once for `missing_detail`.
    #[allow(clippy::too_many_arguments)]
    fn write_for_in(
        &self,
        program: &Program,
        d: &DecisionResult,
        f: &Finding,
        labels: Option<&[(String, String)]>,
        lang: Lang,
        json: bool,
        out: &mut String,
    ) {
        let Some(text) = not_supplied(program, d, f, labels, lang) else {
            return self.write(f, lang, json, out);
        };
        let Some(rm) = self.rules.get(f.rule.index()) else {
            return;
        };
        if json {
            push_escaped(out, &text);
        } else {
            out.push_str(&text);
        }
        // Its provision; only the rule's name when the provision's holes have no values to fill
        // (the rule's list is unknown).
        let provision = match &rm.says {
            Some(says) if !(rm.has_values && f.values.is_empty()) => says,
            _ => &rm.fallback,
        };
        out.push_str(separator(lang));
        self.fill(provision.pick(lang), f, lang, json, None, out);
    }

    /// The record's `,"message":{"zh":"…","en":"…"}` of a finding in its decision: for a known
    /// finding from pieces compiled at load (one copy per literal run, constants already in
    /// words); an unknown or undetermined one the general way.
    pub fn write_record(
        &self,
        program: &Program,
        d: &DecisionResult,
        f: &Finding,
        labels: &[(String, String)],
        out: &mut String,
    ) {
        let Some(rm) = self.rules.get(f.rule.index()) else {
            return;
        };
        if f.status == Status::Unknown || (rm.has_values && f.values.is_empty()) {
            out.push_str(",\"message\":{\"zh\":\"");
            self.write_for_in(program, d, f, Some(labels), Lang::Zh, true, out);
            out.push_str("\",\"en\":\"");
            self.write_for_in(program, d, f, Some(labels), Lang::En, true, out);
            out.push_str("\"}");
            return;
        }
        let rec = &rm.record;
        let pieces = match &rec.folded {
            Some(folded)
                if rec
                    .constants
                    .iter()
                    .all(|c| f.values.get(c.index) == Some(&c.shown)) =>
            {
                folded
            }
            _ => &rec.pieces,
        };
        for p in pieces {
            match p {
                Piece::Lit(s) => out.push_str(s),
                Piece::Local(i, lang, source) => {
                    if let Some(v) = f.values.get(*i) {
                        self.words.push_json(out, v, *lang, *source);
                    }
                }
                Piece::Subject => match &f.subject {
                    Subject::None => {}
                    Subject::Int(i) => numbers::push_int(out, *i),
                    Subject::Text(t) => push_escaped(out, t),
                },
            }
        }
    }

    /// A finding's message as plain text.
    pub fn text(&self, f: &Finding, lang: Lang) -> String {
        let mut s = String::new();
        self.write(f, lang, false, &mut s);
        s
    }

    /// What a finding found and what its provision says, separately, as plain text.
    pub fn parts(&self, f: &Finding, lang: Lang) -> (Option<String>, Option<String>) {
        self.parts_naming(f, lang, None)
    }

    /// The same, with the finding's subject said as `subject` (a member's name, not its code).
    pub fn parts_naming(
        &self,
        f: &Finding,
        lang: Lang,
        subject: Option<&str>,
    ) -> (Option<String>, Option<String>) {
        let Some(rm) = self.rules.get(f.rule.index()) else {
            return (None, None);
        };
        let text = |m: &Message| {
            let mut s = String::new();
            self.fill(m.pick(lang), f, lang, false, subject, &mut s);
            s
        };
        if rm.has_values && f.values.is_empty() {
            return (Some(text(&rm.undetermined)), rm.says.as_ref().map(text));
        }
        (rm.found.as_ref().map(text), rm.says.as_ref().map(text))
    }

    /// A value in words, as messages write it.
    pub fn value(&self, v: &Shown, lang: Lang) -> String {
        let mut s = String::new();
        self.words.push(&mut s, v, lang, Source::Fact);
        s
    }

    /// A message's holes filled with the finding's values; escaped for JSON when `json`.
    fn fill(
        &self,
        parts: &[Part],
        f: &Finding,
        lang: Lang,
        json: bool,
        subject: Option<&str>,
        out: &mut String,
    ) {
        for p in parts {
            match p {
                Part::Lit(raw, escaped) => out.push_str(if json { escaped } else { raw }),
                Part::Local(i, source) => {
                    if let Some(v) = f.values.get(*i) {
                        let start = out.len();
                        self.words.push(out, v, lang, *source);
                        if json && needs_escape(&out.as_bytes()[start..]) {
                            let raw = out.split_off(start);
                            push_escaped(out, &raw);
                        }
                    }
                }
                Part::Subject => match (subject, &f.subject) {
                    (Some(word), _) if json => push_escaped(out, word),
                    (Some(word), _) => out.push_str(word),
                    (None, Subject::None) => {}
                    (None, Subject::Int(i)) => numbers::push_int(out, *i),
                    (None, Subject::Text(t)) if json => push_escaped(out, t),
                    (None, Subject::Text(t)) => out.push_str(t),
                },
            }
        }
    }
}

/// For an unknown finding, the policy's `not_supplied` wording naming the facts its rule needs
/// (by their labels); `None` for a known finding or when no fact is named.
fn not_supplied(
    program: &Program,
    d: &DecisionResult,
    f: &Finding,
    labels: Option<&[(String, String)]>,
    lang: Lang,
) -> Option<String> {
    if f.status != Status::Unknown {
        return None;
    }
    let words = d
        .missing
        .iter()
        .enumerate()
        .filter(|(_, m)| m.rules.contains(&f.rule))
        .map(|(i, m)| {
            let w = match labels.and_then(|l| l.get(i)) {
                Some((zh, _)) if lang == Lang::Zh => zh.clone(),
                Some((_, en)) => en.clone(),
                None => super::facts::label(program, m, None, lang),
            };
            (m, w)
        });
    let (given, attested) = super::facts::split_attested(program, words);
    let sep = super::wording::phrase(program, "list_sep", lang, &[]);
    let parts: Vec<String> = [
        ("not_supplied", given),
        (
            super::wording::key_or(program, "not_attested", "not_supplied"),
            attested,
        ),
    ]
    .into_iter()
    .filter(|(_, facts)| !facts.is_empty())
    .map(|(key, facts)| super::wording::phrase(program, key, lang, &[("facts", &facts.join(&sep))]))
    .collect();
    (!parts.is_empty()).then(|| parts.join(separator(lang)))
}
