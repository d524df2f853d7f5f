//! `duplicate-name`: two declarations share `metadata.name`.
//!
//! Why: names are how PRs, providers, signatures and `tenure renew` refer to a
//! declaration; two files with one name make every such reference ambiguous.
//!
//! Example: `teams/platform.yaml` and `old/platform.yaml` both declare
//! `name: platform`.

use std::collections::HashMap;

use super::{Check, Rule};
use crate::check::Context;
use crate::diagnostic::{Code, Diagnostic};

pub(crate) const RULE: Rule = Rule {
    name: "duplicate_name",
    source: include_str!("duplicate_name.rs"),
    codes: &[Code::DuplicateName],
    check: Check::Registry(check),
    needs_settings: false,
};

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let mut first = HashMap::with_capacity(cx.registry.entries.len());
    for entry in &cx.registry.entries {
        let name = &entry.declaration.metadata().name;
        match first.get(name.value.0.as_str()) {
            None => {
                first.insert(name.value.0.as_str(), (entry.file, name.span));
            }
            Some(&(file, span)) => out.push(
                Diagnostic::new(
                    Code::DuplicateName,
                    format!("`{}` is declared twice", name.value),
                )
                .at(entry.file, name.span, "declared again here")
                .with_secondary(file, span, "first declared here"),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::rules::testing::{codes, identity, run};

    #[test]
    fn second_declaration_is_flagged_with_the_first_as_secondary() {
        let a = identity("x", "2026-01-01", "2027-06-01", "");
        let found = run(&[("a/x.yaml", &a), ("b/x.yaml", &a)]);
        let dup: Vec<_> = found
            .iter()
            .filter(|d| d.code == Code::DuplicateName)
            .collect();
        assert_eq!(dup.len(), 1);
        assert_eq!(dup[0].secondary.len(), 1);
    }

    #[test]
    fn distinct_names_pass() {
        let a = identity("x", "2026-01-01", "2027-06-01", "");
        let b = identity("yy", "2026-01-01", "2027-06-01", "");
        assert!(!codes(&[("x.yaml", &a), ("yy.yaml", &b)]).contains(&Code::DuplicateName));
    }
}
