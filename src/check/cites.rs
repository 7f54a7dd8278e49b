//! A cite against the article it names: the item `（九）` and the point `3.` must be in the
//! article's quoted text, or a letter would cite a provision the measures do not have.

use super::error::{Code, Diagnostic};
use super::ir::{ArticleIr, Cite};
use super::law::{chinese_numeral, excerpt_squeezed};
use crate::source::Span;

/// Items are numbered up to this in any text this checker has seen; past it nothing is looked for.
const MAX_MARK: u32 = 50;

/// Whether an article's text has the item `（i）` (or `(i)`).
fn has_item(text: &str, i: u32) -> bool {
    let n = chinese_numeral(i);
    text.contains(&format!("（{n}）")) || text.contains(&format!("({n})"))
}

/// Whether one item's text has the point `k.` (or `k．`).
fn has_point(text: &str, k: u32) -> bool {
    text.contains(&format!("{k}.")) || text.contains(&format!("{k}．"))
}

/// The items `（一）`, `（二）`, … an article's text has. Only an error lists them: a cite that
/// is found looks for its own item alone.
fn items(text: &str) -> Vec<u32> {
    (1..=MAX_MARK).filter(|i| has_item(text, *i)).collect()
}

/// The points `1.`, `2.`, … one item's text has.
fn points(text: &str) -> Vec<u32> {
    (1..=MAX_MARK).filter(|k| has_point(text, *k)).collect()
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
/// `text` is the article's text without spaces.
pub fn check(cite: &Cite, a: &ArticleIr, text: &str, span: Span) -> Option<Diagnostic> {
    let item = cite.item?;
    let n = a.number;
    if !((1..=MAX_MARK).contains(&item) && has_item(text, item)) {
        let have = items(text);
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
    let item_text = excerpt_squeezed(text.to_string(), Some(item), None);
    if (1..=MAX_MARK).contains(&sub) && has_point(&item_text, sub) {
        return None;
    }
    let have = points(&item_text);
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::check::law::squeeze;
    use crate::check::program::parse_cite;

    fn article() -> ArticleIr {
        ArticleIr {
            number: 4,
            declaratory: None,
            text: "第四条 借阅：\n（一）读者：\n1. 持证。\n2. 无欠费。\n（二）期限。".into(),
            span: Span::new(0, 0, 1),
            text_start: 0,
        }
    }

    fn check_cite(cite: &str) -> Option<Diagnostic> {
        let a = article();
        check(
            &parse_cite(cite).unwrap(),
            &a,
            &squeeze(&a.text),
            Span::new(0, 0, 1),
        )
    }

    #[test]
    fn a_cite_of_an_item_or_point_the_text_has_is_accepted() {
        for cite in ["4", "4(1)", "4(2)", "4(1)1", "4(1)2"] {
            assert!(check_cite(cite).is_none(), "{cite}");
        }
    }

    #[test]
    fn a_missing_item_lists_the_items_the_text_has() {
        for cite in ["4(3)", "4(0)", "4(51)"] {
            let d = check_cite(cite).unwrap();
            assert!(
                d.message
                    .starts_with(&format!("the cite `{cite}` names item")),
                "{}",
                d.message
            );
            assert_eq!(d.help.as_deref(), Some("article 4 has: 4(1), 4(2)"));
        }
    }

    #[test]
    fn a_missing_point_lists_the_points_of_its_item() {
        for cite in ["4(1)3", "4(1)0", "4(2)1"] {
            let d = check_cite(cite).unwrap();
            assert!(d.message.contains("names point"), "{}", d.message);
        }
        let d = check_cite("4(1)3").unwrap();
        assert_eq!(d.help.as_deref(), Some("item （一） has: 4(1)1, 4(1)2"));
        let d = check_cite("4(2)1").unwrap();
        assert_eq!(
            d.help.as_deref(),
            Some("item （二） has no numbered points; cite `4(2)`")
        );
    }
}
