//! `lifetime-exceeded`: a declaration's term (`expires` minus `renewed`, or
//! minus `created` when it was never renewed) is
//! longer than the maximum lifetime set in `tenure.yaml`
//! (`spec.guardrails.maxLifetime`). OWASP NHI7, long-lived secrets.
//!
//! Why: trust that lasts for years is trust nobody re-examines. A maximum set
//! once by the security team (API keys 90 days, production identities 180
//! days, signing keys a year) makes every team come back through review on
//! time. Several limits can apply (the default, the identity type, the
//! environment); the strictest wins, and the finding names it.
//!
//! Example: `maxLifetime: {types: {api-key: 90d}}` and an API key with
//! `created: 2026-11-01`, `expires: 2027-11-01`.

use super::{Check, Rule};
use crate::check::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::registry::Entry;

pub(crate) const RULE: Rule = Rule {
    name: "lifetime_exceeded",
    source: include_str!("lifetime_exceeded.rs"),
    codes: &[Code::LifetimeExceeded],
    check: Check::Entry(check),
    needs_settings: true,
};

fn check(cx: &Context<'_>, entry: &Entry, out: &mut Vec<Diagnostic>) {
    let Some(term) = entry.declaration.term() else {
        return;
    };
    let Some(limit) = cx.settings(entry.file).max_lifetime(&entry.declaration) else {
        return;
    };
    let start = term.start();
    let seconds = term.expires.value.end().as_second() - start.value.start().as_second();
    if seconds <= i64::from(limit.days.0) * 86_400 {
        return;
    }
    let days = (seconds + 86_399) / 86_400;
    let from = if term.renewed.is_some() {
        "renewed"
    } else {
        "created"
    };
    let d = Diagnostic::new(
        Code::LifetimeExceeded,
        format!(
            "`{}` is trusted for {days} days, longer than {} ({})",
            entry.declaration.name(),
            limit.what,
            limit.days
        ),
    )
    .at(
        entry.file,
        term.expires.span,
        format!("at most {} after `{from}`", limit.days),
    )
    .with_note("help: shorten the term; renew it by a reviewed change when it is due")
    .with_secondary(limit.file, limit.span, "the limit is set here");
    out.push(d);
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::check::{CheckOptions, check};
    use crate::diagnostic::{Code, Severity};
    use crate::registry::{LoadOptions, load_memory};
    use crate::rules::testing::{NOW, identity};

    fn run_with(config_spec: &str, files: &[(&str, &str)]) -> Vec<crate::diagnostic::Diagnostic> {
        let config = format!(
            "apiVersion: tenure/v1\nkind: Registry\nmetadata:\n  name: t\n  owner: team-a\n  description: Test registry.\nspec:\n  environments: [production, ci]\n{config_spec}"
        );
        let team = "apiVersion: tenure/v1\nkind: Team\nmetadata:\n  name: team-a\n  owner: team-a\n  description: A team.\nspec:\n  members: [alice]\n";
        let mut all = vec![
            ("tenure.yaml".to_owned(), config.into_bytes()),
            ("team-a.yaml".to_owned(), team.as_bytes().to_vec()),
        ];
        all.extend(
            files
                .iter()
                .map(|(p, t)| ((*p).to_owned(), t.as_bytes().to_vec())),
        );
        let registry = load_memory(Path::new("r"), all, &LoadOptions::default());
        assert!(registry.config.is_some(), "{:?}", registry.diagnostics);
        check(&registry, &CheckOptions::at(NOW.parse().expect("now")))
    }

    const LIMITS: &str = "  guardrails:\n    maxLifetime:\n      default: 1y\n      types:\n        api-key: 90d\n      environments:\n        production: 180d\n";

    #[test]
    fn the_strictest_limit_applies() {
        // An API key (90 days) for 120 days.
        let key = identity("k", "2026-11-01", "2027-02-28", "");
        let found = run_with(LIMITS, &[("k.yaml", &key)]);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].code, Code::LifetimeExceeded);
        assert!(
            found[0].message.contains("the maximum for `api-key` (90d)"),
            "{}",
            found[0].message
        );
        assert_eq!(found[0].secondary.len(), 1);
        // 90 days exactly is fine (a date `expires` covers its whole day).
        let ok = identity("j", "2026-11-01", "2027-01-29", "");
        assert!(run_with(LIMITS, &[("j.yaml", &ok)]).is_empty());
    }

    #[test]
    fn a_renewed_term_counts_from_renewed() {
        // Created two years ago, renewed this month for 80 days: within 90 days.
        let renewed = identity("k", "2024-11-01", "2027-01-20", "  renewed: 2026-11-01\n");
        assert!(run_with(LIMITS, &[("k.yaml", &renewed)]).is_empty());
        // Without `renewed` the same dates are a term of two years.
        let plain = identity("k", "2024-11-01", "2027-01-20", "");
        let found = run_with(LIMITS, &[("k.yaml", &plain)]);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0]
                .primary
                .as_ref()
                .is_some_and(|l| l.message.contains("after `created`"))
        );
        // A future `renewed` is itself a finding, so it cannot stretch the term.
        let future = identity("k", "2026-11-01", "2027-01-20", "  renewed: 2026-12-20\n");
        let found = run_with(LIMITS, &[("k.yaml", &future)]);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].code, Code::CreatedInFuture);
        assert!(
            found[0].message.contains("`renewed`"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn severity_overrides_and_warn_mode() {
        let key = identity("k", "2026-11-01", "2027-06-01", "");
        let allow = run_with(
            &format!("{LIMITS}  severity:\n    lifetime-exceeded: allow\n"),
            &[("k.yaml", &key)],
        );
        assert!(allow.is_empty());
        let warn = run_with(&format!("{LIMITS}  mode: warn\n"), &[("k.yaml", &key)]);
        assert_eq!(
            (warn[0].code, warn[0].severity),
            (Code::LifetimeExceeded, Severity::Warning)
        );
        let deny = run_with(
            "  severity:\n    created-in-future: deny\n",
            &[("f.yaml", &identity("f", "2027-01-01", "2027-02-01", ""))],
        );
        assert_eq!(
            (deny[0].code, deny[0].severity),
            (Code::CreatedInFuture, Severity::Error)
        );
    }

    #[test]
    fn only_policy_codes_can_be_overridden() {
        let config = "  severity:\n    yaml-syntax: allow\n";
        let registry_errors = run_with_unchecked(config);
        assert!(
            registry_errors.iter().any(|d| d.code == Code::InvalidValue),
            "{registry_errors:?}"
        );
    }

    fn run_with_unchecked(config_spec: &str) -> Vec<crate::diagnostic::Diagnostic> {
        let config = format!(
            "apiVersion: tenure/v1\nkind: Registry\nmetadata:\n  name: t\n  owner: team-a\n  description: Test registry.\nspec:\n{config_spec}"
        );
        let registry = load_memory(
            Path::new("r"),
            vec![("tenure.yaml".to_owned(), config.into_bytes())],
            &LoadOptions::default(),
        );
        registry.diagnostics
    }
}
