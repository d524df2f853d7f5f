//! `unprotected-production`: a production identity that GitHub Actions can
//! use is not bound to a GitHub environment or to an exact ref. OWASP NHI8,
//! environment isolation.
//!
//! Why: GitHub environments carry required reviewers and branch rules; a
//! branch name does not, since anyone with write access can push any branch.
//! A production role whose subject admits every branch, or any pull request,
//! turns write access to the repository into production access. Production
//! subjects must be `environment:NAME`, `ref:refs/tags/...`, or an exact
//! branch (`ref:refs/heads/main`), and a `github` binding of a production
//! identity must name an `environment` or an exact `ref`. Which environments
//! count as production is `spec.guardrails.productionEnvironments`
//! (default `production`).
//!
//! Example: a production `aws-iam-role` with
//! `subjectPattern: ^repo:acme/web:ref:refs/heads/.*$`.

use super::{Check, Rule};
use crate::check::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Declaration, IdentityType};
use crate::registry::Entry;
use crate::span::Span;
use crate::subject::{GithubSubject, Subjects, is_github_issuer, subjects};

pub(crate) const RULE: Rule = Rule {
    name: "unprotected_production",
    source: include_str!("unprotected_production.rs"),
    codes: &[Code::UnprotectedProduction],
    check: Check::Entry(check),
    needs_settings: true,
};

fn check(cx: &Context<'_>, entry: &Entry, out: &mut Vec<Diagnostic>) {
    let Declaration::Identity(identity) = &entry.declaration else {
        return;
    };
    let spec = &identity.spec;
    let env = &spec.environment.value.0;
    if !cx.settings(entry.file).is_production(env) {
        return;
    }
    let problem: Option<(Span, String)> = if let Some(fed) = spec
        .federation
        .as_ref()
        .filter(|f| is_github_issuer(&f.issuer.value))
    {
        let field = fed.subject.as_ref().or(fed.subject_pattern.as_ref());
        match (subjects(fed, entry), field) {
            // Subjects that admit several repositories, or no ref or
            // environment, are `broad-subject`; this rule judges the rest.
            (Subjects::Literals(lits), Some(field)) => lits
                .iter()
                .filter_map(|lit| GithubSubject::parse(&lit.text).map(|s| (s, lit.exact)))
                .filter(|(s, _)| s.fixed_repo() && s.tied())
                .find_map(|(s, exact)| unprotected_context(s.context, exact))
                .map(|why| (field.span, why)),
            // Broad or unknown subjects are reported by other rules.
            _ => None,
        }
    } else if let Some(github) = spec
        .github
        .as_ref()
        .filter(|g| g.workflow.is_some() || spec.identity_type.value == IdentityType::GithubActions)
    {
        let exact_ref = github
            .git_ref
            .as_ref()
            .filter(|r| !r.value.contains(['*', '?', '[']) || r.value.starts_with("refs/tags/"));
        if github.environment.is_some() || exact_ref.is_some() {
            None
        } else {
            let at = github
                .git_ref
                .as_ref()
                .map_or(github.repository.span, |r| r.span);
            Some((
                at,
                "its `github` binding names neither an `environment` nor an exact `ref`".to_owned(),
            ))
        }
    } else if spec.identity_type.value == IdentityType::GithubActions && spec.federation.is_none() {
        Some((
            spec.identity_type.span,
            "it is a GitHub Actions identity bound to no repository, environment or ref".to_owned(),
        ))
    } else {
        None
    };
    let Some((span, why)) = problem else {
        return;
    };
    out.push(
        Diagnostic::new(
            Code::UnprotectedProduction,
            format!("`{}` acts in `{env}` but {why}", entry.declaration.name()),
        )
        .at(entry.file, span, "not bound to a protected environment or ref")
        .with_secondary(entry.file, spec.environment.span, "a production environment")
        .with_note("help: bind it to a GitHub environment with required reviewers (`repo:OWNER/NAME:environment:production`), or to an exact protected ref"),
    );
}

/// Why a subject context (`ref:...`, `environment:...`) is not protected.
fn unprotected_context(context: &str, exact: bool) -> Option<String> {
    if let Some(env) = context.strip_prefix("environment:") {
        return (!exact || env.is_empty()).then(|| "its subject admits any environment".to_owned());
    }
    if context.starts_with("ref:refs/tags/") {
        return None;
    }
    // A `*` in an exact subject is `broad-subject`'s to report.
    if let Some(branch) = context.strip_prefix("ref:refs/heads/") {
        return (!exact || branch.is_empty()).then(|| {
            "its subject admits any branch, and anyone who can push a branch can use it".to_owned()
        });
    }
    Some("its subject admits a ref that is neither a branch nor a tag".to_owned())
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::rules::testing::{codes, identity};

    fn role(env: &str, field: &str) -> String {
        identity(
            "r",
            "2026-01-01",
            "2027-01-01",
            &format!(
                "  federation:\n    issuer: https://token.actions.githubusercontent.com\n    audience: sts.amazonaws.com\n    {field}\n"
            ),
        )
        .replace("type: api-key", "type: aws-iam-role")
        .replace("environment: ci", &format!("environment: {env}"))
    }

    #[test]
    fn production_subjects_are_bound() {
        for ok in [
            "subject: repo:acme/web:environment:production",
            "subject: repo:acme/web:ref:refs/heads/main",
            "subjectPattern: ^repo:acme/web:ref:refs/tags/v[0-9.]+$",
        ] {
            assert_eq!(
                codes(&[("r.yaml", &role("production", ok))]),
                vec![],
                "{ok}"
            );
        }
        for bad in [
            "subjectPattern: ^repo:acme/web:ref:refs/heads/.+$",
            "subjectPattern: ^repo:acme/web:environment:prod.*$",
            "subject: repo:acme/web:ref:refs/pull/1/merge",
        ] {
            assert_eq!(
                codes(&[("r.yaml", &role("production", bad))]),
                vec![Code::UnprotectedProduction],
                "{bad}"
            );
        }
        // Any environment at all is too broad anywhere: one finding, not two.
        assert_eq!(
            codes(&[(
                "r.yaml",
                &role(
                    "production",
                    "subjectPattern: ^repo:acme/web:environment:.+$"
                )
            )]),
            vec![Code::BroadSubject]
        );
        // The same subject is fine outside production.
        let any_branch = "subjectPattern: ^repo:acme/web:ref:refs/heads/.+$";
        assert_eq!(codes(&[("r.yaml", &role("ci", any_branch))]), vec![]);
    }

    #[test]
    fn a_github_binding_needs_an_environment_or_exact_ref() {
        let binding = |extra: &str| {
            identity(
                "k",
                "2026-01-01",
                "2027-01-01",
                &format!("  github:\n    repository: acme/web\n    workflow: .github/workflows/deploy.yml\n{extra}"),
            )
            .replace("environment: ci", "environment: production")
            .replace("type: api-key", "type: github-actions")
        };
        assert_eq!(
            codes(&[("k.yaml", &binding(""))]),
            vec![Code::UnprotectedProduction]
        );
        assert_eq!(
            codes(&[("k.yaml", &binding("    environment: production\n"))]),
            vec![]
        );
        assert_eq!(
            codes(&[("k.yaml", &binding("    ref: refs/heads/main\n"))]),
            vec![]
        );
        assert_eq!(
            codes(&[("k.yaml", &binding("    ref: refs/heads/*\n"))]),
            vec![Code::UnprotectedProduction]
        );
    }
}
