//! rulebook: a regulation as policy-as-data.
//!
//! ```text
//! text --pest--> syntax tree with spans --check--> typed, resolved program
//!      --eval(facts)--> findings --> decision record / explanation / letter
//! ```
//!
//! The engine knows nothing of any particular regulation: everything it decides comes from the
//! `.rules` files of a policy folder.
//!
//! ```no_run
//! use rulebook::Policy;
//! let policy = Policy::load("policies").expect("a valid policy");
//! let facts = policy.parse_case(r#"{"as_of": "2026-03-01"}"#).expect("a usable case file");
//! let as_of = facts.as_of.expect("the case names its date");
//! let evaluation = policy.evaluate(&facts, as_of, &[]);
//! println!("{}", policy.record_json(&evaluation));
//! ```

pub mod authoring;
pub mod check;
pub mod cli;
pub mod eval;
pub mod explain;
pub mod lang;
pub mod render;
pub mod scenario;
pub mod source;
pub mod syntax;
pub mod units;

use check::ir::Program;
use check::Diagnostic;
use chrono::NaiveDate;
pub use eval::facts::ReadOptions;
use eval::facts::{Facts, FactsError};
use eval::findings::DecisionResult;
use sha2::{Digest, Sha256};
use source::{SourceFile, SourceMap};
use std::path::{Path, PathBuf};

/// A loaded, checked and compiled policy, ready to evaluate any number of cases.
pub struct Policy {
    pub program: Program,
    pub sources: SourceMap,
    /// `sha256:…` over the rule files as loaded.
    pub digest: String,
    pub coverage: Option<check::law::Coverage>,
    /// What `check` reports without refusing the policy.
    pub warnings: Vec<Diagnostic>,
    /// The case-independent parts of its decision records, escaped once.
    fragments: explain::record::Fragments,
}

