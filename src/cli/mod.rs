//! The command line of CONTRACT section 1. Each subcommand returns its exit code.

mod batch;
mod check;
pub mod choose;
mod diff;
mod eval;
mod fmt;
mod lines;
mod policy_arg;
mod replay;
mod schema;
mod serve;

pub use eval::{batch, batch_with, BatchOptions};
mod test;

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "rulebook",
    version,
    about = "Evaluate cases against a regulation written as rule files",
    long_about = None,
    after_help = "Environment:\n  RULEBOOK_POLICY  the policy folder when --policy is not given (else ./policies)\n  RULEBOOK_CACHE   where checked versions are kept between runs (default: $XDG_CACHE_HOME/rulebook,\n                   else ~/.cache/rulebook); `off` turns the cache off. A kept version is used only\n                   when its rule files, its source file and this rulebook are byte for byte the same."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Parse and check every version of a policy; report every error with file, line and column
    Check {
        /// The policy folder (default: $RULEBOOK_POLICY, else ./policies)
        #[arg(long)]
        policy: Option<PathBuf>,
    },
    /// Evaluate decisions for one case file, or for many as JSON Lines
    Eval(eval::EvalArgs),
    /// Run every version's scenarios (a case and what it must give) and report `N passed, N failed`
    Test {
        /// The policy folder (default: $RULEBOOK_POLICY, else ./policies)
        #[arg(long)]
        policy: Option<PathBuf>,
        /// Only this version (its `version`)
        #[arg(long)]
        version: Option<String>,
        /// Print, per rule, how many scenarios left it satisfied, violated, review, exempt, unknown
        #[arg(long)]
        coverage: bool,
        /// Rewrite the expectations (`expect` blocks, expected records and letters) to what the
        /// rules now give; review the differences `rulebook test` shows first
        #[arg(long)]
        accept: bool,
        /// Scenario files or folders (default: each version's `scenarios/` folder)
        paths: Vec<PathBuf>,
    },
    /// Serve decisions over HTTP, logging every decision served (see CONTRACT section 7)
    Serve(serve::ServeArgs),
    /// Decide the logged cases again under another version and report what would change (as
    /// `diff`: each case as of its own as_of, the validity window set aside)
    Replay(replay::ReplayArgs),
    /// Compare two versions over a corpus of cases (JSON Lines): outcome transitions with their
    /// counts, the case lines and applicants that change, and the rules and cites whose findings
    /// changed; each case as of its own as_of, the validity window set aside
    Diff {
        /// The policy folder (default: $RULEBOOK_POLICY, else ./policies)
        #[arg(long)]
        policy: Option<PathBuf>,
        /// The version compared from: a version of the policy, or a version folder
        #[arg(long)]
        from: String,
        /// The version compared to: a version of the policy, or a version folder (a draft)
        #[arg(long)]
        to: String,
        /// Past cases, one case file a line
        #[arg(long)]
        cases: PathBuf,
        /// A decision to compare (repeatable; default: every decision of both)
        #[arg(long = "decision")]
        decisions: Vec<String>,
        /// Output format
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
    },
    /// Rewrite rule files in the canonical layout, keeping every comment
    Fmt {
        /// Change nothing: list the files that would change and exit 1 if any would
        #[arg(long)]
        check: bool,
        /// Rule files or folders (default: $RULEBOOK_POLICY, else ./policies)
        paths: Vec<PathBuf>,
    },
    /// Print the JSON Schema (draft 2020-12) of the case file, made from the vocabulary
    Schema {
        /// The policy folder (default: $RULEBOOK_POLICY, else ./policies)
        #[arg(long)]
        policy: Option<PathBuf>,
        /// The version whose vocabulary to describe (default: the latest)
        #[arg(long)]
        version: Option<String>,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiffFormat {
    Text,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Text,
    /// The decision letter, as Markdown
    Letter,
    /// The decision letter, as a standalone HTML page that prints on A4
    Html,
}

/// How much of the decision record to write (CONTRACT section 3).
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordArg {
    /// Every finding with its message and source (for audit)
    Full,
    /// Only findings that are not satisfied, without message and source (for screening)
    Lean,
}

impl From<RecordArg> for crate::RecordMode {
    fn from(r: RecordArg) -> Self {
        match r {
            RecordArg::Full => crate::RecordMode::Full,
            RecordArg::Lean => crate::RecordMode::Lean,
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LangArg {
    Zh,
    En,
}

/// Run the command line; returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    match cli.command {
        Command::Check { policy } => check::run(policy.as_deref()),
        Command::Eval(args) => eval::run(&args),
        Command::Test {
            policy,
            version,
            coverage,
            accept,
            paths,
        } => test::run(&test::TestArgs {
            policy: policy.as_deref(),
            version: version.as_deref(),
            coverage,
            accept,
            paths: &paths,
        }),
        Command::Diff {
            policy,
            from,
            to,
            cases,
            decisions,
            format,
        } => diff::run(&diff::DiffArgs {
            policy: policy.as_deref(),
            from: &from,
            to: &to,
            cases: &cases,
            decisions: &decisions,
            json: format == DiffFormat::Json,
        }),
        Command::Serve(args) => serve::run(&args),
        Command::Replay(args) => replay::run(&args),
        Command::Fmt { check, paths } => fmt::run(check, &paths),
        Command::Schema { policy, version } => schema::run(policy.as_deref(), version.as_deref()),
    }
}

pub(crate) fn report_load_error(e: &crate::LoadError) {
    let colour = crate::render::stderr_colour();
    match e {
        crate::LoadError::Io(m) => eprintln!("error: {m}"),
        crate::LoadError::Invalid {
            diagnostics,
            sources,
        } => {
            for d in diagnostics {
                eprint!("{}", crate::render::diagnostic(d, sources, colour));
            }
            let n = diagnostics.len();
            eprintln!(
                "the policy has {n} error{}; nothing was evaluated",
                if n == 1 { "" } else { "s" }
            );
        }
    }
}

/// Write a line to standard output; a closed pipe (`| head`) ends the output, never a panic.
pub(crate) fn say(line: std::fmt::Arguments<'_>) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout().lock(), "{line}");
}
