//! rulebook: a regulation as policy-as-data.
//!
//! ```text
//! text --pest--> syntax tree with spans --check--> typed, resolved program
//!      --eval(facts)--> findings --> decision record / explanation / letter
//! ```
//!
//! The engine knows nothing of any particular regulation: everything it decides comes from the
//! `.rules` files of a policy folder.
//!
//! ```no_run
//! use rulebook::Policy;
//! let policy = Policy::load("policies").expect("a valid policy");
//! let facts = policy.parse_case(r#"{"as_of": "2026-03-01"}"#).expect("a usable case file");
//! let as_of = facts.as_of.expect("the case names its date");
//! let evaluation = policy.evaluate(&facts, as_of, &[]);
//! println!("{}", policy.record_json(&evaluation));
//! ```

pub mod authoring;
pub mod catalog;
pub mod check;
pub mod cli;
pub mod eval;
pub mod explain;
pub mod jsonl;
pub mod lang;
pub mod log;
pub mod policy;
pub mod render;
pub mod scenario;
pub mod serve;
pub mod source;
pub mod syntax;
pub mod units;

pub use eval::facts::ReadOptions;
pub use explain::record::RecordMode;
pub use policy::{Cache, Evaluation, InForce, LoadError, Policy, Version, Versions, Window};
