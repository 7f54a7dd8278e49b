//! Facts in words: a missing fact's typed path as the vocabulary's labels ("班主任班级的2023年度
//! 学生的年龄"), a list element by its name. Paths are never re-parsed from strings: a key may hold
//! any character.

use super::numbers::Lang;
use super::wording::{phrase, phrase_in};
use crate::check::ir::{Program, RecId, Ty};
use crate::eval::facts::{Fact, Facts, Record};
use crate::eval::findings::{MissingFact, Step, Subject};
use std::collections::HashMap;

/// The field that names an element of a list in letters, when its record has one.
const NAME_FIELD: &str = "name";

/// The names of the case's list elements, by list record and key: members and projects are named
/// in letters by what the case calls them, not by their codes.
#[derive(Debug, Default, Clone)]
pub struct Names {
    by_key: HashMap<(RecId, String), String>,
}

impl Names {
    pub fn of(prog: &Program, facts: &Facts) -> Names {
        let mut names = Names::default();
        names.walk(prog, 0, facts.root(), 0);
        // Two elements of one list with the same name: each keeps its key in brackets.
        let mut seen: HashMap<(RecId, String), usize> = HashMap::new();
        for ((rec, _), name) in &names.by_key {
            *seen.entry((*rec, name.clone())).or_default() += 1;
        }
        for ((rec, key), name) in names.by_key.iter_mut() {
            if seen.get(&(*rec, name.clone())).is_some_and(|n| *n > 1) {
                *name = format!("{name}（{key}）");
            }
        }
        names
    }

    fn walk(&mut self, prog: &Program, rec: RecId, r: Record<'_>, depth: usize) {
        // The case reader bounds nesting; this bound only keeps a hand-made `Facts` harmless.
        if depth > 64 {
            return;
        }
        let Some(schema) = prog.schema.records.get(rec as usize) else {
            return;
        };
        for (f, v) in schema.fields.iter().zip(r.facts()) {
            match (f.ty, v) {
                (Ty::Record(child), Fact::Rec(inner)) => self.walk(prog, child, inner, depth + 1),
                (Ty::List(child), Fact::List(items)) => {
                    let Some(cs) = prog.schema.records.get(child as usize) else {
                        continue;
                    };
                    let name = cs.field(NAME_FIELD);
                    for item in items.iter() {
                        let key = cs.key.and_then(|k| item.get(k as usize));
                        let nm = name.and_then(|n| item.get(n as usize));
                        if let (Some(key), Some(Fact::Text(nm))) = (key.and_then(key_text), nm) {
                            self.by_key.insert((child, key), nm.to_string());
                        }
                        self.walk(prog, child, item, depth + 1);
                    }
                }
                _ => {}
            }
        }
    }

    /// The name of an element of any list whose key is `key` (an effect's subject).
    pub fn find(&self, key: &str) -> Option<&str> {
        let mut hits = self.by_key.iter().filter(|((_, k), _)| k == key);
        let first = hits.next()?;
        // Two lists with the same key: the key alone does not say which thing is meant.
        hits.next().is_none().then_some(first.1.as_str())
    }

    /// The name of the element of list record `rec` whose key is `key`.
    pub fn get(&self, rec: RecId, key: &str) -> Option<&str> {
        self.by_key.get(&(rec, key.to_string())).map(String::as_str)
    }
}

fn key_text(v: Fact<'_>) -> Option<String> {
    match v {
        Fact::Text(t) => Some(t.to_string()),
        Fact::Int(i) => Some(i.to_string()),
        _ => None,
    }
}

/// A rule's subject in words: a list element by its name (else its key), a year as written.
pub fn subject(
    prog: &Program,
    rule: crate::check::ir::RuleId,
    s: &Subject,
    names: Option<&Names>,
) -> String {
    let key = match s {
        Subject::None => return String::new(),
        Subject::Int(i) => i.to_string(),
        Subject::Text(t) => t.to_string(),
    };
    let rec = prog
        .rules
        .get(rule.index())
        .and_then(|r| r.for_each.as_ref())
        .and_then(|fe| match &fe.src {
            crate::check::ir::ForEachSrc::List { rec, .. } => Some(*rec),
            crate::check::ir::ForEachSrc::Range(..) => None,
        });
    rec.and_then(|r| names.and_then(|n| n.get(r, &key)))
        .map_or(key, str::to_string)
}

