//! One rule to a `RuleIr`: one function per clause. The rule's variables (`for each`, `let`) live
//! in one scope of the expression compiler, opened and closed around the whole rule.

use super::error::{Code, Diagnostic};
use super::expr::ExprCompiler;
use super::ir::*;
use super::program::parse_cite;
use crate::source::{SourceMap, Span};
use crate::syntax::ast::{self, Clause};
use std::collections::HashMap;

/// What a rule is checked against: the names the rest of the policy defines.
pub struct RuleContext<'a> {
    pub rule_ids: &'a HashMap<String, RuleId>,
    pub decision_names: &'a [String],
    pub arts: &'a [ArticleIr],
    /// The text of each of `arts`, without spaces.
    pub squeezed: &'a [String],
    pub sources: &'a SourceMap,
}

/// The rule being built and what its clauses have said so far.
struct RuleBuilder<'c, 'a> {
    cx: &'c RuleContext<'a>,
    ir: RuleIr,
    member_of: Vec<String>,
    has_cite: bool,
    /// Whether an `overrides` clause was written, even if its names did not resolve: a typo
    /// there is one error, not a second "an exception must say which rules it overrides".
    wrote_overrides: bool,
}

/// Check one rule; returns it and the names of the decisions it belongs to.
pub fn rule(ec: &mut ExprCompiler, r: &ast::RuleDef, cx: &RuleContext) -> (RuleIr, Vec<String>) {
    let mut b = RuleBuilder {
        cx,
        ir: RuleIr {
            id: r.id.node.clone(),
            labels: r.labels.clone(),
            cite: Cite {
                text: String::new(),
                article: 0,
                item: None,
                sub: None,
            },
            for_each: None,
            applies: None,
            locals: Vec::new(),
            test: None,
            then: Vec::new(),
            otherwise: Vec::new(),
            overrides: Vec::new(),
            says: None,
            found: None,
            span: r.span,
            source: cx.sources.label_location(r.span),
            test_span: None,
        },
        member_of: Vec::new(),
        has_cite: false,
        wrote_overrides: false,
    };
    ec.scoped(|ec| {
        // `for each` binds first, whatever its place among the clauses.
        for c in &r.clauses {
            if let Clause::ForEach {
                var,
                source,
                filter,
            } = &c.node
            {
                b.for_each(ec, c.span, var, source, filter.as_ref());
            }
        }
        for c in &r.clauses {
            b.clause(ec, c);
        }
        // Messages are resolved against the rule's own values, then the policy's.
        for c in &r.clauses {
            b.message(ec, c);
        }
    });
    ec.clear_poison();
    b.finish(ec, r);
    (b.ir, b.member_of)
}

impl RuleBuilder<'_, '_> {
    fn clause(&mut self, ec: &mut ExprCompiler, c: &crate::source::Spanned<Clause>) {
        match &c.node {
            Clause::ForEach { .. } | Clause::Says(_) | Clause::Found(_) => {}
            Clause::Cite(t) => self.cite(ec, c.span, t),
            Clause::In(names) => self.member_of(ec, names),
            Clause::AppliesWhen(e) => self.applies(ec, c.span, e),
            Clause::Let(l) => self.local(ec, l),
            Clause::Must(e) => self.test(ec, c.span, Strength::Must, e),
            Clause::Should(e) => self.test(ec, c.span, Strength::Should, e),
            Clause::Then(eff) => {
                if let Some(x) = effect(ec, eff) {
                    self.ir.then.push(x)
                }
            }
            Clause::Otherwise(eff) => {
                if let Some(x) = effect(ec, eff) {
                    self.ir.otherwise.push(x)
                }
            }
            Clause::Overrides(ids) => self.overrides(ec, ids),
        }
    }

    fn for_each(
        &mut self,
        ec: &mut ExprCompiler,
        span: Span,
        var: &ast::Name,
        source: &ast::Source,
        filter: Option<&ast::Expr>,
    ) {
        if self.ir.for_each.is_some() {
            ec.diags.push(Diagnostic::new(
                Code::ConflictingClause,
                span,
                "a rule can have only one `for each`",
            ));
            return;
        }
        let slot = ec.alloc_slot();
        let src = match source {
            ast::Source::List(l) => match ec.expr(l) {
                Some((ex, Ty::List(rec))) => {
                    ec.push_var(&var.node, slot, Ty::Record(rec));
                    Some(ForEachSrc::List { list: ex, rec })
                }
                Some((_, other)) => {
                    let msg = format!(
                        "`for each` needs a list, but this is {}",
                        super::expr::ty_name(ec.schema, other)
                    );
                    ec.diags
                        .push(Diagnostic::new(Code::TypeMismatch, l.span, msg));
                    None
                }
                None => None,
            },
            ast::Source::Range(a, b) => {
                let ae = ec.expect(a, Ty::Int, "the start of a range");
                let be = ec.expect(b, Ty::Int, "the end of a range");
                ec.push_var(&var.node, slot, Ty::Int);
                ae.zip(be).map(|(a, b)| ForEachSrc::Range(a, b))
            }
        };
        let filter = filter.and_then(|f| ec.expect(f, Ty::Bool, "the `where` condition"));
        if let Some(src) = src {
            self.ir.for_each = Some(ForEach {
                var: slot,
                src,
                filter,
            });
        }
    }

