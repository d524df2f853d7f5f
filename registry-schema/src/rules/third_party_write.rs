//! `third-party-write`: an identity a third party operates holds `write` or
//! `admin` access. OWASP NHI3, vulnerable third-party NHI.
//!
//! Why: a vendor's breach inherits every permission you granted their app or
//! agent. Read access leaks data; write access lets an attacker change code,
//! releases or infrastructure. This warning keeps such grants in front of
//! reviewers even when they are justified.
//!
//! Example: `vendor: Acme CI` with `permissions: {contents: write}`.

use super::{Check, Rule};
use crate::check::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Access, Declaration};
use crate::registry::Entry;

pub(crate) const RULE: Rule = Rule {
    name: "third_party_write",
    source: include_str!("third_party_write.rs"),
    codes: &[Code::ThirdPartyWrite],
    check: Check::Entry(check),
    needs_settings: false,
};

fn check(_cx: &Context<'_>, entry: &Entry, out: &mut Vec<Diagnostic>) {
    let Declaration::Identity(identity) = &entry.declaration else {
        return;
    };
    let spec = &identity.spec;
    let Some(vendor) = spec.vendor.as_ref().filter(|_| spec.is_third_party()) else {
        return;
    };
    let Some((scope, access, span)) = spec.widest_grant(Access::Write) else {
        return;
    };
    out.push(
        Diagnostic::new(
            Code::ThirdPartyWrite,
            format!(
                "`{}` is operated by `{}` and holds `{scope}: {}`",
                entry.declaration.name(),
                vendor.value.0,
                access.as_str()
            ),
        )
        .at(entry.file, span, "write access for a third party")
        .with_secondary(entry.file, vendor.span, "the vendor")
        .with_note("help: grant read access where it suffices; if write is needed, keep the term short and the scope narrow"),
    );
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::rules::testing::{codes, identity};

    #[test]
    fn vendors_with_write_access_are_flagged() {
        let write = identity(
            "a",
            "2026-01-01",
            "2027-01-01",
            "  vendor: Acme CI\n  permissions:\n    contents: write\n  justification: Pushes release tags.\n",
        );
        assert_eq!(codes(&[("a.yaml", &write)]), vec![Code::ThirdPartyWrite]);
        assert_eq!(
            codes(&[("a.yaml", &write.replace("Acme CI", "self"))]),
            vec![]
        );
        assert_eq!(
            codes(&[(
                "a.yaml",
                &write.replace("contents: write", "contents: read")
            )]),
            vec![]
        );
    }
}
