//! The days a version is in force.

use crate::check::ir::Meta;
use crate::eval::interp::shift;
use chrono::NaiveDate;

/// From `first` to `last`, both included; `last` is `None` when the version has no end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub first: Option<NaiveDate>,
    pub last: Option<NaiveDate>,
}

impl Window {
    /// The window its own header gives: `effective` .. `effective + validity - 1 day`.
    pub fn natural(meta: &Meta) -> Window {
        let last = match (meta.effective, meta.validity) {
            (Some(e), Some(v)) => shift(e, v, false).and_then(|d| d.pred_opt()),
            _ => None,
        };
        Window {
            first: meta.effective,
            last,
        }
    }

    /// Ended on the day before a later version takes effect (if that is sooner).
    pub fn cut_before(self, next_effective: NaiveDate) -> Window {
        let day_before = next_effective.pred_opt();
        let last = match (self.last, day_before) {
            (Some(l), Some(d)) => Some(l.min(d)),
            (None, d) => d,
            (l, None) => l,
        };
        Window { last, ..self }
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.first.is_none_or(|f| f <= day) && self.last.is_none_or(|l| day <= l)
    }

    /// `2025-08-10 .. 2028-08-09` (an open end is left blank).
    pub fn describe(&self) -> String {
        let d = |x: Option<NaiveDate>| x.map(|d| d.to_string()).unwrap_or_default();
        format!("{} .. {}", d(self.first), d(self.last))
            .trim()
            .to_string()
    }
}
