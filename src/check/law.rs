//! Law coverage: every article of the policy's source text must be quoted in an `article` block,
//! and either encoded by a rule or marked as setting no computable rule.

use super::error::{Code, Diagnostic};
use super::ir::{ArticleIr, RuleIr};
use std::collections::BTreeMap;

/// The articles of a legal text, by number, found from lines that begin `第…条`.
pub fn split_articles(text: &str) -> BTreeMap<u32, String> {
    let mut out: BTreeMap<u32, String> = BTreeMap::new();
    let mut current: Option<u32> = None;
    for line in text.lines() {
        let t = line.trim_start_matches([' ', '\u{3000}', '\t']);
        if let Some(n) = article_heading(t) {
            if let std::collections::btree_map::Entry::Vacant(e) = out.entry(n) {
                current = Some(n);
                e.insert(String::new());
            }
        } else if t.starts_with('第') && t.contains('章') && t.len() < 40 {
            current = None;
            continue;
        }
        if let Some(n) = current {
            if let Some(s) = out.get_mut(&n) {
                s.push_str(t);
                s.push('\n');
            }
        }
    }
    out
}

fn article_heading(line: &str) -> Option<u32> {
    let rest = line.strip_prefix('第')?;
    let end = rest.find('条')?;
    let numeral = &rest[..end];
    if numeral.is_empty() || numeral.chars().count() > 4 {
        return None;
    }
    chinese_number(numeral)
}

/// 一 … 九十九 to a number.
pub fn chinese_number(s: &str) -> Option<u32> {
    let digit = |c: char| {
        "零一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|p| p as u32)
    };
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        ['十'] => Some(10),
        ['十', u] => Some(10 + digit(*u)?),
        [t, '十'] => Some(digit(*t)? * 10),
        [t, '十', u] => Some(digit(*t)? * 10 + digit(*u)?),
        [u] => digit(*u).filter(|d| *d > 0),
        _ => None,
    }
}

/// The Chinese numeral of an article number (for letters and messages).
pub fn chinese_numeral(n: u32) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n as usize].to_string(),
        10 => "十".into(),
        11..=19 => format!("十{}", D[(n % 10) as usize]),
        _ if n.is_multiple_of(10) && n < 100 => format!("{}十", D[(n / 10) as usize]),
        20..=99 => format!("{}十{}", D[(n / 10) as usize], D[(n % 10) as usize]),
        _ => n.to_string(),
    }
}

/// The text without its spaces and line breaks: quotes are compared this way.
pub(crate) fn squeeze(s: &str) -> String {
    // Runs copied whole: the same characters as filtering out `char::is_whitespace` one by one.
    let mut out = String::with_capacity(s.len());
    for run in s.split_whitespace() {
        out.push_str(run);
    }
    out
}

/// The words of one item (and sub-item) of an article's text: `（二）` … up to `（三）`, then
/// `3.` … up to `4.`. The whole article when the cite names no item or the text has no such marks.
pub fn excerpt(article_text: &str, item: Option<u32>, sub: Option<u32>) -> String {
    excerpt_squeezed(article_text.split_whitespace().collect(), item, sub)
}

/// [`excerpt`] of a text already without spaces.
pub(crate) fn excerpt_squeezed(text: String, item: Option<u32>, sub: Option<u32>) -> String {
    let Some(i) = item else {
        return text;
    };
    let cut = |t: &str, open: &str, close: &str| -> Option<String> {
        let start = t.find(open)?;
        let rest = &t[start..];
        let end = rest[open.len()..]
            .find(close)
            .map_or(rest.len(), |e| e + open.len());
        Some(rest[..end].to_string())
    };
    let Some(item_text) = cut(
        &text,
        &format!("（{}）", chinese_numeral(i)),
        &format!("（{}）", chinese_numeral(i + 1)),
    ) else {
        return text;
    };
    match sub {
        Some(k) => cut(&item_text, &format!("{k}."), &format!("{}.", k + 1)).unwrap_or(item_text),
        None => item_text,
    }
}

