//! Findings to what people and systems read: the JSON record, the text report, the letter.

pub mod numbers;
pub mod record;
pub mod letter;
pub mod text;

pub use numbers::Lang;
