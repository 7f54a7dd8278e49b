//! Rules to findings, findings to an outcome, for one decision.

use super::facts::Record;
use super::findings::*;
use super::interp::{truth, Ctx};
use super::needed::Needed;
use super::store::Stored;
use super::value::{PathSeg, Val};
use crate::check::ir::*;
use crate::syntax::ast::StatusWord;
use rust_decimal::Decimal;

/// What a finding is about, borrowed from the case until a finding or an effect keeps it: a
/// subject that its `where` leaves out costs nothing.
#[derive(Clone, Copy)]
enum Who<'a> {
    None,
    Int(i64),
    /// A list element's key: field `.1` of record `.0`.
    Text(Record<'a>, usize),
}

impl Who<'_> {
    fn subject(self) -> Subject {
        match self {
            Who::None => Subject::None,
            Who::Int(n) => Subject::Int(n),
            Who::Text(r, k) => r.text(k).map_or(Subject::None, Subject::Text),
        }
    }
}

/// One rule evaluated ahead of the others: its findings, effects and missing facts.
type Evaluated = (RuleId, Vec<Finding>, Vec<Effect>, Vec<Needed>);

pub fn decide<'a>(ctx: &mut Ctx<'a>, d_idx: DecisionId) -> DecisionResult {
    let prog = ctx.prog;
    let d = &prog.decisions[d_idx.index()];
    // An earlier case's vector (see `Scratch::recycle`), else room for about one finding per
    // rule: one allocation instead of a doubling series.
    let findings = (ctx.spare_findings.pop())
        .unwrap_or_else(|| Vec::with_capacity(d.rules.len() + d.gates.len()));
    let mut out = DecisionResult {
        decision: d_idx,
        outcome: OutcomeId(0),
        findings,
        effects: Vec::new(),
        missing: Vec::new(),
        dates: Vec::new(),
        stopped_at_require: false,
    };
    let mut missing: Vec<Needed> = Vec::new();

    for (rule, outcome) in &d.gates {
        let start = out.findings.len();
        eval_rule(
            ctx,
            *rule,
            None,
            &mut out.findings,
            &mut out.effects,
            &mut missing,
        );
        if out.findings[start..]
            .iter()
            .any(|f| matches!(f.status, Status::Violated | Status::Review))
        {
            // A closed gate is the only finding, with no effects.
            out.outcome = *outcome;
            out.findings.drain(..start);
            out.effects.clear();
            out.missing = missing_facts(ctx, &missing);
            return out;
        }
    }
    // A gate that may be closed leaves every outcome possible: the decision is open, with what
    // the gate needs (when it has an outcome for that).
    let open = d
        .outcomes
        .iter()
        .position(|o| matches!(o.when, OutcomeWhen::AnyStatus(StatusWord::Unknown)));
    if let (true, Some(o)) = (
        out.findings.iter().any(|f| f.status == Status::Unknown),
        open,
    ) {
        out.outcome = OutcomeId(o as u16);
        out.effects.clear();
        out.missing = missing_facts(ctx, &missing);
        return out;
    }
    // Every require is asked: a failed one outranks an unknown one.
    let mut unknown_outcome: Option<OutcomeId> = None;
    let mut req_missing = Vec::new();
    for req in &d.requires {
        let mark = ctx.mark();
        match truth(ctx.eval(&req.cond)) {
            Some(true) => ctx.settle(mark),
            Some(false) => {
                ctx.settle(mark);
                out.outcome = req.otherwise;
                out.stopped_at_require = true;
                out.missing = missing_facts(ctx, &missing);
                return out;
            }
            None => {
                ctx.need(mark, None, &mut req_missing);
                unknown_outcome.get_or_insert(req.unknown);
            }
        }
    }
    if let Some(o) = unknown_outcome {
        missing.extend(req_missing);
        out.outcome = o;
        out.stopped_at_require = true;
        out.missing = missing_facts(ctx, &missing);
        return out;
    }

    // Exceptions first: the rules they override are exempt when they apply.
    let mut exempted: Vec<(RuleId, Status)> = Vec::new();
    let mut early: Vec<Evaluated> = Vec::new();
    for &r in &d.rules {
        if prog.rules[r.index()].overrides.is_empty() {
            continue;
        }
        let (mut f, mut e, mut m) = (Vec::new(), Vec::new(), Vec::new());
        eval_rule(ctx, r, None, &mut f, &mut e, &mut m);
        // Holding, the exception exempts its targets; unknown, it leaves them unknown.
        let imposed = if f.iter().any(|x| x.status == Status::Satisfied) {
            for x in f.iter_mut() {
                x.status = Status::Exempt;
            }
            Some(Status::Exempt)
        } else if f.iter().any(|x| x.status == Status::Unknown) {
            Some(Status::Unknown)
        } else {
            None
        };
        if let Some(status) = imposed {
            exempted.extend(prog.rules[r.index()].overrides.iter().map(|o| (*o, status)));
        }
        early.push((r, f, e, m));
    }
    for &r in &d.rules {
        if let Some(pos) = early.iter().position(|x| x.0 == r) {
            let (_, f, e, m) = early.swap_remove(pos);
            out.findings.extend(f);
            out.effects.extend(e);
            missing.extend(m);
            continue;
        }
        let overridden = exempted.iter().find(|x| x.0 == r).map(|x| x.1);
        eval_rule(
            ctx,
            r,
            overridden,
            &mut out.findings,
            &mut out.effects,
            &mut missing,
        );
    }

    out.outcome = OutcomeId(
        d.outcomes
            .iter()
            .position(|o| match &o.when {
                OutcomeWhen::Declared => false,
                OutcomeWhen::Otherwise => true,
                OutcomeWhen::AnyStatus(s) => out.findings.iter().any(|f| f.status == status_of(*s)),
                OutcomeWhen::AnyEffect(k) => out
                    .effects
                    .iter()
                    .any(|e| k.as_ref().is_none_or(|k| *k == e.kind)),
            })
            .unwrap_or(0) as u16,
    );

    for (i, date) in d.dates.iter().enumerate() {
        if !date.when_outcomes.is_empty() && !date.when_outcomes.contains(&out.outcome) {
            continue;
        }
        let mark = ctx.mark();
        if let Val::Date(v) = ctx.eval(&date.ex) {
            out.dates.push((DateId(i as u16), v));
        }
        ctx.settle(mark);
    }
    out.missing = missing_facts(ctx, &missing);
    out
}

