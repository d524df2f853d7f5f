//! `name-mismatch`: a declaration's file is not named `<metadata.name>.yaml`.
//!
//! Why: reviewers and CODEOWNERS see file paths, not names. When the file name
//! and the name differ, a PR can change what `payments-deploy` grants while
//! appearing to touch `docs-bot.yaml`.
//!
//! Example: `identities/ci.yaml` with `metadata.name: release-signer`.

use super::{Check, Rule};
use crate::check::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::registry::Entry;

pub(crate) const RULE: Rule = Rule {
    name: "name_mismatch",
    source: include_str!("name_mismatch.rs"),
    codes: &[Code::NameMismatch],
    check: Check::Entry(check),
    needs_settings: false,
};

fn check(cx: &Context<'_>, entry: &Entry, out: &mut Vec<Diagnostic>) {
    let path = &cx.registry.files[entry.file].path;
    let file_name = path.rsplit('/').next().unwrap_or(path);
    let name = &entry.declaration.metadata().name;
    if file_name.strip_suffix(".yaml") != Some(name.value.0.as_str()) {
        let expected = format!("{}.yaml", name.value);
        out.push(
            Diagnostic::new(
                Code::NameMismatch,
                format!("`{file_name}` declares `{}`", name.value),
            )
            .at(
                entry.file,
                name.span,
                format!("the file should be `{expected}`"),
            )
            .with_note(format!(
                "help: rename the file to `{expected}` or change `metadata.name`"
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::rules::testing::{codes, identity};

    #[test]
    fn file_name_must_match() {
        let a = identity("x", "2026-01-01", "2027-06-01", "");
        assert_eq!(codes(&[("sub/y.yaml", &a)]), vec![Code::NameMismatch]);
        assert_eq!(codes(&[("sub/x.yaml", &a)]), vec![]);
    }
}
