//! Diagnostics of `rulebook check`: typed, with a span, rendered through miette at the edge.

use crate::source::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Code {
    Syntax,
    UnknownName,
    UnknownField,
    UnknownEnumValue,
    UnknownFunction,
    TypeMismatch,
    Duplicate,
    UnknownArticle,
    UnknownRule,
    UnknownDecision,
    UnknownOutcome,
    BadCite,
    MissingClause,
    ConflictingClause,
    LawCoverage,
    QuoteMismatch,
    BadTemplate,
    BadHeader,
    BadVocabulary,
    Cycle,
    TooDeep,
    Io,
    /// A warning: a rule's amount that its cited article does not quote.
    ThresholdNotQuoted,
}

impl Code {
    /// Reported, but the policy still loads.
    pub fn is_warning(self) -> bool {
        matches!(self, Code::ThresholdNotQuoted)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Code::Syntax => "rulebook::syntax",
            Code::TooDeep => "rulebook::too-deep",
            Code::UnknownName => "rulebook::unknown-name",
            Code::UnknownField => "rulebook::unknown-field",
            Code::UnknownEnumValue => "rulebook::unknown-enum-value",
            Code::UnknownFunction => "rulebook::unknown-function",
            Code::TypeMismatch => "rulebook::type-mismatch",
            Code::Duplicate => "rulebook::duplicate",
            Code::UnknownArticle => "rulebook::unknown-article",
            Code::UnknownRule => "rulebook::unknown-rule",
            Code::UnknownDecision => "rulebook::unknown-decision",
            Code::UnknownOutcome => "rulebook::unknown-outcome",
            Code::BadCite => "rulebook::bad-cite",
            Code::MissingClause => "rulebook::missing-clause",
            Code::ConflictingClause => "rulebook::conflicting-clause",
            Code::LawCoverage => "rulebook::law-coverage",
            Code::QuoteMismatch => "rulebook::quote-mismatch",
            Code::BadTemplate => "rulebook::bad-template",
            Code::BadHeader => "rulebook::bad-header",
            Code::BadVocabulary => "rulebook::bad-vocabulary",
            Code::Cycle => "rulebook::cycle",
            Code::Io => "rulebook::io",
            Code::ThresholdNotQuoted => "rulebook::threshold-not-quoted",
        }
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub code: Code,
    pub span: Option<Span>,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(code: Code, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            span: Some(span),
            message: message.into(),
            help: None,
        }
    }
    pub fn global(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            span: None,
            message: message.into(),
            help: None,
        }
    }
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    /// "did you mean …?" as the help, when one of `candidates` is close to `name`.
    pub fn suggesting<'a>(
        mut self,
        name: &str,
        candidates: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        if let Some(h) = suggest(name, candidates) {
            self.help = Some(h);
        }
        self
    }
}

/// "did you mean" from a set of candidates, by edit distance.
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    nearest(name, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// The candidate closest to `name`, if one is close enough to be a slip of the keyboard.
pub fn nearest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = edit_distance(name, c);
        let limit = (name.chars().count().max(c.chars().count()) / 3).max(1);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    #[test]
    fn suggests_the_nearest_name() {
        assert_eq!(
            suggest("membres", ["members", "projects"]).as_deref(),
            Some("did you mean `members`?")
        );
        assert_eq!(suggest("zzz", ["members"]), None);
        // Two as near: the first given wins.
        assert_eq!(nearest("ab", ["ac", "ad"]), Some("ac"));
    }
    #[test]
    fn edit_distance_counts_single_character_edits() {
        assert_eq!(edit_distance("members", "members"), 0);
        assert_eq!(edit_distance("membres", "members"), 2);
        assert_eq!(edit_distance("member", "members"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        // A deletion after a match: the cell above, not the one diagonally before it.
        assert_eq!(edit_distance("ab", "a"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
    #[test]
    fn every_code_has_its_own_name() {
        use Code::*;
        let all = [
            Syntax,
            UnknownName,
            UnknownField,
            UnknownEnumValue,
            UnknownFunction,
            TypeMismatch,
            Duplicate,
            UnknownArticle,
            UnknownRule,
            UnknownDecision,
            UnknownOutcome,
            BadCite,
            MissingClause,
            ConflictingClause,
            LawCoverage,
            QuoteMismatch,
            BadTemplate,
            BadHeader,
            BadVocabulary,
            Cycle,
            TooDeep,
            Io,
            ThresholdNotQuoted,
        ];
        let names: std::collections::BTreeSet<&str> = all.iter().map(|c| c.as_str()).collect();
        assert_eq!(names.len(), all.len());
        assert!(names
            .iter()
            .all(|n| n.starts_with("rulebook::") && n.len() > 10));
        assert_eq!(UnknownField.as_str(), "rulebook::unknown-field");
    }
}
