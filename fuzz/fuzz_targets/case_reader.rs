//! Arbitrary bytes as a case file of the measures' policy, read strictly and leniently; what
//! reads is evaluated and written as a record. Never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rulebook::{Policy, ReadOptions};
use std::sync::OnceLock;

fn policy() -> Option<&'static Policy> {
    static P: OnceLock<Option<Policy>> = OnceLock::new();
    P.get_or_init(|| Policy::load(concat!(env!("CARGO_MANIFEST_DIR"), "/../policies")).ok())
        .as_ref()
}

fuzz_target!(|data: &[u8]| {
    let Some(policy) = policy() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for lenient in [false, true] {
        if let Ok(facts) = policy.parse_case_with(text, ReadOptions { lenient }) {
            if let Some(as_of) = facts.as_of {
                let eval = policy.evaluate(&facts, as_of, &[]);
                let _ = policy.record_json(&eval);
            }
        }
    }
});
