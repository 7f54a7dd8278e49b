//! The policy as data for people who browse it: each article's text beside the rules that
//! encode it (what each rule says, its thresholds, the facts it reads, the decisions it serves),
//! and the decisions with their outcome labels. Built from the typed program once per request;
//! the service returns it as JSON (`GET /v1/policies/{version}/articles`) for the staff page.

use crate::check::ir::{
    Agg, Ex, ForEachSrc, Local, Program, RecId, RuleIr, Src, Strength, Template, TemplatePair,
    TemplatePart, Ty,
};
use crate::explain::letter::cite;
use crate::explain::numbers::Lang;
use crate::scenario::RuleTally;
use crate::syntax::ast::Labels;
use chrono::{Days, Months, NaiveDate};
use serde::Serialize;
use std::collections::BTreeMap;

/// A phrase in both languages.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Words {
    pub zh: String,
    pub en: String,
}

impl Words {
    fn of(l: &Labels) -> Self {
        Words {
            zh: l.zh.clone(),
            en: l.en.clone(),
        }
    }

    fn or_name(l: &Option<Labels>, name: &str) -> Self {
        l.as_ref().map_or_else(
            || Words {
                zh: name.to_string(),
                en: name.to_string(),
            },
            Words::of,
        )
    }
}

#[derive(Debug, Serialize)]
pub struct Catalog {
    pub policy: PolicyInfo,
    pub decisions: Vec<DecisionInfo>,
    pub articles: Vec<ArticleInfo>,
    /// Rules whose cite names no article of the policy's text (none in a checked policy with a
    /// source text; listed so that nothing is hidden).
    pub unplaced: Vec<RuleInfo>,
    pub coverage: Option<CoverageInfo>,
    /// The facts a case file may carry, as a tree (the page falls back to it when the service
    /// has no JSON Schema to give).
    pub vocabulary: Vec<FieldInfo>,
}

/// A value of an enumeration, with its words when the vocabulary gives them.
#[derive(Debug, Serialize)]
pub struct Variant {
    pub name: String,
    pub labels: Words,
}

#[derive(Debug, Serialize)]
pub struct FieldInfo {
    pub name: String,
    pub labels: Words,
    /// `bool`, `int`, `decimal`, `money`, `percent`, `date`, `duration`, `text`, `enum`,
    /// `record`, `list`.
    #[serde(rename = "type")]
    pub ty: &'static str,
    /// Reviewers' findings rather than the applicant's facts.
    pub attested: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<Variant>,
    /// The key of a list's elements.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldInfo>,
}

#[derive(Debug, Serialize)]
pub struct PolicyInfo {
    pub id: String,
    pub title: Words,
    pub number: String,
    pub issuer: String,
    pub version: String,
    pub digest: String,
    #[serde(serialize_with = "iso_date")]
    pub effective: Option<NaiveDate>,
    /// The last day of the validity window (effective + validity − 1 day).
    #[serde(serialize_with = "iso_date")]
    pub last_day: Option<NaiveDate>,
}

/// `YYYY-MM-DD` or null (chrono is built without its serde feature).
fn iso_date<S: serde::Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_str(&d.format("%Y-%m-%d").to_string()),
        None => s.serialize_none(),
    }
}

#[derive(Debug, Serialize)]
pub struct CoverageInfo {
    pub total: usize,
    pub encoded: usize,
    pub declaratory: usize,
}

#[derive(Debug, Serialize)]
pub struct DecisionInfo {
    pub name: String,
    pub labels: Words,
    pub outcomes: Vec<OutcomeInfo>,
}

#[derive(Debug, Serialize)]
pub struct OutcomeInfo {
    pub name: String,
    pub labels: Words,
}

#[derive(Debug, Serialize)]
pub struct ArticleInfo {
    pub number: u32,
    /// 第六条 / Article 6.
    pub heading: Words,
    pub text: String,
    /// Why the article sets no computable rule, when it sets none.
    pub declaratory: Option<String>,
    pub rules: Vec<RuleInfo>,
}

