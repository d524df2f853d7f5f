//! `missing-audience`, `disallowed-issuer` and `disallowed-audience`:
//! federation trusts one issuer and one audience, both on the guardrails'
//! lists when `tenure.yaml` sets them. OWASP NHI6, insecure cloud deployment
//! configuration.
//!
//! Why: a trust policy that does not pin the audience accepts tokens minted
//! for any other relying party by the same issuer (a token meant for one
//! cloud replayed against another). Allow-lists of issuers and audiences
//! (`spec.guardrails.issuers`, `audiences`) keep teams from trusting a
//! personal identity provider or a typo-squatted one. Keyless signing
//! issuers are held to the same issuer list.
//!
//! Example: `federation: {issuer: https://token.actions.githubusercontent.com,
//! subject: ...}` with no `audience`.

use super::{Check, Rule};
use crate::check::Context;
use crate::diagnostic::{Code, Diagnostic, FileId};
use crate::model::Declaration;
use crate::registry::Entry;
use crate::span::Spanned;

pub(crate) const RULE: Rule = Rule {
    name: "federation_pinning",
    source: include_str!("federation_pinning.rs"),
    codes: &[
        Code::MissingAudience,
        Code::DisallowedIssuer,
        Code::DisallowedAudience,
    ],
    check: Check::Entry(check),
    needs_settings: true,
};

fn check(cx: &Context<'_>, entry: &Entry, out: &mut Vec<Diagnostic>) {
    let settings = cx.settings(entry.file);
    let name = entry.declaration.name();
    let listed = |code: Code,
                  what: &str,
                  value: &Spanned<String>,
                  (file, list): (FileId, &[Spanned<String>])| {
        let allowed: Vec<String> = list.iter().map(|i| format!("`{}`", i.value)).collect();
        let mut d = Diagnostic::new(
            code,
            format!(
                "`{name}` trusts the {what} `{}`, which the guardrails do not allow",
                value.value
            ),
        )
        .at(entry.file, value.span, format!("{what} not allowed"))
        .with_note(format!("allowed: {}", allowed.join(", ")));
        if let Some(first) = list.first() {
            d = d.with_secondary(file, first.span, format!("allowed {what}s are listed here"));
        }
        d
    };
    let issuer = match &entry.declaration {
        Declaration::Identity(identity) => {
            let Some(fed) = &identity.spec.federation else {
                return;
            };
            match &fed.audience {
                None => out.push(
                    Diagnostic::new(
                        Code::MissingAudience,
                        format!("`{name}` accepts tokens from `{}` for any audience", fed.issuer.value),
                    )
                    .at(entry.file, fed.issuer.span, "no `audience` pinned for this issuer")
                    .with_note("help: add `spec.federation.audience` with the audience your provider expects (`sts.amazonaws.com` for AWS)"),
                ),
                Some(audience) => {
                    if let Some(denied) = settings.audience_denied(&audience.value) {
                        out.push(listed(Code::DisallowedAudience, "audience", audience, denied));
                    }
                }
            }
            &fed.issuer
        }
        Declaration::SigningKey(key) => match &key.spec.keyless {
            Some(keyless) => &keyless.issuer,
            None => return,
        },
        Declaration::Team(_) => return,
    };
    if let Some(denied) = settings.issuer_denied(&issuer.value) {
        out.push(listed(Code::DisallowedIssuer, "issuer", issuer, denied));
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::rules::testing::{codes, config_with, identity, run_with};

    fn federated(issuer: &str, audience: Option<&str>) -> String {
        let audience = audience
            .map(|a| format!("    audience: {a}\n"))
            .unwrap_or_default();
        identity(
            "f",
            "2026-01-01",
            "2027-01-01",
            &format!("  federation:\n    issuer: {issuer}\n    subject: repo:acme/web:environment:ci\n{audience}"),
        )
        .replace("type: api-key", "type: aws-iam-role")
    }

    #[test]
    fn the_audience_is_pinned() {
        let gh = "https://token.actions.githubusercontent.com";
        assert_eq!(
            codes(&[("f.yaml", &federated(gh, None))]),
            vec![Code::MissingAudience]
        );
        assert_eq!(
            codes(&[("f.yaml", &federated(gh, Some("sts.amazonaws.com")))]),
            vec![]
        );
    }

    #[test]
    fn issuers_and_audiences_follow_the_lists() {
        let config = config_with(
            "  guardrails:\n    issuers: [https://token.actions.githubusercontent.com]\n    audiences: [sts.amazonaws.com]\n",
        );
        let run = |text: &str| -> Vec<Code> {
            run_with(&config, &[("f.yaml", text)])
                .into_iter()
                .map(|d| d.code)
                .collect()
        };
        assert_eq!(
            run(&federated(
                "https://token.actions.githubusercontent.com",
                Some("sts.amazonaws.com")
            )),
            vec![]
        );
        assert_eq!(
            run(&federated(
                "https://evil.example",
                Some("sts.amazonaws.com")
            )),
            vec![Code::DisallowedIssuer]
        );
        assert_eq!(
            run(&federated(
                "https://token.actions.githubusercontent.com",
                Some("other")
            )),
            vec![Code::DisallowedAudience]
        );
    }
}
