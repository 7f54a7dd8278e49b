//! The expression interpreter over the typed IR: three-valued, exact, total.

use super::facts::{Facts, Record};
use super::findings::{DecisionResult, Finding, Shown};
use super::store::Stored;
use super::value::{range, Missing, PathNode, PathSeg, Val};
use crate::check::ir::*;
use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::Decimal;

/// Longest `from a to b` range walked; a longer one is unknown rather than a long loop.
pub const MAX_RANGE: i64 = 10_000;

/// Per-case evaluation state. Its buffers can be handed on to the next case ([`Scratch`]).
pub struct Ctx<'a> {
    pub prog: &'a Program,
    pub facts: &'a Facts,
    pub as_of: NaiveDate,
    pub vars: Vec<Val<'a>>,
    globals: Vec<Option<(Val<'a>, u32, u32)>>,
    global_missing: Vec<Missing>,
    pub paths: Vec<PathNode<'a>>,
    pub missing: Vec<Missing>,
    /// A rule's values for the subject being evaluated, before they are shown.
    pub(crate) locals: Vec<Val<'a>>,
    /// Emptied vectors for findings' shown values, given back by [`Scratch::recycle`].
    pub(crate) spare_values: Vec<Vec<Shown>>,
    /// Emptied vectors for decisions' findings, given back by [`Scratch::recycle`].
    pub(crate) spare_findings: Vec<Vec<Finding>>,
    /// The window `policy.effective` .. `policy.last_day` (open-ended: `NaiveDate::MAX`).
    pub window: (NaiveDate, NaiveDate),
    /// Only what a lean record shows is computed: a satisfied finding keeps no values and no
    /// finding a counterfactual. Statuses, effects, missing facts and dates are the same.
    pub lean: bool,
}

/// The buffers of an evaluation, emptied, for the next one: a batch evaluates every case with
/// the same allocations instead of growing new ones per case.
#[derive(Default)]
pub struct Scratch {
    vars: Vec<Val<'static>>,
    globals: Vec<Option<(Val<'static>, u32, u32)>>,
    global_missing: Vec<Missing>,
    paths: Vec<PathNode<'static>>,
    missing: Vec<Missing>,
    locals: Vec<Val<'static>>,
    spare_values: Vec<Vec<Shown>>,
    spare_findings: Vec<Vec<Finding>>,
}

/// The most emptied value vectors kept: a few cases' worth of findings.
const SPARE_VALUES: usize = 512;

/// The most emptied finding vectors kept: one a decision of a few cases.
const SPARE_FINDINGS: usize = 64;

impl Scratch {
    /// Takes back the vectors of the findings' values once a case's record is written: a full
    /// record's fifty findings each allocated one, and freed it, per case (issue 12).
    pub fn recycle(&mut self, mut results: Vec<DecisionResult>) {
        for d in &mut results {
            for f in &mut d.findings {
                // A lean record's satisfied findings have none: a test, not a move, for them.
                if f.values.capacity() > 0 && self.spare_values.len() < SPARE_VALUES {
                    let mut values = std::mem::take(&mut f.values);
                    values.clear();
                    self.spare_values.push(values);
                }
            }
            // The findings vector too: a decision over a list outgrew its first guess and grew
            // twice, per case (issue 12). Not one a huge list grew: it would stay that large.
            if self.spare_findings.len() < SPARE_FINDINGS && d.findings.capacity() <= 1 << 12 {
                let mut findings = std::mem::take(&mut d.findings);
                findings.clear();
                self.spare_findings.push(findings);
            }
        }
    }
}

/// An empty vector of the same type under another lifetime, in the allocation of `v`
/// (collecting into a vector of the same layout is done in place).
fn recycle<T, U>(v: Vec<T>) -> Vec<U> {
    v.into_iter().filter_map(|_| None).collect()
}

impl<'a> Ctx<'a> {
    pub fn new(prog: &'a Program, facts: &'a Facts, as_of: NaiveDate) -> Self {
        Self::with_scratch(prog, facts, as_of, Scratch::default())
    }

    /// A context in the buffers an earlier one left ([`Ctx::into_scratch`]).
    pub fn with_scratch(prog: &'a Program, facts: &'a Facts, as_of: NaiveDate, s: Scratch) -> Self {
        let mut vars = recycle(s.vars);
        vars.resize(prog.n_slots, Val::Unknown);
        let mut globals = recycle(s.globals);
        globals.resize(prog.globals.len(), None);
        let mut paths = recycle(s.paths);
        paths.push(PathNode {
            parent: 0,
            seg: PathSeg::Root,
        });
        let mut global_missing = s.global_missing;
        global_missing.clear();
        let mut missing = s.missing;
        missing.clear();
        Ctx {
            prog,
            facts,
            as_of,
            vars,
            globals,
            global_missing,
            paths,
            missing,
            locals: recycle(s.locals),
            spare_values: s.spare_values,
            spare_findings: s.spare_findings,
            window: (
                prog.meta.effective.unwrap_or(NaiveDate::MIN),
                prog.meta.last_day.unwrap_or(NaiveDate::MAX),
            ),
            lean: false,
        }
    }

