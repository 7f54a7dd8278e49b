//! `--format letter`: the explanation part of a decision letter, as Markdown, in Chinese or English.
//! Every phrase comes from the policy: its title, the rules' messages, and its `wording` block.

use super::numbers::{self, Lang};
use super::wording::phrase;
use crate::check::ir::{Cite, Ty};
use crate::check::law::chinese_numeral;
use crate::eval::findings::{Status, Subject};
use crate::syntax::ast::Labels;
use crate::{Evaluation, Policy};

/// 第六条第（二）项第3目 / Article 6(2), point 3.
pub fn cite(c: &Cite, lang: Lang) -> String {
    match lang {
        Lang::Zh => {
            let mut s = format!("第{}条", chinese_numeral(c.article));
            if let Some(i) = c.item {
                s.push_str(&format!("第（{}）项", chinese_numeral(i)));
            }
            if let Some(sub) = c.sub {
                s.push_str(&format!("第{sub}目"));
            }
            s
        }
        Lang::En => {
            let mut s = format!("Article {}", c.article);
            if let Some(i) = c.item {
                s.push_str(&format!("({i})"));
            }
            if let Some(sub) = c.sub {
                s.push_str(&format!(", point {sub}"));
            }
            s
        }
    }
}

fn pick(l: &Option<Labels>, fallback: &str, lang: Lang) -> String {
    l.as_ref()
        .map(|l| l.pick(lang).to_string())
        .unwrap_or_else(|| fallback.to_string())
}

fn subject(s: &Subject) -> String {
    match s {
        Subject::None => String::new(),
        Subject::Int(i) => i.to_string(),
        Subject::Text(t) => t.to_string(),
    }
}

