//! How amounts, percents and dates are written for people.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::NaiveDate;
use rulebook::explain::numbers::{date, money, percent, Lang};
use rust_decimal::Decimal;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

#[test]
fn money_in_chinese_units() {
    assert_eq!(money(d("420000000"), Lang::Zh), "4.2亿元");
    assert_eq!(money(d("500000000"), Lang::Zh), "5亿元");
    assert_eq!(money(d("10000000"), Lang::Zh), "1,000万元");
    assert_eq!(money(d("14066666.67"), Lang::Zh), "1,406.67万元");
    assert_eq!(money(d("9999"), Lang::Zh), "9,999元");
    assert_eq!(money(d("-80000000"), Lang::Zh), "-8,000万元");
}

#[test]
fn money_in_english() {
    assert_eq!(money(d("3500000.5"), Lang::En), "CNY 3,500,000.5");
    assert_eq!(money(d("1000000"), Lang::En), "CNY 1,000,000");
}

#[test]
fn percents_and_dates() {
    assert_eq!(percent(d("0.0285")), "2.85%");
    assert_eq!(percent(d("0.024823529411764705882352941")), "2.48%");
    let day = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
    assert_eq!(date(day, Lang::Zh), "2026年3月1日");
    assert_eq!(date(day, Lang::En), "1 March 2026");
}

#[test]
fn money_literals_in_rule_files_are_exact() {
    use rulebook::syntax::ast::{ExprKind, Item, Quantity};
    for (lit, want) in [
        ("5亿元", "500000000"),
        ("2000万元", "20000000"),
        ("0.5元", "0.5"),
        ("1.25亿元", "125000000"),
    ] {
        let items = rulebook::syntax::parse_file(0, &format!("let t = {lit}\n")).unwrap();
        let Item::Let(l) = &items[0] else { panic!() };
        let ExprKind::Quantity(Quantity::Money(m)) = l.expr.kind else {
            panic!("{lit}: {:?}", l.expr.kind)
        };
        assert_eq!(m.normalize().to_string(), want, "{lit}");
    }
}