    /// The buffers, emptied, for the next case.
    pub fn into_scratch(self) -> Scratch {
        Scratch {
            vars: recycle(self.vars),
            globals: recycle(self.globals),
            global_missing: self.global_missing,
            paths: recycle(self.paths),
            missing: self.missing,
            locals: recycle(self.locals),
            spare_values: self.spare_values,
            spare_findings: self.spare_findings,
        }
    }

    /// A new path node under `parent`, for `missing`.
    pub(crate) fn node(&mut self, parent: u32, seg: PathSeg<'a>) -> u32 {
        self.paths.push(PathNode { parent, seg });
        (self.paths.len() - 1) as u32
    }

    /// The key field of a list's records, if it has one: looked up once per list, not per element.
    fn key_of(&self, rec: RecId) -> Option<FieldId> {
        self.prog
            .schema
            .records
            .get(rec as usize)
            .and_then(|s| s.key)
    }

    /// The path segment naming a list element: its `key` field, else its position.
    #[inline]
    fn elem_seg(key: Option<FieldId>, r: Record<'a>, i: usize) -> PathSeg<'a> {
        match key.and_then(|k| r.stored(k as usize)) {
            Some(Stored::Text(t)) => PathSeg::Key(r.store().str(*t)),
            Some(Stored::Int(n)) => PathSeg::Num(*n),
            _ => PathSeg::Num(i as i64),
        }
    }

    /// An absent fact: recorded as missing; unknown, or the range the vocabulary allows it
    /// (`money >= 0` is at least 0 whatever the case file will say).
    #[inline(never)]
    fn absent(&mut self, node: u32, rec: RecId, f: FieldId) -> Val<'a> {
        self.note(Missing {
            node,
            field: Some((rec, f)),
        });
        let Some(field) = self
            .prog
            .schema
            .records
            .get(rec as usize)
            .and_then(|r| r.fields.get(f as usize))
        else {
            return Val::Unknown;
        };
        // Bounds are written in the case file's units: a percent of 100 is 1.
        let scale = |b: Option<crate::check::range::Bound>| {
            b.map(|b| match field.ty {
                Ty::Percent => b.value / Decimal::ONE_HUNDRED,
                _ => b.value,
            })
        };
        match field.ty {
            // An exclusive bound is kept as inclusive: a little wider, never wrong.
            Ty::Int | Ty::Money | Ty::Decimal | Ty::Percent => range(
                scale(field.range.min),
                scale(field.range.max),
                field.ty == Ty::Int,
            ),
            _ => Val::Unknown,
        }
    }

    /// Inlined into `eval`'s field arm: a field read is the commonest step of all, and the call
    /// cost as much as the read (issue 12). An absent fact, the rare case, stays a call.
    #[inline(always)]
    fn read(&mut self, rec_ref: Record<'a>, node: u32, rec: RecId, f: FieldId) -> Val<'a> {
        // Read as stored, not through `Record::get`'s `Fact`: one match instead of two.
        let store = rec_ref.store();
        match rec_ref.stored(f as usize) {
            None | Some(Stored::Absent) => self.absent(node, rec, f),
            Some(Stored::Bool(b)) => Val::Bool(*b),
            Some(Stored::Int(i)) => Val::Int(*i),
            Some(Stored::Num(n)) => Val::Num(*n),
            Some(Stored::Date(d)) => Val::Date(*d),
            Some(Stored::Text(t)) => Val::Text(store.str(*t)),
            Some(Stored::Enum(e)) => Val::Enum(*e),
            Some(Stored::Rec { start, len }) => {
                let n = self.node(node, PathSeg::Field(rec, f));
                Val::Rec(store.record(*start, *len), n)
            }
            Some(Stored::List { at, count, width }) => {
                let n = self.node(node, PathSeg::Field(rec, f));
                Val::List(store.list_at(*at, *count, *width), n)
            }
        }
    }

    /// A variable's value (unknown when the slot was never set).
    #[inline]
    fn var(&self, s: Slot) -> Val<'a> {
        self.vars.get(s as usize).copied().unwrap_or(Val::Unknown)
    }

