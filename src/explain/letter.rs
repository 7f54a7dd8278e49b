//! `--format letter`: the explanation part of a decision letter, as Markdown, in Chinese or English.
//! All wording about the policy comes from its rule files; this file only arranges it.

use super::numbers::{self, Lang};
use crate::check::ir::Cite;
use crate::check::law::chinese_numeral;
use crate::eval::findings::{Status, Subject};
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
    let zh = lang == Lang::Zh;
    let mut out = String::new();
    out.push_str(&format!("# 《{}》（{}）\n\n", meta.title, meta.number));
    out.push_str(&if zh {
        format!("决定日期：{}\n\n", numbers::date(eval.as_of, lang))
    } else {
        format!("Date of decision: {}\n\n", numbers::date(eval.as_of, lang))
    });
    for d in &eval.decisions {
        let dec = &prog.decisions[d.decision as usize];
        let label = |l: &Option<crate::syntax::ast::Labels>, fallback: &str| {
            l.as_ref().map(|l| if zh { l.zh.clone() } else { l.en.clone() }).unwrap_or_else(|| fallback.to_string())
        };
        let outcome = dec.outcomes.get(d.outcome as usize);
        let outcome_label = outcome.map(|o| label(&o.labels, &o.name)).unwrap_or_default();
        let dec_label = label(&dec.labels, &dec.name);
        out.push_str(&format!("## {dec_label}\n\n"));
        out.push_str(&if zh {
            format!("经审核，{dec_label}的结论为：**{outcome_label}**。\n\n")
        } else {
            format!("Having reviewed the case, the {dec_label} decision is: **{outcome_label}**.\n\n")
        });
        let title = &meta.title;
        for f in &d.findings {
            if !matches!(f.status, Status::Violated | Status::Review | Status::Unknown) {
                continue;
            }
            let rule = &prog.rules[f.rule as usize];
            let c = cite(&rule.cite, lang);
            let msg = policy.message(f, lang);
            let who = subject(&f.subject);
            let who = if who.is_empty() { String::new() } else if zh { format!("（{who}）") } else { format!(" ({who})") };
            let verdict = match (f.status, zh) {
                (Status::Violated, true) => "不符合该项条件",
                (Status::Review, true) => "原则上不符合该项要求，需进一步审核",
                (_, true) => "材料不足，无法认定",
                (Status::Violated, false) => "the condition is not met",
                (Status::Review, false) => "this is not met in principle and needs further review",
                (_, false) => "the materials do not allow a finding",
            };
            out.push_str(&if zh {
                format!("- 根据《{title}》{c}，{msg}{who}，{verdict}。\n")
            } else {
                format!("- Under {c} of the {title}: {msg}{who}; {verdict}.\n")
            });
        }
        if !d.effects.is_empty() {
            out.push('\n');
            for e in &d.effects {
                let rule = &prog.rules[e.rule as usize];
                let c = cite(&rule.cite, lang);
                let mut line = format!("- {} {}", c, e.kind);
                if let Some(m) = &e.measure {
                    line.push_str(&format!(" `{m}`"));
                }
                let who = subject(&e.subject);
                if !who.is_empty() {
                    line.push_str(&format!(" ({who})"));
                }
                if let Some(a) = e.amount {
                    let m = numbers::money(a, lang);
                    line.push_str(&if zh { format!("，金额{m}") } else { format!(", amount {m}") });
                }
                if !e.roles.is_empty() {
                    let r = e.roles.join(", ");
                    line.push_str(&if zh { format!("，限制担任：{r}") } else { format!(", barred from: {r}") });
                }
                if let Some(day) = e.last_day {
                    let dd = numbers::date(day, lang);
                    line.push_str(&if zh { format!("，至{dd}止") } else { format!(", until {dd} inclusive") });
                }
                out.push_str(&line);
                out.push('\n');
            }
        }
        if !d.missing.is_empty() {
            out.push_str(if zh { "\n请补充以下材料：\n" } else { "\nPlease supply:\n" });
            for m in &d.missing {
                out.push_str(&format!("- {}\n", fact_label(policy, m, lang)));
            }
        }
        out.push('\n');
    }
    out
}

/// A missing fact's path in the vocabulary's labels: `school.classes[7b].pupils` becomes
/// `学校·班级[7b]·学生人数（`school.classes[7b].pupils`）`.
pub fn fact_label(policy: &Policy, path: &str, lang: Lang) -> String {
    let schema = &policy.program.schema;
    let mut rec = 0usize;
    let mut parts = Vec::new();
    for seg in path.split('.') {
        let (name, idx) = match seg.find('[') {
            Some(i) => (&seg[..i], &seg[i..]),
            None => (seg, ""),
        };
        let Some(r) = schema.records.get(rec) else { break };
        let Some(f) = r.fields.iter().find(|f| f.name == name) else {
            parts.push(seg.to_string());
            continue;
        };
        let l = if lang == Lang::Zh { &f.labels.zh } else { &f.labels.en };
        parts.push(format!("{l}{idx}"));
        if let crate::check::ir::Ty::Record(x) | crate::check::ir::Ty::List(x) = f.ty {
            rec = x as usize;
        }
    }
    format!("{}（`{path}`）", parts.join(if lang == Lang::Zh { "·" } else { " › " }))
}
