//! `created-in-future`: `created` (or `renewed`) lies after the current time.
//!
//! Why: `created` records when trust was granted; a future date usually means
//! a typo, and pre-dated grants make audits and the lifetime guardrails lie:
//! a future `renewed` would stretch the term the maximum lifetime allows.
//!
//! Example: `created: 2062-01-15` in a PR opened in 2026.

use super::{Check, Rule, days_between, plural_days};
use crate::check::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::registry::Entry;

pub(crate) const RULE: Rule = Rule {
    name: "created_in_future",
    source: include_str!("created_in_future.rs"),
    codes: &[Code::CreatedInFuture],
    check: Check::Entry(check),
    needs_settings: false,
};

fn check(cx: &Context<'_>, entry: &Entry, out: &mut Vec<Diagnostic>) {
    let now = cx.options.now;
    let Some(term) = entry.declaration.term() else {
        return;
    };
    for (field, value) in
        std::iter::once(("created", term.created)).chain(term.renewed.map(|r| ("renewed", r)))
    {
        let start = value.value.start();
        if start > now {
            out.push(
                Diagnostic::new(
                    Code::CreatedInFuture,
                    format!(
                        "`{field}` ({}) is {} in the future",
                        value.value,
                        plural_days(days_between(now, start).max(1))
                    ),
                )
                .at(entry.file, value.span, "not yet reached"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::{Code, Severity};
    use crate::rules::testing::{identity, run};

    #[test]
    fn future_creation_is_a_warning() {
        let a = identity("x", "2027-01-01", "2027-06-01", "");
        let found = run(&[("x.yaml", &a)]);
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].code, found[0].severity),
            (Code::CreatedInFuture, Severity::Warning)
        );
    }
}
