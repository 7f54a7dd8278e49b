//! `POST /v1/batch`: JSON Lines in, JSON Lines out, as `eval --batch`, streamed both ways. The
//! body is read a frame at a time and decided in small groups; each group's records are logged
//! before they are sent, so a 256 MiB batch never sits in memory.

use super::decide::{self, current, options, Options};
use super::error::ApiError;
use super::limits;
use super::state::{AppState, Loaded, RequestSlot};
use crate::jsonl;
use axum::body::{Body, Bytes};
use axum::extract::{Extension, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

/// Lines decided and logged together.
const GROUP_LINES: usize = 64;
/// Bytes of pending lines that also close a group.
const GROUP_BYTES: usize = 4 << 20;

pub const BATCH_TYPES: &[&str] = &[
    "application/x-ndjson",
    "application/jsonl",
    "application/json-lines",
    "application/json",
    "text/plain",
];

pub async fn post_batch(
    State(state): State<AppState>,
    slot: Option<Extension<RequestSlot>>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let loaded = current(&state)?;
    let opts = options(raw.as_deref(), &loaded.set, true)?;
    if !limits::content_type_is(&headers, BATCH_TYPES) {
        return Err(ApiError::wrong_type("application/x-ndjson (JSON Lines)"));
    }
    if let Err(e) = limits::declared_length(&headers, state.limits.batch_bytes) {
        // A client waiting for `100 Continue` has sent nothing yet: reading the body would ask
        // it for the whole of it, only to throw it away.
        let waits = headers
            .get(header::EXPECT)
            .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"100-continue"));
        if !waits {
            limits::drain(body, state.limits.timeout).await;
        }
        return Err(e);
    }
    // The body is read before the answer's head is sent. A client that sent `Expect:
    // 100-continue` (curl does for a body over 1 MiB) waits for the `100 Continue` that hyper
    // sends when the body is first read; with the answer's head first, no 100 comes and the
    // client waits its own timeout (a second for curl) before it sends the body.
    // The guard's request timeout bounds this wait (a 408 for a client that sends no body).
    let mut stream = body.into_data_stream();
    let first = stream.next().await;
    // The batch keeps its place under the concurrency limit until it has queued its last line.
    let slot = slot.map(|Extension(s)| s);
    let answer = answered(slot, move |tx| {
        run(state, loaded, opts, (first, stream), tx)
    });
    Ok((
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/x-ndjson")],
        Body::from_stream(answer),
    )
        .into_response())
}

/// A line of input: its number and bytes, or why it cannot be used.
type Line = (usize, Result<Vec<u8>, String>);

struct Reader {
    partial: Vec<u8>,
    /// The current line went over the case limit: drop its bytes until its end.
    over: bool,
    n: usize,
    case_bytes: usize,
}

impl Reader {
    /// Ends the line pending: at a `\n` (`newline`), or at the end of the body.
    fn end_line(&mut self, newline: bool, out: &mut VecDeque<Line>) {
        self.n += 1;
        // What a line is, and which are blank, as `eval --batch` has it (`crate::jsonl`): a
        // `\r` goes only before a `\n` (a last line keeps one it ends with, as `lines` does).
        if newline {
            jsonl::drop_cr(&mut self.partial);
        }
        if self.over || self.partial.len() > self.case_bytes {
            out.push_back((
                self.n,
                Err(format!(
                    "the line is over the limit of {} bytes a case",
                    self.case_bytes
                )),
            ));
        } else {
            let l = std::mem::take(&mut self.partial);
            if !jsonl::is_blank(&l) {
                out.push_back((self.n, Ok(l)));
            }
        }
        self.over = false;
        self.partial.clear();
    }

    fn feed(&mut self, mut data: &[u8], out: &mut VecDeque<Line>) {
        while !data.is_empty() {
            let (piece, rest, ended) = match memchr::memchr(b'\n', data) {
                Some(i) => (&data[..i], &data[i + 1..], true),
                None => (data, &data[data.len()..], false),
            };
            if !self.over {
                // One byte over the limit is kept for a `\r` that `end_line` may drop; it
                // checks the line as read.
                if self.partial.len() + piece.len() > self.case_bytes.saturating_add(1) {
                    self.over = true;
                    self.partial = Vec::new();
                } else {
                    self.partial.extend_from_slice(piece);
                }
            }
            if ended {
                self.end_line(true, out);
            }
            data = rest;
        }
    }
}

