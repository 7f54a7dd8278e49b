//! Accepting connections and serving HTTP/1.1 on them, with the timeouts `axum::serve` does
//! not set: a client must send a request's head within the idle timeout, whether the
//! connection is new or kept alive after an answer. Without it, a client that connects and
//! sends nothing (or a header a minute) holds a connection and a task for ever.

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::time::Duration;
use tokio::net::TcpListener;

/// Serve `app` on `listener` until `shutdown` completes; then stop accepting, let every
/// request in flight finish (idle connections close at once) and return.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    idle: Duration,
    shutdown: impl Future<Output = ()>,
) {
    let mut http = hyper::server::conn::http1::Builder::new();
    // The head-read timer starts when the connection waits for a request's head: it bounds
    // slow headers and idle keep-alive connections alike.
    http.timer(TokioTimer::new()).header_read_timeout(idle);
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors, or a connection reset before it was accepted:
                    // wait a little rather than spin, and go on.
                    tracing::warn!(error = %e, "accept");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // Answers are written whole; waiting to coalesce their last segment only adds latency.
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(app.clone());
        let conn = http.serve_connection(TokioIo::new(stream), service);
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!(error = %e, "connection");
            }
        });
    }
    drop(listener);
    graceful.shutdown().await;
}
