//! Runs the pest grammar and turns its errors into plain words.

use super::ast::Item;
use super::error::SyntaxError;
use super::lower::Lowerer;
use crate::source::Span;
use pest::error::{ErrorVariant, InputLocation};
use pest::Parser;
use pest_derive::Parser;

#[derive(Parser)]
#[grammar = "../grammar/rulebook.pest"]
pub(crate) struct RulebookParser;

// The grammar as a dependency of this file: without it cargo did not see that an edit of the
// grammar alone needs a rebuild (the dep-info of the crate did not list it), and kept the old parser.
const _GRAMMAR: &str = include_str!("../../grammar/rulebook.pest");

/// Parse one rule file into items. `file` is the index used in spans.
pub fn parse_file(file: u32, text: &str) -> Result<Vec<Item>, Vec<SyntaxError>> {
    // Bound the work pest may do on a hostile or runaway file.
    pest::set_call_limit(std::num::NonZeroUsize::new(20_000_000));
    let pairs = match RulebookParser::parse(Rule::file, text) {
        Ok(p) => p,
        Err(e) => return Err(vec![from_pest(file, text, e)]),
    };
    let mut lowerer = Lowerer::new(file);
    let items = lowerer.file(pairs);
    if lowerer.errors.is_empty() {
        Ok(items)
    } else {
        Err(lowerer.errors)
    }
}

/// The pairs inside `file`, for the layout of `rulebook fmt` (spans are of file 0).
pub(crate) fn parse_tree(text: &str) -> Result<pest::iterators::Pairs<'_, Rule>, SyntaxError> {
    pest::set_call_limit(std::num::NonZeroUsize::new(20_000_000));
    let mut pairs = RulebookParser::parse(Rule::file, text).map_err(|e| from_pest(0, text, e))?;
    match pairs.next() {
        Some(file) => Ok(file.into_inner()),
        None => Ok(pairs),
    }
}

fn from_pest(file: u32, text: &str, e: pest::error::Error<Rule>) -> SyntaxError {
    let (start, end) = match e.location {
        InputLocation::Pos(p) => (p, p),
        InputLocation::Span((a, b)) => (a, b),
    };
    // A text left open runs on to the next line's quote, and the parser stops far below: the
    // error belongs at the quote that was never closed.
    if let Some(open) = unterminated_string(text, start) {
        return SyntaxError::new(
            Span::new(file, open, open + 1),
            "unterminated string: this `\"` is not closed on its line",
        )
        .with_help("end the text with `\"` on the same line");
    }
    let found = found_token(text, start);
    let end = if end > start {
        end
    } else {
        start + found.len().max(1)
    };
    let end = end.min(text.len()).max(start);
    let span = Span::new(file, start, end);
    match e.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            let mut words: Vec<&str> = positives.iter().filter_map(|r| in_words(*r)).collect();
            words.sort_unstable();
            words.dedup();
            let found_desc = if found.is_empty() {
                "the end of the file".to_string()
            } else {
                format!("`{found}`")
            };
            let message = if words.is_empty() {
                format!("unexpected {found_desc}")
            } else {
                format!("unexpected {found_desc}; expected {}", join_or(&words))
            };
            let err = SyntaxError::new(span, message);
            match unit_hint(text, start, &found).or_else(|| hint(&found, &positives)) {
                Some(h) => err.with_help(h),
                None => err,
            }
        }
        ErrorVariant::CustomError { message } => match message.as_str() {
            // pest's own guards against hostile input, in the words of a rule file.
            "stack limit reached" => SyntaxError::new(
                span,
                "the file nests too deeply here: too many brackets or braces inside one another",
            ),
            "call limit reached" => SyntaxError::new(
                span,
                "the file is too complex to read (the parser gave up here)",
            ),
            _ => SyntaxError::new(span, message),
        },
    }
}

