//! The expression interpreter over the typed IR: three-valued, exact, total.

use super::facts::{FactValue, Facts, Record};
use super::value::{Missing, PathNode, PathSeg, Val};
use crate::check::ir::*;
use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::Decimal;

/// Longest `from a to b` range walked; a longer one is unknown rather than a long loop.
pub const MAX_RANGE: i64 = 10_000;

/// Per-case evaluation state. Buffers are reused between cases.
pub struct Ctx<'a> {
    pub prog: &'a Program,
    pub facts: &'a Facts,
    pub as_of: NaiveDate,
    pub vars: Vec<Val<'a>>,
    globals: Vec<Option<(Val<'a>, u32, u32)>>,
    global_missing: Vec<Missing>,
    pub paths: Vec<PathNode<'a>>,
    pub missing: Vec<Missing>,
    /// The window `policy.effective` .. `policy.last_day` (open-ended: `NaiveDate::MAX`).
    pub window: (NaiveDate, NaiveDate),
}

impl<'a> Ctx<'a> {
    pub fn new(prog: &'a Program, facts: &'a Facts, as_of: NaiveDate) -> Self {
        Ctx {
            prog,
            facts,
            as_of,
            vars: vec![Val::Unknown; prog.n_slots],
            globals: vec![None; prog.globals.len()],
            global_missing: Vec::new(),
            paths: vec![PathNode {
                parent: 0,
                seg: PathSeg::Root,
            }],
            missing: Vec::new(),
            window: (
                prog.meta.effective.unwrap_or(NaiveDate::MIN),
                prog.meta.last_day.unwrap_or(NaiveDate::MAX),
            ),
        }
    }

    /// A new path node under `parent`, for `missing`.
    pub(crate) fn node(&mut self, parent: u32, seg: PathSeg<'a>) -> u32 {
        self.paths.push(PathNode { parent, seg });
        (self.paths.len() - 1) as u32
    }

