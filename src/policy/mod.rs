//! Loading policies: one version folder (`Policy`), or every version of a policy side by side
//! (`Versions`), each in force in its own window.

mod cache;
mod compare;
mod folder;
mod versions;
mod window;

pub use cache::Cache;
pub use compare::{compare, DecisionDiff, Report};
pub use versions::{Version, Versions};
pub use window::Window;

use crate::check::ir::Program;
use crate::check::{self, Diagnostic};
use crate::eval::findings::DecisionResult;
use crate::eval::{
    self,
    facts::{Facts, FactsError},
};
use crate::source::{SourceFile, SourceMap};
use crate::{explain, syntax, RecordMode};
use cache::OnDisk;
use chrono::NaiveDate;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// A loaded, checked and compiled policy, ready to evaluate any number of cases.
pub struct Policy {
    pub program: Program,
    pub sources: SourceMap,
    /// `sha256:…` over the rule files as loaded.
    pub digest: String,
    pub coverage: Option<check::law::Coverage>,
    /// What `check` found that does not stop the policy (an enumeration value without labels).
    pub warnings: Vec<Diagnostic>,
    /// The version folder it was loaded from.
    pub folder: PathBuf,
    /// The days it is in force (its successor, if any, cuts it short).
    pub window: Window,
    /// The days its own header gives, whatever other versions there are.
    pub natural: Window,
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

/// Which days count as in force for an evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InForce {
    /// The version's window: its header's, cut short by a later version (decisions).
    #[default]
    Window,
    /// Its header's own window, whatever other versions there are (a version's own tests).
    Natural,
    /// Taken to be in force on the case's date (`diff`, `replay`, scenarios by default).
    SetAside,
}

/// The decisions evaluated for one case.
#[derive(Debug, Clone)]
pub struct Evaluation {
    pub as_of: NaiveDate,
    pub decisions: Vec<DecisionResult>,
    pub warnings: Vec<String>,
}

impl Policy {
    /// Load the policy at or under `dir` and return its latest version (the one taking effect
    /// last; the only one of a single version folder). Every version is checked as
    /// [`Versions::load`] does, and its window is cut by any later one. To decide by date, or to
    /// pin a version, use [`Versions::load`].
    pub fn load(dir: impl AsRef<Path>) -> Result<Policy, LoadError> {
        Policy::load_with(dir, None)
    }

    /// [`Policy::load`] through the load cache (see [`Cache`]).
    pub fn load_with(dir: impl AsRef<Path>, cache: Option<&Cache>) -> Result<Policy, LoadError> {
        Versions::load_with(dir.as_ref(), cache)?
            .versions
            .pop()
            .ok_or_else(|| LoadError::Io("no version".into()))
    }

    /// Parse, check and compile the `.rules` files directly in one version folder.
    pub fn load_version(dir: &Path) -> Result<Policy, LoadError> {
        Policy::load_version_with(dir, None)
    }

    /// [`Policy::load_version`], taking the checked version from `cache` when a copy was made
    /// from these very files, and keeping a copy there when not (see [`Cache`]).
    pub fn load_version_with(dir: &Path, cache: Option<&Cache>) -> Result<Policy, LoadError> {
        let files = read_folder(dir)?;
        if let Some(kept) = cache.and_then(|c| c.get(dir, &files)) {
            return Ok(Policy::from_kept(kept, dir));
        }
        let (kept, source) = check_files(dir, files)?;
        if let Some(cache) = cache {
            cache.put(dir, &kept, source.as_ref());
        }
        Ok(Policy::from_kept(kept, dir))
    }

    /// A checked version, ready to decide.
    fn from_kept(kept: Kept, dir: &Path) -> Policy {
        let mut program = kept.program;
        let window = Window::natural(&program.meta);
        program.meta.last_day = window.last;
        let fragments = explain::record::Fragments::new(&program, &kept.digest);
        Policy {
            program,
            sources: kept.sources,
            digest: kept.digest,
            coverage: kept.coverage,
            warnings: kept.warnings,
            folder: dir.to_path_buf(),
            window,
            natural: window,
            fragments,
        }
    }

    /// The version's name (its header's `version`).
    pub fn version(&self) -> &str {
        &self.program.meta.version
    }

    /// Cut the window short: a later version takes effect on `next_effective`.
    pub(crate) fn end_before(&mut self, next_effective: NaiveDate) {
        self.window = self.window.cut_before(next_effective);
        self.program.meta.last_day = self.window.last;
    }

    /// Read a case file against this policy's vocabulary, refusing any field it does not know.
    pub fn parse_case(&self, json: &str) -> Result<Facts, FactsError> {
        eval::facts::parse_facts(&self.program.schema, json)
    }

