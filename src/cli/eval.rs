//! `rulebook eval`: one case file, or JSON Lines in batch (streamed, in order, on every core).

use super::{Format, LangArg};
use crate::explain::{self, Lang};
use crate::{Policy, ReadOptions};
use chrono::NaiveDate;
use clap::Args;
use std::io::{BufRead, BufReader, Read, Write};

use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct EvalArgs {
    /// The case file (`-` for standard input)
    #[arg(long, conflicts_with = "batch", required_unless_present = "batch")]
    pub facts: Option<String>,
    /// A JSON Lines file of case files, one a line (`-` for standard input)
    #[arg(long)]
    pub batch: Option<String>,
    /// The policy folder
    #[arg(long, default_value = "policies")]
    pub policy: PathBuf,
    /// A decision to evaluate (repeatable; default: every decision)
    #[arg(long = "decision")]
    pub decisions: Vec<String>,
    /// The date of the decision, overriding the case file's `as_of` (YYYY-MM-DD)
    #[arg(long)]
    pub as_of: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
    /// Language of the text and letter formats
    #[arg(long, value_enum, default_value_t = LangArg::Zh)]
    pub lang: LangArg,
    /// Skip fields the vocabulary does not know, with a warning (on stderr, in the text report
    /// and in the record's `warnings`), instead of refusing the case file
    #[arg(long)]
    pub lenient: bool,
}

fn read_input(src: &str) -> Result<String, String> {
    if src == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        Ok(s)
    } else {
        std::fs::read(src)
            .map_err(|e| format!("cannot read `{src}`: {e}"))
            .and_then(|b| String::from_utf8(b).map_err(|_| format!("`{src}` is not UTF-8 text")))
    }
}

pub fn run(args: &EvalArgs) -> i32 {
    let as_of = match &args.as_of {
        Some(s) => match crate::eval::facts::parse_date(s) {
            Some(d) => Some(d),
            None => {
                eprintln!("error: --as-of: expected a date YYYY-MM-DD, got {s:?}");
                return 2;
            }
        },
        None => None,
    };
    let Some(policy) = super::load_or_report(&args.policy) else {
        return 1;
    };
    let mut decisions = Vec::new();
    for name in &args.decisions {
        match policy.decision_index(name) {
            // The same decision asked twice is one question, answered once.
            Some(i) if decisions.contains(&i) => {}
            Some(i) => decisions.push(i),
            None => {
                eprintln!(
                    "error: --decision: the policy has no decision `{name}`; it has: {}",
                    policy.decision_names().join(", ")
                );
                return 2;
            }
        }
    }
    let lang = if args.lang == LangArg::En {
        Lang::En
    } else {
        Lang::Zh
    };
    if let Some(src) = &args.batch {
        let options = ReadOptions {
            lenient: args.lenient,
        };
        return batch_cli(&policy, src, &decisions, as_of, options, args.format);
    }
    let Some(src) = &args.facts else {
        eprintln!("error: give --facts FILE or --batch FILE");
        return 2;
    };
    let text = match read_input(src) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let options = ReadOptions {
        lenient: args.lenient,
    };
    let facts = match policy.parse_case_with(&text, options) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {src}: {e}");
            return 2;
        }
    };
    for w in &facts.warnings {
        eprintln!("warning: {src}: {w}");
    }
    let Some(date) = as_of.or(facts.as_of) else {
        eprintln!("error: {src}: the case has no `as_of` and no --as-of was given; a decision without a date cannot be reproduced");
        return 2;
    };
    let eval = policy.evaluate(&facts, date, &decisions);
    let out = match args.format {
        Format::Json => {
            let mut s = policy.record_json_pretty(&eval);
            s.push('\n');
            s
        }
        Format::Text => explain::text::render(&policy, &eval, lang, crate::render::stdout_colour()),
        Format::Letter => explain::letter::render(&policy, &eval, lang),
    };
    let mut stdout = std::io::stdout().lock();
    if stdout
        .write_all(out.as_bytes())
        .and_then(|_| stdout.flush())
        .is_err()
    {
        return 2;
    }
    0
}

/// What every line of a batch is read and evaluated with.
#[derive(Clone, Copy)]
pub struct BatchOptions<'a> {
    pub decisions: &'a [crate::check::ir::DecisionId],
    pub as_of: Option<NaiveDate>,
    pub read: ReadOptions,
}

