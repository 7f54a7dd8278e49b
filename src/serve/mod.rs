//! The HTTP service (contract section 7).

pub mod articles;
pub mod page;