    /// [`Ctx::eval`] of the leaves most expressions are made of (a variable, the case itself, a
    /// constant word or number) and of named values once computed, without another call of it:
    /// a third of its calls were for a variable or the case a field is read from, and
    /// comparisons mostly compare with constants. A named value's first read computes it.
    #[inline]
    fn eval_leaf(&mut self, ex: &'a Ex) -> Val<'a> {
        match ex {
            Ex::Var(s) => self.var(*s),
            Ex::Root => Val::Rec(self.facts.root(), 0),
            Ex::Enum(e) => Val::Enum(*e),
            Ex::Int(i) => Val::Int(*i),
            // A named value (a policy's `let`), read through its memo.
            Ex::Global(g) => self.global(*g),
            _ => self.eval(ex),
        }
    }

    /// A field of a record: `base.f`.
    #[inline(always)]
    fn field(&mut self, base: &'a Ex, rec: RecId, f: FieldId) -> Val<'a> {
        match self.eval_leaf(base) {
            Val::Rec(r, node) => self.read(r, node, rec, f),
            Val::UnknownRec(node) => self.absent(node, rec, f),
            Val::Absent => Val::Absent,
            _ => Val::Unknown,
        }
    }

    /// The left side of a comparison: mostly a field of a variable or of a named value
    /// (`x.kind == k`), read here without another call of `eval`.
    #[inline(always)]
    fn eval_operand(&mut self, ex: &'a Ex) -> Val<'a> {
        match ex {
            Ex::Field(base, rec, f) if matches!(**base, Ex::Var(_) | Ex::Global(_)) => {
                self.field(base, *rec, *f)
            }
            _ => self.eval(ex),
        }
    }

    pub fn eval(&mut self, ex: &'a Ex) -> Val<'a> {
        match ex {
            Ex::Bool(b) => Val::Bool(*b),
            Ex::Int(i) => Val::Int(*i),
            Ex::Num(n) => Val::Num(*n),
            Ex::Date(d) => Val::Date(*d),
            Ex::Dur(d) => Val::Dur(*d),
            Ex::Text(t) => Val::Text(t),
            Ex::Enum(e) => Val::Enum(*e),
            Ex::AsOf => Val::Date(self.as_of),
            Ex::PolicyDay(PolicyDay::Effective) => Val::Date(self.window.0),
            Ex::PolicyDay(PolicyDay::LastDay) => Val::Date(self.window.1),
            Ex::Root => Val::Rec(self.facts.root(), 0),
            Ex::Var(s) => self.var(*s),
            Ex::Global(g) => self.global(*g),
            Ex::Field(base, rec, f) => self.field(base, *rec, *f),
            Ex::Lookup(list, rec, key) => {
                let l = self.eval(list);
                let k = self.eval(key);
                self.lookup(l, *rec, k)
            }
            Ex::InSet(x, set) => match self.eval(x) {
                Val::Enum(e) => Val::Bool(set.contains(&e)),
                Val::Absent => Val::Bool(false),
                _ => Val::Unknown,
            },
            Ex::Not(x) => match self.eval(x) {
                Val::Bool(b) => Val::Bool(!b),
                Val::Absent => Val::Bool(true),
                _ => Val::Unknown,
            },
            Ex::Neg(x) => match self.eval(x) {
                Val::Int(i) => i.checked_neg().map_or(Val::Unknown, Val::Int),
                Val::Num(n) => Val::Num(-n),
                Val::Range(lo, hi) => Val::Range(hi.map(|h| -h), lo.map(|l| -l)),
                v => v,
            },
            Ex::And(a, b) => match truth(self.eval(a)) {
                Some(false) => Val::Bool(false),
                Some(true) => bool_val(truth(self.eval(b))),
                None => match truth(self.eval(b)) {
                    Some(false) => Val::Bool(false),
                    _ => Val::Unknown,
                },
            },
            Ex::Or(a, b) => match truth(self.eval(a)) {
                Some(true) => Val::Bool(true),
                Some(false) => bool_val(truth(self.eval(b))),
                None => match truth(self.eval(b)) {
                    Some(true) => Val::Bool(true),
                    _ => Val::Unknown,
                },
            },
            Ex::Cmp(op, a, b, _) => {
                let (x, y) = (self.eval_operand(a), self.eval_leaf(b));
                compare(*op, x, y)
            }
            Ex::Arith(op, a, b) => {
                let (x, y) = (self.eval(a), self.eval(b));
                arith(*op, x, y)
            }
            Ex::DateShift(d, dur, back) => match (self.eval(d), self.eval(dur)) {
                (Val::Date(d), Val::Dur(u)) => shift(d, u, *back).map_or(Val::Unknown, Val::Date),
                (Val::Absent, _) | (_, Val::Absent) => Val::Absent,
                _ => Val::Unknown,
            },
            Ex::DurScale(dur, n) => match (self.eval(dur), self.eval(n)) {
                (Val::Dur(u), Val::Int(k)) => {
                    match (u.months.checked_mul(k), u.days.checked_mul(k)) {
                        (Some(months), Some(days)) => Val::Dur(Dur { months, days }),
                        _ => Val::Unknown,
                    }
                }
                _ => Val::Unknown,
            },
            Ex::Agg(agg) => self.aggregate(agg),
            Ex::Only {
                var,
                list,
                rec,
                filter,
                label,
            } => self.only(*var, list, *rec, filter.as_deref(), *label),
            Ex::Year(d) => match self.eval(d) {
                Val::Date(d) => Val::Int(i64::from(d.year())),
                Val::Absent => Val::Absent,
                _ => Val::Unknown,
            },
            Ex::MakeDate(y, m, d) => self.make_date(y, m, d),
            Ex::Exists(x) => match self.eval(x) {
                Val::Absent => Val::Bool(false),
                // A range may be an absent fact with its vocabulary bounds: unknown, as any
                // absent fact is.
                Val::Unknown | Val::UnknownRec(_) | Val::Range(..) => Val::Unknown,
                _ => Val::Bool(true),
            },
            Ex::Known(x) => Val::Bool(!self.eval(x).is_unknown()),
            Ex::MinMax(max, xs) => self.min_max(*max, xs),
        }
    }

    #[inline(never)]
    fn make_date(&mut self, y: &'a Ex, m: &'a Ex, d: &'a Ex) -> Val<'a> {
        match (self.eval(y), self.eval(m), self.eval(d)) {
            (Val::Int(y), Val::Int(m), Val::Int(d)) => {
                let ymd = (i32::try_from(y), u32::try_from(m), u32::try_from(d));
                match ymd {
                    (Ok(y), Ok(m), Ok(d)) => {
                        NaiveDate::from_ymd_opt(y, m, d).map_or(Val::Unknown, Val::Date)
                    }
                    _ => Val::Unknown,
                }
            }
            _ => Val::Unknown,
        }
    }

    /// `min(...)` or `max(...)` of its arguments. Kept out of `eval`, as the other rare and
    /// bulky forms are, so the hot recursion keeps a small frame.
    #[inline(never)]
    fn min_max(&mut self, max: bool, xs: &'a [Ex]) -> Val<'a> {
        let mut vals = Vec::with_capacity(xs.len());
        for x in xs {
            vals.push(self.eval(x));
        }
        // One argument known not to be there: the whole is not there.
        if vals.contains(&Val::Absent) {
            return Val::Absent;
        }
        let mut best: Option<(Val<'a>, Decimal)> = None;
        for v in &vals {
            let Some(n) = v.as_num() else {
                return min_max_ranges(max, &vals);
            };
            best = match best {
                Some((b, bn)) if (max && bn >= n) || (!max && bn <= n) => Some((b, bn)),
                _ => Some((*v, n)),
            };
        }
        best.map_or(Val::Unknown, |(b, _)| b)
    }

    /// A named value, from its memo once computed.
    #[inline]
    fn global(&mut self, g: u16) -> Val<'a> {
        if let Some(Some((v, s, e))) = self.globals.get(g as usize) {
            let (v, s, e) = (*v, *s as usize, *e as usize);
            if s < e {
                self.replay(s, e);
            }
            return v;
        }
        self.first_global(g)
    }

    #[inline(never)]
    fn replay(&mut self, s: usize, e: usize) {
        if let Some(ms) = self.global_missing.get(s..e) {
            self.missing.extend_from_slice(ms);
        }
    }

    /// A named value the first time it is read in a case: computed and memoized.
    #[inline(never)]
    fn first_global(&mut self, g: u16) -> Val<'a> {
        let prog = self.prog;
        let Some(def) = prog.globals.get(g as usize) else {
            return Val::Unknown;
        };
        let mark = self.mark();
        let v = self.eval(&def.ex);
        let start = self.global_missing.len() as u32;
        // The value is memoized: the facts it read are replayed at every use.
        if let Some(read) = self.missing.get(mark.0..) {
            self.global_missing.extend_from_slice(read);
        }
        let end = self.global_missing.len() as u32;
        if let Some(slot) = self.globals.get_mut(g as usize) {
            *slot = Some((v, start, end));
        }
        v
    }

    #[inline(never)]
    fn lookup(&mut self, list: Val<'a>, rec: RecId, key: Val<'a>) -> Val<'a> {
        let (items, node) = match list {
            Val::List(items, node) => (items, node),
            Val::Absent => return Val::Absent,
            _ => return Val::Unknown,
        };
        let schema = &self.prog.schema.records[rec as usize];
        let Some(kf) = schema.key else {
            return Val::Unknown;
        };
        let seg = match key {
            Val::Text(t) => PathSeg::Key(t),
            Val::Int(n) => PathSeg::Num(n),
            Val::Absent => return Val::Absent,
            _ => return Val::Unknown,
        };
        for r in items.iter() {
            let hit = match (r.stored(kf as usize), key) {
                (Some(Stored::Text(t)), Val::Text(k)) => r.store().str(*t) == k,
                (Some(Stored::Int(n)), Val::Int(k)) => *n == k,
                _ => false,
            };
            if hit {
                let n = self.node(node, seg);
                return Val::Rec(r, n);
            }
        }
        if schema.incomplete {
            let n = self.node(node, seg);
            Val::UnknownRec(n)
        } else {
            Val::Absent
        }
    }

    #[inline(never)]
    fn only(
        &mut self,
        var: Slot,
        list: &'a Ex,
        rec: RecId,
        filter: Option<&'a Ex>,
        label: u16,
    ) -> Val<'a> {
        let (items, node) = match self.eval(list) {
            Val::List(items, node) => (items, node),
            Val::Absent => return Val::Absent,
            _ => return Val::Unknown,
        };
        let mark = self.mark();
        let mut hit: Option<Record<'a>> = None;
        let mut hits = 0;
        let mut unknown = false;
        let key = self.key_of(rec);
        for (i, r) in items.iter().enumerate() {
            let seg = Self::elem_seg(key, r, i);
            let n = self.node(node, seg);
            self.set_var(var, Val::Rec(r, n));
            match filter.map_or(Some(true), |f| truth(self.eval(f))) {
                Some(true) => {
                    hits += 1;
                    hit = Some(r);
                }
                Some(false) => {}
                None => unknown = true,
            }
        }
        match (hits, hit) {
            // The one element known to match is the answer whenever there is one at all: an
            // element whose filter is unknown could only make it several, i.e. none. Whether the
            // match is unique stays for the rule that counts them to say; the answer depends on
            // no missing fact.
            (1, Some(r)) => {
                self.settle(mark);
                let n = self.node(node, PathSeg::Label(label));
                Val::Rec(r, n)
            }
            (0, _) if unknown => Val::Unknown,
            _ => {
                self.settle(mark);
                Val::Absent
            }
        }
    }

    /// The fact an expression reads, even when it is known not to be there (the lead's `id`
    /// when no member is the lead): what `missing` names for an effect that needs it.
    pub fn place(&mut self, ex: &'a Ex) -> Option<Missing> {
        let mark = self.mark();
        let place = match ex {
            Ex::Field(base, rec, f) => self.node_of(base).map(|node| Missing {
                node,
                field: Some((*rec, *f)),
            }),
            _ => self.node_of(ex).map(|node| Missing { node, field: None }),
        };
        self.settle(mark);
        place
    }

    /// The path node of a record or list expression, built from its shape when its value has
    /// none.
    fn node_of(&mut self, ex: &'a Ex) -> Option<u32> {
        if let Val::Rec(_, n) | Val::UnknownRec(n) | Val::List(_, n) = self.eval(ex) {
            return Some(n);
        }
        let prog = self.prog;
        match ex {
            Ex::Root => Some(0),
            Ex::Global(g) => match prog.globals.get(*g as usize).map(|d| &d.ex) {
                Some(Ex::Only { list, label, .. }) => {
                    let n = self.node_of(list)?;
                    Some(self.node(n, PathSeg::Label(*label)))
                }
                Some(other) => self.node_of(other),
                None => None,
            },
            Ex::Field(base, rec, f) => {
                let n = self.node_of(base)?;
                Some(self.node(n, PathSeg::Field(*rec, *f)))
            }
            Ex::Lookup(list, _, key) => {
                let n = self.node_of(list)?;
                let seg = match self.eval(key) {
                    Val::Text(t) => PathSeg::Key(t),
                    Val::Int(k) => PathSeg::Num(k),
                    _ => return None,
                };
                Some(self.node(n, seg))
            }
            _ => None,
        }
    }

    pub fn set_var(&mut self, slot: Slot, v: Val<'a>) {
        if let Some(s) = self.vars.get_mut(slot as usize) {
            *s = v;
        }
    }

    #[inline(never)]
    fn aggregate(&mut self, agg: &'a Agg) -> Val<'a> {
        let mut acc = Acc::new(agg.kind);
        match &agg.src {
            Src::List(list, rec) => {
                let (items, node) = match self.eval(list) {
                    Val::List(items, node) => (items, node),
                    Val::Absent => return Val::Absent,
                    _ => return Val::Unknown,
                };
                let key = self.key_of(*rec);
                for (i, r) in items.iter().enumerate() {
                    let seg = Self::elem_seg(key, r, i);
                    let n = self.node(node, seg);
                    self.set_var(agg.var, Val::Rec(r, n));
                    if !self.step(agg, &mut acc) {
                        break;
                    }
                }
            }
            Src::Range(a, b) => {
                let (Val::Int(a), Val::Int(b)) = (self.eval(a), self.eval(b)) else {
                    return Val::Unknown;
                };
                if b.saturating_sub(a) > MAX_RANGE {
                    return Val::Unknown;
                }
                for y in a..=b {
                    self.set_var(agg.var, Val::Int(y));
                    if !self.step(agg, &mut acc) {
                        break;
                    }
                }
            }
        }
        acc.finish(agg.int_result)
    }

    /// One element of an aggregate; false when the answer is already certain. An element whose
    /// filter is unknown may be in or out: its value still narrows the answer.
    fn step(&mut self, agg: &'a Agg, acc: &mut Acc) -> bool {
        let sure = match &agg.filter {
            Some(f) => match truth(self.eval(f)) {
                Some(false) => return true,
                Some(true) => true,
                None => false,
            },
            None => true,
        };
        let v = match &agg.body {
            Some(b) => self.eval(b),
            None => Val::Bool(true),
        };
        acc.add(sure, v)
    }
}

/// An aggregate being built. Each entry is either certainly in (its filter holds) or maybe in
/// (its filter is unknown); its value may be a number, a range or unknown. The result is the
/// range of every answer the entries could give.
struct Acc {
    kind: AggKind,
    /// count/any/all: entries certainly counted, and those that may be.
    sure: i64,
    maybe: i64,
    sure_true: bool,
    sure_false: bool,
    maybe_true: bool,
    maybe_false: bool,
    /// sum: its bounds (`None`: unbounded on that side).
    sum_lo: Option<Decimal>,
    sum_hi: Option<Decimal>,
    /// min/max: some entry is certainly in, so the answer exists.
    any_sure: bool,
    /// min: the least number any entry could bring (`far`: some could bring any number);
    /// max: the greatest.
    far_best: Option<Decimal>,
    far: bool,
    /// min: the least number an entry certainly in brings for sure (its upper bound); max: the
    /// greatest lower bound. `None`: no such bound (the answer is unbounded on that side).
    near_best: Option<Decimal>,
    /// mean: the bounds of the sum of the entries certainly in (`None`: unbounded on that
    /// side), their number, and the span of the values of those that may be in (`maybe_far`:
    /// some may bring a value unbounded on one side).
    mean_lo: Option<Decimal>,
    mean_hi: Option<Decimal>,
    mean_n: i64,
    maybe_min: Option<Decimal>,
    maybe_max: Option<Decimal>,
    maybe_low_far: bool,
    maybe_high_far: bool,
    /// mean: some value is not a number at all.
    lost: bool,
}

/// `a + b` on bounds, `None` (unbounded or overflowed) absorbing.
fn add_bound(a: Option<Decimal>, b: Option<Decimal>) -> Option<Decimal> {
    a?.checked_add(b?)
}

impl Acc {
    fn new(kind: AggKind) -> Self {
        Acc {
            kind,
            sure: 0,
            maybe: 0,
            sure_true: false,
            sure_false: false,
            maybe_true: false,
            maybe_false: false,
            sum_lo: Some(Decimal::ZERO),
            sum_hi: Some(Decimal::ZERO),
            any_sure: false,
            far_best: None,
            far: false,
            near_best: None,
            mean_lo: Some(Decimal::ZERO),
            mean_hi: Some(Decimal::ZERO),
            mean_n: 0,
            maybe_min: None,
            maybe_max: None,
            maybe_low_far: false,
            maybe_high_far: false,
            lost: false,
        }
    }

    /// One entry: `sure` when its filter holds, else it may or may not be in. False when the
    /// answer is already certain.
    fn add(&mut self, sure: bool, v: Val) -> bool {
        match self.kind {
            AggKind::Count | AggKind::Any | AggKind::All => {
                match (sure, truth(v)) {
                    (true, Some(true)) => {
                        self.sure += 1;
                        self.sure_true = true;
                    }
                    (true, Some(false)) => self.sure_false = true,
                    (false, Some(true)) => {
                        self.maybe += 1;
                        self.maybe_true = true;
                    }
                    (false, Some(false)) => self.maybe_false = true,
                    (_, None) => {
                        self.maybe += 1;
                        self.maybe_true = true;
                        self.maybe_false = true;
                    }
                }
                !((self.kind == AggKind::Any && self.sure_true)
                    || (self.kind == AggKind::All && self.sure_false))
            }
            AggKind::Sum => {
                let (lo, hi) = v.bounds().unwrap_or((None, None));
                if sure {
                    self.sum_lo = add_bound(self.sum_lo, lo);
                    self.sum_hi = add_bound(self.sum_hi, hi);
                } else {
                    // Left out, an entry adds nothing: zero is within its reach.
                    self.sum_lo = add_bound(self.sum_lo, lo.map(|x| x.min(Decimal::ZERO)));
                    self.sum_hi = add_bound(self.sum_hi, hi.map(|x| x.max(Decimal::ZERO)));
                }
                true
            }
            AggKind::Min | AggKind::Max => {
                let max = self.kind == AggKind::Max;
                let (lo, hi) = v.bounds().unwrap_or((None, None));
                // For max, the far side is the upper bound and the near side the lower one.
                let (far, near) = if max { (hi, lo) } else { (lo, hi) };
                let better = |a: Decimal, b: Decimal| if max { a.max(b) } else { a.min(b) };
                match far {
                    Some(x) => self.far_best = Some(self.far_best.map_or(x, |b| better(b, x))),
                    None => self.far = true,
                }
                if sure {
                    self.any_sure = true;
                    if let Some(x) = near {
                        self.near_best = Some(self.near_best.map_or(x, |b| better(b, x)));
                    }
                }
                true
            }
            AggKind::Mean => {
                // A number, or a range (an absent fact the vocabulary bounds: `money >= 0`).
                let Some((lo, hi)) = v.bounds() else {
                    self.lost = true;
                    return true;
                };
                if sure {
                    self.mean_n += 1;
                    self.mean_lo = add_bound(self.mean_lo, lo);
                    self.mean_hi = add_bound(self.mean_hi, hi);
                } else {
                    match lo {
                        Some(x) => self.maybe_min = Some(self.maybe_min.map_or(x, |m| m.min(x))),
                        None => self.maybe_low_far = true,
                    }
                    match hi {
                        Some(x) => self.maybe_max = Some(self.maybe_max.map_or(x, |m| m.max(x))),
                        None => self.maybe_high_far = true,
                    }
                }
                true
            }
        }
    }

    fn finish(self, int_result: bool) -> Val<'static> {
        match self.kind {
            AggKind::Any if self.sure_true => Val::Bool(true),
            AggKind::Any if self.maybe_true => Val::Unknown,
            AggKind::Any => Val::Bool(false),
            AggKind::All if self.sure_false => Val::Bool(false),
            AggKind::All if self.maybe_false => Val::Unknown,
            AggKind::All => Val::Bool(true),
            AggKind::Count => range(
                Some(Decimal::from(self.sure)),
                self.sure.checked_add(self.maybe).map(Decimal::from),
                true,
            ),
            AggKind::Sum => range(self.sum_lo, self.sum_hi, int_result),
            // With no entry certainly in, there may be none: no least or greatest at all.
            AggKind::Min | AggKind::Max if !self.any_sure => Val::Unknown,
            AggKind::Min | AggKind::Max => {
                let far = if self.far { None } else { self.far_best };
                let (lo, hi) = if self.kind == AggKind::Max {
                    (self.near_best, far)
                } else {
                    (far, self.near_best)
                };
                range(lo, hi, int_result)
            }
            // A mean of no entry has no value; one that may have none is unknown too.
            AggKind::Mean if self.lost || self.mean_n == 0 => Val::Unknown,
            AggKind::Mean => {
                let n = Decimal::from(self.mean_n);
                // The mean of the entries certainly in lies within their sum's bounds over n;
                // adding entries that may be in moves it toward their values, never past them.
                let lo = self.mean_lo.and_then(|s| s.checked_div(n));
                let hi = self.mean_hi.and_then(|s| s.checked_div(n));
                let lo = if self.maybe_low_far {
                    None
                } else {
                    lo.map(|m| self.maybe_min.map_or(m, |x| x.min(m)))
                };
                let hi = if self.maybe_high_far {
                    None
                } else {
                    hi.map(|m| self.maybe_max.map_or(m, |x| x.max(m)))
                };
                range(lo, hi, false)
            }
        }
    }
}

/// Absent counts as false in logic; unknown stays unknown.
pub fn truth(v: Val) -> Option<bool> {
    match v {
        Val::Bool(b) => Some(b),
        Val::Absent => Some(false),
        _ => None,
    }
}

fn bool_val(b: Option<bool>) -> Val<'static> {
    b.map_or(Val::Unknown, Val::Bool)
}

fn compare(op: CmpOp, x: Val, y: Val) -> Val<'static> {
    use std::cmp::Ordering;
    // Something known not to be there compares false, whatever the other side is.
    if x == Val::Absent || y == Val::Absent {
        return Val::Bool(false);
    }
    if matches!(x, Val::Range(..)) || matches!(y, Val::Range(..)) {
        return match (x.bounds(), y.bounds()) {
            (Some(a), Some(b)) => compare_ranges(op, a, b),
            _ => Val::Unknown,
        };
    }
    if x.is_unknown() || y.is_unknown() {
        return Val::Unknown;
    }
    let ord: Option<Ordering> = match (x, y) {
        (Val::Int(a), Val::Int(b)) => Some(a.cmp(&b)),
        (Val::Date(a), Val::Date(b)) => Some(a.cmp(&b)),
        (Val::Text(a), Val::Text(b)) => Some(a.cmp(b)),
        (Val::Bool(a), Val::Bool(b)) => Some(a.cmp(&b)),
        (Val::Enum(a), Val::Enum(b)) => Some(a.cmp(&b)),
        _ => match (x.as_num(), y.as_num()) {
            (Some(a), Some(b)) => Some(a.cmp(&b)),
            _ => None,
        },
    };
    let Some(o) = ord else {
        return Val::Unknown;
    };
    Val::Bool(match op {
        CmpOp::Eq => o == Ordering::Equal,
        CmpOp::Ne => o != Ordering::Equal,
        CmpOp::Lt => o == Ordering::Less,
        CmpOp::Le => o != Ordering::Greater,
        CmpOp::Gt => o == Ordering::Greater,
        CmpOp::Ge => o != Ordering::Less,
    })
}

type Bounds = (Option<Decimal>, Option<Decimal>);

/// A comparison of two ranges: true (false) when every pair of numbers in them makes it true
/// (false), else unknown. `None` bounds are infinite, so they never decide.
fn compare_ranges(op: CmpOp, (alo, ahi): Bounds, (blo, bhi): Bounds) -> Val<'static> {
    let lt = |a: Option<Decimal>, b: Option<Decimal>| matches!((a, b), (Some(a), Some(b)) if a < b);
    let le =
        |a: Option<Decimal>, b: Option<Decimal>| matches!((a, b), (Some(a), Some(b)) if a <= b);
    let same = alo.is_some() && alo == ahi && ahi == blo && blo == bhi;
    let apart = lt(ahi, blo) || lt(bhi, alo);
    let (yes, no) = match op {
        CmpOp::Lt => (lt(ahi, blo), le(bhi, alo)),
        CmpOp::Le => (le(ahi, blo), lt(bhi, alo)),
        CmpOp::Gt => (lt(bhi, alo), le(ahi, blo)),
        CmpOp::Ge => (le(bhi, alo), lt(ahi, blo)),
        CmpOp::Eq => (same, apart),
        CmpOp::Ne => (apart, same),
    };
    match (yes, no) {
        (true, _) => Val::Bool(true),
        (_, true) => Val::Bool(false),
        _ => Val::Unknown,
    }
}

/// Arithmetic on ranges: the range of every result.
fn arith_ranges(op: ArithOp, (alo, ahi): Bounds, (blo, bhi): Bounds) -> Val<'static> {
    let sub = |a: Option<Decimal>, b: Option<Decimal>| a?.checked_sub(b?);
    let add = |a: Option<Decimal>, b: Option<Decimal>| a?.checked_add(b?);
    match op {
        ArithOp::Add => range(add(alo, blo), add(ahi, bhi), false),
        ArithOp::Sub => range(sub(alo, bhi), sub(ahi, blo), false),
        ArithOp::Mul | ArithOp::Div => {
            let (Some(a0), Some(a1), Some(b0), Some(b1)) = (alo, ahi, blo, bhi) else {
                return Val::Unknown;
            };
            // A divisor that may be zero has no quotient to bound.
            if op == ArithOp::Div && b0 <= Decimal::ZERO && b1 >= Decimal::ZERO {
                return Val::Unknown;
            }
            let f = |a: Decimal, b: Decimal| {
                if op == ArithOp::Mul {
                    a.checked_mul(b)
                } else {
                    a.checked_div(b)
                }
            };
            let corners = [f(a0, b0), f(a0, b1), f(a1, b0), f(a1, b1)];
            let mut lo: Option<Decimal> = None;
            let mut hi: Option<Decimal> = None;
            for c in corners {
                let Some(c) = c else {
                    return Val::Unknown;
                };
                lo = Some(lo.map_or(c, |l| l.min(c)));
                hi = Some(hi.map_or(c, |h| h.max(c)));
            }
            range(lo.map(|x| x.normalize()), hi.map(|x| x.normalize()), false)
        }
    }
}

