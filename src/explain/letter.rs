//! The decision letter an officer signs: a frame (issuing authority, heading, number, addressee,
//! opening, notice of rights, signature and date) around the reasons of each decision asked.
//! Every phrase comes from the policy: its title, the rules' messages, the vocabulary's labels and
//! its `wording` block; the engine only orders them. The letter is built as typed blocks and
//! rendered at the edge, as Markdown here and as HTML in `html.rs`.

use super::facts::{self, Names};
use super::numbers::{self, Lang};
use super::wording::{key_or, phrase, phrase_in, scoped_only};
use crate::check::ir::{Cite, Program, RuleIr};
use crate::check::law::chinese_numeral;
use crate::eval::facts::Facts;
use crate::eval::findings::{
    Counterfactual, DecisionResult, Effect, Finding, MissingFact, Status, Step,
};
use crate::eval::value::Val;
use crate::{Evaluation, Policy};
use chrono::NaiveDate;
use std::collections::BTreeSet;

/// What the caller adds to a letter: its language, its number, its date.
#[derive(Debug, Clone, Copy)]
pub struct LetterOptions<'a> {
    pub lang: Lang,
    /// The letter number (文号), e.g. given by `--letter-number`.
    pub number: Option<&'a str>,
    /// The date on the letter; the decision's as_of when not given, so letters are reproducible.
    pub date: Option<NaiveDate>,
}

impl LetterOptions<'_> {
    pub fn new(lang: Lang) -> Self {
        LetterOptions {
            lang,
            number: None,
            date: None,
        }
    }
}

/// The longest letter number taken, in characters.
pub const MAX_NUMBER: usize = 100;

/// What a letter number must be, for an error message.
pub const NUMBER_HINT: &str =
    "the letter's number on one line, at most 100 characters, e.g. 〔2026〕12号";

/// Whether `n` can stand as a letter's number (`eval --letter-number`, the service's
/// `letter_number=`): not blank, one line of at most [`MAX_NUMBER`] characters, and no control
/// or invisible formatting characters, which could hide or reorder what the officer signs.
pub fn number_ok(n: &str) -> bool {
    let invisible = |c: char| {
        c.is_control()
            || matches!(c, '\u{00ad}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{206f}' | '\u{feff}')
    };
    !n.trim().is_empty() && n.chars().count() <= MAX_NUMBER && !n.chars().any(invisible)
}

/// A run of text, plain or emphasised (the outcome).
#[derive(Debug, Clone, PartialEq)]
pub enum Span {
    Text(String),
    Strong(String),
}

/// One block of a letter, typed until it is rendered.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// The issuing authority, at the head of the letter.
    Authority(String),
    /// The letter's title.
    Heading(String),
    /// The letter number, under the title.
    Number(String),
    /// To whom, flush left above the text.
    Addressee(String),
    /// One decision's part, in a letter answering several.
    Section(String),
    Para(Vec<Span>),
    /// An introductory line and its items.
    List(String, Vec<String>),
    /// The signature block: authority, then date.
    Signature(String, String),
}

fn text(s: String) -> Block {
    Block::Para(vec![Span::Text(s)])
}

/// 第六条第（二）项第3目 / Article 6(2), point 3.
pub fn cite(c: &Cite, lang: Lang) -> String {
    match lang {
        Lang::Zh => {
            let mut s = format!("第{}条", chinese_numeral(c.article));
            if let Some(i) = c.item {
                s.push_str(&format!("第（{}）项", chinese_numeral(i)));
            }
            if let Some(sub) = c.sub {
                s.push_str(&format!("第{sub}目"));
            }
            s
        }
        Lang::En => {
            let mut s = format!("Article {}", c.article);
            if let Some(i) = c.item {
                s.push_str(&format!("({i})"));
            }
            if let Some(sub) = c.sub {
                s.push_str(&format!(", point {sub}"));
            }
            s
        }
    }
}

fn label(l: &Option<crate::syntax::ast::Labels>, fallback: &str, lang: Lang) -> String {
    l.as_ref().map_or(fallback.to_string(), |l| {
        l.pick(lang == Lang::Zh).to_string()
    })
}

