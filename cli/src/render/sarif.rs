//! `--format sarif`: SARIF 2.1.0 for GitHub code scanning.

use std::io::Write;

use serde_json::{Value, json};
use tenure_schema::diagnostic::{Code, Diagnostic, Label, Severity};

use super::Files;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

fn physical(files: &Files<'_>, label: &Label) -> Value {
    let loc = files.locate(label);
    json!({
        "physicalLocation": {
            "artifactLocation": { "uri": loc.path },
            "region": {
                "startLine": loc.line,
                "startColumn": loc.column,
                "endLine": loc.end_line,
                "endColumn": loc.end_column,
            }
        },
        "message": { "text": if label.message.is_empty() { "here" } else { &label.message } }
    })
}

pub(crate) fn render(
    files: &Files<'_>,
    diagnostics: &[Diagnostic],
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let rules: Vec<Value> = Code::ALL
        .iter()
        .map(|code| {
            json!({
                "id": code.as_str(),
                "name": code.as_str(),
                "shortDescription": { "text": code.summary() },
                "helpUri": code.docs_url(),
                "defaultConfiguration": { "level": level(code.default_severity()) },
            })
        })
        .collect();
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let rule_index = Code::ALL.iter().position(|c| *c == d.code).unwrap_or(0);
            let mut text = d.message.clone();
            for note in &d.notes {
                text.push('\n');
                text.push_str(note);
            }
            let mut result = json!({
                "ruleId": d.code.as_str(),
                "ruleIndex": rule_index,
                "level": level(d.severity),
                "message": { "text": text },
            });
            if let Some(p) = &d.primary {
                result["locations"] = json!([physical(files, p)]);
            }
            if !d.secondary.is_empty() {
                result["relatedLocations"] = Value::Array(
                    d.secondary
                        .iter()
                        .enumerate()
                        .map(|(i, l)| {
                            let mut v = physical(files, l);
                            v["id"] = json!(i + 1);
                            v
                        })
                        .collect(),
                );
            }
            result
        })
        .collect();
    let sarif = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "tenure",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/tenure-dev/tenure",
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    serde_json::to_writer_pretty(&mut *out, &sarif)?;
    writeln!(out)?;
    Ok(())
}
