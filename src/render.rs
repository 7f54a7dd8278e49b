//! Diagnostics and findings rendered through miette, against the whole file they point into.

use crate::check::Diagnostic;
use crate::source::{SourceMap, Span};
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceSpan, SpanContents,
};
use std::fmt;
use std::io::IsTerminal;

/// Colour only on a terminal, and never when `NO_COLOR` is set.
pub fn use_colour(stream_is_terminal: bool) -> bool {
    stream_is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

pub fn stderr_colour() -> bool {
    use_colour(std::io::stderr().is_terminal())
}

pub fn stdout_colour() -> bool {
    use_colour(std::io::stdout().is_terminal())
}

/// A named file for miette whose `line:column` heading counts characters, as the `file:line:col`
/// line printed above it does. miette counts bytes, so on a line of Chinese text the two
/// columns for one place differed (`8:45` above, `8:129` in the box).
#[derive(Debug)]
pub struct Named {
    name: String,
    text: String,
}

impl Named {
    pub fn new(name: String, text: String) -> Named {
        Named { name, text }
    }
}

impl miette::SourceCode for Named {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self
            .text
            .read_span(span, context_lines_before, context_lines_after)?;
        // Only the read without context gives the heading's place; with context lines the
        // contents start at a line's start and miette walks them by characters itself.
        let column = if context_lines_before == 0 && context_lines_after == 0 {
            let at = span.offset();
            let line_start = at.saturating_sub(inner.column());
            self.text
                .get(line_start..at)
                .map_or(inner.column(), |before| before.chars().count())
        } else {
            inner.column()
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line(),
            column,
            inner.line_count(),
        )))
    }
}

/// One report for miette: a message, a severity, a labelled span in a named file, a help line.
#[derive(Debug)]
pub struct Report {
    pub code: String,
    pub message: String,
    pub help: Option<String>,
    pub severity: miette::Severity,
    pub source: Option<Named>,
    pub labels: Vec<(Span, String)>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report {}

impl miette::Diagnostic for Report {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.code))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.source.is_none() || self.labels.is_empty() {
            return None;
        }
        Some(Box::new(self.labels.iter().map(|(s, l)| {
            LabeledSpan::new_with_span(
                Some(l.clone()),
                SourceSpan::new((s.start as usize).into(), s.len()),
            )
        })))
    }
}

impl Report {
    pub fn new(code: &str, message: String, severity: miette::Severity) -> Self {
        Report {
            code: code.to_string(),
            message,
            help: None,
            severity,
            source: None,
            labels: Vec::new(),
        }
    }

    /// Attach the file a span points into (all labels must be in that file).
    pub fn at(mut self, sources: &SourceMap, span: Span, label: String) -> Self {
        if let Some(f) = sources.file(span) {
            self.source = Some(Named::new(f.name.clone(), f.text.to_string()));
            self.labels.push((span, label));
        }
        self
    }

    /// As `at`, naming the file by its label (`<policy>/<version>/<file>`), which does not
    /// depend on the path the policy was loaded by: for reports about decisions.
    pub fn at_label(mut self, sources: &SourceMap, span: Span, label: String) -> Self {
        if let Some(f) = sources.file(span) {
            self.source = Some(Named::new(f.label.clone(), f.text.to_string()));
            self.labels.push((span, label));
        }
        self
    }

    pub fn label(mut self, span: Span, label: String) -> Self {
        self.labels.push((span, label));
        self
    }

    pub fn render(&self, colour: bool) -> String {
        let theme = if colour {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_width(100)
            .with_links(false);
        let mut out = String::new();
        if handler.render_report(&mut out, self).is_err() {
            out = format!("{}: {}\n", self.code, self.message);
        }
        out
    }
}

/// A check diagnostic as text: `file:line:col` first (for people and tools), then miette's view.
pub fn diagnostic(d: &Diagnostic, sources: &SourceMap, colour: bool) -> String {
    let (severity, word) = if d.code.is_warning() {
        (miette::Severity::Warning, "warning")
    } else {
        (miette::Severity::Error, "error")
    };
    let mut r = Report::new(d.code.as_str(), d.message.clone(), severity);
    r.help = d.help.clone();
    let mut out = String::new();
    if let Some(span) = d.span {
        out.push_str(&format!(
            "{word}: {}: {}\n",
            sources.location(span),
            d.message
        ));
        r = r.at(sources, span, "here".to_string());
    } else {
        out.push_str(&format!("{word}: {}\n", d.message));
    }
    out.push_str(&r.render(colour));
    out
}
