//! Why a case file cannot be used: a kind of refusal with the JSON path as data, put into words
//! only at the edge (`Display`), in the words the reader has always used.

use std::fmt;

/// Why a case file cannot be used, and where the JSON reader stood when it saw why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactsError {
    pub kind: FactsErrorKind,
    /// Line and column (1-based) of the JSON reader; `None` when the words already say where, or
    /// nothing was read.
    pub at: Option<(usize, usize)>,
}

/// The kinds of refusal. Paths are spelled like `members[3].financials[0].year`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FactsErrorKind {
    /// Nothing but whitespace (and perhaps a byte order mark).
    Empty,
    /// Not JSON, or JSON of the wrong shape, in the JSON reader's own words (with its position).
    Json(String),
    /// The JSON nests deeper than the reader follows (the reader's words, with its position).
    TooDeep(String),
    /// The file stops in the middle of a value (the reader's words, with its position).
    EndsEarly(String),
    /// A value of the wrong type, outside its enumeration or stated range, or an impossible date.
    Value {
        path: String,
        expected: String,
        got: String,
    },
    /// A key given twice in one object.
    GivenTwice { path: String },
    /// A key the vocabulary does not know (a strict reader), with the nearest known one.
    NotAFact {
        path: String,
        of: String,
        nearest: Option<String>,
    },
    /// Two entries of a keyed list with one key.
    SameKey {
        first: String,
        second: String,
        value: String,
        key: String,
    },
    /// A value the vocabulary does not know (skipped by a lenient reader) nests too deeply.
    SkippedTooDeep { path: String, max: usize },
    /// A key given twice inside a value the vocabulary does not know.
    SkippedKeyTwice { path: String, key: String },
}

impl FactsError {
    /// The words without the reader's position (a lenient read's warning uses them).
    pub fn words(&self) -> String {
        self.kind.to_string()
    }

    /// The path of the field refused; None when the file is not JSON, or not an object at all.
    pub fn path(&self) -> Option<&str> {
        use FactsErrorKind::*;
        match &self.kind {
            Value { path, .. }
            | GivenTwice { path }
            | NotAFact { path, .. }
            | SkippedTooDeep { path, .. }
            | SkippedKeyTwice { path, .. } => Some(path),
            // The second entry is the one refused.
            SameKey { second, .. } => Some(second),
            Empty | Json(_) | TooDeep(_) | EndsEarly(_) => None,
        }
    }
}

impl fmt::Display for FactsErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use FactsErrorKind::*;
        match self {
            Empty => {
                f.write_str("the case file is empty; expected a JSON object with `as_of` and the facts")
            }
            Json(msg) => f.write_str(msg),
            TooDeep(msg) => write!(f, "the case file nests too deeply to be a case file ({msg})"),
            EndsEarly(msg) => write!(f, "the case file ends too early: {msg}"),
            Value {
                path,
                expected,
                got,
            } => write!(f, "{path}: expected {expected}, got {got}"),
            GivenTwice { path } => write!(
                f,
                "{path}: given twice in one object; give each fact once (JSON readers disagree on which one counts)"
            ),
            NotAFact { path, of, nearest } => {
                write!(f, "{path}: not a fact of {of}")?;
                match nearest {
                    Some(near) => write!(f, "; did you mean {near}?"),
                    None => Ok(()),
                }
            }
            SameKey {
                first,
                second,
                value,
                key,
            } => write!(
                f,
                "{first} and {second} are both {value}; each entry of the list needs its own {key}"
            ),
            SkippedTooDeep { path, max } => {
                write!(f, "{path}: the value nests more than {max} levels deep")
            }
            SkippedKeyTwice { path, key } => {
                write!(f, "{path}: the key {key:?} is given twice in one object")
            }
        }
    }
}

impl fmt::Display for FactsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.kind, f)?;
        match self.at {
            // The JSON reader's convention: no position when it stood nowhere (line 0).
            Some((line, column)) if line > 0 => write!(f, " at line {line} column {column}"),
            _ => Ok(()),
        }
    }
}

impl std::error::Error for FactsError {}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn refusals_render_with_their_path_and_position() {
        let e = FactsError {
            kind: FactsErrorKind::NotAFact {
                path: "units[0].fund".into(),
                of: "units".into(),
                nearest: Some("funds".into()),
            },
            at: Some((1, 42)),
        };
        assert_eq!(
            e.to_string(),
            "units[0].fund: not a fact of units; did you mean funds? at line 1 column 42"
        );
        assert_eq!(
            e.words(),
            "units[0].fund: not a fact of units; did you mean funds?"
        );
        let e = FactsError {
            kind: FactsErrorKind::SkippedKeyTwice {
                path: "x".into(),
                key: "a".into(),
            },
            at: Some((0, 0)),
        };
        assert_eq!(
            e.to_string(),
            r#"x: the key "a" is given twice in one object"#
        );
    }

    #[test]
    fn a_refusal_names_the_field_refused_or_none() {
        let at = |kind| FactsError { kind, at: None };
        let e = at(FactsErrorKind::SameKey {
            first: "units[0].id".into(),
            second: "units[1].id".into(),
            value: "\"x\"".into(),
            key: "id".into(),
        });
        assert_eq!(e.path(), Some("units[1].id"));
        let e = at(FactsErrorKind::GivenTwice {
            path: "as_of".into(),
        });
        assert_eq!(e.path(), Some("as_of"));
        assert_eq!(at(FactsErrorKind::Empty).path(), None);
    }
}
