//! Numbers for people: money in the largest money unit of `grammar/units.txt` that fits (or yuan
//! in English), percents to two places, dates in Chinese or English.

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
            for u in crate::units::money_scales() {
                if d.abs() >= u.factor {
                    let places = if u.factor > Decimal::from(10_000) { 4 } else { 2 };
                    return format!("{}{}", grouped(d / u.factor, places), u.name);
                }
            }
            format!("{}{}", grouped(d, 2), crate::units::money_scales().last().map_or("", |u| u.name.as_str()))
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
