//! Counterfactuals and letter phrases in words, from the policy's `wording` block. A policy that
//! gives no wording gets plain symbols, never sentences written in Rust.

use super::numbers::{self, Lang};
use crate::check::ir::{Program, RuleIr};
use crate::eval::findings::{Change, Counterfactual, Finding, Shown, ValueName};

/// The policy's phrase for `key`, its `{holes}` filled from `args`.
pub fn phrase(program: &Program, key: &str, lang: Lang, args: &[(&str, &str)]) -> String {
    phrase_in(program, key, &[], lang, args)
}

/// The policy's phrase for `key` in the first of `scopes` (an outcome, a decision, a list) that
/// has its own, else the general one.
pub fn phrase_in(
    program: &Program,
    key: &str,
    scopes: &[&str],
    lang: Lang,
    args: &[(&str, &str)],
) -> String {
    match program.wording.get_in(key, scopes, lang == Lang::Zh) {
        Some(t) => fill(t, args),
        None => fill(&fallback(key, args), args),
    }
}

/// `key` when the policy words it, else `plain`: a policy written before a finer key existed
/// (`not_attested`) keeps its own words (`not_supplied`) rather than the engine's symbols.
pub fn key_or<'k>(program: &Program, key: &'k str, plain: &'k str) -> &'k str {
    if program.wording.entries.iter().any(|(k, _, _)| k == key) {
        key
    } else {
        plain
    }
}

/// The policy's phrase for `key` in one of `scopes` only: `None` when the policy gives none (a
/// notice of rights exists only for the outcomes it is written for).
pub fn scoped_only(
    program: &Program,
    key: &str,
    scopes: &[&str],
    lang: Lang,
    args: &[(&str, &str)],
) -> Option<String> {
    let zh = lang == Lang::Zh;
    program
        .wording
        .entries
        .iter()
        .find(|(k, sc, _)| k == key && sc.iter().any(|s| scopes.contains(&s.as_str())))
        .map(|(_, _, l)| fill(l.pick(zh), args))
}

/// Each `{key}` replaced in turn (a value may itself hold a later key, as before).
fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (k, v) in args {
        if let Some(replaced) = replace_hole(&out, k, v) {
            out = replaced;
        }
    }
    out
}

/// `text` with every `{key}` replaced by `value` (what `str::replace` gives: holes cannot
/// overlap), found by a search for `{`; `None` when the text holds no such hole.
fn replace_hole(text: &str, key: &str, value: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    let (mut copied, mut from) = (0, 0);
    while let Some(p) = bytes.get(from..).and_then(|b| memchr::memchr(b'{', b)) {
        let at = from + p;
        let name = bytes.get(at + 1..at + 1 + key.len());
        if name == Some(key.as_bytes()) && bytes.get(at + 1 + key.len()) == Some(&b'}') {
            let o = out.get_or_insert_with(|| String::with_capacity(text.len() + value.len()));
            o.push_str(text.get(copied..at).unwrap_or_default());
            o.push_str(value);
            copied = at + key.len() + 2;
            from = copied;
        } else {
            from = at + 1;
        }
    }
    let mut o = out?;
    o.push_str(text.get(copied..).unwrap_or_default());
    Some(o)
}

fn fallback(key: &str, args: &[(&str, &str)]) -> String {
    match key {
        "increase" => "{value}: {actual} → {target} (+{delta})".into(),
        "decrease" => "{value}: {actual} → {target} (−{delta})".into(),
        "all" => " + ".into(),
        "any" => " | ".into(),
        "required" => "{says}".into(),
        "counterfactual" => "→ {change}".into(),
        "paragraph" => "{cite}: {found} — {says} ({verdict})".into(),
        "outcome" => "{decision}: {outcome}".into(),
        "supply_item" => "{fact} ({cite} {rule})".into(),
        "no_finding" => "{rule}: ?".into(),
        "not_supplied" => "? {facts}".into(),
        "above_zero" => "{value} > 0".into(),
        "points" => "{value} percentage points".into(),
        "date_item" => "{name}: {date}".into(),
        "element" => "{list} {key}".into(),
        "fact_of" => "{owner} {field}".into(),
        "list_sep" => ", ".into(),
        "or_sep" => " / ".into(),
        "unknown_group" => "{facts}: {rules}".into(),
        "rule_item" => "{cite} {rule}".into(),
        "section" => "{decision}".into(),
        "heading" => "{decisions}".into(),
        "number" => "{number}".into(),
        "consequence" => "{cite}: {measures}".into(),
        "effect" => "{cite} {rule} {measure} {subject} {amount} {roles} {until}".into(),
        "authority" | "addressee" | "opening" | "rights" | "secondary_review" | "measure"
        | "not_given" | "not_computed" | "pending" | "absent" => String::new(),
        _ => args.iter().map(|(_, v)| *v).collect::<Vec<_>>().join(" "),
    }
}

