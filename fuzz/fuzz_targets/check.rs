//! Arbitrary rule text through the parser and the checker: any input gives items or
//! diagnostics, never a panic or a stack overflow.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rulebook::source::{SourceFile, SourceMap};
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(items) = rulebook::syntax::parse_file(0, text) else {
        return;
    };
    let sources = SourceMap {
        files: vec![SourceFile {
            name: "fuzz.rules".into(),
            label: "fuzz.rules".into(),
            text: text.into(),
        }],
    };
    // No `source.txt` there: a header naming one gets a diagnostic, which is fine.
    let _ = rulebook::check::check(items, &sources, Path::new("/nonexistent"));
});
