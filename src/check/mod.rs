//! Syntax trees to a typed, resolved program; every error of a run is collected.

mod cites;
pub mod error;
mod expr;
pub mod ir;
mod ir_serde;
pub mod law;
mod program;
pub mod range;
mod rule;
mod schema;
mod thresholds;

pub use error::{Code, Diagnostic};
pub use expr::ty_name;

use crate::source::SourceMap;
use crate::syntax::ast::Item;
use std::path::{Path, PathBuf};

/// The result of checking: the program and what the law-coverage check counted.
pub struct Checked {
    pub program: ir::Program,
    pub coverage: Option<law::Coverage>,
    /// What does not stop the policy but a letter would show badly: a value without words, an
    /// amount the cited article does not quote.
    pub warnings: Vec<Diagnostic>,
    /// The header's `source` file, as it was read for the coverage check: a cached copy of this
    /// check is good only while that file is unchanged too.
    pub source_file: Option<(PathBuf, String)>,
}

/// Every enumeration value needs words for letters; one without is shown by its code.
fn unlabelled(program: &ir::Program) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for en in &program.schema.enums {
        for ((v, l), span) in en.variants.iter().zip(&en.labels).zip(&en.spans) {
            if l.is_none() {
                out.push(
                    Diagnostic::new(
                        Code::BadVocabulary,
                        *span,
                        format!("the value `{v}` has no words for letters"),
                    )
                    .help(format!("write `{v} \"中文\" | \"English\"`")),
                );
            }
        }
    }
    out
}

/// Check the items of every file. `dir` is where the header's `source` is looked up.
pub fn check(
    items: Vec<Item>,
    sources: &SourceMap,
    dir: &Path,
) -> Result<Checked, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let assembled = program::assemble(items, sources, &mut diags);
    let mut coverage = None;
    let mut source_file = None;
    if let Some((path, span)) = &assembled.source_path {
        let full = dir.join(path);
        match std::fs::read_to_string(&full) {
            Ok(text) => {
                let arts = law::split_articles(&text);
                coverage = Some(law::check(
                    &arts,
                    &assembled.program.articles,
                    &assembled.squeezed,
                    &assembled.program.rules,
                    &mut diags,
                ));
                source_file = Some((full, text));
            }
            Err(e) => diags.push(Diagnostic::new(
                Code::Io,
                *span,
                format!("cannot read the source text `{path}`: {e}"),
            )),
        }
    }
    // One mistake, one error: the same message at the same place is reported once.
    let mut seen = Vec::new();
    diags.retain(|d| {
        let key = (d.code, d.span, d.message.clone());
        if seen.contains(&key) {
            false
        } else {
            seen.push(key);
            true
        }
    });
    let (mut warnings, errors): (Vec<Diagnostic>, Vec<Diagnostic>) =
        diags.into_iter().partition(|d| d.code.is_warning());
    if errors.is_empty() {
        warnings.extend(unlabelled(&assembled.program));
        Ok(Checked {
            program: assembled.program,
            coverage,
            warnings,
            source_file,
        })
    } else {
        Err(errors)
    }
}