pub fn render(policy: &Policy, eval: &Evaluation, lang: Lang) -> String {
    let prog = &policy.program;
    let meta = &prog.meta;
    let title = if lang == Lang::En && !meta.title_en.is_empty() {
        &meta.title_en
    } else {
        &meta.title
    };
    let mut out = match lang {
        Lang::Zh => format!("# 《{title}》（{}）\n\n", meta.number),
        Lang::En => format!("# {title} ({})\n\n", meta.number),
    };
    out.push_str(&phrase(
        prog,
        "date",
        lang,
        &[("date", &numbers::date(eval.as_of, lang))],
    ));
    out.push_str("\n\n");
    let sep = if lang == Lang::Zh { "、" } else { ", " };
    let mut not_examined = Vec::new();
    for d in &eval.decisions {
        let dec = &prog.decisions[d.decision.index()];
        let dec_label = pick(&dec.labels, &dec.name, lang);
        let outcome = dec
            .outcomes
            .get(d.outcome.index())
            .map(|o| pick(&o.labels, &o.name, lang))
            .unwrap_or_default();
        // A decision that stopped at its preconditions examined nothing: one line at the end.
        if d.stopped_at_require {
            let facts: Vec<String> = d
                .missing
                .iter()
                .map(|p| fact_label(prog, p, lang))
                .collect();
            not_examined.push(phrase(
                prog,
                "not_examined_item",
                lang,
                &[
                    ("decision", &dec_label),
                    ("outcome", &outcome),
                    ("facts", &facts.join(sep)),
                ],
            ));
            continue;
        }
        out.push_str(&format!("## {dec_label}\n\n"));
        out.push_str(&phrase(
            prog,
            "outcome",
            lang,
            &[
                ("decision", &dec_label),
                ("outcome", &format!("**{outcome}**")),
            ],
        ));
        out.push_str("\n\n");
        for f in &d.findings {
            let rule = &prog.rules[f.rule.index()];
            let verdict_key = match f.status {
                Status::Violated => "violated",
                Status::Review => "review",
                Status::Unknown => "unknown",
                // The exception that set other rules aside decided the outcome: cite it.
                Status::Exempt if !rule.overrides.is_empty() => "exempt",
                _ => continue,
            };
            let (mut found, says) = policy.message_parts(f, lang);
            if f.status == Status::Unknown {
                // Say which facts are missing rather than a sentence full of unknowns.
                let facts: Vec<String> = d
                    .missing
                    .iter()
                    .zip(&d.missing_rules)
                    .filter(|(_, rules)| rules.contains(&f.rule))
                    .map(|(p, _)| fact_label(prog, p, lang))
                    .collect();
                if !facts.is_empty() {
                    found = Some(phrase(
                        prog,
                        "not_supplied",
                        lang,
                        &[("facts", &facts.join(sep))],
                    ));
                }
            }
            let who = subject(&f.subject);
            let mut para = phrase(
                prog,
                "paragraph",
                lang,
                &[
                    ("title", title),
                    ("cite", &cite(&rule.cite, lang)),
                    ("says", &says.unwrap_or_default()),
                    ("found", &found.unwrap_or_default()),
                    ("verdict", &phrase(prog, verdict_key, lang, &[])),
                    ("subject", &who),
                ],
            );
            // "What is required" would repeat the paragraph's own requirement.
            let only_required = matches!(
                f.counterfactual.as_deref(),
                Some(crate::eval::findings::Counterfactual::Required)
            );
            if let (Some(change), false) = (policy.counterfactual(f, lang), only_required) {
                para.push_str(&phrase(
                    prog,
                    "counterfactual",
                    lang,
                    &[("change", &change)],
                ));
            }
            out.push_str(&format!("{para}\n\n"));
        }
        if !d.effects.is_empty() {
            out.push_str(&phrase(prog, "effects", lang, &[]));
            out.push('\n');
            for e in &d.effects {
                let rule = &prog.rules[e.rule.index()];
                let mut line = format!("- {} `{}`", cite(&rule.cite, lang), e.kind);
                if let Some(m) = &e.measure {
                    line.push_str(&format!(" `{m}`"));
                }
                let who = subject(&e.subject);
                if !who.is_empty() {
                    line.push_str(&format!(" {who}"));
                }
                if let Some(a) = e.amount {
                    line.push_str(&format!(" {}", numbers::money(a, lang)));
                }
                if !e.roles.is_empty() {
                    line.push_str(&format!(" [{}]", e.roles.join(", ")));
                }
                if let Some(day) = e.last_day {
                    line.push_str(&format!(" → {}", numbers::date(day, lang)));
                }
                out.push_str(&line);
                out.push('\n');
            }
            out.push('\n');
        }
        for (i, day) in &d.dates {
            let name = &dec.dates[i.index()];
            out.push_str(&format!(
                "{}: {}\n\n",
                pick(&name.labels, &name.name, lang),
                numbers::date(*day, lang)
            ));
        }
        if !d.missing.is_empty() {
            out.push_str(&phrase(prog, "supply", lang, &[]));
            out.push('\n');
            for (path, rules) in d.missing.iter().zip(&d.missing_rules) {
                let cites: Vec<String> = rules
                    .iter()
                    .map(|r| cite(&prog.rules[r.index()].cite, lang))
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .collect();
                let names: Vec<String> = rules
                    .iter()
                    .map(|r| {
                        pick(
                            &prog.rules[r.index()].labels,
                            &prog.rules[r.index()].id,
                            lang,
                        )
                    })
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .collect();
                if rules.is_empty() {
                    out.push_str(&format!("- {}\n", fact_label(prog, path, lang)));
                    continue;
                }
                let item = phrase(
                    prog,
                    "supply_item",
                    lang,
                    &[
                        ("fact", &fact_label(prog, path, lang)),
                        ("cite", &cites.join(", ")),
                        ("rule", &names.join(", ")),
                    ],
                );
                out.push_str(&format!("- {item}\n"));
            }
            out.push('\n');
        }
    }
    if !not_examined.is_empty() {
        out.push_str(&phrase(prog, "not_examined", lang, &[]));
        out.push('\n');
        for line in not_examined {
            out.push_str(&format!("- {line}\n"));
        }
        out.push('\n');
    }
    out
}

/// A fact's path in the vocabulary's labels: an element picked by a named value (`[head]`) takes
/// that value's label, an element picked by key keeps its key, e.g.
/// `school.classes[head].pupils` → `班主任班级·学生人数`.
pub fn fact_label(prog: &crate::check::ir::Program, path: &str, lang: Lang) -> String {
    let schema = &prog.schema;
    let mut rec = 0usize;
    let mut parts: Vec<String> = Vec::new();
    for seg in path.split('.') {
        let (name, key) = match seg.find('[') {
            Some(i) => (&seg[..i], Some(seg[i + 1..].trim_end_matches(']'))),
            None => (seg, None),
        };
        let Some(f) = schema
            .records
            .get(rec)
            .and_then(|r| r.fields.iter().find(|f| f.name == name))
        else {
            parts.push(seg.to_string());
            continue;
        };
        let label = f.labels.pick(lang).to_string();
        let named = key.and_then(|k| {
            prog.globals
                .iter()
                .find(|g| g.name == k && matches!(g.ty, Ty::Record(_)))
        });
        parts.push(match (named, key) {
            (Some(g), _) => pick(&g.labels, &g.name, lang),
            (None, Some(k)) => format!("{label}[{k}]"),
            (None, None) => label,
        });
        if let Ty::Record(x) | Ty::List(x) = f.ty {
            rec = x as usize;
        }
    }
    // The root record's label adds nothing to a letter about that very thing.
    if parts.len() > 1 {
        parts.remove(0);
    }
    parts.join(if lang == Lang::Zh { "·" } else { " › " })
}
