//! Exact results of the interpreter and of `decide` on a tiny hand-built program: three-valued
//! logic, aggregates as ranges, `only`, effects with unknown or integer arguments, and
//! counterfactuals. Each test pins a behaviour a mutant of `interp.rs` or `decide.rs` would change.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::decide::decide;
use super::facts::{Fact, Facts};
use super::findings::*;
use super::interp::Ctx;
use super::store::{Store, Stored};
use super::value::Val;
use crate::check::ir::*;
use crate::source::Span;
use crate::syntax::ast::Labels;
use chrono::NaiveDate;
use rust_decimal::Decimal;

const ITEMS: FieldId = 0;
const ID: FieldId = 0;
const FLAG: FieldId = 1;
const N: FieldId = 2;

fn field(name: &str, ty: Ty) -> FieldSchema {
    FieldSchema {
        name: name.into(),
        ty,
        range: crate::check::range::Range::default(),
        labels: Labels {
            zh: name.into(),
            en: name.into(),
        },
        attested: false,
        span: Span::default(),
    }
}

/// `items: list by id { id: text, flag: bool, n: int }` at the root.
fn program() -> Program {
    Program {
        schema: Schema {
            records: vec![
                RecordSchema {
                    fields: vec![field("items", Ty::List(1))],
                    key: None,
                    incomplete: false,
                },
                RecordSchema {
                    fields: vec![
                        field("id", Ty::Text),
                        field("flag", Ty::Bool),
                        field("n", Ty::Int),
                    ],
                    key: Some(ID),
                    incomplete: false,
                },
            ],
            enums: Vec::new(),
        },
        labels: vec!["one".into()],
        n_slots: 4,
        ..Program::default()
    }
}

/// A case of one list of items, each of three facts made by `item` from its index.
fn hand_made(n: usize, item: impl Fn(usize, &mut Store) -> [Stored; 3]) -> Facts {
    let mut store = Store::new("");
    let root = store.open(1);
    let starts: Vec<u32> = (0..n)
        .map(|i| {
            let facts = item(i, &mut store);
            let start = store.open(3);
            for (f, v) in facts.into_iter().enumerate() {
                store.set(start, f, v);
            }
            start
        })
        .collect();
    let list = store.list(starts.into_iter(), 3);
    store.set(root, 0, list);
    store.set_root(root, 1);
    Facts::new(None, Vec::new(), store)
}

/// Items `K0, K1, …` with the given flag and number (`None`: absent).
fn facts(items: &[(Option<bool>, Option<i64>)]) -> Facts {
    hand_made(items.len(), |i, store| {
        let (flag, n) = items[i];
        [
            store.text_decoded(&format!("K{i}")),
            flag.map_or(Stored::Absent, Stored::Bool),
            n.map_or(Stored::Absent, Stored::Int),
        ]
    })
}

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
}

fn b(e: Ex) -> Box<Ex> {
    Box::new(e)
}
fn items() -> Ex {
    Ex::Field(b(Ex::Root), 0, ITEMS)
}
fn x(f: FieldId) -> Ex {
    Ex::Field(b(Ex::Var(0)), 1, f)
}
/// `items[key].f`
fn at(key: &str, f: FieldId) -> Ex {
    Ex::Field(b(Ex::Lookup(b(items()), 1, b(Ex::Text(key.into())))), 1, f)
}
/// The program with `n: int >= 0`: an absent n is at least 0.
fn program_with_n_at_least_zero() -> Program {
    let mut prog = program();
    prog.schema.records[1].fields[N as usize].range = crate::check::range::Range {
        min: Some(crate::check::range::Bound {
            value: Decimal::ZERO,
            inclusive: true,
        }),
        max: None,
    };
    prog
}
/// Items get `subs: list` (of items again): the program and `items[nope].subs`, a list known not
/// to be there (there is no item `nope`).
fn subs_of_nope() -> (Program, Ex) {
    let mut prog = program();
    prog.schema.records[1]
        .fields
        .push(field("subs", Ty::List(1)));
    let subs = Ex::Field(
        b(Ex::Lookup(b(items()), 1, b(Ex::Text("nope".into())))),
        1,
        3,
    );
    (prog, subs)
}
fn agg(kind: AggKind, filter: Option<Ex>, body: Option<Ex>) -> Ex {
    Ex::Agg(Box::new(Agg {
        kind,
        var: 0,
        src: Src::List(items(), 1),
        filter,
        body,
        int_result: true,
    }))
}
fn cmp(op: CmpOp, a: Ex, c: Ex) -> Ex {
    Ex::Cmp(op, b(a), b(c), Ty::Int)
}
fn num(n: i64) -> Option<Decimal> {
    Some(Decimal::from(n))
}

/// Evaluate `e` over `items`; also the number of absent facts it read.
fn eval(items: &[(Option<bool>, Option<i64>)], e: &Ex) -> (Val<'static>, usize) {
    eval_in(program(), items, e)
}
fn eval_in(prog: Program, items: &[(Option<bool>, Option<i64>)], e: &Ex) -> (Val<'static>, usize) {
    let prog = Box::leak(Box::new(prog));
    let f = Box::leak(Box::new(facts(items)));
    let e = Box::leak(Box::new(e.clone()));
    let mut ctx = Ctx::new(prog, f, day());
    let v = ctx.eval(e);
    (v, ctx.missing.len())
}
fn val(items: &[(Option<bool>, Option<i64>)], e: &Ex) -> Val<'static> {
    eval(items, e).0
}

const T: Option<bool> = Some(true);
const F: Option<bool> = Some(false);
const U: Option<bool> = None;

// ------------------------------------------------------------------ three-valued logic

#[test]
fn unknown_or_true_is_true_and_unknown_and_false_is_false() {
    let unknown = at("K0", FLAG);
    let its = [(U, None)];
    let or = |a: Ex, c: Ex| Ex::Or(b(a), b(c));
    let and = |a: Ex, c: Ex| Ex::And(b(a), b(c));
    assert_eq!(
        val(&its, &or(unknown.clone(), Ex::Bool(true))),
        Val::Bool(true)
    );
    assert_eq!(
        val(&its, &or(Ex::Bool(true), unknown.clone())),
        Val::Bool(true)
    );
    assert_eq!(
        val(&its, &or(unknown.clone(), Ex::Bool(false))),
        Val::Unknown
    );
    assert_eq!(
        val(&its, &or(Ex::Bool(false), unknown.clone())),
        Val::Unknown
    );
    assert_eq!(
        val(&its, &or(Ex::Bool(false), Ex::Bool(false))),
        Val::Bool(false)
    );
    assert_eq!(
        val(&its, &and(unknown.clone(), Ex::Bool(false))),
        Val::Bool(false)
    );
    assert_eq!(
        val(&its, &and(Ex::Bool(false), unknown.clone())),
        Val::Bool(false)
    );
    assert_eq!(
        val(&its, &and(unknown.clone(), Ex::Bool(true))),
        Val::Unknown
    );
    assert_eq!(
        val(&its, &and(Ex::Bool(true), unknown.clone())),
        Val::Unknown
    );
    assert_eq!(
        val(&its, &and(Ex::Bool(true), Ex::Bool(true))),
        Val::Bool(true)
    );
    assert_eq!(val(&its, &Ex::Not(b(unknown))), Val::Unknown);
}

