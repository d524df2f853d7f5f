//! `removed-team-owns`: a change removes a Team while declarations in the
//! registry still name it as their `metadata.owner`. OWASP NHI1, improper
//! offboarding.
//!
//! Why: a declaration whose owner is gone has nobody to renew it, answer for
//! it or revoke it: exactly the orphaned identity tenure exists to prevent.
//! The team's declarations must move to another owner, or be removed, in the
//! same change.
//!
//! Example: a pull request that deletes `teams/payments.yaml` while
//! `payments/deploy.yaml` still says `owner: payments`.

use super::{Context, DeclarationChange, Status};
use crate::diagnostic::{Code, Diagnostic};

pub(crate) fn check(cx: &Context<'_>, change: &DeclarationChange, out: &mut Vec<Diagnostic>) {
    if change.status != Status::Removed || change.kind != "Team" || !cx.input.head_complete {
        return;
    }
    // A team declared again in another file is not gone.
    if cx
        .input
        .head
        .entries
        .iter()
        .any(|e| e.declaration.kind().as_str() == "Team" && e.declaration.name() == change.name)
    {
        return;
    }
    let owned: Vec<_> = cx
        .input
        .head
        .entries
        .iter()
        .filter(|e| e.declaration.metadata().owner.value.0 == change.name)
        .collect();
    let Some(first) = owned.first() else {
        return;
    };
    let names: Vec<String> = owned
        .iter()
        .take(5)
        .map(|e| format!("`{}`", e.declaration.name()))
        .collect();
    let more = owned.len().saturating_sub(names.len());
    let mut list = names.join(", ");
    if more > 0 {
        list.push_str(&format!(" and {more} more"));
    }
    let mut d = Diagnostic::new(
        Code::RemovedTeamOwns,
        format!(
            "Team `{}` is removed but still owns {} declaration{}: {list}",
            change.name,
            owned.len(),
            if owned.len() == 1 { "" } else { "s" }
        ),
    )
    .at(
        first.file,
        first.declaration.metadata().owner.span,
        "owned by the removed team",
    );
    for e in owned.iter().skip(1).take(4) {
        d = d.with_secondary(
            e.file,
            e.declaration.metadata().owner.span,
            "also owned by it",
        );
    }
    out.push(d.with_note(
        "help: give these declarations another owner, or remove them, in the same change",
    ));
}
