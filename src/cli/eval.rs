//! `rulebook eval`: one case file, or JSON Lines in batch (streamed, in order, on every core).

use super::choose::Chooser;
use super::{Format, LangArg, RecordArg};
use crate::eval::facts::Facts;
use crate::eval::interp::Scratch;
use crate::explain::{self, Lang};
use crate::{Policy, ReadOptions, RecordMode};
use chrono::NaiveDate;
use clap::Args;
use std::io::{Read, Write};

use std::path::PathBuf;

// One of `--facts` and `--batch`: a missing input names both.
#[derive(Args, Debug)]
#[command(group(clap::ArgGroup::new("input").required(true).args(["facts", "batch"])))]
pub struct EvalArgs {
    /// The case file (`-` for standard input)
    #[arg(long)]
    pub facts: Option<String>,
    /// A JSON Lines file of case files, one a line (`-` for standard input)
    #[arg(long)]
    pub batch: Option<String>,
    /// The policy folder (default: $RULEBOOK_POLICY, else ./policies)
    #[arg(long)]
    pub policy: Option<PathBuf>,
    /// Decide with this version (its `version`), whatever the date; default: the version in
    /// force on the case's as_of
    #[arg(long)]
    pub version: Option<String>,
    /// A decision to evaluate (repeatable; default: every decision)
    #[arg(long = "decision")]
    pub decisions: Vec<String>,
    /// The date of the decision, overriding the case file's `as_of` (YYYY-MM-DD)
    #[arg(long)]
    pub as_of: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
    /// How much of the JSON record to write: `lean` keeps only the findings that are not
    /// satisfied, without message and source
    #[arg(long, value_enum, default_value_t = RecordArg::Full)]
    pub record: RecordArg,
    /// Language of the text and letter formats
    #[arg(long, value_enum, default_value_t = LangArg::Zh)]
    pub lang: LangArg,
    /// The letter's number (文号), printed under its title (letter and html formats)
    #[arg(long)]
    pub letter_number: Option<String>,
    /// The date on the letter (YYYY-MM-DD); default: the decision's as_of
    #[arg(long)]
    pub letter_date: Option<String>,
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
    let mode = RecordMode::from(args.record);
    if mode == RecordMode::Lean && args.format != Format::Json {
        eprintln!("error: --record lean is a form of the JSON record; --format text, letter and html explain every finding");
        return 2;
    }
    // The letter's parts, checked as the service checks them, before anything is read.
    let is_letter = matches!(args.format, Format::Letter | Format::Html);
    if (args.letter_number.is_some() || args.letter_date.is_some()) && !is_letter {
        eprintln!("error: --letter-number and --letter-date are parts of a letter: give --format letter or --format html");
        return 2;
    }
    if let Some(n) = &args.letter_number {
        if !explain::letter::number_ok(n) {
            eprintln!(
                "error: --letter-number: expected {}, got {n:?}",
                explain::letter::NUMBER_HINT
            );
            return 2;
        }
    }
    let letter_date = match &args.letter_date {
        None => None,
        Some(s) => match crate::eval::facts::parse_date(s) {
            Some(d) => Some(d),
            None => {
                eprintln!("error: --letter-date: expected a date YYYY-MM-DD, got {s:?}");
                return 2;
            }
        },
    };
    let Some(set) = super::policy_arg::load_versions(args.policy.as_deref()) else {
        return 1;
    };
    // The same decision asked twice is one question, answered once.
    let mut asked: Vec<String> = Vec::new();
    for d in &args.decisions {
        if !asked.contains(d) {
            asked.push(d.clone());
        }
    }
    let chooser = match Chooser::new(&set, args.version.as_deref(), &asked) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let lang = if args.lang == LangArg::En {
        Lang::En
    } else {
        Lang::Zh
    };
    if let Some(src) = &args.batch {
        let options = ReadOptions {
            lenient: args.lenient,
        };
        return batch_cli(&chooser, src, as_of, options, args.format, mode);
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
    let (policy, decisions, facts, date) = match chooser.read(&text, as_of, options) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("error: {src}: {e}");
            return 2;
        }
    };
    for w in &facts.warnings {
        eprintln!("warning: {src}: {w}");
    }
    let eval = policy.evaluate(&facts, date, decisions);
    let opts = explain::letter::LetterOptions {
        lang,
        number: args.letter_number.as_deref(),
        date: letter_date,
    };
    let out = match args.format {
        Format::Json => {
            let mut s = policy.record_json_pretty_as(&eval, mode);
            s.push('\n');
            s
        }
        Format::Text => explain::text::render(policy, &eval, lang, crate::render::stdout_colour()),
        Format::Letter => explain::letter::markdown(policy, Some(&facts), &eval, &opts),
        Format::Html => explain::html::render(policy, Some(&facts), &eval, &opts),
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
#[derive(Clone, Copy, Default)]
pub struct BatchOptions<'a> {
    pub decisions: &'a [crate::check::ir::DecisionId],
    pub as_of: Option<NaiveDate>,
    pub read: ReadOptions,
    /// Full or lean records (CONTRACT section 3).
    pub record: RecordMode,
}

