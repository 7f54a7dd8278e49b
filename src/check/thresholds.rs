//! A rule's amounts against the article it cites: a money or percent literal that the quoted
//! article does not contain is a warning ("the rule says 3 of a unit; article 6 says 5"), since a
//! letter would quote the article and apply another number.

use super::error::{Code, Diagnostic};
use super::ir::ArticleIr;
use super::program::parse_cite;
use crate::source::{SourceMap, Span};
use crate::syntax::ast::{self, Clause, Expr, ExprKind, Quantity};
use crate::units::{self, UnitKind};
use rust_decimal::Decimal;

use super::law::squeeze;

/// Every money and percent literal of an expression, with its span.
fn literals(e: &Expr, out: &mut Vec<(Quantity, Span)>) {
    match &e.kind {
        ExprKind::Quantity(q @ (Quantity::Money(_) | Quantity::Percent(_))) => {
            out.push((*q, e.span))
        }
        ExprKind::Field(a, _) | ExprKind::InSet(a, _) | ExprKind::Unary(_, a) => literals(a, out),
        ExprKind::Index(a, b) | ExprKind::Binary(_, a, b) => {
            literals(a, out);
            literals(b, out);
        }
        ExprKind::Call {
            args,
            comprehension,
            ..
        } => {
            args.iter().for_each(|a| literals(a, out));
            if let Some(c) = comprehension {
                if let Some(b) = &c.body {
                    literals(b, out);
                }
                if let Some(f) = &c.filter {
                    literals(f, out);
                }
            }
        }
        _ => {}
    }
}

fn rule_literals(r: &ast::RuleDef) -> Vec<(Quantity, Span)> {
    let mut out = Vec::new();
    for c in &r.clauses {
        match &c.node {
            Clause::Let(l) => literals(&l.expr, &mut out),
            Clause::Must(e) | Clause::Should(e) | Clause::AppliesWhen(e) => literals(e, &mut out),
            Clause::ForEach {
                filter: Some(f), ..
            } => literals(f, &mut out),
            Clause::Then(eff) | Clause::Otherwise(eff) => {
                if let Some(a) = &eff.amount {
                    literals(a, &mut out);
                }
            }
            _ => {}
        }
    }
    out
}

/// The ways the measures may write one amount: in each unit of its kind where it is a short number.
fn spellings(q: Quantity) -> Vec<String> {
    let (value, kind) = match q {
        Quantity::Money(d) => (d, UnitKind::Money),
        Quantity::Percent(d) => (d, UnitKind::Percent),
        _ => return Vec::new(),
    };
    units::all()
        .iter()
        .filter(|u| u.kind == kind && !u.factor.is_zero())
        .filter_map(|u| {
            let v = (value / u.factor).normalize();
            (v.scale() <= 4).then(|| format!("{v}{}", u.name))
        })
        .collect()
}

/// The amounts of one kind an article's text names: digits directly followed by a unit.
fn amounts_in(text: &str, kind: UnitKind) -> Vec<String> {
    let mut names: Vec<&str> = units::all()
        .iter()
        .filter(|u| u.kind == kind)
        .map(|u| u.name.as_str())
        .collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    let mut out: Vec<String> = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].1.is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = chars[i].0;
        while i < chars.len() && (chars[i].1.is_ascii_digit() || chars[i].1 == '.') {
            i += 1;
        }
        let end = chars.get(i).map_or(text.len(), |c| c.0);
        if let Some(unit) = names.iter().find(|n| text[end..].starts_with(**n)) {
            let a = format!("{}{unit}", &text[start..end]);
            if !out.contains(&a) {
                out.push(a);
            }
        }
    }
    out
}

/// Warnings for the amounts of every rule that its cited article does not quote.
/// `squeezed` holds the text of each of `arts` without spaces.
pub fn check(
    rules: &[ast::RuleDef],
    arts: &[ArticleIr],
    squeezed: &[String],
    sources: &SourceMap,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for r in rules {
        let cite = r.clauses.iter().find_map(|c| match &c.node {
            Clause::Cite(t) => parse_cite(t),
            _ => None,
        });
        let Some(i) = cite.and_then(|c| arts.iter().position(|a| a.number == c.article)) else {
            continue;
        };
        let (a, text) = (&arts[i], squeezed.get(i).map_or("", |s| s.as_str()));
        for (q, span) in rule_literals(r) {
            let is_zero =
                matches!(q, Quantity::Money(d) | Quantity::Percent(d) if d == Decimal::ZERO);
            let ways = spellings(q);
            if is_zero || ways.iter().any(|w| text.contains(w.as_str())) {
                continue;
            }
            let written = sources
                .file(span)
                .and_then(|f| f.text.get(span.start as usize..span.end as usize))
                .map_or_else(|| ways.first().cloned().unwrap_or_default(), squeeze);
            let kind = if matches!(q, Quantity::Money(_)) {
                UnitKind::Money
            } else {
                UnitKind::Percent
            };
            let quoted = amounts_in(text, kind);
            let n = a.number;
            let message = if quoted.is_empty() {
                format!("the rule says {written}; article {n} names no such amount")
            } else {
                format!(
                    "the rule says {written}; article {n} says {}",
                    quoted.join(", ")
                )
            };
            out.push(
                Diagnostic::new(Code::ThresholdNotQuoted, span, message).help(
                    "a letter quotes the article and applies the rule's number: make them agree, or cite the provision the number comes from",
                ),
            );
        }
    }
    out
}