    /// Read a case file with options: `lenient` keeps unknown fields as warnings.
    pub fn parse_case_with(
        &self,
        json: &str,
        options: crate::ReadOptions,
    ) -> Result<Facts, FactsError> {
        eval::facts::parse_facts_with(&self.program.schema, json, options)
    }

    /// The index of a decision by name.
    pub fn decision_index(&self, name: &str) -> Option<crate::check::ir::DecisionId> {
        self.program
            .decisions
            .iter()
            .position(|d| d.name == name)
            .map(|i| crate::check::ir::DecisionId(i as u16))
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
        decisions: &[crate::check::ir::DecisionId],
    ) -> Evaluation {
        self.evaluate_with(facts, as_of, decisions, InForce::Window)
    }

    /// Evaluate as if this version were in force on `as_of`: its window is widened to include
    /// that day, and nothing else changes. What `diff` and `replay` ask ("what would this
    /// version's rules decide?"), CONTRACT section 6.
    pub fn evaluate_in_force(
        &self,
        facts: &Facts,
        as_of: NaiveDate,
        decisions: &[crate::check::ir::DecisionId],
    ) -> Evaluation {
        self.evaluate_with(facts, as_of, decisions, InForce::SetAside)
    }

    /// Evaluate with the window chosen: the version's window, its header's own, or set aside.
    pub fn evaluate_with(
        &self,
        facts: &Facts,
        as_of: NaiveDate,
        decisions: &[crate::check::ir::DecisionId],
        in_force: InForce,
    ) -> Evaluation {
        let mut scratch = eval::interp::Scratch::default();
        self.evaluate_in(facts, as_of, decisions, in_force, false, &mut scratch)
    }

    /// [`Policy::evaluate`] for a record of `mode`, in the buffers `scratch` holds (the cases of
    /// a batch share them). A lean evaluation leaves out what a lean record does not show (the
    /// values of satisfied findings, counterfactuals); statuses, effects, missing facts and dates
    /// are those of the full one.
    pub fn evaluate_for(
        &self,
        facts: &Facts,
        as_of: NaiveDate,
        decisions: &[crate::check::ir::DecisionId],
        mode: RecordMode,
        scratch: &mut eval::interp::Scratch,
    ) -> Evaluation {
        let lean = mode == RecordMode::Lean;
        self.evaluate_in(facts, as_of, decisions, InForce::Window, lean, scratch)
    }

    fn evaluate_in(
        &self,
        facts: &Facts,
        as_of: NaiveDate,
        decisions: &[crate::check::ir::DecisionId],
        in_force: InForce,
        lean: bool,
        scratch: &mut eval::interp::Scratch,
    ) -> Evaluation {
        let mut ctx =
            eval::interp::Ctx::with_scratch(&self.program, facts, as_of, std::mem::take(scratch));
        ctx.lean = lean;
        let open = |w: Window| {
            (
                w.first.unwrap_or(NaiveDate::MIN),
                w.last.unwrap_or(NaiveDate::MAX),
            )
        };
        ctx.window = match in_force {
            InForce::Window => open(self.window),
            InForce::Natural => open(self.natural),
            InForce::SetAside => {
                let (a, b) = open(self.natural);
                (a.min(as_of), b.max(as_of))
            }
        };
        let all: Vec<crate::check::ir::DecisionId> = (0..self.program.decisions.len() as u16)
            .map(crate::check::ir::DecisionId)
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
        *scratch = ctx.into_scratch();
        Evaluation {
            as_of,
            decisions: results,
            warnings: facts.warnings.clone(),
        }
    }

    /// The decision record as compact JSON (one line).
    pub fn record_json(&self, eval: &Evaluation) -> String {
        self.record_json_as(eval, RecordMode::Full)
    }

    /// The full or lean decision record as compact JSON (one line).
    pub fn record_json_as(&self, eval: &Evaluation, mode: RecordMode) -> String {
        let mut out = String::with_capacity(match mode {
            RecordMode::Full => 32 * 1024,
            RecordMode::Lean => 2 * 1024,
        });
        self.fragments.write(&self.program, eval, mode, &mut out);
        out
    }

    /// Append the compact full decision record to a buffer (for batches: one buffer, many records).
    pub fn write_record(&self, eval: &Evaluation, out: &mut String) {
        self.fragments
            .write(&self.program, eval, RecordMode::Full, out);
    }

    /// Append the compact full or lean decision record to a buffer.
    pub fn write_record_as(&self, eval: &Evaluation, mode: RecordMode, out: &mut String) {
        self.fragments.write(&self.program, eval, mode, out);
    }

