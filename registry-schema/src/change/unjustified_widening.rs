//! `unjustified-widening`: a change grants a production identity more than
//! it had (a new scope, or `read` to `write`), or moves an identity that
//! holds permissions into production, without changing its `justification`
//! in the same change. OWASP NHI5, overprivileged NHI.
//!
//! Why: the justification is the reviewed reason for the access. When the
//! access grows and the reason stays the same, the reason no longer describes
//! what is granted, and the reviewer has nothing to weigh the new access
//! against.
//!
//! Example: a pull request that changes a production deploy identity's
//! `permissions: {contents: read}` to `{contents: write}` and leaves
//! `justification` as it was.

use super::{Context, DeclarationChange, Status, Topic};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::Declaration;

pub(crate) fn check(cx: &Context<'_>, change: &DeclarationChange, out: &mut Vec<Diagnostic>) {
    if !matches!(change.status, Status::Modified | Status::Renamed) {
        return;
    }
    let Some(file) = change.head_file else {
        return;
    };
    let Some(entry) = cx.input.head.entries.iter().find(|e| e.file == file) else {
        return;
    };
    let Declaration::Identity(identity) = &entry.declaration else {
        return;
    };
    let settings = cx.scopes.for_file(file);
    let env = &identity.spec.environment.value.0;
    if !settings.is_production(env) {
        return;
    }
    let entered_production = change.fields_about(Topic::Environment).any(|f| {
        f.from
            .as_ref()
            .and_then(|v| v.as_str())
            .is_some_and(|old| !settings.is_production(old))
    }) && !change.facts.permissions.is_empty();
    if !change.widens() && !entered_production {
        return;
    }
    if change.fields_about(Topic::Justification).next().is_some() {
        return;
    }
    let widened: Vec<String> = change
        .access
        .iter()
        .filter(|a| a.widens())
        .map(|a| {
            let to = a.to.map_or("none", |t| t.as_str());
            match a.from {
                Some(from) => format!("`{}` {} → {to}", a.scope, from.as_str()),
                None => format!("`{}` {to} (new)", a.scope),
            }
        })
        .collect();
    let what = if widened.is_empty() {
        format!("moves into `{env}` with its permissions")
    } else {
        format!("gains {}", widened.join(", "))
    };
    let span = identity
        .spec
        .grants()
        .find(|(scope, ..)| {
            change
                .access
                .iter()
                .any(|a| a.widens() && a.scope == *scope)
        })
        .map_or(identity.spec.environment.span, |(.., span)| span);
    let mut d = Diagnostic::new(
        Code::UnjustifiedWidening,
        format!(
            "production identity `{}` {what} without a new `justification`",
            change.name
        ),
    )
    .at(file, span, "widened here");
    if let Some(j) = &identity.spec.justification {
        d = d.with_secondary(file, j.span, "unchanged by this change");
    }
    out.push(d.with_note(
        "help: update `spec.justification` in the same change to say why the wider access is needed",
    ));
}