/// How a batch line becomes a version, its decisions, its facts and its date.
type Pick<'a> = dyn Fn(
        &str,
    ) -> Result<
        (
            &'a Policy,
            &'a [crate::check::ir::DecisionId],
            Facts,
            NaiveDate,
        ),
        String,
    > + Sync
    + 'a;

/// One output line for one input line: a record carrying `"line": N`, or
/// `{"line": N, "error": "…"}`. Warnings of a lenient read go to `warnings`, one a line.
fn one_line(
    pick: &Pick<'_>,
    mode: RecordMode,
    n: usize,
    line: &str,
    out: &mut String,
    warnings: &mut String,
    scratch: &mut Scratch,
) {
    match pick(line) {
        Ok((policy, decisions, facts, date)) => {
            for w in &facts.warnings {
                warnings.push_str(&format!("warning: line {n}: {w}\n"));
            }
            let eval = policy.evaluate_for(&facts, date, decisions, mode, scratch);
            policy.write_record_line(&eval, mode, n, out);
            scratch.recycle(eval.decisions);
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

fn batch_cli(
    chooser: &Chooser<'_>,
    src: &str,
    as_of: Option<NaiveDate>,
    read: ReadOptions,
    format: Format,
    mode: RecordMode,
) -> i32 {
    let pick = |line: &str| chooser.read(line, as_of, read);
    if format != Format::Json {
        eprintln!(
            "error: --batch writes JSON Lines; --format text and letter are for one case at a time"
        );
        return 2;
    }
    let stdout = std::io::stdout().lock();
    let result = if src == "-" {
        batch_by(&pick, mode, std::io::stdin().lock(), stdout)
    } else {
        match std::fs::File::open(src) {
            Ok(f) => batch_by(&pick, mode, f, stdout),
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

/// JSON Lines in, JSON Lines out, in order, decided on every core with buffers used again for
/// later lines (`cli::batch`). Memory stays flat however many cases come.
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
        record: RecordMode::Full,
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
    let pick = |line: &str| {
        let facts = policy
            .parse_case_with(line, opts.read)
            .map_err(|e| e.to_string())?;
        let date = opts
            .as_of
            .or(facts.as_of)
            .ok_or_else(|| "the case has no `as_of` and no --as-of was given".to_string())?;
        Ok((policy, opts.decisions, facts, date))
    };
    batch_by(&pick, opts.record, input, output)
}

/// JSON Lines in, JSON Lines out, in order, decided on every core (`cli::batch`).
fn batch_by<R: Read, W: Write>(
    pick: &Pick<'_>,
    mode: RecordMode,
    input: R,
    output: W,
) -> std::io::Result<()> {
    super::batch::run(
        input,
        output,
        |n, line: &str, out: &mut String, warnings: &mut String, scratch: &mut Scratch| {
            one_line(pick, mode, n, line, out, warnings, scratch)
        },
        error_line,
    )
}
