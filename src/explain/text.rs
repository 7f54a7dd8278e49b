//! `--format text`: a headline per decision, then each finding that is not satisfied as a miette
//! diagnostic pointing into its rule file, then a tally of what was satisfied.

use super::numbers::Lang;
use crate::eval::findings::{Status, Subject};
use crate::render::Report;
use crate::{Evaluation, Policy};

pub fn render(policy: &Policy, eval: &Evaluation, lang: Lang, colour: bool) -> String {
    let prog = &policy.program;
    let mut out = String::new();
    for d in &eval.decisions {
        let dec = &prog.decisions[d.decision.index()];
        let outcome = dec.outcomes.get(d.outcome.index());
        let outcome_name = outcome.map_or("", |o| o.name.as_str());
        let outcome_label = outcome
            .and_then(|o| o.labels.as_ref())
            .map(|l| l.pick(lang == Lang::Zh).to_string())
            .unwrap_or_default();
        out.push_str(&format!(
            "== {} → {} {} (as of {}; policy {} {}, {})\n",
            dec.name,
            outcome_name,
            if outcome_label.is_empty() {
                String::new()
            } else {
                format!("({outcome_label})")
            },
            eval.as_of.format("%Y-%m-%d"),
            prog.meta.id,
            prog.meta.version,
            policy.digest
        ));
        let mut satisfied = 0;
        let mut exempt = 0;
        for f in &d.findings {
            match f.status {
                Status::Satisfied => satisfied += 1,
                Status::Exempt => exempt += 1,
                _ => {
                    let rule = &prog.rules[f.rule.index()];
                    let subject = match &f.subject {
                        Subject::None => String::new(),
                        Subject::Int(i) => format!(" [{i}]"),
                        Subject::Text(t) => format!(" [{t}]"),
                    };
                    let severity = match f.status {
                        Status::Violated => miette::Severity::Error,
                        Status::Review => miette::Severity::Warning,
                        _ => miette::Severity::Advice,
                    };
                    let msg = format!(
                        "{} {}{}: {}",
                        f.status.as_str(),
                        rule.cite.text,
                        subject,
                        policy.finding_message(d, f, lang)
                    );
                    // The label carries what was found, with the actual values; when that would
                    // state values the rules could not work out ("from ? to 2025 the mean was
                    // ?"), the facts the finding lacks instead.
                    let found = policy
                        .messages()
                        .found_lacks_a_computed_value(f)
                        .then(|| super::message::Messages::missing_text(prog, d, f, lang))
                        .flatten()
                        .or_else(|| policy.message_parts(f, lang).0);
                    let label = found.unwrap_or_else(|| {
                        rule.locals
                            .iter()
                            .zip(&f.values)
                            .map(|(l, v)| {
                                format!("{} = {}", l.name, super::numbers::shown(v, lang))
                            })
                            .collect::<Vec<_>>()
                            .join(", ")
                    });
                    let mut r = Report::new(&rule.id, msg, severity).at_label(
                        &policy.sources,
                        rule.test_span.unwrap_or(rule.span),
                        label,
                    );
                    let mut help = Vec::new();
                    if let Some(change) = policy.counterfactual(f, lang) {
                        help.push(change);
                    }
                    if let Some(a) = prog.articles.iter().find(|a| a.number == rule.cite.article) {
                        let text =
                            crate::check::law::excerpt(&a.text, rule.cite.item, rule.cite.sub);
                        let short: String = text.chars().take(200).collect();
                        help.push(if short.len() < text.len() {
                            format!("{short}…")
                        } else {
                            short
                        });
                    }
                    r.help = (!help.is_empty()).then(|| help.join("\n"));
                    out.push_str(&r.render(colour));
                }
            }
        }
        for e in &d.effects {
            out.push_str(&format!(
                "  effect: {} {} {}{}{}\n",
                e.kind,
                prog.rules[e.rule.index()].cite.text,
                e.measure.clone().unwrap_or_default(),
                e.amount
                    .map(|a| format!(" {}", super::numbers::money(a, lang)))
                    .unwrap_or_default(),
                e.last_day
                    .map(|d| format!(" until {}", d.format("%Y-%m-%d")))
                    .unwrap_or_default()
            ));
        }
        for m in &d.missing {
            let cites: Vec<&str> = m
                .rules
                .iter()
                .map(|r| prog.rules[r.index()].cite.text.as_str())
                .collect();
            out.push_str(&format!(
                "  missing: {} ({}) for {}\n",
                super::facts::label(prog, m, None, lang),
                m.path(prog),
                cites.join(", ")
            ));
        }
        out.push_str(&format!("  {satisfied} satisfied, {exempt} exempt\n\n"));
    }
    // A lenient read skipped these fields: the reader of the report must know what was not used.
    for w in &eval.warnings {
        let head = if lang == Lang::Zh {
            "警告"
        } else {
            "warning"
        };
        out.push_str(&format!("{head}: {w}\n"));
    }
    out
}
