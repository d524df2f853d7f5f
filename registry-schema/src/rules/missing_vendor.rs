//! `missing-vendor`: a GitHub App or an AI agent does not say who operates
//! it. OWASP NHI3, vulnerable third-party NHI.
//!
//! Why: these identities are most often run by someone else (a SaaS
//! integration, a coding agent), whose breach becomes yours. Naming the
//! vendor makes third-party access visible, gives it the shorter
//! `maxLifetime.thirdParty` term, and flags its write access. For one you run
//! yourself, write `vendor: self`.
//!
//! Example: `type: github-app` with no `vendor:`.

use super::{Check, Rule};
use crate::check::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Declaration, IdentityType};
use crate::registry::Entry;

pub(crate) const RULE: Rule = Rule {
    name: "missing_vendor",
    source: include_str!("missing_vendor.rs"),
    codes: &[Code::MissingVendor],
    check: Check::Entry(check),
    needs_settings: false,
};

fn check(_cx: &Context<'_>, entry: &Entry, out: &mut Vec<Diagnostic>) {
    let Declaration::Identity(identity) = &entry.declaration else {
        return;
    };
    let spec = &identity.spec;
    let ty = spec.identity_type.value;
    if spec.vendor.is_some() || !matches!(ty, IdentityType::GithubApp | IdentityType::AiAgent) {
        return;
    }
    out.push(
        Diagnostic::new(
            Code::MissingVendor,
            format!(
                "`{}` is of type `{}` but does not say who operates it",
                entry.declaration.name(),
                ty.as_str()
            ),
        )
        .at(entry.file, spec.identity_type.span, "usually run by a third party")
        .with_note("help: add `spec.vendor` with the company that runs it, or `vendor: self` if your organisation does"),
    );
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::rules::testing::{codes, identity};

    #[test]
    fn apps_and_agents_name_their_vendor() {
        let app = identity("a", "2026-01-01", "2027-01-01", "")
            .replace("type: api-key", "type: github-app");
        assert_eq!(codes(&[("a.yaml", &app)]), vec![Code::MissingVendor]);
        assert_eq!(
            codes(&[("a.yaml", &format!("{app}  vendor: self\n"))]),
            vec![]
        );
        let key = identity("k", "2026-01-01", "2027-01-01", "");
        assert_eq!(codes(&[("k.yaml", &key)]), vec![]);
    }
}
