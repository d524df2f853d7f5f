//! `disallowed-auth-method`: how an identity authenticates must be on the
//! allow-list (`spec.guardrails.authMethods`); `classic-token` and
//! `password` are refused even without one. OWASP NHI4, insecure
//! authentication.
//!
//! Why: a GitHub classic personal access token reaches every repository its
//! owner can, and a password can be phished or reused; neither has a place
//! in a machine identity. The allow-list lets a security team go further
//! (say, only `oidc`, `ssh-key` and `app-key`). When `spec.auth` is absent,
//! the method is inferred from `type`, `federation` and `key`.
//!
//! Example: `auth: classic-token` on a bot.

use super::{Check, Rule};
use crate::check::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{AuthMethod, Declaration};
use crate::registry::Entry;

pub(crate) const RULE: Rule = Rule {
    name: "auth_method",
    source: include_str!("auth_method.rs"),
    codes: &[Code::DisallowedAuthMethod],
    check: Check::Entry(check),
    needs_settings: true,
};

fn check(cx: &Context<'_>, entry: &Entry, out: &mut Vec<Diagnostic>) {
    let Declaration::Identity(identity) = &entry.declaration else {
        return;
    };
    let spec = &identity.spec;
    let method = spec.auth_method();
    let (span, label) = match &spec.auth {
        Some(auth) => (auth.span, "not allowed".to_owned()),
        None => (
            spec.identity_type.span,
            format!("`auth` is inferred as `{}` from here", method.as_str()),
        ),
    };
    let name = entry.declaration.name();
    if matches!(method, AuthMethod::ClassicToken | AuthMethod::Password) {
        let why = match method {
            AuthMethod::ClassicToken => {
                "a classic personal access token reaches every repository its owner can and is often never rotated"
            }
            _ => {
                "a password can be phished, guessed and reused, and proves nothing about the machine using it"
            }
        };
        out.push(
            Diagnostic::new(
                Code::DisallowedAuthMethod,
                format!("`{name}` authenticates with `{}`: {why}", method.as_str()),
            )
            .at(entry.file, span, label)
            .with_note("help: use federation (`oidc`), a GitHub App (`app-key`) or a fine-grained token scoped to the repositories it needs"),
        );
        return;
    }
    if let Some((file, list)) = cx.settings(entry.file).auth_denied(method) {
        let allowed: Vec<String> = list
            .iter()
            .map(|m| format!("`{}`", m.value.as_str()))
            .collect();
        let mut d = Diagnostic::new(
            Code::DisallowedAuthMethod,
            format!(
                "`{name}` authenticates with `{}`, which the guardrails do not allow",
                method.as_str()
            ),
        )
        .at(entry.file, span, label)
        .with_note(format!("allowed: {}", allowed.join(", ")));
        if let Some(first) = list.first() {
            d = d.with_secondary(file, first.span, "allowed methods are listed here");
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::rules::testing::{codes, config_with, identity, run_with};

    #[test]
    fn classic_tokens_and_passwords_are_always_refused() {
        for auth in ["classic-token", "password"] {
            let bot = identity(
                "b",
                "2026-01-01",
                "2027-01-01",
                &format!("  auth: {auth}\n"),
            );
            assert_eq!(
                codes(&[("b.yaml", &bot)]),
                vec![Code::DisallowedAuthMethod],
                "{auth}"
            );
        }
        let fine = identity(
            "b",
            "2026-01-01",
            "2027-01-01",
            "  auth: fine-grained-token\n",
        );
        assert_eq!(codes(&[("b.yaml", &fine)]), vec![]);
    }

    #[test]
    fn the_allow_list_applies_to_inferred_methods() {
        let config = config_with("  guardrails:\n    authMethods: [oidc, ssh-key]\n");
        // An api-key identity without `auth` is inferred as `api-key`.
        let key = identity("k", "2026-01-01", "2027-01-01", "");
        let found = run_with(&config, &[("k.yaml", &key)]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].code, Code::DisallowedAuthMethod);
        assert_eq!(found[0].secondary.len(), 1);
        let oidc = key.replace("type: api-key", "type: github-actions");
        assert!(run_with(&config, &[("k.yaml", &oidc)]).is_empty());
    }
}