#[derive(Debug, Serialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Force {
    /// Failing it gives `violated`.
    Must,
    /// 原则上: failing it gives `review`.
    Should,
    /// No test of its own: it only issues effects or exempts.
    Effect,
}

#[derive(Debug, Serialize, Clone)]
pub struct RuleInfo {
    pub id: String,
    pub labels: Words,
    /// `6(2)3` as written, and as people read it.
    pub cite: String,
    pub cite_words: Words,
    pub force: Force,
    /// What the provision requires, thresholds filled in.
    pub says: Option<Words>,
    pub thresholds: Vec<Threshold>,
    /// Fact paths it reads, e.g. `reader.loans[].due_on`, sorted.
    pub reads: Vec<String>,
    pub decisions: Vec<String>,
    /// Rules this one overrides (an exception).
    pub overrides: Vec<String>,
    pub effects: Vec<String>,
    pub source: String,
    /// How often each status was seen across the policy's scenario files, when they were run.
    pub scenarios: Option<Tally>,
}

#[derive(Debug, Serialize, Clone)]
pub struct Threshold {
    pub name: String,
    pub labels: Words,
    /// `money`, `int`, `percent`, `decimal`, `date`, `duration`.
    pub kind: &'static str,
    /// Exact: money in yuan, a percent as its number (`3` for 3%), a duration as `36 months`.
    pub value: String,
}

#[derive(Debug, Serialize, Clone, Default)]
pub struct Tally {
    pub satisfied: usize,
    pub violated: usize,
    pub review: usize,
    pub exempt: usize,
    pub unknown: usize,
    pub not_applicable: usize,
}

impl From<&RuleTally> for Tally {
    fn from(t: &RuleTally) -> Self {
        Tally {
            satisfied: t.satisfied,
            violated: t.violated,
            review: t.review,
            exempt: t.exempt,
            unknown: t.unknown,
            not_applicable: t.not_applicable,
        }
    }
}

/// The catalog of a loaded policy; `tally` is the scenario coverage, when scenarios were run.
pub fn build(
    program: &Program,
    digest: &str,
    coverage: Option<&crate::check::law::Coverage>,
    tally: Option<&BTreeMap<String, RuleTally>>,
) -> Catalog {
    let paths = record_paths(program);
    let meta = &program.meta;
    let last_day = meta.effective.zip(meta.validity).and_then(|(e, v)| {
        let months = u32::try_from(v.months).ok()?;
        let days = u64::try_from(v.days).ok()?;
        e.checked_add_months(Months::new(months))?
            .checked_add_days(Days::new(days))?
            .pred_opt()
    });
    let policy = PolicyInfo {
        id: meta.id.clone(),
        title: Words {
            zh: meta.title.clone(),
            en: if meta.title_en.is_empty() {
                meta.title.clone()
            } else {
                meta.title_en.clone()
            },
        },
        number: meta.number.clone(),
        issuer: meta.issuer.clone(),
        version: meta.version.clone(),
        digest: digest.to_string(),
        effective: meta.effective,
        last_day,
    };
    let decisions = program
        .decisions
        .iter()
        .map(|d| DecisionInfo {
            name: d.name.clone(),
            labels: Words::or_name(&d.labels, &d.name),
            outcomes: d
                .outcomes
                .iter()
                .map(|o| OutcomeInfo {
                    name: o.name.clone(),
                    labels: Words::or_name(&o.labels, &o.name),
                })
                .collect(),
        })
        .collect();
    let rules: Vec<RuleInfo> = program
        .rules
        .iter()
        .enumerate()
        .map(|(i, r)| rule_info(program, &paths, i, r, tally))
        .collect();
    let mut articles: Vec<ArticleInfo> = program
        .articles
        .iter()
        .map(|a| ArticleInfo {
            number: a.number,
            heading: Words {
                zh: cite(&article_cite(a.number), Lang::Zh),
                en: cite(&article_cite(a.number), Lang::En),
            },
            text: a.text.trim().to_string(),
            declaratory: a.declaratory.clone(),
            rules: Vec::new(),
        })
        .collect();
    articles.sort_by_key(|a| a.number);
    let mut unplaced = Vec::new();
    for (r, info) in program.rules.iter().zip(rules) {
        match articles.iter_mut().find(|a| a.number == r.cite.article) {
            Some(a) => a.rules.push(info),
            None => unplaced.push(info),
        }
    }
    Catalog {
        policy,
        decisions,
        articles,
        unplaced,
        coverage: coverage.map(|c| CoverageInfo {
            total: c.total,
            encoded: c.encoded,
            declaratory: c.declaratory,
        }),
        vocabulary: fields_of(program, 0, 0),
    }
}

