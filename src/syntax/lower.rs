//! Pest pairs to the owned AST. Tree shapes here are guaranteed by the grammar; where one is not
//! as expected the lowerer records an error instead of panicking.

use super::ast::*;
use super::error::SyntaxError;
use super::parser::Rule;
use crate::source::{Span, Spanned};
use chrono::NaiveDate;
use pest::iterators::{Pair, Pairs};
use pest::pratt_parser::{Assoc, Op, PrattParser};
use rust_decimal::Decimal;
use std::str::FromStr;
use std::sync::OnceLock;

/// Deepest expression nesting accepted in a rule file (guards the recursive lowering).
const MAX_DEPTH: usize = 200;
/// How deep records may nest in a `facts` block.
const MAX_RECORD_DEPTH: usize = 32;

fn pratt() -> &'static PrattParser<Rule> {
    static P: OnceLock<PrattParser<Rule>> = OnceLock::new();
    P.get_or_init(|| {
        PrattParser::new()
            .op(Op::infix(Rule::or_op, Assoc::Left))
            .op(Op::infix(Rule::and_op, Assoc::Left))
            .op(Op::prefix(Rule::not_op))
            .op(Op::infix(Rule::eq, Assoc::Left)
                | Op::infix(Rule::ne, Assoc::Left)
                | Op::infix(Rule::lt, Assoc::Left)
                | Op::infix(Rule::le, Assoc::Left)
                | Op::infix(Rule::gt, Assoc::Left)
                | Op::infix(Rule::ge, Assoc::Left))
            .op(Op::infix(Rule::add, Assoc::Left) | Op::infix(Rule::sub, Assoc::Left))
            .op(Op::infix(Rule::mul, Assoc::Left) | Op::infix(Rule::div, Assoc::Left))
            .op(Op::prefix(Rule::neg))
            .op(Op::postfix(Rule::field_access)
                | Op::postfix(Rule::index)
                | Op::postfix(Rule::in_set))
    })
}

pub(crate) struct Lowerer {
    file: u32,
    depth: usize,
    pub errors: Vec<SyntaxError>,
}

impl Lowerer {
    pub fn new(file: u32) -> Self {
        Lowerer {
            file,
            depth: 0,
            errors: Vec::new(),
        }
    }

    fn span(&self, p: &Pair<Rule>) -> Span {
        let s = p.as_span();
        Span::new(self.file, s.start(), s.end())
    }

    fn name(&self, p: Pair<Rule>) -> Name {
        Spanned::new(p.as_str().to_string(), self.span(&p))
    }

    fn bad(&mut self, p: &Pair<Rule>, what: &str) {
        let span = self.span(p);
        self.errors
            .push(SyntaxError::new(span, format!("cannot read {what} here")));
    }

    pub fn file(&mut self, mut pairs: Pairs<Rule>) -> Vec<Item> {
        let mut items = Vec::new();
        let Some(file) = pairs.next() else {
            return items;
        };
        for p in file.into_inner() {
            let item = match p.as_rule() {
                Rule::policy_header => self.header(p).map(Item::Header),
                Rule::facts_block => Some(Item::Facts(self.fields(p.into_inner()))),
                Rule::wording_block => Some(Item::Wording(
                    p.into_inner()
                        .filter_map(|e| {
                            let mut it = e.into_inner();
                            let key = self.name(it.next()?);
                            let mut scope = Vec::new();
                            let mut next = it.next()?;
                            if next.as_rule() == Rule::wording_scope {
                                scope = next
                                    .into_inner()
                                    .flat_map(|l| l.into_inner())
                                    .map(|n| self.name(n))
                                    .collect();
                                next = it.next()?;
                            }
                            Some(WordingEntry {
                                key,
                                scope,
                                labels: self.labels(next),
                            })
                        })
                        .collect(),
                )),
                Rule::article => self.article(p).map(Item::Article),
                Rule::let_def => self.let_def(p).map(Item::Let),
                Rule::rule => self.rule(p).map(Item::Rule),
                Rule::decision => self.decision(p).map(Item::Decision),
                _ => None,
            };
            items.extend(item);
        }
        items
    }

