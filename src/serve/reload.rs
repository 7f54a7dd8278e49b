//! Reload: the policy folder is watched (`notify`) and reloaded on SIGHUP. A reload that loads
//! is swapped in for new requests at once (requests in flight finish on the policy they
//! started with); one that fails `check` keeps the last good policy, and its errors are shown
//! in `/v1/policies` and the service's log.

use super::state::{AppState, Loaded, ReloadStatus};
use notify::{RecursiveMode, Watcher};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

/// Changes closer together than this are one reload (an editor writes a file in several steps).
const SETTLE: Duration = Duration::from_millis(300);

/// Load every version in the policy folder and swap the set in, or keep the last good one and report why not.
pub async fn reload(state: &AppState, trigger: &'static str) {
    let dir = state.policy_dir.clone();
    let result = tokio::task::spawn_blocking(move || {
        crate::Versions::load_with(&dir, crate::Cache::from_env().as_ref())
    })
    .await;
    let count = state.reload_status().count + 1;
    let at = crate::log::now_text();
    let status = match result {
        Ok(Ok(set)) => {
            tracing::info!(trigger, versions = %set.names().join(", "), "policy loaded");
            state.policy.store(Some(Arc::new(Loaded {
                set,
                loaded_at: at.clone(),
            })));
            ReloadStatus {
                at,
                trigger,
                ok: true,
                errors: Vec::new(),
                count,
            }
        }
        Ok(Err(e)) => {
            let errors: Vec<String> = e
                .to_string()
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(str::to_string)
                .collect();
            let keeping = state
                .policy
                .load()
                .as_ref()
                .map(|l| l.set.names().join(", "));
            tracing::warn!(trigger, errors = errors.len(), keeping = ?keeping, "policy reload failed: {}", errors.join("; "));
            ReloadStatus {
                at,
                trigger,
                ok: false,
                errors,
                count,
            }
        }
        Err(_) => ReloadStatus {
            at,
            trigger,
            ok: false,
            errors: vec!["the reload did not finish".into()],
            count,
        },
    };
    state.metrics.reload(status.ok);
    state.set_reload_status(status);
}

/// Start watching the folder and listening for SIGHUP. The watcher must be kept alive.
pub fn start(state: AppState) -> Result<notify::RecommendedWatcher, String> {
    let (tx, mut rx) = mpsc::unbounded_channel::<&'static str>();
    let fs_tx = tx.clone();
    let mut watcher = notify::recommended_watcher(move |ev: notify::Result<notify::Event>| {
        if let Ok(ev) = ev {
            if !ev.kind.is_access() {
                let _ = fs_tx.send("watch");
            }
        }
    })
    .map_err(|e| format!("cannot watch the policy folder: {e}"))?;
    watcher
        .watch(&state.policy_dir, RecursiveMode::Recursive)
        .map_err(|e| {
            format!(
                "cannot watch the policy folder `{}`: {e}",
                state.policy_dir.display()
            )
        })?;
    #[cfg(unix)]
    {
        let hup = tx.clone();
        tokio::spawn(async move {
            use tokio::signal::unix::{signal, SignalKind};
            let Ok(mut s) = signal(SignalKind::hangup()) else {
                return;
            };
            while s.recv().await.is_some() {
                if hup.send("sighup").is_err() {
                    return;
                }
            }
        });
    }
    tokio::spawn(async move {
        while let Some(mut trigger) = rx.recv().await {
            // Let the burst of events settle, then reload once.
            tokio::time::sleep(SETTLE).await;
            while let Ok(t) = rx.try_recv() {
                if t == "sighup" {
                    trigger = t;
                }
            }
            reload(&state, trigger).await;
        }
    });
    Ok(watcher)
}
