//! Fill a rule's message templates with the values of one finding.

use super::numbers::{self, Lang};
use crate::check::ir::{RuleIr, Template, TemplatePart};
use crate::eval::findings::{Finding, Subject};

pub fn fill(t: &Template, f: &Finding, lang: Lang) -> String {
    let mut s = String::new();
    for p in &t.parts {
        match p {
            TemplatePart::Lit(l) => s.push_str(l),
            TemplatePart::Local(i) => match f.values.get(*i) {
                Some(v) => s.push_str(&numbers::shown(v, lang)),
                None => s.push('?'),
            },
            TemplatePart::Subject => match &f.subject {
                Subject::None => {}
                Subject::Int(i) => s.push_str(&i.to_string()),
                Subject::Text(t) => s.push_str(t),
            },
        }
    }
    s
}

/// The finding's message: what was found, then what the provision requires.
pub fn message(rule: &RuleIr, f: &Finding, lang: Lang) -> String {
    let pick = |p: &crate::check::ir::TemplatePair| if lang == Lang::Zh { fill(&p.zh, f, lang) } else { fill(&p.en, f, lang) };
    let found = rule.found.as_ref().map(pick);
    let says = rule.says.as_ref().map(pick);
    let sep = if lang == Lang::Zh { "；" } else { "; " };
    match (found, says) {
        (Some(a), Some(b)) => format!("{a}{sep}{b}"),
        (Some(a), None) | (None, Some(a)) => a,
        (None, None) => rule.labels.as_ref().map(|l| if lang == Lang::Zh { l.zh.clone() } else { l.en.clone() }).unwrap_or_else(|| rule.id.clone()),
    }
}