    fn cite(&mut self, ec: &mut ExprCompiler, span: Span, t: &str) {
        if self.has_cite {
            ec.diags.push(Diagnostic::new(
                Code::ConflictingClause,
                span,
                "a rule cites one provision; split it into two rules",
            ));
            return;
        }
        self.has_cite = true;
        let Some(cite) = parse_cite(t) else {
            ec.diags.push(
                Diagnostic::new(Code::BadCite, span, format!("`{t}` is not a cite"))
                    .help("write article(item)sub-item, e.g. 6(1), 6(2)3, 17"),
            );
            return;
        };
        if let Some(i) = self.cx.arts.iter().position(|a| a.number == cite.article) {
            let (a, text) = (
                &self.cx.arts[i],
                self.cx.squeezed.get(i).map_or("", |s| s.as_str()),
            );
            if let Some(d) = super::cites::check(&cite, a, text, span) {
                ec.diags.push(d);
            }
        } else {
            {
                let nums: Vec<String> = self.cx.arts.iter().map(|a| a.number.to_string()).collect();
                ec.diags.push(
                    Diagnostic::new(
                        Code::UnknownArticle,
                        span,
                        format!(
                            "the cite `{t}` names article {}, which no `article` block quotes",
                            cite.article
                        ),
                    )
                    .help(format!("quoted articles: {}", nums.join(", "))),
                );
            }
        }
        self.ir.cite = cite;
    }

    fn member_of(&mut self, ec: &mut ExprCompiler, names: &[ast::Name]) {
        for n in names {
            if self.cx.decision_names.contains(&n.node) {
                self.member_of.push(n.node.clone());
            } else {
                let d = Diagnostic::new(
                    Code::UnknownDecision,
                    n.span,
                    format!("there is no decision `{}`", n.node),
                )
                .help(format!(
                    "the decisions are: {}",
                    self.cx.decision_names.join(", ")
                ))
                .suggesting(&n.node, self.cx.decision_names.iter().map(|s| s.as_str()));
                ec.diags.push(d);
            }
        }
    }

    fn applies(&mut self, ec: &mut ExprCompiler, span: Span, e: &ast::Expr) {
        if self.ir.applies.is_some() {
            ec.diags.push(Diagnostic::new(
                Code::ConflictingClause,
                span,
                "a rule has one `applies when`; join the conditions with `and`",
            ));
        }
        self.ir.applies = ec.expect(e, Ty::Bool, "the `applies when` condition");
    }

    fn local(&mut self, ec: &mut ExprCompiler, l: &ast::LetDef) {
        if self.ir.locals.iter().any(|x| x.name == l.name.node) {
            ec.diags.push(Diagnostic::new(
                Code::Duplicate,
                l.name.span,
                format!("`{}` is already defined in this rule", l.name.node),
            ));
            return;
        }
        match ec.let_expr(&l.name.node, &l.expr) {
            Some((ex, ty)) => {
                let slot = ec.alloc_slot();
                match &ex {
                    Ex::Int(n) => {
                        ec.bare_numbers
                            .insert(slot, rust_decimal::Decimal::from(*n));
                    }
                    Ex::Num(d) if matches!(ty, Ty::Int | Ty::Decimal) => {
                        ec.bare_numbers.insert(slot, *d);
                    }
                    _ => {}
                }
                ec.push_var(&l.name.node, slot, ty);
                self.ir.locals.push(Local {
                    name: l.name.node.clone(),
                    slot,
                    ex,
                    ty,
                    labels: l.labels.clone(),
                });
            }
            None => ec.poison(&l.name.node),
        }
    }

    fn test(&mut self, ec: &mut ExprCompiler, span: Span, strength: Strength, e: &ast::Expr) {
        if self.ir.test.is_some() || self.ir.test_span.is_some() {
            ec.diags.push(Diagnostic::new(
                Code::ConflictingClause,
                span,
                "a rule has one `must` or `should`; join the conditions with `and`",
            ));
            return;
        }
        self.ir.test_span = Some(e.span);
        if let Some(ex) = ec.expect(e, Ty::Bool, "the condition") {
            self.ir.test = Some((strength, ex));
        }
    }

