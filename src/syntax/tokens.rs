//! A rule file as a flat list of tokens, every comment kept, each marked with what the canonical
//! layout needs to know from the grammar: which tokens begin a line and at what depth, and which
//! are written against their neighbour. `rulebook fmt` lays these out; it never sees pest.

use super::error::SyntaxError;
use super::parser::{self, Rule};
use pest::iterators::Pair;
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A keyword, a name, a number, an operator or a string.
    Plain,
    /// A header key (`title`, `version`, …): the header aligns its values.
    HeaderKey,
    /// `3 years`, `50%`: written with one space before a word unit, none before a sign.
    Quantity,
    /// A `"""…"""` block, kept byte for byte.
    TextBlock,
    /// `# …` up to the end of its line.
    Comment,
    /// `{`: opens a block whose entries each start a line.
    Open,
    /// `}`: closes a block on its own line.
    Close,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token<'a> {
    pub text: &'a str,
    pub kind: TokenKind,
    /// Byte offset in the file.
    pub start: usize,
    /// Begins a line of the layout at this depth (an item, a clause, a field, a `}`).
    pub line: Option<u8>,
    /// Written with no space before it (`.`, `,`, `)`, a call's `(`, an index's `[`, …).
    pub glue_before: bool,
    /// Written with no space after it (`.`, `(`, `[`, a minus sign).
    pub glue_after: bool,
}

/// Items and clauses: each begins a line.
fn starts_line(r: Rule) -> bool {
    matches!(
        r,
        Rule::policy_header
            | Rule::facts_block
            | Rule::wording_block
            | Rule::article
            | Rule::let_def
            | Rule::rule
            | Rule::decision
            | Rule::header_field
            | Rule::field_decl
            | Rule::wording_entry
            | Rule::cite_clause
            | Rule::in_clause
            | Rule::for_each
            | Rule::applies
            | Rule::must
            | Rule::should
            | Rule::then_effect
            | Rule::otherwise_effect
            | Rule::says
            | Rule::found
            | Rule::overrides
            | Rule::gate
            | Rule::require
            | Rule::outcome
            | Rule::date_clause
            | Rule::text_block
    )
}

/// What its lines are indented under.
fn is_block(r: Rule) -> bool {
    matches!(
        r,
        Rule::policy_header
            | Rule::facts_block
            | Rule::field_children
            | Rule::wording_block
            | Rule::rule
            | Rule::decision
    )
}

/// Written as one token, whatever pest sees inside.
fn is_leaf(p: &Pair<Rule>) -> bool {
    matches!(
        p.as_rule(),
        Rule::string | Rule::text_block | Rule::quantity | Rule::cite_lit | Rule::date_lit
    ) || p.clone().into_inner().next().is_none()
}

struct Walker<'a> {
    text: &'a str,
    cursor: usize,
    out: Vec<Token<'a>>,
    /// Offsets where a line begins, and its depth.
    lines: HashMap<usize, u8>,
    braces: u8,
}

/// The tokens of one rule file, or the syntax error that stops it being laid out.
pub fn tokens(text: &str) -> Result<Vec<Token<'_>>, SyntaxError> {
    // The full reading first: its depth guards keep the walk below from recursing without bound,
    // and a file the checker would refuse is not laid out.
    if let Err(errs) = parser::parse_file(0, text) {
        if let Some(e) = errs.into_iter().next() {
            return Err(e);
        }
    }
    let file = parser::parse_tree(text)?;
    let mut w = Walker {
        text,
        cursor: 0,
        out: Vec::new(),
        lines: HashMap::new(),
        braces: 0,
    };
    for p in file {
        w.pair(p, Rule::file, 0);
    }
    w.gap(text.len(), Rule::file);
    Ok(w.out)
}

impl<'a> Walker<'a> {
    fn pair(&mut self, p: Pair<'a, Rule>, parent: Rule, depth: u8) {
        let span = p.as_span();
        self.gap(span.start(), parent);
        let kind_of = p.as_rule();
        if kind_of == Rule::EOI {
            return;
        }
        if starts_line(kind_of) {
            self.lines.entry(span.start()).or_insert(depth);
        }
        // A childless rule that is not atomic (`list`, `effect`) may hold spaces and comments:
        // its words are read like the text between pairs.
        let plain_words = !matches!(kind_of, Rule::string | Rule::text_block | Rule::quantity)
            && span
                .as_str()
                .contains(|c: char| c.is_whitespace() || c == '#');
        if is_leaf(&p) && plain_words {
            self.gap(span.end(), kind_of);
            return;
        }
        if is_leaf(&p) {
            let kind = match kind_of {
                Rule::header_key => TokenKind::HeaderKey,
                Rule::quantity => TokenKind::Quantity,
                Rule::text_block => TokenKind::TextBlock,
                _ => TokenKind::Plain,
            };
            let glue_after = kind_of == Rule::neg;
            self.push(span.as_str(), kind, span.start(), false, glue_after);
            self.cursor = span.end();
            return;
        }
        let inner_depth = depth.saturating_add(u8::from(is_block(kind_of)));
        for c in p.into_inner() {
            self.pair(c, kind_of, inner_depth);
        }
        self.gap(span.end(), kind_of);
    }

    fn push(&mut self, text: &'a str, kind: TokenKind, start: usize, glue_b: bool, glue_a: bool) {
        let mut line = self.lines.get(&start).copied();
        if kind == TokenKind::Close {
            line = Some(self.braces);
        }
        self.out.push(Token {
            text,
            kind,
            start,
            line,
            glue_before: glue_b,
            glue_after: glue_a,
        });
    }

    /// The keywords, punctuation and comments between two pairs, `parent` being the pair that
    /// holds them.
    fn gap(&mut self, end: usize, parent: Rule) {
        let end = end.max(self.cursor);
        let text = self.text;
        let mut i = self.cursor;
        while i < end {
            let rest = &text[i..end];
            let Some(c) = rest.chars().next() else { break };
            if c.is_whitespace() {
                i += c.len_utf8();
            } else if c == '#' {
                let len = rest.find('\n').unwrap_or(rest.len());
                self.push(&rest[..len], TokenKind::Comment, i, false, false);
                i += len;
            } else if c.is_alphanumeric() || c == '_' {
                let len = rest
                    .find(|ch: char| !(ch.is_alphanumeric() || ch == '_'))
                    .unwrap_or(rest.len());
                self.push(&rest[..len], TokenKind::Plain, i, false, false);
                i += len;
            } else {
                let s = &rest[..c.len_utf8()];
                let (kind, glue_b, glue_a) = match c {
                    '{' => (TokenKind::Open, false, false),
                    '}' => {
                        self.braces = self.braces.saturating_sub(1);
                        (TokenKind::Close, false, false)
                    }
                    '.' => (TokenKind::Plain, true, true),
                    ',' | ')' | ']' | ':' => (TokenKind::Plain, true, false),
                    '(' => (
                        TokenKind::Plain,
                        matches!(parent, Rule::call | Rule::enum_type),
                        true,
                    ),
                    '[' => (TokenKind::Plain, parent == Rule::index, true),
                    _ => (TokenKind::Plain, false, false),
                };
                self.push(s, kind, i, glue_b, glue_a);
                if c == '{' {
                    self.braces = self.braces.saturating_add(1);
                }
                i += c.len_utf8();
            }
        }
        self.cursor = end;
    }
}
