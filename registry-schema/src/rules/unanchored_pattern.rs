//! `unanchored-pattern`: a `subjectPattern`, `identityPattern` or claim
//! pattern does not match the whole value: it lacks `^` at the start or `$`
//! at the end, or an alternation escapes them (`^a$|b`). OWASP NHI6, insecure
//! cloud deployment configuration.
//!
//! Why: consumers such as cosign's `--certificate-identity-regexp` search for
//! the pattern anywhere in the value. `repo:acme/app:ref:refs/heads/main`
//! unanchored also matches `repo:evil/repo:acme/app:ref:refs/heads/main...`,
//! so an attacker's workflow could federate into your cloud account.
//!
//! Example: `subjectPattern: "repo:acme/app:.*"`.

use regex_syntax::hir::{Hir, HirKind, Look};

use super::{Check, Rule};
use crate::check::Context;
use crate::diagnostic::{Code, Diagnostic, FileId};
use crate::registry::Entry;
use crate::span::Spanned;

pub(crate) const RULE: Rule = Rule {
    name: "unanchored_pattern",
    source: include_str!("unanchored_pattern.rs"),
    codes: &[Code::UnanchoredPattern],
    check: Check::Entry(check),
    needs_settings: false,
};

fn check(_cx: &Context<'_>, entry: &Entry, out: &mut Vec<Diagnostic>) {
    for field in entry.patterns() {
        report(out, entry.file, &field.path, &field.pattern, &field.parsed);
    }
}

fn report(
    out: &mut Vec<Diagnostic>,
    file: FileId,
    field: &str,
    pattern: &Spanned<String>,
    parsed: &Result<Hir, Box<regex_syntax::Error>>,
) {
    // Patterns that do not parse are `invalid-pattern`'s business.
    let Ok(hir) = parsed else {
        return;
    };
    if !anchored(hir) {
        out.push(
            Diagnostic::new(
                Code::UnanchoredPattern,
                format!("`{field}` does not match the whole value"),
            )
            .at(file, pattern.span, "not anchored with `^` and `$`")
            .with_note("help: start the pattern with `^` and end it with `$`; wrap alternatives: `^(a|b)$`"),
        );
    }
}

/// Whether every way through the pattern starts at the beginning of the text
/// and ends at its end.
fn anchored(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Alternation(branches) => branches.iter().all(anchored),
        HirKind::Capture(capture) => anchored(&capture.sub),
        HirKind::Concat(parts) => {
            let starts = parts.first().is_some_and(starts_anchored);
            let ends = parts.last().is_some_and(ends_anchored);
            starts && ends
        }
        _ => false,
    }
}

/// Which end of the text a look-around must pin.
#[derive(Clone, Copy)]
enum End {
    Start,
    Finish,
}

fn starts_anchored(hir: &Hir) -> bool {
    pinned(hir, End::Start)
}

fn ends_anchored(hir: &Hir) -> bool {
    pinned(hir, End::Finish)
}

/// Whether every way through `hir` begins (or finishes) with `^` (or `$`).
fn pinned(hir: &Hir, end: End) -> bool {
    match hir.kind() {
        HirKind::Look(look) => matches!(
            (end, look),
            (End::Start, Look::Start) | (End::Finish, Look::End)
        ),
        HirKind::Capture(c) => pinned(&c.sub, end),
        HirKind::Concat(parts) => match end {
            End::Start => parts.first(),
            End::Finish => parts.last(),
        }
        .is_some_and(|p| pinned(p, end)),
        HirKind::Alternation(branches) => branches.iter().all(|b| pinned(b, end)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::anchored;
    use crate::diagnostic::Code;
    use crate::rules::testing::{codes, identity};

    fn is_anchored(p: &str) -> bool {
        anchored(&regex_syntax::Parser::new().parse(p).expect("valid"))
    }

    #[test]
    fn anchoring() {
        assert!(is_anchored("^repo:acme/app:ref:refs/heads/main$"));
        assert!(is_anchored("^(repo:a|repo:b)$"));
        assert!(is_anchored("^a$|^b$"));
        assert!(!is_anchored("repo:acme/app:.*"));
        assert!(!is_anchored("^repo:acme/app"));
        assert!(!is_anchored("^a$|b"));
        assert!(!is_anchored("^a|b$"));
        // Multi-line `$` matches before any line break: not the end of the value.
        assert!(!is_anchored("(?m)^a$"));
    }

    #[test]
    fn reported_on_federation() {
        let fed = "  federation:\n    issuer: https://issuer.example\n    audience: example\n    subjectPattern: \"repo:acme/app:.*\"\n";
        let a = identity("x", "2026-01-01", "2027-06-01", fed);
        assert_eq!(codes(&[("x.yaml", &a)]), vec![Code::UnanchoredPattern]);
    }
}
