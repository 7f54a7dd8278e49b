//! Counterfactuals and letter phrases in words, from the policy's `wording` block. A policy that
//! gives no wording gets plain symbols, never sentences written in Rust.

use super::numbers::{self, Lang};
use crate::check::ir::{Program, RuleIr};
use crate::eval::findings::{Change, Counterfactual, Finding, ValueName};

/// The policy's phrase for `key`, its `{holes}` filled from `args`.
pub fn phrase(program: &Program, key: &str, lang: Lang, args: &[(&str, &str)]) -> String {
    let template = program
        .wording
        .get(key, lang)
        .map(str::to_string)
        .unwrap_or_else(|| fallback(key, args));
    fill(&template, args)
}

fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (k, v) in args {
        out = out.replace(&format!("{{{k}}}"), v);
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
        "date" => "{date}".into(),
        "no_finding" => "{rule}: ?".into(),
        "not_supplied" => "? {facts}".into(),
        "not_examined_item" => "{decision}: {outcome} ({facts})".into(),
        _ => args.iter().map(|(_, v)| *v).collect::<Vec<_>>().join(" "),
    }
}

fn labels_of(program: &Program, rule: &RuleIr, v: ValueName, lang: Lang) -> String {
    let pick = |l: &crate::syntax::ast::Labels| l.pick(lang).to_string();
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
