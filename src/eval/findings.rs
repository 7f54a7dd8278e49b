//! What evaluation produces, owned and independent of the case file: the input of every renderer.

use crate::check::ir::{DateId, DecisionId, OutcomeId, RuleId};
use chrono::NaiveDate;
use rust_decimal::Decimal;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Satisfied,
    Violated,
    Review,
    Exempt,
    Unknown,
}

impl Status {
    /// Every status, in declaration order (`status as usize` indexes it).
    pub const ALL: [Status; 5] = [
        Status::Satisfied,
        Status::Violated,
        Status::Review,
        Status::Exempt,
        Status::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Satisfied => "satisfied",
            Status::Violated => "violated",
            Status::Review => "review",
            Status::Exempt => "exempt",
            Status::Unknown => "unknown",
        }
    }
}

/// What a finding or effect is about: a list element's key, a year, or the case as a whole.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Subject {
    None,
    Int(i64),
    /// A list element's key: shares the case file's copy (cloning it allocates nothing).
    Text(super::text::Text),
}

/// A value shown in a finding, kept with its kind so renderers can format money and percents.
#[derive(Debug, Clone, PartialEq)]
pub enum Shown {
    Unknown,
    Absent,
    Bool(bool),
    Int(i64),
    Decimal(Decimal),
    Money(Decimal),
    Percent(Decimal),
    Date(NaiveDate),
    Text(String),
    /// An enumeration value: its enumeration and index (for its labels) and its name, owned by
    /// the program (no copy per finding).
    Enum(u16, u16, std::sync::Arc<str>),
    /// A number known only to lie between two bounds (`Unknown`: unbounded on that side), e.g.
    /// a count over members some of whose kinds are not given.
    Range(Box<(Shown, Shown)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub rule: RuleId,
    pub status: Status,
    pub subject: Subject,
    /// The rule's own values, by local index, as computed for this subject.
    pub values: Vec<Shown>,
    /// For a violated or review finding: what would have satisfied it.
    pub counterfactual: Option<Box<Counterfactual>>,
}

impl Finding {
    /// A finding that could not be computed at all: no values, nothing to change.
    pub fn unknown(rule: RuleId, subject: Subject) -> Self {
        Finding {
            rule,
            status: Status::Unknown,
            subject,
            values: Vec::new(),
            counterfactual: None,
        }
    }
}

/// Which value a change is about, to name it by its labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueName {
    /// A value of the rule, by index.
    Local(u16),
    Global(u16),
    /// A fact: record and field.
    Fact(u16, u16),
    None,
}

/// One value to move: from `actual` by `delta` to `target`, which meets the provision's
/// `bound`. For `>=`, `<=` and `==` the target is the bound itself; for `>` and `<` it is one
/// step past it (`fines < 50元` with 80元: down by 31元 to 49元), so that "by {delta} to
/// {target}" is arithmetic a reader can check, where "by 31 to 50" was not.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub value: ValueName,
    pub actual: Shown,
    pub bound: Shown,
    pub target: Shown,
    pub delta: Shown,
    pub increase: bool,
}

/// The smallest change that would satisfy a failed condition, computed from its expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Counterfactual {
    Change(Change),
    /// Every part must change.
    All(Vec<Counterfactual>),
    /// Any one of these would do.
    Any(Vec<Counterfactual>),
    /// No single value to change: what the provision requires.
    Required,
}

/// An argument an effect declares but whose value the facts do not give: written `null`, and the
/// fact it needs is in `missing`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EffectArg {
    Subject,
    Amount,
    LastDay,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Effect {
    pub kind: String,
    pub rule: RuleId,
    pub subject: Subject,
    pub measure: Option<String>,
    pub amount: Option<Decimal>,
    pub roles: Vec<String>,
    pub last_day: Option<NaiveDate>,
    /// The declared arguments whose values are not known.
    pub unknown: Vec<EffectArg>,
}

impl Effect {
    /// Whether the effect declares `arg` but its value is unknown.
    pub fn lacks(&self, arg: EffectArg) -> bool {
        self.unknown.contains(&arg)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct DecisionResult {
    pub decision: DecisionId,
    pub outcome: OutcomeId,
    pub findings: Vec<Finding>,
    pub effects: Vec<Effect>,
    /// The absent facts that left a finding or a precondition unknown, sorted by their path.
    pub missing: Vec<MissingFact>,
    pub dates: Vec<(DateId, NaiveDate)>,
    /// The outcome came from a `require` that did not hold or was unknown: no rule was examined.
    pub stopped_at_require: bool,
}

/// One step of a fact's path, typed: a field of a record, or the element of a list it picks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A field: its record and index in the schema.
    Field(u16, u16),
    /// A list element by its text key (a member's credit code); any character may occur in it.
    Key(std::sync::Arc<str>),
    /// A list element by its number key (a year) or, without a key, its position.
    Num(i64),
    /// The element a named value picks (`only(...)`), by the index of that name in
    /// `Program::labels`.
    Named(u16),
}

/// An absent fact, typed until it is rendered: its path from the case's root, and the rules whose
/// findings it left unknown (none when only a decision's precondition needed it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingFact {
    pub steps: Vec<Step>,
    pub rules: Vec<RuleId>,
}

impl MissingFact {
    /// The contract's path of the fact (`school.classes[head].pupils[2023].age`):
    /// the record's `missing` strings. People read `explain::facts::label` instead.
    pub fn path(&self, prog: &crate::check::ir::Program) -> String {
        // Room for a path of a few steps at once: grown from empty, it was copied three times.
        let mut s = String::with_capacity(64);
        for step in &self.steps {
            match step {
                Step::Field(rec, f) => {
                    if !s.is_empty() {
                        s.push('.');
                    }
                    s.push_str(
                        prog.schema
                            .records
                            .get(*rec as usize)
                            .and_then(|r| r.fields.get(*f as usize))
                            .map_or("?", |f| f.name.as_str()),
                    );
                }
                Step::Key(k) => {
                    s.push('[');
                    s.push_str(k);
                    s.push(']');
                }
                Step::Num(n) => {
                    s.push('[');
                    crate::explain::numbers::push_int(&mut s, *n);
                    s.push(']');
                }
                Step::Named(l) => {
                    s.push('[');
                    s.push_str(prog.labels.get(*l as usize).map_or("?", |x| x.as_str()));
                    s.push(']');
                }
            }
        }
        s
    }
}
