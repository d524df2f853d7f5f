//! Human output: codespan-reporting with the source line and a caret.

use std::io::Write;
use std::ops::Range;

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::Error as FilesError;
use codespan_reporting::term::{self, termcolor};
use tenure_schema::check::Summary;
use tenure_schema::diagnostic::{Diagnostic, Severity};

use super::Files;

impl<'f> codespan_reporting::files::Files<'f> for Files<'_> {
    type FileId = usize;
    type Name = String;
    type Source = &'f str;

    fn name(&'f self, id: usize) -> Result<String, FilesError> {
        Ok(super::clean(&self.display_path(id)).into_owned())
    }

    fn source(&'f self, id: usize) -> Result<&'f str, FilesError> {
        Ok(self.text(id))
    }

    fn line_index(&'f self, id: usize, byte_index: usize) -> Result<usize, FilesError> {
        let text = self.text(id);
        let offset = u32::try_from(byte_index.min(text.len())).unwrap_or(u32::MAX);
        Ok(self.line_index(id).line_col(text, offset).0 - 1)
    }

    fn line_range(&'f self, id: usize, line_index: usize) -> Result<Range<usize>, FilesError> {
        let index = self.line_index(id);
        index
            .line_range(self.text(id), line_index)
            .ok_or(FilesError::LineTooLarge {
                given: line_index,
                max: index.lines().saturating_sub(1),
            })
    }
}

fn to_codespan(files: &Files<'_>, d: &Diagnostic) -> cs::Diagnostic<usize> {
    let severity = match d.severity {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
        Severity::Note => cs::Severity::Note,
    };
    let mut labels = Vec::new();
    let mut notes = Vec::new();
    match &d.primary {
        // A file tenure could not read as text has no line to show: name it instead.
        Some(p) if files.text(p.file).is_empty() => {
            notes.push(format!(
                "in `{}`",
                super::clean(&files.display_path(p.file))
            ));
        }
        Some(p) => {
            labels.push(
                cs::Label::primary(p.file, p.span.range()).with_message(super::clean(&p.message)),
            );
        }
        None => {}
    }
    notes.extend(d.notes.iter().map(|n| super::clean(n).into_owned()));
    for s in &d.secondary {
        labels.push(
            cs::Label::secondary(s.file, s.span.range()).with_message(super::clean(&s.message)),
        );
    }
    cs::Diagnostic::new(severity)
        .with_code(d.code.as_str())
        .with_message(super::clean(&d.message))
        .with_labels(labels)
        .with_notes(notes)
}

/// Write every diagnostic and a summary line.
pub(crate) fn render(
    files: &Files<'_>,
    diagnostics: &[Diagnostic],
    color: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    render_diagnostics(files, diagnostics, color, out)?;
    let s = Summary::of(diagnostics);
    let declarations = files.registry().entries.len();
    let files_read = files.registry().files_loaded;
    writeln!(
        out,
        "checked {declarations} declaration{} in {files_read} file{}: {} error{}, {} warning{}, {} note{}",
        plural(declarations),
        plural(files_read),
        s.errors,
        plural(s.errors),
        s.warnings,
        plural(s.warnings),
        s.notes,
        plural(s.notes),
    )?;
    Ok(())
}

/// Write every diagnostic with its source lines, and nothing else.
pub(crate) fn render_diagnostics(
    files: &Files<'_>,
    diagnostics: &[Diagnostic],
    color: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let config = term::Config::default();
    let mut buffer = if color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    for d in diagnostics {
        term::emit_to_write_style(&mut buffer, &config, files, &to_codespan(files, d))?;
    }
    out.write_all(buffer.as_slice())?;
    Ok(())
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
