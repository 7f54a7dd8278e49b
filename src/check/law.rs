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
            if !out.contains_key(&n) {
                current = Some(n);
                out.insert(n, String::new());
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
    let digit = |c: char| "零一二三四五六七八九".chars().position(|d| d == c).map(|p| p as u32);
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
        _ if n % 10 == 0 && n < 100 => format!("{}十", D[(n / 10) as usize]),
        20..=99 => format!("{}十{}", D[(n / 10) as usize], D[(n % 10) as usize]),
        _ => n.to_string(),
    }
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

pub struct Coverage {
    pub total: usize,
    pub encoded: usize,
    pub declaratory: usize,
}

pub fn check(source: &BTreeMap<u32, String>, articles: &[ArticleIr], rules: &[RuleIr], diags: &mut Vec<Diagnostic>) -> Coverage {
    let mut encoded = 0;
    let mut declaratory = 0;
    for (n, text) in source {
        let Some(a) = articles.iter().find(|a| a.number == *n) else {
            diags.push(Diagnostic::global(Code::LawCoverage, format!(
                "article {n} (第{}条) of the source text is neither encoded nor marked as setting no rule", chinese_numeral(*n)))
                .help(format!("add `article {n} \"\"\"…\"\"\"` quoting it, with rules that `cite {n}`, or mark it `declaratory \"reason\"`")));
            continue;
        };
        let quoted = squeeze(&a.text);
        if quoted.is_empty() || !squeeze(text).contains(&quoted) {
            diags.push(Diagnostic::new(Code::QuoteMismatch, a.span, format!(
                "the text quoted for article {n} does not match the source text of 第{}条", chinese_numeral(*n)))
                .help("copy the article's text from the source file; spaces and line breaks may differ, words may not"));
        }
        let cited = rules.iter().any(|r| r.cite.article == *n);
        match (&a.declaratory, cited) {
            (Some(_), true) => diags.push(Diagnostic::new(Code::LawCoverage, a.span, format!(
                "article {n} is marked declaratory but rules cite it"))
                .help("remove `declaratory` or the rules that cite this article")),
            (Some(_), false) => declaratory += 1,
            (None, true) => encoded += 1,
            (None, false) => diags.push(Diagnostic::new(Code::LawCoverage, a.span, format!(
                "article {n} is quoted but no rule cites it and it is not marked declaratory"))
                .help("write the rules that `cite` it, or mark it `declaratory \"reason\"`")),
        }
    }
    for a in articles {
        if !source.contains_key(&a.number) {
            diags.push(Diagnostic::new(Code::UnknownArticle, a.span, format!("the source text has no article {}", a.number)));
        }
    }
    Coverage { total: source.len(), encoded, declaratory }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn numerals_both_ways() {
        for n in 1..=40 {
            assert_eq!(chinese_number(&chinese_numeral(n)), Some(n));
        }
        assert_eq!(chinese_numeral(18), "十八");
    }
    #[test]
    fn splits_at_headings_and_skips_chapters() {
        let t = "第一章 总则\n第一条 为了。\n续行\n第二章 组建\n第二条 本办法。\n";
        let a = split_articles(t);
        assert_eq!(a.len(), 2);
        assert_eq!(a[&1], "第一条 为了。\n续行\n");
        assert_eq!(a[&2], "第二条 本办法。\n");
    }
}
