//! Soundness of unknowns, as a property (CONTRACT 5.1): random case files made from a policy's own
//! vocabulary, some facts left out. Filling the left-out facts back in never changes a finding
//! that was known, nor an outcome other than the decision's "facts are missing" outcome; such an
//! outcome always names a missing fact; the same input gives the same bytes; nothing panics.
//!
//! Nothing here names a fact, a rule or an outcome of any policy: cases are generated from the
//! vocabulary, text values from the policy's own literals, and the "facts are missing" outcomes
//! are read off each decision (`when any unknown`, a `require`'s `unknown`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use rulebook::check::ir::{Agg, EffectIr, Ex, ForEachSrc, OutcomeWhen, Program, RecId, Src, Ty};
use rulebook::eval::findings::Status;
use rulebook::syntax::ast::StatusWord;
use rulebook::Policy;
use serde_json::{Map, Value};

/// Random choices, consumed in order; past the end every choice is 0 (so shrinking the list
/// toward zeros shrinks the case toward small lists, small numbers and nothing left out).
struct Choices<'a> {
    raw: &'a [u32],
    at: usize,
}

impl Choices<'_> {
    fn pick(&mut self, n: u32) -> u32 {
        let v = self.raw.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        if n == 0 {
            0
        } else {
            v % n
        }
    }
    /// True with probability `pct`%.
    fn chance(&mut self, pct: u32) -> bool {
        self.pick(100) < pct
    }
}

/// Text literals of the program (what `== "..."` compares against), plus keys the generator
/// gives to list elements, so that lookups by key and comparisons with literals can succeed.
fn text_pool(p: &Program) -> Vec<String> {
    fn walk(e: &Ex, out: &mut Vec<String>) {
        match e {
            Ex::Text(t) => out.push(t.to_string()),
            Ex::Field(b, _, _) | Ex::InSet(b, _) | Ex::Not(b) | Ex::Neg(b) => walk(b, out),
            Ex::Year(b) | Ex::Exists(b) | Ex::Known(b) => walk(b, out),
            Ex::Lookup(a, _, b)
            | Ex::And(a, b)
            | Ex::Or(a, b)
            | Ex::Cmp(_, a, b, _)
            | Ex::Arith(_, a, b)
            | Ex::DateShift(a, b, _)
            | Ex::DurScale(a, b) => {
                walk(a, out);
                walk(b, out);
            }
            Ex::MakeDate(a, b, c) => {
                for x in [a, b, c] {
                    walk(x, out);
                }
            }
            Ex::MinMax(_, xs) => xs.iter().for_each(|x| walk(x, out)),
            Ex::Agg(agg) => walk_agg(agg, out),
            Ex::Only { list, filter, .. } => {
                walk(list, out);
                if let Some(f) = filter {
                    walk(f, out);
                }
            }
            _ => {}
        }
    }
    fn walk_agg(a: &Agg, out: &mut Vec<String>) {
        match &a.src {
            Src::List(l, _) => walk(l, out),
            Src::Range(x, y) => {
                walk(x, out);
                walk(y, out);
            }
        }
        for x in [&a.filter, &a.body].into_iter().flatten() {
            walk(x, out);
        }
    }
    let mut out: Vec<String> = (0..4).map(|i| format!("K{i}")).collect();
    for g in &p.globals {
        walk(&g.ex, &mut out);
    }
    for r in &p.rules {
        let effects: Vec<&EffectIr> = r.then.iter().chain(&r.otherwise).collect();
        let mut exs: Vec<&Ex> = r.locals.iter().map(|l| &l.ex).collect();
        exs.extend(r.applies.iter());
        exs.extend(r.test.iter().map(|t| &t.1));
        if let Some(fe) = &r.for_each {
            exs.extend(fe.filter.iter());
            match &fe.src {
                ForEachSrc::List { list, .. } => exs.push(list),
                ForEachSrc::Range(a, b) => exs.extend([a, b]),
            }
        }
        for e in effects {
            exs.extend([&e.amount, &e.subject, &e.until].into_iter().flatten());
        }
        for x in exs {
            walk(x, &mut out);
        }
    }
    out.sort();
    out.dedup();
    out
}

/// A random value of type `ty`, and the same value with some facts left out (`None`: left out).
struct Gen<'a> {
    prog: &'a Program,
    pool: Vec<String>,
}