#[test]
fn an_absent_value_counts_as_false_in_logic() {
    // No item has key `nope`: the list is complete, so that item is known not to be there.
    let absent = at("nope", FLAG);
    let its = [(T, Some(1))];
    assert_eq!(val(&its, &absent), Val::Absent);
    assert_eq!(val(&its, &Ex::Not(b(absent.clone()))), Val::Bool(true));
    assert_eq!(
        val(&its, &Ex::And(b(absent.clone()), b(Ex::Bool(true)))),
        Val::Bool(false)
    );
    assert_eq!(
        val(&its, &Ex::Or(b(absent.clone()), b(Ex::Bool(true)))),
        Val::Bool(true)
    );
    assert_eq!(
        val(&its, &Ex::Or(b(absent.clone()), b(Ex::Bool(false)))),
        Val::Bool(false)
    );
    // It compares false whatever the other side, even unknown, and reads no absent fact.
    let unknown = Ex::Field(b(Ex::Lookup(b(items()), 1, b(Ex::Text("K0".into())))), 1, N);
    let (v, read) = eval(
        &[(T, None)],
        &cmp(CmpOp::Eq, at("nope", N), unknown.clone()),
    );
    assert_eq!((v, read), (Val::Bool(false), 1));
    assert_eq!(val(&its, &Ex::Exists(b(absent))), Val::Bool(false));
}

// ------------------------------------------------------------------ aggregates as ranges

#[test]
fn a_count_over_unknown_filters_is_a_range_decided_by_its_bounds() {
    let its = [(T, None), (U, None), (F, None), (T, None)];
    let count = agg(AggKind::Count, Some(x(FLAG)), None);
    assert_eq!(val(&its, &count), Val::Range(num(2), num(3)));
    let with = |op, n| val(&its, &cmp(op, count.clone(), Ex::Int(n)));
    assert_eq!(with(CmpOp::Ge, 2), Val::Bool(true));
    assert_eq!(with(CmpOp::Ge, 3), Val::Unknown);
    assert_eq!(with(CmpOp::Gt, 3), Val::Bool(false));
    assert_eq!(with(CmpOp::Lt, 2), Val::Bool(false));
    assert_eq!(with(CmpOp::Lt, 4), Val::Bool(true));
    assert_eq!(with(CmpOp::Le, 1), Val::Bool(false));
    assert_eq!(with(CmpOp::Le, 3), Val::Bool(true));
    assert_eq!(with(CmpOp::Eq, 4), Val::Bool(false));
    assert_eq!(with(CmpOp::Eq, 2), Val::Unknown);
    assert_eq!(with(CmpOp::Ne, 1), Val::Bool(true));
    assert_eq!(with(CmpOp::Ne, 3), Val::Unknown);
    // Known filters give a plain number.
    let known = [(T, None), (F, None), (T, None)];
    assert_eq!(val(&known, &count), Val::Int(2));
}

#[test]
fn a_sum_over_maybe_included_entries_spans_leaving_each_out() {
    let sum = agg(AggKind::Sum, Some(x(FLAG)), Some(x(N)));
    let its = [(T, Some(5)), (U, Some(-2)), (U, Some(4)), (F, Some(100))];
    assert_eq!(val(&its, &sum), Val::Range(num(3), num(9)));
    // A certainly included entry of unknown value leaves the sum unbounded.
    assert_eq!(val(&[(T, Some(5)), (T, None)], &sum), Val::Unknown);
    // An entry of unknown value that may be left out bounds nothing either.
    assert_eq!(val(&[(T, Some(5)), (U, None)], &sum), Val::Unknown);
    assert_eq!(val(&[(T, Some(5)), (T, Some(2))], &sum), Val::Int(7));
}

#[test]
fn the_min_aggregate_picks_the_least_and_ranges_over_maybe_entries() {
    let min = agg(AggKind::Min, Some(x(FLAG)), Some(x(N)));
    let max = agg(AggKind::Max, Some(x(FLAG)), Some(x(N)));
    let its = [(T, Some(5)), (T, Some(3)), (T, Some(7))];
    assert_eq!(val(&its, &min), Val::Int(3));
    assert_eq!(val(&its, &max), Val::Int(7));
    // A maybe-included 1 could lower the min to 1; a maybe 9 could raise the max to 9.
    let maybe = [(T, Some(5)), (U, Some(1)), (T, Some(3)), (U, Some(9))];
    assert_eq!(val(&maybe, &min), Val::Range(num(1), num(3)));
    assert_eq!(val(&maybe, &max), Val::Range(num(5), num(9)));
    // A certain entry of unknown value: the min is at most the known least.
    let open = [(T, Some(5)), (T, None)];
    assert_eq!(val(&open, &min), Val::Range(None, num(5)));
    assert_eq!(
        val(&open, &cmp(CmpOp::Le, min.clone(), Ex::Int(5))),
        Val::Bool(true)
    );
    // No entry certainly in: there may be no min at all.
    assert_eq!(val(&[(U, Some(5))], &min), Val::Unknown);
    assert_eq!(val(&[], &min), Val::Unknown);
}

#[test]
fn a_mean_with_maybe_entries_lies_between_the_certain_mean_and_their_values() {
    let mean = agg(AggKind::Mean, Some(x(FLAG)), Some(x(N)));
    assert_eq!(
        val(&[(T, Some(4)), (T, Some(6))], &mean),
        Val::Num(Decimal::from(5))
    );
    assert_eq!(
        val(&[(T, Some(4)), (T, Some(6)), (U, Some(10))], &mean),
        Val::Range(num(5), num(10))
    );
    assert_eq!(val(&[(U, Some(4))], &mean), Val::Unknown);
    assert_eq!(val(&[(T, Some(4)), (T, None)], &mean), Val::Unknown);
}

#[test]
fn a_mean_over_an_absent_bounded_value_is_at_least_what_the_known_ones_bring() {
    // `n: int >= 0`: an absent n is at least 0, so the mean of 4, 8 and an absent one is at
    // least 4 (CONTRACT 5.1: no `unknown` where every filling-in gives the same answer).
    let prog = program_with_n_at_least_zero();
    let mean = agg(AggKind::Mean, Some(x(FLAG)), Some(x(N)));
    let its = [(T, Some(4)), (T, None), (T, Some(8))];
    let (v, read) = eval_in(prog.clone(), &its, &mean);
    assert_eq!((v, read), (Val::Range(num(4), None), 1));
    let (v, _) = eval_in(
        prog.clone(),
        &its,
        &cmp(CmpOp::Ge, mean.clone(), Ex::Int(4)),
    );
    assert_eq!(v, Val::Bool(true));
    let (v, _) = eval_in(
        prog.clone(),
        &its,
        &cmp(CmpOp::Ge, mean.clone(), Ex::Int(5)),
    );
    assert_eq!(v, Val::Unknown);
    // An entry that may be in with an absent value may bring anything from 0 up: the mean of
    // the certain 4 and 8 (6) may fall to 0 but is otherwise unbounded above.
    let maybe = [(T, Some(4)), (U, None), (T, Some(8))];
    let (v, _) = eval_in(prog.clone(), &maybe, &mean);
    assert_eq!(v, Val::Range(num(0), None));
    // Without a bound in the vocabulary an absent value could be anything.
    assert_eq!(val(&its, &mean), Val::Unknown);
}

#[test]
fn any_and_all_look_past_a_first_entry_that_does_not_decide() {
    let any = agg(AggKind::Any, None, Some(x(FLAG)));
    let all = agg(AggKind::All, None, Some(x(FLAG)));
    assert_eq!(val(&[(F, None), (T, None)], &any), Val::Bool(true));
    assert_eq!(val(&[(F, None), (F, None)], &any), Val::Bool(false));
    assert_eq!(val(&[(F, None), (U, None)], &any), Val::Unknown);
    assert_eq!(val(&[(U, None), (T, None)], &any), Val::Bool(true));
    assert_eq!(val(&[(T, None), (F, None)], &all), Val::Bool(false));
    assert_eq!(val(&[(T, None), (T, None)], &all), Val::Bool(true));
    assert_eq!(val(&[(T, None), (U, None)], &all), Val::Unknown);
    assert_eq!(val(&[(U, None), (F, None)], &all), Val::Bool(false));
    assert_eq!(val(&[], &any), Val::Bool(false));
    assert_eq!(val(&[], &all), Val::Bool(true));
    // An entry whose filter is unknown matters only if its value could decide.
    let any_big = agg(
        AggKind::Any,
        Some(x(FLAG)),
        Some(cmp(CmpOp::Gt, x(N), Ex::Int(10))),
    );
    assert_eq!(
        val(&[(U, Some(1)), (T, Some(2))], &any_big),
        Val::Bool(false)
    );
    assert_eq!(val(&[(U, Some(11)), (T, Some(2))], &any_big), Val::Unknown);
    let all_big = agg(
        AggKind::All,
        Some(x(FLAG)),
        Some(cmp(CmpOp::Gt, x(N), Ex::Int(10))),
    );
    assert_eq!(
        val(&[(U, Some(11)), (T, Some(12))], &all_big),
        Val::Bool(true)
    );
    assert_eq!(val(&[(U, Some(1)), (T, Some(12))], &all_big), Val::Unknown);
}

