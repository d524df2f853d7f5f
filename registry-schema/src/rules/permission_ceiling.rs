//! `permission-ceiling`: an identity is granted more on a scope than the
//! guardrails allow its type (`spec.guardrails.maxPermissions`). OWASP NHI5,
//! overprivileged NHI.
//!
//! Why: a justification convinces one reviewer; a ceiling is the security
//! team's standing answer. API keys that may only read, bots that may never
//! administer: set once in `tenure.yaml`, enforced on every change. The scope
//! `*` covers scopes not named; a deploy key with `readOnly: false` counts as
//! `contents: write`.
//!
//! Example: `maxPermissions: {bot: {"*": write}}` and a bot with
//! `administration: admin`.

use super::{Check, Rule};
use crate::check::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::Declaration;
use crate::registry::Entry;

pub(crate) const RULE: Rule = Rule {
    name: "permission_ceiling",
    source: include_str!("permission_ceiling.rs"),
    codes: &[Code::PermissionCeiling],
    check: Check::Entry(check),
    needs_settings: true,
};

fn check(cx: &Context<'_>, entry: &Entry, out: &mut Vec<Diagnostic>) {
    let Declaration::Identity(identity) = &entry.declaration else {
        return;
    };
    let spec = &identity.spec;
    let settings = cx.settings(entry.file);
    let ty = spec.identity_type.value;
    // One finding per scope: a writable deploy key may also list `contents`.
    let mut reported: Vec<&str> = Vec::new();
    for (scope, access, span) in spec.grants() {
        let Some((ceiling, file, limit_span)) = settings.ceiling(ty, scope) else {
            continue;
        };
        if access <= ceiling || reported.contains(&scope) {
            continue;
        }
        reported.push(scope);
        out.push(
            Diagnostic::new(
                Code::PermissionCeiling,
                format!(
                    "`{}` grants `{scope}: {}`, above the ceiling of `{}` for `{}`",
                    entry.declaration.name(),
                    access.as_str(),
                    ceiling.as_str(),
                    ty.as_str()
                ),
            )
            .at(entry.file, span, format!("at most `{}`", ceiling.as_str()))
            .with_secondary(file, limit_span, "the ceiling is set here")
            .with_note(
                "help: narrow the grant, or ask the owners of `tenure.yaml` to raise the ceiling",
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::rules::testing::{config_with, identity, run_with};

    #[test]
    fn grants_above_the_ceiling_fail() {
        let config = config_with(
            "  guardrails:\n    maxPermissions:\n      api-key:\n        \"*\": read\n        deployments: write\n",
        );
        let key = |perms: &str| {
            identity(
                "k",
                "2026-01-01",
                "2027-01-01",
                &format!("  permissions:\n{perms}  justification: Needed.\n"),
            )
        };
        let codes = |perms: &str| -> Vec<Code> {
            run_with(&config, &[("k.yaml", &key(perms))])
                .into_iter()
                .map(|d| d.code)
                .collect()
        };
        assert_eq!(
            codes("    deployments: write\n    contents: read\n"),
            vec![]
        );
        assert_eq!(
            codes("    contents: write\n"),
            vec![Code::PermissionCeiling]
        );
        assert_eq!(
            codes("    deployments: admin\n"),
            vec![Code::PermissionCeiling]
        );
    }
}