    /// The path segment naming a list element: its key, else its position.
    fn elem_seg(&self, rec: RecId, r: &'a Record, i: usize) -> PathSeg<'a> {
        let key = self
            .prog
            .schema
            .records
            .get(rec as usize)
            .and_then(|s| s.key);
        match key.and_then(|k| r.fields.get(k as usize)) {
            Some(FactValue::Text(t)) => PathSeg::Key(t),
            Some(FactValue::Int(n)) => PathSeg::Num(*n),
            _ => PathSeg::Num(i as i64),
        }
    }

    fn read(&mut self, rec_ref: &'a Record, node: u32, rec: RecId, f: FieldId) -> Val<'a> {
        match rec_ref.fields.get(f as usize) {
            None | Some(FactValue::Absent) => {
                self.missing.push(Missing {
                    node,
                    field: Some((rec, f)),
                });
                Val::Unknown
            }
            Some(FactValue::Bool(b)) => Val::Bool(*b),
            Some(FactValue::Int(i)) => Val::Int(*i),
            Some(FactValue::Num(n)) => Val::Num(*n),
            Some(FactValue::Date(d)) => Val::Date(*d),
            Some(FactValue::Text(t)) => Val::Text(t),
            Some(FactValue::Enum(e)) => Val::Enum(*e),
            Some(FactValue::Rec(r)) => {
                let n = self.node(node, PathSeg::Field(rec, f));
                Val::Rec(r, n)
            }
            Some(FactValue::List(l)) => {
                let n = self.node(node, PathSeg::Field(rec, f));
                Val::List(l, n)
            }
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
            Ex::Root => Val::Rec(&self.facts.root, 0),
            Ex::Var(s) => self.vars.get(*s as usize).copied().unwrap_or(Val::Unknown),
            Ex::Global(g) => self.global(*g),
            Ex::Field(base, rec, f) => match self.eval(base) {
                Val::Rec(r, node) => self.read(r, node, *rec, *f),
                Val::UnknownRec(node) => {
                    self.missing.push(Missing {
                        node,
                        field: Some((*rec, *f)),
                    });
                    Val::Unknown
                }
                Val::Absent => Val::Absent,
                _ => Val::Unknown,
            },
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
                let (x, y) = (self.eval(a), self.eval(b));
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
            Ex::MakeDate(y, m, d) => match (self.eval(y), self.eval(m), self.eval(d)) {
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
            },
            Ex::Exists(x) => match self.eval(x) {
                Val::Absent => Val::Bool(false),
                Val::Unknown | Val::UnknownRec(_) => Val::Unknown,
                _ => Val::Bool(true),
            },
            Ex::Known(x) => Val::Bool(!self.eval(x).is_unknown()),
            Ex::MinMax(max, xs) => {
                let mut best: Option<Val<'a>> = None;
                for x in xs {
                    let v = self.eval(x);
                    let Some(n) = v.as_num() else {
                        return if v == Val::Absent {
                            Val::Absent
                        } else {
                            Val::Unknown
                        };
                    };
                    best = Some(match best.and_then(|b| b.as_num().map(|bn| (b, bn))) {
                        Some((b, bn)) if (*max && bn >= n) || (!*max && bn <= n) => b,
                        _ => v,
                    });
                }
                best.unwrap_or(Val::Unknown)
            }
        }
    }

    fn global(&mut self, g: u16) -> Val<'a> {
        if let Some(Some((v, s, e))) = self.globals.get(g as usize) {
            let (v, s, e) = (*v, *s as usize, *e as usize);
            if let Some(ms) = self.global_missing.get(s..e) {
                self.missing.extend_from_slice(ms);
            }
            return v;
        }
        let prog = self.prog;
        let Some(def) = prog.globals.get(g as usize) else {
            return Val::Unknown;
        };
        let mark = self.missing.len();
        let v = self.eval(&def.ex);
        let start = self.global_missing.len() as u32;
        self.global_missing.extend_from_slice(&self.missing[mark..]);
        let end = self.global_missing.len() as u32;
        if let Some(slot) = self.globals.get_mut(g as usize) {
            *slot = Some((v, start, end));
        }
        v
    }

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
        for r in items {
            let hit = match (r.fields.get(kf as usize), key) {
                (Some(FactValue::Text(t)), Val::Text(k)) => &**t == k,
                (Some(FactValue::Int(n)), Val::Int(k)) => *n == k,
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
        let mut hit: Option<&'a Record> = None;
        let mut hits = 0;
        let mut unknown = false;
        for (i, r) in items.iter().enumerate() {
            let seg = self.elem_seg(rec, r, i);
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
        match (hits, unknown, hit) {
            (1, false, Some(r)) => {
                let n = self.node(node, PathSeg::Label(label));
                Val::Rec(r, n)
            }
            (h, _, _) if h >= 2 => Val::Absent,
            (_, true, _) => Val::Unknown,
            _ => Val::Absent,
        }
    }

    pub fn set_var(&mut self, slot: Slot, v: Val<'a>) {
        if let Some(s) = self.vars.get_mut(slot as usize) {
            *s = v;
        }
    }

    fn aggregate(&mut self, agg: &'a Agg) -> Val<'a> {
        let mut acc = Acc::new(agg.kind);
        match &agg.src {
            Src::List(list, rec) => {
                let (items, node) = match self.eval(list) {
                    Val::List(items, node) => (items, node),
                    Val::Absent => return Val::Absent,
                    _ => return Val::Unknown,
                };
                for (i, r) in items.iter().enumerate() {
                    let seg = self.elem_seg(*rec, r, i);
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

    /// One element of an aggregate; false when the answer is already certain.
    fn step(&mut self, agg: &'a Agg, acc: &mut Acc) -> bool {
        let pass = match &agg.filter {
            Some(f) => truth(self.eval(f)),
            None => Some(true),
        };
        match pass {
            Some(false) => return true,
            None => {
                acc.unknown = true;
                return true;
            }
            Some(true) => {}
        }
        let v = match &agg.body {
            Some(b) => self.eval(b),
            None => Val::Bool(true),
        };
        acc.add(v)
    }
}

struct Acc {
    kind: AggKind,
    count: i64,
    sum: Decimal,
    best: Option<Decimal>,
    found_true: bool,
    found_false: bool,
    unknown: bool,
    overflow: bool,
}

impl Acc {
    fn new(kind: AggKind) -> Self {
        Acc {
            kind,
            count: 0,
            sum: Decimal::ZERO,
            best: None,
            found_true: false,
            found_false: false,
            unknown: false,
            overflow: false,
        }
    }

    fn add(&mut self, v: Val) -> bool {
        match self.kind {
            AggKind::Count | AggKind::Any | AggKind::All => match truth(v) {
                Some(true) => {
                    self.count += 1;
                    self.found_true = true;
                    self.kind != AggKind::Any
                }
                Some(false) => {
                    self.found_false = true;
                    self.kind != AggKind::All
                }
                None => {
                    self.unknown = true;
                    true
                }
            },
            _ => {
                let Some(n) = v.as_num() else {
                    self.unknown = true;
                    return true;
                };
                self.count += 1;
                match self.sum.checked_add(n) {
                    Some(s) => self.sum = s,
                    None => self.overflow = true,
                }
                self.best = Some(match self.best {
                    None => n,
                    Some(b) if self.kind == AggKind::Min => b.min(n),
                    Some(b) => b.max(n),
                });
                true
            }
        }
    }

    fn finish(self, int_result: bool) -> Val<'static> {
        match self.kind {
            AggKind::Any if self.found_true => Val::Bool(true),
            AggKind::All if self.found_false => Val::Bool(false),
            _ if self.unknown || self.overflow => Val::Unknown,
            AggKind::Any => Val::Bool(false),
            AggKind::All => Val::Bool(true),
            AggKind::Count => Val::Int(self.count),
            AggKind::Sum if int_result => i64::try_from(self.sum).map_or(Val::Unknown, Val::Int),
            AggKind::Sum => Val::Num(self.sum),
            AggKind::Mean if self.count == 0 => Val::Unknown,
            AggKind::Mean => self
                .sum
                .checked_div(Decimal::from(self.count))
                .map_or(Val::Unknown, Val::Num),
            AggKind::Min | AggKind::Max => match self.best {
                None => Val::Unknown,
                Some(b) if int_result => i64::try_from(b).map_or(Val::Num(b), Val::Int),
                Some(b) => Val::Num(b),
            },
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
    if x.is_unknown() || y.is_unknown() {
        return Val::Unknown;
    }
    if x == Val::Absent || y == Val::Absent {
        return Val::Bool(false);
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

fn arith(op: ArithOp, x: Val, y: Val) -> Val<'static> {
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
