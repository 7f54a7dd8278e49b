//! The batch loop: JSON Lines in, JSON Lines out, in input order, the lines decided on every
//! core.
//!
//! The main thread reads lines into small jobs and hands them to a pool of workers, which keep
//! their threads, evaluation buffers and output buffers for the whole batch; finished jobs come
//! back in any order and are written in input order. Reading and writing overlap the deciding,
//! and a worker that finishes early takes the next job instead of waiting for the slowest part
//! of a chunk (issue 12). At most a bounded number of jobs are out at once, so memory stays flat
//! however many cases come.

use super::lines::Lines;
use crate::eval::interp::Scratch;
use crate::jsonl;
use std::collections::BTreeMap;
use std::io::{BufReader, Read, Write};
use std::sync::{mpsc, Mutex};

/// Lines a job holds: enough that handing a job over costs little beside deciding it.
const JOB_LINES: usize = 32;
/// Jobs out at once, per worker: one being decided, more waiting, one being written.
const JOBS_PER_WORKER: usize = 4;
/// The most a job's output buffer keeps from one job to the next (8 MiB): one a rare huge
/// record made larger is let go rather than kept for the rest of the batch.
const MAX_KEPT: usize = 8 << 20;

/// A run of consecutive input lines and what was written for them.
struct Job {
    /// Its place in the input: jobs are written in this order.
    seq: u64,
    /// Each line's number and bytes (checked as UTF-8 by the worker that decides it).
    lines: Vec<(usize, Vec<u8>)>,
    /// The output lines, in line order.
    out: String,
    /// The warnings of a lenient read, one a line, in line order.
    warnings: String,
}

/// What a worker sends back.
enum Done {
    Job(Job),
    /// The worker panicked (a bug): its job will not come back.
    WorkerPanicked,
}

/// Sends [`Done::WorkerPanicked`] when its worker unwinds, so that the main thread does not wait
/// for ever for the job that worker had.
struct Alarm(mpsc::Sender<Done>);

impl Drop for Alarm {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let _ = self.0.send(Done::WorkerPanicked);
        }
    }
}

impl Job {
    fn new() -> Job {
        Job {
            seq: 0,
            lines: Vec::with_capacity(JOB_LINES),
            out: String::new(),
            warnings: String::new(),
        }
    }
}