    fn overrides(&mut self, ec: &mut ExprCompiler, ids: &[ast::Name]) {
        self.wrote_overrides = true;
        for id in ids {
            match self.cx.rule_ids.get(&id.node) {
                Some(i) => self.ir.overrides.push(*i),
                None => {
                    let d = Diagnostic::new(
                        Code::UnknownRule,
                        id.span,
                        format!("there is no rule `{}` to override", id.node),
                    )
                    .suggesting(&id.node, self.cx.rule_ids.keys().map(|s| s.as_str()));
                    ec.diags.push(d);
                }
            }
        }
    }

    fn message(&mut self, ec: &mut ExprCompiler, c: &crate::source::Spanned<Clause>) {
        let (Clause::Says(l) | Clause::Found(l)) = &c.node else {
            return;
        };
        let pair = TemplatePair {
            zh: template(ec, &l.zh, &self.ir.locals, c.span),
            en: template(ec, &l.en, &self.ir.locals, c.span),
        };
        if matches!(c.node, Clause::Says(_)) {
            self.ir.says = Some(pair)
        } else {
            self.ir.found = Some(pair)
        }
    }

    /// What a rule must have once all its clauses are read.
    fn finish(&self, ec: &mut ExprCompiler, r: &ast::RuleDef) {
        if !self.has_cite {
            ec.diags.push(
                Diagnostic::new(
                    Code::MissingClause,
                    r.id.span,
                    format!("the rule `{}` has no `cite`", r.id.node),
                )
                .help("every rule says which provision it encodes, e.g. `cite 6(1)`"),
            );
        }
        if self.member_of.is_empty() && !r.clauses.iter().any(|c| matches!(c.node, Clause::In(_))) {
            let mut d = Diagnostic::new(
                Code::MissingClause,
                r.id.span,
                format!("the rule `{}` belongs to no decision", r.id.node),
            );
            if let Some(first) = self.cx.decision_names.first() {
                d = d.help(format!("add `in <decision>`, e.g. `in {first}`"));
            }
            ec.diags.push(d);
        }
        if r.is_exception && !self.wrote_overrides {
            ec.diags.push(Diagnostic::new(
                Code::MissingClause,
                r.id.span,
                "an exception must say which rules it `overrides`",
            ));
        }
        if !self.ir.overrides.is_empty() && self.ir.test.is_some() {
            ec.diags.push(Diagnostic::new(
                Code::ConflictingClause,
                r.id.span,
                "a rule that overrides others exempts by `applies when`; it has no `must` or `should`",
            ));
        }
    }
}

fn effect(ec: &mut ExprCompiler, e: &ast::EffectDecl) -> Option<EffectIr> {
    let amount = match &e.amount {
        Some(a) => Some(ec.expect(a, Ty::Money, "an amount")?),
        None => None,
    };
    let until = match &e.until {
        Some(u) => Some(ec.expect(u, Ty::Date, "`until`")?),
        None => None,
    };
    let subject = match &e.subject {
        Some(s) => {
            let (ex, ty) = ec.expr(s)?;
            match ty {
                Ty::Text | Ty::Int => Some(ex),
                _ => {
                    ec.diags.push(Diagnostic::new(
                        Code::TypeMismatch,
                        s.span,
                        "an effect's subject must be a text or a number, such as a unit's `id`",
                    ));
                    return None;
                }
            }
        }
        None => None,
    };
    Some(EffectIr {
        kind: e.kind.node.clone(),
        measure: e.measure.as_ref().map(|m| m.node.clone()),
        amount,
        subject,
        roles: e.roles.iter().map(|r| r.node.clone()).collect(),
        until,
    })
}

fn template(ec: &mut ExprCompiler, text: &str, locals: &[Local], span: Span) -> Template {
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            parts.push(TemplatePart::Lit(rest[..open].to_string()));
        }
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            ec.diags.push(Diagnostic::new(
                Code::BadTemplate,
                span,
                "a `{` in this message is never closed",
            ));
            return Template { parts };
        };
        let name = after[..close].trim();
        let part = if name == "subject" {
            Some(TemplatePart::Subject)
        } else {
            locals
                .iter()
                .position(|l| l.name == name)
                .map(TemplatePart::Local)
        };
        match part {
            Some(p) => parts.push(p),
            // Its `let` already failed with its own error.
            None if ec.is_poisoned(name) => {}
            None => {
                let d = Diagnostic::new(
                    Code::BadTemplate,
                    span,
                    format!("the message names `{{{name}}}`, which is not a value of this rule"),
                )
                .help("name it in the rule with `let`, e.g. `let minimum = 7`")
                .suggesting(name, locals.iter().map(|l| l.name.as_str()));
                ec.diags.push(d);
            }
        }
        rest = &after[close + 1..];
    }
    if !rest.is_empty() {
        parts.push(TemplatePart::Lit(rest.to_string()));
    }
    Template { parts }
}