fn rule_label(r: &RuleIr, lang: Lang) -> String {
    label(&r.labels, &r.id, lang)
}

/// Missing facts that leave the same conditions unknown, worded in one paragraph.
struct UnknownGroup {
    rules: Vec<crate::check::ir::RuleId>,
    /// Reviewers' judgements not yet made, not facts the case should give.
    attested: bool,
    facts: Vec<String>,
}

/// Everything a letter's parts need, in one place.
struct Writer<'a> {
    policy: &'a Policy,
    prog: &'a Program,
    facts: Option<&'a Facts>,
    names: Option<Names>,
    as_of: NaiveDate,
    lang: Lang,
    sep: String,
    /// Paragraphs already written: the same reason is given once a letter.
    seen: BTreeSet<String>,
}

impl<'a> Writer<'a> {
    fn new(policy: &'a Policy, facts: Option<&'a Facts>, as_of: NaiveDate, lang: Lang) -> Self {
        let prog = &policy.program;
        Writer {
            policy,
            prog,
            facts,
            names: facts.map(|f| Names::of(prog, f)),
            as_of,
            lang,
            sep: phrase(prog, "list_sep", lang, &[]),
            seen: BTreeSet::new(),
        }
    }

    fn phrase(&self, key: &str, args: &[(&str, &str)]) -> String {
        phrase(self.prog, key, self.lang, args)
    }

    /// A frame phrase: its `{holes}` may name the policy's values, read from the case.
    fn frame(&self, key: &str, scopes: &[&str], args: &[(&str, &str)]) -> String {
        let raw = phrase_in(self.prog, key, scopes, self.lang, args);
        if !raw.contains('{') {
            return raw;
        }
        let mut out = raw;
        for (i, g) in self.prog.globals.iter().enumerate() {
            let hole = format!("{{{}}}", g.name);
            if out.contains(&hole) {
                let v = self.global(i);
                out = out.replace(&hole, &v);
            }
        }
        out
    }

