//! Numbers for people: money in 亿元/万元 or yuan, percents to two places, dates in Chinese.

use crate::eval::findings::Shown;
use chrono::{Datelike, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

fn grouped(d: Decimal, places: u32) -> String {
    let r = d.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero).normalize();
    let s = r.abs().to_string();
    let (int, frac) = match s.find('.') {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s.as_str(), None),
    };
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    if r.is_sign_negative() && !r.is_zero() {
        out.insert(0, '-');
    }
    out
}

pub fn money(d: Decimal, lang: Lang) -> String {
    match lang {
        Lang::Zh => {
            let yi = Decimal::from(100_000_000);
            let wan = Decimal::from(10_000);
            if d.abs() >= yi {
                format!("{}亿元", grouped(d / yi, 4))
            } else if d.abs() >= wan {
                format!("{}万元", grouped(d / wan, 2))
            } else {
                format!("{}元", grouped(d, 2))
            }
        }
        Lang::En => format!("CNY {}", grouped(d, 2)),
    }
}

/// A fraction (0.0285) as a percent (`2.85%`).
pub fn percent(p: Decimal) -> String {
    format!("{}%", grouped(p * Decimal::ONE_HUNDRED, 2))
}

pub fn date(d: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        Lang::En => d.format("%-d %B %Y").to_string(),
    }
}

pub fn shown(v: &Shown, lang: Lang) -> String {
    match v {
        Shown::Unknown => match lang {
            Lang::Zh => "未知".into(),
            Lang::En => "unknown".into(),
        },
        Shown::Absent => match lang {
            Lang::Zh => "无".into(),
            Lang::En => "none".into(),
        },
        Shown::Bool(b) => match (lang, b) {
            (Lang::Zh, true) => "是".into(),
            (Lang::Zh, false) => "否".into(),
            (Lang::En, true) => "yes".into(),
            (Lang::En, false) => "no".into(),
        },
        Shown::Int(i) => i.to_string(),
        Shown::Decimal(d) => grouped(*d, 2),
        Shown::Money(m) => money(*m, lang),
        Shown::Percent(p) => percent(*p),
        Shown::Date(d) => date(*d, lang),
        Shown::Text(t) => t.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;
    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }
    #[test]
    fn money_in_chinese_units() {
        assert_eq!(money(d("420000000"), Lang::Zh), "4.2亿元");
        assert_eq!(money(d("10000000"), Lang::Zh), "1,000万元");
        assert_eq!(money(d("14066666.67"), Lang::Zh), "1,406.67万元");
        assert_eq!(money(d("3500000.5"), Lang::En), "CNY 3,500,000.5");
    }
    #[test]
    fn percents_and_dates() {
        assert_eq!(percent(d("0.0285")), "2.85%");
        assert_eq!(percent(d("0.024823529411764705882352941")), "2.48%");
        assert_eq!(date(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(), Lang::Zh), "2026年3月1日");
    }
}