fn status_of(s: StatusWord) -> Status {
    match s {
        StatusWord::Satisfied => Status::Satisfied,
        StatusWord::Violated => Status::Violated,
        StatusWord::Review => Status::Review,
        StatusWord::Exempt => Status::Exempt,
        StatusWord::Unknown => Status::Unknown,
    }
}

/// `overridden`: the status an applicable exception imposes on this rule, if any.
fn eval_rule<'a>(
    ctx: &mut Ctx<'a>,
    r: RuleId,
    overridden: Option<Status>,
    findings: &mut Vec<Finding>,
    effects: &mut Vec<Effect>,
    missing: &mut Vec<Needed>,
) {
    let prog = ctx.prog;
    let rule = &prog.rules[r.index()];
    if let Some(status) = overridden {
        findings.push(Finding {
            status,
            ..Finding::unknown(r, Subject::None)
        });
        return;
    }
    let Some(fe) = &rule.for_each else {
        eval_subject(ctx, rule, r, Who::None, true, findings, effects, missing);
        return;
    };
    let mark = ctx.mark();
    let unknown_source =
        |ctx: &mut Ctx<'a>, findings: &mut Vec<Finding>, missing: &mut Vec<Needed>| {
            findings.push(Finding::unknown(r, Subject::None));
            ctx.need(mark, Some(r), missing);
        };
    match &fe.src {
        ForEachSrc::List { list, rec } => {
            let (items, node) = match ctx.eval(list) {
                Val::List(items, node) => (items, node),
                Val::Absent => {
                    ctx.settle(mark);
                    return;
                }
                _ => return unknown_source(ctx, findings, missing),
            };
            ctx.settle(mark);
            let key = prog.schema.records[*rec as usize].key;
            for (i, item) in items.iter().enumerate() {
                let k = key.map_or(usize::MAX, usize::from);
                let (seg, subject) = match item.stored(k) {
                    Some(Stored::Text(t)) => {
                        (PathSeg::Key(item.store().str(*t)), Who::Text(item, k))
                    }
                    Some(Stored::Int(n)) => (PathSeg::Num(*n), Who::Int(*n)),
                    _ => (PathSeg::Num(i as i64), Who::None),
                };
                let n = ctx.node(node, seg);
                ctx.set_var(fe.var, Val::Rec(item, n));
                each(ctx, rule, fe, r, subject, findings, effects, missing);
            }
        }
        ForEachSrc::Range(a, b) => {
            let (Val::Int(a), Val::Int(b)) = (ctx.eval(a), ctx.eval(b)) else {
                return unknown_source(ctx, findings, missing);
            };
            ctx.settle(mark);
            if b.saturating_sub(a) > super::interp::MAX_RANGE {
                findings.push(Finding::unknown(r, Subject::None));
                return;
            }
            for y in a..=b {
                ctx.set_var(fe.var, Val::Int(y));
                each(ctx, rule, fe, r, Who::Int(y), findings, effects, missing);
            }
        }
    }
}

