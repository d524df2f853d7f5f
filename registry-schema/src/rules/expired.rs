//! `expired`: the declaration's `expires` has passed; its trust has lapsed.
//!
//! Why: a lapsed identity must be renewed by a reviewed change or removed,
//! and its credentials revoked (OWASP NHI1).
//!
//! How it is reported, so that a lapsed entry never blocks unrelated pull
//! requests: a **warning** by default; an **error** when the file is part of
//! the change under review (`--changed`), or with `--strict`. A scheduled job
//! (`tenure check --strict` today), not every PR, deals with lapsed entries.
//!
//! Example: `expires: 2026-01-31` checked on 2026-02-01.

use super::{Check, Rule, days_between, plural_days};
use crate::check::Context;
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::registry::Entry;

pub(crate) const RULE: Rule = Rule {
    name: "expired",
    source: include_str!("expired.rs"),
    codes: &[Code::Expired],
    check: Check::Entry(check),
    needs_settings: false,
};

fn check(cx: &Context<'_>, entry: &Entry, out: &mut Vec<Diagnostic>) {
    let now = cx.options.now;
    let Some(term) = entry.declaration.term() else {
        return;
    };
    let end = term.expires.value.end();
    if end > now {
        return;
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
        .with_note(
            "help: renew it in a reviewed PR (move `expires` forward), or delete the file and revoke the credential",
        ),
    );
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::path::Path;

    use crate::check::{CheckOptions, check};
    use crate::diagnostic::{Code, Severity};
    use crate::registry::{LoadOptions, load_memory};
    use crate::rules::testing::{NOW, identity, run};

    #[test]
    fn lapsed_is_a_warning_by_default() {
        let a = identity("x", "2026-01-01", "2026-06-30", "");
        let found = run(&[("x.yaml", &a)]);
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].code, found[0].severity),
            (Code::Expired, Severity::Warning)
        );
        assert!(
            found[0].message.contains("146 days ago"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn lapsed_is_an_error_when_strict_or_changed() {
        let a = identity("x", "2026-01-01", "2026-06-30", "");
        let files = vec![("x.yaml".to_owned(), a.into_bytes())];
        let registry = load_memory(Path::new("r"), files, &LoadOptions::default());
        let mut options = CheckOptions::at(NOW.parse().expect("now"));
        options.strict = true;
        let strict = check(&registry, &options);
        assert!(
            strict
                .iter()
                .any(|d| d.code == Code::Expired && d.severity == Severity::Error)
        );
        options.strict = false;
        options.changed = Some(HashSet::from(["x.yaml".to_owned()]));
        let changed = check(&registry, &options);
        assert!(
            changed
                .iter()
                .any(|d| d.code == Code::Expired && d.severity == Severity::Error)
        );
    }

    #[test]
    fn an_exact_expiry_instant_is_honoured() {
        let later_today = identity("x", "2026-01-01", "2026-11-24T18:00:00Z", "");
        assert!(
            run(&[("x.yaml", &later_today)])
                .iter()
                .all(|d| d.code != Code::Expired)
        );
        let this_morning = identity("yy", "2026-01-01", "2026-11-24T06:00:00Z", "");
        assert!(
            run(&[("yy.yaml", &this_morning)])
                .iter()
                .any(|d| d.code == Code::Expired)
        );
    }
}
