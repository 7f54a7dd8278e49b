//! `rulebook fmt`: one canonical layout for rule files.
//!
//! The layout is the one the policies are written in by hand: items at the left margin, a rule's
//! clauses and a block's entries two spaces in, one clause a line, one space between words, no
//! space inside brackets or around `.`, header values aligned, `"""` texts kept byte for byte,
//! at most one blank line where the author left one, and every comment where it was (at the end
//! of its line, or on a line of its own). Only the tokens of the file are written back, in their
//! order, so a formatted file means what it meant before.

use crate::syntax::tokens::{tokens, Token, TokenKind};
use crate::syntax::SyntaxError;

/// The canonical layout of one rule file.
pub fn format(text: &str) -> Result<String, SyntaxError> {
    let toks = tokens(text)?;
    let widths = header_widths(&toks);
    let mut out = String::with_capacity(text.len());
    // The depth of the clause being written: where continuation lines are indented from.
    let mut depth: usize = 0;
    let mut prev: Option<&Token> = None;
    for (i, t) in toks.iter().enumerate() {
        let newlines = prev.map_or(0, |p| newlines_between(text, p, t));
        let after_comment = prev.is_some_and(|p| p.kind == TokenKind::Comment);
        let blank_allowed =
            !matches!(t.kind, TokenKind::Close) && !prev.is_some_and(|p| p.kind == TokenKind::Open);
        if t.kind == TokenKind::Comment && prev.is_some() && newlines == 0 {
            // A comment at the end of a line stays there.
            out.push(' ');
            out.push_str(t.text.trim_end());
        } else if prev.is_none()
            || t.line.is_some()
            || t.kind == TokenKind::Comment
            || after_comment
        {
            let d = match t.line {
                Some(d) => usize::from(d),
                None if t.kind == TokenKind::Comment => next_line_depth(&toks[i..], depth + 1),
                None => depth + 1,
            };
            if prev.is_some() {
                out.push('\n');
                if newlines >= 2 && blank_allowed {
                    out.push('\n');
                }
            }
            for _ in 0..d {
                out.push_str("  ");
            }
            push_token(&mut out, t);
            if t.line.is_some() {
                depth = d;
            }
        } else {
            let p = prev.map_or(TokenKind::Plain, |p| p.kind);
            if p == TokenKind::HeaderKey {
                let key = prev.map_or(0, |p| p.text.chars().count());
                let w = widths.get(&t.start).copied().unwrap_or(key);
                for _ in key..=w {
                    out.push(' ');
                }
            } else if !(prev.is_some_and(|p| p.glue_after) || t.glue_before) {
                out.push(' ');
            }
            push_token(&mut out, t);
        }
        prev = Some(t);
    }
    if !out.is_empty() {
        out.push('\n');
    }
    Ok(out)
}

fn push_token(out: &mut String, t: &Token) {
    match t.kind {
        TokenKind::Quantity => {
            let n = t
                .text
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap_or(t.text.len());
            let (num, unit) = (&t.text[..n], t.text[n..].trim());
            out.push_str(num);
            if unit.starts_with(|c: char| c.is_ascii_alphabetic()) {
                out.push(' ');
            }
            out.push_str(unit);
        }
        TokenKind::Comment => out.push_str(t.text.trim_end()),
        _ => out.push_str(t.text),
    }
}

/// Line breaks in the source between two tokens.
fn newlines_between(text: &str, a: &Token, b: &Token) -> usize {
    let from = (a.start + a.text.len()).min(b.start);
    text.get(from..b.start)
        .map_or(0, |g| g.matches('\n').count())
}

/// A comment on its own line is indented like the line that follows it.
fn next_line_depth(rest: &[Token], fallback: usize) -> usize {
    match rest.iter().find(|t| t.kind != TokenKind::Comment) {
        // The last lines of a block, before its `}`, are inside it.
        Some(t) if t.kind == TokenKind::Close => t.line.map_or(fallback, |d| usize::from(d) + 1),
        Some(t) => t.line.map_or(fallback, usize::from),
        // Comments at the end of the file belong to no item.
        None => 0,
    }
}

/// For each header value (by offset): the width of the longest key of its header.
fn header_widths(toks: &[Token]) -> std::collections::HashMap<usize, usize> {
    let mut out = std::collections::HashMap::new();
    let mut group: Vec<usize> = Vec::new();
    let mut width = 0;
    for (i, t) in toks.iter().enumerate() {
        match t.kind {
            TokenKind::HeaderKey => {
                width = width.max(t.text.chars().count());
                if let Some(v) = toks.get(i + 1) {
                    group.push(v.start);
                }
            }
            TokenKind::Close => {
                for s in group.drain(..) {
                    out.insert(s, width);
                }
                width = 0;
            }
            _ => {}
        }
    }
    for s in group {
        out.insert(s, width);
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::format;

    #[test]
    fn lays_out_a_rule_and_keeps_its_comments() {
        let src = "# head\nrule  r \"规则\"|\"rule\"   # why\n cite 6(1)\n\n\n   in review\n  let t = count( m in xs where m.k==a ) \"t\" | \"t\"\n  must t>=3 years and f( a , b )[ 2 ].c\n";
        let want = "# head\nrule r \"规则\" | \"rule\" # why\n  cite 6(1)\n\n  in review\n  let t = count(m in xs where m.k == a) \"t\" | \"t\"\n  must t >= 3 years and f(a, b)[2].c\n";
        assert_eq!(format(src).unwrap(), want);
        assert_eq!(format(want).unwrap(), want);
    }

    #[test]
    fn aligns_header_values_and_indents_blocks() {
        let src = "policy p {\ntitle \"T\"\n  version 2025-01-01\n}\nfacts {\n a: record \"a\" | \"a\" {\n b: enum( x ,y ) \"b\" | \"b\"\n }\n}\ndecision d {\n outcome ok otherwise\n}\n";
        let want = "policy p {\n  title   \"T\"\n  version 2025-01-01\n}\nfacts {\n  a: record \"a\" | \"a\" {\n    b: enum(x, y) \"b\" | \"b\"\n  }\n}\ndecision d {\n  outcome ok otherwise\n}\n";
        assert_eq!(format(src).unwrap(), want);
        // A comment closing a block stays inside it.
        let src = "decision d {\n  outcome ok otherwise\n# last\n}\n";
        let want = "decision d {\n  outcome ok otherwise\n  # last\n}\n";
        assert_eq!(format(src).unwrap(), want);
        assert_eq!(format(want).unwrap(), want);
    }

    #[test]
    fn deep_or_broken_input_is_an_error_not_a_crash() {
        let deep = format!("let v = {}1{}\n", "(".repeat(5000), ")".repeat(5000));
        assert!(format(&deep).is_err());
        assert!(format("rule r\n  must x = 1\n").is_err());
        assert_eq!(format("").unwrap(), "");
        assert_eq!(format("# only a comment").unwrap(), "# only a comment\n");
    }

    #[test]
    fn a_minus_sign_is_written_against_its_number() {
        let src = "let v = - 3 - -a\n";
        assert_eq!(format(src).unwrap(), "let v = -3 - -a\n");
    }
}
