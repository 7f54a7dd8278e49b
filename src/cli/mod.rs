//! The command line of CONTRACT section 1. Each subcommand returns its exit code.

mod check;
mod eval;
mod fmt;
mod schema;

pub use eval::{batch, batch_with, BatchOptions};
mod test;

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(name = "rulebook", version, about = "Evaluate cases against a regulation written as rule files", long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Parse and check every rule file of a policy; report every error with file, line and column
    Check {
        /// The policy folder
        #[arg(long, default_value = "policies")]
        policy: PathBuf,
    },
    /// Evaluate decisions for one case file, or for many as JSON Lines
    Eval(eval::EvalArgs),
    /// Run scenario files (a case and the decision it must give) and report `N passed, N failed`
    Test {
        /// The policy folder
        #[arg(long, default_value = "policies")]
        policy: PathBuf,
        /// Print, per rule, how many scenarios left it satisfied, violated, review, exempt, unknown
        #[arg(long)]
        coverage: bool,
        /// Scenario files or folders (default: tests/scenarios)
        paths: Vec<PathBuf>,
    },
    /// Rewrite rule files in the canonical layout, keeping every comment
    Fmt {
        /// Change nothing: list the files that would change and exit 1 if any would
        #[arg(long)]
        check: bool,
        /// Rule files or folders (default: policies)
        paths: Vec<PathBuf>,
    },
    /// Print the JSON Schema (draft 2020-12) of the case file, made from the vocabulary
    Schema {
        /// The policy folder
        #[arg(long, default_value = "policies")]
        policy: PathBuf,
        /// The version of the policy whose vocabulary to describe
        #[arg(long)]
        version: Option<String>,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Text,
    Letter,
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
        Command::Check { policy } => check::run(&policy),
        Command::Eval(args) => eval::run(&args),
        Command::Test {
            policy,
            coverage,
            paths,
        } => test::run(&policy, coverage, &paths),
        Command::Fmt { check, paths } => fmt::run(check, &paths),
        Command::Schema { policy, version } => schema::run(&policy, version.as_deref()),
    }
}

/// Load a policy, printing its diagnostics; `None` means exit 1.
pub(crate) fn load_or_report(dir: &std::path::Path) -> Option<crate::Policy> {
    match crate::Policy::load(dir) {
        Ok(p) => Some(p),
        Err(e) => {
            report_load_error(&e);
            None
        }
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