#[test]
fn arithmetic_and_min_max_carry_ranges() {
    let r = |lo: i64, hi: i64| Val::Range(num(lo), num(hi));
    let count = agg(AggKind::Count, Some(x(FLAG)), None); // 1..2 below
    let its = [(T, None), (U, None)];
    let add = Ex::Arith(ArithOp::Add, b(count.clone()), b(Ex::Int(2)));
    assert_eq!(val(&its, &add), r(3, 4));
    let sub = Ex::Arith(ArithOp::Sub, b(Ex::Int(10)), b(count.clone()));
    assert_eq!(val(&its, &sub), r(8, 9));
    let mul = Ex::Arith(ArithOp::Mul, b(count.clone()), b(Ex::Int(-3)));
    assert_eq!(val(&its, &mul), r(-6, -3));
    let div = Ex::Arith(ArithOp::Div, b(Ex::Int(12)), b(count.clone()));
    assert_eq!(val(&its, &div), r(6, 12));
    // A divisor that may be zero gives nothing.
    let zero_or_one = [(U, None)];
    let div0 = Ex::Arith(ArithOp::Div, b(Ex::Int(12)), b(count.clone()));
    assert_eq!(val(&zero_or_one, &div0), Val::Unknown);
    assert_eq!(val(&its, &Ex::Neg(b(count.clone()))), r(-2, -1));
    // max(0, min(5, unknown)) is between 0 and 5.
    let unknown = at("K0", N);
    let inner = Ex::MinMax(false, vec![Ex::Int(5), unknown.clone()]);
    assert_eq!(val(&[(T, None)], &inner), Val::Range(None, num(5)));
    let outer = Ex::MinMax(true, vec![Ex::Int(0), inner]);
    assert_eq!(val(&[(T, None)], &outer), r(0, 5));
    assert_eq!(
        val(&[(T, None)], &Ex::MinMax(true, vec![unknown, Ex::Int(3)])),
        Val::Range(num(3), None)
    );
    assert_eq!(
        val(&its, &Ex::MinMax(false, vec![count, Ex::Int(2)])),
        r(1, 2)
    );
    // Plain numbers keep their kind: the least of 4 and 2 is the integer 2.
    assert_eq!(
        val(&its, &Ex::MinMax(false, vec![Ex::Int(4), Ex::Int(2)])),
        Val::Int(2)
    );
    assert_eq!(
        val(&its, &Ex::MinMax(true, vec![Ex::Int(4), Ex::Int(2)])),
        Val::Int(4)
    );
}

// ------------------------------------------------------------------ only

fn only() -> Ex {
    Ex::Only {
        var: 1,
        list: b(items()),
        rec: 1,
        filter: Some(b(Ex::Field(b(Ex::Var(1)), 1, FLAG))),
        label: 0,
    }
}
/// `only(...).n`
fn only_n() -> Ex {
    Ex::Field(b(only()), 1, N)
}

#[test]
fn only_yields_the_one_known_match_and_nothing_when_several_or_none_match() {
    assert_eq!(val(&[(F, Some(1)), (T, Some(2))], &only_n()), Val::Int(2));
    assert_eq!(val(&[(T, Some(1)), (T, Some(2))], &only()), Val::Absent);
    assert_eq!(val(&[(F, Some(1)), (F, Some(2))], &only()), Val::Absent);
    // One known match and one unknown filter: the known match, needing no missing fact.
    let (v, read) = eval(&[(U, Some(1)), (T, Some(2))], &only_n());
    assert_eq!((v, read), (Val::Int(2), 0));
    // No known match and an unknown filter: unknown, and the filter's fact is needed.
    let (v, read) = eval(&[(U, Some(1)), (F, Some(2))], &only_n());
    assert_eq!((v, read), (Val::Unknown, 1));
    // Two known matches stay none even with an unknown filter beside them.
    assert_eq!(
        val(&[(T, Some(1)), (U, Some(2)), (T, Some(3))], &only()),
        Val::Absent
    );
}

// ------------------------------------------------------------------ decide: effects, counterfactuals

/// A rule `for each <var 0> <src>` that `must` hold `test` for each subject, with no filter,
/// effects or values.
fn must_for_each(test: Ex, src: ForEachSrc) -> RuleIr {
    let mut r = rule(Some((Strength::Must, test)), Vec::new(), Vec::new());
    r.for_each = Some(ForEach {
        var: 0,
        src,
        filter: None,
    });
    r
}

fn rule(test: Option<(Strength, Ex)>, then: Vec<EffectIr>, locals: Vec<Local>) -> RuleIr {
    RuleIr {
        id: "r".into(),
        labels: None,
        cite: Cite {
            text: "1".into(),
            article: 1,
            item: None,
            sub: None,
        },
        for_each: None,
        applies: None,
        locals,
        test,
        then,
        otherwise: Vec::new(),
        overrides: Vec::new(),
        says: None,
        found: None,
        span: Span::default(),
        source: String::new(),
        test_span: None,
    }
}

fn grant(amount: Ex, subject: Ex) -> EffectIr {
    EffectIr {
        kind: "grant".into(),
        measure: None,
        amount: Some(amount),
        subject: Some(subject),
        roles: Vec::new(),
        until: None,
    }
}

fn decision_of(r: RuleIr, items: &[(Option<bool>, Option<i64>)]) -> DecisionResult {
    decide_over(program(), r, facts(items)).1
}

#[test]
fn an_effect_with_integer_subject_and_amount_carries_both() {
    let d = decision_of(
        rule(None, vec![grant(Ex::Int(5), Ex::Int(7))], Vec::new()),
        &[],
    );
    assert_eq!(d.outcome, crate::check::ir::OutcomeId(1));
    assert_eq!(d.findings[0].status, Status::Satisfied);
    let e = &d.effects[0];
    assert_eq!(e.amount, Some(Decimal::from(5)));
    assert_eq!(e.subject, Subject::Int(7));
    assert!(e.unknown.is_empty());
    assert!(d.missing.is_empty());
}

#[test]
fn an_effect_with_an_unknown_argument_is_issued_with_it_null_and_the_fact_missing() {
    // K0's number is not given: the grant stands, its amount null; the finding is satisfied.
    let d = decision_of(
        rule(
            None,
            vec![grant(at("K0", N), Ex::Text("K0".into()))],
            Vec::new(),
        ),
        &[(T, None)],
    );
    assert_eq!(d.findings[0].status, Status::Satisfied);
    assert_eq!(d.outcome, crate::check::ir::OutcomeId(1));
    let e = &d.effects[0];
    assert_eq!((e.amount, e.lacks(EffectArg::Amount)), (None, true));
    assert_eq!(e.subject, Subject::Text("K0".into()));
    assert_eq!(paths(&d), ["items[K0].n"]);
    assert_eq!(d.missing[0].rules, [crate::check::ir::RuleId(0)]);
    // A subject known not to be there: null, and the fact it needs is named by its path.
    let d = decision_of(
        rule(None, vec![grant(Ex::Int(1), at("nope", ID))], Vec::new()),
        &[(T, None)],
    );
    assert_eq!(d.effects[0].subject, Subject::None);
    assert!(d.effects[0].lacks(EffectArg::Subject));
    assert_eq!(paths(&d), ["items[nope].id"]);
}

