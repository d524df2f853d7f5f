//! `federation-preferred`: a long-lived secret is declared where the
//! provider offers federation instead. OWASP NHI4, insecure authentication.
//!
//! Why: an AWS access key or an API key used from GitHub Actions is a static
//! secret that leaks with the first misconfigured log; AWS, GCP, Azure and
//! most clouds accept GitHub's OIDC tokens, which last minutes and are bound
//! to one workflow run. This is a warning: some services only take keys.
//!
//! Example: `type: aws-iam-user` (access keys), or an `api-key` whose
//! `github.workflow` shows it runs in GitHub Actions.

use super::{Check, Rule};
use crate::check::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{AuthMethod, Declaration, IdentityType};
use crate::registry::Entry;

pub(crate) const RULE: Rule = Rule {
    name: "federation_preferred",
    source: include_str!("federation_preferred.rs"),
    codes: &[Code::FederationPreferred],
    check: Check::Entry(check),
    needs_settings: false,
};

fn check(_cx: &Context<'_>, entry: &Entry, out: &mut Vec<Diagnostic>) {
    let Declaration::Identity(identity) = &entry.declaration else {
        return;
    };
    let spec = &identity.spec;
    let method = spec.auth_method();
    // Classic tokens and passwords are errors of their own.
    if !method.is_static_secret()
        || matches!(method, AuthMethod::ClassicToken | AuthMethod::Password)
    {
        return;
    }
    let in_actions = spec.github.as_ref().and_then(|g| g.workflow.as_ref());
    let (span, why, help) = if spec.identity_type.value == IdentityType::AwsIamUser {
        (
            spec.identity_type.span,
            "an IAM user's access keys never expire on their own",
            "help: declare an `aws-iam-role` assumed through `federation` (from CI, an OIDC issuer with audience `sts.amazonaws.com`) or IAM Roles Anywhere instead",
        )
    } else if let Some(workflow) = in_actions {
        (
            workflow.span,
            "it runs in GitHub Actions, which can present a short-lived OIDC token instead",
            "help: if the service accepts OIDC tokens, declare `federation` and drop the stored secret",
        )
    } else {
        return;
    };
    out.push(
        Diagnostic::new(
            Code::FederationPreferred,
            format!(
                "`{}` uses a long-lived `{}` where federation is available: {why}",
                entry.declaration.name(),
                method.as_str()
            ),
        )
        .at(entry.file, span, "federation is available here")
        .with_note(help),
    );
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::rules::testing::{codes, identity};

    #[test]
    fn static_secrets_where_federation_exists() {
        let user = identity(
            "u",
            "2026-01-01",
            "2027-01-01",
            "  aws:\n    account: \"123456789012\"\n    user: deployer\n",
        )
        .replace("type: api-key", "type: aws-iam-user");
        assert_eq!(codes(&[("u.yaml", &user)]), vec![Code::FederationPreferred]);
        let in_actions = identity(
            "k",
            "2026-01-01",
            "2027-01-01",
            "  github:\n    repository: acme/web\n    workflow: .github/workflows/deploy.yml\n",
        );
        assert_eq!(
            codes(&[("k.yaml", &in_actions)]),
            vec![Code::FederationPreferred]
        );
        let elsewhere = identity("k", "2026-01-01", "2027-01-01", "");
        assert_eq!(codes(&[("k.yaml", &elsewhere)]), vec![]);
    }
}