/// Decide every line of `input` with `decide_line` and write the output lines to `output`.
/// `decide_line(n, line, out, warnings, scratch)` writes the output line for input line `n`,
/// its `\n` included; `error_line(n, why, out)` writes the one for a line that cannot be read,
/// without the `\n` (added here).
pub fn run<R, W, D, E>(input: R, output: W, decide_line: D, error_line: E) -> std::io::Result<()>
where
    R: Read,
    W: Write,
    D: Fn(usize, &str, &mut String, &mut String, &mut Scratch) + Sync,
    E: Fn(usize, &str, &mut String) + Sync,
{
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    // Small: a job of full records (about 1 MB) is longer and goes straight to `output`
    // instead of being copied into the buffer first; lean jobs (about 16 KB) are gathered.
    let mut out = std::io::BufWriter::with_capacity(64 << 10, output);
    let mut lines = Lines::new(BufReader::with_capacity(1 << 20, input));
    let (to_workers, jobs) = mpsc::channel::<Job>();
    let jobs = Mutex::new(jobs);
    let (to_main, done) = mpsc::channel::<Done>();

    std::thread::scope(|s| {
        for _ in 0..workers {
            // The worker's one way back to the main thread, which also raises the alarm.
            let to_main = Alarm(to_main.clone());
            let (jobs, decide_line, error_line) = (&jobs, &decide_line, &error_line);
            s.spawn(move || {
                let mut scratch = Scratch::default();
                loop {
                    // The lock is held only to take a job, not while deciding it.
                    let next = match jobs.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => return,
                    };
                    let Ok(mut job) = next else { return };
                    job.out.clear();
                    job.warnings.clear();
                    for (i, (n, l)) in job.lines.iter().enumerate() {
                        // Room for the job at one and a half times its first line's output:
                        // growing a buffer of many records by doubling copies it each time.
                        // Capped: a huge first record must not pin a huge buffer for the batch.
                        if i == 1 {
                            let want = job.out.len().saturating_mul(job.lines.len()) / 2 * 3;
                            job.out
                                .reserve(want.min(MAX_KEPT).saturating_sub(job.out.len()));
                        }
                        match jsonl::text(l) {
                            Some(text) => {
                                decide_line(*n, text, &mut job.out, &mut job.warnings, &mut scratch)
                            }
                            None => {
                                error_line(*n, jsonl::NOT_UTF8, &mut job.out);
                                job.out.push('\n');
                            }
                        }
                    }
                    if to_main.0.send(Done::Job(job)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(to_main);
        // Dropping `to_workers` on any way out of this closure ends the workers' loops.
        let result = feed_and_write(&mut lines, &mut out, to_workers, &done, workers);
        // Flushed whatever happened: what was read before a failing input is still written,
        // and a failing write is still reported.
        let flushed = out.flush();
        result.and(flushed)
    })
}

/// The main thread's part: read jobs, send them out, write what comes back in input order.
fn feed_and_write<R: std::io::BufRead, W: Write>(
    lines: &mut Lines<R>,
    out: &mut W,
    to_workers: mpsc::Sender<Job>,
    done: &mpsc::Receiver<Done>,
    workers: usize,
) -> std::io::Result<()> {
    let max_in_flight = workers * JOBS_PER_WORKER;
    let mut spare: Vec<Job> = Vec::new();
    let mut finished: BTreeMap<u64, Job> = BTreeMap::new();
    let (mut sent, mut written) = (0u64, 0u64);
    let mut n = 0usize;
    // A line that is not UTF-8 is one bad line; any other read error ends the input, which a
    // reader could otherwise repeat forever (a directory fails every read).
    let mut unreadable: Option<std::io::Error> = None;
    let mut input_ended = false;
    loop {
        while !input_ended && ((sent - written) as usize) < max_in_flight {
            let mut job = spare.pop().unwrap_or_else(Job::new);
            input_ended = fill(lines, &mut job, &mut n, &mut unreadable);
            if job.lines.is_empty() {
                spare.push(job);
                break;
            }
            job.seq = sent;
            sent += 1;
            if to_workers.send(job).is_err() {
                // Every worker is gone: only a panic does that, and the scope passes it on.
                return Ok(());
            }
        }
        if written == sent {
            break;
        }
        // A worker that panicked sends no job back: stop here, and the scope passes the panic on
        // once the other workers have seen the end of the jobs.
        let Ok(Done::Job(job)) = done.recv() else {
            return Ok(());
        };
        finished.insert(job.seq, job);
        while let Some(job) = finished.remove(&written) {
            out.write_all(job.out.as_bytes())?;
            if !job.warnings.is_empty() {
                eprint!("{}", job.warnings);
            }
            written += 1;
            spare.push(recycle(lines, job));
        }
    }
    match unreadable {
        Some(e) => Err(std::io::Error::new(
            e.kind(),
            format!(
                "the input cannot be read after line {}: {e}",
                n.saturating_sub(1)
            ),
        )),
        None => Ok(()),
    }
}

/// Reads up to [`JOB_LINES`] lines that are not blank into `job`; true when the input ended
/// (its end, or a read error, kept in `unreadable`).
fn fill<R: std::io::BufRead>(
    lines: &mut Lines<R>,
    job: &mut Job,
    n: &mut usize,
    unreadable: &mut Option<std::io::Error>,
) -> bool {
    while job.lines.len() < JOB_LINES {
        let Some(l) = lines.next_line() else {
            return true;
        };
        *n += 1;
        match l {
            Ok(bytes) if jsonl::is_blank(&bytes) => lines.recycle(bytes),
            Ok(bytes) => job.lines.push((*n, bytes)),
            Err(e) => {
                *unreadable = Some(e);
                return true;
            }
        }
    }
    false
}

/// A written job, its lines' buffers given back for later lines.
fn recycle<R: std::io::BufRead>(lines: &mut Lines<R>, mut job: Job) -> Job {
    for (_, bytes) in job.lines.drain(..) {
        lines.recycle(bytes);
    }
    if job.out.capacity() > MAX_KEPT {
        job.out = String::new();
    }
    job
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    /// Jobs finish out of order (some lines take far longer than others); the output keeps the
    /// input's order, blank lines skipped, a line that is not UTF-8 an error in its place.
    #[test]
    fn output_keeps_input_order_across_many_jobs() {
        let mut input = Vec::new();
        let mut want = String::new();
        for n in 1..=1000usize {
            match n % 97 {
                0 => input.extend_from_slice(b"   \r\n"),
                13 => {
                    input.extend_from_slice(b"\xff\n");
                    want.push_str(&format!("{n} error\n"));
                }
                _ => {
                    input.extend_from_slice(format!("case {n}\n").as_bytes());
                    want.push_str(&format!("{n} case {n}\n"));
                }
            }
        }
        let mut output = Vec::new();
        run(
            &input[..],
            &mut output,
            |n, line: &str, out: &mut String, _: &mut String, _: &mut Scratch| {
                if n % 40 < 3 {
                    std::thread::sleep(std::time::Duration::from_millis(2));
                }
                out.push_str(&format!("{n} {line}\n"));
            },
            |n, why: &str, out: &mut String| {
                assert_eq!(why, jsonl::NOT_UTF8);
                out.push_str(&format!("{n} error"));
            },
        )
        .unwrap();
        assert_eq!(String::from_utf8(output).unwrap(), want);
    }

    /// A read error that is not about one line ends the input: what came before it is written,
    /// and the error says after which line.
    #[test]
    fn a_failing_input_keeps_what_came_before() {
        struct FailsAfter(Vec<u8>);
        impl Read for FailsAfter {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                if self.0.is_empty() {
                    return Err(std::io::Error::other("the disk went away"));
                }
                let k = buf.len().min(self.0.len());
                buf[..k].copy_from_slice(&self.0[..k]);
                self.0.drain(..k);
                Ok(k)
            }
        }
        let lines: String = (1..=70).map(|n| format!("{n}\n")).collect();
        let mut output = Vec::new();
        let err = run(
            FailsAfter(lines.into_bytes()),
            &mut output,
            |_, line: &str, out: &mut String, _: &mut String, _: &mut Scratch| {
                out.push_str(line);
                out.push('\n');
            },
            |_, _: &str, _: &mut String| panic!("every line is UTF-8"),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "the input cannot be read after line 70: the disk went away"
        );
        let want: String = (1..=70).map(|n| format!("{n}\n")).collect();
        assert_eq!(String::from_utf8(output).unwrap(), want);
    }

    /// A bug that panics in a worker ends the batch with that panic, not with a hang.
    #[test]
    fn a_panicking_worker_does_not_hang_the_batch() {
        let input: String = (1..=200).map(|n| format!("{n}\n")).collect();
        let result = std::panic::catch_unwind(|| {
            run(
                input.as_bytes(),
                std::io::sink(),
                |n, _: &str, _: &mut String, _: &mut String, _: &mut Scratch| {
                    assert_ne!(n, 77, "a bug");
                },
                |_, _: &str, _: &mut String| {},
            )
        });
        assert!(result.is_err());
    }
}