    /// The policy's named value `i` on this case; `None` without a case.
    fn eval_global(&self, i: usize) -> Option<Val<'a>> {
        let g = self.prog.globals.get(i)?;
        let mut ctx = crate::eval::interp::Ctx::new(self.prog, self.facts?, self.as_of);
        Some(ctx.eval(&g.ex))
    }

    /// A named value of the policy on this case, in words; its label when the case lacks it.
    fn global(&self, i: usize) -> String {
        let Some(g) = self.prog.globals.get(i) else {
            return String::new();
        };
        match self.eval_global(i) {
            Some(Val::Text(t)) => t.to_string(),
            Some(Val::Int(n)) => n.to_string(),
            Some(Val::Date(d)) => numbers::date(d, self.lang),
            _ => label(&g.labels, &g.name, self.lang),
        }
    }

    /// The fact a letter asks about. One reached through a named element the case does not
    /// settle (the lead's credit code when no member, or two, are the lead) is that element:
    /// what the applicant must supply is which member leads, not a field of it.
    fn asked<'m>(&self, m: &'m MissingFact) -> std::borrow::Cow<'m, MissingFact> {
        let absent_at = m.steps.iter().position(|s| match s {
            Step::Named(l) => self.named_is_absent(*l),
            _ => false,
        });
        match absent_at {
            Some(at) if at + 1 < m.steps.len() => std::borrow::Cow::Owned(MissingFact {
                steps: m.steps[..=at].to_vec(),
                rules: m.rules.clone(),
            }),
            _ => std::borrow::Cow::Borrowed(m),
        }
    }

    /// A fact as [`Writer::asked`] gives it, in words.
    fn fact_words(&self, asked: &MissingFact) -> String {
        facts::label(self.prog, asked, self.names.as_ref(), self.lang)
    }

    /// Whether the named value `Program::labels[l]` (an `only(...)`: absent when no entry or
    /// several match) is known not to be in this case.
    fn named_is_absent(&self, l: u16) -> bool {
        let Some(name) = self.prog.labels.get(l as usize) else {
            return false;
        };
        self.prog
            .globals
            .iter()
            .position(|g| &g.name == name)
            .and_then(|i| self.eval_global(i))
            .is_some_and(|v| matches!(v, Val::Absent))
    }

    fn list(&self, items: &[String]) -> String {
        items.join(&self.sep)
    }

    /// The cites of `rules`, each once, with the names of its conditions: ordered by each
    /// provision's first rule in the policy (a cite that comes again later joins its first).
    fn provisions(&self, rules: &[crate::check::ir::RuleId]) -> Vec<(String, Vec<String>)> {
        let mut indices: Vec<usize> = rules.iter().map(|r| r.index()).collect();
        indices.sort_unstable();
        indices.dedup();
        let mut provisions: Vec<(String, Vec<String>)> = Vec::new();
        for r in indices.iter().filter_map(|&i| self.prog.rules.get(i)) {
            let (at, name) = (cite(&r.cite, self.lang), rule_label(r, self.lang));
            match provisions.iter_mut().find(|(c, _)| *c == at) {
                Some((_, names)) => {
                    if !names.contains(&name) {
                        names.push(name);
                    }
                }
                None => provisions.push((at, vec![name])),
            }
        }
        provisions
    }

    /// Conditions by provision ("第二条（欠缴罚款、罚款上限）"), so that no reader has to pair a
    /// list of cites with a list of names.
    fn by_provision(&self, provisions: &[(String, Vec<String>)]) -> String {
        let items: Vec<String> = provisions
            .iter()
            .map(|(at, names)| {
                self.phrase("rule_item", &[("cite", at), ("rule", &self.list(names))])
            })
            .collect();
        self.list(&items)
    }

    fn subject_of(&self, rule: crate::check::ir::RuleId, f: &Finding) -> String {
        facts::subject(self.prog, rule, &f.subject, self.names.as_ref())
    }

    /// The words for a rule's consequences (撤销, 追回资金), for the verdict of a breach found.
    fn measures(&self, rule: &RuleIr) -> String {
        let mut words: Vec<String> = Vec::new();
        for w in rule.otherwise.iter().map(|e| {
            let scopes: Vec<&str> = e
                .measure
                .as_deref()
                .into_iter()
                .chain([e.kind.as_str()])
                .collect();
            let w = phrase_in(self.prog, "measure", &scopes, self.lang, &[]);
            if w.is_empty() {
                e.kind.clone()
            } else {
                w
            }
        }) {
            // In the order the rule states them, each once.
            if !words.contains(&w) {
                words.push(w);
            }
        }
        self.list(&words)
    }

    fn paragraph(&self, f: &Finding, verdict: &str) -> Option<String> {
        let rule = self.prog.rules.get(f.rule.index())?;
        let who = self.subject_of(f.rule, f);
        let (found, says) = self
            .policy
            .messages()
            .parts_naming(f, self.lang, Some(&who));
        let mut para = self.phrase(
            "paragraph",
            &[
                ("title", self.title()),
                ("cite", &cite(&rule.cite, self.lang)),
                ("says", &says.unwrap_or_default()),
                ("found", &found.unwrap_or_default()),
                ("verdict", verdict),
                ("subject", &who),
            ],
        );
        // "What is required" would repeat the paragraph's own requirement.
        let only_required = matches!(f.counterfactual.as_deref(), Some(Counterfactual::Required));
        if let (Some(change), false) = (self.policy.counterfactual(f, self.lang), only_required) {
            para.push_str(&self.phrase("counterfactual", &[("change", &change)]));
        }
        Some(para)
    }

    fn title(&self) -> &'a str {
        let meta = &self.prog.meta;
        if self.lang == Lang::En && !meta.title_en.is_empty() {
            &meta.title_en
        } else {
            &meta.title
        }
    }

    fn verdict(&self, f: &Finding) -> Option<String> {
        let rule = self.prog.rules.get(f.rule.index())?;
        Some(match f.status {
            // A breach found brings the rule's measures: say so, rather than "not met".
            Status::Violated if !rule.otherwise.is_empty() => self.phrase(
                "consequence",
                &[
                    ("cite", &cite(&rule.cite, self.lang)),
                    ("measures", &self.measures(rule)),
                ],
            ),
            Status::Violated => self.phrase("violated", &[]),
            Status::Review => self.phrase("review", &[]),
            // The exception that set other rules aside decided the outcome: cite it.
            Status::Exempt if !rule.overrides.is_empty() => self.phrase("exempt", &[]),
            _ => return None,
        })
    }

    /// A paragraph once a letter: a second decision closed by the same gate says it once.
    fn push_once(&mut self, blocks: &mut Vec<Block>, para: String) {
        if self.seen.insert(para.clone()) {
            blocks.push(text(para));
        }
    }

    fn decision(&mut self, d: &DecisionResult, blocks: &mut Vec<Block>, several: bool) {
        let prog = self.prog;
        let lang = self.lang;
        // A result of another policy's program has nothing to say here.
        let Some(dec) = prog.decisions.get(d.decision.index()) else {
            return;
        };
        let dec_label = label(&dec.labels, &dec.name, lang);
        let outcome = dec.outcomes.get(d.outcome.index());
        let outcome_label = outcome
            .map(|o| label(&o.labels, &o.name, lang))
            .unwrap_or_default();
        if several {
            blocks.push(Block::Section(
                self.phrase("section", &[("decision", &dec_label)]),
            ));
        }
        // The outcome line, with the outcome emphasised.
        let line = self.phrase("outcome", &[("decision", &dec_label), ("outcome", "\u{0}")]);
        let (before, after) = line.split_once('\u{0}').unwrap_or((&line, ""));
        blocks.push(Block::Para(vec![
            Span::Text(before.to_string()),
            Span::Strong(outcome_label.clone()),
            Span::Text(after.to_string()),
        ]));

        if d.stopped_at_require {
            // Nothing was examined: say which facts would let it be, those the case should give
            // apart from reviewers' judgements not yet made.
            let asked: Vec<_> = d.missing.iter().map(|m| self.asked(m)).collect();
            let words = asked.iter().map(|m| (&**m, self.fact_words(m)));
            let (given, attested) = facts::split_attested(prog, words);
            let attested_key = key_or(prog, "not_examined_attested", "not_examined");
            for (key, facts) in [("not_examined", given), (attested_key, attested)] {
                if !facts.is_empty() {
                    blocks.push(text(
                        self.phrase(
                            key,
                            &[("facts", &self.list(&facts)), ("decision", &dec_label)],
                        ) + if lang == Lang::Zh { "。" } else { "." },
                    ));
                }
            }
            return;
        }

        let adverse = d.findings.iter().any(|f| f.status == Status::Violated);
        let mut secondary = Vec::new();
        for f in &d.findings {
            if f.status == Status::Unknown {
                continue;
            }
            let Some(verdict) = self.verdict(f) else {
                continue;
            };
            let Some(para) = self.paragraph(f, &verdict) else {
                continue;
            };
            // Under a refusal, points for review are secondary: their own short section.
            if adverse && f.status == Status::Review {
                if !secondary.contains(&para) {
                    secondary.push(para);
                }
                continue;
            }
            self.push_once(blocks, para);
        }
        self.unknowns(d, blocks);
        if !secondary.is_empty() {
            blocks.push(Block::List(self.phrase("secondary_review", &[]), secondary));
        }
        if !d.effects.is_empty() {
            let items: Vec<String> = d.effects.iter().filter_map(|e| self.effect(e)).collect();
            blocks.push(Block::List(self.phrase("effects", &[]), items));
        }
        for (i, day) in &d.dates {
            let Some(name) = dec.dates.get(i.index()) else {
                continue;
            };
            blocks.push(text(self.phrase(
                "date_item",
                &[
                    ("name", &label(&name.labels, &name.name, lang)),
                    ("date", &numbers::date(*day, lang)),
                ],
            )));
        }
        // Each fact asked for once, with every condition it leaves open (two facts of a lead
        // the case does not have are both asked as the lead).
        let mut asked: Vec<(String, Vec<crate::check::ir::RuleId>)> = Vec::new();
        for m in &d.missing {
            let m = self.asked(m);
            // A reviewers' judgement is the bureau's to make, not the applicant's to supply.
            if m.rules.is_empty() || facts::attested(prog, &m) {
                continue;
            }
            let words = self.fact_words(&m);
            match asked.iter_mut().find(|(w, _)| *w == words) {
                Some((_, rules)) => rules.extend(m.rules.iter().copied()),
                None => asked.push((words, m.rules.clone())),
            }
        }
        let supply: Vec<String> = asked
            .iter()
            .map(|(words, rules)| {
                // `{cite}` and `{rule}` list them apart, in the same order, so that the n-th
                // cite goes with the n-th name as far as it can; `{rules}` keeps them together.
                let provisions = self.provisions(rules);
                let cites: Vec<String> = provisions.iter().map(|(c, _)| c.clone()).collect();
                let mut names: Vec<String> = Vec::new();
                for name in provisions.iter().flat_map(|(_, ns)| ns) {
                    if !names.contains(name) {
                        names.push(name.clone());
                    }
                }
                self.phrase(
                    "supply_item",
                    &[
                        ("fact", words),
                        ("cite", &self.list(&cites)),
                        ("rule", &self.list(&names)),
                        ("rules", &self.by_provision(&provisions)),
                    ],
                )
            })
            .collect();
        if !supply.is_empty() {
            blocks.push(Block::List(self.phrase("supply", &[]), supply));
        }
    }

    /// Unknown findings grouped by what is missing: one paragraph names the facts and lists the
    /// conditions they leave open, instead of one paragraph per finding.
    fn unknowns(&mut self, d: &DecisionResult, blocks: &mut Vec<Block>) {
        let prog = self.prog;
        let lang = self.lang;
        let unknown: Vec<&Finding> = d
            .findings
            .iter()
            .filter(|f| f.status == Status::Unknown)
            .collect();
        if unknown.is_empty() {
            return;
        }
        // Facts that block the same conditions are named together, those the case should give
        // apart from reviewers' judgements not yet made (`attested`).
        let mut groups: Vec<UnknownGroup> = Vec::new();
        for m in &d.missing {
            let mut rules: Vec<crate::check::ir::RuleId> = m
                .rules
                .iter()
                .copied()
                .filter(|r| unknown.iter().any(|f| f.rule == *r))
                .collect();
            if rules.is_empty() {
                continue;
            }
            rules.sort_unstable();
            rules.dedup();
            let m = self.asked(m);
            let fact = self.fact_words(&m);
            let attested = facts::attested(prog, &m);
            match groups
                .iter_mut()
                .find(|g| g.rules == rules && g.attested == attested)
            {
                Some(g) => {
                    if !g.facts.contains(&fact) {
                        g.facts.push(fact)
                    }
                }
                None => groups.push(UnknownGroup {
                    rules,
                    attested,
                    facts: vec![fact],
                }),
            }
        }
        // A rule left unknown by an exception that is itself unknown waits on the same facts.
        for f in &unknown {
            if groups.iter().any(|g| g.rules.contains(&f.rule)) {
                continue;
            }
            let by = prog
                .rules
                .iter()
                .enumerate()
                .filter(|(_, r)| r.overrides.contains(&f.rule))
                .map(|(i, _)| crate::check::ir::RuleId(i as u16))
                .find(|e| groups.iter().any(|g| g.rules.contains(e)));
            if let Some(e) = by {
                for g in groups.iter_mut().filter(|g| g.rules.contains(&e)) {
                    if !g.rules.contains(&f.rule) {
                        g.rules.push(f.rule);
                        g.rules.sort_unstable();
                    }
                }
            }
        }
        let attested_key = key_or(prog, "unknown_group_attested", "unknown_group");
        for g in &groups {
            let key = if g.attested {
                attested_key
            } else {
                "unknown_group"
            };
            let rules = self.provisions(&g.rules);
            let para = self.phrase(
                key,
                &[
                    ("facts", &self.list(&g.facts)),
                    ("rules", &self.by_provision(&rules)),
                ],
            );
            self.push_once(blocks, para);
        }
        // An unknown finding no missing fact explains keeps its own paragraph, which states what
        // the provision requires and that nothing decides it, never values it does not have.
        for f in unknown {
            if groups.iter().any(|g| g.rules.contains(&f.rule)) {
                continue;
            }
            let Some(rule) = prog.rules.get(f.rule.index()) else {
                continue;
            };
            let (_, says) = self.policy.message_parts(f, lang);
            let para = self.phrase(
                "paragraph",
                &[
                    ("title", self.title()),
                    ("cite", &cite(&rule.cite, lang)),
                    ("says", &says.unwrap_or_default()),
                    (
                        "found",
                        &self.phrase("no_finding", &[("rule", &rule_label(rule, lang))]),
                    ),
                    ("verdict", &self.phrase("unknown", &[])),
                    ("subject", &self.subject_of(f.rule, f)),
                ],
            );
            self.push_once(blocks, para);
        }
    }

    fn effect(&self, e: &Effect) -> Option<String> {
        let prog = self.prog;
        let lang = self.lang;
        let zh = lang == Lang::Zh;
        let rule = prog.rules.get(e.rule.index())?;
        let scopes: Vec<&str> = e
            .measure
            .as_deref()
            .into_iter()
            .chain([e.kind.as_str()])
            .collect();
        let measure = phrase_in(prog, "measure", &scopes, lang, &[]);
        let subject = match &e.subject {
            // Null: the effect has no subject, or the case does not name it (say so, where the
            // policy words it for this kind of effect).
            crate::eval::findings::Subject::None => {
                scoped_only(prog, "unknown_subject", &scopes, lang, &[]).unwrap_or_default()
            }
            crate::eval::findings::Subject::Int(i) => i.to_string(),
            crate::eval::findings::Subject::Text(t) => self
                .names
                .as_ref()
                .and_then(|n| n.find(t))
                .map_or(t.to_string(), str::to_string),
        };
        let amount = e.amount.map_or_else(
            || self.phrase("not_given", &[]),
            |a| numbers::money(a, lang),
        );
        // Roles are values of an enumeration of the vocabulary: say them by its labels.
        let roles: Vec<String> = e
            .roles
            .iter()
            .map(|r| {
                prog.schema
                    .enums
                    .iter()
                    .find_map(|en| en.label_of(r, zh))
                    .map_or(r.clone(), str::to_string)
            })
            .collect();
        let until = e
            .last_day
            .map_or_else(|| self.phrase("not_given", &[]), |d| numbers::date(d, lang));
        Some(phrase_in(
            prog,
            "effect",
            &scopes,
            lang,
            &[
                ("cite", &cite(&rule.cite, lang)),
                ("rule", &rule_label(rule, lang)),
                ("measure", &measure),
                ("subject", &subject),
                ("amount", &amount),
                ("roles", &roles.join(&self.phrase("or_sep", &[]))),
                ("until", &until),
            ],
        ))
    }
}