/// The fields of a record, depth-limited so a malformed schema cannot recurse without end.
fn fields_of(program: &Program, rec: RecId, depth: usize) -> Vec<FieldInfo> {
    let Some(r) = program.schema.records.get(rec as usize) else {
        return Vec::new();
    };
    if depth > 32 {
        return Vec::new();
    }
    r.fields
        .iter()
        .map(|f| {
            let (ty, variants, fields, key) = match f.ty {
                Ty::Bool => ("bool", vec![], vec![], None),
                Ty::Int => ("int", vec![], vec![], None),
                Ty::Decimal => ("decimal", vec![], vec![], None),
                Ty::Money => ("money", vec![], vec![], None),
                Ty::Percent => ("percent", vec![], vec![], None),
                Ty::Date => ("date", vec![], vec![], None),
                Ty::Duration => ("duration", vec![], vec![], None),
                Ty::Text => ("text", vec![], vec![], None),
                Ty::Enum(e) => (
                    "enum",
                    program
                        .schema
                        .enums
                        .get(e as usize)
                        .map(|e| {
                            e.variants
                                .iter()
                                .enumerate()
                                .map(|(i, v)| Variant {
                                    name: v.clone(),
                                    labels: Words::or_name(e.labels.get(i).unwrap_or(&None), v),
                                })
                                .collect()
                        })
                        .unwrap_or_default(),
                    vec![],
                    None,
                ),
                Ty::Record(c) => ("record", vec![], fields_of(program, c, depth + 1), None),
                Ty::List(c) => (
                    "list",
                    vec![],
                    fields_of(program, c, depth + 1),
                    program.schema.records.get(c as usize).and_then(|cr| {
                        cr.key
                            .and_then(|k| cr.fields.get(k as usize))
                            .map(|k| k.name.clone())
                    }),
                ),
            };
            FieldInfo {
                name: f.name.clone(),
                labels: Words::of(&f.labels),
                ty,
                attested: f.attested,
                variants,
                key,
                fields,
            }
        })
        .collect()
}

fn article_cite(n: u32) -> crate::check::ir::Cite {
    crate::check::ir::Cite {
        text: n.to_string(),
        article: n,
        item: None,
        sub: None,
    }
}

