//! Counterfactuals and letter phrases in words, from the policy's `wording` block. A policy that
//! gives no wording gets plain symbols, never sentences written in Rust.

use super::numbers::{self, Lang};
use crate::check::ir::{Program, RuleIr};
use crate::eval::findings::{Change, Counterfactual, Finding, ValueName};

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

/// Each `{key}` replaced in turn (a value may itself hold a later key, as before); a key the text
/// does not hold costs a search, not a copy.
fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    let mut hole = String::new();
    for (k, v) in args {
        hole.clear();
        hole.push('{');
        hole.push_str(k);
        hole.push('}');
        if out.contains(hole.as_str()) {
            out = out.replace(hole.as_str(), v);
        }
    }
    out
}

fn fallback(key: &str, args: &[(&str, &str)]) -> String {
    match key {
        "increase" => "{value}: {actual} → {bound} (+{delta})".into(),
        "decrease" => "{value}: {actual} → {bound} (−{delta})".into(),
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
        | "not_given" | "absent" => String::new(),
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
    let (actual, delta, bound) = (
        numbers::shown(&c.actual, lang),
        numbers::shown(&c.delta, lang),
        numbers::shown(&c.bound, lang),
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

fn is_zero(v: &crate::eval::findings::Shown) -> bool {
    use crate::eval::findings::Shown;
    match v {
        Shown::Int(i) => *i == 0,
        Shown::Decimal(d) | Shown::Money(d) | Shown::Percent(d) => d.is_zero(),
        _ => false,
    }
}
