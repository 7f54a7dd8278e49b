//! How amounts, percents and dates are written for people.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::NaiveDate;
use rulebook::explain::numbers::{date, money, percent, Lang};
use rust_decimal::Decimal;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// The money units of `grammar/units.txt`, largest first: (name, factor). Tests name no unit of
/// their own, so they hold whatever the units table says.
fn units() -> Vec<(String, Decimal)> {
    rulebook::units::money_scales()
        .map(|u| (u.name.clone(), u.factor))
        .collect()
}

#[test]
fn money_is_written_in_the_largest_unit_that_shows_it_exactly() {
    let us = units();
    assert!(us.len() >= 3, "{us:?}");
    let (big, f_big) = &us[0];
    let (mid, f_mid) = &us[1];
    let (small, _) = us.last().unwrap();
    // Round amounts take the largest unit.
    assert_eq!(money(*f_big * d("4.2"), Lang::Zh), format!("4.2{big}"));
    assert_eq!(money(*f_big * d("5"), Lang::Zh), format!("5{big}"));
    assert_eq!(money(*f_mid * d("1000"), Lang::Zh), format!("1,000{mid}"));
    assert_eq!(money(-*f_mid * d("8000"), Lang::Zh), format!("-8,000{mid}"));
    assert_eq!(money(d("9999"), Lang::Zh), format!("9,999{small}"));
}

#[test]
fn an_amount_is_never_rounded() {
    let us = units();
    let (big, f_big) = &us[0];
    let (mid, _) = &us[1];
    let (small, _) = us.last().unwrap();
    // One yuan under a round threshold: never "5" of the largest unit; four places of the middle
    // unit show it exactly.
    let under = *f_big * d("5") - Decimal::ONE;
    assert_eq!(money(under, Lang::Zh), format!("49,999.9999{mid}"));
    assert!(!money(under, Lang::Zh).contains(big.as_str()));
    assert_eq!(money(under, Lang::En), "CNY 499,999,999");
    // Half a yuan more needs five places there: written in yuan, every digit.
    let half = under + d("0.5");
    assert_eq!(money(half, Lang::Zh), format!("499,999,999.5{small}"));
    // Fen stay fen; an amount with a cent is shown to the cent.
    assert_eq!(
        money(d("14066666.67"), Lang::Zh),
        format!("14,066,666.67{small}")
    );
    assert_eq!(money(d("1234567.89"), Lang::En), "CNY 1,234,567.89");
    assert_eq!(money(d("0.5"), Lang::Zh), format!("0.5{small}"));
    // A quotient that never ends has no exact writing: it is given to the fen.
    let third = d("42200000") / d("3");
    assert_eq!(money(third, Lang::Zh), format!("14,066,666.67{small}"));
    assert_eq!(money(third, Lang::En), "CNY 14,066,666.67");
    // Every written amount reads back to the value, for amounts the case can hold.
    for v in [
        "499999999",
        "123456789.01",
        "50000001",
        "100000000.5",
        "12345",
    ] {
        let x = d(v);
        let s = money(x, Lang::Zh);
        let (num, unit) = us
            .iter()
            .find_map(|(n, f)| s.strip_suffix(n.as_str()).map(|num| (num, *f)))
            .unwrap();
        assert_eq!(d(&num.replace(',', "")) * unit, x, "{v} written {s}");
    }
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
    // Every money unit of the units table, with whole and fractional numbers.
    for (unit, factor) in units() {
        for n in ["5", "2000", "0.5", "1.25"] {
            let lit = format!("{n}{unit}");
            let want = (d(n) * factor).normalize().to_string();
            let items = rulebook::syntax::parse_file(0, &format!("let t = {lit}\n")).unwrap();
            let Item::Let(l) = &items[0] else { panic!() };
            let ExprKind::Quantity(Quantity::Money(m)) = l.expr.kind else {
                panic!("{lit}: {:?}", l.expr.kind)
            };
            assert_eq!(m.normalize().to_string(), want, "{lit}");
        }
    }
}
