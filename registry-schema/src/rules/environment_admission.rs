//! `disallowed-type` and `disallowed-team`: an environment admits only the
//! identity types and owner teams its guardrails list
//! (`spec.guardrails.environments.<env>.types` and `.teams`). OWASP NHI8,
//! environment isolation.
//!
//! Why: production is where a leaked credential costs the most. A security
//! team can keep long-lived kinds (IAM users, API keys) out of it entirely
//! and let only the teams on call for production declare identities there;
//! everyone else's mistakes stay in staging.
//!
//! Example: `environments: {production: {types: [github-actions,
//! aws-iam-role], teams: [platform]}}` and an `api-key` in production.

use super::{Check, Rule};
use crate::check::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::Declaration;
use crate::registry::Entry;

pub(crate) const RULE: Rule = Rule {
    name: "environment_admission",
    source: include_str!("environment_admission.rs"),
    codes: &[Code::DisallowedType, Code::DisallowedTeam],
    check: Check::Entry(check),
    needs_settings: true,
};

fn check(cx: &Context<'_>, entry: &Entry, out: &mut Vec<Diagnostic>) {
    let settings = cx.settings(entry.file);
    let name = entry.declaration.name();
    let env = match &entry.declaration {
        Declaration::Identity(identity) => {
            let spec = &identity.spec;
            let env = spec.environment.value.0.as_str();
            let ty = spec.identity_type.value;
            if let Some((file, list)) = settings.type_denied(env, ty) {
                let allowed: Vec<String> = list
                    .iter()
                    .map(|t| format!("`{}`", t.value.as_str()))
                    .collect();
                let mut d = Diagnostic::new(
                    Code::DisallowedType,
                    format!(
                        "`{name}` is of type `{}`, which `{env}` does not admit",
                        ty.as_str()
                    ),
                )
                .at(
                    entry.file,
                    spec.identity_type.span,
                    format!("not allowed in `{env}`"),
                )
                .with_note(format!("`{env}` admits: {}", allowed.join(", ")));
                if let Some(first) = list.first() {
                    d = d.with_secondary(file, first.span, "allowed types are listed here");
                }
                out.push(d);
            }
            env
        }
        Declaration::SigningKey(key) => key.spec.environment(),
        Declaration::Team(_) => return,
    };
    let owner = &entry.declaration.metadata().owner;
    if let Some((file, list)) = settings.team_denied(env, &owner.value.0) {
        let allowed: Vec<String> = list.iter().map(|t| format!("`{}`", t.value.0)).collect();
        let mut d = Diagnostic::new(
            Code::DisallowedTeam,
            format!(
                "`{name}` is owned by `{}`, which may not own declarations in `{env}`",
                owner.value.0
            ),
        )
        .at(entry.file, owner.span, format!("not allowed in `{env}`"))
        .with_note(format!("teams allowed in `{env}`: {}", allowed.join(", ")));
        if let Some(first) = list.first() {
            d = d.with_secondary(file, first.span, "allowed teams are listed here");
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::rules::testing::{config_with, identity, run_with};

    #[test]
    fn environments_admit_listed_types_and_teams() {
        let config = config_with(
            "  guardrails:\n    environments:\n      production:\n        types: [github-actions]\n        teams: [team-b]\n",
        );
        let key = identity("k", "2026-01-01", "2027-01-01", "");
        let codes = |text: &str| -> Vec<Code> {
            run_with(&config, &[("k.yaml", text)])
                .into_iter()
                .map(|d| d.code)
                .collect()
        };
        assert_eq!(codes(&key), vec![], "ci is not restricted");
        let prod = key.replace("environment: ci", "environment: production");
        assert_eq!(
            codes(&prod),
            vec![Code::DisallowedTeam, Code::DisallowedType]
        );
    }
}
