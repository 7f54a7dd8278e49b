//! Tools for the people who write policies: `rulebook fmt` and `rulebook schema`.

pub mod fmt;
pub mod schema;
