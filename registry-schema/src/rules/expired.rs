//! `expired`: the declaration's `expires` has passed; its trust has lapsed.
//!
//! Why: a lapsed identity must be renewed by a reviewed change or removed,
//! and its credentials revoked (OWASP NHI1).
//!
//! How it is reported, so that a lapsed entry never blocks unrelated pull
//! requests: a **warning** by default; an **error** when the file is part of
//! the change under review (`--changed`), or with `--strict`. The scheduled
//! `tenure expire` job, not every PR, deals with lapsed entries.
//!
//! Example: `expires: 2026-01-31` checked on 2026-02-01.

use super::{Rule, days_between, plural_days};
use crate::check::Context;
use crate::diagnostic::{Code, Diagnostic, Severity};

pub(crate) const RULE: Rule = Rule {
    name: "expired",
    codes: &[Code::Expired],
    check,
};

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let now = cx.options.now;
    for entry in &cx.registry.entries {
        let Some(term) = entry.declaration.term() else {
            continue;
        };
        let end = term.expires.value.end();
        if end > now {
            continue;
        }
        let ago = days_between(end, now);
        let when = if ago == 0 {
            "today".to_owned()
        } else {
            format!("{} ago", plural_days(ago))
        };
        let name = entry.declaration.name();
        let severity = if cx.options.strict || cx.is_changed(entry.file) {
            Severity::Error
        } else {
            Severity::Warning
        };
        out.push(
            Diagnostic::new(
                Code::Expired,
                format!("`{name}` lapsed {when} (expires {})", term.expires.value),
            )
            .with_severity(severity)
            .at(entry.file, term.expires.span, "lapsed")
            .with_note(format!(
                "help: renew it with `tenure renew {name}` in a reviewed PR, or delete the file"
            )),
        );
    }
}
