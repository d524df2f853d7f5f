//! `--format github`: GitHub Actions workflow commands, one annotation per finding.
//!
//! See "Workflow commands for GitHub Actions": `::error file=F,line=L,col=C,endLine=..,endColumn=..,title=T::MESSAGE`.

use std::io::Write;

use tenure_schema::check::Summary;
use tenure_schema::diagnostic::{Diagnostic, Severity};

use super::Files;

/// Escape the message part of a workflow command.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a property value of a workflow command.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub(crate) fn render(
    files: &Files<'_>,
    diagnostics: &[Diagnostic],
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    for d in diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let mut props = Vec::new();
        if let Some(loc) = files.primary_location(d) {
            props.push(format!(
                "file={}",
                escape_property(&super::clean(&loc.path))
            ));
            props.push(format!("line={}", loc.line));
            props.push(format!("col={}", loc.column));
            props.push(format!("endLine={}", loc.end_line));
            if loc.end_line == loc.line {
                props.push(format!("endColumn={}", loc.end_column));
            }
        }
        props.push(format!(
            "title={}",
            escape_property(&format!("tenure ({})", d.code))
        ));
        let mut message = super::clean(&d.message).into_owned();
        for note in &d.notes {
            message.push('\n');
            message.push_str(&super::clean(note));
        }
        writeln!(
            out,
            "::{command} {}::{}",
            props.join(","),
            escape_data(&message)
        )?;
    }
    let s = Summary::of(diagnostics);
    let count = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    writeln!(
        out,
        "tenure check: {}, {}, {}",
        count(s.errors, "error"),
        count(s.warnings, "warning"),
        count(s.notes, "note")
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_follow_the_runner() {
        assert_eq!(escape_data("a%b\nc"), "a%25b%0Ac");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