/// A missing fact in the vocabulary's words. An element picked by a named value (`[lead]`) takes
/// that value's label ("班主任班级"); one picked by key takes its name from the case, else the
/// policy's `element` wording ("2026年度财务数据").
pub fn label(prog: &Program, fact: &MissingFact, names: Option<&Names>, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let schema = &prog.schema;
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while let Some(step) = fact.steps.get(i) {
        i += 1;
        let word = match step {
            Step::Field(rec, f) => {
                let Some(field) = schema
                    .records
                    .get(*rec as usize)
                    .and_then(|r| r.fields.get(*f as usize))
                else {
                    continue;
                };
                // A record of reviewers' judgements is not said before one of them: the
                // wording of a fact awaiting their finding (`not_attested`) says whose it is,
                // and "读者的馆员审核的欠缴罚款" is not how anyone speaks. The first
                // step is kept: it is the root's, which is dropped below.
                if i > 1
                    && matches!(field.ty, Ty::Record(_))
                    && fact.steps.get(i).is_some()
                    && judgements(prog, field)
                {
                    continue;
                }
                let word = field.labels.pick(zh).to_string();
                let Ty::List(child) = field.ty else {
                    parts.push(word);
                    continue;
                };
                match fact.steps.get(i) {
                    Some(Step::Named(l)) => {
                        i += 1;
                        named(prog, *l, zh).unwrap_or(word)
                    }
                    Some(Step::Key(k)) => {
                        i += 1;
                        match names.and_then(|n| n.get(child, k)) {
                            Some(n) => n.to_string(),
                            None => element(prog, &field.name, &word, k, lang),
                        }
                    }
                    Some(Step::Num(n)) => {
                        i += 1;
                        // A list without a key is counted by position: people count from one.
                        let keyed = schema
                            .records
                            .get(child as usize)
                            .is_some_and(|r| r.key.is_some());
                        let shown = if keyed { *n } else { n.saturating_add(1) };
                        element(prog, &field.name, &word, &shown.to_string(), lang)
                    }
                    _ => word,
                }
            }
            Step::Named(l) => named(prog, *l, zh).unwrap_or_default(),
            Step::Key(k) => k.to_string(),
            Step::Num(n) => n.to_string(),
        };
        parts.push(word);
    }
    // The root record's label adds nothing to a letter about that very thing.
    if parts.len() > 1 {
        parts.remove(0);
    }
    let mut it = parts.into_iter();
    let first = it.next().unwrap_or_default();
    it.fold(first, |owner, field| {
        phrase(
            prog,
            "fact_of",
            lang,
            &[("owner", &owner), ("field", &field)],
        )
    })
}

/// Whether a missing fact is a reviewers' judgement, which the applicant cannot supply: a field
/// the policy marks `attested`, anything inside a record it marks so, or a record (absent as a
/// whole) of such judgements only.
pub fn attested(prog: &Program, fact: &MissingFact) -> bool {
    fact.steps
        .iter()
        .any(|s| matches!(s, Step::Field(rec, f) if field_is_judgement(prog, *rec, *f)))
}

/// Whether field `f` of record `rec` holds reviewers' judgements (see [`judgements`]): what
/// letters test on a missing fact's path, and messages on a rule's value.
pub(crate) fn field_is_judgement(prog: &Program, rec: u16, f: u16) -> bool {
    prog.schema
        .records
        .get(rec as usize)
        .and_then(|r| r.fields.get(f as usize))
        .is_some_and(|field| judgements(prog, field))
}

/// A field marked `attested`, or a record whose fields all are.
fn judgements(prog: &Program, field: &crate::check::ir::FieldSchema) -> bool {
    field.attested
        || match field.ty {
            Ty::Record(child) => prog
                .schema
                .records
                .get(child as usize)
                .is_some_and(|r| !r.fields.is_empty() && r.fields.iter().all(|f| f.attested)),
            _ => false,
        }
}

/// Missing facts split into those the case should give and reviewers' judgements not yet made
/// (`attested`), each kept with what the caller made of it: the applicant is asked only for
/// the first.
pub fn split_attested<'m, T>(
    prog: &Program,
    facts: impl IntoIterator<Item = (&'m MissingFact, T)>,
) -> (Vec<T>, Vec<T>) {
    let (mut given, mut judged) = (Vec::new(), Vec::new());
    for (m, t) in facts {
        if attested(prog, m) {
            judged.push(t);
        } else {
            given.push(t);
        }
    }
    (given, judged)
}

/// The label of the named value whose name is `Program::labels[l]` (`head` → 班主任班级).
fn named(prog: &Program, l: u16, zh: bool) -> Option<String> {
    let name = prog.labels.get(l as usize)?;
    let g = prog.globals.iter().find(|g| &g.name == name)?;
    Some(
        g.labels
            .as_ref()
            .map_or(name.clone(), |x| x.pick(zh).to_string()),
    )
}

fn element(prog: &Program, list: &str, word: &str, key: &str, lang: Lang) -> String {
    phrase_in(
        prog,
        "element",
        &[list],
        lang,
        &[("list", word), ("key", key)],
    )
}