/// Whom a letter on this case would be addressed to, as the policy's `addressee` wording names
/// them for these decisions, without its closing colon: how `diff` names the applicants whose
/// outcome changes. Empty when the policy's letters have no addressee.
pub fn addressee(
    policy: &Policy,
    facts: &Facts,
    as_of: NaiveDate,
    decisions: &[&str],
    lang: Lang,
) -> String {
    let w = Writer::new(policy, Some(facts), as_of, lang);
    let a = w.frame("addressee", decisions, &[]);
    // The name is the case's text: on one line in a report, its control characters escaped.
    let mut out = String::new();
    for c in a
        .trim_end()
        .trim_end_matches(['：', ':', '，', ','])
        .trim_end()
        .chars()
    {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// The letter for the decisions of `eval`, as typed blocks. `facts` (the case) gives the
/// addressee's names and the names of members and projects; without it the letter uses labels.
pub fn blocks(
    policy: &Policy,
    facts: Option<&Facts>,
    eval: &Evaluation,
    opts: &LetterOptions,
) -> Vec<Block> {
    let prog = &policy.program;
    let lang = opts.lang;
    let mut w = Writer::new(policy, facts, eval.as_of, lang);
    let mut blocks = Vec::new();
    let authority = w.phrase("authority", &[]);
    if !authority.is_empty() {
        blocks.push(Block::Authority(authority.clone()));
    }
    let dec_labels: Vec<String> = eval
        .decisions
        .iter()
        .filter_map(|d| prog.decisions.get(d.decision.index()))
        .map(|d| label(&d.labels, &d.name, lang))
        .collect();
    let decisions = w.list(&dec_labels);
    let dec_names: Vec<&str> = eval
        .decisions
        .iter()
        .filter_map(|d| prog.decisions.get(d.decision.index()))
        .map(|d| d.name.as_str())
        .collect();
    blocks.push(Block::Heading(
        w.phrase("heading", &[("decisions", &decisions)]),
    ));
    if let Some(n) = opts.number {
        blocks.push(Block::Number(w.phrase("number", &[("number", n)])));
    }
    let addressee = w.frame("addressee", &dec_names, &[]);
    if !addressee.is_empty() {
        blocks.push(Block::Addressee(addressee));
    }
    let opening = w.frame(
        "opening",
        &dec_names,
        &[
            ("title", w.title()),
            ("number", &prog.meta.number),
            ("decisions", &decisions),
        ],
    );
    if !opening.is_empty() {
        blocks.push(text(opening));
    }
    let several = eval.decisions.len() > 1;
    for d in &eval.decisions {
        w.decision(d, &mut blocks, several);
    }
    // Notices of rights: those the policy writes for an outcome (or decision) of this letter, once.
    let mut rights: Vec<String> = Vec::new();
    for d in &eval.decisions {
        let Some(dec) = prog.decisions.get(d.decision.index()) else {
            continue;
        };
        let outcome = dec
            .outcomes
            .get(d.outcome.index())
            .map_or("", |o| o.name.as_str());
        if let Some(r) = scoped_only(prog, "rights", &[outcome], lang, &[]) {
            if !rights.contains(&r) {
                rights.push(r);
            }
        }
    }
    blocks.extend(rights.into_iter().map(text));
    let date = numbers::date(opts.date.unwrap_or(eval.as_of), lang);
    blocks.push(Block::Signature(authority, date));
    blocks
}

/// The letter as Markdown.
pub fn markdown(
    policy: &Policy,
    facts: Option<&Facts>,
    eval: &Evaluation,
    opts: &LetterOptions,
) -> String {
    let mut out = String::new();
    for b in blocks(policy, facts, eval, opts) {
        match b {
            Block::Authority(a) => out.push_str(&format!("# {a}\n\n")),
            Block::Heading(h) => out.push_str(&format!("## {h}\n\n")),
            Block::Number(n) | Block::Addressee(n) => out.push_str(&format!("{n}\n\n")),
            Block::Section(s) => out.push_str(&format!("### {s}\n\n")),
            Block::Para(spans) => {
                for s in spans {
                    match s {
                        Span::Text(t) => out.push_str(&t),
                        Span::Strong(t) => out.push_str(&format!("**{t}**")),
                    }
                }
                out.push_str("\n\n");
            }
            Block::List(intro, items) => {
                out.push_str(&intro);
                out.push('\n');
                for i in items {
                    out.push_str(&format!("- {i}\n"));
                }
                out.push('\n');
            }
            Block::Signature(a, d) if a.is_empty() => out.push_str(&format!("{d}\n")),
            Block::Signature(a, d) => out.push_str(&format!("{a}\n\n{d}\n")),
        }
    }
    out
}

/// The letter without the case (labels instead of names): for callers that only kept the record.
pub fn render(policy: &Policy, eval: &Evaluation, lang: Lang) -> String {
    markdown(policy, None, eval, &LetterOptions::new(lang))
}
