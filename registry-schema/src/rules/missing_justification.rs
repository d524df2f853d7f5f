//! `missing-justification`: an Identity granted `write` or `admin` on any
//! scope (a deploy key with `readOnly: false` counts as `contents: write`)
//! has no `justification`. OWASP NHI5, overprivileged identities.
//!
//! Why: read access is the safe default; anything more must be argued for in
//! the declaration, where reviewers see it and where it stays with the grant.
//!
//! Example: `permissions: {contents: write}` with no `justification:`.

use super::{Check, Rule};
use crate::check::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Access, Declaration};
use crate::registry::Entry;

pub(crate) const RULE: Rule = Rule {
    name: "missing_justification",
    source: include_str!("missing_justification.rs"),
    codes: &[Code::MissingJustification],
    check: Check::Entry(check),
    needs_settings: false,
};

fn check(_cx: &Context<'_>, entry: &Entry, out: &mut Vec<Diagnostic>) {
    let Declaration::Identity(identity) = &entry.declaration else {
        return;
    };
    let spec = &identity.spec;
    if spec.justification.is_some() {
        return;
    }
    let Some((scope, access, span)) = spec.widest_grant(Access::Write) else {
        return;
    };
    out.push(
        Diagnostic::new(
            Code::MissingJustification,
            format!(
                "`{}` grants `{}: {}` without a `justification`",
                entry.declaration.name(),
                scope,
                access.as_str()
            ),
        )
        .at(entry.file, span, "more than read access")
        .with_note("help: add `spec.justification` saying why read access is not enough"),
    );
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::rules::testing::{codes, identity};

    #[test]
    fn write_and_admin_need_a_reason() {
        let write = identity(
            "x",
            "2026-01-01",
            "2027-06-01",
            "  permissions:\n    contents: read\n    deployments: write\n    administration: admin\n",
        );
        assert_eq!(
            codes(&[("x.yaml", &write)]),
            vec![Code::MissingJustification]
        );
        let argued = format!("{write}  justification: Creates deployments.\n");
        assert_eq!(codes(&[("x.yaml", &argued)]), vec![]);
        let read = identity(
            "yy",
            "2026-01-01",
            "2027-06-01",
            "  permissions:\n    contents: read\n",
        );
        assert_eq!(codes(&[("yy.yaml", &read)]), vec![]);
    }
}
