//! Facts in, findings out.

pub mod decide;
pub mod facts;
pub mod findings;
pub mod interp;
mod json;
mod keyed;
pub mod needed;
mod refusal;
mod serde_walk;
pub(crate) mod store;
pub mod text;
pub mod value;

#[cfg(test)]
mod reader_tests;
#[cfg(test)]
mod tests;
