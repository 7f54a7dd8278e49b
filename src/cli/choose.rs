//! Which version decides a case: the pinned one, else the one in force on its date.

use crate::eval::facts::Facts;
use crate::{Policy, ReadOptions, Versions};
use chrono::NaiveDate;

/// Each version that may decide, with the indices of the decisions asked in it.
pub struct Chooser<'a> {
    set: &'a Versions,
    asked: Vec<(&'a Policy, Vec<crate::check::ir::DecisionId>)>,
}

impl<'a> Chooser<'a> {
    /// `pin` names a version; `decisions` must exist in every version considered.
    pub fn new(set: &'a Versions, pin: Option<&str>, decisions: &[String]) -> Result<Self, String> {
        let candidates: Vec<&Policy> = match pin {
            Some(v) => vec![set.pin(v).ok_or_else(|| {
                format!(
                    "--version: no version `{v}`; the policy has: {}",
                    set.names().join(", ")
                )
            })?],
            None => set.versions.iter().collect(),
        };
        let mut asked = Vec::new();
        for p in candidates {
            let mut idx = Vec::new();
            for name in decisions {
                idx.push(p.decision_index(name).ok_or_else(|| {
                    format!(
                        "--decision: the policy has no decision `{name}`; it has: {} (version {})",
                        p.decision_names().join(", "),
                        p.version()
                    )
                })?);
            }
            asked.push((p, idx));
        }
        Ok(Chooser { set, asked })
    }

    /// The version that decides on `day` (or the pinned one).
    pub fn for_date(
        &self,
        day: Option<NaiveDate>,
    ) -> (&'a Policy, &[crate::check::ir::DecisionId]) {
        let pos = match (self.asked.len(), day) {
            (1, _) | (_, None) => self.asked.len().saturating_sub(1),
            (_, Some(d)) => self
                .set
                .for_date(d)
                .and_then(|p| self.asked.iter().position(|(q, _)| std::ptr::eq(*q, p)))
                .unwrap_or(self.asked.len().saturating_sub(1)),
        };
        match self.asked.get(pos) {
            Some((p, d)) => (p, d),
            None => (&self.set.versions[0], &[]),
        }
    }

    /// Read a case: the version is chosen by `as_of` (the flag, else the case's own, read with
    /// the latest vocabulary) and the case is read again with that version's vocabulary.
    pub fn read(
        &self,
        text: &str,
        as_of: Option<NaiveDate>,
        options: ReadOptions,
    ) -> Result<
        (
            &'a Policy,
            &[crate::check::ir::DecisionId],
            Facts,
            NaiveDate,
        ),
        String,
    > {
        let first = self.for_date(as_of);
        let facts = first
            .0
            .parse_case_with(text, options)
            .map_err(|e| e.to_string())?;
        let date = as_of.or(facts.as_of).ok_or_else(|| {
            "the case has no `as_of` and no --as-of was given; a decision without a date cannot be reproduced".to_string()
        })?;
        let (p, d) = self.for_date(Some(date));
        if std::ptr::eq(p, first.0) {
            return Ok((p, d, facts, date));
        }
        let facts = p
            .parse_case_with(text, options)
            .map_err(|e| e.to_string())?;
        Ok((p, d, facts, date))
    }
}
