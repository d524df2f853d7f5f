//! `interactive-identity`: a machine identity is marked `interactive: true`.
//! OWASP NHI10, human use of NHI.
//!
//! Why: when people log in as a service account or a bot, its actions can no
//! longer be told from theirs, its credential ends up in a password manager
//! or a shell history, and offboarding the person does not revoke their
//! access. People use their own accounts; machine identities are used by
//! machines. `interactive: false` is the default and may be written out.
//!
//! Example: a bot with `interactive: true` "for debugging".

use super::{Check, Rule};
use crate::check::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::Declaration;
use crate::registry::Entry;

pub(crate) const RULE: Rule = Rule {
    name: "interactive_identity",
    source: include_str!("interactive_identity.rs"),
    codes: &[Code::InteractiveIdentity],
    check: Check::Entry(check),
    needs_settings: false,
};

fn check(_cx: &Context<'_>, entry: &Entry, out: &mut Vec<Diagnostic>) {
    let Declaration::Identity(identity) = &entry.declaration else {
        return;
    };
    let Some(interactive) = identity.spec.interactive.as_ref().filter(|i| i.value) else {
        return;
    };
    out.push(
        Diagnostic::new(
            Code::InteractiveIdentity,
            format!("`{}` is declared for interactive use by people", entry.declaration.name()),
        )
        .at(entry.file, interactive.span, "machine identities are not for logging in")
        .with_note("help: give people their own accounts with their own access, and remove `interactive: true`"),
    );
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::rules::testing::{codes, identity};

    #[test]
    fn interactive_use_is_refused() {
        let on = identity("b", "2026-01-01", "2027-01-01", "  interactive: true\n");
        assert_eq!(codes(&[("b.yaml", &on)]), vec![Code::InteractiveIdentity]);
        let off = identity("b", "2026-01-01", "2027-01-01", "  interactive: false\n");
        assert_eq!(codes(&[("b.yaml", &off)]), vec![]);
    }
}