/// The contract paths of a decision's missing facts (the test program's schema).
fn paths(d: &DecisionResult) -> Vec<String> {
    let prog = program();
    d.missing.iter().map(|m| m.path(&prog)).collect()
}

fn local(name: &str, ex: Ex, ty: Ty, slot: Slot) -> Local {
    Local {
        name: name.into(),
        slot,
        ex,
        ty,
        labels: None,
    }
}

fn change(d: &DecisionResult) -> Change {
    match d.findings[0].counterfactual.as_deref() {
        Some(Counterfactual::Change(c)) => c.clone(),
        other => panic!("expected a change, got {other:?}"),
    }
}

#[test]
fn the_counterfactual_of_an_equality_moves_toward_the_bound() {
    let test = |n: i64| {
        let r = rule(
            Some((
                Strength::Must,
                Ex::Cmp(CmpOp::Eq, b(Ex::Var(2)), b(Ex::Int(10)), Ty::Int),
            )),
            Vec::new(),
            vec![local("v", Ex::Int(n), Ty::Int, 2)],
        );
        decision_of(r, &[])
    };
    let up = change(&test(7));
    assert_eq!(
        (up.increase, up.delta, up.actual, up.bound, up.value),
        (
            true,
            Shown::Int(3),
            Shown::Int(7),
            Shown::Int(10),
            ValueName::Local(0)
        )
    );
    let down = change(&test(12));
    assert_eq!((down.increase, down.delta), (false, Shown::Int(2)));
    assert_eq!(test(10).findings[0].status, Status::Satisfied);
    assert!(test(10).findings[0].counterfactual.is_none());
}

#[test]
fn the_counterfactual_of_an_and_with_one_failing_side_is_that_side_s_change() {
    // `v == 10 and w == 1` with v = 7, w = 1: only the left side fails, so the change asked for
    // is its change, not a bare "required".
    let eq = |slot: Slot, n: i64| b(Ex::Cmp(CmpOp::Eq, b(Ex::Var(slot)), b(Ex::Int(n)), Ty::Int));
    let r = rule(
        Some((Strength::Must, Ex::And(eq(2, 10), eq(3, 1)))),
        Vec::new(),
        vec![
            local("v", Ex::Int(7), Ty::Int, 2),
            local("w", Ex::Int(1), Ty::Int, 3),
        ],
    );
    let c = change(&decision_of(r, &[]));
    assert_eq!(
        (c.increase, c.delta, c.value),
        (true, Shown::Int(3), ValueName::Local(0))
    );
}

#[test]
fn the_counterfactual_of_a_percentage_steps_by_one_hundredth_of_a_percent() {
    let pct = |s: &str| s.parse::<Decimal>().unwrap();
    let r = rule(
        Some((
            Strength::Should,
            Ex::Cmp(
                CmpOp::Gt,
                b(Ex::Var(2)),
                b(Ex::Num(pct("0.03"))),
                Ty::Percent,
            ),
        )),
        Vec::new(),
        vec![local("share", Ex::Num(pct("0.02")), Ty::Percent, 2)],
    );
    let d = decision_of(r, &[]);
    assert_eq!(d.findings[0].status, Status::Review);
    let c = change(&d);
    assert_eq!(c.delta, Shown::Percent(pct("0.0101")));
    assert_eq!(c.actual, Shown::Percent(pct("0.02")));
    assert!(c.increase);
}

#[test]
fn a_count_range_is_shown_with_its_bounds() {
    let count = agg(AggKind::Count, Some(x(FLAG)), None);
    let r = rule(
        Some((
            Strength::Must,
            Ex::Cmp(CmpOp::Ge, b(Ex::Var(2)), b(Ex::Int(1)), Ty::Int),
        )),
        Vec::new(),
        vec![local("c", count, Ty::Int, 2)],
    );
    let d = decision_of(r, &[(T, None), (U, None)]);
    assert_eq!(d.findings[0].status, Status::Satisfied);
    assert_eq!(
        d.findings[0].values,
        [Shown::Range(Box::new((Shown::Int(1), Shown::Int(2))))]
    );
    // Decided by the range: the unknown flag is not asked for.
    assert!(d.missing.is_empty());
}

#[test]
fn an_absent_fact_takes_the_range_its_vocabulary_allows() {
    // `n: int >= 0`: an absent n is at least 0, so a sum with it is at least the known part.
    let prog = program_with_n_at_least_zero();
    let sum = agg(AggKind::Sum, None, Some(x(N)));
    let its = [(T, Some(5)), (T, None)];
    let (v, read) = eval_in(prog.clone(), &its, &sum);
    assert_eq!((v, read), (Val::Range(num(5), None), 1));
    let (v, _) = eval_in(prog.clone(), &its, &cmp(CmpOp::Ge, sum.clone(), Ex::Int(5)));
    assert_eq!(v, Val::Bool(true));
    let (v, _) = eval_in(prog.clone(), &its, &cmp(CmpOp::Gt, sum, Ex::Int(5)));
    assert_eq!(v, Val::Unknown);
    let (v, _) = eval_in(prog, &its, &cmp(CmpOp::Lt, at("K1", N), Ex::Int(0)));
    assert_eq!(v, Val::Bool(false));
    // Without a range the same sum is unknown.
    assert_eq!(
        val(&its, &agg(AggKind::Sum, None, Some(x(N)))),
        Val::Unknown
    );
}

#[test]
fn a_gate_that_may_be_closed_leaves_the_decision_open() {
    let mut prog = program();
    // The gate: K0's flag; the rule: always violated.
    let mut gate = rule(
        Some((Strength::Must, at("K0", FLAG))),
        Vec::new(),
        Vec::new(),
    );
    gate.id = "gate".into();
    prog.rules.push(gate);
    prog.rules.push(rule(
        Some((Strength::Must, Ex::Bool(false))),
        Vec::new(),
        Vec::new(),
    ));
    let outcome = |name: &str, when| OutcomeIr {
        name: name.into(),
        labels: None,
        when,
    };
    prog.decisions.push(DecisionIr {
        name: "d".into(),
        labels: None,
        gates: vec![(crate::check::ir::RuleId(0), crate::check::ir::OutcomeId(0))],
        requires: Vec::new(),
        rules: vec![crate::check::ir::RuleId(1)],
        outcomes: vec![
            outcome("closed", OutcomeWhen::Declared),
            outcome(
                "refused",
                OutcomeWhen::AnyStatus(crate::syntax::ast::StatusWord::Violated),
            ),
            outcome(
                "open",
                OutcomeWhen::AnyStatus(crate::syntax::ast::StatusWord::Unknown),
            ),
            outcome("allowed", OutcomeWhen::Otherwise),
        ],
        dates: Vec::new(),
    });
    let prog: &'static Program = Box::leak(Box::new(prog));
    let run = |flag: Option<bool>| {
        let f = Box::leak(Box::new(facts(&[(flag, None)])));
        let mut ctx = Ctx::new(prog, f, day());
        decide(&mut ctx, crate::check::ir::DecisionId(0))
    };
    assert_eq!(run(Some(false)).outcome, crate::check::ir::OutcomeId(0));
    assert_eq!(run(Some(true)).outcome, crate::check::ir::OutcomeId(1));
    // Closed or refused, depending on the flag: open, and the flag is needed.
    let d = run(None);
    assert_eq!(d.outcome, crate::check::ir::OutcomeId(2));
    let missing: Vec<String> = d.missing.iter().map(|m| m.path(prog)).collect();
    assert_eq!(missing, ["items[K0].flag"]);
}