/// `min(...)` (`max` when `max`) of numbers some of which are ranges or unknown.
fn min_max_ranges(max: bool, vals: &[Val]) -> Val<'static> {
    let mut lo: Option<Decimal> = None;
    let mut hi: Option<Decimal> = None;
    let (mut lo_open, mut hi_open) = (false, false);
    for v in vals {
        let (l, h) = match v.bounds() {
            Some(b) => b,
            None if v.is_unknown() => (None, None),
            None => return Val::Unknown,
        };
        // For max, the result is at least the greatest lower bound and at most the greatest
        // upper bound; an unbounded upper side makes the result unbounded above. Min mirrors it.
        let pick = |acc: Option<Decimal>, x: Decimal| {
            Some(acc.map_or(x, |a| if max { a.max(x) } else { a.min(x) }))
        };
        match (l, max) {
            (Some(x), _) => lo = pick(lo, x),
            (None, false) => lo_open = true,
            (None, true) => {}
        }
        match (h, max) {
            (Some(x), _) => hi = pick(hi, x),
            (None, true) => hi_open = true,
            (None, false) => {}
        }
    }
    range(
        if lo_open { None } else { lo },
        if hi_open { None } else { hi },
        false,
    )
}

fn arith(op: ArithOp, x: Val, y: Val) -> Val<'static> {
    if matches!(x, Val::Range(..)) || matches!(y, Val::Range(..)) {
        return match (x.bounds(), y.bounds()) {
            (Some(a), Some(b)) => arith_ranges(op, a, b),
            _ if x == Val::Absent || y == Val::Absent => Val::Absent,
            _ => Val::Unknown,
        };
    }
    if x.is_unknown() || y.is_unknown() {
        return Val::Unknown;
    }
    if x == Val::Absent || y == Val::Absent {
        return Val::Absent;
    }
    if let (Val::Int(a), Val::Int(b), true) = (x, y, op != ArithOp::Div) {
        let r = match op {
            ArithOp::Add => a.checked_add(b),
            ArithOp::Sub => a.checked_sub(b),
            _ => a.checked_mul(b),
        };
        return r.map_or(Val::Unknown, Val::Int);
    }
    let (Some(a), Some(b)) = (x.as_num(), y.as_num()) else {
        return Val::Unknown;
    };
    let r = match op {
        ArithOp::Add => a.checked_add(b),
        ArithOp::Sub => a.checked_sub(b),
        ArithOp::Mul => a.checked_mul(b),
        // Division by zero has no value: the comparison it feeds stays unknown.
        ArithOp::Div => a.checked_div(b),
    };
    r.map_or(Val::Unknown, |n| Val::Num(n.normalize()))
}

