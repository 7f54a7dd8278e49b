//! The command line of CONTRACT section 1. Each subcommand returns its exit code.

mod check;
mod eval;
mod replay;
mod serve;

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
    /// Serve decisions over HTTP, logging every decision served (see CONTRACT section 7)
    Serve(serve::ServeArgs),
    /// Decide the logged cases again under another version and report what would change
    Replay(replay::ReplayArgs),
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
        Command::Serve(args) => serve::run(&args),
        Command::Replay(args) => replay::run(&args),
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