fn rule_info(
    program: &Program,
    paths: &[String],
    index: usize,
    r: &RuleIr,
    tally: Option<&BTreeMap<String, RuleTally>>,
) -> RuleInfo {
    let thresholds: Vec<Threshold> = r.locals.iter().filter_map(threshold).collect();
    let mut reads = Vec::new();
    let mut seen_globals = Vec::new();
    {
        let mut visit = |e: &Ex| reads_of(program, paths, e, &mut reads, &mut seen_globals);
        if let Some(fe) = &r.for_each {
            match &fe.src {
                ForEachSrc::List { list, .. } => visit(list),
                ForEachSrc::Range(a, b) => {
                    visit(a);
                    visit(b);
                }
            }
            if let Some(f) = &fe.filter {
                visit(f);
            }
        }
        if let Some(a) = &r.applies {
            visit(a);
        }
        for l in &r.locals {
            visit(&l.ex);
        }
        if let Some((_, t)) = &r.test {
            visit(t);
        }
        for e in r.then.iter().chain(&r.otherwise) {
            for x in [&e.amount, &e.subject, &e.until].into_iter().flatten() {
                visit(x);
            }
        }
    }
    reads.sort();
    reads.dedup();
    let decisions = program
        .decisions
        .iter()
        .filter(|d| {
            d.rules.iter().any(|x| x.index() == index)
                || d.gates.iter().any(|(x, _)| x.index() == index)
        })
        .map(|d| d.name.clone())
        .collect();
    let mut effects: Vec<String> = r
        .then
        .iter()
        .chain(&r.otherwise)
        .map(|e| e.kind.clone())
        .collect();
    effects.sort();
    effects.dedup();
    RuleInfo {
        id: r.id.clone(),
        labels: Words::or_name(&r.labels, &r.id),
        cite: r.cite.text.clone(),
        cite_words: Words {
            zh: cite(&r.cite, Lang::Zh),
            en: cite(&r.cite, Lang::En),
        },
        force: match &r.test {
            Some((Strength::Must, _)) => Force::Must,
            Some((Strength::Should, _)) => Force::Should,
            None => Force::Effect,
        },
        says: r.says.as_ref().map(|s| says(s, &r.locals)),
        thresholds,
        reads,
        decisions,
        overrides: r
            .overrides
            .iter()
            .filter_map(|o| program.rules.get(o.index()).map(|x| x.id.clone()))
            .collect(),
        effects,
        source: r.source.clone(),
        scenarios: tally.map(|t| t.get(&r.id).map(Tally::from).unwrap_or_default()),
    }
}

/// A local bound to a constant is a threshold of the provision.
fn threshold(l: &Local) -> Option<Threshold> {
    let (kind, value) = constant(&l.ex, l.ty)?;
    Some(Threshold {
        name: l.name.clone(),
        labels: Words::or_name(&l.labels, &l.name),
        kind,
        value,
    })
}

fn constant(e: &Ex, ty: Ty) -> Option<(&'static str, String)> {
    let kind = match ty {
        Ty::Money => "money",
        Ty::Int => "int",
        Ty::Percent => "percent",
        Ty::Decimal => "decimal",
        Ty::Date => "date",
        Ty::Duration => "duration",
        _ => return None,
    };
    let value = match e {
        Ex::Int(i) => i.to_string(),
        Ex::Num(d) => d.normalize().to_string(),
        Ex::Date(d) => d.to_string(),
        Ex::Dur(d) if d.days == 0 => format!("{} months", d.months),
        Ex::Dur(d) if d.months == 0 => format!("{} days", d.days),
        Ex::Dur(d) => format!("{} months {} days", d.months, d.days),
        Ex::Neg(inner) => {
            let (_, v) = constant(inner, ty)?;
            format!("-{v}")
        }
        _ => return None,
    };
    Some((kind, value))
}

/// The `says` template with its thresholds filled in, other holes left as `{name}`.
fn says(pair: &TemplatePair, locals: &[Local]) -> Words {
    let fill = |t: &Template, lang: Lang| {
        let mut out = String::new();
        for p in &t.parts {
            match p {
                TemplatePart::Lit(s) => out.push_str(s),
                TemplatePart::Local(i) => match locals.get(*i) {
                    Some(l) => match constant(&l.ex, l.ty) {
                        Some((kind, v)) => out.push_str(&shown(kind, &v, lang)),
                        None => {
                            out.push('{');
                            out.push_str(&l.name);
                            out.push('}');
                        }
                    },
                    None => out.push_str("{?}"),
                },
                TemplatePart::Subject => out.push_str("{subject}"),
            }
        }
        out
    };
    Words {
        zh: fill(&pair.zh, Lang::Zh),
        en: fill(&pair.en, Lang::En),
    }
}

/// A constant as the letters show it (money in its largest unit, percents with `%`).
fn shown(kind: &str, v: &str, lang: Lang) -> String {
    match (kind, v.parse::<rust_decimal::Decimal>()) {
        ("money", Ok(d)) => crate::explain::numbers::money(d, lang),
        ("percent", Ok(d)) => crate::explain::numbers::percent(d),
        _ => v.to_string(),
    }
}