    /// A batch's record: `"line": N` first, then the full or lean record's keys.
    pub fn write_record_line(
        &self,
        eval: &Evaluation,
        mode: RecordMode,
        line: usize,
        out: &mut String,
    ) {
        self.fragments
            .write_line(&self.program, eval, mode, Some(line), out);
    }

    /// A finding's message in one language, as the decision record words it.
    pub fn message(&self, finding: &eval::findings::Finding, lang: explain::Lang) -> String {
        self.fragments.messages.text(finding, lang)
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
        self.fragments.messages.parts(finding, lang)
    }

    /// Every rule's messages, for renderers that name subjects their own way (letters).
    pub fn messages(&self) -> &explain::message::Messages {
        &self.fragments.messages
    }

    /// The letter for the decisions of `eval` as Markdown; `facts` (the case) gives the
    /// addressee and the names of members and projects.
    pub fn letter_markdown(
        &self,
        facts: Option<&crate::eval::facts::Facts>,
        eval: &Evaluation,
        opts: &explain::letter::LetterOptions,
    ) -> String {
        explain::letter::markdown(self, facts, eval, opts)
    }

    /// The same letter as a standalone HTML page with print CSS (A4).
    pub fn letter_html(
        &self,
        facts: Option<&crate::eval::facts::Facts>,
        eval: &Evaluation,
        opts: &explain::letter::LetterOptions,
    ) -> String {
        explain::html::render(self, facts, eval, opts)
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

    /// The full or lean decision record, indented for people.
    pub fn record_json_pretty_as(&self, eval: &Evaluation, mode: RecordMode) -> String {
        explain::record::pretty(&self.record_json_as(eval, mode))
    }
}

/// What checking a version folder gives, before its window is set: what the load cache keeps.
pub(crate) struct Kept {
    pub sources: SourceMap,
    /// `sha256:…` over the rule files as loaded.
    pub digest: String,
    pub program: Program,
    pub coverage: Option<check::law::Coverage>,
    pub warnings: Vec<Diagnostic>,
}

/// The `.rules` files directly in a version folder, in name order, as they are on disk.
fn read_folder(dir: &Path) -> Result<Vec<OnDisk>, LoadError> {
    let paths = folder::rule_files(dir).map_err(LoadError::Io)?;
    if paths.is_empty() {
        return Err(LoadError::Io(format!(
            "no `.rules` files in `{}`",
            dir.display()
        )));
    }
    paths
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path)
                .map_err(|e| LoadError::Io(format!("cannot read `{}`: {e}", path.display())))?;
            Ok(OnDisk {
                name: path.display().to_string().replace('\\', "/"),
                label: folder::label(dir, &path),
                bytes,
                path,
            })
        })
        .collect()
}

/// Parse and check the rule files of `dir`; also the header's `source` file as the check read it.
fn check_files(
    dir: &Path,
    files: Vec<OnDisk>,
) -> Result<(Kept, Option<(PathBuf, String)>), LoadError> {
    let mut sources = SourceMap::default();
    let mut hasher = Sha256::new();
    let mut items = Vec::new();
    let mut diagnostics = Vec::new();
    for (i, file) in files.into_iter().enumerate() {
        let text = String::from_utf8(file.bytes).map_err(|_| {
            LoadError::Io(format!(
                "cannot read `{}`: stream did not contain valid UTF-8",
                file.path.display()
            ))
        })?;
        // The digest names each file relative to its version folder, so that it does not
        // depend on the path the policy was loaded by.
        let rel = file.path.strip_prefix(dir).unwrap_or(&file.path);
        hasher.update(rel.to_string_lossy().replace('\\', "/").as_bytes());
        hasher.update([0]);
        hasher.update(text.as_bytes());
        hasher.update([0]);
        match syntax::parse_file(i as u32, &text) {
            Ok(its) => items.extend(its),
            Err(errs) => diagnostics.extend(errs.into_iter().map(|e| Diagnostic {
                code: check::Code::Syntax,
                span: Some(e.span),
                message: e.message,
                help: e.help,
            })),
        }
        sources.files.push(SourceFile {
            name: file.name,
            label: file.label,
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
    match check::check(items, &sources, dir) {
        Ok(c) => Ok((
            Kept {
                sources,
                digest,
                program: c.program,
                coverage: c.coverage,
                warnings: c.warnings,
            },
            c.source_file,
        )),
        Err(diagnostics) => Err(LoadError::Invalid {
            diagnostics,
            sources,
        }),
    }
}
