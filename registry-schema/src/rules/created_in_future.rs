//! `created-in-future`: `created` lies after the current time.
//!
//! Why: `created` records when trust was granted; a future date usually means
//! a typo, and pre-dated grants make audits and the lifetime guardrails lie.
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
    let created = term.created.value.start();
    if created > now {
        out.push(
            Diagnostic::new(
                Code::CreatedInFuture,
                format!(
                    "`created` ({}) is {} in the future",
                    term.created.value,
                    plural_days(days_between(now, created).max(1))
                ),
            )
            .at(entry.file, term.created.span, "not yet reached"),
        );
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