    fn header(&mut self, p: Pair<Rule>) -> Option<Header> {
        let span = self.span(&p);
        let mut inner = p.into_inner();
        let id = self.name(inner.next()?);
        let mut fields = Vec::new();
        for f in inner {
            let mut fi = f.into_inner();
            let key = self.name(fi.next()?);
            let v = fi.next()?;
            let value = match v.as_rule() {
                Rule::string => HeaderValue::Text(unescape(v.into_inner().as_str())),
                Rule::date_lit => HeaderValue::Date(self.date(&v)?),
                _ => HeaderValue::Quantity(self.quantity(&v)?),
            };
            fields.push((key, value));
        }
        Some(Header { id, fields, span })
    }

    fn labels(&self, p: Pair<Rule>) -> Labels {
        let mut it = p.into_inner();
        let zh = it
            .next()
            .map(|s| unescape(s.into_inner().as_str()))
            .unwrap_or_default();
        let en = it
            .next()
            .map(|s| unescape(s.into_inner().as_str()))
            .unwrap_or_default();
        Labels { zh, en }
    }

    fn fields(&mut self, pairs: Pairs<Rule>) -> Vec<FieldDecl> {
        pairs.filter_map(|p| self.field(p)).collect()
    }

    fn field(&mut self, p: Pair<Rule>) -> Option<FieldDecl> {
        let span = self.span(&p);
        let mut name = None;
        let mut ty = None;
        let mut attested = false;
        let mut bounds = Vec::new();
        let mut labels = Labels {
            zh: String::new(),
            en: String::new(),
        };
        let mut children = Vec::new();
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::ident => name = Some(self.name(c)),
                Rule::type_decl => ty = self.type_decl(c),
                Rule::attested => attested = true,
                Rule::bound => bounds.extend(self.bound(c)),
                Rule::labels => labels = self.labels(c),
                Rule::field_children => {
                    // Records inside records: the checker and the case reader recurse per level.
                    if self.depth >= MAX_RECORD_DEPTH {
                        let span = self.span(&c);
                        self.errors.push(SyntaxError::new(
                            Span::new(self.file, span.start as usize, span.start as usize + 1),
                            format!(
                                "the vocabulary nests records more than {MAX_RECORD_DEPTH} deep"
                            ),
                        ));
                        continue;
                    }
                    self.depth += 1;
                    children = self.fields(c.into_inner());
                    self.depth -= 1;
                }
                _ => {}
            }
        }
        Some(FieldDecl {
            name: name?,
            ty: ty?,
            attested,
            bounds,
            labels,
            children,
            span,
        })
    }

    fn bound(&mut self, p: Pair<Rule>) -> Option<Spanned<BoundDecl>> {
        let span = self.span(&p);
        let mut it = p.into_inner();
        let op = match it.next()?.as_str() {
            ">=" => BoundOp::Ge,
            ">" => BoundOp::Gt,
            "<=" => BoundOp::Le,
            _ => BoundOp::Lt,
        };
        let v = it.next()?;
        match Decimal::from_str_exact(v.as_str()) {
            Ok(value) => Some(Spanned::new(BoundDecl { op, value }, span)),
            Err(_) => {
                self.errors.push(SyntaxError::new(
                    self.span(&v),
                    format!("`{}` is too large a bound", v.as_str()),
                ));
                None
            }
        }
    }

    fn type_decl(&mut self, p: Pair<Rule>) -> Option<Spanned<TypeDecl>> {
        let span = self.span(&p);
        let inner = p.into_inner().next()?;
        let ty = match inner.as_rule() {
            Rule::scalar_type => match inner.as_str() {
                "bool" => TypeDecl::Bool,
                "int" => TypeDecl::Int,
                "decimal" => TypeDecl::Decimal,
                "money" => TypeDecl::Money,
                "percent" => TypeDecl::Percent,
                "date" => TypeDecl::Date,
                "text" => TypeDecl::Text,
                _ => TypeDecl::Record,
            },
            Rule::enum_type => TypeDecl::Enum(
                inner
                    .into_inner()
                    .filter_map(|v| {
                        let mut it = v.into_inner();
                        let name = self.name(it.next()?);
                        Some(EnumValue {
                            name,
                            labels: it.next().map(|l| self.labels(l)),
                        })
                    })
                    .collect(),
            ),
            _ => {
                let mut key = None;
                let mut incomplete = false;
                for c in inner.into_inner() {
                    match c.as_rule() {
                        Rule::ident => key = Some(self.name(c)),
                        _ => incomplete = true,
                    }
                }
                TypeDecl::List { key, incomplete }
            }
        };
        Some(Spanned::new(ty, span))
    }

    fn article(&mut self, p: Pair<Rule>) -> Option<Article> {
        let span = self.span(&p);
        let mut number = None;
        let mut declaratory = None;
        let mut text = String::new();
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::article_no => {
                    let sp = self.span(&c);
                    match c.as_str().parse::<u32>() {
                        Ok(n) => number = Some(Spanned::new(n, sp)),
                        Err(_) => self.bad(&c, "this article number"),
                    }
                }
                Rule::declaratory => {
                    declaratory = c
                        .into_inner()
                        .next()
                        .map(|s| unescape(s.into_inner().as_str()))
                }
                Rule::text_block => text = c.into_inner().as_str().to_string(),
                _ => {}
            }
        }
        Some(Article {
            number: number?,
            declaratory,
            text,
            span,
        })
    }

    fn let_def(&mut self, p: Pair<Rule>) -> Option<LetDef> {
        let mut it = p.into_inner();
        let name = self.name(it.next()?);
        let expr = self.expr(it.next()?)?;
        let labels = it.next().map(|l| self.labels(l));
        Some(LetDef { name, expr, labels })
    }

    fn rule(&mut self, p: Pair<Rule>) -> Option<RuleDef> {
        let span = self.span(&p);
        let mut it = p.into_inner();
        let is_exception = it.next()?.as_str() == "exception";
        let id = self.name(it.next()?);
        let mut labels = None;
        let mut clauses = Vec::new();
        for c in it {
            let cspan = self.span(&c);
            let clause = match c.as_rule() {
                Rule::labels => {
                    labels = Some(self.labels(c));
                    continue;
                }
                Rule::cite_clause => Clause::Cite(c.into_inner().as_str().to_string()),
                Rule::in_clause => Clause::In(c.into_inner().map(|n| self.name(n)).collect()),
                Rule::for_each => {
                    let mut ci = c.into_inner();
                    let var = self.name(ci.next()?);
                    let source = self.source(ci.next()?)?;
                    let filter = match ci.next() {
                        Some(w) => Some(self.expr(w.into_inner().next()?)?),
                        None => None,
                    };
                    Clause::ForEach {
                        var,
                        source,
                        filter,
                    }
                }
                Rule::applies => Clause::AppliesWhen(self.expr(c.into_inner().next()?)?),
                Rule::let_def => Clause::Let(self.let_def(c)?),
                Rule::must => Clause::Must(self.expr(c.into_inner().next()?)?),
                Rule::should => Clause::Should(self.expr(c.into_inner().next()?)?),
                Rule::then_effect => Clause::Then(self.effect(c.into_inner().next()?)?),
                Rule::otherwise_effect => Clause::Otherwise(self.effect(c.into_inner().next()?)?),
                Rule::says => Clause::Says(self.labels(c.into_inner().next()?)),
                Rule::found => Clause::Found(self.labels(c.into_inner().next()?)),
                Rule::overrides => {
                    Clause::Overrides(c.into_inner().map(|n| self.name(n)).collect())
                }
                _ => continue,
            };
            clauses.push(Spanned::new(clause, cspan));
        }
        Some(RuleDef {
            id,
            is_exception,
            labels,
            clauses,
            span,
        })
    }

    fn effect(&mut self, p: Pair<Rule>) -> Option<EffectDecl> {
        let span = self.span(&p);
        let mut it = p.into_inner();
        let kind = self.name(it.next()?);
        let mut e = EffectDecl {
            kind,
            measure: None,
            amount: None,
            subject: None,
            roles: Vec::new(),
            until: None,
            span,
        };
        for a in it {
            match a.as_rule() {
                Rule::measure_arg => e.measure = a.into_inner().next().map(|n| self.name(n)),
                Rule::amount_arg => e.amount = self.expr(a.into_inner().next()?),
                Rule::subject_arg => e.subject = self.expr(a.into_inner().next()?),
                Rule::until_arg => e.until = self.expr(a.into_inner().next()?),
                Rule::roles_arg => e.roles = a.into_inner().map(|n| self.name(n)).collect(),
                _ => {}
            }
        }
        Some(e)
    }

    fn decision(&mut self, p: Pair<Rule>) -> Option<DecisionDef> {
        let span = self.span(&p);
        let mut it = p.into_inner();
        let name = self.name(it.next()?);
        let mut labels = None;
        let mut clauses = Vec::new();
        for c in it {
            let clause = match c.as_rule() {
                Rule::labels => {
                    labels = Some(self.labels(c));
                    continue;
                }
                Rule::gate => {
                    let mut ci = c.into_inner();
                    DecisionClause::Gate {
                        rule: self.name(ci.next()?),
                        outcome: self.name(ci.next()?),
                    }
                }
                Rule::require => {
                    let mut ci = c.into_inner();
                    DecisionClause::Require {
                        cond: self.expr(ci.next()?)?,
                        otherwise: self.name(ci.next()?),
                        unknown: self.name(ci.next()?),
                    }
                }
                Rule::outcome => {
                    let mut name = None;
                    let mut labels = None;
                    let mut when = OutcomeWhen::Declared;
                    for o in c.into_inner() {
                        match o.as_rule() {
                            Rule::ident => name = Some(self.name(o)),
                            Rule::labels => labels = Some(self.labels(o)),
                            Rule::outcome_when => when = self.outcome_when(o)?,
                            _ => {}
                        }
                    }
                    DecisionClause::Outcome {
                        name: name?,
                        labels,
                        when,
                    }
                }
                Rule::date_clause => {
                    let mut name = None;
                    let mut labels = None;
                    let mut expr = None;
                    let mut when_outcomes = Vec::new();
                    for o in c.into_inner() {
                        match o.as_rule() {
                            Rule::ident => name = Some(self.name(o)),
                            Rule::labels => labels = Some(self.labels(o)),
                            Rule::expr => expr = self.expr(o),
                            Rule::ident_list => {
                                when_outcomes = o.into_inner().map(|n| self.name(n)).collect()
                            }
                            _ => {}
                        }
                    }
                    DecisionClause::Date {
                        name: name?,
                        labels,
                        expr: expr?,
                        when_outcomes,
                    }
                }
                _ => continue,
            };
            clauses.push(clause);
        }
        Some(DecisionDef {
            name,
            labels,
            clauses,
            span,
        })
    }

    fn outcome_when(&mut self, p: Pair<Rule>) -> Option<OutcomeWhen> {
        let Some(c) = p.into_inner().next() else {
            return Some(OutcomeWhen::Otherwise);
        };
        Some(match c.as_rule() {
            Rule::otherwise_kw => OutcomeWhen::Otherwise,
            Rule::effect_cond => {
                OutcomeWhen::AnyEffect(c.into_inner().next().map(|n| self.name(n)))
            }
            _ => OutcomeWhen::AnyStatus(match c.as_str() {
                "satisfied" => StatusWord::Satisfied,
                "violated" => StatusWord::Violated,
                "review" => StatusWord::Review,
                "exempt" => StatusWord::Exempt,
                _ => StatusWord::Unknown,
            }),
        })
    }

    fn source(&mut self, p: Pair<Rule>) -> Option<Source> {
        let inner = p.into_inner().next()?;
        match inner.as_rule() {
            Rule::range_source => {
                let mut it = inner.into_inner();
                let a = self.expr(it.next()?)?;
                let b = self.expr(it.next()?)?;
                Some(Source::Range(Box::new(a), Box::new(b)))
            }
            _ => Some(Source::List(Box::new(
                self.expr(inner.into_inner().next()?)?,
            ))),
        }
    }

    fn date(&mut self, p: &Pair<Rule>) -> Option<NaiveDate> {
        match NaiveDate::parse_from_str(p.as_str(), "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                let span = self.span(p);
                self.errors.push(
                    SyntaxError::new(
                        span,
                        format!("`{}` is not a date in the calendar", p.as_str()),
                    )
                    .with_help("write dates as YYYY-MM-DD with a real month and day"),
                );
                None
            }
        }
    }

    fn quantity(&mut self, p: &Pair<Rule>) -> Option<Quantity> {
        let mut it = p.clone().into_inner();
        let num = it.next()?;
        let Ok(n) = Decimal::from_str(num.as_str()) else {
            let span = self.span(&num);
            self.errors.push(SyntaxError::new(
                span,
                format!("`{}` is too large or too precise a number", num.as_str()),
            ));
            return None;
        };
        let unit = it.next().map(|u| u.as_str().to_string());
        let whole = |l: &mut Self| -> Option<i64> {
            if n.fract().is_zero() {
                i64::try_from(n).ok()
            } else {
                let span = l.span(p);
                l.errors
                    .push(SyntaxError::new(span, "a duration must be a whole number"));
                None
            }
        };
        let Some(unit) = unit else {
            return Some(Quantity::Number(n));
        };
        let Some(u) = crate::units::find(&unit) else {
            let span = self.span(p);
            self.errors
                .push(SyntaxError::new(span, format!("`{unit}` is not a unit")));
            return None;
        };
        let Some(scaled) = n.checked_mul(u.factor) else {
            let span = self.span(p);
            self.errors.push(SyntaxError::new(
                span,
                format!("`{}` is too large an amount", p.as_str()),
            ));
            return None;
        };
        Some(match u.kind {
            crate::units::UnitKind::Money => Quantity::Money(scaled),
            crate::units::UnitKind::Percent => Quantity::Percent(scaled),
            crate::units::UnitKind::Years => Quantity::Duration(whole(self)?, DurationUnit::Years),
            crate::units::UnitKind::Months => {
                Quantity::Duration(whole(self)?, DurationUnit::Months)
            }
            crate::units::UnitKind::Days => Quantity::Duration(whole(self)?, DurationUnit::Days),
        })
    }

    fn expr(&mut self, p: Pair<Rule>) -> Option<Expr> {
        // Every operator of a chain (`not not …`, `a and b and …`, `x.y.z`) is one more level of
        // the tree that the checker and the evaluator walk recursively, and pest's Pratt parser
        // recurses once per prefix: count them against the same budget as brackets.
        let mut depth = self.depth + 1;
        let mut over = None;
        for c in p.clone().into_inner() {
            if is_operator(c.as_rule()) {
                depth += 1;
                if depth > MAX_DEPTH {
                    over = Some(self.span(&c));
                    break;
                }
            }
        }
        if depth > MAX_DEPTH {
            let start = p.as_span().start();
            let span = over.unwrap_or_else(|| Span::new(self.file, start, start + 1));
            self.errors.push(
                SyntaxError::new(
                    span,
                    format!(
                        "this expression nests more than {MAX_DEPTH} operators and brackets deep"
                    ),
                )
                .with_help("split it into named values with `let`"),
            );
            return None;
        }
        let saved = self.depth;
        self.depth = depth;
        let r = self.expr_inner(p);
        self.depth = saved;
        r
    }

    fn expr_inner(&mut self, p: Pair<Rule>) -> Option<Expr> {
        let file = self.file;
        let this = std::cell::RefCell::new(self);
        let sp = |p: &Pair<Rule>| Span::new(file, p.as_span().start(), p.as_span().end());
        let join = |a: Span, b: Span| {
            Span::new(
                file,
                a.start.min(b.start) as usize,
                a.end.max(b.end) as usize,
            )
        };
        let result = pratt()
            .map_primary(|prim| -> Option<Expr> { this.borrow_mut().primary(prim) })
            .map_prefix(|op, rhs| {
                let rhs = rhs?;
                let span = join(sp(&op), rhs.span);
                let u = if op.as_rule() == Rule::not_op {
                    UnOp::Not
                } else {
                    UnOp::Neg
                };
                Some(Expr {
                    kind: ExprKind::Unary(u, Box::new(rhs)),
                    span,
                })
            })
            .map_postfix(|lhs, op| {
                let lhs = lhs?;
                let span = join(lhs.span, sp(&op));
                let mut me = this.borrow_mut();
                let kind = match op.as_rule() {
                    Rule::field_access => {
                        ExprKind::Field(Box::new(lhs), me.name(op.into_inner().next()?))
                    }
                    Rule::index => {
                        ExprKind::Index(Box::new(lhs), Box::new(me.expr(op.into_inner().next()?)?))
                    }
                    _ => {
                        let list = op.into_inner().next()?;
                        ExprKind::InSet(
                            Box::new(lhs),
                            list.into_inner().map(|n| me.name(n)).collect(),
                        )
                    }
                };
                Some(Expr { kind, span })
            })
            .map_infix(|lhs, op, rhs| {
                let (lhs, rhs) = (lhs?, rhs?);
                let span = join(lhs.span, rhs.span);
                let b = match op.as_rule() {
                    Rule::or_op => BinOp::Or,
                    Rule::and_op => BinOp::And,
                    Rule::eq => BinOp::Eq,
                    Rule::ne => BinOp::Ne,
                    Rule::lt => BinOp::Lt,
                    Rule::le => BinOp::Le,
                    Rule::gt => BinOp::Gt,
                    Rule::ge => BinOp::Ge,
                    Rule::add => BinOp::Add,
                    Rule::sub => BinOp::Sub,
                    Rule::mul => BinOp::Mul,
                    _ => BinOp::Div,
                };
                Some(Expr {
                    kind: ExprKind::Binary(b, Box::new(lhs), Box::new(rhs)),
                    span,
                })
            })
            .parse(p.into_inner());
        result
    }

    fn primary(&mut self, p: Pair<Rule>) -> Option<Expr> {
        let span = self.span(&p);
        let kind = match p.as_rule() {
            Rule::date_lit => ExprKind::Date(self.date(&p)?),
            Rule::quantity => ExprKind::Quantity(self.quantity(&p)?),
            Rule::bool_lit => ExprKind::Bool(p.as_str() == "true"),
            Rule::string => ExprKind::Text(unescape(p.into_inner().as_str())),
            Rule::ident => ExprKind::Name(p.as_str().to_string()),
            Rule::expr => return self.expr(p),
            Rule::call => {
                let mut it = p.into_inner();
                let func = self.name(it.next()?);
                let mut args = Vec::new();
                let mut comprehension = None;
                for a in it {
                    match a.as_rule() {
                        // Its body is the argument read just before it.
                        Rule::comprehension => {
                            let body = args.pop();
                            comprehension = Some(Box::new(self.comprehension(a, body)?))
                        }
                        Rule::binder_filter => {
                            comprehension = Some(Box::new(self.comprehension(a, None)?))
                        }
                        _ => args.push(self.expr(a)?),
                    }
                }
                ExprKind::Call {
                    func,
                    args,
                    comprehension,
                }
            }
            _ => {
                self.bad(&p, "this value");
                return None;
            }
        };
        Some(Expr { kind, span })
    }

    /// `body` is the expression before `for` (none for `x in list where …`).
    fn comprehension(&mut self, p: Pair<Rule>, body: Option<Expr>) -> Option<Comprehension> {
        let has_body = p.as_rule() == Rule::comprehension;
        if has_body && body.is_none() {
            self.bad(&p, "this comprehension");
            return None;
        }
        let mut it = p.into_inner();
        let var = self.name(it.next()?);
        let src = it.next()?;
        let source = if has_body {
            self.source(src)?
        } else {
            Source::List(Box::new(self.expr(src)?))
        };
        let filter = match it.next() {
            Some(w) => Some(self.expr(w.into_inner().next()?)?),
            None => None,
        };
        Some(Comprehension {
            body,
            var,
            source,
            filter,
        })
    }
}

/// The children of an `expr` pair that add a level to its tree (everything but its operands).
fn is_operator(r: Rule) -> bool {
    matches!(
        r,
        Rule::not_op
            | Rule::neg
            | Rule::field_access
            | Rule::index
            | Rule::in_set
            | Rule::or_op
            | Rule::and_op
            | Rule::eq
            | Rule::ne
            | Rule::lt
            | Rule::le
            | Rule::gt
            | Rule::ge
            | Rule::add
            | Rule::sub
            | Rule::mul
            | Rule::div
    )
}

fn unescape(s: &str) -> String {
    if !s.contains('\\') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(o) => out.push(o),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}
