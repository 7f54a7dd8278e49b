//! Findings to what people and systems read: the JSON record, the text report, the letter.

pub mod facts;
pub mod html;
pub mod letter;
pub mod message;
pub mod numbers;
pub mod record;
pub mod text;
pub mod wording;

pub use numbers::Lang;
