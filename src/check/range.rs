//! The range a number of the vocabulary may take (`money >= 0`), checked once when a case file is
//! read. Bounds are kept in the case file's own units (a percent bound of `100` is 100%), so the
//! reader, the error message and `rulebook schema`'s `minimum` all see the number as written.

use crate::syntax::ast::{BoundDecl, BoundOp};
use rust_decimal::Decimal;
use std::fmt;

/// One end of a range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Bound {
    #[serde(with = "super::ir_serde::decimal")]
    pub value: Decimal,
    /// `>=`/`<=` rather than `>`/`<`.
    pub inclusive: bool,
}

/// The values a numeric field admits; both ends open when the vocabulary states none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Range {
    pub min: Option<Bound>,
    pub max: Option<Bound>,
}

/// Why two bounds of one field cannot stand together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeError {
    /// `>= 0 >= 1`: a second lower (or upper) bound.
    Repeated,
    /// `>= 5 <= 1`: no number satisfies both.
    Empty,
}

impl Range {
    pub fn is_open(&self) -> bool {
        self.min.is_none() && self.max.is_none()
    }

    /// Add one bound as written in the vocabulary.
    pub fn add(&mut self, b: BoundDecl) -> Result<(), RangeError> {
        let (slot, inclusive) = match b.op {
            BoundOp::Ge => (&mut self.min, true),
            BoundOp::Gt => (&mut self.min, false),
            BoundOp::Le => (&mut self.max, true),
            BoundOp::Lt => (&mut self.max, false),
        };
        if slot.is_some() {
            return Err(RangeError::Repeated);
        }
        *slot = Some(Bound {
            value: b.value,
            inclusive,
        });
        match (self.min, self.max) {
            (Some(lo), Some(hi))
                if lo.value > hi.value
                    || (lo.value == hi.value && !(lo.inclusive && hi.inclusive)) =>
            {
                Err(RangeError::Empty)
            }
            _ => Ok(()),
        }
    }

    /// The first bound `v` (in case-file units) breaks, if any.
    pub fn violated(&self, v: Decimal) -> Option<Side> {
        if let Some(lo) = self.min {
            if v < lo.value || (v == lo.value && !lo.inclusive) {
                return Some(Side::Below(lo));
            }
        }
        if let Some(hi) = self.max {
            if v > hi.value || (v == hi.value && !hi.inclusive) {
                return Some(Side::Above(hi));
            }
        }
        None
    }
}

/// The bound a value broke, for the error message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Below(Bound),
    Above(Bound),
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Side::Below(b) if b.inclusive => write!(f, "at least {}", b.value),
            Side::Below(b) => write!(f, "more than {}", b.value),
            Side::Above(b) if b.inclusive => write!(f, "at most {}", b.value),
            Side::Above(b) => write!(f, "less than {}", b.value),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn bound(op: BoundOp, v: i64) -> BoundDecl {
        BoundDecl {
            op,
            value: Decimal::from(v),
        }
    }

    #[test]
    fn bounds_admit_and_refuse_at_their_edges() {
        let mut r = Range::default();
        r.add(bound(BoundOp::Ge, 0)).unwrap();
        r.add(bound(BoundOp::Lt, 10)).unwrap();
        assert_eq!(r.violated(Decimal::ZERO), None);
        assert_eq!(r.violated(Decimal::from(9)), None);
        assert_eq!(
            r.violated(Decimal::from(-1)).unwrap().to_string(),
            "at least 0"
        );
        assert_eq!(
            r.violated(Decimal::from(10)).unwrap().to_string(),
            "less than 10"
        );
        let mut g = Range::default();
        g.add(bound(BoundOp::Gt, 0)).unwrap();
        assert_eq!(
            g.violated(Decimal::ZERO).unwrap().to_string(),
            "more than 0"
        );
    }

    #[test]
    fn repeated_and_empty_ranges_are_refused() {
        let mut r = Range::default();
        r.add(bound(BoundOp::Ge, 0)).unwrap();
        assert_eq!(r.add(bound(BoundOp::Gt, 1)), Err(RangeError::Repeated));
        let mut e = Range::default();
        e.add(bound(BoundOp::Ge, 5)).unwrap();
        assert_eq!(e.add(bound(BoundOp::Le, 1)), Err(RangeError::Empty));
        let mut p = Range::default();
        p.add(bound(BoundOp::Ge, 5)).unwrap();
        assert_eq!(p.add(bound(BoundOp::Lt, 5)), Err(RangeError::Empty));
        // Both ends included at one value: that one value, not an empty range.
        let mut one = Range::default();
        one.add(bound(BoundOp::Ge, 5)).unwrap();
        assert_eq!(one.add(bound(BoundOp::Le, 5)), Ok(()));
        assert_eq!(one.violated(Decimal::from(5)), None);
        assert_eq!(
            one.violated(Decimal::from(6)).unwrap().to_string(),
            "at most 5"
        );
    }
}
