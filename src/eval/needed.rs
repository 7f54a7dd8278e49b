//! The facts found absent while evaluating, and the one way code takes or drops them.
//!
//! Reading an absent fact records it in `Ctx::missing`. Code that evaluates something sets a
//! `Mark` first; once it knows whether the value it got settles the matter it either drops the
//! facts read since (`settle`: the answer did not depend on them) or hands them on to the
//! decision (`need`), with the rule whose finding they left open.

use super::interp::Ctx;
use super::value::Missing;
use crate::check::ir::RuleId;

/// An absent fact and the rule whose finding or effect needs it (none for a `require`).
pub type Needed = (Missing, Option<RuleId>);

/// A point in the list of facts read, to come back to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub struct Mark(pub(super) usize);

impl Ctx<'_> {
    /// Remember where the list of facts read stands now.
    pub fn mark(&self) -> Mark {
        Mark(self.missing.len())
    }

    /// Forget the facts read since `m`: what they fed is known without them.
    pub fn settle(&mut self, m: Mark) {
        self.missing.truncate(m.0);
    }

    /// Hand the facts read since `m` to `out`, as needed by `rule`.
    pub fn need(&mut self, m: Mark, rule: Option<RuleId>, out: &mut Vec<Needed>) {
        if m.0 < self.missing.len() {
            out.extend(self.missing.drain(m.0..).map(|x| (x, rule)));
        }
    }

    /// Record one absent fact by hand (an effect's argument known not to be there).
    pub fn note(&mut self, m: Missing) {
        self.missing.push(m);
    }
}
