//! The decision record of CONTRACT section 3, as JSON.

use super::numbers::Lang;
use super::template;
use crate::eval::findings::{DecisionResult, Effect, Finding, Shown, Subject};
use crate::{Evaluation, Policy};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

pub struct RecordView<'a> {
    pub policy: &'a Policy,
    pub eval: &'a Evaluation,
}

impl Serialize for RecordView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(3))?;
        m.serialize_entry("policy", &PolicyId(self.policy))?;
        m.serialize_entry("as_of", &self.eval.as_of.format("%Y-%m-%d").to_string())?;
        m.serialize_entry("decisions", &Decisions(self))?;
        m.end()
    }
}

struct PolicyId<'a>(&'a Policy);
impl Serialize for PolicyId<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let meta = &self.0.program.meta;
        let mut m = s.serialize_map(Some(3))?;
        m.serialize_entry("id", &meta.id)?;
        m.serialize_entry("version", &meta.version)?;
        m.serialize_entry("digest", &self.0.digest)?;
        m.end()
    }
}

struct Decisions<'a>(&'a RecordView<'a>);
impl Serialize for Decisions<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.eval.decisions.len()))?;
        for d in &self.0.eval.decisions {
            seq.serialize_element(&DecisionView { policy: self.0.policy, d, warnings: &self.0.eval.warnings })?;
        }
        seq.end()
    }
}

struct DecisionView<'a> {
    policy: &'a Policy,
    d: &'a DecisionResult,
    warnings: &'a [String],
}

impl Serialize for DecisionView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let prog = &self.policy.program;
        let dec = &prog.decisions[self.d.decision as usize];
        let mut m = s.serialize_map(Some(8))?;
        m.serialize_entry("decision", &dec.name)?;
        m.serialize_entry("outcome", &dec.outcomes.get(self.d.outcome as usize).map_or("", |o| o.name.as_str()))?;
        m.serialize_entry("findings", &Seq(self.d.findings.iter().map(|f| FindingView { policy: self.policy, f }).collect()))?;
        m.serialize_entry("effects", &Seq(self.d.effects.iter().map(|e| EffectView { policy: self.policy, e }).collect()))?;
        m.serialize_entry("missing", &self.d.missing)?;
        m.serialize_entry("dates", &Dates(self.policy, self.d))?;
        m.serialize_entry("warnings", &self.warnings)?;
        m.end()
    }
}

struct Seq<T>(Vec<T>);
impl<T: Serialize> Serialize for Seq<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for x in &self.0 {
            seq.serialize_element(x)?;
        }
        seq.end()
    }
}

struct Dates<'a>(&'a Policy, &'a DecisionResult);
impl Serialize for Dates<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let dec = &self.0.program.decisions[self.1.decision as usize];
        let mut m = s.serialize_map(Some(self.1.dates.len()))?;
        for (i, d) in &self.1.dates {
            m.serialize_entry(&dec.dates[*i as usize].name, &d.format("%Y-%m-%d").to_string())?;
        }
        m.end()
    }
}

impl Serialize for Subject {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Subject::None => s.serialize_none(),
            Subject::Int(i) => s.serialize_i64(*i),
            Subject::Text(t) => s.serialize_str(t),
        }
    }
}

impl Serialize for Shown {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Shown::Unknown | Shown::Absent => s.serialize_none(),
            Shown::Bool(b) => s.serialize_bool(*b),
            Shown::Int(i) => s.serialize_i64(*i),
            Shown::Decimal(d) | Shown::Money(d) => s.serialize_str(&d.to_string()),
            Shown::Percent(p) => s.serialize_str(&super::numbers::percent(*p)),
            Shown::Date(d) => s.serialize_str(&d.format("%Y-%m-%d").to_string()),
            Shown::Text(t) => s.serialize_str(t),
        }
    }
}

struct FindingView<'a> {
    policy: &'a Policy,
    f: &'a Finding,
}

impl Serialize for FindingView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let rule = &self.policy.program.rules[self.f.rule as usize];
        let mut m = s.serialize_map(Some(8))?;
        m.serialize_entry("rule", &rule.id)?;
        m.serialize_entry("cite", &rule.cite.text)?;
        m.serialize_entry("status", self.f.status.as_str())?;
        m.serialize_entry("subject", &self.f.subject)?;
        m.serialize_entry("message", &Message(rule, self.f))?;
        m.serialize_entry("values", &Values(rule, self.f))?;
        m.serialize_entry("source", &rule.source)?;
        m.end()
    }
}

struct Message<'a>(&'a crate::check::ir::RuleIr, &'a Finding);
impl Serialize for Message<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("zh", &template::message(self.0, self.1, Lang::Zh))?;
        m.serialize_entry("en", &template::message(self.0, self.1, Lang::En))?;
        m.end()
    }
}

struct Values<'a>(&'a crate::check::ir::RuleIr, &'a Finding);
impl Serialize for Values<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        for (l, v) in self.0.locals.iter().zip(&self.1.values) {
            if matches!(l.ty, crate::check::ir::Ty::Record(_) | crate::check::ir::Ty::List(_)) {
                continue;
            }
            m.serialize_entry(&l.name, v)?;
        }
        m.end()
    }
}

struct EffectView<'a> {
    policy: &'a Policy,
    e: &'a Effect,
}

impl Serialize for EffectView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let e = self.e;
        let rule = &self.policy.program.rules[e.rule as usize];
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("kind", &e.kind)?;
        m.serialize_entry("cite", &rule.cite.text)?;
        m.serialize_entry("subject", &e.subject)?;
        if let Some(x) = &e.measure {
            m.serialize_entry("measure", x)?;
        }
        if let Some(a) = &e.amount {
            m.serialize_entry("amount", &a.to_string())?;
        }
        if !e.roles.is_empty() {
            m.serialize_entry("roles", &e.roles)?;
        }
        if let Some(d) = &e.last_day {
            m.serialize_entry("last_day", &d.format("%Y-%m-%d").to_string())?;
        }
        m.end()
    }
}