#[test]
fn exists_and_known_of_an_unknown_number_are_not_true() {
    let count = agg(AggKind::Count, Some(x(FLAG)), None);
    let its = [(T, Some(1)), (U, Some(2))];
    assert_eq!(val(&its, &Ex::Exists(b(count.clone()))), Val::Unknown);
    assert_eq!(val(&its, &Ex::Known(b(count))), Val::Bool(false));
    assert_eq!(val(&its, &Ex::Known(b(at("K0", N)))), Val::Bool(true));
    assert_eq!(val(&its, &Ex::Exists(b(at("K0", N)))), Val::Bool(true));
    assert_eq!(val(&its, &Ex::Exists(b(at("nope", N)))), Val::Bool(false));
}

// ------------------------------------------------------------------ found by cargo-mutants

#[test]
fn logic_on_known_values_and_known_itself() {
    assert_eq!(val(&[], &Ex::Not(b(Ex::Bool(true)))), Val::Bool(false));
    assert_eq!(val(&[], &Ex::Not(b(Ex::Bool(false)))), Val::Bool(true));
    let unknown = at("K0", N);
    assert_eq!(
        val(&[(T, None)], &Ex::Known(b(unknown.clone()))),
        Val::Bool(false)
    );
    assert_eq!(
        val(&[(T, Some(3))], &Ex::Known(b(unknown))),
        Val::Bool(true)
    );
    // A thing known not to be there is known.
    assert_eq!(
        val(&[(T, Some(3))], &Ex::Known(b(at("nope", N)))),
        Val::Bool(true)
    );
}

#[test]
fn enums_compare_by_their_order_and_periods_scale() {
    let c = |op, x: u16, y: u16| val(&[], &cmp(op, Ex::Enum(x), Ex::Enum(y)));
    assert_eq!(c(CmpOp::Eq, 2, 2), Val::Bool(true));
    assert_eq!(c(CmpOp::Eq, 1, 2), Val::Bool(false));
    assert_eq!(c(CmpOp::Lt, 1, 2), Val::Bool(true));
    let year = Ex::Dur(Dur {
        months: 12,
        days: 1,
    });
    assert_eq!(
        val(&[], &Ex::DurScale(b(year.clone()), b(Ex::Int(3)))),
        Val::Dur(Dur {
            months: 36,
            days: 3
        })
    );
    assert_eq!(
        val(&[], &Ex::DurScale(b(year), b(Ex::Int(i64::MAX)))),
        Val::Unknown
    );
}

#[test]
fn integer_arithmetic_stays_integer_and_absent_wins_over_a_range() {
    let ar = |op, x: i64, y: i64| val(&[], &Ex::Arith(op, b(Ex::Int(x)), b(Ex::Int(y))));
    assert_eq!(ar(ArithOp::Add, 2, 3), Val::Int(5));
    assert_eq!(ar(ArithOp::Sub, 2, 3), Val::Int(-1));
    assert_eq!(ar(ArithOp::Mul, 2, 3), Val::Int(6));
    // Division is exact: a decimal, even of two integers.
    assert_eq!(ar(ArithOp::Div, 3, 2), Val::Num(Decimal::new(15, 1)));
    // A range plus something known not to be there is not there.
    let count = agg(AggKind::Count, Some(x(FLAG)), None);
    let its = [(T, None), (U, None)];
    let sum = Ex::Arith(ArithOp::Add, b(count.clone()), b(at("nope", N)));
    assert_eq!(val(&its, &sum), Val::Absent);
    // …and a range plus an unknown is unknown.
    let sum = Ex::Arith(ArithOp::Add, b(count), b(at("K0", N)));
    assert_eq!(val(&its, &sum), Val::Unknown);
    assert_eq!(
        val(
            &[],
            &Ex::Arith(ArithOp::Add, b(Ex::Int(1)), b(at("nope", N)))
        ),
        Val::Absent
    );
}

/// The same program with whole-number keys: `items: list by id { id: int, … }`.
fn int_keyed(keys: &[(i64, Option<i64>)]) -> (Program, Facts) {
    let mut prog = program();
    prog.schema.records[1].fields[ID as usize].ty = Ty::Int;
    let facts = hand_made(keys.len(), |i, _| {
        let (k, n) = keys[i];
        [
            Stored::Int(k),
            Stored::Bool(true),
            n.map_or(Stored::Absent, Stored::Int),
        ]
    });
    (prog, facts)
}

#[test]
fn an_element_of_a_list_keyed_by_numbers_is_named_by_its_key() {
    let (prog, f) = int_keyed(&[(2023, Some(1)), (2024, None)]);
    let prog: &'static Program = Box::leak(Box::new(prog));
    let f: &'static Facts = Box::leak(Box::new(f));
    let sum: &'static Ex = Box::leak(Box::new(agg(AggKind::Sum, None, Some(x(N)))));
    let mut ctx = Ctx::new(prog, f, day());
    assert_eq!(ctx.eval(sum), Val::Unknown);
    assert_eq!(ctx.missing.len(), 1);
    let node = ctx.missing[0].node as usize;
    assert!(
        matches!(ctx.paths[node].seg, super::value::PathSeg::Num(2024)),
        "{:?}",
        ctx.paths[node].seg
    );
    // A lookup by number finds the entry with that key.
    let by_key: &'static Ex = Box::leak(Box::new(Ex::Field(
        b(Ex::Lookup(b(items()), 1, b(Ex::Int(2023)))),
        1,
        N,
    )));
    assert_eq!(ctx.eval(by_key), Val::Int(1));
}

#[test]
fn a_date_is_given_for_the_outcomes_it_names_and_always_when_it_names_none() {
    let mut prog = program();
    prog.rules.push(rule(None, Vec::new(), Vec::new()));
    let outcome = |name: &str, when| OutcomeIr {
        name: name.into(),
        labels: None,
        when,
    };
    let date = |name: &str, y: i32, when_outcomes: Vec<u16>| DateIr {
        name: name.into(),
        labels: None,
        ex: Ex::Date(NaiveDate::from_ymd_opt(y, 1, 1).unwrap()),
        when_outcomes: when_outcomes
            .into_iter()
            .map(crate::check::ir::OutcomeId)
            .collect(),
    };
    prog.decisions.push(DecisionIr {
        name: "d".into(),
        labels: None,
        gates: Vec::new(),
        requires: Vec::new(),
        rules: vec![crate::check::ir::RuleId(0)],
        outcomes: vec![
            outcome("never", OutcomeWhen::Declared),
            outcome("always", OutcomeWhen::Otherwise),
        ],
        dates: vec![
            date("any", 2030, Vec::new()),
            date("never", 2031, vec![0]),
            date("always", 2032, vec![1]),
        ],
    });
    let prog = Box::leak(Box::new(prog));
    let f = Box::leak(Box::new(facts(&[])));
    let mut ctx = Ctx::new(prog, f, day());
    let d = decide(&mut ctx, crate::check::ir::DecisionId(0));
    assert_eq!(d.outcome, crate::check::ir::OutcomeId(1));
    let ymd = |y| NaiveDate::from_ymd_opt(y, 1, 1).unwrap();
    assert_eq!(
        d.dates,
        [
            (crate::check::ir::DateId(0), ymd(2030)),
            (crate::check::ir::DateId(2), ymd(2032))
        ]
    );
}

// ------------------------------------------------------------------ found by cargo-mutants, second run

