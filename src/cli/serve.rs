//! `rulebook serve`: start the HTTP service (CONTRACT section 7).

use crate::serve::{limits::Limits, Config};
use clap::Args;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// The policy folder, watched and also reloaded on SIGHUP [default: $RULEBOOK_POLICY, else
    /// ./policies]
    #[arg(long)]
    pub policy: Option<PathBuf>,
    /// Address to listen on; a non-loopback address needs RULEBOOK_TOKEN. Port 0 picks a free port
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// The decision log: a SQLite file, or a postgres://user@host/db URL
    #[arg(long, default_value = "decisions.sqlite")]
    pub db: String,
    /// Serve without a decision log (only to measure what the log costs; records get no id)
    #[arg(long)]
    pub no_log: bool,
    /// Largest case body in bytes
    #[arg(long, default_value_t = 1 << 20)]
    pub max_case_bytes: usize,
    /// Largest batch body in bytes
    #[arg(long, default_value_t = 256 << 20)]
    pub max_batch_bytes: u64,
    /// Deepest nesting of arrays and objects in a case
    #[arg(long, default_value_t = 64)]
    pub max_depth: usize,
    /// Seconds a request may take (a batch: seconds without new bytes)
    #[arg(long, default_value_t = 30.0)]
    pub timeout: f64,
    /// Requests served at once; more are answered 429
    #[arg(long, default_value_t = 512)]
    pub concurrency: usize,
    /// Seconds a connection may take to send a request's head, when new or kept alive after
    /// an answer; then it is closed
    #[arg(long, default_value_t = 30.0)]
    pub idle_timeout: f64,
}

pub fn run(args: &ServeArgs) -> i32 {
    init_tracing();
    let positive = |s: f64| s.is_finite() && s > 0.0 && s < 1e9;
    if !positive(args.timeout) || !positive(args.idle_timeout) || args.concurrency == 0 {
        eprintln!("error: --timeout, --idle-timeout and --concurrency must be above zero");
        return 2;
    }
    let token = std::env::var("RULEBOOK_TOKEN")
        .ok()
        .filter(|t| !t.trim().is_empty());
    // A folder that does not check is served as 503 until it is fixed; one that is not there
    // at all is a mistake in the command, and nothing could ever be served from it.
    let (policy_dir, from) = super::policy_arg::resolve(args.policy.as_deref());
    if !policy_dir.is_dir() {
        eprintln!(
            "error: there is no policy folder `{}`\n  {}",
            policy_dir.display(),
            super::policy_arg::whence(&policy_dir, from)
        );
        // As every command that cannot read its policy folder (CONTRACT section 1: 1, invalid
        // policy).
        return 1;
    }
    let config = Config {
        policy_dir,
        addr: args.addr.clone(),
        db: (!args.no_log).then(|| args.db.clone()),
        limits: Limits {
            case_bytes: args.max_case_bytes,
            batch_bytes: args.max_batch_bytes,
            depth: args.max_depth,
            timeout: std::time::Duration::from_secs_f64(args.timeout),
            concurrency: args.concurrency,
            idle: std::time::Duration::from_secs_f64(args.idle_timeout),
        },
        token,
    };
    match crate::serve::run(config) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}

/// Service logs on stderr; `RULEBOOK_LOG` sets the filter (default `info`).
fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("RULEBOOK_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
}
