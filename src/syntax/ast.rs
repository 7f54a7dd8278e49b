//! The owned syntax tree: what a rule file says, with spans, before names and types are checked.

use crate::source::{Span, Spanned};
use chrono::NaiveDate;
use rust_decimal::Decimal;

pub type Name = Spanned<String>;

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Labels {
    pub zh: String,
    pub en: String,
}

impl Labels {
    /// The Chinese or the English text.
    pub fn pick(&self, zh: bool) -> &str {
        if zh {
            &self.zh
        } else {
            &self.en
        }
    }
}

#[derive(Debug, Clone)]
pub enum Item {
    Header(Header),
    Facts(Vec<FieldDecl>),
    Wording(Vec<WordingEntry>),
    Article(Article),
    Let(LetDef),
    Rule(RuleDef),
    Decision(DecisionDef),
}

#[derive(Debug, Clone)]
pub struct Header {
    pub id: Name,
    pub fields: Vec<(Name, HeaderValue)>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum HeaderValue {
    Text(String),
    Date(NaiveDate),
    Quantity(Quantity),
}

#[derive(Debug, Clone)]
pub struct FieldDecl {
    pub name: Name,
    pub ty: Spanned<TypeDecl>,
    pub attested: bool,
    /// `>= 0`, `< 100`: the range a number may take in a case file.
    pub bounds: Vec<Spanned<BoundDecl>>,
    pub labels: Labels,
    pub children: Vec<FieldDecl>,
    pub span: Span,
}

/// One side of a field's range, as written: `>= 0`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoundDecl {
    pub op: BoundOp,
    pub value: Decimal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoundOp {
    Ge,
    Gt,
    Le,
    Lt,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeDecl {
    Bool,
    Int,
    Decimal,
    Money,
    Percent,
    Date,
    Text,
    Record,
    Enum(Vec<EnumValue>),
    List { key: Option<Name>, incomplete: bool },
}

#[derive(Debug, Clone)]
pub struct Article {
    pub number: Spanned<u32>,
    pub declaratory: Option<String>,
    pub text: String,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct LetDef {
    pub name: Name,
    pub expr: Expr,
    pub labels: Option<Labels>,
}

#[derive(Debug, Clone)]
pub struct RuleDef {
    pub id: Name,
    pub is_exception: bool,
    pub labels: Option<Labels>,
    pub clauses: Vec<Spanned<Clause>>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum Clause {
    Cite(String),
    In(Vec<Name>),
    ForEach {
        var: Name,
        source: Source,
        filter: Option<Expr>,
    },
    AppliesWhen(Expr),
    Let(LetDef),
    Must(Expr),
    Should(Expr),
    Then(EffectDecl),
    Otherwise(EffectDecl),
    Says(Labels),
    Found(Labels),
    Overrides(Vec<Name>),
}

#[derive(Debug, Clone)]
pub enum Source {
    List(Box<Expr>),
    Range(Box<Expr>, Box<Expr>),
}

#[derive(Debug, Clone)]
pub struct EffectDecl {
    pub kind: Name,
    pub measure: Option<Name>,
    pub amount: Option<Expr>,
    pub subject: Option<Expr>,
    pub roles: Vec<Name>,
    pub until: Option<Expr>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct DecisionDef {
    pub name: Name,
    pub labels: Option<Labels>,
    pub clauses: Vec<DecisionClause>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum DecisionClause {
    Gate {
        rule: Name,
        outcome: Name,
    },
    Require {
        cond: Expr,
        otherwise: Name,
        unknown: Name,
    },
    Outcome {
        name: Name,
        labels: Option<Labels>,
        when: OutcomeWhen,
    },
    Date {
        name: Name,
        labels: Option<Labels>,
        expr: Expr,
        when_outcomes: Vec<Name>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum StatusWord {
    Satisfied,
    Violated,
    Review,
    Exempt,
    Unknown,
}

#[derive(Debug, Clone)]
pub enum OutcomeWhen {
    /// Declared only, reached through a gate or a require.
    Declared,
    Otherwise,
    AnyStatus(StatusWord),
    AnyEffect(Option<Name>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DurationUnit {
    Years,
    Months,
    Days,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantity {
    Number(Decimal),
    Money(Decimal),
    Percent(Decimal),
    Duration(i64, DurationUnit),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnOp {
    Not,
    Neg,
}

#[derive(Debug, Clone)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum ExprKind {
    Bool(bool),
    Quantity(Quantity),
    Date(NaiveDate),
    Text(String),
    Name(String),
    Field(Box<Expr>, Name),
    Index(Box<Expr>, Box<Expr>),
    InSet(Box<Expr>, Vec<Name>),
    Unary(UnOp, Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    Call {
        func: Name,
        args: Vec<Expr>,
        comprehension: Option<Box<Comprehension>>,
    },
}

/// `body for var in list where filter`, `body for var from a to b`, or (no body) `var in list where filter`.
#[derive(Debug, Clone)]
pub struct Comprehension {
    pub body: Option<Expr>,
    pub var: Name,
    pub source: Source,
    pub filter: Option<Expr>,
}

/// One value of an enumeration and the words for it in letters.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumValue {
    pub name: Name,
    pub labels: Option<Labels>,
}

/// A phrase of the `wording` block; `scope` limits it to some decisions, outcomes or lists.
#[derive(Debug, Clone, PartialEq)]
pub struct WordingEntry {
    pub key: Name,
    pub scope: Vec<Name>,
    pub labels: Labels,
}
