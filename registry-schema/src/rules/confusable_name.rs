//! `confusable-name`: two declaration names differ only by characters that
//! look alike (`deploy-1` and `deploy-l`, `rn` and `m`, `0` and `o`).
//! OWASP NHI9, NHI reuse.
//!
//! Why: a reviewer approving `payments-deploy` reads a name, not bytes. A
//! second declaration whose name looks the same can borrow the first one's
//! reputation in a PR, a log line or a `tenure sign --as` flag. Names are
//! limited to lower-case ASCII letters, digits and `-` by the schema, so
//! Unicode look-alikes (a Cyrillic `а`) are already refused as
//! `invalid-value`; this rule catches the ASCII ones, folding each name to a
//! skeleton in the spirit of Unicode TR39.
//!
//! Example: `deployer-1` and `deployer-l`.

use std::borrow::Cow;
use std::collections::HashMap;

use rayon::prelude::*;

use super::{Check, Rule};
use crate::check::Context;
use crate::diagnostic::{Code, Diagnostic, FileId};
use crate::span::Span;

pub(crate) const RULE: Rule = Rule {
    name: "confusable_name",
    source: include_str!("confusable_name.rs"),
    codes: &[Code::ConfusableName],
    check: Check::Registry(check),
    needs_settings: false,
};

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    // Skeletons are computed in parallel; most names have nothing to fold.
    let skeletons: Vec<Cow<'_, str>> = cx
        .registry
        .entries
        .par_iter()
        .map(|entry| skeleton(&entry.declaration.metadata().name.value.0))
        .collect();
    let mut first: HashMap<&str, (&str, FileId, Span)> =
        HashMap::with_capacity(cx.registry.entries.len());
    for (entry, folded) in cx.registry.entries.iter().zip(&skeletons) {
        let name = &entry.declaration.metadata().name;
        let text = name.value.0.as_str();
        match first.get(folded.as_ref()) {
            None => {
                first.insert(folded.as_ref(), (text, entry.file, name.span));
            }
            // The same name twice is `duplicate-name`.
            Some((other, ..)) if *other == text => {}
            Some(&(other, file, span)) => out.push(
                Diagnostic::new(
                    Code::ConfusableName,
                    format!("`{text}` looks like `{other}`"),
                )
                .at(entry.file, name.span, "look-alike name")
                .with_secondary(file, span, format!("`{other}` is declared here"))
                .with_note("help: choose a name that differs in more than look-alike characters"),
            ),
        }
    }
}

/// Fold look-alike characters and sequences to one form: `1` and `l` to
/// `l`, `0` to `o`, `rn` to `m`, `vv` to `w`, `cl` to `d`, `5` to `s`.
fn skeleton(name: &str) -> Cow<'_, str> {
    let foldable = name.contains(['1', 'I', '|', '0', '5'])
        || ["rn", "vv", "cl"].iter().any(|p| name.contains(p));
    if !foldable {
        return Cow::Borrowed(name);
    }
    let folded: String = name
        .chars()
        .map(|c| match c {
            '1' | 'I' | '|' => 'l',
            '0' => 'o',
            '5' => 's',
            c => c,
        })
        .collect();
    Cow::Owned(
        folded
            .replace("rn", "m")
            .replace("vv", "w")
            .replace("cl", "d"),
    )
}

#[cfg(test)]
mod tests {
    use super::skeleton;
    use crate::diagnostic::Code;
    use crate::rules::testing::{identity, run};

    #[test]
    fn skeletons() {
        assert_eq!(skeleton("deploy-1"), skeleton("deploy-l"));
        assert_eq!(skeleton("modern"), skeleton("rnodern"));
        assert_ne!(skeleton("deploy-a"), skeleton("deploy-b"));
    }

    #[test]
    fn look_alike_names_are_flagged_with_both_places() {
        let a = identity("deployer-1", "2026-01-01", "2027-01-01", "");
        let b = identity("deployer-l", "2026-01-01", "2027-01-01", "");
        let found: Vec<_> = run(&[("deployer-1.yaml", &a), ("deployer-l.yaml", &b)])
            .into_iter()
            .filter(|d| d.code == Code::ConfusableName)
            .collect();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].secondary.len(), 1);
    }

    #[test]
    fn unicode_look_alikes_never_load() {
        // A Cyrillic `а` in the name is refused by the schema.
        let a = identity("payments", "2026-01-01", "2027-01-01", "");
        let b = identity("pаyments", "2026-01-01", "2027-01-01", "");
        let codes: Vec<Code> = run(&[("payments.yaml", &a), ("p.yaml", &b)])
            .into_iter()
            .map(|d| d.code)
            .collect();
        assert!(codes.contains(&Code::InvalidValue), "{codes:?}");
    }
}
