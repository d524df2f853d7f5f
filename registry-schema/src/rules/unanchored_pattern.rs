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
use crate::model::Declaration;
use crate::registry::Entry;
use crate::span::Spanned;

pub(crate) const RULE: Rule = Rule {
    name: "unanchored_pattern",
    codes: &[Code::UnanchoredPattern],
    check: Check::Entry(check),
};

fn check(_cx: &Context<'_>, entry: &Entry, out: &mut Vec<Diagnostic>) {
    match &entry.declaration {
        Declaration::Identity(identity) => {
            if let Some(fed) = &identity.spec.federation {
                if let Some(p) = &fed.subject_pattern {
                    report(out, entry.file, "spec.federation.subjectPattern", p);
                }
                for (claim, p) in &fed.claim_patterns {
                    report(
                        out,
                        entry.file,
                        &format!("spec.federation.claimPatterns.{}", claim.value),
                        p,
                    );
                }
            }
        }
        Declaration::SigningKey(key) => {
            if let Some(p) = key
                .spec
                .keyless
                .as_ref()
                .and_then(|k| k.identity_pattern.as_ref())
            {
                report(out, entry.file, "spec.keyless.identityPattern", p);
            }
        }
        Declaration::Team(_) => {}
    }
}

fn report(out: &mut Vec<Diagnostic>, file: FileId, field: &str, pattern: &Spanned<String>) {
    // Patterns that do not parse are `invalid-pattern`'s business.
    let Ok(hir) = regex_syntax::Parser::new().parse(&pattern.value) else {
        return;
    };
    if !anchored(&hir) {
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

fn starts_anchored(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Look(Look::Start) => true,
        HirKind::Capture(c) => starts_anchored(&c.sub),
        HirKind::Concat(parts) => parts.first().is_some_and(starts_anchored),
        HirKind::Alternation(branches) => branches.iter().all(starts_anchored),
        _ => false,
    }
}

fn ends_anchored(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Look(Look::End) => true,
        HirKind::Capture(c) => ends_anchored(&c.sub),
        HirKind::Concat(parts) => parts.last().is_some_and(ends_anchored),
        HirKind::Alternation(branches) => branches.iter().all(ends_anchored),
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
        let fed = "  federation:\n    issuer: https://token.actions.githubusercontent.com\n    subjectPattern: \"repo:acme/app:.*\"\n";
        let a = identity("x", "2026-01-01", "2027-06-01", fed);
        assert_eq!(codes(&[("x.yaml", &a)]), vec![Code::UnanchoredPattern]);
    }
}