/// `decide` over `prog` with `r` as its only rule, and three outcomes: `open` (a finding
/// unknown), `granted` (an effect issued), else `none`.
fn decide_over(mut prog: Program, r: RuleIr, f: Facts) -> (&'static Program, DecisionResult) {
    prog.rules.push(r);
    prog.decisions.push(DecisionIr {
        name: "d".into(),
        labels: None,
        gates: Vec::new(),
        requires: Vec::new(),
        rules: vec![crate::check::ir::RuleId(0)],
        outcomes: vec![
            OutcomeIr {
                name: "open".into(),
                labels: None,
                when: OutcomeWhen::AnyStatus(crate::syntax::ast::StatusWord::Unknown),
            },
            OutcomeIr {
                name: "granted".into(),
                labels: None,
                when: OutcomeWhen::AnyEffect(None),
            },
            OutcomeIr {
                name: "none".into(),
                labels: None,
                when: OutcomeWhen::Otherwise,
            },
        ],
        dates: Vec::new(),
    });
    let prog: &'static Program = Box::leak(Box::new(prog));
    let f: &'static Facts = Box::leak(Box::new(f));
    let mut ctx = Ctx::new(prog, f, day());
    (prog, decide(&mut ctx, crate::check::ir::DecisionId(0)))
}

/// `must n >= 0 for each item`: each finding's subject and status, and the missing facts' paths.
fn each_item_not_negative(prog: Program, f: Facts) -> (Vec<(Subject, Status)>, Vec<String>) {
    let r = must_for_each(
        cmp(CmpOp::Ge, x(N), Ex::Int(0)),
        ForEachSrc::List {
            list: items(),
            rec: 1,
        },
    );
    let (prog, d) = decide_over(prog, r, f);
    let got = (d.findings.iter())
        .map(|f| (f.subject.clone(), f.status))
        .collect();
    (got, d.missing.iter().map(|m| m.path(prog)).collect())
}

#[test]
fn for_each_over_a_list_keyed_by_numbers_names_each_subject_by_its_key() {
    let (prog, f) = int_keyed(&[(2023, Some(1)), (2024, None)]);
    let (got, paths) = each_item_not_negative(prog, f);
    assert_eq!(
        got,
        [
            (Subject::Int(2023), Status::Satisfied),
            (Subject::Int(2024), Status::Unknown)
        ]
    );
    assert_eq!(paths, ["items[2024].n"]);
}

#[test]
fn for_each_over_a_case_file_names_each_subject_by_its_key_as_written() {
    // Read from a case file, not made by hand: the first key stands in the file's copy, the
    // second (with an escape) beside it; each subject is the key as the file means it.
    let prog = program();
    let f = super::facts::parse_facts(
        &prog.schema,
        r#"{"items": [{"id": "甲1", "n": 1}, {"id": "K\u0032", "n": -1}, {"id": "K3"}]}"#,
    )
    .unwrap();
    let (got, paths) = each_item_not_negative(prog, f);
    assert_eq!(
        got,
        [
            (Subject::Text("甲1".into()), Status::Satisfied),
            (Subject::Text("K2".into()), Status::Violated),
            (Subject::Text("K3".into()), Status::Unknown)
        ]
    );
    assert_eq!(paths, ["items[K3].n"]);
}

#[test]
fn a_money_value_that_is_a_whole_number_is_shown_as_money() {
    // `max(0, -5元)` is the whole number 0, shown as an amount of money (a
    // floor on a grant).
    let floor = Ex::MinMax(true, vec![Ex::Int(0), Ex::Num(Decimal::from(-5))]);
    let d = decision_of(
        rule(
            Some((Strength::Must, Ex::Bool(true))),
            Vec::new(),
            vec![local("floor", floor, Ty::Money, 1)],
        ),
        &[],
    );
    assert_eq!(d.findings[0].values, [Shown::Money(Decimal::ZERO)]);
}

#[test]
fn the_place_of_a_field_of_a_record_known_not_to_be_there_is_named_through_it() {
    // Items get `sub: record { v: int }`; `items[nope].sub.v` reads a record that is not there
    // (no item `nope`): an effect needing it names `items[nope].sub` and the field `v`.
    let mut prog = program();
    prog.schema.records[1]
        .fields
        .push(field("sub", Ty::Record(2)));
    prog.schema.records.push(RecordSchema {
        fields: vec![field("v", Ty::Int)],
        key: None,
        incomplete: false,
    });
    let prog: &'static Program = Box::leak(Box::new(prog));
    let f: &'static Facts = Box::leak(Box::new(facts(&[])));
    let sub = Ex::Field(
        b(Ex::Lookup(b(items()), 1, b(Ex::Text("nope".into())))),
        1,
        3,
    );
    let sub_v: &'static Ex = Box::leak(Box::new(Ex::Field(b(sub), 2, 0)));
    let mut ctx = Ctx::new(prog, f, day());
    assert_eq!(ctx.eval(sub_v), Val::Absent);
    let place = ctx.place(sub_v).expect("a place for items[nope].sub.v");
    assert_eq!(place.field, Some((2, 0)));
    let sub_node = &ctx.paths[place.node as usize];
    assert!(
        matches!(sub_node.seg, super::value::PathSeg::Field(1, 3)),
        "{:?}",
        sub_node.seg
    );
    let item_node = &ctx.paths[sub_node.parent as usize];
    assert!(
        matches!(item_node.seg, super::value::PathSeg::Key("nope")),
        "{:?}",
        item_node.seg
    );
}

#[test]
fn a_strict_comparison_of_whole_numbers_or_money_steps_by_one_unit() {
    let strict = |op: CmpOp, v: Ex, bound: Ex, ty: Ty| {
        let r = rule(
            Some((Strength::Must, Ex::Cmp(op, b(Ex::Var(2)), b(bound), ty))),
            Vec::new(),
            vec![local("v", v, ty, 2)],
        );
        change(&decision_of(r, &[]))
    };
    // `v > 5` with 3: two to reach it, one more to pass it, to 6.
    let c = strict(CmpOp::Gt, Ex::Int(3), Ex::Int(5), Ty::Int);
    assert_eq!(
        (c.delta, c.target, c.bound, c.increase),
        (Shown::Int(3), Shown::Int(6), Shown::Int(5), true)
    );
    // `v < 50元` with 60元: down by 11 yuan (not 10.01) to 49.
    let money = |n: i64| Ex::Num(Decimal::from(n));
    let c = strict(CmpOp::Lt, money(60), money(50), Ty::Money);
    let yuan = |n: i64| Shown::Money(Decimal::from(n));
    assert_eq!(
        (c.delta, c.target, c.bound, c.increase),
        (yuan(11), yuan(49), yuan(50), false)
    );
    // Not strict: the target is the bound.
    let c = strict(CmpOp::Le, money(60), money(50), Ty::Money);
    assert_eq!((c.delta, c.target), (yuan(10), yuan(50)));
}

#[test]
fn the_year_of_a_date_known_not_to_be_there_is_not_there() {
    // No item `nope`: its date is absent, not unknown, and so is its year (an absent value is
    // false in logic; an unknown one leaves the finding open).
    let year = Ex::Year(b(at("nope", N)));
    assert_eq!(val(&[(T, Some(1))], &year), Val::Absent);
    assert_eq!(
        val(&[(T, Some(1))], &Ex::Year(b(at("K0", N)))),
        Val::Unknown
    );
}

#[test]
fn a_count_of_entries_whose_value_is_unknown_ranges_over_them() {
    // `count(x.flag for x in items)`: one true, one unknown, one false: 1 or 2.
    let count = agg(AggKind::Count, None, Some(x(FLAG)));
    assert_eq!(
        val(&[(T, None), (U, None), (F, None)], &count),
        Val::Range(num(1), num(2))
    );
    assert_eq!(
        val(&[(U, None), (U, None)], &count),
        Val::Range(num(0), num(2))
    );
}

#[test]
fn an_aggregate_over_a_list_that_is_not_there_is_not_there() {
    // Items get `subs: list`; item `nope` is not there, so neither are its `subs`: their
    // count is absent (known not to be there), not a missing fact.
    let (prog, subs) = subs_of_nope();
    let count = Ex::Agg(Box::new(Agg {
        kind: AggKind::Count,
        var: 1,
        src: Src::List(subs, 1),
        filter: None,
        body: None,
        int_result: true,
    }));
    assert_eq!(eval_in(prog, &[(T, Some(1))], &count), (Val::Absent, 0));
}