/// One subject of a `for each`: skipped when its `where` is false, evaluated when it holds, and
/// evaluated as maybe selected when it is unknown (the filter's facts are then needed only if
/// the finding stays unknown).
#[allow(clippy::too_many_arguments)]
fn each<'a>(
    ctx: &mut Ctx<'a>,
    rule: &'a RuleIr,
    fe: &'a ForEach,
    r: RuleId,
    subject: Who<'a>,
    findings: &mut Vec<Finding>,
    effects: &mut Vec<Effect>,
    missing: &mut Vec<Needed>,
) {
    let mark = ctx.mark();
    let selected = match &fe.filter {
        Some(f) => truth(ctx.eval(f)),
        None => Some(true),
    };
    match selected {
        Some(false) => ctx.settle(mark),
        Some(true) => {
            ctx.settle(mark);
            eval_subject(ctx, rule, r, subject, true, findings, effects, missing);
        }
        None => {
            let before = findings.len();
            eval_subject(ctx, rule, r, subject, false, findings, effects, missing);
            // Only an open finding needs the facts that would have decided the selection.
            if findings[before..]
                .iter()
                .any(|f| f.status == Status::Unknown)
            {
                ctx.need(mark, Some(r), missing);
            } else {
                ctx.settle(mark);
            }
        }
    }
}

