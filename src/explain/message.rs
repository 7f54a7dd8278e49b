//! A finding's message: the rule's `found` and `says` templates with their holes filled from the
//! finding's values, in words (money exact, enumeration values by their labels, a value the case
//! does not give said as the policy words it). Literal parts are escaped for JSON once at load, so
//! the record writer copies them; the letter and the text report take the plain text.

use super::numbers::{self, Lang};
use super::record::push_escaped;
use crate::check::ir::{Program, RuleIr, Template, TemplatePart};
use crate::eval::findings::{DecisionResult, Finding, Shown, Status, Subject};

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

#[derive(Debug, Clone)]
struct RuleMessages {
    found: Option<Message>,
    says: Option<Message>,
    fallback: Message,
    /// Said instead when the rule's values could not be computed (its list is unknown).
    undetermined: Message,
    has_values: bool,
}

/// Words for values that are not numbers, read from the policy once.
#[derive(Debug, Clone, Default)]
struct ValueWords {
    /// Per enumeration, per value: (zh, en).
    enums: Vec<Vec<(String, String)>>,
    /// A value the case does not give (`未报送`), and a thing known not to be there.
    not_given: (String, String),
    absent: (String, String),
    /// `at_most`, `at_least`, `between` templates: (zh, en), when the policy gives them.
    range: [Option<(String, String)>; 3],
}

impl ValueWords {
    fn new(program: &Program) -> Self {
        let word = |key: &str, zh: bool, fallback: &str| {
            program
                .wording
                .get(key, zh)
                .map_or(fallback.to_string(), str::to_string)
        };
        ValueWords {
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
            not_given: (word("not_given", true, "?"), word("not_given", false, "?")),
            absent: (word("absent", true, "-"), word("absent", false, "-")),
            range: ["at_most", "at_least", "between"].map(|k| {
                Some((
                    program.wording.get(k, true)?.to_string(),
                    program.wording.get(k, false)?.to_string(),
                ))
            }),
        }
    }

    fn push(&self, out: &mut String, v: &Shown, lang: Lang) {
        fn pick(p: &(String, String), lang: Lang) -> &str {
            if lang == Lang::Zh {
                &p.0
            } else {
                &p.1
            }
        }
        match v {
            Shown::Unknown => out.push_str(pick(&self.not_given, lang)),
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
                    self.push(&mut s, v, lang);
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

fn template(t: &Template) -> Vec<Part> {
    t.parts
        .iter()
        .map(|p| match p {
            TemplatePart::Lit(l) => lit(l),
            TemplatePart::Local(i) => Part::Local(*i),
            TemplatePart::Subject => Part::Subject,
        })
        .collect()
}

fn rule_messages(program: &Program, r: &RuleIr) -> RuleMessages {
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
    RuleMessages {
        found: r.found.as_ref().map(|p| Message {
            zh: template(&p.zh),
            en: template(&p.en),
        }),
        says: r.says.as_ref().map(|p| Message {
            zh: template(&p.zh),
            en: template(&p.en),
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
    }
}

impl Messages {
    pub fn new(program: &Program) -> Self {
        Messages {
            rules: program
                .rules
                .iter()
                .map(|r| rule_messages(program, r))
                .collect(),
            words: ValueWords::new(program),
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
                out.push_str(if lang == Lang::Zh { "；" } else { "; " });
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
        let Some(text) = not_supplied(program, d, f, lang) else {
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
        out.push_str(if lang == Lang::Zh { "；" } else { "; " });
        self.fill(provision.pick(lang), f, lang, json, None, out);
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
        self.words.push(&mut s, v, lang);
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
                Part::Local(i) => {
                    if let Some(v) = f.values.get(*i) {
                        let start = out.len();
                        self.words.push(out, v, lang);
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
fn not_supplied(program: &Program, d: &DecisionResult, f: &Finding, lang: Lang) -> Option<String> {
    if f.status != Status::Unknown {
        return None;
    }
    let facts: Vec<String> = d
        .missing
        .iter()
        .filter(|m| m.rules.contains(&f.rule))
        .map(|m| super::facts::label(program, m, None, lang))
        .collect();
    if facts.is_empty() {
        return None;
    }
    let sep = super::wording::phrase(program, "list_sep", lang, &[]);
    Some(super::wording::phrase(
        program,
        "not_supplied",
        lang,
        &[("facts", &facts.join(&sep))],
    ))
}
