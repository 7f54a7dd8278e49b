//! Items of all files to one checked `Program`: header, vocabulary, values, rules, decisions.

use super::error::{suggest, Code, Diagnostic};
use super::expr::ExprCompiler;
use super::ir::*;
use super::rule::{rule, RuleContext};
use super::schema;
use crate::source::{SourceMap, Span};
use crate::syntax::ast::{self, DecisionClause, HeaderValue, Item, Quantity};
use std::collections::{HashMap, HashSet};

pub struct Assembled {
    pub program: Program,
    pub source_path: Option<(String, Span)>,
    /// The text of each of `program.articles` without spaces, for the law-coverage check.
    pub squeezed: Vec<String>,
}

pub fn assemble(items: Vec<Item>, sources: &SourceMap, diags: &mut Vec<Diagnostic>) -> Assembled {
    let mut headers = Vec::new();
    let mut facts = Vec::new();
    let mut articles = Vec::new();
    let mut globals = Vec::new();
    let mut rules = Vec::new();
    let mut decisions = Vec::new();
    let mut wording_entries = Vec::new();
    for it in items {
        match it {
            Item::Header(h) => headers.push(h),
            Item::Facts(f) => facts.push(f),
            Item::Wording(w) => wording_entries.extend(w),
            Item::Article(a) => articles.push(a),
            Item::Let(l) => globals.push(l),
            Item::Rule(r) => rules.push(r),
            Item::Decision(d) => decisions.push(d),
        }
    }
    let (meta, source_path) = header(&headers, diags);
    if facts.is_empty() {
        diags.push(
            Diagnostic::global(Code::BadVocabulary, "the policy declares no `facts` block")
                .help("declare every fact the rules read in one `facts { … }` block"),
        );
    }
    for extra in facts.iter().skip(1) {
        if let Some(f) = extra.first() {
            diags.push(Diagnostic::new(
                Code::Duplicate,
                f.span,
                "a second `facts` block; the policy has one vocabulary",
            ));
        }
    }
    let schema = schema::build(facts.first().map(|v| v.as_slice()).unwrap_or(&[]), diags);

    let mut arts: Vec<ArticleIr> = Vec::new();
    for a in articles {
        if arts.iter().any(|x| x.number == a.number.node) {
            diags.push(Diagnostic::new(
                Code::Duplicate,
                a.number.span,
                format!("article {} is quoted twice", a.number.node),
            ));
            continue;
        }
        let text_start = sources
            .files
            .get(a.span.file as usize)
            .and_then(|f| f.text.get(a.span.start as usize..a.span.end as usize))
            .and_then(|t| t.find("\"\"\""))
            .map_or(a.span.start, |i| a.span.start + i as u32 + 3);
        arts.push(ArticleIr {
            text_start,
            number: a.number.node,
            declaratory: a.declaratory,
            text: a.text,
            span: a.span,
        });
    }

    let mut ec = ExprCompiler::new(&schema, &meta, globals);
    ec.compile_all_globals();

    let decision_names: Vec<String> = decisions.iter().map(|d| d.name.node.clone()).collect();
    let mut rule_ids: HashMap<String, RuleId> = HashMap::new();
    for (i, r) in rules.iter().enumerate() {
        if rule_ids.contains_key(&r.id.node) {
            ec.diags.push(
                Diagnostic::new(
                    Code::Duplicate,
                    r.id.span,
                    format!("the rule `{}` is defined twice", r.id.node),
                )
                .help("every rule needs its own name; findings are reported by it"),
            );
        } else {
            rule_ids.insert(r.id.node.clone(), RuleId(i as u16));
        }
    }
    // Each article's text without spaces, once: every cite and every amount of a rule is looked
    // up in it (issue 12: squeezing it again per rule was a tenth of the load).
    let squeezed: Vec<String> = arts.iter().map(|a| super::law::squeeze(&a.text)).collect();
    diags.extend(super::thresholds::check(&rules, &arts, &squeezed, sources));
    let mut rule_irs = Vec::new();
    let mut memberships: Vec<Vec<String>> = Vec::new();
    let cx = RuleContext {
        rule_ids: &rule_ids,
        decision_names: &decision_names,
        arts: &arts,
        squeezed: &squeezed,
        sources,
    };
    for r in &rules {
        let (ir, member_of) = rule(&mut ec, r, &cx);
        rule_irs.push(ir);
        memberships.push(member_of);
    }

    let mut decision_irs = Vec::new();
    let mut seen = HashSet::new();
    for d in &decisions {
        if !seen.insert(d.name.node.clone()) {
            ec.diags.push(Diagnostic::new(
                Code::Duplicate,
                d.name.span,
                format!("the decision `{}` is defined twice", d.name.node),
            ));
            continue;
        }
        decision_irs.push(decision(&mut ec, d, &rule_ids, &memberships));
    }

    let globals = ec.globals.iter().flatten().cloned().collect::<Vec<_>>();
    let all_globals_ok = globals.len() == ec.globals.len();
    let labels = std::mem::take(&mut ec.labels);
    let n_slots = ec.next_slot as usize;
    diags.append(&mut ec.diags);
    let mut program = Program {
        meta,
        schema: schema.clone(),
        globals: if all_globals_ok { globals } else { Vec::new() },
        rules: rule_irs,
        decisions: decision_irs,
        articles: arts,
        labels,
        n_slots,
        wording: Wording::default(),
    };
    program.wording = wording(wording_entries, &program, diags);
    Assembled {
        program,
        source_path,
        squeezed,
    }
}

