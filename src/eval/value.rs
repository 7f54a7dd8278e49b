//! Run-time values: borrowed from the case file and the program, `Copy`, never an error.

use super::facts::{List, Record};
use crate::check::ir::Dur;
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// A value during evaluation. `Unknown` is an absent fact (three-valued logic); `Absent` is a
/// thing known not to be there (an entry missing from a present list).
// An explicit one-byte tag, for the same reason as `Ex`'s: every step matches on it.
#[derive(Debug, Clone, Copy, PartialEq)]
#[repr(u8)]
pub enum Val<'a> {
    Unknown,
    Absent,
    Bool(bool),
    Int(i64),
    Num(Decimal),
    Date(NaiveDate),
    Dur(Dur),
    Text(&'a str),
    Enum(u16),
    /// A record and the index of its path node.
    Rec(Record<'a>, u32),
    List(List<'a>, u32),
    /// A record that may exist but is not in the case file (an incomplete list's missing entry).
    UnknownRec(u32),
    /// A number known only to lie between two bounds, both included (`None`: no bound on that
    /// side). What an aggregate is when some entries' filters or values are unknown: a
    /// comparison with it is known when every number in the range gives the same answer.
    Range(Option<Decimal>, Option<Decimal>),
}

impl Val<'_> {
    pub fn is_unknown(&self) -> bool {
        matches!(self, Val::Unknown | Val::UnknownRec(_) | Val::Range(..))
    }
    /// The bounds of a number or a range; `None` for anything else (unknown included).
    pub fn bounds(&self) -> Option<(Option<Decimal>, Option<Decimal>)> {
        match self {
            Val::Range(lo, hi) => Some((*lo, *hi)),
            v => v.as_num().map(|n| (Some(n), Some(n))),
        }
    }
    pub fn as_num(&self) -> Option<Decimal> {
        match self {
            Val::Int(i) => Some(Decimal::from(*i)),
            Val::Num(n) => Some(*n),
            _ => None,
        }
    }
}

/// One step of the path by which a record was reached, for `missing`.
#[derive(Debug, Clone, Copy)]
pub enum PathSeg<'a> {
    Root,
    Field(u16, u16),
    Key(&'a str),
    Num(i64),
    Label(u16),
}

#[derive(Debug, Clone, Copy)]
pub struct PathNode<'a> {
    pub parent: u32,
    pub seg: PathSeg<'a>,
}

/// An absent fact: the record's path node and, unless the record itself is missing, the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Missing {
    pub node: u32,
    pub field: Option<(u16, u16)>,
}

/// A number between `lo` and `hi`: the number itself when both bounds meet (an `Int` when `int`
/// and it fits), `Unknown` when neither side is bounded.
pub fn range(lo: Option<Decimal>, hi: Option<Decimal>, int: bool) -> Val<'static> {
    match (lo, hi) {
        (None, None) => Val::Unknown,
        (Some(a), Some(b)) if a == b => {
            if int {
                i64::try_from(a).map_or(Val::Num(a), Val::Int)
            } else {
                Val::Num(a)
            }
        }
        // Bounds crossed can only come from a contradiction; nothing is known then.
        (Some(a), Some(b)) if a > b => Val::Unknown,
        (lo, hi) => Val::Range(lo, hi),
    }
}
