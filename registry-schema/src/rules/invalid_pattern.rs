//! `invalid-pattern`: a regular expression or glob in a declaration does not
//! compile.
//!
//! Why: a pattern that does not compile can never match, so the declaration
//! silently grants nothing, or a lenient consumer treats it as a literal. It
//! is caught at review time instead.
//!
//! Checked: `federation.subjectPattern`, `federation.claimPatterns`,
//! `keyless.identityPattern` (regular expressions, Rust `regex` syntax, linear
//! time), `github.ref`, `keyless.github.refs` and `allows.artifacts` (globs;
//! `pkg:` package URLs are not globs and are left alone).
//!
//! Example: `subjectPattern: "^repo:acme/(app$"` (unclosed group).

use super::{Check, Rule};
use crate::check::Context;
use crate::diagnostic::{Code, Diagnostic, FileId};
use crate::model::Declaration;
use crate::pattern::{check_glob, compile_regex};
use crate::registry::Entry;
use crate::span::Spanned;

pub(crate) const RULE: Rule = Rule {
    name: "invalid_pattern",
    source: include_str!("invalid_pattern.rs"),
    codes: &[Code::InvalidPattern],
    check: Check::Entry(check),
    needs_settings: false,
};

fn check(_cx: &Context<'_>, entry: &Entry, out: &mut Vec<Diagnostic>) {
    let file = entry.file;
    for field in entry.patterns() {
        regex_at(out, file, &field.path, &field.pattern, &field.parsed);
    }
    match &entry.declaration {
        Declaration::Identity(identity) => {
            if let Some(r) = identity
                .spec
                .github
                .as_ref()
                .and_then(|g| g.git_ref.as_ref())
            {
                glob_at(out, file, "spec.github.ref", r);
            }
        }
        Declaration::SigningKey(key) => {
            if let Some(gh) = key.spec.keyless.as_ref().and_then(|k| k.github.as_ref()) {
                for r in &gh.refs {
                    glob_at(out, file, "spec.keyless.github.refs", r);
                }
            }
            for artifact in &key.spec.allows.artifacts {
                if !artifact.value.starts_with("pkg:") {
                    glob_at(out, file, "spec.allows.artifacts", artifact);
                }
            }
        }
        Declaration::Team(_) => {}
    }
}

fn regex_at(
    out: &mut Vec<Diagnostic>,
    file: FileId,
    field: &str,
    pattern: &Spanned<String>,
    parsed: &Result<regex_syntax::hir::Hir, Box<regex_syntax::Error>>,
) {
    // Parsing finds every syntax error. Long patterns and large counted
    // repetitions (`{100}` and up) can also exceed the compiled-size limit, so
    // those few are compiled as well.
    // Nested counted repetitions multiply, so two or more braces count as large too.
    let risky = pattern.value.len() > 256
        || has_large_repetition(&pattern.value)
        || pattern.value.matches('{').count() >= 2;
    let result = parsed
        .as_ref()
        .map(drop)
        .map_err(|e| e.to_string())
        .and_then(|()| {
            if risky {
                compile_regex(&pattern.value)
                    .map(drop)
                    .map_err(|e| e.to_string())
            } else {
                Ok(())
            }
        });
    if let Err(e) = result {
        // The regex error is multi-line ASCII art; keep its last line, the reason.
        let reason = e
            .to_string()
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("invalid")
            .trim_start_matches("error: ")
            .to_owned();
        out.push(
            Diagnostic::new(
                Code::InvalidPattern,
                format!("`{field}` is not a valid regular expression"),
            )
            .at(file, pattern.span, reason),
        );
    }
}

/// Whether the pattern has a counted repetition with a bound of 100 or more
/// (`{1000}`, `{2,1000}`, `{1000,}`).
fn has_large_repetition(pattern: &str) -> bool {
    pattern.split('{').skip(1).any(|rest| {
        let inner = rest.split('}').next().unwrap_or_default();
        inner
            .split(',')
            .any(|n| n.len() >= 3 && n.bytes().all(|b| b.is_ascii_digit()))
    })
}

fn glob_at(out: &mut Vec<Diagnostic>, file: FileId, field: &str, pattern: &Spanned<String>) {
    if let Err(e) = check_glob(&pattern.value) {
        out.push(
            Diagnostic::new(
                Code::InvalidPattern,
                format!("`{field}` is not a valid glob"),
            )
            .at(file, pattern.span, e.kind().to_string()),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::rules::testing::{codes, identity};

    #[test]
    fn bad_regex_and_bad_glob() {
        let fed = "  federation:\n    issuer: https://issuer.example\n    audience: example\n    subjectPattern: \"^repo:(a$\"\n    claimPatterns:\n      job_workflow_ref: \"^x[$\"\n";
        let a = identity("x", "2026-01-01", "2027-06-01", fed);
        assert_eq!(
            codes(&[("x.yaml", &a)]),
            vec![Code::InvalidPattern, Code::InvalidPattern]
        );
        let glob = "  github:\n    repository: acme/web\n    ref: \"refs/heads/[main\"\n";
        let b = identity("yy", "2026-01-01", "2027-06-01", glob);
        assert_eq!(codes(&[("yy.yaml", &b)]), vec![Code::InvalidPattern]);
    }

    #[test]
    fn regexes_over_the_size_limit_are_caught() {
        let fed = "  federation:\n    issuer: https://issuer.example\n    audience: example\n    subjectPattern: \"^(a{1000}){1000}$\"\n";
        let a = identity("x", "2026-01-01", "2027-06-01", fed);
        assert_eq!(codes(&[("x.yaml", &a)]), vec![Code::InvalidPattern]);
        let nested = "  federation:\n    issuer: https://issuer.example\n    audience: example\n    subjectPattern: \"^((a{99}){99}){99}$\"\n";
        let b = identity("yy", "2026-01-01", "2027-06-01", nested);
        assert_eq!(codes(&[("yy.yaml", &b)]), vec![Code::InvalidPattern]);
    }

    #[test]
    fn only_large_repetitions_are_compiled() {
        assert!(super::has_large_repetition("a{1000}"));
        assert!(super::has_large_repetition("a{2,1000}"));
        assert!(super::has_large_repetition("a{100,}"));
        assert!(!super::has_large_repetition("[0-9]{12}"));
        assert!(!super::has_large_repetition("a{2,99}"));
    }

    #[test]
    fn purls_are_not_globs() {
        let key = "apiVersion: tenure/v1\nkind: SigningKey\nmetadata:\n  name: k\n  owner: team-a\n  description: Key.\nspec:\n  created: 2026-01-01\n  expires: 2027-01-01\n  keyless:\n    issuer: https://issuer.example\n    identity: x\n  allows:\n    artifacts: [\"pkg:cargo/[weird@1\", \"ok-*.tgz\"]\n";
        assert_eq!(codes(&[("k.yaml", key)]), vec![]);
    }
}