fn header(headers: &[ast::Header], diags: &mut Vec<Diagnostic>) -> (Meta, Option<(String, Span)>) {
    let mut meta = Meta::default();
    let mut source = None;
    let Some(h) = headers.first() else {
        diags.push(
            Diagnostic::global(Code::BadHeader, "the policy has no `policy` header")
                .help("start one file with `policy <id> { title \"…\" version YYYY-MM-DD … }`"),
        );
        return (meta, source);
    };
    for extra in &headers[1..] {
        diags.push(Diagnostic::new(
            Code::Duplicate,
            extra.id.span,
            "a second `policy` header; a policy has one",
        ));
    }
    meta.id = h.id.node.clone();
    let mut seen = HashSet::new();
    for (k, v) in &h.fields {
        if !seen.insert(k.node.as_str()) {
            diags.push(Diagnostic::new(
                Code::Duplicate,
                k.span,
                format!("`{}` is given twice in the header", k.node),
            ));
        }
        let bad = |diags: &mut Vec<Diagnostic>, want: &str| {
            diags.push(Diagnostic::new(
                Code::BadHeader,
                k.span,
                format!("`{}` must be {want}", k.node),
            ))
        };
        match (k.node.as_str(), v) {
            ("title", HeaderValue::Text(t)) => meta.title = t.clone(),
            ("title_en", HeaderValue::Text(t)) => meta.title_en = t.clone(),
            ("number", HeaderValue::Text(t)) => meta.number = t.clone(),
            ("issuer", HeaderValue::Text(t)) => meta.issuer = t.clone(),
            ("repeals", HeaderValue::Text(t)) => meta.repeals = t.clone(),
            ("source", HeaderValue::Text(t)) => source = Some((t.clone(), k.span)),
            ("version", HeaderValue::Date(d)) => meta.version = d.format("%Y-%m-%d").to_string(),
            ("version", HeaderValue::Text(t)) => meta.version = t.clone(),
            ("effective", HeaderValue::Date(d)) => meta.effective = Some(*d),
            ("validity", HeaderValue::Quantity(Quantity::Duration(n, u))) => {
                meta.validity = Some(match u {
                    ast::DurationUnit::Years => Dur {
                        months: n * 12,
                        days: 0,
                    },
                    ast::DurationUnit::Months => Dur {
                        months: *n,
                        days: 0,
                    },
                    ast::DurationUnit::Days => Dur {
                        months: 0,
                        days: *n,
                    },
                })
            }
            ("effective", _) => bad(diags, "a date YYYY-MM-DD"),
            ("validity", _) => bad(diags, "a duration like `3 years`"),
            _ => bad(diags, "a quoted text"),
        }
    }
    if meta.version.is_empty() {
        diags.push(Diagnostic::new(
            Code::BadHeader,
            h.span,
            "the policy header needs a `version`",
        ));
    }
    (meta, source)
}

pub fn parse_cite(text: &str) -> Option<Cite> {
    let (article, rest) = match text.find('(') {
        Some(i) => (&text[..i], &text[i..]),
        None => (text, ""),
    };
    let article = article.parse().ok()?;
    let (item, sub) = if rest.is_empty() {
        (None, None)
    } else {
        let close = rest.find(')')?;
        let item = rest[1..close].parse().ok()?;
        let tail = &rest[close + 1..];
        (
            Some(item),
            if tail.is_empty() {
                None
            } else {
                Some(tail.parse().ok()?)
            },
        )
    };
    Some(Cite {
        text: text.to_string(),
        article,
        item,
        sub,
    })
}