fn error_line(n: usize, message: &str, out: &mut String) {
    out.push_str(&format!("{{\"line\":{n},\"error\":\""));
    crate::explain::record::push_escaped(out, message);
    out.push_str("\"}\n");
}

/// A frame of the body, as the reading loop waits for it: none within the timeout, the end, a
/// read error, or bytes.
type Frame = Result<Option<Result<Bytes, axum::Error>>, tokio::time::error::Elapsed>;

/// Groups a batch decides and logs side by side: as many as there are cores and one more (one
/// can wait for its commit while the others decide), and never more than four, so that one
/// batch holds at most four groups (each at most GROUP_LINES lines and about GROUP_BYTES).
fn in_flight_limit() -> usize {
    (limits::cores() + 1).min(4)
}

async fn run(
    state: AppState,
    loaded: Arc<Loaded>,
    opts: Options,
    (first, mut stream): (
        Option<Result<Bytes, axum::Error>>,
        axum::body::BodyDataStream,
    ),
    tx: mpsc::Sender<Result<Bytes, std::io::Error>>,
) -> bool {
    let wait = state.limits.timeout;
    let mut first = Some(first);
    let mut reader = Reader {
        partial: Vec::new(),
        over: false,
        n: 0,
        case_bytes: state.limits.case_bytes,
    };
    let mut pending: VecDeque<Line> = VecDeque::new();
    let mut in_flight = InFlight::default();
    let limit = in_flight_limit();
    // Each group is logged only after the group before it: the log holds a batch in line
    // order, and nothing after a group whose records could not be logged.
    let mut before: Option<oneshot::Receiver<bool>> = None;
    let mut total: u64 = 0;
    let mut stop: Option<String> = None;
    loop {
        let next: Frame = match first.take() {
            Some(frame) => Ok(frame),
            None => {
                // Wait for bytes, answering each group as soon as it is done.
                let deadline = tokio::time::Instant::now() + wait;
                loop {
                    let Some((_, oldest)) = in_flight.front_mut() else {
                        break tokio::time::timeout_at(deadline, stream.next()).await;
                    };
                    let got = tokio::select! {
                        biased;
                        done = oldest => Ok(done),
                        frame = tokio::time::timeout_at(deadline, stream.next()) => Err(frame),
                    };
                    match got {
                        Ok(done) => {
                            if let Some(whole) =
                                send_done(&mut in_flight, done, &tx, wait).await.ended()
                            {
                                return whole;
                            }
                        }
                        Err(frame) => break frame,
                    }
                }
            }
        };
        let finished = match next {
            Err(_) => {
                stop = Some(format!(
                    "the batch stopped: no bytes came for {} s",
                    wait.as_secs_f64()
                ));
                true
            }
            Ok(None) => {
                if !reader.partial.is_empty() || reader.over {
                    reader.end_line(false, &mut pending);
                }
                true
            }
            Ok(Some(Err(_))) => {
                stop = Some("the batch stopped: its body could not be read".into());
                true
            }
            Ok(Some(Ok(data))) => {
                total += data.len() as u64;
                if total > state.limits.batch_bytes {
                    stop = Some(format!(
                        "the batch stopped: it is over the limit of {} bytes",
                        state.limits.batch_bytes
                    ));
                    true
                } else {
                    reader.feed(&data, &mut pending);
                    false
                }
            }
        };
        // A frame can hold many groups' lines: each group is closed at GROUP_LINES lines or
        // GROUP_BYTES bytes, and the last, shorter one at the end of the body.
        while let Some(group) = next_group(&mut pending, finished) {
            while in_flight.len() >= limit {
                if let Some(whole) = send_oldest(&mut in_flight, &tx, wait).await.ended() {
                    return whole;
                }
            }
            let first_line = group.front().map_or(0, |(n, _)| *n);
            // Ids are drawn here, in line order, so that the log lists a batch as it was sent.
            let ids: Vec<(String, i64)> = group
                .iter()
                .map(|_| {
                    let millis = crate::log::now_millis();
                    let id = match state.log {
                        Some(_) => state.ids.next(millis),
                        None => String::new(),
                    };
                    (id, millis)
                })
                .collect();
            let (logged, next_before) = oneshot::channel();
            let after = before.replace(next_before);
            let (st, ld, op) = (state.clone(), loaded.clone(), opts.clone());
            let stopped = in_flight.stopped.clone();
            let task = tokio::spawn(async move {
                let group = Group {
                    lines: Vec::from(group),
                    ids,
                    stopped,
                };
                decide_group(&st, &ld, &op, group, (after, logged)).await
            });
            in_flight.push_back((first_line, task));
        }
        if finished {
            while !in_flight.is_empty() {
                if let Some(whole) = send_oldest(&mut in_flight, &tx, wait).await.ended() {
                    return whole;
                }
            }
            break;
        }
    }
    if let Some(message) = stop {
        let mut out = String::new();
        error_line(reader.n + 1, &message, &mut out);
        return matches!(
            tokio::time::timeout(wait, tx.send(Ok(Bytes::from(out)))).await,
            Ok(Ok(()))
        );
    }
    true
}

