//! Findings to what people and systems read: the JSON record, the text report, the letter.

pub mod letter;
pub mod numbers;
pub mod record;
pub mod text;
pub mod wording;

pub use numbers::Lang;