/// Where a quote first departs from its source: a one-character span there, and a few characters
/// of both texts from that point, so the author sees the one amount that differs rather than a whole
/// highlighted article.
fn quote_mismatch(n: u32, a: &ArticleIr, quoted: &str, source: &str) -> Diagnostic {
    let q: Vec<char> = quoted.chars().collect();
    let s: Vec<char> = source.chars().collect();
    let at = q.iter().zip(&s).take_while(|(x, y)| x == y).count();
    const SHOWN: usize = 12;
    let from = at.saturating_sub(4);
    let show = |t: &[char]| -> String {
        let end = (at + SHOWN).min(t.len());
        let mut out: String = t.get(from..end).unwrap_or(&[]).iter().collect();
        if from > 0 {
            out.insert(0, '…');
        }
        if end < t.len() {
            out.push('…');
        }
        out
    };
    // The byte offset of the `at`-th character of the quote that is not a space.
    let offset = a
        .text
        .char_indices()
        .filter(|(_, c)| !c.is_whitespace())
        .nth(at)
        .map_or(0, |(i, _)| i);
    let start = a.text_start as usize + offset;
    let len = a.text[offset..].chars().next().map_or(1, char::len_utf8);
    let span = crate::source::Span::new(a.span.file, start, start + len);
    Diagnostic::new(
        Code::QuoteMismatch,
        span,
        format!(
            "the text quoted for article {n} differs from the source text of 第{}条 here",
            chinese_numeral(n)
        ),
    )
    .help(format!(
        "the quote has 「{}」 where the source has 「{}」; copy the article's text from the source file (spaces and line breaks may differ, words may not)",
        show(&q),
        show(&s)
    ))
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Coverage {
    pub total: usize,
    pub encoded: usize,
    pub declaratory: usize,
}

/// `squeezed` holds the text of each of `articles` without spaces.
pub fn check(
    source: &BTreeMap<u32, String>,
    articles: &[ArticleIr],
    squeezed: &[String],
    rules: &[RuleIr],
    diags: &mut Vec<Diagnostic>,
) -> Coverage {
    let mut encoded = 0;
    let mut declaratory = 0;
    for (n, text) in source {
        let Some(i) = articles.iter().position(|a| a.number == *n) else {
            diags.push(Diagnostic::global(Code::LawCoverage, format!(
                "article {n} (第{}条) of the source text is neither encoded nor marked as setting no rule", chinese_numeral(*n)))
                .help(format!("add `article {n} \"\"\"…\"\"\"` quoting it, with rules that `cite {n}`, or mark it `declaratory \"reason\"`")));
            continue;
        };
        let a = &articles[i];
        let quoted = squeezed.get(i).map_or("", |s| s.as_str());
        let source = squeeze(text);
        if quoted.is_empty() || !source.contains(quoted) {
            diags.push(quote_mismatch(*n, a, quoted, &source));
        }
        let cited = rules.iter().any(|r| r.cite.article == *n);
        match (&a.declaratory, cited) {
            (Some(_), true) => diags.push(
                Diagnostic::new(
                    Code::LawCoverage,
                    a.span,
                    format!("article {n} is marked declaratory but rules cite it"),
                )
                .help("remove `declaratory` or the rules that cite this article"),
            ),
            (Some(_), false) => declaratory += 1,
            (None, true) => encoded += 1,
            (None, false) => diags.push(
                Diagnostic::new(
                    Code::LawCoverage,
                    a.span,
                    format!(
                "article {n} is quoted but no rule cites it and it is not marked declaratory"),
                )
                .help("write the rules that `cite` it, or mark it `declaratory \"reason\"`"),
            ),
        }
    }
    for a in articles {
        if !source.contains_key(&a.number) {
            diags.push(Diagnostic::new(
                Code::UnknownArticle,
                a.span,
                format!("the source text has no article {}", a.number),
            ));
        }
    }
    Coverage {
        total: source.len(),
        encoded,
        declaratory,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    #[test]
    fn numerals_both_ways() {
        for n in 1..=40 {
            assert_eq!(chinese_number(&chinese_numeral(n)), Some(n));
        }
        assert_eq!(chinese_numeral(18), "十八");
        assert_eq!(chinese_numeral(20), "二十");
        assert_eq!(chinese_numeral(100), "100");
    }
    #[test]
    fn excerpts_an_item_and_a_sub_item() {
        let t =
            "第三条 条件：\n（一）读者7人。\n（二）借阅人：\n1. 登记。\n2. 还书。\n（三）馆员。";
        assert_eq!(excerpt(t, Some(1), None), "（一）读者7人。");
        assert_eq!(excerpt(t, Some(2), Some(2)), "2.还书。");
        assert_eq!(excerpt(t, Some(3), None), "（三）馆员。");
        assert_eq!(
            excerpt(t, None, None),
            "第三条条件：（一）读者7人。（二）借阅人：1.登记。2.还书。（三）馆员。"
        );
    }

    #[test]
    fn splits_at_headings_and_skips_chapters() {
        let t = "第一章 总则\n第一条 为了。\n续行\n第二章 组建\n第二条 本办法。\n";
        let a = split_articles(t);
        assert_eq!(a.len(), 2);
        assert_eq!(a[&1], "第一条 为了。\n续行\n");
        assert_eq!(a[&2], "第二条 本办法。\n");
        // A line of an article that names a chapter is still the article's.
        let t = "第一条 为了。\n按本章执行。\n";
        assert_eq!(split_articles(t)[&1], "第一条 为了。\n按本章执行。\n");
        // Even one that begins with 第: a heading is shorter than 40 bytes, this line is 40.
        let line = "第三章所列事项，依本条执行.";
        assert_eq!(line.len(), 40);
        let t = format!("第一条 为了。\n{line}\n");
        assert_eq!(split_articles(&t)[&1], format!("第一条 为了。\n{line}\n"));
    }
}