/// `selected`: whether the subject is certainly one the rule is about (false: a `where` that is
/// unknown). A rule whose selection or `applies when` is unknown gives its finding only when
/// that finding is the same as not applying at all: satisfied, with no effect and nothing
/// exempted. Otherwise it is unknown.
#[allow(clippy::too_many_arguments)]
fn eval_subject<'a>(
    ctx: &mut Ctx<'a>,
    rule: &'a RuleIr,
    r: RuleId,
    subject: Who<'a>,
    selected: bool,
    findings: &mut Vec<Finding>,
    effects: &mut Vec<Effect>,
    missing: &mut Vec<Needed>,
) {
    let mark = ctx.mark();
    // The rule's values first: `applies when` may use them.
    ctx.locals.clear();
    for l in &rule.locals {
        let v = ctx.eval(&l.ex);
        ctx.set_var(l.slot, v);
        ctx.locals.push(v);
    }
    let applies = match &rule.applies {
        Some(a) => truth(ctx.eval(a)),
        None => Some(true),
    };
    if applies == Some(false) {
        ctx.settle(mark);
        return;
    }
    let mut status = match &rule.test {
        None => Status::Satisfied,
        Some((strength, test)) => match truth(ctx.eval(test)) {
            Some(true) => Status::Satisfied,
            Some(false) if *strength == Strength::Must => Status::Violated,
            Some(false) => Status::Review,
            None => Status::Unknown,
        },
    };
    let certain = selected && applies == Some(true);
    let as_if_not_applying =
        status == Status::Satisfied && rule.then.is_empty() && rule.overrides.is_empty();
    if !certain && !as_if_not_applying {
        status = Status::Unknown;
    }
    // The status comes from the condition alone; an effect whose argument is unknown is still
    // issued, that argument null and its fact needed.
    let chosen = match status {
        Status::Satisfied => &rule.then,
        Status::Violated | Status::Review => &rule.otherwise,
        _ => &rule.then[..0],
    };
    for e in chosen {
        effects.push(effect(ctx, e, r, subject, missing));
    }
    if status == Status::Unknown {
        ctx.need(mark, Some(r), missing);
    } else {
        ctx.settle(mark);
    }
    // A consequence rule (its failure carries effects: a breach, false materials) records what
    // happened; there is nothing to change to satisfy it.
    let counterfactual = match (status, &rule.test) {
        (Status::Violated | Status::Review, Some((_, test)))
            if rule.otherwise.is_empty() && !ctx.lean =>
        {
            let m = ctx.mark();
            let cf = counterfactual(ctx, rule, test);
            ctx.settle(m);
            Some(Box::new(cf))
        }
        _ => None,
    };
    // A lean record leaves satisfied findings out: their values and subject would never be
    // shown.
    let (subject, values) = if ctx.lean && status == Status::Satisfied {
        (Subject::None, Vec::new())
    } else {
        let mut values = ctx.spare_values.pop().unwrap_or_default();
        values.extend(
            ctx.locals
                .iter()
                .zip(&rule.locals)
                .map(|(v, l)| shown(ctx, *v, l.ty)),
        );
        (subject.subject(), values)
    };
    findings.push(Finding {
        rule: r,
        status,
        subject,
        values,
        counterfactual,
    });
}

fn effect<'a>(
    ctx: &mut Ctx<'a>,
    e: &'a EffectIr,
    r: RuleId,
    subject: Who<'a>,
    missing: &mut Vec<Needed>,
) -> Effect {
    let mut unknown = Vec::new();
    let mut arg = |ctx: &mut Ctx<'a>, ex: &'a Ex, which: EffectArg| {
        let mark = ctx.mark();
        let v = ctx.eval(ex);
        let known = matches!(
            (which, v),
            (EffectArg::Amount, Val::Num(_) | Val::Int(_))
                | (EffectArg::LastDay, Val::Date(_))
                | (EffectArg::Subject, Val::Text(_) | Val::Int(_))
        );
        if known {
            ctx.settle(mark);
        } else {
            unknown.push(which);
            // A value known not to be there read no absent fact: name the one it needs.
            if ctx.mark() == mark {
                if let Some(p) = ctx.place(ex) {
                    ctx.note(p);
                }
            }
            ctx.need(mark, Some(r), missing);
        }
        v
    };
    let amount = e
        .amount
        .as_ref()
        .and_then(|a| match arg(ctx, a, EffectArg::Amount) {
            Val::Num(n) => Some(n.normalize()),
            Val::Int(i) => Some(i.into()),
            _ => None,
        });
    let last_day = e
        .until
        .as_ref()
        .and_then(|u| match arg(ctx, u, EffectArg::LastDay) {
            Val::Date(d) => Some(d),
            _ => None,
        });
    let subject = match &e.subject {
        Some(s) => match arg(ctx, s, EffectArg::Subject) {
            Val::Text(t) => Subject::Text(t.into()),
            Val::Int(i) => Subject::Int(i),
            _ => Subject::None,
        },
        None => subject.subject(),
    };
    Effect {
        kind: e.kind.clone(),
        rule: r,
        subject,
        measure: e.measure.clone(),
        amount,
        roles: e.roles.clone(),
        last_day,
        unknown,
    }
}

