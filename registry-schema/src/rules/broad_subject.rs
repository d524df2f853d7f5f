//! `broad-subject`: a federation subject admits more than one repository,
//! or is not tied to a ref or an environment. OWASP NHI6, insecure cloud
//! deployment configuration.
//!
//! Why: the subject is the whole of a federated trust policy. `repo:acme/*`
//! lets every repository in the organisation, including the one an intern
//! created yesterday, assume the role; `repo:acme/web:pull_request` lets any
//! branch's pull request run. For GitHub's issuer, every subject the field
//! admits must start `repo:OWNER/NAME:` with a fixed repository, followed by
//! `ref:` or `environment:`. For other issuers, `*` in an exact subject and
//! patterns that admit any subject are refused. Patterns are read from their
//! parsed form, so `^repo:acme/(web|api):ref:refs/heads/main$` passes.
//!
//! Example: `subjectPattern: "^repo:acme/.*$"`.

use super::{Check, Rule};
use crate::check::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::Declaration;
use crate::registry::Entry;
use crate::subject::{GithubSubject, Subjects, is_github_issuer, subjects};

pub(crate) const RULE: Rule = Rule {
    name: "broad_subject",
    source: include_str!("broad_subject.rs"),
    codes: &[Code::BroadSubject],
    check: Check::Entry(check),
    needs_settings: false,
};

fn check(_cx: &Context<'_>, entry: &Entry, out: &mut Vec<Diagnostic>) {
    let Declaration::Identity(identity) = &entry.declaration else {
        return;
    };
    let Some(fed) = &identity.spec.federation else {
        return;
    };
    let Some(field) = fed.subject.as_ref().or(fed.subject_pattern.as_ref()) else {
        return;
    };
    let github = is_github_issuer(&fed.issuer.value);
    let problem = match subjects(fed, entry) {
        Subjects::Unknown => None,
        Subjects::Any => Some("the pattern admits any subject".to_owned()),
        Subjects::Literals(lits) => lits.iter().find_map(|lit| {
            if lit.exact && fed.subject.is_some() && lit.text.contains('*') {
                return Some(format!(
                    "`{}` holds `*`, a wildcard in provider trust policies (`StringLike`) that admits many subjects",
                    lit.text
                ));
            }
            if !github {
                return None;
            }
            let Some(parsed) = GithubSubject::parse(&lit.text) else {
                return Some(format!(
                    "GitHub subjects start `repo:OWNER/NAME:`, and this admits `{}`{}",
                    lit.text,
                    if lit.exact { "" } else { "…" }
                ));
            };
            if !parsed.fixed_repo() {
                return Some("it admits more than one repository".to_owned());
            }
            if !parsed.tied() {
                return Some(if parsed.context.starts_with("pull_request") {
                    "it admits any pull request, from any branch".to_owned()
                } else {
                    format!(
                        "it admits any ref and environment of `{}`",
                        parsed.repo.unwrap_or_default()
                    )
                });
            }
            None
        }),
    };
    let Some(problem) = problem else {
        return;
    };
    out.push(
        Diagnostic::new(
            Code::BroadSubject,
            format!("the federation subject of `{}` is too broad: {problem}", entry.declaration.name()),
        )
        .at(entry.file, field.span, "too broad")
        .with_note("help: name one repository and a ref or environment: `repo:OWNER/NAME:environment:ENV` or `repo:OWNER/NAME:ref:refs/heads/main`"),
    );
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::rules::testing::{codes, identity};

    fn federated(field: &str) -> String {
        identity(
            "f",
            "2026-01-01",
            "2027-01-01",
            &format!(
                "  federation:\n    issuer: https://token.actions.githubusercontent.com\n    audience: sts.amazonaws.com\n    {field}\n"
            ),
        )
        .replace("type: api-key", "type: aws-iam-role")
    }

    #[test]
    fn narrow_subjects_pass() {
        for ok in [
            "subject: repo:acme/web:environment:ci",
            "subject: repo:acme/web:ref:refs/heads/main",
            "subjectPattern: ^repo:acme/(web|api):ref:refs/heads/main$",
            "subjectPattern: ^repo:acme/web:ref:refs/tags/v[0-9]+$",
        ] {
            assert_eq!(codes(&[("f.yaml", &federated(ok))]), vec![], "{ok}");
        }
    }

    #[test]
    fn wildcards_and_untied_subjects_fail() {
        for bad in [
            "subject: \"repo:acme/*\"",
            "subject: repo:acme/web:pull_request",
            "subjectPattern: ^repo:acme/.*$",
            "subjectPattern: ^repo:acme/web:.*$",
            "subjectPattern: ^.*$",
            "subjectPattern: ^repo:[a-z]+/web:ref:refs/heads/main$",
        ] {
            assert_eq!(
                codes(&[("f.yaml", &federated(bad))]),
                vec![Code::BroadSubject],
                "{bad}"
            );
        }
    }
}