fn decision(
    ec: &mut ExprCompiler,
    d: &ast::DecisionDef,
    rule_ids: &HashMap<String, RuleId>,
    memberships: &[Vec<String>],
) -> DecisionIr {
    let mut outcomes: Vec<OutcomeIr> = Vec::new();
    for c in &d.clauses {
        if let DecisionClause::Outcome { name, labels, when } = c {
            if outcomes.iter().any(|o| o.name == name.node) {
                ec.diags.push(Diagnostic::new(
                    Code::Duplicate,
                    name.span,
                    format!("the outcome `{}` is declared twice", name.node),
                ));
                continue;
            }
            let when = match when {
                ast::OutcomeWhen::Declared => OutcomeWhen::Declared,
                ast::OutcomeWhen::Otherwise => OutcomeWhen::Otherwise,
                ast::OutcomeWhen::AnyStatus(s) => OutcomeWhen::AnyStatus(*s),
                ast::OutcomeWhen::AnyEffect(k) => {
                    OutcomeWhen::AnyEffect(k.as_ref().map(|n| n.node.clone()))
                }
            };
            outcomes.push(OutcomeIr {
                name: name.node.clone(),
                labels: labels.clone(),
                when,
            });
        }
    }
    if !outcomes
        .iter()
        .any(|o| matches!(o.when, OutcomeWhen::Otherwise))
    {
        ec.diags.push(
            Diagnostic::new(
                Code::MissingClause,
                d.name.span,
                format!(
                    "the decision `{}` has no `outcome … otherwise`",
                    d.name.node
                ),
            )
            .help("the last outcome says what follows when no other applies"),
        );
    }
    let outcome_of = |ec: &mut ExprCompiler, n: &ast::Name| -> Option<OutcomeId> {
        match outcomes.iter().position(|o| o.name == n.node) {
            Some(i) => Some(OutcomeId(i as u16)),
            None => {
                let mut diag = Diagnostic::new(
                    Code::UnknownOutcome,
                    n.span,
                    format!(
                        "the decision `{}` declares no outcome `{}`",
                        d.name.node, n.node
                    ),
                );
                diag = diag.help(
                    match suggest(&n.node, outcomes.iter().map(|o| o.name.as_str())) {
                        Some(h) => h,
                        None => format!("declare it: `outcome {} \"中文\" | \"English\"`", n.node),
                    },
                );
                ec.diags.push(diag);
                None
            }
        }
    };
    let mut ir = DecisionIr {
        name: d.name.node.clone(),
        labels: d.labels.clone(),
        gates: Vec::new(),
        requires: Vec::new(),
        rules: Vec::new(),
        outcomes: Vec::new(),
        dates: Vec::new(),
    };
    for c in &d.clauses {
        match c {
            DecisionClause::Gate { rule, outcome } => {
                let o = outcome_of(ec, outcome);
                match rule_ids.get(&rule.node) {
                    Some(r) => {
                        if let Some(o) = o {
                            ir.gates.push((*r, o))
                        }
                    }
                    None => ec.diags.push(
                        Diagnostic::new(
                            Code::UnknownRule,
                            rule.span,
                            format!("there is no rule `{}`", rule.node),
                        )
                        .suggesting(&rule.node, rule_ids.keys().map(|s| s.as_str())),
                    ),
                }
            }
            DecisionClause::Require {
                cond,
                otherwise,
                unknown,
            } => {
                let c = ec.expect(cond, Ty::Bool, "a `require` condition");
                let (o, u) = (outcome_of(ec, otherwise), outcome_of(ec, unknown));
                if let (Some(cond), Some(otherwise), Some(unknown)) = (c, o, u) {
                    ir.requires.push(RequireIr {
                        cond,
                        otherwise,
                        unknown,
                    });
                }
            }
            DecisionClause::Date {
                name,
                labels,
                expr,
                when_outcomes,
            } => {
                let ex = ec.expect(expr, Ty::Date, "a date");
                let whens: Vec<OutcomeId> = when_outcomes
                    .iter()
                    .filter_map(|n| outcome_of(ec, n))
                    .collect();
                if let Some(ex) = ex {
                    ir.dates.push(DateIr {
                        name: name.node.clone(),
                        labels: labels.clone(),
                        ex,
                        when_outcomes: whens,
                    });
                }
            }
            DecisionClause::Outcome { .. } => {}
        }
    }
    for (i, m) in memberships.iter().enumerate() {
        let idx = RuleId(i as u16);
        if m.contains(&d.name.node) && !ir.gates.iter().any(|g| g.0 == idx) {
            ir.rules.push(idx);
        }
    }
    ir.outcomes = outcomes;
    ir
}

