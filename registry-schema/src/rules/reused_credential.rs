//! `reused-credential`: the same key, federation subject, provider binding
//! or keyless signer is declared by two declarations. OWASP NHI9, NHI reuse.
//!
//! Why: one credential behind two declarations has two owners, two purposes
//! and two expiry dates, so neither tells the truth: revoking one leaves the
//! other working, and an audit cannot say which workload acted. When sharing
//! is deliberate, both declarations say so with `spec.shared: <reason>`.
//! Keys are compared by their decoded body, whatever the comment or line
//! wrapping; subjects by issuer, subject and audience; bindings by AWS
//! account and role or user.
//!
//! Example: two deploy keys with the same `publicKey`.

use std::collections::HashMap;

use rayon::prelude::*;

use super::{Check, Rule};
use crate::check::Context;
use crate::diagnostic::{Code, Diagnostic, FileId};
use crate::keys;
use crate::model::Declaration;
use crate::registry::Entry;
use crate::span::Span;

pub(crate) const RULE: Rule = Rule {
    name: "reused_credential",
    source: include_str!("reused_credential.rs"),
    codes: &[Code::ReusedCredential],
    check: Check::Registry(check),
    needs_settings: false,
};

struct Seen<'a> {
    file: FileId,
    span: Span,
    name: &'a str,
    shared: bool,
}

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    // Keys are built in parallel, then compared in file order.
    let all: Vec<Vec<(String, &'static str, Span)>> =
        cx.registry.entries.par_iter().map(bindings).collect();
    let mut first: HashMap<String, Seen<'_>> = HashMap::new();
    for (entry, keys) in cx.registry.entries.iter().zip(all) {
        for (key, what, span) in keys {
            let shared =
                matches!(&entry.declaration, Declaration::Identity(i) if i.spec.shared.is_some());
            let name = entry.declaration.name();
            match first.get(&key) {
                None => {
                    first.insert(key, Seen { file: entry.file, span, name, shared });
                }
                Some(seen) if seen.name == name => {}
                Some(seen) if seen.shared && shared => {}
                Some(seen) => out.push(
                    Diagnostic::new(
                        Code::ReusedCredential,
                        format!("`{name}` declares the same {what} as `{}`", seen.name),
                    )
                    .at(entry.file, span, format!("same {what}"))
                    .with_secondary(seen.file, seen.span, format!("declared by `{}` here", seen.name))
                    .with_note("help: give each workload its own credential; if sharing is deliberate, add `spec.shared: <reason>` to both"),
                ),
            }
        }
    }
}

/// What identifies the credential, as comparison keys with a description.
fn bindings(entry: &Entry) -> Vec<(String, &'static str, Span)> {
    let mut out = Vec::new();
    match &entry.declaration {
        Declaration::Identity(identity) => {
            let spec = &identity.spec;
            if let Some(key) = &spec.key
                && let Ok(parsed) = keys::parse(&key.public_key.value)
            {
                out.push((
                    format!("key {}", parsed.canonical),
                    "public key",
                    key.public_key.span,
                ));
            }
            if let Some(fed) = &spec.federation
                && let Some(subject) = fed.subject.as_ref().or(fed.subject_pattern.as_ref())
            {
                let audience = fed.audience.as_ref().map_or("", |a| a.value.as_str());
                out.push((
                    format!(
                        "fed {}\n{}\n{}\n{}",
                        fed.issuer.value,
                        fed.subject.is_some(),
                        subject.value,
                        audience
                    ),
                    "federation subject",
                    subject.span,
                ));
            }
            if let Some(aws) = &spec.aws {
                for (kind, value) in [("role", &aws.role), ("user", &aws.user)] {
                    if let Some(v) = value {
                        out.push((
                            format!("aws {}:{kind}/{}", aws.account.value, v.value),
                            "AWS binding",
                            v.span,
                        ));
                    }
                }
            }
        }
        Declaration::SigningKey(key) => {
            if let Some(pk) = &key.spec.public_key
                && let Ok(parsed) = keys::parse(&pk.pem.value)
            {
                out.push((
                    format!("key {}", parsed.canonical),
                    "public key",
                    pk.pem.span,
                ));
            }
            if let Some(k) = &key.spec.keyless
                && let Some(id) = k.identity.as_ref().or(k.identity_pattern.as_ref())
            {
                let github = k.github.as_ref().map(|g| {
                    let refs: Vec<&str> = g.refs.iter().map(|r| r.value.as_str()).collect();
                    format!(
                        "{}\n{}\n{}",
                        g.repository.value.0,
                        g.workflow.as_ref().map_or("", |w| w.value.as_str()),
                        refs.join(",")
                    )
                });
                out.push((
                    format!(
                        "keyless {}\n{}\n{}",
                        k.issuer.value,
                        id.value,
                        github.unwrap_or_default()
                    ),
                    "keyless signer",
                    id.span,
                ));
            }
        }
        Declaration::Team(_) => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::keys::tests::ED25519;
    use crate::rules::testing::{identity, run};

    fn deploy_key(name: &str, key: &str, extra: &str) -> String {
        identity(
            name,
            "2026-01-01",
            "2027-01-01",
            &format!("  key:\n    publicKey: \"{key}\"\n{extra}"),
        )
        .replace("type: api-key", "type: deploy-key")
    }

    #[test]
    fn the_same_key_twice_names_both_files() {
        let a = deploy_key("a", ED25519, "");
        let b = deploy_key("bb", &ED25519.replace("deploy@example", "copy"), "");
        let found: Vec<_> = run(&[("a.yaml", &a), ("bb.yaml", &b)])
            .into_iter()
            .filter(|d| d.code == Code::ReusedCredential)
            .collect();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].secondary.len(), 1);
        assert!(found[0].message.contains("`a`"));
    }

    #[test]
    fn sharing_needs_both_sides() {
        let shared = "  shared: One key for the two mirrors.\n";
        let a = deploy_key("a", ED25519, shared);
        let b = deploy_key("bb", ED25519, shared);
        let reused = |files: &[(&str, &str)]| {
            run(files)
                .iter()
                .filter(|d| d.code == Code::ReusedCredential)
                .count()
        };
        assert_eq!(reused(&[("a.yaml", &a), ("bb.yaml", &b)]), 0);
        let b_alone = deploy_key("bb", ED25519, "");
        assert_eq!(reused(&[("a.yaml", &a), ("bb.yaml", &b_alone)]), 1);
    }

    #[test]
    fn the_same_aws_role_twice() {
        let role = |name: &str| {
            identity(
                name,
                "2026-01-01",
                "2027-01-01",
                "  aws:\n    account: \"123456789012\"\n    role: deployer\n",
            )
            .replace("type: api-key", "type: aws-iam-role")
        };
        let found = run(&[("a.yaml", &role("a")), ("bb.yaml", &role("bb"))]);
        assert!(found.iter().any(|d| d.code == Code::ReusedCredential));
    }
}
