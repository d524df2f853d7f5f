//! `expires-before-created`: `expires` is not after `created`.
//!
//! Why: a term that ends before it starts is a typo (often a swapped year)
//! that would make the entry lapsed from day one, or hide the real intent.
//!
//! Example: `created: 2026-03-01`, `expires: 2025-09-01`.

use super::{Check, Rule};
use crate::check::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::registry::Entry;

pub(crate) const RULE: Rule = Rule {
    name: "expires_before_created",
    source: include_str!("expires_before_created.rs"),
    codes: &[Code::ExpiresBeforeCreated],
    check: Check::Entry(check),
    needs_settings: false,
};

fn check(_cx: &Context<'_>, entry: &Entry, out: &mut Vec<Diagnostic>) {
    let Some(term) = entry.declaration.term() else {
        return;
    };
    if term.expires.value.end() <= term.created.value.start() {
        out.push(
            Diagnostic::new(
                Code::ExpiresBeforeCreated,
                format!(
                    "`expires` ({}) is not after `created` ({})",
                    term.expires.value, term.created.value
                ),
            )
            .at(entry.file, term.expires.span, "ends here")
            .with_secondary(entry.file, term.created.span, "starts here"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::rules::testing::{codes, identity};

    #[test]
    fn swapped_dates() {
        let a = identity("x", "2026-10-01", "2025-10-01", "");
        assert!(codes(&[("x.yaml", &a)]).contains(&Code::ExpiresBeforeCreated));
        // One day is a valid (if short) term: a date-only `expires` covers the whole day.
        let same_day = identity("yy", "2026-12-01", "2026-12-01", "");
        assert!(!codes(&[("yy.yaml", &same_day)]).contains(&Code::ExpiresBeforeCreated));
    }
}
