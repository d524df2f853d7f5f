//! `unpinned-signer`: a keyless SigningKey trusts GitHub Actions without
//! naming the workflow file and the refs that may sign. OWASP NHI6.
//!
//! Why: every workflow in a repository can get a Fulcio certificate for that
//! repository. A signer pinned only to `acme/web` lets a test workflow, or a
//! run on any branch someone pushed, sign releases. Pinning
//! `github.workflow` and `github.refs` (or an exact `identity`, which names
//! both as `…/.github/workflows/release.yml@refs/tags/v1.2.3`) limits
//! signing to the reviewed release workflow on release refs.
//!
//! Example: `keyless: {issuer: https://token.actions.githubusercontent.com,
//! identityPattern: ^https://github.com/acme/web/.*$}`.

use super::{Check, Rule};
use crate::check::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::Declaration;
use crate::registry::Entry;
use crate::subject::{Subjects, is_github_issuer};

pub(crate) const RULE: Rule = Rule {
    name: "unpinned_signer",
    source: include_str!("unpinned_signer.rs"),
    codes: &[Code::UnpinnedSigner],
    check: Check::Entry(check),
    needs_settings: false,
};

fn check(_cx: &Context<'_>, entry: &Entry, out: &mut Vec<Diagnostic>) {
    let Declaration::SigningKey(key) = &entry.declaration else {
        return;
    };
    let Some(keyless) = &key.spec.keyless else {
        return;
    };
    if !is_github_issuer(&keyless.issuer.value) {
        return;
    }
    // A SAN, exact or every literal prefix of its pattern, that names the
    // workflow file and a ref pins the signer by itself.
    let names_workflow_and_ref = |text: &str| {
        text.contains("/.github/workflows/")
            && (text.contains("@refs/heads/") || text.contains("@refs/tags/"))
    };
    if keyless
        .identity
        .as_ref()
        .is_some_and(|i| names_workflow_and_ref(&i.value))
    {
        return;
    }
    if let Some(field) = entry.pattern("spec.keyless.identityPattern")
        && let Subjects::Literals(lits) = field.prefixes()
        && lits.iter().all(|l| names_workflow_and_ref(&l.text))
    {
        return;
    }
    let (missing, span) = match &keyless.github {
        None => ("`github.workflow` and `github.refs`", keyless.issuer.span),
        Some(g) if g.workflow.is_none() && g.refs.is_empty() => {
            ("`github.workflow` and `github.refs`", g.repository.span)
        }
        Some(g) if g.workflow.is_none() => ("`github.workflow`", g.repository.span),
        Some(g) if g.refs.is_empty() => ("`github.refs`", g.repository.span),
        Some(_) => return,
    };
    out.push(
        Diagnostic::new(
            Code::UnpinnedSigner,
            format!(
                "`{}` lets GitHub Actions sign without {missing}",
                entry.declaration.name()
            ),
        )
        .at(entry.file, span, "any workflow or ref of the repository could sign")
        .with_note("help: pin `spec.keyless.github.workflow` to the release workflow and `refs` to release tags (`refs/tags/v*`)"),
    );
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::rules::testing::codes;

    fn key(keyless: &str) -> String {
        format!(
            "apiVersion: tenure/v1\nkind: SigningKey\nmetadata:\n  name: rel\n  owner: team-a\n  description: Signs releases.\nspec:\n  created: 2026-01-01\n  expires: 2027-01-01\n  keyless:\n    issuer: https://token.actions.githubusercontent.com\n{keyless}  allows:\n    artifacts: [\"web-*.tar.gz\"]\n"
        )
    }

    #[test]
    fn signers_are_pinned_to_a_workflow_and_refs() {
        let pinned = "    identityPattern: ^https://github\\.com/acme/web/\\.github/workflows/release\\.yml@refs/tags/v.+$\n    github:\n      repository: acme/web\n      workflow: .github/workflows/release.yml\n      refs: [refs/tags/v*]\n";
        assert_eq!(codes(&[("rel.yaml", &key(pinned))]), vec![]);
        let pattern_only = "    identityPattern: ^https://github\\.com/acme/web/\\.github/workflows/release\\.yml@refs/tags/v[0-9.]+$\n";
        assert_eq!(codes(&[("rel.yaml", &key(pattern_only))]), vec![]);
        let repo_only = "    identityPattern: ^https://github\\.com/acme/web/.+$\n    github:\n      repository: acme/web\n";
        assert_eq!(
            codes(&[("rel.yaml", &key(repo_only))]),
            vec![Code::UnpinnedSigner]
        );
        let any_ref = "    identityPattern: ^https://github\\.com/acme/web/\\.github/workflows/release\\.yml@refs/.*$\n";
        assert_eq!(
            codes(&[("rel.yaml", &key(any_ref))]),
            vec![Code::UnpinnedSigner]
        );
        let exact = "    identity: https://github.com/acme/web/.github/workflows/release.yml@refs/tags/v1.0.0\n";
        assert_eq!(codes(&[("rel.yaml", &key(exact))]), vec![]);
    }
}
