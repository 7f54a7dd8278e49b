//! The units a number may carry in a rule file (`grammar/units.txt`), shared by the lowering of
//! literals and by the formatting of money for people.

use rust_decimal::Decimal;
use std::str::FromStr;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitKind {
    Money,
    Percent,
    Years,
    Months,
    Days,
}

#[derive(Debug, Clone)]
pub struct Unit {
    pub name: String,
    pub kind: UnitKind,
    pub factor: Decimal,
}

const TABLE: &str = include_str!("../grammar/units.txt");

pub fn all() -> &'static [Unit] {
    static UNITS: OnceLock<Vec<Unit>> = OnceLock::new();
    UNITS.get_or_init(|| {
        TABLE
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
            .filter_map(|l| {
                let mut parts = l.split_whitespace();
                let name = parts.next()?.to_string();
                let kind = match parts.next()? {
                    "money" => UnitKind::Money,
                    "percent" => UnitKind::Percent,
                    "years" => UnitKind::Years,
                    "months" => UnitKind::Months,
                    _ => UnitKind::Days,
                };
                let factor = Decimal::from_str(parts.next()?).ok()?;
                Some(Unit { name, kind, factor })
            })
            .collect()
    })
}

pub fn find(name: &str) -> Option<&'static Unit> {
    all().iter().find(|u| u.name == name)
}

/// Money units larger than one yuan, largest first: how amounts are written in Chinese.
pub fn money_scales() -> impl Iterator<Item = &'static Unit> {
    let mut v: Vec<&Unit> = all().iter().filter(|u| u.kind == UnitKind::Money).collect();
    v.sort_by_key(|u| std::cmp::Reverse(u.factor));
    v.into_iter()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    #[test]
    fn the_table_parses_and_every_grammar_unit_is_in_it() {
        let grammar = include_str!("../grammar/rulebook.pest");
        let line = grammar
            .lines()
            .skip_while(|l| !l.starts_with("unit"))
            .take(4)
            .collect::<String>();
        for u in all() {
            assert!(
                line.contains(&format!("\"{}\"", u.name)),
                "`{}` is in units.txt but not in the grammar",
                u.name
            );
        }
        assert!(all().len() >= 13);
        assert_eq!(find("%").map(|u| u.kind), Some(UnitKind::Percent));
    }
}