fn shown(ctx: &Ctx, v: Val, ty: Ty) -> Shown {
    match v {
        Val::Unknown | Val::UnknownRec(_) => Shown::Unknown,
        Val::Absent => Shown::Absent,
        Val::Bool(b) => Shown::Bool(b),
        Val::Int(i) => match ty {
            Ty::Money => Shown::Money(i.into()),
            _ => Shown::Int(i),
        },
        Val::Num(n) => match ty {
            Ty::Money => Shown::Money(n.normalize()),
            Ty::Percent => Shown::Percent(n.normalize()),
            _ => Shown::Decimal(n.normalize()),
        },
        Val::Date(d) => Shown::Date(d),
        Val::Text(t) => Shown::Text(t.to_string()),
        Val::Enum(e) => match ty {
            Ty::Enum(en) => ctx
                .prog
                .schema
                .enums
                .get(en as usize)
                .and_then(|x| x.shared.get(e as usize))
                .map_or(Shown::Unknown, |n| Shown::Enum(en, e, n.clone())),
            _ => Shown::Int(i64::from(e)),
        },
        Val::Dur(d) => Shown::Text(format!("{} months {} days", d.months, d.days)),
        Val::Rec(..) | Val::List(..) => Shown::Absent,
        // A range open above is shown only for an amount whose floor is above zero: "at least
        // 0" is just the vocabulary's bound on an absent fact (`>= 0`), which says nothing worth
        // reading, while a mean of known years is at least what they bring ("不少于40,833,333.33
        // 元"). Whole numbers are mostly years and counts, where "不少于2023" reads as nonsense.
        Val::Range(lo, hi) => {
            let side = |n: Decimal, down: bool| match ty {
                Ty::Int => i64::try_from(n).map_or(Shown::Decimal(n.normalize()), Shown::Int),
                _ => shown(ctx, Val::Num(outward(n, ty, down)), ty),
            };
            match (lo, hi) {
                (Some(lo), Some(hi)) => Shown::Range(Box::new((side(lo, true), side(hi, false)))),
                (Some(lo), None) if lo > Decimal::ZERO && ty != Ty::Int => {
                    Shown::Range(Box::new((side(lo, true), Shown::Unknown)))
                }
                _ => Shown::Unknown,
            }
        }
    }
}

/// A bound of a range with more places than a letter shows (a mean's floor of 43,333,333.666…),
/// rounded away from the range's inside to the places shown, so that the words stay true: "不少于
/// 43,333,333.66元", never .67. Money and plain decimals are shown to the fen, percents to
/// hundredths of a percent.
pub(super) fn outward(n: Decimal, ty: Ty, down: bool) -> Decimal {
    let places = if ty == Ty::Percent { 4 } else { 2 };
    if n.normalize().scale() <= places {
        return n;
    }
    let strategy = if down {
        rust_decimal::RoundingStrategy::ToNegativeInfinity
    } else {
        rust_decimal::RoundingStrategy::ToPositiveInfinity
    };
    n.round_dp_with_strategy(places, strategy)
}

/// The absent facts as typed paths, sorted by their contract path and without repeats, each with
/// the rules it left unknown.
fn missing_facts(ctx: &Ctx, ms: &[Needed]) -> Vec<MissingFact> {
    let prog = ctx.prog;
    let mut out: Vec<(String, MissingFact)> = Vec::new();
    for (m, r) in ms {
        let mut steps = Vec::new();
        let mut n = m.node;
        while n != 0 {
            let Some(node) = ctx.paths.get(n as usize) else {
                break;
            };
            match node.seg {
                PathSeg::Root => {}
                PathSeg::Field(rec, f) => steps.push(Step::Field(rec, f)),
                PathSeg::Key(k) => steps.push(Step::Key(k.into())),
                PathSeg::Num(k) => steps.push(Step::Num(k)),
                PathSeg::Label(l) => steps.push(Step::Named(l)),
            }
            n = node.parent;
        }
        steps.reverse();
        if let Some((rec, f)) = m.field {
            steps.push(Step::Field(rec, f));
        }
        let fact = MissingFact {
            steps,
            rules: r.iter().copied().collect(),
        };
        out.push((fact.path(prog), fact));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.rules.cmp(&b.1.rules)));
    let mut facts: Vec<MissingFact> = Vec::new();
    let mut last: Option<String> = None;
    for (p, f) in out {
        match facts.last_mut() {
            Some(prev) if last.as_deref() == Some(p.as_str()) => {
                for r in f.rules {
                    if !prev.rules.contains(&r) {
                        prev.rules.push(r);
                    }
                }
            }
            _ => {
                last = Some(p);
                facts.push(f);
            }
        }
    }
    facts
}

