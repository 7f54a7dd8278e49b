//! Facts in, findings out.

pub mod decide;
pub mod facts;
pub mod findings;
pub mod interp;
mod keyed;
pub mod value;
