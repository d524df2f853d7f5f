//! `--format json`: one document with a summary and every diagnostic.

use std::io::Write;

use serde::Serialize;
use tenure_schema::check::Summary;
use tenure_schema::diagnostic::{Code, Diagnostic, Severity};

use super::{Files, Location};

/// Bumped when a field changes meaning or goes away; new fields do not bump it.
const FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    registry: String,
    summary: JsonSummary,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
struct JsonSummary {
    #[serde(flatten)]
    counts: Summary,
    files: usize,
    declarations: usize,
}

/// One finding as JSON; also used by `tenure diff`.
#[derive(Serialize)]
pub(crate) struct JsonDiagnostic<'a> {
    code: Code,
    severity: Severity,
    /// The OWASP Non-Human Identities Top 10 risk, `NHI1` to `NHI10`.
    #[serde(skip_serializing_if = "Option::is_none")]
    owasp: Option<&'static str>,
    message: &'a str,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    location: Option<JsonLocation<'a>>,
    related: Vec<JsonLocation<'a>>,
    notes: &'a [String],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct JsonLocation<'a> {
    file: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    /// Byte offsets into the file.
    span: [u32; 2],
    #[serde(skip_serializing_if = "str::is_empty")]
    label: &'a str,
}

fn location<'a>(loc: Location, span: [u32; 2], label: &'a str) -> JsonLocation<'a> {
    JsonLocation {
        file: loc.path,
        line: loc.line,
        column: loc.column,
        end_line: loc.end_line,
        end_column: loc.end_column,
        span,
        label,
    }
}

/// One finding, located.
pub(crate) fn diagnostic<'a>(files: &Files<'_>, d: &'a Diagnostic) -> JsonDiagnostic<'a> {
    JsonDiagnostic {
        code: d.code,
        severity: d.severity,
        owasp: d.code.owasp().map(|o| o.id()),
        message: &d.message,
        location: d
            .primary
            .as_ref()
            .map(|l| location(files.locate(l), [l.span.start, l.span.end], &l.message)),
        related: d
            .secondary
            .iter()
            .map(|l| location(files.locate(l), [l.span.start, l.span.end], &l.message))
            .collect(),
        notes: &d.notes,
    }
}

pub(crate) fn render(
    files: &Files<'_>,
    diagnostics: &[Diagnostic],
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let registry = files.registry();
    let report = Report {
        version: FORMAT_VERSION,
        registry: files.display_path_of_root(),
        summary: JsonSummary {
            counts: Summary::of(diagnostics),
            files: registry.files_loaded,
            declarations: registry.entries.len(),
        },
        diagnostics: diagnostics.iter().map(|d| diagnostic(files, d)).collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    writeln!(out)?;
    Ok(())
}