fn labels_of(program: &Program, rule: &RuleIr, v: ValueName, lang: Lang) -> String {
    let pick = |l: &crate::syntax::ast::Labels| {
        if lang == Lang::Zh {
            l.zh.clone()
        } else {
            l.en.clone()
        }
    };
    let named = match v {
        ValueName::Local(i) => rule
            .locals
            .get(i as usize)
            .and_then(|l| l.labels.as_ref().map(pick).or(Some(l.name.clone()))),
        ValueName::Global(g) => program
            .globals
            .get(g as usize)
            .and_then(|x| x.labels.as_ref().map(pick).or(Some(x.name.clone()))),
        ValueName::Fact(r, f) => program
            .schema
            .records
            .get(r as usize)
            .and_then(|x| x.fields.get(f as usize))
            .map(|x| pick(&x.labels)),
        ValueName::None => None,
    };
    named.unwrap_or_else(|| {
        rule.labels
            .as_ref()
            .map(pick)
            .unwrap_or_else(|| rule.id.clone())
    })
}

fn change(program: &Program, rule: &RuleIr, c: &Change, lang: Lang) -> String {
    let value = labels_of(program, rule, c.value, lang);
    // A percentage short of a percentage is short by points: 2.48% is 0.52 points below 3%,
    // not 0.52% below it (which would be 3% of 0.52%).
    let delta = match &c.delta {
        Shown::Percent(p) => {
            let number = numbers::percent(*p);
            phrase(
                program,
                "points",
                lang,
                &[("value", number.trim_end_matches('%'))],
            )
        }
        other => numbers::shown(other, lang),
    };
    let (actual, bound, target) = (
        numbers::shown(&c.actual, lang),
        numbers::shown(&c.bound, lang),
        numbers::shown(&c.target, lang),
    );
    // "1 yuan short of 0" says nothing: a bound of zero is "must be above zero".
    if c.increase && is_zero(&c.bound) {
        return phrase(program, "above_zero", lang, &[("value", &value)]);
    }
    let key = if c.increase { "increase" } else { "decrease" };
    phrase(
        program,
        key,
        lang,
        &[
            ("value", &value),
            ("actual", &actual),
            ("delta", &delta),
            ("bound", &bound),
            ("target", &target),
        ],
    )
}

/// What would satisfy the finding, in words; `None` when the finding is not violated or review.
pub fn counterfactual(
    program: &Program,
    rule: &RuleIr,
    says: &str,
    f: &Finding,
    lang: Lang,
) -> Option<String> {
    let cf = f.counterfactual.as_deref()?;
    Some(render(program, rule, says, cf, lang))
}

fn render(program: &Program, rule: &RuleIr, says: &str, cf: &Counterfactual, lang: Lang) -> String {
    match cf {
        Counterfactual::Change(c) => change(program, rule, c, lang),
        Counterfactual::All(parts) | Counterfactual::Any(parts) => {
            let sep = phrase(
                program,
                if matches!(cf, Counterfactual::All(_)) {
                    "all"
                } else {
                    "any"
                },
                lang,
                &[],
            );
            parts
                .iter()
                .map(|p| render(program, rule, says, p, lang))
                .collect::<Vec<_>>()
                .join(&sep)
        }
        Counterfactual::Required => phrase(program, "required", lang, &[("says", says)]),
    }
}

/// Whether a counterfactual says what the provision requires (and so needs its words).
pub fn needs_says(cf: &Counterfactual) -> bool {
    match cf {
        Counterfactual::Required => true,
        Counterfactual::Change(_) => false,
        Counterfactual::All(parts) | Counterfactual::Any(parts) => parts.iter().any(needs_says),
    }
}

fn is_zero(v: &Shown) -> bool {
    match v {
        Shown::Int(i) => *i == 0,
        Shown::Decimal(d) | Shown::Money(d) | Shown::Percent(d) => d.is_zero(),
        _ => false,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    /// The search for holes gives what replacing each key in turn with `str::replace` gave.
    #[test]
    fn holes_are_filled_as_by_replacing_in_turn() {
        let by_replace = |t: &str, args: &[(&str, &str)]| {
            let mut out = t.to_string();
            for (k, v) in args {
                out = out.replace(&format!("{{{k}}}"), v);
            }
            out
        };
        let args: &[(&str, &str)] = &[("a", "1{b}"), ("b", "二"), ("ab", "{a}"), ("c", "")];
        for t in [
            "",
            "{a}",
            "x{a}y{a}z",
            "{{a}}",
            "{a}{b}{ab}{c}",
            "{ab}{a",
            "{",
            "}{a}{",
            "中{b}文{a}",
            "{A}{ a}{a }",
            "{abc}{ab}",
        ] {
            assert_eq!(fill(t, args), by_replace(t, args), "{t:?}");
        }
        assert_eq!(replace_hole("no holes", "a", "x"), None);
    }
}
