//! `conflicting-fields` and `missing-field` for fields that come in
//! either-or pairs the schema cannot say clearly:
//!
//! - a SigningKey has exactly one of `spec.keyless` and `spec.publicKey`;
//! - `spec.keyless` has exactly one of `identity` and `identityPattern`;
//! - `spec.federation` has exactly one of `subject` and `subjectPattern`.
//!
//! Why: with both, a reader cannot tell which one the verifier enforces; with
//! neither, any certificate or token of the issuer would match.
//!
//! Example: `federation: {issuer: ..., subject: repo:acme/app:ref:refs/heads/main,
//! subjectPattern: "^repo:acme/.*$"}`.

use super::{Check, Rule};
use crate::check::Context;
use crate::diagnostic::{Code, Diagnostic, FileId};
use crate::model::Declaration;
use crate::registry::Entry;
use crate::span::Span;

pub(crate) const RULE: Rule = Rule {
    name: "exclusive_fields",
    source: include_str!("exclusive_fields.rs"),
    codes: &[Code::ConflictingFields, Code::MissingField],
    check: Check::Entry(check),
    needs_settings: false,
};

fn check(_cx: &Context<'_>, entry: &Entry, out: &mut Vec<Diagnostic>) {
    match &entry.declaration {
        Declaration::SigningKey(key) => {
            let spec = &key.spec;
            let name_span = key.metadata.name.span;
            exactly_one(
                out,
                entry.file,
                "spec",
                ("keyless", spec.keyless.as_ref().map(|k| k.issuer.span)),
                (
                    "publicKey",
                    spec.public_key.as_ref().map(|k| k.algorithm.span),
                ),
                name_span,
            );
            if let Some(keyless) = &spec.keyless {
                exactly_one(
                    out,
                    entry.file,
                    "spec.keyless",
                    ("identity", keyless.identity.as_ref().map(|s| s.span)),
                    (
                        "identityPattern",
                        keyless.identity_pattern.as_ref().map(|s| s.span),
                    ),
                    keyless.issuer.span,
                );
            }
        }
        Declaration::Identity(identity) => {
            if let Some(fed) = &identity.spec.federation {
                exactly_one(
                    out,
                    entry.file,
                    "spec.federation",
                    ("subject", fed.subject.as_ref().map(|s| s.span)),
                    (
                        "subjectPattern",
                        fed.subject_pattern.as_ref().map(|s| s.span),
                    ),
                    fed.issuer.span,
                );
            }
        }
        Declaration::Team(_) => {}
    }
}

fn exactly_one(
    out: &mut Vec<Diagnostic>,
    file: FileId,
    parent: &str,
    (a, a_span): (&str, Option<Span>),
    (b, b_span): (&str, Option<Span>),
    fallback: Span,
) {
    match (a_span, b_span) {
        (Some(first), Some(second)) => out.push(
            Diagnostic::new(
                Code::ConflictingFields,
                format!("`{parent}` sets both `{a}` and `{b}`"),
            )
            .at(file, second, format!("`{b}` set here"))
            .with_secondary(file, first, format!("`{a}` set here"))
            .with_note(format!("keep exactly one of `{a}` and `{b}`")),
        ),
        (None, None) => out.push(
            Diagnostic::new(
                Code::MissingField,
                format!("`{parent}` needs `{a}` or `{b}`"),
            )
            .at(file, fallback, format!("neither `{a}` nor `{b}` is set")),
        ),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::rules::testing::{codes, identity};

    const FED: &str = "  federation:\n    issuer: https://issuer.example\n    audience: example\n";

    #[test]
    fn federation_subject_exactly_one() {
        let both = identity(
            "x",
            "2026-01-01",
            "2027-06-01",
            &format!("{FED}    subject: a\n    subjectPattern: \"^a$\"\n"),
        );
        assert_eq!(codes(&[("x.yaml", &both)]), vec![Code::ConflictingFields]);
        let neither = identity("x", "2026-01-01", "2027-06-01", FED);
        assert_eq!(codes(&[("x.yaml", &neither)]), vec![Code::MissingField]);
        let one = identity(
            "x",
            "2026-01-01",
            "2027-06-01",
            &format!("{FED}    subject: a\n"),
        );
        assert_eq!(codes(&[("x.yaml", &one)]), vec![]);
    }

    #[test]
    fn signing_key_needs_keyless_or_public_key() {
        let key = "apiVersion: tenure/v1\nkind: SigningKey\nmetadata:\n  name: k\n  owner: team-a\n  description: Key.\nspec:\n  created: 2026-01-01\n  expires: 2027-01-01\n  allows:\n    artifacts: [\"a-*\"]\n";
        assert_eq!(codes(&[("k.yaml", key)]), vec![Code::MissingField]);
        let keyless = key.replace("  allows:", "  keyless:\n    issuer: https://issuer.example\n    identity: https://github.com/a/b/.github/workflows/r.yml@refs/tags/v1\n  allows:");
        assert_eq!(codes(&[("k.yaml", &keyless)]), vec![]);
        let both_ids = keyless.replace(
            "    identity:",
            "    identityPattern: \"^x$\"\n    identity:",
        );
        assert_eq!(
            codes(&[("k.yaml", &both_ids)]),
            vec![Code::ConflictingFields]
        );
    }
}
