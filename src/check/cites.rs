//! A cite against the article it names: the item `（九）` and the point `3.` must be in the
//! article's quoted text, or a letter would cite a provision the measures do not have.

use super::error::{Code, Diagnostic};
use super::ir::{ArticleIr, Cite};
use super::law::{chinese_numeral, excerpt};
use crate::source::Span;

/// Items are numbered up to this in any text this checker has seen; past it nothing is looked for.
const MAX_MARK: u32 = 50;

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The items `（一）`, `（二）`, … an article's text has.
fn items(text: &str) -> Vec<u32> {
    (1..=MAX_MARK)
        .filter(|i| {
            let n = chinese_numeral(*i);
            text.contains(&format!("（{n}）")) || text.contains(&format!("({n})"))
        })
        .collect()
}

/// The points `1.`, `2.`, … one item's text has.
fn points(text: &str) -> Vec<u32> {
    (1..=MAX_MARK)
        .filter(|k| text.contains(&format!("{k}.")) || text.contains(&format!("{k}．")))
        .collect()
}

fn listing(article: u32, item: Option<u32>, marks: &[u32]) -> String {
    let cites: Vec<String> = marks
        .iter()
        .map(|m| match item {
            Some(i) => format!("{article}({i}){m}"),
            None => format!("{article}({m})"),
        })
        .collect();
    cites.join(", ")
}

/// An error when the cite names an item or point the article's quoted text does not have.
pub fn check(cite: &Cite, a: &ArticleIr, span: Span) -> Option<Diagnostic> {
    let item = cite.item?;
    let text = squeeze(&a.text);
    let have = items(&text);
    let n = a.number;
    if !have.contains(&item) {
        let help = if have.is_empty() {
            format!("article {n} has no numbered items; cite the article: `cite {n}`")
        } else {
            format!("article {n} has: {}", listing(n, None, &have))
        };
        return Some(
            Diagnostic::new(
                Code::BadCite,
                span,
                format!(
                    "the cite `{}` names item （{}） of article {n}, which its quoted text does not have",
                    cite.text,
                    chinese_numeral(item)
                ),
            )
            .help(help),
        );
    }
    let sub = cite.sub?;
    let item_text = excerpt(&a.text, Some(item), None);
    let have = points(&item_text);
    if have.contains(&sub) {
        return None;
    }
    let help = if have.is_empty() {
        format!(
            "item （{}） has no numbered points; cite `{n}({item})`",
            chinese_numeral(item)
        )
    } else {
        format!(
            "item （{}） has: {}",
            chinese_numeral(item),
            listing(n, Some(item), &have)
        )
    };
    Some(
        Diagnostic::new(
            Code::BadCite,
            span,
            format!(
                "the cite `{}` names point {sub}. of item （{}） of article {n}, which its quoted text does not have",
                cite.text,
                chinese_numeral(item)
            ),
        )
        .help(help),
    )
}
