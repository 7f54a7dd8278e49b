//! The checked program: every name resolved to an index, every expression typed. The evaluator
//! runs only on this; it never sees a name it has to look up.

use crate::source::Span;
use crate::syntax::ast::Labels;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub type RecId = u16;
pub type FieldId = u16;
pub type EnumId = u16;
pub type Slot = u16;

/// Index types of the program, so a rule's index cannot be used as an outcome's.
macro_rules! index_type {
    ($(#[$doc:meta] $name:ident),*) => {$(
        #[$doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub struct $name(pub u16);
        impl $name {
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    )*};
}
index_type!(
    /// A rule of `Program::rules`.
    RuleId,
    /// A decision of `Program::decisions`.
    DecisionId,
    /// An outcome of one decision's `outcomes`.
    OutcomeId,
    /// A date of one decision's `dates`.
    DateId
);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Ty {
    Bool,
    Int,
    Decimal,
    Money,
    Percent,
    Date,
    Duration,
    Text,
    Enum(EnumId),
    Record(RecId),
    List(RecId),
}

impl Ty {
    pub fn is_numeric(self) -> bool {
        matches!(self, Ty::Int | Ty::Decimal | Ty::Money | Ty::Percent)
    }
}

/// A span of calendar time. Years and months are counted as months so that 3 years from
/// Feb 29 ends on Feb 28 (the last day of the month) rather than overflowing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Dur {
    pub months: i64,
    pub days: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FieldSchema {
    pub name: String,
    pub ty: Ty,
    /// The values a numeric field admits (`money >= 0`); open for every other type.
    pub range: super::range::Range,
    pub labels: Labels,
    /// Found by reviewers rather than stated by the applicant; `rulebook schema` says so.
    pub attested: bool,
    pub span: Span,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RecordSchema {
    pub fields: Vec<FieldSchema>,
    /// The field that identifies an element when this record is a list element.
    pub key: Option<FieldId>,
    /// A lookup by key that finds nothing is unknown rather than absent.
    pub incomplete: bool,
}

impl RecordSchema {
    pub fn field(&self, name: &str) -> Option<FieldId> {
        self.fields
            .iter()
            .position(|f| f.name == name)
            .map(|i| i as FieldId)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EnumSchema {
    pub variants: Vec<String>,
    /// The same names, shared with findings without a copy per case.
    pub shared: Vec<std::sync::Arc<str>>,
    /// The words for each value in letters (`university "高等学校" | "university"`).
    pub labels: Vec<Option<Labels>>,
    pub spans: Vec<crate::source::Span>,
}

impl EnumSchema {
    /// A value in words: its label, else its name.
    pub fn label(&self, v: u16, zh: bool) -> &str {
        match self.labels.get(v as usize) {
            Some(Some(l)) => l.pick(zh),
            _ => self.variants.get(v as usize).map_or("", |s| s.as_str()),
        }
    }

    /// The value named `name` in words, if it is one of this enumeration's.
    pub fn label_of(&self, name: &str, zh: bool) -> Option<&str> {
        let i = self.variants.iter().position(|v| v == name)?;
        Some(self.label(i as u16, zh))
    }
}

/// The vocabulary: record 0 is the root of a case file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Schema {
    pub records: Vec<RecordSchema>,
    pub enums: Vec<EnumSchema>,
}

impl Schema {
    /// How many fields a record of schema `r` has (0 for no such schema).
    pub fn width(&self, r: RecId) -> usize {
        self.records.get(r as usize).map_or(0, |s| s.fields.len())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AggKind {
    Count,
    Sum,
    Mean,
    Min,
    Max,
    Any,
    All,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[repr(u8)]
pub enum Src {
    List(Ex, RecId),
    Range(Ex, Ex),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Agg {
    pub kind: AggKind,
    pub var: Slot,
    pub src: Src,
    pub filter: Option<Ex>,
    pub body: Option<Ex>,
    /// `Int` sums stay integers; everything else is decimal.
    pub int_result: bool,
}

// An explicit one-byte tag: `eval` dispatches on it at every step, and without `repr` the
// compiler hid the tag in a niche that took a dozen instructions to decode (issue 12).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[repr(u8)]
pub enum Ex {
    Bool(bool),
    Int(i64),
    Num(#[serde(with = "super::ir_serde::decimal")] Decimal),
    Date(#[serde(with = "super::ir_serde::date")] NaiveDate),
    Dur(Dur),
    Text(Box<str>),
    Enum(u16),
    AsOf,
    Root,
    Var(Slot),
    Global(u16),
    Field(Box<Ex>, RecId, FieldId),
    Lookup(Box<Ex>, RecId, Box<Ex>),
    InSet(Box<Ex>, Box<[u16]>),
    Not(Box<Ex>),
    Neg(Box<Ex>),
    And(Box<Ex>, Box<Ex>),
    Or(Box<Ex>, Box<Ex>),
    /// A comparison and the kind of value compared (for counterfactuals).
    Cmp(CmpOp, Box<Ex>, Box<Ex>, Ty),
    Arith(ArithOp, Box<Ex>, Box<Ex>),
    DateShift(Box<Ex>, Box<Ex>, bool),
    DurScale(Box<Ex>, Box<Ex>),
    Agg(Box<Agg>),
    /// The single element of a list meeting the filter; absent when none or several do.
    Only {
        var: Slot,
        list: Box<Ex>,
        rec: RecId,
        filter: Option<Box<Ex>>,
        label: u16,
    },
    Year(Box<Ex>),
    /// A calendar day from year, month and day; unknown when there is no such day.
    MakeDate(Box<Ex>, Box<Ex>, Box<Ex>),
    Exists(Box<Ex>),
    Known(Box<Ex>),
    MinMax(bool, Vec<Ex>),
    /// A day of the version's window, read at evaluation time: the window is cut by a later
    /// version and set aside by `diff`, so it is not a constant of the rule files.
    PolicyDay(PolicyDay),
}

/// The first or last day of the window in which a version is in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PolicyDay {
    Effective,
    LastDay,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Global {
    pub name: String,
    pub ex: Ex,
    pub ty: Ty,
    pub labels: Option<Labels>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum TemplatePart {
    Lit(String),
    Local(usize),
    Subject,
}

/// A message with `{name}` holes, resolved at load.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Template {
    pub parts: Vec<TemplatePart>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TemplatePair {
    pub zh: Template,
    pub en: Template,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Local {
    pub name: String,
    pub slot: Slot,
    pub ex: Ex,
    pub ty: Ty,
    pub labels: Option<Labels>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Strength {
    /// Failing gives `violated`.
    Must,
    /// 原则上: failing gives `review`.
    Should,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EffectIr {
    pub kind: String,
    pub measure: Option<String>,
    pub amount: Option<Ex>,
    pub subject: Option<Ex>,
    pub roles: Vec<String>,
    pub until: Option<Ex>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum ForEachSrc {
    List { list: Ex, rec: RecId },
    Range(Ex, Ex),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ForEach {
    pub var: Slot,
    pub src: ForEachSrc,
    pub filter: Option<Ex>,
}

/// A cite as written (`6(2)3`) and its parts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cite {
    pub text: String,
    pub article: u32,
    pub item: Option<u32>,
    pub sub: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RuleIr {
    pub id: String,
    pub labels: Option<Labels>,
    pub cite: Cite,
    pub for_each: Option<ForEach>,
    pub applies: Option<Ex>,
    pub locals: Vec<Local>,
    pub test: Option<(Strength, Ex)>,
    pub then: Vec<EffectIr>,
    pub otherwise: Vec<EffectIr>,
    pub overrides: Vec<RuleId>,
    pub says: Option<TemplatePair>,
    pub found: Option<TemplatePair>,
    pub span: Span,
    /// `file:line:col`, computed once at load.
    pub source: String,
    /// Spans of the test expression, for diagnostics that point into the rule.
    pub test_span: Option<Span>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum OutcomeWhen {
    Declared,
    Otherwise,
    AnyStatus(crate::syntax::ast::StatusWord),
    AnyEffect(Option<String>),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OutcomeIr {
    pub name: String,
    pub labels: Option<Labels>,
    pub when: OutcomeWhen,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RequireIr {
    pub cond: Ex,
    pub otherwise: OutcomeId,
    pub unknown: OutcomeId,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DateIr {
    pub name: String,
    pub labels: Option<Labels>,
    pub ex: Ex,
    pub when_outcomes: Vec<OutcomeId>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DecisionIr {
    pub name: String,
    pub labels: Option<Labels>,
    pub gates: Vec<(RuleId, OutcomeId)>,
    pub requires: Vec<RequireIr>,
    pub rules: Vec<RuleId>,
    pub outcomes: Vec<OutcomeIr>,
    pub dates: Vec<DateIr>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ArticleIr {
    pub number: u32,
    pub declaratory: Option<String>,
    pub text: String,
    pub span: Span,
    /// Where `text` begins in its file, so a diagnostic can point at one character of it.
    pub text_start: u32,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Meta {
    pub id: String,
    pub title: String,
    /// The title in English, for English letters.
    pub title_en: String,
    pub number: String,
    pub issuer: String,
    pub version: String,
    #[serde(with = "super::ir_serde::option_date")]
    pub effective: Option<NaiveDate>,
    pub validity: Option<Dur>,
    /// The measures this version replaces, as the header names them; `check` reports it.
    pub repeals: String,
    /// The last day in force: `effective + validity - 1 day`, or the day before a later version
    /// takes effect (set when the versions are loaded); `None` when open-ended.
    #[serde(with = "super::ir_serde::option_date")]
    pub last_day: Option<NaiveDate>,
}

/// Phrases for letters and counterfactuals, from the policy's `wording` block: (zh, en) by key.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Wording {
    /// Key, scope (decision, outcome or list names; empty for every letter), phrase.
    pub entries: Vec<(String, Vec<String>, Labels)>,
}

impl Wording {
    /// The unscoped phrase for `key`.
    pub fn get(&self, key: &str, zh: bool) -> Option<&str> {
        self.get_in(key, &[], zh)
    }

    /// The phrase for `key` whose scope names the first of `scopes` it can (say an outcome, then
    /// its decision), else the unscoped one.
    pub fn get_in(&self, key: &str, scopes: &[&str], zh: bool) -> Option<&str> {
        scopes
            .iter()
            .find_map(|s| {
                self.entries
                    .iter()
                    .find(|(k, sc, _)| k == key && sc.iter().any(|x| x == s))
            })
            .or_else(|| {
                self.entries
                    .iter()
                    .find(|(k, sc, _)| k == key && sc.is_empty())
            })
            .map(|(_, _, l)| l.pick(zh))
    }
}

/// The wording keys a policy may give, and the `{holes}` each may use.
pub const WORDING_KEYS: &[(&str, &[&str])] = &[
    (
        "paragraph",
        &["title", "cite", "says", "found", "verdict", "subject"],
    ),
    ("counterfactual", &["change"]),
    ("violated", &[]),
    ("review", &[]),
    ("unknown", &[]),
    ("exempt", &[]),
    // The verdict of a rule whose failure brings measures (a breach found): `{measures}` names them.
    ("consequence", &["cite", "measures"]),
    ("no_finding", &["rule"]),
    // `{bound}` is the provision's figure; `{target}` the value the change reaches, the bound
    // itself or, for `>` and `<`, one step past it (see `eval::findings::Change`).
    ("increase", &["value", "actual", "delta", "bound", "target"]),
    ("decrease", &["value", "actual", "delta", "bound", "target"]),
    ("above_zero", &["value"]),
    // A gap between two percentages, in percentage points ("0.52个百分点", not "0.52%").
    ("points", &["value"]),
    ("all", &[]),
    ("any", &[]),
    ("required", &["says"]),
    ("outcome", &["decision", "outcome"]),
    ("supply", &[]),
    // `{rules}` gives the conditions by provision (rule_item), each provision once with its
    // conditions' names; `{cite}` and `{rule}` list them apart.
    ("supply_item", &["fact", "cite", "rule", "rules"]),
    ("not_supplied", &["facts"]),
    // Facts that are reviewers' judgements (`attested`) not yet made: the applicant is not
    // asked for them.
    ("not_attested", &["facts"]),
    ("not_examined", &["facts", "decision"]),
    ("not_examined_attested", &["facts", "decision"]),
    ("effects", &[]),
    ("date_item", &["name", "date"]),
    // The letter's frame.
    ("authority", &[]),
    ("heading", &["decisions"]),
    ("number", &["number"]),
    ("addressee", &[]),
    ("opening", &["title", "number", "decisions"]),
    ("section", &["decision"]),
    ("secondary_review", &[]),
    ("unknown_group", &["facts", "rules"]),
    ("unknown_group_attested", &["facts", "rules"]),
    ("rule_item", &["cite", "rule"]),
    ("rights", &[]),
    (
        "effect",
        &[
            "cite", "rule", "measure", "subject", "amount", "roles", "until",
        ],
    ),
    ("measure", &[]),
    // Whom an effect is for when the case does not say (its subject null), e.g. an award to a
    // lead the member list does not name; only as the policy scopes it, else nothing.
    ("unknown_subject", &[]),
    // Facts in words: an element of a list, a field of something, a value not given.
    ("element", &["list", "key"]),
    ("fact_of", &["owner", "field"]),
    ("not_given", &[]),
    ("not_computed", &[]),
    // A reviewers' judgement (`attested`) not yet made, as a value: "待认定".
    ("pending", &[]),
    // A number known only within bounds (a count over members some of whose kinds are not given).
    ("at_most", &["value"]),
    ("at_least", &["value"]),
    ("between", &["low", "high"]),
    ("absent", &[]),
    ("list_sep", &[]),
    // Between alternatives (the roles a ban covers).
    ("or_sep", &[]),
];

/// Wording keys whose `{holes}` may also name the policy's `let` values, read from the case.
pub const FRAME_KEYS: &[&str] = &["addressee", "opening"];

/// The whole checked policy.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Program {
    pub meta: Meta,
    pub schema: Schema,
    pub globals: Vec<Global>,
    pub rules: Vec<RuleIr>,
    pub decisions: Vec<DecisionIr>,
    pub articles: Vec<ArticleIr>,
    /// Names used for `list[name]`-style path labels of `only(...)` elements.
    pub labels: Vec<String>,
    pub n_slots: usize,
    pub wording: Wording,
}
