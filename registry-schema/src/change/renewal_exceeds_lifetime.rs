//! `renewal-exceeds-lifetime`: a change moves `expires` later, to a date
//! further from the day of the change than the maximum lifetime allows
//! (`spec.guardrails.maxLifetime`). OWASP NHI7, long-lived secrets.
//!
//! Why: `lifetime-exceeded` measures a term from `created` or `renewed`,
//! values the author writes. A renewal is a new grant made on the day it is
//! merged, so this rule counts from that day, taken from the commit (or the
//! clock for a work tree), which the author cannot backdate.
//!
//! Example: with `maxLifetime: {environments: {production: 180d}}`, a pull
//! request on 2026-11-24 that changes a production identity's `expires` from
//! 2026-12-01 to 2027-12-01.

use super::{Context, DeclarationChange, Status};
use crate::diagnostic::{Code, Diagnostic};

pub(crate) fn check(cx: &Context<'_>, change: &DeclarationChange, out: &mut Vec<Diagnostic>) {
    if change.renewed.is_none() || !matches!(change.status, Status::Modified | Status::Renamed) {
        return;
    }
    let Some(file) = change.head_file else {
        return;
    };
    let Some(entry) = cx.input.head.entries.iter().find(|e| e.file == file) else {
        return;
    };
    let Some(term) = entry.declaration.term() else {
        return;
    };
    let Some(limit) = cx.scopes.for_file(file).max_lifetime(&entry.declaration) else {
        return;
    };
    let day = cx.input.day;
    let seconds = term.expires.value.end().as_second() - day.as_second();
    if seconds <= i64::from(limit.days.0) * 86_400 {
        return;
    }
    let days = (seconds + 86_399) / 86_400;
    let today = day.strftime("%Y-%m-%d");
    out.push(
        Diagnostic::new(
            Code::RenewalExceedsLifetime,
            format!(
                "`{}` is renewed until {}, {days} days after the renewal on {today}, longer than {} ({})",
                change.name, term.expires.value, limit.what, limit.days
            ),
        )
        .at(
            file,
            term.expires.span,
            format!("at most {} after {today}", limit.days),
        )
        .with_secondary(limit.file, limit.span, "the limit is set here")
        .with_note("a renewal counts from the day it is made, whatever `created` or `renewed` say")
        .with_note(format!(
            "help: `tenure renew {}` sets the longest expiry the policy allows",
            change.name
        )),
    );
}