/// Why a policy could not be loaded.
#[derive(Debug)]
pub enum LoadError {
    /// The folder or a file could not be read.
    Io(String),
    /// The rule files have errors; each diagnostic points into `sources`.
    Invalid {
        diagnostics: Vec<Diagnostic>,
        sources: SourceMap,
    },
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::Io(m) => f.write_str(m),
            LoadError::Invalid {
                diagnostics,
                sources,
            } => {
                for d in diagnostics {
                    match d.span {
                        Some(s) => writeln!(f, "{}: {}", sources.location(s), d.message)?,
                        None => writeln!(f, "{}", d.message)?,
                    }
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for LoadError {}

/// The decisions evaluated for one case.
#[derive(Debug, Clone)]
pub struct Evaluation {
    pub as_of: NaiveDate,
    pub decisions: Vec<DecisionResult>,
    pub warnings: Vec<String>,
}

fn rule_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d)
            .map_err(|e| format!("cannot read the policy folder `{}`: {e}", d.display()))?;
        for entry in entries {
            let p = entry
                .map_err(|e| format!("cannot read `{}`: {e}", d.display()))?
                .path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rules") {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

impl Policy {
    /// Parse, check and compile every `.rules` file under `dir`.
    pub fn load(dir: impl AsRef<Path>) -> Result<Policy, LoadError> {
        let dir = dir.as_ref();
        let files = rule_files(dir).map_err(LoadError::Io)?;
        if files.is_empty() {
            return Err(LoadError::Io(format!(
                "no `.rules` files under `{}`",
                dir.display()
            )));
        }
        let mut sources = SourceMap::default();
        let mut hasher = Sha256::new();
        let mut items = Vec::new();
        let mut diagnostics = Vec::new();
        let mut source_dir = dir.to_path_buf();
        for (i, path) in files.iter().enumerate() {
            let text = std::fs::read_to_string(path)
                .map_err(|e| LoadError::Io(format!("cannot read `{}`: {e}", path.display())))?;
            let rel = path.strip_prefix(dir).unwrap_or(path);
            hasher.update(rel.to_string_lossy().replace('\\', "/").as_bytes());
            hasher.update([0]);
            hasher.update(text.as_bytes());
            hasher.update([0]);
            match syntax::parse_file(i as u32, &text) {
                Ok(its) => {
                    if its
                        .iter()
                        .any(|it| matches!(it, syntax::ast::Item::Header(_)))
                    {
                        source_dir = path.parent().unwrap_or(dir).to_path_buf();
                    }
                    items.extend(its);
                }
                Err(errs) => diagnostics.extend(errs.into_iter().map(|e| Diagnostic {
                    code: check::Code::Syntax,
                    span: Some(e.span),
                    message: e.message,
                    help: e.help,
                })),
            }
            sources.files.push(SourceFile {
                name: path.display().to_string().replace('\\', "/"),
                text: text.into(),
            });
        }
        let digest = format!("sha256:{:x}", hasher.finalize());
        if !diagnostics.is_empty() {
            return Err(LoadError::Invalid {
                diagnostics,
                sources,
            });
        }
        match check::check(items, &sources, &source_dir) {
            Ok(c) => {
                let fragments = explain::record::Fragments::new(&c.program, &digest);
                Ok(Policy {
                    program: c.program,
                    sources,
                    digest,
                    coverage: c.coverage,
                    warnings: c.warnings,
                    fragments,
                })
            }
            Err(diagnostics) => Err(LoadError::Invalid {
                diagnostics,
                sources,
            }),
        }
    }

    /// Read a case file against this policy's vocabulary, refusing any field it does not know.
    pub fn parse_case(&self, json: &str) -> Result<Facts, FactsError> {
        eval::facts::parse_facts(&self.program.schema, json)
    }

    /// Read a case file with options: `lenient` keeps unknown fields as warnings.
    pub fn parse_case_with(&self, json: &str, options: ReadOptions) -> Result<Facts, FactsError> {
        eval::facts::parse_facts_with(&self.program.schema, json, options)
    }

    /// The index of a decision by name.
    pub fn decision_index(&self, name: &str) -> Option<check::ir::DecisionId> {
        self.program
            .decisions
            .iter()
            .position(|d| d.name == name)
            .map(|i| check::ir::DecisionId(i as u16))
    }

    pub fn decision_names(&self) -> Vec<&str> {
        self.program
            .decisions
            .iter()
            .map(|d| d.name.as_str())
            .collect()
    }

    /// Evaluate the given decisions (all when empty) for a case on the date `as_of`.
    pub fn evaluate(
        &self,
        facts: &Facts,
        as_of: NaiveDate,
        decisions: &[check::ir::DecisionId],
    ) -> Evaluation {
        let mut ctx = eval::interp::Ctx::new(&self.program, facts, as_of);
        let all: Vec<check::ir::DecisionId> = (0..self.program.decisions.len() as u16)
            .map(check::ir::DecisionId)
            .collect();
        let which = if decisions.is_empty() {
            &all[..]
        } else {
            decisions
        };
        let results = which
            .iter()
            .map(|d| eval::decide::decide(&mut ctx, *d))
            .collect();
        Evaluation {
            as_of,
            decisions: results,
            warnings: facts.warnings.clone(),
        }
    }

    /// The decision record as compact JSON (one line).
    pub fn record_json(&self, eval: &Evaluation) -> String {
        let mut out = String::with_capacity(32 * 1024);
        self.fragments.write(&self.program, eval, &mut out);
        out
    }

    /// Append the compact decision record to a buffer (for batches: one buffer, many records).
    pub fn write_record(&self, eval: &Evaluation, out: &mut String) {
        self.fragments.write(&self.program, eval, out);
    }

    /// A finding's message in one language, as the decision record words it.
    pub fn message(&self, finding: &eval::findings::Finding, lang: explain::Lang) -> String {
        self.fragments.message_text(finding, lang)
    }

    /// A finding's message in its decision (an unknown one names the facts it lacks).
    pub fn finding_message(
        &self,
        decision: &DecisionResult,
        finding: &eval::findings::Finding,
        lang: explain::Lang,
    ) -> String {
        self.fragments
            .finding_text(&self.program, decision, finding, lang)
    }

    /// What a finding found and what its provision says, separately, in one language.
    pub fn message_parts(
        &self,
        finding: &eval::findings::Finding,
        lang: explain::Lang,
    ) -> (Option<String>, Option<String>) {
        self.fragments.parts_text(finding, lang)
    }

    /// What would have satisfied a violated or review finding, in words.
    pub fn counterfactual(
        &self,
        finding: &eval::findings::Finding,
        lang: explain::Lang,
    ) -> Option<String> {
        let rule = self.program.rules.get(finding.rule.index())?;
        let says = self.message_parts(finding, lang).1.unwrap_or_default();
        explain::wording::counterfactual(&self.program, rule, &says, finding, lang)
    }

    /// The decision record, indented for people.
    pub fn record_json_pretty(&self, eval: &Evaluation) -> String {
        explain::record::pretty(&self.record_json(eval))
    }
}
