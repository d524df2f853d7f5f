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

/// A path as a URI reference: each segment percent-encoded (RFC 3986), and
/// absolute paths as `file://` URIs, so no path can read as a scheme or smuggle
/// characters into the consumer.
fn uri(path: &str) -> String {
    let encoded: Vec<String> = path
        .split('/')
        .map(|segment| {
            segment
                .bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                        char::from(b).to_string()
                    }
                    _ => format!("%{b:02X}"),
                })
                .collect()
        })
        .collect();
    let joined = encoded.join("/");
    if path.starts_with('/') {
        format!("file://{joined}")
    } else {
        joined
    }
}

fn physical(files: &Files<'_>, label: &Label) -> Value {
    let loc = files.locate(label);
    json!({
        "physicalLocation": {
            "artifactLocation": { "uri": uri(&loc.path) },
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

/// A reporting descriptor for one code.
fn rule(code: Code) -> Value {
    let mut tags = vec![json!("security")];
    let mut properties = json!({});
    if let Some(risk) = code.owasp() {
        tags.push(json!(format!("OWASP-{}", risk.id())));
        tags.push(json!(format!("{}:2025 {}", risk.id(), risk.title())));
    }
    tags.push(json!(if code.is_policy() {
        "policy"
    } else {
        "well-formedness"
    }));
    properties["tags"] = Value::Array(tags);
    properties["precision"] = json!("very-high");
    // GitHub code scanning ranks security alerts by this CVSS-like score.
    properties["security-severity"] = json!(match code.default_severity() {
        Severity::Error => "7.5",
        Severity::Warning => "4.0",
        Severity::Note => "1.0",
    });
    let help = code.explanation();
    json!({
        "id": code.as_str(),
        "name": pascal_case(code.as_str()),
        "shortDescription": { "text": code.summary() },
        "fullDescription": { "text": code.summary() },
        "help": { "text": help, "markdown": help },
        "helpUri": code.docs_url(),
        "defaultConfiguration": { "level": level(code.default_severity()) },
        "properties": properties,
    })
}

/// `unknown-owner` → `UnknownOwner`, SARIF's convention for rule names.
fn pascal_case(kebab: &str) -> String {
    kebab
        .split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

pub(crate) fn render(
    files: &Files<'_>,
    diagnostics: &[Diagnostic],
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    // Only the codes found are described, each with its docs page as help
    // and its OWASP risk as a tag, as code scanning shows them.
    let mut used: Vec<Code> = diagnostics.iter().map(|d| d.code).collect();
    used.sort();
    used.dedup();
    let rules: Vec<Value> = used.iter().map(|&code| rule(code)).collect();
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let rule_index = used.binary_search(&d.code).unwrap_or(0);
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
            result["locations"] = match &d.primary {
                Some(p) => json!([physical(files, p)]),
                // Code scanning needs a location: a finding about the registry as
                // a whole is filed against its `tenure.yaml`.
                None => json!([{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(&format!("{}/tenure.yaml", files.display_path_of_root())) },
                        "region": { "startLine": 1 }
                    }
                }]),
            };
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

#[cfg(test)]
mod tests {
    use super::uri;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri("identities/ci/a.yaml"), "identities/ci/a.yaml");
        assert_eq!(uri("a b/c:d%0A.yaml"), "a%20b/c%3Ad%250A.yaml");
        assert_eq!(uri("/tmp/x,y/z.yaml"), "file:///tmp/x%2Cy/z.yaml");
    }
}
