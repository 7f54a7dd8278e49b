//! `cargo bench --bench engine`: load, parse + evaluate + write, against a hand-written floor, and
//! a 10,000-case batch. See README.md for the figures on this machine.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use rulebook::{Policy, RecordMode};

mod floor;

fn case() -> String {
    let text =
        std::fs::read_to_string("benches/cases/filing-12-members.json").expect("the bench case");
    // One line, as a filing system sends it.
    serde_json::from_str::<serde_json::Value>(&text)
        .expect("JSON")
        .to_string()
}

fn load(c: &mut Criterion) {
    c.bench_function("load policies/ (parse + check + compile)", |b| {
        b.iter(|| Policy::load(black_box("policies")).expect("loads"))
    });
    // The same through the load cache, after a first load kept the copy (a later CLI call, a
    // reload of an unchanged version).
    let cache = rulebook::Cache::at("target/bench-cache");
    Policy::load_with("policies", Some(&cache)).expect("loads");
    c.bench_function("load policies/ from the load cache", |b| {
        b.iter(|| Policy::load_with(black_box("policies"), Some(&cache)).expect("loads"))
    });
}

fn per_case(c: &mut Criterion) {
    let policy = Policy::load("policies").expect("loads");
    let json = case();
    let filing = policy.decision_index("filing").expect("filing");
    let facts = policy.parse_case(&json).expect("parses");
    let as_of = facts.as_of.expect("as_of");
    let mut g = c.benchmark_group("filing, 12 members");
    g.throughput(Throughput::Bytes(json.len() as u64));
    g.bench_function("rulebook: parse", |b| {
        b.iter(|| policy.parse_case(black_box(&json)).expect("parses"))
    });
    g.bench_function("rulebook: evaluate", |b| {
        b.iter(|| policy.evaluate(black_box(&facts), as_of, &[filing]))
    });
    g.bench_function("rulebook: parse + evaluate", |b| {
        b.iter(|| {
            let f = policy.parse_case(black_box(&json)).expect("parses");
            policy.evaluate(&f, as_of, &[filing])
        })
    });
    let eval = policy.evaluate(&facts, as_of, &[filing]);
    let mut out = String::with_capacity(64 * 1024);
    g.bench_function("rulebook: write record", |b| {
        b.iter(|| {
            out.clear();
            policy.write_record(black_box(&eval), &mut out);
        })
    });
    g.bench_function("rulebook: write lean record", |b| {
        b.iter(|| {
            out.clear();
            policy.write_record_as(black_box(&eval), RecordMode::Lean, &mut out);
        })
    });
    g.bench_function("rulebook: parse + evaluate + write lean", |b| {
        b.iter(|| {
            out.clear();
            let f = policy.parse_case(black_box(&json)).expect("parses");
            let e = policy.evaluate(&f, as_of, &[filing]);
            policy.write_record_as(&e, RecordMode::Lean, &mut out);
        })
    });
    g.bench_function("rulebook: parse + evaluate + write", |b| {
        b.iter(|| {
            out.clear();
            let f = policy.parse_case(black_box(&json)).expect("parses");
            let e = policy.evaluate(&f, as_of, &[filing]);
            policy.write_record(&e, &mut out);
        })
    });
    let parsed: floor::Case = serde_json::from_str(&json).expect("floor parses");
    assert_eq!(floor::decide(&parsed), floor::Outcome::Eligible);
    g.bench_function("floor: parse", |b| {
        b.iter(|| serde_json::from_str::<floor::Case>(black_box(&json)).expect("parses"))
    });
    g.bench_function("floor: decide", |b| {
        b.iter(|| floor::decide(black_box(&parsed)))
    });
    g.bench_function("floor: parse + decide", |b| {
        b.iter(|| {
            let p: floor::Case = serde_json::from_str(black_box(&json)).expect("parses");
            floor::decide(&p)
        })
    });
    g.finish();
}

fn batch(c: &mut Criterion) {
    let policy = Policy::load("policies").expect("loads");
    let filing = policy.decision_index("filing").expect("filing");
    let line = case();
    let input: String = (0..10_000).map(|_| format!("{line}\n")).collect();
    let mut g = c.benchmark_group("batch");
    g.sample_size(10);
    g.throughput(Throughput::Elements(10_000));
    g.bench_function("eval --batch --decision filing, 10,000 cases", |b| {
        b.iter(|| {
            rulebook::cli::batch(&policy, input.as_bytes(), std::io::sink(), &[filing], None)
                .expect("runs")
        })
    });
    g.finish();
}

criterion_group!(benches, load, per_case, batch);
criterion_main!(benches);
