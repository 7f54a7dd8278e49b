//! `rulebook serve`: the engine over HTTP (CONTRACT section 7). The service calls the library
//! as any other caller does; it adds the decision log, reload, access control and limits.
//!
//! - [`routes`]: the router, the place to add routes;
//! - [`decide`], [`batch`]: deciding cases; [`logged`]: reading the log back;
//! - [`info`]: policies, metrics, liveness, the OpenAPI document;
//! - [`guard`]: token, concurrency, timeout, metrics; [`limits`]: sizes and depth;
//! - [`reload`]: watching the policy folder and SIGHUP;
//! - [`conn`]: accepting connections, the idle and slow-header timeout, draining;
//! - [`page`]: the staff page at `/`; [`articles`]: a version's articles beside its rules.

pub mod articles;
pub mod batch;
pub mod conn;
pub mod decide;
pub mod error;
pub mod guard;
pub mod ids;
pub mod info;
pub mod limits;
pub mod logged;
pub mod metrics;
pub mod page;
pub mod query;
pub mod reload;
pub mod routes;
pub mod state;

use state::{AppState, Inner, Log};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// The stack of the runtime's threads, which load policies and decide: a program's main thread's.
/// With tokio's 2 MiB a debug build overflowed loading an expression as deep as `check` admits,
/// and aborted the service.
pub(crate) const THREAD_STACK: usize = 8 << 20;

/// How to run the service.
pub struct Config {
    pub policy_dir: PathBuf,
    pub addr: String,
    /// A SQLite file or a `postgres://` URL; None runs without a log.
    pub db: Option<String>,
    pub limits: limits::Limits,
    pub token: Option<String>,
}

/// Why the service did not start.
#[derive(Debug)]
pub struct StartError(pub String);

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Run the service until SIGTERM or SIGINT; requests in flight are drained and every logged
/// decision committed before this returns.
pub fn run(config: Config) -> Result<(), StartError> {
    let addrs: Vec<SocketAddr> = std::net::ToSocketAddrs::to_socket_addrs(&config.addr)
        .map_err(|e| StartError(format!("--addr {}: {e}", config.addr)))?
        .collect();
    let Some(addr) = addrs.first().copied() else {
        return Err(StartError(format!("--addr {}: no address", config.addr)));
    };
    if !addr.ip().is_loopback() && config.token.is_none() {
        return Err(StartError(format!(
            "{addr} is not a loopback address: set RULEBOOK_TOKEN so that every request must carry `Authorization: Bearer <token>`"
        )));
    }
    // The log's connections are opened here, before the runtime: the PostgreSQL client blocks
    // and must live on threads of its own.
    let mut threads = Vec::new();
    let log = match &config.db {
        Some(spec) => {
            let w = crate::log::open(spec).map_err(|e| StartError(format!("--db: {e}")))?;
            let r = crate::log::open(spec).map_err(|e| StartError(format!("--db: {e}")))?;
            let (writer, wt) =
                crate::log::Writer::start(w).map_err(|e| StartError(format!("--db: {e}")))?;
            let (reader, rt) =
                crate::log::Reader::start(r).map_err(|e| StartError(format!("--db: {e}")))?;
            threads.push(wt);
            threads.push(rt);
            Some(Log { writer, reader })
        }
        None => None,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(THREAD_STACK)
        .build()
        .map_err(|e| StartError(format!("cannot start the runtime: {e}")))?;
    let state: AppState = Arc::new(Inner {
        policy_dir: config.policy_dir.clone(),
        policy: arc_swap::ArcSwapOption::empty(),
        reload: Mutex::new(state::ReloadStatus::default()),
        log,
        limits: config.limits,
        token: config.token.as_deref().map(guard::token_digest),
        inflight: Arc::new(tokio::sync::Semaphore::new(config.limits.concurrency)),
        deciding: Arc::new(tokio::sync::Semaphore::new(limits::cores())),
        metrics: metrics::Metrics::default(),
        ids: ids::IdGen::default(),
    });
    let result = runtime.block_on(serve(state.clone(), addr));
    // Tasks still holding the state (the watcher) end with the runtime; the log's threads end
    // when the last handle to them is gone, after committing what was queued.
    runtime.shutdown_timeout(std::time::Duration::from_secs(5));
    drop(state);
    for t in threads {
        let _ = t.join();
    }
    result
}

async fn serve(state: AppState, addr: SocketAddr) -> Result<(), StartError> {
    reload::reload(&state, "start").await;
    let s = state.reload_status();
    if !s.ok {
        tracing::warn!("no valid policy is loaded; decisions answer 503 until the folder is fixed");
    }
    let _watcher = reload::start(state.clone()).map_err(StartError)?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| StartError(format!("cannot listen on {addr}: {e}")))?;
    let bound = listener
        .local_addr()
        .map_err(|e| StartError(format!("cannot listen on {addr}: {e}")))?;
    // Scripts (and the tests) read the port from this line when they asked for port 0.
    println!("rulebook serve: listening on http://{bound}");
    use std::io::Write;
    let _ = std::io::stdout().flush();
    tracing::info!(%bound, log = state.log.is_some(), "listening");
    let idle = state.limits.idle;
    conn::serve(listener, routes::router(state), idle, shutdown()).await;
    tracing::info!("drained; stopping");
    Ok(())
}

/// SIGTERM or SIGINT.
async fn shutdown() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let term = signal(SignalKind::terminate());
        let int = signal(SignalKind::interrupt());
        match (term, int) {
            (Ok(mut t), Ok(mut i)) => {
                tokio::select! {
                    _ = t.recv() => {},
                    _ = i.recv() => {},
                }
            }
            _ => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
    tracing::info!("signal received: draining requests in flight");
}