/// The opening quote of the first string before `before` that runs past the end of its line (or
/// of the file). Comments and `"""` texts are skipped.
fn unterminated_string(text: &str, before: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len().min(before.saturating_add(1)) {
        match b[i] {
            b'#' => i += text[i..].find('\n').unwrap_or(text.len() - i),
            b'"' if text[i..].starts_with("\"\"\"") => {
                i += 3 + text[i + 3..].find("\"\"\"").map_or(text.len(), |e| e + 3);
            }
            b'"' => {
                let open = i;
                i += 1;
                loop {
                    match b.get(i) {
                        None | Some(b'\n') => return Some(open),
                        Some(b'\\') => i += 2,
                        Some(b'"') => break,
                        Some(_) => i += 1,
                    }
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    None
}

/// A number followed by the first part of a unit (a unit of several characters cut short) gets
/// the units of grammar/units.txt as help.
fn unit_hint(text: &str, start: usize, found: &str) -> Option<String> {
    let before = text.get(..start)?.trim_end_matches(' ');
    let digits: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if digits.is_empty() {
        return None;
    }
    let first = found.chars().next()?;
    let unit = crate::units::all()
        .iter()
        .find(|u| u.name.starts_with(first) && !found.starts_with(u.name.as_str()))?;
    let names: Vec<&str> = crate::units::all()
        .iter()
        .map(|u| u.name.as_str())
        .collect();
    Some(format!(
        "a number's unit is written in full: `{digits}{}`; the units are {}",
        unit.name,
        names.join(", ")
    ))
}

/// The token at the error position, for the message.
fn found_token(text: &str, start: usize) -> String {
    let rest = text.get(start..).unwrap_or("");
    let tok: String = rest
        .chars()
        .take_while(|c| !c.is_whitespace())
        .take(20)
        .collect();
    tok
}

fn join_or(words: &[&str]) -> String {
    match words {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} or {}", init.join(", "), last),
    }
}

/// Grammar rule names in the words of someone writing rules, never pest's internal names.
/// Grammar rules in the words of someone writing rules, grouped so a message stays short; never
/// pest's internal names.
fn in_words(r: Rule) -> Option<&'static str> {
    Some(match r {
        Rule::EOI | Rule::rule | Rule::rule_kw | Rule::decision | Rule::article | Rule::policy_header | Rule::facts_block | Rule::wording_block => {
            "a new item (policy, facts, wording, article, let, rule, exception, decision)"
        }
        Rule::cite_clause | Rule::in_clause | Rule::for_each | Rule::applies | Rule::must | Rule::should | Rule::then_effect
        | Rule::otherwise_effect | Rule::says | Rule::found | Rule::overrides => {
            "a rule clause (cite, in, for each, applies when, let, must, should, then, otherwise, says, found, overrides)"
        }
        Rule::let_def => return None,
        Rule::eq | Rule::ne | Rule::lt | Rule::le | Rule::gt | Rule::ge | Rule::add | Rule::sub | Rule::mul | Rule::div
        | Rule::and_op | Rule::or_op | Rule::field_access | Rule::index | Rule::in_set => "an operator",
        Rule::ident => "a name",
        Rule::rule_id => "a rule name",
        Rule::string | Rule::string_body => "a quoted text",
        Rule::labels => "labels `\"中文\" | \"English\"`",
        Rule::text_block => "the article's text in triple quotes `\"\"\"…\"\"\"`",
        Rule::date_lit => "a date like 2025-08-10",
        Rule::number | Rule::quantity => "a number",
        Rule::unit => "a unit (see grammar/units.txt)",
        Rule::cite_lit => "a cite like 6(2)3",
        Rule::expr | Rule::call | Rule::bool_lit => "a value or expression",
        Rule::header_key => "a header field (title, title_en, number, issuer, version, effective, validity, repeals, source)",
        Rule::field_decl => "a fact declaration `name: type \"中文\" | \"English\"`",
        Rule::type_decl | Rule::scalar_type | Rule::enum_type | Rule::list_type => {
            "a type (bool, int, decimal, money, percent, date, text, enum(...), record, list)"
        }
        Rule::enum_value => "an enumeration value and its words `name \"中文\" | \"English\"`",
        Rule::wording_scope => "a scope `for [decision, outcome, list, …]`",
        Rule::article_no => "an article number",
        Rule::declaratory => "`declaratory \"reason\"`",
        Rule::gate | Rule::require | Rule::outcome | Rule::date_clause => "a decision clause (gate, require, outcome, date)",
        Rule::outcome_when => "`when any …` or `otherwise`",
        Rule::status_cond => "a status (satisfied, violated, review, exempt, unknown)",
        Rule::effect_cond => "`effect`",
        Rule::ident_list => "a list in brackets `[a, b]`",
        Rule::effect => "an effect (grant, reward, revoke, ban, clawback, …)",
        Rule::measure_arg | Rule::amount_arg | Rule::subject_arg | Rule::roles_arg | Rule::until_arg => {
            "an effect detail (measure, amount, subject, roles, until)"
        }
        Rule::source | Rule::list_source | Rule::range_source => "`in <list>` or `from <a> to <b>`",
        Rule::where_clause => "`where`",
        Rule::wording_entry => "a wording entry `key \"中文\" | \"English\"`",
        _ => return None,
    })
}

fn hint(found: &str, positives: &[Rule]) -> Option<String> {
    if found.starts_with('“') || found.starts_with('”') {
        return Some("use straight quotes \"…\" around texts, not Chinese quotes “…”".into());
    }
    if found.starts_with('（') || found.starts_with('）') {
        return Some("use ASCII parentheses ( ) in expressions and cites, not （ ）".into());
    }
    if found.starts_with('=') && !found.starts_with("==") {
        return Some(
            "to compare two values write `==`; a single `=` only names a value in `let`".into(),
        );
    }
    if positives.contains(&Rule::labels) || positives.contains(&Rule::string) {
        return Some(
            "labels are written as a Chinese text and an English text: \"中文\" | \"English\""
                .into(),
        );
    }
    if positives.contains(&Rule::EOI) && !positives.contains(&Rule::must) {
        return Some(
            "each item starts with one of: policy, facts, wording, article, let, rule, exception, decision"
                .into(),
        );
    }
    None
}
