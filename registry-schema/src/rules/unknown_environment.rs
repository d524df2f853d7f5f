//! `unknown-environment`: the `environment` of an Identity or a SigningKey is
//! not one of the environments listed in `tenure.yaml`.
//!
//! Why: guardrails (lifetimes, who may declare production identities) are set
//! per environment. A typo such as `prod` would slip an identity past the
//! rules written for `production`.
//!
//! Example: `environment: prod` when `tenure.yaml` lists `production`.

use super::{Check, Rule};
use crate::check::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::Declaration;
use crate::registry::Entry;
use crate::schema::did_you_mean;

pub(crate) const RULE: Rule = Rule {
    name: "unknown_environment",
    source: include_str!("unknown_environment.rs"),
    codes: &[Code::UnknownEnvironment],
    check: Check::Entry(check),
    needs_settings: true,
};

fn check(cx: &Context<'_>, entry: &Entry, out: &mut Vec<Diagnostic>) {
    let env = match &entry.declaration {
        Declaration::Identity(identity) => &identity.spec.environment,
        Declaration::SigningKey(key) => match &key.spec.environment {
            Some(env) => env,
            None => return,
        },
        Declaration::Team(_) => return,
    };
    let settings = cx.settings(entry.file);
    if settings.has_environment(&env.value.0) {
        return;
    }
    let (allowed, listed_at) = settings.environments();
    let mut d = Diagnostic::new(
        Code::UnknownEnvironment,
        if cx.registry.config.is_some() {
            format!(
                "environment `{}` is not listed in `tenure.yaml`",
                env.value.0
            )
        } else {
            format!(
                "environment `{}` is not one of the default environments",
                env.value.0
            )
        },
    )
    .at(entry.file, env.span, "unknown environment");
    if let Some(best) = did_you_mean(&env.value.0, &allowed) {
        d = d.with_note(format!("help: did you mean `{best}`?"));
    }
    d = d.with_note(format!(
        "environments: {}",
        allowed
            .iter()
            .map(|a| format!("`{a}`"))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    if let Some((file, span)) = listed_at {
        d = d.with_secondary(file, span, "environments are listed here");
    }
    out.push(d);
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::rules::testing::{identity, run};

    #[test]
    fn environment_must_be_listed() {
        let a = identity("x", "2026-01-01", "2027-06-01", "")
            .replace("environment: ci", "environment: prod");
        let found = run(&[("x.yaml", &a)]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].code, Code::UnknownEnvironment);
        assert!(found[0].notes.iter().any(|n| n.contains("`production`")));
        assert_eq!(
            found[0].secondary.len(),
            1,
            "points at the list in tenure.yaml"
        );
    }
}