/// Date plus or minus a period; months past the end of the target month land on its last day.
pub fn shift(d: NaiveDate, u: Dur, back: bool) -> Option<NaiveDate> {
    let months = u32::try_from(u.months.unsigned_abs()).ok()?;
    let forward_months = (u.months >= 0) != back;
    let d = if forward_months {
        d.checked_add_months(Months::new(months))?
    } else {
        d.checked_sub_months(Months::new(months))?
    };
    let days = if back { -u.days } else { u.days };
    d.checked_add_signed(chrono::TimeDelta::try_days(days)?)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }
    #[test]
    fn arithmetic_with_an_unknown_side_is_unknown_even_when_the_other_is_not_there() {
        for op in [ArithOp::Add, ArithOp::Sub, ArithOp::Mul, ArithOp::Div] {
            assert_eq!(arith(op, Val::Unknown, Val::Absent), Val::Unknown);
            assert_eq!(arith(op, Val::Absent, Val::Unknown), Val::Unknown);
            assert_eq!(arith(op, Val::Absent, Val::Int(2)), Val::Absent);
        }
    }

    #[test]
    fn three_years_from_a_leap_day_is_the_last_day_of_february() {
        assert_eq!(
            shift(
                d("2024-02-29"),
                Dur {
                    months: 36,
                    days: 0
                },
                false
            ),
            Some(d("2027-02-28"))
        );
        assert_eq!(
            shift(
                d("2025-08-10"),
                Dur {
                    months: 36,
                    days: 0
                },
                false
            ),
            Some(d("2028-08-10"))
        );
        assert_eq!(
            shift(d("2025-08-10"), Dur { months: 0, days: 1 }, true),
            Some(d("2025-08-09"))
        );
    }
    #[test]
    fn kleene_comparisons() {
        assert_eq!(compare(CmpOp::Lt, Val::Unknown, Val::Int(1)), Val::Unknown);
        assert_eq!(
            compare(CmpOp::Ge, Val::Num(Decimal::new(5, 0)), Val::Int(5)),
            Val::Bool(true)
        );
        assert_eq!(
            compare(CmpOp::Eq, Val::Absent, Val::Int(5)),
            Val::Bool(false)
        );
    }
    #[test]
    fn division_by_zero_is_unknown_not_a_panic() {
        assert_eq!(arith(ArithOp::Div, Val::Int(1), Val::Int(0)), Val::Unknown);
        assert_eq!(
            arith(ArithOp::Add, Val::Int(i64::MAX), Val::Int(1)),
            Val::Unknown
        );
    }
}
