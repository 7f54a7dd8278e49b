//! Facts in, findings out.

pub mod decide;
pub mod facts;
pub mod findings;
pub mod interp;
mod keyed;
pub mod needed;
mod refusal;
pub mod text;
pub mod value;

#[cfg(test)]
mod tests;