/// What would satisfy a failed condition, read off its expression with the values just computed.
fn counterfactual<'a>(ctx: &mut Ctx<'a>, rule: &'a RuleIr, ex: &'a Ex) -> Counterfactual {
    match ex {
        Ex::Cmp(op, a, b, ty) => {
            let (x, y) = (ctx.eval(a), ctx.eval(b));
            let (Some(xa), Some(yb)) = (x.as_num(), y.as_num()) else {
                return Counterfactual::Required;
            };
            // The smallest step of each kind of value: a whole unit, one yuan, 0.01%.
            let unit = match ty {
                Ty::Int | Ty::Money => Decimal::ONE,
                Ty::Percent => Decimal::new(1, 4),
                _ => Decimal::new(1, 2),
            };
            let (delta, increase) = match op {
                CmpOp::Ge => (yb.checked_sub(xa), true),
                CmpOp::Gt => (yb.checked_sub(xa).and_then(|d| d.checked_add(unit)), true),
                CmpOp::Le => (xa.checked_sub(yb), false),
                CmpOp::Lt => (xa.checked_sub(yb).and_then(|d| d.checked_add(unit)), false),
                CmpOp::Eq if xa < yb => (yb.checked_sub(xa), true),
                CmpOp::Eq => (xa.checked_sub(yb), false),
                CmpOp::Ne => return Counterfactual::Required,
            };
            let target = delta.and_then(|d| {
                if increase {
                    xa.checked_add(d)
                } else {
                    xa.checked_sub(d)
                }
            });
            let (Some(delta), Some(target)) = (delta, target) else {
                return Counterfactual::Required;
            };
            if delta <= Decimal::ZERO {
                return Counterfactual::Required;
            }
            let value = match &**a {
                Ex::Var(slot) => rule
                    .locals
                    .iter()
                    .position(|l| l.slot == *slot)
                    .map_or(ValueName::None, |i| ValueName::Local(i as u16)),
                Ex::Global(g) => ValueName::Global(*g),
                Ex::Field(_, rec, f) => ValueName::Fact(*rec, *f),
                _ => ValueName::None,
            };
            let num = |d: Decimal| {
                if *ty == Ty::Int {
                    i64::try_from(d).map_or(Val::Num(d), Val::Int)
                } else {
                    Val::Num(d)
                }
            };
            Counterfactual::Change(Change {
                value,
                actual: shown(ctx, x, *ty),
                bound: shown(ctx, y, *ty),
                target: shown(ctx, num(target), *ty),
                delta: shown(ctx, num(delta), *ty),
                increase,
            })
        }
        Ex::And(a, b) => {
            let mut parts = Vec::new();
            for side in [a, b] {
                if truth(ctx.eval(side)) == Some(false) {
                    match counterfactual(ctx, rule, side) {
                        Counterfactual::All(inner) => parts.extend(inner),
                        other => parts.push(other),
                    }
                }
            }
            if parts.iter().all(|p| *p == Counterfactual::Required) {
                Counterfactual::Required
            } else if parts.len() == 1 {
                parts.pop().unwrap_or(Counterfactual::Required)
            } else {
                Counterfactual::All(parts)
            }
        }
        Ex::Or(a, b) => {
            let mut alts = Vec::new();
            for side in [a, b] {
                match counterfactual(ctx, rule, side) {
                    Counterfactual::Any(inner) => alts.extend(inner),
                    other => alts.push(other),
                }
            }
            if alts.iter().all(|p| *p == Counterfactual::Required) {
                Counterfactual::Required
            } else {
                Counterfactual::Any(alts)
            }
        }
        _ => Counterfactual::Required,
    }
}