/// Start a batch (`batch` queues its lines on the sender it is given, and says whether it
/// ended whole) on a task of its own, holding `slot` until it ends; its answer's stream.
fn answered<F, Fut>(
    slot: Option<RequestSlot>,
    batch: F,
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>>
where
    F: FnOnce(mpsc::Sender<Result<Bytes, std::io::Error>>) -> Fut,
    Fut: std::future::Future<Output = bool> + Send + 'static,
{
    let (tx, rx) = mpsc::channel(4);
    let complete = Arc::new(AtomicBool::new(false));
    let said = complete.clone();
    // `keep` holds the channel open until `complete` is set, so that the answer cannot see its
    // end before it can tell whether the batch was whole. A panic drops it unset.
    let keep = tx.clone();
    let batch = batch(tx);
    tokio::spawn(async move {
        if batch.await {
            said.store(true, Ordering::Release);
        }
        drop(slot);
        drop(keep);
    });
    answer(rx, complete)
}

/// A batch's answer as hyper sends it: the lines `run` queues, then the end. When the batch
/// did not end whole (`complete` unset: the client stopped reading for the timeout, or the
/// batch's own loop panicked), the end is a body error, on which hyper cuts the connection
/// without the chunk that ends a whole answer: the client can tell a batch cut short from a
/// complete one. (A line that could not be decided, or logged, is an error line, and ends the
/// batch whole.)
fn answer(
    rx: mpsc::Receiver<Result<Bytes, std::io::Error>>,
    complete: Arc<AtomicBool>,
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> {
    futures_util::stream::unfold(Some(rx), move |rx| {
        let complete = complete.clone();
        async move {
            let mut rx = rx?;
            match rx.recv().await {
                Some(item) => Some((item, Some(rx))),
                None if complete.load(Ordering::Acquire) => None,
                None => Some((
                    Err(std::io::Error::other("the batch stopped before its end")),
                    None,
                )),
            }
        }
    })
}

/// The next group to decide from the lines read: GROUP_LINES lines, or fewer that reach
/// GROUP_BYTES, or at the end of the body whatever is left. None while a group is still filling.
fn next_group(pending: &mut VecDeque<Line>, at_end: bool) -> Option<VecDeque<Line>> {
    let mut bytes = 0;
    let mut take = 0;
    for (_, l) in pending.iter() {
        take += 1;
        bytes += l.as_ref().map_or(0, Vec::len);
        if take == GROUP_LINES || bytes >= GROUP_BYTES {
            let rest = pending.split_off(take);
            return Some(std::mem::replace(pending, rest));
        }
    }
    (at_end && !pending.is_empty()).then(|| std::mem::take(pending))
}

enum Sent {
    GoOn,
    /// A group could not be decided or logged: its error line was sent, which ends the batch
    /// (whole: the client reads why it stopped).
    Stop,
    /// The client went away, or stopped reading for the timeout: the batch ends cut short.
    Gone,
}

impl Sent {
    /// None to go on; else whether the answer ended whole.
    fn ended(self) -> Option<bool> {
        match self {
            Sent::GoOn => None,
            Sent::Stop => Some(true),
            Sent::Gone => Some(false),
        }
    }
}

/// Groups being decided and logged, oldest first: each its first line and its task.
/// Dropped while groups are still in it (the batch's loop panicked, or its task was
/// dropped), it stops them, so that none goes on to log records that nobody will be sent.
#[derive(Default)]
struct InFlight {
    groups: VecDeque<(usize, JoinHandle<(String, bool)>)>,
    /// Set when the groups are stopped. `abort` stops a group's task at its next `await`, but
    /// not its lines already being decided on a blocking thread, which read this before each
    /// line instead (else a stopped batch of 64-line groups would decide on for nobody).
    stopped: Arc<AtomicBool>,
}

impl InFlight {
    /// Stop every group in flight: none decides another line or logs.
    fn stop_all(&mut self) {
        self.stopped.store(true, Ordering::Release);
        for (_, g) in self.groups.drain(..) {
            g.abort();
        }
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.stop_all();
    }
}

impl std::ops::Deref for InFlight {
    type Target = VecDeque<(usize, JoinHandle<(String, bool)>)>;
    fn deref(&self) -> &Self::Target {
        &self.groups
    }
}

impl std::ops::DerefMut for InFlight {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.groups
    }
}

/// Wait for the oldest group in flight and send its output.
async fn send_oldest(
    in_flight: &mut InFlight,
    tx: &mpsc::Sender<Result<Bytes, std::io::Error>>,
    wait: std::time::Duration,
) -> Sent {
    let Some((_, oldest)) = in_flight.front_mut() else {
        return Sent::GoOn;
    };
    let done = oldest.await;
    send_done(in_flight, done, tx, wait).await
}

/// Send the output of the oldest group, which is done. Answers go out in line order, each once
/// its own records are logged; a client that reads nothing for the timeout is taken as gone.
async fn send_done(
    in_flight: &mut InFlight,
    done: Result<(String, bool), tokio::task::JoinError>,
    tx: &mpsc::Sender<Result<Bytes, std::io::Error>>,
    wait: std::time::Duration,
) -> Sent {
    let first = in_flight.pop_front().map_or(0, |(n, _)| n);
    let (out, go_on) = done.unwrap_or_else(|_| {
        let mut out = String::new();
        error_line(
            first,
            "the batch stopped: a group of lines could not be decided",
            &mut out,
        );
        (out, false)
    });
    let sent = matches!(
        tokio::time::timeout(wait, tx.send(Ok(Bytes::from(out)))).await,
        Ok(Ok(()))
    );
    if !sent || !go_on {
        // The groups after it are stopped where they stand. A group logs only after the one
        // before it did, so none after a failed one is logged; what was logged before the
        // client went away stays logged, unanswered.
        in_flight.stop_all();
        return if sent { Sent::Stop } else { Sent::Gone };
    }
    Sent::GoOn
}

/// A group of lines to decide, the ids drawn for them, and the batch's stop flag.
struct Group {
    lines: Vec<Line>,
    ids: Vec<(String, i64)>,
    stopped: Arc<AtomicBool>,
}

/// Decide a group of lines off the async threads, log the records once the group before has
/// been logged (`after`; `logged` says how this one went), and return the output and whether
/// to go on. When the log cannot be written, the output is one error line instead of the
/// records (none of them is sent unlogged) and the batch stops.
async fn decide_group(
    state: &AppState,
    loaded: &Arc<Loaded>,
    opts: &Options,
    group: Group,
    (after, logged): (Option<oneshot::Receiver<bool>>, oneshot::Sender<bool>),
) -> (String, bool) {
    let (st, ld, op) = (state.clone(), loaded.clone(), opts.clone());
    let Group {
        lines: group,
        ids,
        stopped: halt,
    } = group;
    let first = group.first().map_or(0, |(n, _)| *n);
    let halt_deciding = halt.clone();
    // Taken for the deciding only: a group waiting for its commit leaves the core to another.
    // (The semaphore is never closed; were it, the group would decide without a place.)
    let core = state.deciding.clone().acquire_owned().await.ok();
    let decided = tokio::task::spawn_blocking(move || {
        let _core = core;
        let mut out = String::new();
        let mut entries = Vec::new();
        let log_on = st.log.is_some();
        for ((n, line), (id, millis)) in group.into_iter().zip(ids) {
            if halt_deciding.load(Ordering::Acquire) {
                break;
            }
            // UTF-8 is checked here, off the task that reads the body, as the CLI's workers do.
            let result = match line {
                Err(m) => Err(ApiError::unusable_case(m, None)),
                Ok(l) => match jsonl::text(&l) {
                    None => Err(ApiError::unusable_case(jsonl::NOT_UTF8, None)),
                    Some(text) => decide::decide_case(
                        &ld.set,
                        &op,
                        text,
                        st.limits.depth,
                        (&id, Some(n)),
                        log_on,
                    )
                    .map(|d| (l, d)),
                },
            };
            match result {
                Ok((case, mut d)) => {
                    out.push_str(d.answer());
                    out.push('\n');
                    st.metrics
                        .decisions(decide::outcome_names(d.policy, &d.eval));
                    if log_on {
                        let record = d.take_full();
                        entries.push(decide::entry(d.policy, id, millis, case, record, &d.eval));
                    }
                }
                Err(e) => error_line(n, &e.message, &mut out),
            }
        }
        (out, entries)
    })
    .await;
    let stopped = |why: &str| {
        let mut out = String::new();
        error_line(first, why, &mut out);
        (out, false)
    };
    let Ok((out, entries)) = decided else {
        let _ = logged.send(false);
        return stopped("the batch stopped: a group of lines could not be decided");
    };
    if halt.load(Ordering::Acquire) {
        // Stopped while deciding: its output may be short, and nobody will read it.
        let _ = logged.send(false);
        return stopped("the batch stopped");
    }
    let Some(log) = &state.log else {
        let _ = logged.send(true);
        return (out, true);
    };
    // A group that went before and could not be logged (or was stopped) stops this one too.
    let go = match after {
        Some(rx) => rx.await.unwrap_or(false),
        None => true,
    };
    if !go {
        let _ = logged.send(false);
        return stopped("the batch stopped: the decision log cannot be written");
    }
    if !entries.is_empty() {
        if let Err(e) = log.writer.append(entries).await {
            tracing::error!(error = %e, "decision log");
            let _ = logged.send(false);
            return stopped("the batch stopped: the decision log cannot be written");
        }
    }
    let _ = logged.send(true);
    (out, true)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    /// A batch ends its answer whole only when it says so: one that panics, or ends cut short
    /// (its client stopped reading), ends it with a body error, on which hyper cuts the
    /// connection before the chunk that ends a whole answer.
    #[test]
    fn a_batch_that_panics_or_is_cut_short_ends_its_answer_with_an_error() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        rt.block_on(async {
            for (panics, whole) in [(true, true), (false, false), (false, true)] {
                let stream = answered(None, move |tx| async move {
                    let _ = tx.send(Ok(Bytes::from_static(b"{\"line\":1}\n"))).await;
                    if panics {
                        panic!("a bug in the batch's loop");
                    }
                    whole
                });
                let answer = axum::body::to_bytes(Body::from_stream(stream), usize::MAX).await;
                if panics || !whole {
                    let e = answer.unwrap_err();
                    assert!(e.to_string().contains("before its end"), "{e}");
                } else {
                    assert_eq!(answer.unwrap().to_vec(), b"{\"line\":1}\n");
                }
            }
        });
    }

    /// A group of a batch that was stopped (its client gone, a group before it failed, its
    /// loop panicked) decides no further line and logs nothing: `abort` stops a group's task
    /// only at its next `await`, not the lines it is deciding on a blocking thread.
    #[test]
    fn a_group_of_a_stopped_batch_decides_no_further_line() {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let set = crate::Versions::load("tests/fixtures/library-lending").unwrap();
            let opts = decide::options(Some("decision=borrow"), &set, true).unwrap();
            let loaded = Arc::new(Loaded {
                set,
                loaded_at: String::new(),
            });
            let state: AppState = Arc::new(super::super::state::Inner {
                policy_dir: "tests/fixtures/library-lending".into(),
                policy: arc_swap::ArcSwapOption::empty(),
                reload: Default::default(),
                log: None,
                limits: limits::Limits::default(),
                token: None,
                inflight: Arc::new(tokio::sync::Semaphore::new(4)),
                deciding: Arc::new(tokio::sync::Semaphore::new(1)),
                metrics: Default::default(),
                ids: Default::default(),
            });
            let case = br#"{"as_of":"2026-03-10","reader":{"id":"R1","student":false,"unpaid_fines":"12.5","loans":[]}}"#;
            for stop in [false, true] {
                let mut in_flight = InFlight::default();
                if stop {
                    in_flight.stop_all();
                }
                let group = Group {
                    lines: (1..=3).map(|n| (n, Ok(case.to_vec()))).collect(),
                    ids: vec![(String::new(), 0); 3],
                    stopped: in_flight.stopped.clone(),
                };
                let (logged, _) = oneshot::channel();
                let (out, go_on) = decide_group(&state, &loaded, &opts, group, (None, logged)).await;
                if stop {
                    assert!(!go_on);
                    assert_eq!(out.lines().count(), 1, "{out}");
                    assert!(out.contains("the batch stopped"), "{out}");
                } else {
                    assert!(go_on);
                    assert_eq!(out.lines().count(), 3, "{out}");
                    assert!(out.contains(r#""outcome":"allowed""#), "{out}");
                }
            }
            // Only the group that was not stopped decided its lines.
            let metrics = state.metrics.render(true);
            assert!(
                metrics.contains(
                    "rulebook_decisions_total{decision=\"borrow\",outcome=\"allowed\"} 3\n"
                ),
                "{metrics}"
            );
        });
    }

    #[test]
    fn groups_close_at_their_lines_or_bytes_and_the_last_at_the_end() {
        let line = |n: usize, len: usize| (n, Ok(vec![b'x'; len]));
        let mut pending: VecDeque<Line> = (1..=GROUP_LINES * 2 + 5).map(|n| line(n, 10)).collect();
        let a = next_group(&mut pending, false).unwrap();
        assert_eq!((a.len(), a.front().unwrap().0), (GROUP_LINES, 1));
        let b = next_group(&mut pending, false).unwrap();
        assert_eq!(b.front().unwrap().0, GROUP_LINES + 1);
        // Five lines left: still filling, until the body ends.
        assert!(next_group(&mut pending, false).is_none());
        assert_eq!(next_group(&mut pending, true).unwrap().len(), 5);
        assert!(next_group(&mut pending, true).is_none());
        // Bytes close a group before its lines do.
        let mut big: VecDeque<Line> = (1..=4).map(|n| line(n, GROUP_BYTES / 2)).collect();
        assert_eq!(next_group(&mut big, false).unwrap().len(), 2);
        assert_eq!(next_group(&mut big, false).unwrap().len(), 2);
        assert!(big.is_empty());
    }

    #[test]
    fn lines_across_frames_blank_lines_and_long_lines() {
        let mut r = Reader {
            partial: Vec::new(),
            over: false,
            n: 0,
            case_bytes: 8,
        };
        let mut out = VecDeque::new();
        r.feed(b"{\"a\"", &mut out);
        r.feed(b":1}\n\n0123456789abc\r\n{} \r", &mut out);
        // Blank as `eval --batch` has it: a byte order mark, an ideographic space, a vertical
        // tab. The ideographic space comes in two frames, split inside its bytes.
        r.feed(b"\n\xef\xbb\xbf\r\n\xe3\x80", &mut out);
        r.feed(b"\x80\n\x0b\n\xff\r\n", &mut out);
        // A line of the limit and a `\r` is within it; one byte more is not.
        r.feed(b"12345678\r\n123456789\r\n", &mut out);
        // The body ends inside a line: it is still a line, and keeps its `\r` (no `\n` came).
        r.feed(b"{}\r", &mut out);
        r.end_line(false, &mut out);
        assert_eq!(out.len(), 7, "{out:?}");
        assert_eq!(out[0], (1, Ok(b"{\"a\":1}".to_vec())));
        assert_eq!(out[1].0, 3);
        assert!(out[1].1.is_err());
        // Only the `\r` before the end goes; the line is otherwise as sent.
        assert_eq!(out[2], (4, Ok(b"{} ".to_vec())));
        // A line that is not UTF-8 is not blank: the worker says so in its place.
        assert_eq!(out[3], (8, Ok(b"\xff".to_vec())));
        assert_eq!(out[4], (9, Ok(b"12345678".to_vec())));
        assert_eq!(out[5].0, 10);
        assert!(out[5].1.is_err());
        assert_eq!(out[6], (11, Ok(b"{}\r".to_vec())));
    }
}
