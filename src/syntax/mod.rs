//! Text to syntax tree. The only module that touches pest.

pub mod ast;
pub mod error;
mod lower;
mod parser;

pub use error::SyntaxError;
pub use parser::parse_file;