/// The path of every record of the vocabulary: `reader`, `reader.loans[]`, ….
fn record_paths(program: &Program) -> Vec<String> {
    let n = program.schema.records.len();
    let mut paths = vec![String::new(); n];
    let mut stack: Vec<RecId> = vec![0];
    let mut done = vec![false; n];
    while let Some(r) = stack.pop() {
        let Some(rec) = program.schema.records.get(r as usize) else {
            continue;
        };
        if std::mem::replace(&mut done[r as usize], true) {
            continue;
        }
        let base = paths[r as usize].clone();
        for f in &rec.fields {
            let (child, suffix) = match f.ty {
                Ty::Record(c) => (c, ""),
                Ty::List(c) => (c, "[]"),
                _ => continue,
            };
            if let Some(p) = paths.get_mut(child as usize) {
                *p = join(&base, &f.name) + suffix;
                stack.push(child);
            }
        }
    }
    paths
}

fn join(base: &str, name: &str) -> String {
    if base.is_empty() {
        name.to_string()
    } else {
        format!("{base}.{name}")
    }
}

/// Collect the fact paths an expression reads, following globals (`lead`, …) once each.
fn reads_of(
    program: &Program,
    paths: &[String],
    e: &Ex,
    out: &mut Vec<String>,
    globals: &mut Vec<u16>,
) {
    let mut stack: Vec<&Ex> = vec![e];
    while let Some(e) = stack.pop() {
        match e {
            Ex::Field(inner, rec, field) => {
                if let Some(f) = program
                    .schema
                    .records
                    .get(*rec as usize)
                    .and_then(|r| r.fields.get(*field as usize))
                {
                    if !matches!(f.ty, Ty::Record(_)) {
                        let base = paths.get(*rec as usize).map_or("", |s| s.as_str());
                        out.push(join(base, &f.name));
                    }
                }
                stack.push(inner);
            }
            Ex::Global(g) => {
                if !globals.contains(g) {
                    globals.push(*g);
                    if let Some(gl) = program.globals.get(*g as usize) {
                        stack.push(&gl.ex);
                    }
                }
            }
            Ex::Lookup(a, _, b)
            | Ex::And(a, b)
            | Ex::Or(a, b)
            | Ex::Cmp(_, a, b, _)
            | Ex::Arith(_, a, b)
            | Ex::DateShift(a, b, _)
            | Ex::DurScale(a, b) => {
                stack.push(a);
                stack.push(b);
            }
            Ex::InSet(a, _)
            | Ex::Not(a)
            | Ex::Neg(a)
            | Ex::Year(a)
            | Ex::Exists(a)
            | Ex::Known(a) => stack.push(a),
            Ex::MakeDate(a, b, c) => {
                stack.push(a);
                stack.push(b);
                stack.push(c);
            }
            Ex::Agg(agg) => push_agg(agg, &mut stack),
            Ex::Only { list, filter, .. } => {
                stack.push(list);
                if let Some(f) = filter {
                    stack.push(f);
                }
            }
            Ex::MinMax(_, xs) => stack.extend(xs.iter()),
            Ex::Bool(_)
            | Ex::Int(_)
            | Ex::Num(_)
            | Ex::Date(_)
            | Ex::Dur(_)
            | Ex::Text(_)
            | Ex::Enum(_)
            | Ex::AsOf
            | Ex::PolicyDay(_)
            | Ex::Root
            | Ex::Var(_) => {}
        }
    }
}

fn push_agg<'a>(agg: &'a Agg, stack: &mut Vec<&'a Ex>) {
    match &agg.src {
        Src::List(l, _) => stack.push(l),
        Src::Range(a, b) => {
            stack.push(a);
            stack.push(b);
        }
    }
    if let Some(f) = &agg.filter {
        stack.push(f);
    }
    if let Some(b) = &agg.body {
        stack.push(b);
    }
}
