//! What a federation `subject` or `subjectPattern` admits, read statically.
//!
//! A pattern is parsed (never run) and its literal prefixes extracted from
//! the regex HIR: `^repo:acme/(web|api):ref:refs/heads/main$` admits exactly
//! two subjects, `^repo:acme/.*$` admits anything that starts with
//! `repo:acme/`. The rules judge those prefixes.

use regex_syntax::hir::literal::{ExtractKind, Extractor};

use crate::model::Federation;
use crate::registry::Entry;

/// GitHub Actions' OIDC issuer on github.com.
pub(crate) const GITHUB_ISSUER: &str = "https://token.actions.githubusercontent.com";

/// Whether tokens from `issuer` are GitHub Actions tokens (github.com, or a
/// GitHub Enterprise Server's `https://HOST/_services/token`).
pub(crate) fn is_github_issuer(issuer: &str) -> bool {
    issuer == GITHUB_ISSUER
        || issuer.starts_with("https://token.actions.") && issuer.ends_with(".ghe.com")
        || issuer.starts_with("https://") && issuer.ends_with("/_services/token")
}

/// One literal a subject starts with (`exact`: the whole subject).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Lit {
    pub(crate) text: String,
    pub(crate) exact: bool,
}

/// The subjects a federation admits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Subjects {
    /// Neither field, or a pattern that does not parse (reported elsewhere).
    Unknown,
    /// A pattern with no literal prefix: any subject.
    Any,
    /// Every admitted subject starts with one of these.
    Literals(Vec<Lit>),
}

/// The subjects an Identity's federation admits: its exact `subject`, or
/// what its parsed `subjectPattern` admits.
pub(crate) fn subjects(fed: &Federation, entry: &Entry) -> Subjects {
    if let Some(subject) = &fed.subject {
        return Subjects::Literals(vec![Lit {
            text: subject.value.clone(),
            exact: true,
        }]);
    }
    match entry.pattern("spec.federation.subjectPattern") {
        Some(field) => field.prefixes().clone(),
        None => Subjects::Unknown,
    }
}

/// The literal prefixes of a regular expression.
#[cfg(test)]
pub(crate) fn pattern_prefixes(pattern: &str) -> Subjects {
    match crate::pattern::parse_regex(pattern) {
        Ok(hir) => prefixes_of(&hir),
        Err(_) => Subjects::Unknown,
    }
}

/// The literal prefixes of a parsed regular expression.
pub(crate) fn prefixes_of(hir: &regex_syntax::hir::Hir) -> Subjects {
    let seq = Extractor::new().kind(ExtractKind::Prefix).extract(hir);
    match seq.literals() {
        None => Subjects::Any,
        Some(lits) if lits.is_empty() || lits.iter().any(|l| l.as_bytes().is_empty()) => {
            Subjects::Any
        }
        Some(lits) => Subjects::Literals(
            lits.iter()
                .map(|l| Lit {
                    text: String::from_utf8_lossy(l.as_bytes()).into_owned(),
                    exact: l.is_exact(),
                })
                .collect(),
        ),
    }
}

/// A GitHub Actions subject (`repo:OWNER/NAME:CONTEXT`), split.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct GithubSubject<'a> {
    /// `OWNER/NAME`, when the literal reaches the `:` after it.
    pub(crate) repo: Option<&'a str>,
    /// What follows: `ref:refs/heads/main`, `environment:prod`, `pull_request`.
    pub(crate) context: &'a str,
}

impl<'a> GithubSubject<'a> {
    pub(crate) fn parse(text: &'a str) -> Option<Self> {
        let rest = text.strip_prefix("repo:")?;
        match rest.split_once(':') {
            Some((repo, context)) => Some(Self {
                repo: Some(repo),
                context,
            }),
            None => Some(Self {
                repo: None,
                context: "",
            }),
        }
    }

    /// Whether the repository is one fixed `OWNER/NAME`.
    pub(crate) fn fixed_repo(&self) -> bool {
        self.repo.is_some_and(|r| {
            r.split_once('/')
                .is_some_and(|(o, n)| !o.is_empty() && !n.is_empty())
                && !r.contains(['*', '?', '['])
        })
    }

    /// Whether the context names a ref or an environment.
    /// Whether the context names a kind of ref (a branch, a tag, a pull
    /// request ref) or an environment: `ref:` followed by anything, or
    /// `ref:refs/`, admits every ref.
    pub(crate) fn tied(&self) -> bool {
        ["ref:refs/heads/", "ref:refs/tags/", "ref:refs/pull/"]
            .iter()
            .any(|p| self.context.starts_with(p))
            || self
                .context
                .strip_prefix("environment:")
                .is_some_and(|e| !e.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lits(p: &str) -> Vec<(String, bool)> {
        match pattern_prefixes(p) {
            Subjects::Literals(l) => l.into_iter().map(|l| (l.text, l.exact)).collect(),
            other => panic!("{p}: {other:?}"),
        }
    }

    #[test]
    fn prefixes() {
        assert_eq!(
            lits("^repo:acme/(web|api):ref:refs/heads/main$"),
            vec![
                ("repo:acme/web:ref:refs/heads/main".to_owned(), true),
                ("repo:acme/api:ref:refs/heads/main".to_owned(), true)
            ]
        );
        assert_eq!(
            lits("^repo:acme/.*$"),
            vec![("repo:acme/".to_owned(), false)]
        );
        assert_eq!(pattern_prefixes("^.*$"), Subjects::Any);
        assert_eq!(pattern_prefixes("(unclosed"), Subjects::Unknown);
    }

    #[test]
    fn hostile_patterns_stay_bounded() {
        // Deep nesting is refused by the parser's nest limit.
        let deep = format!("^{}a{}$", "(".repeat(1000), ")".repeat(1000));
        assert_eq!(pattern_prefixes(&deep), Subjects::Unknown);
        // A huge alternation and nested repetitions: the extractor's limits
        // keep the literal set small instead of enumerating it.
        let wide = format!(
            "^repo:acme/({}):ref:refs/heads/main$",
            (0..5000)
                .map(|i| format!("r{i}"))
                .collect::<Vec<_>>()
                .join("|")
        );
        match pattern_prefixes(&wide) {
            Subjects::Literals(lits) => assert!(lits.len() <= 250, "{}", lits.len()),
            Subjects::Any | Subjects::Unknown => {}
        }
        let rep = "^((a|b|c|d){10}){10}$";
        match pattern_prefixes(rep) {
            Subjects::Literals(lits) => assert!(lits.len() <= 250),
            Subjects::Any | Subjects::Unknown => {}
        }
    }

    #[test]
    fn github_subjects() {
        let s = GithubSubject::parse("repo:acme/web:environment:prod").expect("github");
        assert!(s.fixed_repo() && s.tied());
        let s = GithubSubject::parse("repo:acme/*:ref:refs/heads/main").expect("github");
        assert!(!s.fixed_repo());
        let s = GithubSubject::parse("repo:acme/web:pull_request").expect("github");
        assert!(!s.tied());
        let s = GithubSubject::parse("repo:acme/web:ref:").expect("github");
        assert!(!s.tied(), "a pattern cut after `ref:` admits every ref");
        assert!(is_github_issuer(GITHUB_ISSUER));
        assert!(is_github_issuer("https://ghe.example.com/_services/token"));
        assert!(!is_github_issuer("https://accounts.google.com"));
    }
}