impl Gen<'_> {
    fn scalar(&self, ty: Ty, c: &mut Choices) -> Option<Value> {
        Some(match ty {
            Ty::Bool => Value::Bool(c.pick(2) == 1),
            Ty::Int => {
                let v = if c.pick(2) == 0 {
                    i64::from(c.pick(12))
                } else {
                    2019 + i64::from(c.pick(10))
                };
                Value::from(v)
            }
            Ty::Money | Ty::Decimal => {
                const EDGES: [&str; 8] = [
                    "0",
                    "1",
                    "1000",
                    "300000",
                    "20000000",
                    "499999999",
                    "500000000",
                    "1000000000",
                ];
                let s = match c.pick(3) {
                    0 => EDGES[c.pick(EDGES.len() as u32) as usize].to_string(),
                    1 => format!("{}", c.pick(1_000_000_000)),
                    _ => format!("{}.5", c.pick(100_000_000)),
                };
                Value::String(s)
            }
            Ty::Percent => Value::String(format!("0.{:02}", c.pick(100))),
            Ty::Date => {
                let d = chrono::NaiveDate::from_ymd_opt(2019, 1, 1).unwrap()
                    + chrono::Days::new(u64::from(c.pick(3650)));
                Value::String(d.format("%Y-%m-%d").to_string())
            }
            Ty::Text => Value::String(self.pool[c.pick(self.pool.len() as u32) as usize].clone()),
            Ty::Enum(e) => {
                let vs = &self.prog.schema.enums[e as usize].variants;
                Value::String(vs[c.pick(vs.len() as u32) as usize].clone())
            }
            Ty::Duration | Ty::Record(_) | Ty::List(_) => return None,
        })
    }

    /// A record: (the full one, the one with facts left out).
    fn record(&self, rec: RecId, depth: usize, c: &mut Choices) -> (Value, Value) {
        let schema = &self.prog.schema.records[rec as usize];
        let (mut full, mut part) = (Map::new(), Map::new());
        for (i, f) in schema.fields.iter().enumerate() {
            // The key of a list element is its identity, given by `list`.
            if schema.key == Some(i as u16) {
                continue;
            }
            // A few facts are absent from both cases: unknown either way.
            if c.chance(5) {
                continue;
            }
            let (fv, pv) = match f.ty {
                Ty::Record(r) if depth < 4 => self.record(r, depth + 1, c),
                Ty::List(r) if depth < 4 => self.list(r, depth + 1, c),
                Ty::Record(_) | Ty::List(_) => continue,
                ty => match self.scalar(ty, c) {
                    Some(v) => (v.clone(), v),
                    None => continue,
                },
            };
            full.insert(f.name.clone(), fv);
            // Left out of the partial case, to be "filled in" by the full one.
            if !c.chance(12) {
                part.insert(f.name.clone(), pv);
            }
        }
        (Value::Object(full), Value::Object(part))
    }

    fn list(&self, rec: RecId, depth: usize, c: &mut Choices) -> (Value, Value) {
        let schema = &self.prog.schema.records[rec as usize];
        let n = c.pick(if depth <= 2 { 10 } else { 4 });
        let key = schema.key.map(|k| {
            (
                schema.fields[k as usize].name.clone(),
                schema.fields[k as usize].ty,
            )
        });
        let first_year = 2019 + i64::from(c.pick(6));
        let (mut full, mut part) = (Vec::new(), Vec::new());
        for i in 0..n {
            let (mut fv, mut pv) = self.record(rec, depth, c);
            if let Some((name, ty)) = &key {
                let k = match ty {
                    Ty::Int => Value::from(first_year + i64::from(i)),
                    _ => Value::String(format!("K{i}")),
                };
                fv.as_object_mut().unwrap().insert(name.clone(), k.clone());
                pv.as_object_mut().unwrap().insert(name.clone(), k);
            }
            full.push(fv);
            part.push(pv);
        }
        (Value::Array(full), Value::Array(part))
    }

    /// A whole case file: as_of and the root record.
    fn case(&self, c: &mut Choices) -> (Value, Value) {
        let as_of = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()
            + chrono::Days::new(u64::from(c.pick(1800)));
        let (mut full, mut part) = self.record(0, 0, c);
        let d = Value::String(as_of.format("%Y-%m-%d").to_string());
        full.as_object_mut()
            .unwrap()
            .insert("as_of".into(), d.clone());
        part.as_object_mut().unwrap().insert("as_of".into(), d);
        (full, part)
    }
}

/// Per decision, the outcomes that mean "facts are missing".
fn open_outcomes(p: &Program) -> Vec<Vec<rulebook::check::ir::OutcomeId>> {
    p.decisions
        .iter()
        .map(|d| {
            let mut o: Vec<rulebook::check::ir::OutcomeId> =
                d.requires.iter().map(|r| r.unknown).collect();
            o.extend(d.outcomes.iter().enumerate().filter_map(|(i, x)| {
                matches!(x.when, OutcomeWhen::AnyStatus(StatusWord::Unknown))
                    .then_some(rulebook::check::ir::OutcomeId(i as u16))
            }));
            o
        })
        .collect()
}

