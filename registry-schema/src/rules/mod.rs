//! Cross-file rules of `tenure check`, one per file. Each documents what it
//! checks, why, and an example; `docs/src/codes/` has a page per code.

use crate::check::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::registry::Entry;

mod auth_method;
mod broad_subject;
mod confusable_name;
mod created_in_future;
mod duplicate_name;
mod environment_admission;
mod exclusive_fields;
mod expired;
mod expires_before_created;
mod expires_soon;
mod federation_pinning;
mod federation_preferred;
mod guardrail_loosened;
mod human_subject;
mod interactive_identity;
mod invalid_pattern;
mod lifetime_exceeded;
mod missing_justification;
mod missing_vendor;
mod name_mismatch;
mod owner;
mod permission_ceiling;
mod reused_credential;
mod third_party_write;
mod unanchored_pattern;
mod unknown_environment;
mod unpinned_signer;
mod unprotected_production;
mod unscoped_signing;
mod weak_key;

/// A rule: the codes it may emit and the function that runs it.
#[derive(Debug)]
pub struct Rule {
    /// Short name, the file name.
    pub name: &'static str,
    /// The rule's source file, whose `//!` comment is its documentation.
    pub source: &'static str,
    /// Codes the rule emits.
    pub codes: &'static [Code],
    /// Run the rule.
    pub check: Check,
    /// The rule reads `tenure.yaml` settings: it is skipped when that file
    /// exists but did not load, whose own error already fails the run.
    pub needs_settings: bool,
}

impl Rule {
    /// The name as users type it: `federation-pinning`.
    pub fn display_name(&self) -> String {
        self.name.replace('_', "-")
    }

    /// The rule's documentation (what, why, example): its module comment.
    pub fn doc(&self) -> String {
        let mut out = String::new();
        for line in self.source.lines() {
            let Some(text) = line.strip_prefix("//!") else {
                break;
            };
            out.push_str(text.strip_prefix(' ').unwrap_or(text));
            out.push('\n');
        }
        out
    }

    /// Look a rule up by name (`federation-pinning` or `federation_pinning`).
    pub fn find(name: &str) -> Option<&'static Rule> {
        let name = name.replace('-', "_");
        ALL.iter().find(|r| r.name == name)
    }
}

/// How a rule runs.
#[derive(Clone, Copy, Debug)]
pub enum Check {
    /// Once per declaration, on its own; these run in parallel.
    Entry(fn(&Context<'_>, &Entry, &mut Vec<Diagnostic>)),
    /// Once over the whole registry (names, owners).
    Registry(fn(&Context<'_>, &mut Vec<Diagnostic>)),
}

/// Every rule, in the order they run.
pub const ALL: &[Rule] = &[
    guardrail_loosened::RULE,
    duplicate_name::RULE,
    confusable_name::RULE,
    reused_credential::RULE,
    name_mismatch::RULE,
    owner::RULE,
    unknown_environment::RULE,
    environment_admission::RULE,
    exclusive_fields::RULE,
    invalid_pattern::RULE,
    expires_before_created::RULE,
    lifetime_exceeded::RULE,
    weak_key::RULE,
    auth_method::RULE,
    federation_preferred::RULE,
    missing_vendor::RULE,
    third_party_write::RULE,
    missing_justification::RULE,
    permission_ceiling::RULE,
    federation_pinning::RULE,
    unanchored_pattern::RULE,
    broad_subject::RULE,
    unprotected_production::RULE,
    interactive_identity::RULE,
    human_subject::RULE,
    unpinned_signer::RULE,
    unscoped_signing::RULE,
    created_in_future::RULE,
    expired::RULE,
    expires_soon::RULE,
];

/// Whole days from `from` to `to`, rounded down, never negative.
pub(crate) fn days_between(from: jiff::Timestamp, to: jiff::Timestamp) -> i64 {
    (to.as_second() - from.as_second()).max(0) / 86_400
}

/// "1 day" / "3 days".
pub(crate) fn plural_days(n: i64) -> String {
    if n == 1 {
        "1 day".to_owned()
    } else {
        format!("{n} days")
    }
}

/// A tiny in-memory registry for the rules' unit tests.
#[cfg(test)]
pub(crate) mod testing {
    use std::path::Path;

    use crate::check::{CheckOptions, check};
    use crate::diagnostic::{Code, Diagnostic};
    use crate::registry::{LoadOptions, load_memory};

    pub(crate) const NOW: &str = "2026-11-24T12:00:00Z";

    const CONFIG: &str = "apiVersion: tenure/v1\nkind: Registry\nmetadata:\n  name: t\n  owner: team-a\n  description: Test registry.\nspec:\n  environments: [production, ci]\n";
    const TEAM: &str = "apiVersion: tenure/v1\nkind: Team\nmetadata:\n  name: team-a\n  owner: team-a\n  description: A team.\nspec:\n  members: [alice]\n";

    /// An Identity named `name` with `extra` lines appended under `spec`.
    pub(crate) fn identity(name: &str, created: &str, expires: &str, extra: &str) -> String {
        format!(
            "apiVersion: tenure/v1\nkind: Identity\nmetadata:\n  name: {name}\n  owner: team-a\n  description: An identity.\nspec:\n  type: api-key\n  environment: ci\n  created: {created}\n  expires: {expires}\n{extra}"
        )
    }

    /// The base `tenure.yaml` with `extra` lines appended under `spec`.
    pub(crate) fn config_with(extra: &str) -> String {
        format!("{CONFIG}{extra}")
    }

    /// Check the base registry plus `files`, returning every finding.
    pub(crate) fn run(files: &[(&str, &str)]) -> Vec<Diagnostic> {
        run_with(CONFIG, files)
    }

    /// As [`run`], with another `tenure.yaml`.
    pub(crate) fn run_with(config: &str, files: &[(&str, &str)]) -> Vec<Diagnostic> {
        let mut all = vec![
            ("tenure.yaml".to_owned(), config.as_bytes().to_vec()),
            ("teams/team-a.yaml".to_owned(), TEAM.as_bytes().to_vec()),
        ];
        all.extend(
            files
                .iter()
                .map(|(p, t)| ((*p).to_owned(), t.as_bytes().to_vec())),
        );
        let registry = load_memory(Path::new("reg"), all, &LoadOptions::default());
        let options = CheckOptions::at(NOW.parse().expect("timestamp"));
        check(&registry, &options)
    }

    /// The codes found, in order.
    pub(crate) fn codes(files: &[(&str, &str)]) -> Vec<Code> {
        run(files).into_iter().map(|d| d.code).collect()
    }

    #[test]
    fn every_rule_is_documented_and_every_code_has_one_rule() {
        use std::collections::HashSet;
        let mut seen = HashSet::new();
        for rule in super::ALL {
            let doc = rule.doc();
            assert!(
                doc.contains("Why:"),
                "{}: the doc comment says why",
                rule.name
            );
            assert!(
                doc.contains("Example:"),
                "{}: the doc comment has an example",
                rule.name
            );
            for code in rule.codes {
                assert!(seen.insert(*code), "{code} is emitted by two rules");
            }
        }
    }

    #[test]
    fn the_base_is_clean() {
        assert_eq!(
            codes(&[("x.yaml", &identity("x", "2026-01-01", "2027-06-01", ""))]),
            vec![]
        );
    }
}