/// The names a wording entry may be scoped to: decisions, outcomes, lists and fields, effect kinds
/// and measures.
fn scope_names(program: &Program) -> Vec<&str> {
    let mut names: Vec<&str> = Vec::new();
    for d in &program.decisions {
        names.push(&d.name);
        names.extend(d.outcomes.iter().map(|o| o.name.as_str()));
    }
    for r in &program.schema.records {
        names.extend(r.fields.iter().map(|f| f.name.as_str()));
    }
    for r in &program.rules {
        for e in r.then.iter().chain(&r.otherwise) {
            names.push(&e.kind);
            names.extend(e.measure.as_deref());
        }
    }
    names.sort_unstable();
    names.dedup();
    names
}

fn wording(
    entries: Vec<ast::WordingEntry>,
    program: &Program,
    diags: &mut Vec<Diagnostic>,
) -> Wording {
    let mut out = Wording::default();
    let scopes = scope_names(program);
    for ast::WordingEntry { key, scope, labels } in entries {
        let Some((_, holes)) = WORDING_KEYS.iter().find(|(k, _)| *k == key.node) else {
            let d = Diagnostic::new(
                Code::UnknownName,
                key.span,
                format!("`{}` is not a wording key", key.node),
            )
            .help(format!(
                "the keys are: {}",
                WORDING_KEYS
                    .iter()
                    .map(|(k, _)| *k)
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .suggesting(&key.node, WORDING_KEYS.iter().map(|(k, _)| *k));
            diags.push(d);
            continue;
        };
        for s in &scope {
            if scopes.binary_search(&s.node.as_str()).is_err() {
                diags.push(
                    Diagnostic::new(
                        Code::UnknownName,
                        s.span,
                        format!(
                            "`{}` is not a decision, outcome, fact, effect or measure of this policy",
                            s.node
                        ),
                    )
                    .suggesting(&s.node, scopes.iter().copied()),
                );
            }
        }
        let scope: Vec<String> = scope.into_iter().map(|s| s.node).collect();
        // Twice for the same letters: both general, or scopes that share a name.
        let twice = out.entries.iter().any(|(k, sc, _)| {
            *k == key.node
                && ((sc.is_empty() && scope.is_empty()) || sc.iter().any(|x| scope.contains(x)))
        });
        if twice {
            diags.push(Diagnostic::new(
                Code::Duplicate,
                key.span,
                format!(
                    "the wording `{}` is given twice for the same letters",
                    key.node
                ),
            ));
            continue;
        }
        // The letter's frame may also name the policy's values (`{applicant}`), read from the case.
        let frame = FRAME_KEYS.contains(&key.node.as_str());
        for text in [&labels.zh, &labels.en] {
            let mut rest = text.as_str();
            while let Some(open) = rest.find('{') {
                let after = &rest[open + 1..];
                let Some(close) = after.find('}') else { break };
                let hole = &after[..close];
                let global = frame && program.globals.iter().any(|g| g.name == hole);
                if !holes.contains(&hole) && !global {
                    diags.push(
                        Diagnostic::new(
                            Code::BadTemplate,
                            key.span,
                            format!(
                                "the wording `{}` names `{{{hole}}}`, which it cannot use",
                                key.node
                            ),
                        )
                        .help(if frame {
                            format!(
                                "it may use: {} and the name of any `let` value",
                                holes
                                    .iter()
                                    .map(|h| format!("{{{h}}}"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            )
                        } else if holes.is_empty() {
                            "this wording takes no values".to_string()
                        } else {
                            format!(
                                "it may use: {}",
                                holes
                                    .iter()
                                    .map(|h| format!("{{{h}}}"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            )
                        }),
                    );
                }
                rest = &after[close + 1..];
            }
        }
        out.entries.push((key.node, scope, labels));
    }
    out
}
