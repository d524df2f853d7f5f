//! `expires-soon`: the declaration lapses within the renew window
//! (`spec.renewWindow` in `tenure.yaml`, 30 days by default).
//!
//! Why: renewing is a reviewed change; owners need the notice before the
//! deadline, not after the credentials stop working.
//!
//! Example: `expires: 2026-12-01` checked on 2026-11-20 with a 30-day window.

use super::{Check, Rule, days_between, plural_days};
use crate::check::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::registry::Entry;

pub(crate) const RULE: Rule = Rule {
    name: "expires_soon",
    source: include_str!("expires_soon.rs"),
    codes: &[Code::ExpiresSoon],
    check: Check::Entry(check),
    needs_settings: true,
};

fn check(cx: &Context<'_>, entry: &Entry, out: &mut Vec<Diagnostic>) {
    let now = cx.options.now;
    let window = cx.settings(entry.file).renew_window().duration();
    let Some(term) = entry.declaration.term() else {
        return;
    };
    let end = term.expires.value.end();
    let opens = end.checked_sub(window).unwrap_or(end);
    if now < opens || now >= end {
        return;
    }
    let name = entry.declaration.name();
    out.push(
        Diagnostic::new(
            Code::ExpiresSoon,
            format!(
                "`{name}` lapses in {} (expires {})",
                plural_days(days_between(now, end)),
                term.expires.value
            ),
        )
        .at(entry.file, term.expires.span, "inside the renew window")
        .with_note("help: renew it in a reviewed PR that moves `expires` forward"),
    );
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::rules::testing::{codes, identity};

    #[test]
    fn inside_and_outside_the_window() {
        let soon = identity("x", "2026-01-01", "2026-12-10", "");
        assert_eq!(codes(&[("x.yaml", &soon)]), vec![Code::ExpiresSoon]);
        let later = identity("yy", "2026-01-01", "2027-01-10", "");
        assert_eq!(codes(&[("yy.yaml", &later)]), vec![]);
    }
}
