//! Cross-file rules of `tenure check`, one per file. Each documents what it
//! checks, why, and an example; `docs/codes/` has a page per code.

use crate::check::Context;
use crate::diagnostic::{Code, Diagnostic};

mod created_in_future;
mod duplicate_name;
mod exclusive_fields;
mod expired;
mod expires_before_created;
mod expires_soon;
mod invalid_pattern;
mod name_mismatch;
mod owner;
mod unknown_environment;

/// A rule: the codes it may emit and the function that runs it.
#[derive(Debug)]
pub struct Rule {
    /// Short name, the file name.
    pub name: &'static str,
    /// Codes the rule emits.
    pub codes: &'static [Code],
    /// Run the rule.
    pub check: fn(&Context<'_>, &mut Vec<Diagnostic>),
}

/// Every rule, in the order they run.
pub const ALL: &[Rule] = &[
    duplicate_name::RULE,
    name_mismatch::RULE,
    owner::RULE,
    unknown_environment::RULE,
    exclusive_fields::RULE,
    invalid_pattern::RULE,
    expires_before_created::RULE,
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
