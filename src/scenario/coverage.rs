//! Which rules the scenarios saw both ways.

use crate::Policy;
use std::collections::BTreeMap;

/// Per rule, how often each status (and "did not apply") was seen.
#[derive(Debug, Default, Clone)]
pub struct RuleTally {
    pub satisfied: usize,
    pub violated: usize,
    pub review: usize,
    pub exempt: usize,
    pub unknown: usize,
    pub not_applicable: usize,
}

/// What "both ways" means depends on what a rule can do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleKind {
    /// A `must` or `should`: it holds, or it fails.
    Condition,
    /// No condition, only effects (a grant, an award): it applies, or it does not.
    Effect,
    /// An exception: it exempts, or it does not.
    Exception,
}

impl RuleTally {
    /// Seen both ways. A condition: satisfied in some scenario and violated or sent to review in
    /// another; "did not apply" and unknown show neither side (a rule never violated is not
    /// covered). A rule that cannot fail (only effects) or an exception: applied (or exempting)
    /// in one scenario and not in another.
    pub fn seen_both(&self, kind: RuleKind) -> bool {
        match kind {
            RuleKind::Condition => self.satisfied > 0 && self.violated + self.review > 0,
            RuleKind::Effect => self.satisfied > 0 && self.not_applicable > 0,
            RuleKind::Exception => self.exempt > 0 && self.satisfied + self.not_applicable > 0,
        }
    }
}

/// The kind of a rule of the program.
pub fn kind(rule: &crate::check::ir::RuleIr) -> RuleKind {
    if !rule.overrides.is_empty() {
        RuleKind::Exception
    } else if rule.test.is_none() {
        RuleKind::Effect
    } else {
        RuleKind::Condition
    }
}

/// Rules not seen both ways across a run.
pub fn uncovered(policy: &Policy, tally: &BTreeMap<String, RuleTally>) -> Vec<String> {
    policy
        .program
        .rules
        .iter()
        .filter(|r| {
            let t = tally.get(&r.id).cloned().unwrap_or_default();
            !t.seen_both(kind(r))
        })
        .map(|r| r.id.clone())
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::{RuleKind, RuleTally};

    #[test]
    fn did_not_apply_is_not_the_other_side() {
        let t = RuleTally {
            satisfied: 3,
            not_applicable: 5,
            unknown: 1,
            ..Default::default()
        };
        assert!(!t.seen_both(RuleKind::Condition));
        assert!(t.seen_both(RuleKind::Effect));
        let t = RuleTally {
            satisfied: 3,
            review: 1,
            ..Default::default()
        };
        assert!(t.seen_both(RuleKind::Condition));
        let t = RuleTally {
            exempt: 1,
            ..Default::default()
        };
        assert!(!t.seen_both(RuleKind::Exception));
    }
}