#[test]
fn a_record_of_more_than_128_fields_tells_each_field_apart() {
    // Past 128 fields the reader's "given already" set moves to the heap: every field still
    // has its own bit there, and a field given twice is still refused.
    let mut prog = program();
    prog.schema.records[0].fields = (0..130).map(|i| field(&format!("f{i}"), Ty::Int)).collect();
    let schema = &prog.schema;
    let f = super::facts::parse_facts(schema, r#"{"f0": 1, "f1": 2, "f64": 3, "f129": 4}"#)
        .expect("four distinct fields");
    let given: Vec<(usize, Fact)> = f
        .root()
        .facts()
        .enumerate()
        .filter(|(_, v)| *v != Fact::Absent)
        .collect();
    assert_eq!(
        given,
        [
            (0, Fact::Int(1)),
            (1, Fact::Int(2)),
            (64, Fact::Int(3)),
            (129, Fact::Int(4))
        ]
    );
    let twice = super::facts::parse_facts(schema, r#"{"f65": 1, "f65": 2}"#).unwrap_err();
    assert!(
        twice
            .to_string()
            .starts_with("f65: given twice in one object"),
        "{twice}"
    );
}

#[test]
fn an_absent_percent_takes_its_range_in_hundredths() {
    // `n: percent >= 20 <= 100` in the case file's units: absent, it lies between 0.2 and 1.
    let mut prog = program();
    let bound = |v: i64| crate::check::range::Bound {
        value: Decimal::from(v),
        inclusive: true,
    };
    let n = &mut prog.schema.records[1].fields[N as usize];
    n.ty = Ty::Percent;
    n.range = crate::check::range::Range {
        min: Some(bound(20)),
        max: Some(bound(100)),
    };
    let (v, read) = eval_in(prog, &[(T, None)], &at("K0", N));
    assert_eq!(
        (v, read),
        (Val::Range(Some(Decimal::new(2, 1)), Some(Decimal::ONE)), 1)
    );
}

#[test]
fn a_lookup_by_a_key_that_is_not_there_is_not_there() {
    // `items[items[nope].id].n`: the key itself is known not to be there.
    let key = at("nope", ID);
    let e = Ex::Field(b(Ex::Lookup(b(items()), 1, b(key))), 1, N);
    assert_eq!(eval(&[(T, Some(1))], &e), (Val::Absent, 0));
}

#[test]
fn a_range_of_exactly_the_longest_span_is_still_counted() {
    let over = |to: i64| {
        Ex::Agg(Box::new(Agg {
            kind: AggKind::Count,
            var: 1,
            src: Src::Range(Ex::Int(0), Ex::Int(to)),
            filter: None,
            body: None,
            int_result: true,
        }))
    };
    let longest = super::interp::MAX_RANGE;
    assert_eq!(val(&[], &over(longest)), Val::Int(longest + 1));
    assert_eq!(val(&[], &over(longest + 1)), Val::Unknown);
}

#[test]
fn a_divisor_range_that_holds_zero_has_no_quotient_and_one_below_zero_does() {
    // count over two entries of unknown flag: 0 to 2; minus 1: -1 to 1 (may be zero).
    let count = agg(AggKind::Count, Some(x(FLAG)), None);
    let its = [(U, None), (U, None)];
    let around_zero = Ex::Arith(ArithOp::Sub, b(count.clone()), b(Ex::Int(1)));
    let div = |d: Ex| Ex::Arith(ArithOp::Div, b(Ex::Int(6)), b(d));
    assert_eq!(val(&its, &div(around_zero)), Val::Unknown);
    // minus 3: -3 to -1, all below zero: 6 divided by it lies in -6 ..= -2.
    let below_zero = Ex::Arith(ArithOp::Sub, b(count), b(Ex::Int(3)));
    assert_eq!(val(&its, &div(below_zero)), Val::Range(num(-6), num(-2)));
}

#[test]
fn a_percent_given_as_a_whole_json_number_is_read_in_hundredths() {
    // `n: percent` given as `3` (not the string "3") is 3%, i.e. 0.03, like "3"; found by
    // cargo-mutants (the percent arm of the reader's whole-number path).
    let mut prog = program();
    prog.schema.records[1].fields[N as usize].ty = Ty::Percent;
    let read = |json: &str| {
        let f = super::facts::parse_facts(&prog.schema, json).unwrap();
        let Some(Fact::List(items)) = f.root().get(0) else {
            panic!("{f:?}")
        };
        match items.get(0).and_then(|r| r.get(N as usize)) {
            Some(Fact::Num(n)) => n,
            other => panic!("{other:?}"),
        }
    };
    let whole = read(r#"{"items": [{"id": "K0", "n": 3}]}"#);
    assert_eq!(whole, Decimal::new(3, 2));
    assert_eq!(whole, read(r#"{"items": [{"id": "K0", "n": "3"}]}"#));
}

// ------------------------------------------------- found by the full run of src/eval (session 9)

#[test]
fn a_value_known_not_to_be_there_is_in_no_set() {
    // `items[nope].n in [0]` is false (an absent value is false in logic); `items[K0].n in [0]`
    // with `n` not given is unknown.
    let in_set = |e: Ex| Ex::InSet(b(e), vec![0u16].into_boxed_slice());
    assert_eq!(val(&[(T, None)], &in_set(at("nope", N))), Val::Bool(false));
    assert_eq!(val(&[(T, None)], &in_set(at("K0", N))), Val::Unknown);
}

#[test]
fn the_only_element_of_a_list_that_is_not_there_is_not_there() {
    // Items get `subs: list`; `only(s in items[nope].subs)` is absent (no item `nope`), not
    // unknown: no fact is missing.
    let (prog, subs) = subs_of_nope();
    let only = Ex::Only {
        var: 1,
        list: b(subs),
        rec: 1,
        filter: None,
        label: 0,
    };
    assert_eq!(eval_in(prog, &[(T, Some(1))], &only), (Val::Absent, 0));
}

#[test]
fn an_absent_whole_number_whose_bounds_meet_is_that_whole_number() {
    // `n: int >= 3 <= 3` not given is exactly 3, a whole number; the same bounds on a decimal
    // give the decimal 3.
    let bound = |v: i64| crate::check::range::Bound {
        value: Decimal::from(v),
        inclusive: true,
    };
    let with_ty = |ty: Ty| {
        let mut prog = program();
        let n = &mut prog.schema.records[1].fields[N as usize];
        n.ty = ty;
        n.range = crate::check::range::Range {
            min: Some(bound(3)),
            max: Some(bound(3)),
        };
        eval_in(prog, &[(T, None)], &at("K0", N))
    };
    assert_eq!(with_ty(Ty::Int), (Val::Int(3), 1));
    assert_eq!(with_ty(Ty::Decimal), (Val::Num(Decimal::from(3)), 1));
}

#[test]
fn the_place_of_an_element_looked_up_by_a_number_is_named_by_that_number() {
    // `items[2025].n` in a list keyed by numbers with no 2025: the effect needing it names
    // `items[2025]` and the field `n`.
    let (prog, f) = int_keyed(&[(2023, Some(1))]);
    let prog: &'static Program = Box::leak(Box::new(prog));
    let f: &'static Facts = Box::leak(Box::new(f));
    let e: &'static Ex = Box::leak(Box::new(Ex::Field(
        b(Ex::Lookup(b(items()), 1, b(Ex::Int(2025)))),
        1,
        N,
    )));
    let mut ctx = Ctx::new(prog, f, day());
    assert_eq!(ctx.eval(e), Val::Absent);
    let place = ctx.place(e).expect("a place for items[2025].n");
    assert_eq!(place.field, Some((1, N)));
    let item = &ctx.paths[place.node as usize];
    assert!(
        matches!(item.seg, super::value::PathSeg::Num(2025)),
        "{:?}",
        item.seg
    );
}

#[test]
fn a_for_each_over_a_range_longer_than_the_longest_is_one_unknown_finding() {
    // `for each y from 0 to MAX_RANGE + 1` is not walked: one unknown finding with no subject.
    // Exactly the longest span is walked, one satisfied finding per number.
    let over = |to: i64| {
        let r = must_for_each(Ex::Bool(true), ForEachSrc::Range(Ex::Int(0), Ex::Int(to)));
        decision_of(r, &[])
    };
    let longest = super::interp::MAX_RANGE;
    let too_long = over(longest + 1);
    let got: Vec<(Subject, Status)> = too_long
        .findings
        .iter()
        .map(|f| (f.subject.clone(), f.status))
        .collect();
    assert_eq!(got, [(Subject::None, Status::Unknown)]);
    let walked = over(longest);
    assert_eq!(walked.findings.len(), longest as usize + 1);
    assert_eq!(walked.findings[0].subject, Subject::Int(0));
    assert!(walked
        .findings
        .iter()
        .all(|f| f.status == Status::Satisfied));
}

#[test]
fn a_date_known_not_to_be_there_moved_by_a_duration_is_not_there() {
    // `items[nope].n + 1 day`: the day is absent, and so is the day after it; a day not given
    // (`items[K0].n`) moved is unknown.
    let shift = |e: Ex| Ex::DateShift(b(e), b(Ex::Dur(Dur { months: 0, days: 1 })), false);
    assert_eq!(val(&[(T, None)], &shift(at("nope", N))), Val::Absent);
    assert_eq!(val(&[(T, None)], &shift(at("K0", N))), Val::Unknown);
}

#[test]
fn yes_and_no_compare_as_equal_or_not() {
    let yes_no = |op: CmpOp, a: bool, c: bool| {
        val(&[], &Ex::Cmp(op, b(Ex::Bool(a)), b(Ex::Bool(c)), Ty::Bool))
    };
    assert_eq!(yes_no(CmpOp::Eq, true, true), Val::Bool(true));
    assert_eq!(yes_no(CmpOp::Eq, true, false), Val::Bool(false));
    assert_eq!(yes_no(CmpOp::Ne, false, true), Val::Bool(true));
}

#[test]
fn the_negation_of_a_decimal_or_a_range_turns_its_sign() {
    // count(x.flag) over two unknown flags lies in 0 ..= 2; its negation in -2 ..= 0.
    let count = agg(AggKind::Count, Some(x(FLAG)), None);
    let neg = Ex::Neg(b(count));
    assert_eq!(
        val(&[(U, None), (U, None)], &neg),
        Val::Range(num(-2), num(0))
    );
    let half = Ex::Neg(b(Ex::Num(Decimal::new(25, 1))));
    assert_eq!(val(&[], &half), Val::Num(Decimal::new(-25, 1)));
}

#[test]
fn the_counterfactual_of_a_value_of_the_policy_names_that_value() {
    // `let cap = 3` at the top of the policy; `must cap >= 5`: the change names `cap`.
    let mut prog = program();
    prog.globals.push(Global {
        name: "cap".into(),
        ex: Ex::Int(3),
        ty: Ty::Int,
        labels: None,
    });
    let r = rule(
        Some((Strength::Must, cmp(CmpOp::Ge, Ex::Global(0), Ex::Int(5)))),
        Vec::new(),
        Vec::new(),
    );
    let (_, d) = decide_over(prog, r, facts(&[]));
    let c = change(&d);
    assert_eq!(
        (c.increase, c.delta, c.value),
        (true, Shown::Int(2), ValueName::Global(0))
    );
}

#[test]
fn a_lookup_in_a_list_that_is_not_there_is_not_there() {
    // Items get `subs: list by id`; `items[nope].subs[K0]` looks in a list that is not there.
    let (prog, subs) = subs_of_nope();
    let e = Ex::Lookup(b(subs), 1, b(Ex::Text("K0".into())));
    assert_eq!(eval_in(prog, &[(T, Some(1))], &e), (Val::Absent, 0));
}

#[test]
fn bounds_that_cross_know_nothing() {
    // At least 5 and at most 3 can only come from a contradiction: unknown, not a range.
    use super::value::range;
    assert_eq!(range(num(5), num(3), false), Val::Unknown);
    assert_eq!(range(num(3), num(5), false), Val::Range(num(3), num(5)));
    assert_eq!(range(num(4), num(4), true), Val::Int(4));
}

#[test]
fn any_stops_at_the_first_true_entry_and_all_at_the_first_false() {
    // Once one entry settles `any` (`all`), the entries after it are not read: their flags are
    // not missing facts of this value.
    let any = agg(AggKind::Any, None, Some(x(FLAG)));
    assert_eq!(eval(&[(T, None), (U, None)], &any), (Val::Bool(true), 0));
    let all = agg(AggKind::All, None, Some(x(FLAG)));
    assert_eq!(eval(&[(F, None), (U, None)], &all), (Val::Bool(false), 0));
}

#[test]
fn a_number_at_the_edge_of_a_range_may_or_may_not_equal_it() {
    // 2 == (2 ..= 4) is unknown: the range holds 2 and more besides.
    let count = agg(AggKind::Count, Some(x(FLAG)), None);
    let two_to_four = Ex::Arith(ArithOp::Add, b(count), b(Ex::Int(2)));
    let eq = cmp(CmpOp::Eq, Ex::Int(2), two_to_four.clone());
    assert_eq!(val(&[(U, None), (U, None)], &eq), Val::Unknown);
    let ne = cmp(CmpOp::Ne, two_to_four, Ex::Int(2));
    assert_eq!(val(&[(U, None), (U, None)], &ne), Val::Unknown);
}

#[test]
fn the_counterfactual_of_a_fact_names_that_fact() {
    // `must items[K0].n >= 5` with n = 3: the change names the field `n` of an item.
    let r = rule(
        Some((Strength::Must, cmp(CmpOp::Ge, at("K0", N), Ex::Int(5)))),
        Vec::new(),
        Vec::new(),
    );
    let c = change(&decision_of(r, &[(T, Some(3))]));
    assert_eq!(
        (c.increase, c.delta, c.value),
        (true, Shown::Int(2), ValueName::Fact(1, N))
    );
}

#[test]
fn a_for_each_over_a_list_that_is_not_there_has_no_subjects() {
    // Items get `subs: list`; `for each s in items[nope].subs` has nothing to go over: no
    // finding at all, not an unknown one.
    let (prog, subs) = subs_of_nope();
    let r = must_for_each(Ex::Bool(true), ForEachSrc::List { list: subs, rec: 1 });
    let (_, d) = decide_over(prog, r, facts(&[(T, Some(1))]));
    assert!(d.findings.is_empty(), "{:?}", d.findings);
    assert!(d.missing.is_empty());
}

#[test]
fn a_bound_shown_in_fewer_places_is_rounded_away_from_the_range() {
    use super::decide::outward;
    let floor = Decimal::from(130_000_001) / Decimal::from(3); // 43,333,333.666…
    assert_eq!(outward(floor, Ty::Money, true).to_string(), "43333333.66");
    assert_eq!(outward(floor, Ty::Money, false).to_string(), "43333333.67");
    // A share of 2.48512…% is at least 2.48% and at most 2.49%.
    let share = Decimal::new(248_512, 7);
    assert_eq!(outward(share, Ty::Percent, true).to_string(), "0.0248");
    assert_eq!(outward(share, Ty::Percent, false).to_string(), "0.0249");
    // A bound already shown exactly is left as it is.
    assert_eq!(
        outward(Decimal::new(1_250, 2), Ty::Money, true),
        Decimal::new(1_250, 2)
    );
}
