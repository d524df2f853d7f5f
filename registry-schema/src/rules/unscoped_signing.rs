//! `unscoped-signing`: a production SigningKey may sign any artifact
//! (`allows.artifacts` holds `*`, `**`, `pkg:*` or another pattern with no
//! name in it). OWASP NHI5, overprivileged NHI.
//!
//! Why: `tenure verify` answers "was this signer allowed to sign this
//! artifact?". With `*` the answer is always yes, so a stolen release
//! identity signs anything, including another team's packages. Name the
//! artifacts (`web-*.tar.gz`, `pkg:cargo/tenure@*`). A SigningKey is in
//! production unless its `environment` says otherwise.
//!
//! Example: `allows: {artifacts: ["*"]}`.

use super::{Check, Rule};
use crate::check::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::Declaration;
use crate::registry::Entry;

pub(crate) const RULE: Rule = Rule {
    name: "unscoped_signing",
    source: include_str!("unscoped_signing.rs"),
    codes: &[Code::UnscopedSigning],
    check: Check::Entry(check),
    needs_settings: true,
};

fn check(cx: &Context<'_>, entry: &Entry, out: &mut Vec<Diagnostic>) {
    let Declaration::SigningKey(key) = &entry.declaration else {
        return;
    };
    let env = key.spec.environment();
    if !cx.settings(entry.file).is_production(env) {
        return;
    }
    for artifact in &key.spec.allows.artifacts {
        if !matches_anything(&artifact.value) {
            continue;
        }
        out.push(
            Diagnostic::new(
                Code::UnscopedSigning,
                format!(
                    "`{}` may sign any artifact in `{env}`: `{}` names none",
                    entry.declaration.name(),
                    artifact.value
                ),
            )
            .at(entry.file, artifact.span, "matches every artifact")
            .with_note(
                "help: list the artifacts it signs by name: `web-*.tar.gz`, `pkg:cargo/web@*`",
            ),
        );
    }
}

/// A glob or package URL pattern with no name in it: after an optional
/// `pkg:TYPE/` prefix, nothing but wildcards and separators.
fn matches_anything(pattern: &str) -> bool {
    // For a package URL (`pkg:type/namespace/name@version?qualifiers#subpath`)
    // only the namespace and name count: not the type, the version, the
    // qualifiers or the subpath. An npm scope's `@` starts a segment.
    let rest = match pattern.strip_prefix("pkg:") {
        Some(purl) => {
            let path = purl.split_once('/').map_or("", |(_, path)| path);
            let path = path.split(['?', '#']).next().unwrap_or_default();
            let version_at = path
                .char_indices()
                .filter(|&(i, c)| c == '@' && i > 0 && !path[..i].ends_with('/'))
                .map(|(i, _)| i)
                .next_back();
            version_at.map_or(path, |i| &path[..i])
        }
        None => pattern,
    };
    !rest.chars().any(|c| c.is_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::matches_anything;
    use crate::diagnostic::Code;
    use crate::rules::testing::codes;

    #[test]
    fn patterns() {
        for any in [
            "*",
            "**",
            "**/*",
            "*.*",
            "pkg:*",
            "pkg:cargo/*",
            "pkg:npm/*@*",
            "pkg:cargo/*@1.0",
            "pkg:oci/*?arch=amd64",
        ] {
            assert!(matches_anything(any), "{any}");
        }
        for named in [
            "web-*.tar.gz",
            "pkg:cargo/tenure@*",
            "*.whl",
            "pkg:npm/@acme/web@*",
        ] {
            assert!(!matches_anything(named), "{named}");
        }
    }

    #[test]
    fn production_keys_name_their_artifacts() {
        let key = |env: &str, artifact: &str| {
            format!(
                "apiVersion: tenure/v1\nkind: SigningKey\nmetadata:\n  name: rel\n  owner: team-a\n  description: Signs releases.\nspec:\n{env}  created: 2026-01-01\n  expires: 2027-01-01\n  keyless:\n    issuer: https://token.actions.githubusercontent.com\n    identity: https://github.com/acme/web/.github/workflows/release.yml@refs/tags/v1.0.0\n  allows:\n    artifacts: [\"{artifact}\"]\n"
            )
        };
        assert_eq!(
            codes(&[("rel.yaml", &key("", "*"))]),
            vec![Code::UnscopedSigning]
        );
        assert_eq!(codes(&[("rel.yaml", &key("", "web-*"))]), vec![]);
        assert_eq!(
            codes(&[("rel.yaml", &key("  environment: ci\n", "*"))]),
            vec![]
        );
    }
}