/// Checks one generated case; `Err` says what broke. Returns false when the full case was
/// refused by the case reader (not a soundness question).
fn check(
    policy: &Policy,
    open: &[Vec<rulebook::check::ir::OutcomeId>],
    full: &Value,
    part: &Value,
) -> Result<bool, String> {
    let (Ok(ff), pf) = (
        policy.parse_case(&full.to_string()),
        policy.parse_case(&part.to_string()),
    ) else {
        return Ok(false);
    };
    let pf = pf.map_err(|e| format!("leaving facts out made the case unreadable: {e:?}"))?;
    let as_of = ff.as_of.ok_or("no as_of")?;
    let ef = policy.evaluate(&ff, as_of, &[]);
    let ep = policy.evaluate(&pf, as_of, &[]);
    let prog = &policy.program;
    for (dp, df) in ep.decisions.iter().zip(&ef.decisions) {
        let name = &prog.decisions[dp.decision.index()].name;
        let opens = &open[dp.decision.index()];
        for d in [dp, df] {
            if opens.contains(&d.outcome) && d.missing.is_empty() {
                return Err(format!("{name}: an open outcome names no missing fact"));
            }
        }
        if !opens.contains(&dp.outcome) && dp.outcome != df.outcome {
            return Err(format!(
                "{name}: outcome {} with facts left out, {} with them filled in",
                prog.decisions[dp.decision.index()].outcomes[dp.outcome.index()].name,
                prog.decisions[df.decision.index()].outcomes[df.outcome.index()].name
            ));
        }
        for f in dp.findings.iter().filter(|f| f.status != Status::Unknown) {
            let same =
                |x: &&rulebook::eval::findings::Finding| x.rule == f.rule && x.subject == f.subject;
            // Elements without a key share a subject: compare only unambiguous findings.
            if dp.findings.iter().filter(same).count() != 1 {
                continue;
            }
            let full_ones: Vec<_> = df.findings.iter().filter(same).collect();
            if let [g] = full_ones[..] {
                if g.status != f.status {
                    return Err(format!(
                        "{name}: rule {} ({:?}) was {:?} with facts left out, {:?} filled in",
                        prog.rules[f.rule.index()].id,
                        f.subject,
                        f.status,
                        g.status
                    ));
                }
            }
        }
    }
    // Same input, same bytes: read and evaluated again from the text.
    let again = policy
        .parse_case(&part.to_string())
        .map_err(|e| format!("{e:?}"))?;
    let a = policy.record_json(&ep);
    let b = policy.record_json(&policy.evaluate(&again, as_of, &[]));
    if a != b {
        return Err("the same case gave two different records".into());
    }
    Ok(true)
}

fn run(dir: &str) {
    let policy = Policy::load(dir).expect("the policy loads");
    let gen = Gen {
        prog: &policy.program,
        pool: text_pool(&policy.program),
    };
    let open = open_outcomes(&policy.program);
    // PROPTEST_CASES=5000 for a longer hunt; 128 keeps `cargo test` quick.
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(128);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let read = std::cell::Cell::new(0u32);
    let result = runner.run(&prop::collection::vec(any::<u32>(), 0..4000), |raw| {
        let mut c = Choices { raw: &raw, at: 0 };
        let (full, part) = gen.case(&mut c);
        match check(&policy, &open, &full, &part) {
            Ok(true) => read.set(read.get() + 1),
            Ok(false) => {}
            Err(e) => {
                return Err(TestCaseError::fail(format!(
                    "{e}\ncase: {full}\nleft out: {part}"
                )))
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{dir}: {e}");
    }
    // The generator makes case files the reader accepts: the property was really exercised.
    assert!(
        read.get() >= cases / 2,
        "{dir}: only {} of {cases} generated cases were readable",
        read.get()
    );
}

/// Every version folder of every policy under `policies/` (a folder holding `.rules` files).
fn version_folders() -> Vec<String> {
    let mut out = Vec::new();
    let dirs = |p: &std::path::Path| -> Vec<std::path::PathBuf> {
        let mut v: Vec<_> = std::fs::read_dir(p)
            .map(|rd| {
                rd.flatten()
                    .map(|e| e.path())
                    .filter(|p| p.is_dir())
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    };
    for policy in dirs(std::path::Path::new("policies")) {
        for version in dirs(&policy) {
            let has_rules = std::fs::read_dir(&version)
                .map(|rd| {
                    rd.flatten()
                        .any(|e| e.path().extension().is_some_and(|x| x == "rules"))
                })
                .unwrap_or(false);
            if has_rules {
                out.push(version.display().to_string());
            }
        }
    }
    out
}

#[test]
fn filling_in_facts_never_changes_what_was_known_in_every_policy_version() {
    let versions = version_folders();
    assert!(!versions.is_empty(), "no policy versions under policies/");
    for v in versions {
        run(&v);
    }
}

#[test]
fn filling_in_facts_never_changes_what_was_known_in_the_lending_fixture() {
    run("tests/fixtures/library-lending");
}
