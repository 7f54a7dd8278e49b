//! Prometheus text exposition, written by hand: requests by route and status, a latency
//! histogram by route, decisions by outcome, reloads by result.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;

const BUCKETS: [f64; 14] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    sum: f64,
    total: u64,
}

#[derive(Default)]
struct Data {
    requests: BTreeMap<(String, String, u16), u64>,
    latency: BTreeMap<String, Histogram>,
    decisions: BTreeMap<(String, String), u64>,
    reloads: BTreeMap<&'static str, u64>,
}

#[derive(Default)]
pub struct Metrics {
    data: Mutex<Data>,
}

impl Metrics {
    fn with<T>(&self, f: impl FnOnce(&mut Data) -> T) -> T {
        match self.data.lock() {
            Ok(mut g) => f(&mut g),
            Err(p) => f(&mut p.into_inner()),
        }
    }

    pub fn request(&self, route: &str, method: &str, status: u16, seconds: f64) {
        self.with(|d| {
            *d.requests
                .entry((route.to_string(), method.to_string(), status))
                .or_default() += 1;
            let h = d.latency.entry(route.to_string()).or_default();
            for (i, b) in BUCKETS.iter().enumerate() {
                if seconds <= *b {
                    h.counts[i] += 1;
                }
            }
            h.sum += seconds;
            h.total += 1;
        })
    }

    pub fn decisions<'a>(&self, outcomes: impl Iterator<Item = (&'a str, &'a str)>) {
        self.with(|d| {
            for (dec, out) in outcomes {
                *d.decisions
                    .entry((dec.to_string(), out.to_string()))
                    .or_default() += 1;
            }
        })
    }

    pub fn reload(&self, ok: bool) {
        self.with(|d| {
            *d.reloads
                .entry(if ok { "ok" } else { "failed" })
                .or_default() += 1
        })
    }

    pub fn render(&self, policy_loaded: bool) -> String {
        self.with(|d| {
            let mut s = String::new();
            s.push_str("# HELP rulebook_http_requests_total HTTP requests by route, method and status.\n# TYPE rulebook_http_requests_total counter\n");
            for ((route, method, status), n) in &d.requests {
                let _ = writeln!(
                    s,
                    "rulebook_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{status}\"}} {n}",
                    label(route),
                    label(method)
                );
            }
            s.push_str("# HELP rulebook_http_request_duration_seconds Time to the response head, by route.\n# TYPE rulebook_http_request_duration_seconds histogram\n");
            for (route, h) in &d.latency {
                let route = label(route);
                for (i, b) in BUCKETS.iter().enumerate() {
                    let _ = writeln!(
                        s,
                        "rulebook_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{b}\"}} {}",
                        h.counts[i]
                    );
                }
                let _ = writeln!(
                    s,
                    "rulebook_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                    h.total
                );
                let _ = writeln!(
                    s,
                    "rulebook_http_request_duration_seconds_sum{{route=\"{route}\"}} {}",
                    h.sum
                );
                let _ = writeln!(
                    s,
                    "rulebook_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                    h.total
                );
            }
            s.push_str("# HELP rulebook_decisions_total Decisions served, by decision and outcome.\n# TYPE rulebook_decisions_total counter\n");
            for ((dec, out), n) in &d.decisions {
                let _ = writeln!(
                    s,
                    "rulebook_decisions_total{{decision=\"{}\",outcome=\"{}\"}} {n}",
                    label(dec),
                    label(out)
                );
            }
            s.push_str("# HELP rulebook_reloads_total Policy reloads, by result.\n# TYPE rulebook_reloads_total counter\n");
            for result in ["ok", "failed"] {
                let _ = writeln!(
                    s,
                    "rulebook_reloads_total{{result=\"{result}\"}} {}",
                    d.reloads.get(result).copied().unwrap_or(0)
                );
            }
            s.push_str("# HELP rulebook_policy_loaded Whether a valid policy is serving.\n# TYPE rulebook_policy_loaded gauge\n");
            let _ = writeln!(s, "rulebook_policy_loaded {}", u8::from(policy_loaded));
            s
        })
    }
}

/// A label value escaped as the exposition format asks.
fn label(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}