/// One output line for one input line: a record carrying `"line": N`, or
/// `{"line": N, "error": "…"}`. Warnings of a lenient read go to `warnings`, one a line.
fn one_line(
    policy: &Policy,
    n: usize,
    line: &str,
    opts: BatchOptions,
    out: &mut String,
    warnings: &mut String,
) {
    let BatchOptions {
        decisions, as_of, ..
    } = opts;
    let result = policy
        .parse_case_with(line, opts.read)
        .map_err(|e| e.to_string())
        .and_then(|facts| {
            let date = as_of
                .or(facts.as_of)
                .ok_or_else(|| "the case has no `as_of` and no --as-of was given".to_string())?;
            Ok((facts, date))
        });
    match result {
        Ok((facts, date)) => {
            for w in &facts.warnings {
                warnings.push_str(&format!("warning: line {n}: {w}\n"));
            }
            let eval = policy.evaluate(&facts, date, decisions);
            let start = out.len();
            policy.write_record(&eval, out);
            // The record is an object: its first key becomes the input's line number (formatted
            // on the stack: no allocation per line).
            if out[start..].starts_with('{') {
                let mut head = [0u8; 40];
                let mut cur = std::io::Cursor::new(&mut head[..]);
                if write!(cur, "\"line\":{n},").is_ok() {
                    let len = cur.position() as usize;
                    if let Ok(h) = std::str::from_utf8(&head[..len]) {
                        out.insert_str(start + 1, h);
                    }
                }
            }
        }
        Err(e) => error_line(n, &e, out),
    }
    out.push('\n');
}

fn error_line(n: usize, e: &str, out: &mut String) {
    out.push_str(&format!("{{\"line\":{n},\"error\":\""));
    crate::explain::record::push_escaped(out, e);
    out.push_str("\"}");
}

const CHUNK: usize = 256;

fn batch_cli(
    policy: &Policy,
    src: &str,
    decisions: &[crate::check::ir::DecisionId],
    as_of: Option<NaiveDate>,
    read: ReadOptions,
    format: Format,
) -> i32 {
    let opts = BatchOptions {
        decisions,
        as_of,
        read,
    };
    if format != Format::Json {
        eprintln!(
            "error: --batch writes JSON Lines; --format text and letter are for one case at a time"
        );
        return 2;
    }
    let stdout = std::io::stdout().lock();
    let result = if src == "-" {
        batch_with(policy, std::io::stdin().lock(), stdout, opts)
    } else {
        match std::fs::File::open(src) {
            Ok(f) => batch_with(policy, f, stdout, opts),
            Err(e) => {
                eprintln!("error: cannot read `{src}`: {e}");
                return 2;
            }
        }
    };
    match result {
        Ok(()) => 0,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}

/// JSON Lines in, JSON Lines out, in order: read a bounded chunk, evaluate its lines on every
/// core, write them, reuse the buffers. Memory stays flat however many cases come.
pub fn batch<R: Read, W: Write>(
    policy: &Policy,
    input: R,
    output: W,
    decisions: &[crate::check::ir::DecisionId],
    as_of: Option<NaiveDate>,
) -> std::io::Result<()> {
    let opts = BatchOptions {
        decisions,
        as_of,
        read: ReadOptions::default(),
    };
    batch_with(policy, input, output, opts)
}

/// [`batch`] with every option; a lenient read's warnings go to stderr as `warning: line N: …`.
pub fn batch_with<R: Read, W: Write>(
    policy: &Policy,
    input: R,
    output: W,
    opts: BatchOptions,
) -> std::io::Result<()> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    let mut out = std::io::BufWriter::with_capacity(1 << 20, output);
    let mut lines = BufReader::with_capacity(1 << 20, input).lines();
    let mut n = 0usize;
    let mut chunk: Vec<(usize, Result<String, String>)> = Vec::with_capacity(CHUNK);
    let mut buffers: Vec<(String, String)> = vec![(String::new(), String::new()); workers];
    // A line that is not UTF-8 is one bad line; any other read error ends the input, which a
    // reader could otherwise repeat forever (a directory fails every read).
    let mut unreadable: Option<std::io::Error> = None;
    loop {
        chunk.clear();
        for l in lines.by_ref() {
            n += 1;
            match l {
                Ok(s) if s.trim_start_matches('\u{feff}').trim().is_empty() => continue,
                Ok(s) => chunk.push((n, Ok(s))),
                Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                    chunk.push((n, Err(format!("the line cannot be read: {e}"))))
                }
                Err(e) => {
                    unreadable = Some(e);
                    break;
                }
            }
            if chunk.len() == CHUNK {
                break;
            }
        }
        if chunk.is_empty() {
            break;
        }
        let per = chunk.len().div_ceil(workers);
        std::thread::scope(|s| {
            for (part, (buf, warn)) in chunk.chunks(per).zip(buffers.iter_mut()) {
                s.spawn(move || {
                    buf.clear();
                    warn.clear();
                    for (n, l) in part {
                        match l {
                            Ok(line) => one_line(policy, *n, line, opts, buf, warn),
                            Err(e) => {
                                error_line(*n, e, buf);
                                buf.push('\n');
                            }
                        }
                    }
                });
            }
        });
        for (b, w) in buffers.iter().take(chunk.len().div_ceil(per)) {
            out.write_all(b.as_bytes())?;
            if !w.is_empty() {
                eprint!("{w}");
            }
        }
        if unreadable.is_some() {
            break;
        }
    }
    out.flush()?;
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
