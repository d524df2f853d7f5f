//! `unknown-owner` and `owner-without-members`: every declaration is owned by
//! a declared Team with at least one person in it.
//!
//! Why: an identity nobody owns is never renewed, rotated or offboarded
//! (OWASP NHI1, improper offboarding). An owner must be a team that exists in
//! the registry, so that expiry notices, reviews and revocations reach people.
//!
//! Example: `owner: payment` when the Team is named `payments`; or
//! `owner: legacy` where `legacy.yaml` lists no members.

use super::{Check, Rule};
use crate::check::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::schema::did_you_mean;

pub(crate) const RULE: Rule = Rule {
    name: "owner",
    source: include_str!("owner.rs"),
    codes: &[Code::UnknownOwner, Code::OwnerWithoutMembers],
    check: Check::Registry(check),
    needs_settings: false,
};

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let mut team_names: Option<Vec<String>> = None;
    // `tenure.yaml` is owned too: by the team that guards the guardrails.
    let config = cx
        .registry
        .config
        .iter()
        .chain(&cx.registry.nested_configs)
        .map(|(file, c)| (*file, &c.metadata));
    let declarations = cx
        .registry
        .entries
        .iter()
        .map(|e| (e.file, e.declaration.metadata()));
    for (file, metadata) in config.chain(declarations) {
        let entry_file = file;
        let owner = &metadata.owner;
        match cx.teams.get(owner.value.0.as_str()) {
            Some((team_file, team)) => {
                if team.spec.people() == 0 {
                    out.push(
                        Diagnostic::new(
                            Code::OwnerWithoutMembers,
                            format!("owner team `{}` has no members", owner.value),
                        )
                        .at(entry_file, owner.span, "owned by an empty team")
                        .with_secondary(
                            *team_file,
                            team.metadata.name.span,
                            "declared here with no members or maintainers",
                        )
                        .with_note(
                            "add members to the team, or give the declaration another owner",
                        ),
                    );
                }
            }
            // A team whose file failed to load is already an error; do not pile on.
            None if cx.registry.broken_names.contains(owner.value.0.as_str()) => {}
            None => {
                let names = team_names.get_or_insert_with(|| {
                    let mut v: Vec<String> = cx.teams.keys().map(|s| (*s).to_owned()).collect();
                    v.sort();
                    v
                });
                let mut d = Diagnostic::new(
                    Code::UnknownOwner,
                    format!("owner `{}` is not a declared Team", owner.value),
                )
                .at(entry_file, owner.span, "no Team has this name");
                if let Some(best) = did_you_mean(&owner.value.0, names) {
                    d = d.with_note(format!("help: did you mean `{best}`?"));
                } else {
                    d = d.with_note(format!(
                        "help: declare it with `kind: Team` in `{}.yaml`",
                        owner.value
                    ));
                }
                out.push(d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::rules::testing::{codes, identity, run};

    #[test]
    fn unknown_owner_suggests_the_closest_team() {
        let a =
            identity("x", "2026-01-01", "2027-06-01", "").replace("owner: team-a", "owner: team-b");
        let found = run(&[("x.yaml", &a)]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].code, Code::UnknownOwner);
        assert!(found[0].notes[0].contains("team-a"), "{:?}", found[0].notes);
    }

    #[test]
    fn empty_team_cannot_own() {
        let empty = "apiVersion: tenure/v1\nkind: Team\nmetadata:\n  name: empty\n  owner: team-a\n  description: Nobody.\nspec: {}\n";
        let a =
            identity("x", "2026-01-01", "2027-06-01", "").replace("owner: team-a", "owner: empty");
        assert_eq!(
            codes(&[("empty.yaml", empty), ("x.yaml", &a)]),
            vec![Code::OwnerWithoutMembers]
        );
    }

    #[test]
    fn maintainers_count_as_people() {
        let team = "apiVersion: tenure/v1\nkind: Team\nmetadata:\n  name: leads\n  owner: team-a\n  description: Leads.\nspec:\n  maintainers: [bob]\n";
        let a =
            identity("x", "2026-01-01", "2027-06-01", "").replace("owner: team-a", "owner: leads");
        assert_eq!(codes(&[("leads.yaml", team), ("x.yaml", &a)]), vec![]);
    }
}
