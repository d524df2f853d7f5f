//! `human-subject`: a federation subject or a keyless signer is a person's
//! email address. OWASP NHI10, human use of NHI.
//!
//! Why: an identity that trusts `alice@example.com` is Alice's access under
//! a machine's name: it outlives her role, escapes the review of her own
//! permissions, and signs releases from her laptop rather than from CI.
//! Machine email addresses (Google Cloud service accounts,
//! `…[bot]@users.noreply.github.com`) are fine.
//!
//! Example: `keyless: {issuer: https://accounts.google.com, identity:
//! alice@example.com}`.

use super::{Check, Rule};
use crate::check::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::Declaration;
use crate::registry::Entry;
use crate::span::Spanned;
use crate::subject::Subjects;

pub(crate) const RULE: Rule = Rule {
    name: "human_subject",
    source: include_str!("human_subject.rs"),
    codes: &[Code::HumanSubject],
    check: Check::Entry(check),
    needs_settings: false,
};

fn check(_cx: &Context<'_>, entry: &Entry, out: &mut Vec<Diagnostic>) {
    let (field, exact, pattern): (&str, Option<&Spanned<String>>, Option<&Spanned<String>>) =
        match &entry.declaration {
            Declaration::Identity(identity) => match &identity.spec.federation {
                Some(f) => (
                    "federation subject",
                    f.subject.as_ref(),
                    f.subject_pattern.as_ref(),
                ),
                None => return,
            },
            Declaration::SigningKey(key) => match &key.spec.keyless {
                Some(k) => (
                    "keyless identity",
                    k.identity.as_ref(),
                    k.identity_pattern.as_ref(),
                ),
                None => return,
            },
            Declaration::Team(_) => return,
        };
    // An exact value, or a pattern that admits a whole personal address.
    let value = match (exact, pattern) {
        (Some(v), _) if is_personal_email(&v.value) => v,
        (None, Some(p)) if admits_personal_email(entry, &p.span) => p,
        _ => return,
    };
    out.push(
        Diagnostic::new(
            Code::HumanSubject,
            format!(
                "the {field} of `{}` is a person's email address",
                entry.declaration.name()
            ),
        )
        .at(entry.file, value.span, "a person, not a machine")
        .with_note(
            "help: trust a workload instead: a CI workflow's OIDC subject, or a service account",
        ),
    );
}

/// Whether the pattern written at `span` admits exactly a personal address.
fn admits_personal_email(entry: &Entry, span: &crate::Span) -> bool {
    let Some(field) = entry.patterns().iter().find(|f| f.pattern.span == *span) else {
        return false;
    };
    match field.prefixes() {
        Subjects::Literals(lits) => lits.iter().any(|l| l.exact && is_personal_email(&l.text)),
        Subjects::Any | Subjects::Unknown => false,
    }
}

/// An email address (`local@domain.tld`) that is not a known machine address.
fn is_personal_email(value: &str) -> bool {
    let value = value.strip_prefix("mailto:").unwrap_or(value);
    let Some((local, domain)) = value.rsplit_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._%+-[]".contains(c));
    let domain_ok = domain.rsplit_once('.').is_some_and(|(host, tld)| {
        !host.is_empty() && tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic())
    }) && domain
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    if !(local_ok && domain_ok) {
        return false;
    }
    let domain = domain.to_ascii_lowercase();
    let machine = domain.ends_with(".gserviceaccount.com")
        || domain == "gserviceaccount.com"
        || (domain == "users.noreply.github.com" && local.ends_with("[bot]"));
    !machine
}

#[cfg(test)]
mod tests {
    use super::is_personal_email;
    use crate::diagnostic::Code;
    use crate::rules::testing::{codes, identity};

    #[test]
    fn emails() {
        assert!(is_personal_email("alice@example.com"));
        assert!(!is_personal_email(
            "deployer@acme-prod.iam.gserviceaccount.com"
        ));
        assert!(!is_personal_email(
            "41898282+github-actions[bot]@users.noreply.github.com"
        ));
        assert!(!is_personal_email("repo:acme/web:ref:refs/heads/main"));
        assert!(!is_personal_email(
            "https://github.com/acme/web/.github/workflows/release.yml@refs/tags/v1.0.0"
        ));
    }

    #[test]
    fn a_personal_subject_is_refused() {
        let fed = |subject: &str| {
            identity(
                "f",
                "2026-01-01",
                "2027-01-01",
                &format!("  federation:\n    issuer: https://accounts.google.com\n    audience: acme\n    subject: {subject}\n"),
            )
            .replace("type: api-key", "type: service-account")
        };
        assert_eq!(
            codes(&[("f.yaml", &fed("alice@example.com"))]),
            vec![Code::HumanSubject]
        );
        assert_eq!(
            codes(&[("f.yaml", &fed("ci@acme.iam.gserviceaccount.com"))]),
            vec![]
        );
        let pattern = fed("x").replace("subject: x", "subjectPattern: ^grace@acme\\.com$");
        assert_eq!(codes(&[("f.yaml", &pattern)]), vec![Code::HumanSubject]);
    }
}
