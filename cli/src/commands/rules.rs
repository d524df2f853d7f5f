//! `tenure rules [PATH]`: every policy rule, the codes it emits, the OWASP
//! risk it addresses and its severity in this registry.

use std::io::Write;

use serde_json::json;
use tenure_schema::diagnostic::Severity;
use tenure_schema::registry;
use tenure_schema::rules;
use tenure_schema::settings::{SeveritySource, root_severity};

use crate::ExitStatus;
use crate::args::{ListFormat, RulesArgs};

pub(crate) fn run(args: &RulesArgs, out: &mut impl Write) -> anyhow::Result<ExitStatus> {
    let loaded = crate::source::load(args.path.as_deref(), args.rev.as_deref())?;
    let registry = &loaded.registry;
    if registry.config_broken {
        anyhow::bail!(
            "`{}/{}` does not load; `tenure check` says why",
            loaded.display_root.display(),
            registry::CONFIG_FILE
        );
    }
    let mut rows = Vec::new();
    for rule in rules::ALL {
        for &code in rule.codes {
            let adjusted = root_severity(registry, code);
            let severity = adjusted.map(|(s, _)| s);
            let source = adjusted.map_or(SeveritySource::Configured, |(_, source)| source);
            rows.push((rule, code, severity, source));
        }
    }
    match args.format {
        ListFormat::Human => {
            writeln!(out, "{:<24} {:<26} {:<6} SEVERITY", "RULE", "CODE", "OWASP")?;
            for (rule, code, severity, source) in &rows {
                let severity = severity.map_or("off", Severity::as_str);
                let source = match source {
                    SeveritySource::Default => "",
                    SeveritySource::Configured => " (tenure.yaml)",
                    SeveritySource::WarnMode => " (mode: warn)",
                };
                writeln!(
                    out,
                    "{:<24} {:<26} {:<6} {severity}{source}",
                    rule.display_name(),
                    code.as_str(),
                    code.owasp().map_or("-", |o| o.id()),
                )?;
            }
        }
        ListFormat::Json => {
            let list: Vec<_> = rows
                .iter()
                .map(|(rule, code, severity, source)| {
                    json!({
                        "rule": rule.display_name(),
                        "code": code.as_str(),
                        "summary": code.summary(),
                        "owasp": code.owasp().map(|o| json!({"id": o.id(), "title": o.title()})),
                        "policy": code.is_policy(),
                        "default_severity": code.default_severity().as_str(),
                        "severity": severity.map_or("off", Severity::as_str),
                        "configured": match source {
                            SeveritySource::Default => "default",
                            SeveritySource::Configured => "tenure.yaml",
                            SeveritySource::WarnMode => "mode-warn",
                        },
                        "docs": code.docs_url(),
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &json!({ "rules": list }))?;
            writeln!(out)?;
        }
    }
    Ok(ExitStatus::Success)
}
