//! `tenure codeowners`: the generated CODEOWNERS, `--check`, fallbacks to the
//! security team, and hostile `githubTeam` values.

use std::path::Path;

use super::common::{NOW, Tenure, Workspace};

/// The `codeowners` case (teams with every `githubTeam` form, a team without
/// one, a nested `tenure.yaml`, a folder with a space) in a Git work tree.
fn repository() -> Workspace {
    let ws = Workspace::case("codeowners");
    std::fs::create_dir(ws.dir.path().join(".git")).expect("mkdir .git");
    ws
}

fn codeowners_file(ws: &Workspace) -> String {
    std::fs::read_to_string(ws.dir.path().join(".github/CODEOWNERS")).expect("read CODEOWNERS")
}

/// The rule for `path`: its owners.
fn owners_of<'a>(text: &'a str, pattern: &str) -> Vec<&'a str> {
    let line = text
        .lines()
        .find(|l| {
            l.strip_prefix(pattern)
                .is_some_and(|rest| rest.starts_with(' '))
        })
        .unwrap_or_else(|| panic!("no rule for `{pattern}` in\n{text}"));
    line[pattern.len()..].split_whitespace().collect()
}

#[test]
fn writes_codeowners_at_the_top_of_the_repository() {
    let ws = repository();
    // The registry itself is clean: the fallbacks below are about GitHub teams.
    let out = super::common::check(&ws, &[]);
    assert_eq!(out.code, 0, "{}", out.transcript());

    let out = ws.tenure().args(["codeowners"]).run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    let text = codeowners_file(&ws);
    insta::assert_snapshot!(
        "generated",
        format!(
            "{}\n===== .github/CODEOWNERS =====\n{text}",
            out.transcript()
        )
    );

    // New files and the settings default to the security team.
    assert_eq!(owners_of(&text, "/identities/"), ["@acme/security"]);
    assert_eq!(
        owners_of(&text, "/identities/tenure.yaml"),
        ["@acme/security"]
    );
    assert_eq!(
        owners_of(&text, "/identities/payments/tenure.yaml"),
        ["@acme/security"]
    );
    assert_eq!(owners_of(&text, "/.github/CODEOWNERS"), ["@acme/security"]);
    // The team page URL of GitHub Enterprise Server becomes `@org/slug`.
    assert_eq!(
        owners_of(&text, "/identities/payments/payments-deploy.yaml"),
        ["@acme/payments"]
    );
    // A space in a path is escaped.
    assert_eq!(
        owners_of(&text, "/identities/shared\\ keys/docs-mirror.yaml"),
        ["@acme/platform"]
    );
    // No GitHub team: the security team, with a warning naming file and team.
    assert_eq!(
        owners_of(&text, "/identities/ops/ops-bot.yaml"),
        ["@acme/security"]
    );
    assert!(
        out.stderr.contains(
            "warning: `identities/ops/ops-bot.yaml`: owner team `ops` has no `spec.githubTeam`"
        ),
        "{}",
        out.stderr
    );
    // The catch-all comes first: CODEOWNERS lets the last matching rule win.
    let rules: Vec<&str> = text
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    assert_eq!(rules[0], "/identities/ @acme/security");
}

#[test]
fn a_team_file_needs_the_security_team_alone() {
    let ws = repository();
    let out = ws.tenure().args(["codeowners"]).run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    let text = codeowners_file(&ws);
    // GitHub takes any one listed owner's approval, so listing the team too
    // would let it approve its own members.
    for team in ["security", "platform", "payments", "ops"] {
        assert_eq!(
            owners_of(&text, &format!("/identities/teams/{team}.yaml")),
            ["@acme/security"],
            "{team}"
        );
    }
}

#[test]
fn check_passes_when_fresh_and_fails_when_stale_or_missing() {
    let ws = repository();
    let out = ws.tenure().args(["codeowners", "--check"]).run();
    assert_eq!(out.code, 1, "{}", out.transcript());
    assert!(
        out.stderr.contains("`.github/CODEOWNERS` does not exist"),
        "{}",
        out.stderr
    );
    assert!(
        !ws.dir.path().join(".github").exists(),
        "--check wrote something"
    );

    let out = ws.tenure().args(["codeowners"]).run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert!(
        out.stderr.contains("wrote `.github/CODEOWNERS` (13 rules)"),
        "{}",
        out.stderr
    );
    let out = ws.tenure().args(["codeowners", "--check"]).run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert!(
        out.stderr.contains("is up to date (13 rules)"),
        "{}",
        out.stderr
    );

    // Platform hands the deploy bot to payments; CODEOWNERS is now stale.
    let path = ws.registry().join("platform/deploy-bot.yaml");
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, text.replace("owner: platform", "owner: payments")).expect("write");
    let before = codeowners_file(&ws);
    let out = ws.tenure().args(["codeowners", "--check"]).run();
    assert_eq!(out.code, 1, "{}", out.transcript());
    insta::assert_snapshot!("stale", out.transcript());
    assert_eq!(codeowners_file(&ws), before, "--check wrote the file");

    // Writing again brings it up to date; a second run changes nothing.
    let out = ws.tenure().args(["codeowners"]).run();
    assert!(out.stderr.contains("wrote"), "{}", out.stderr);
    let out = ws.tenure().args(["codeowners"]).run();
    assert_eq!(out.code, 0);
    assert!(out.stderr.contains("is up to date"), "{}", out.stderr);
    assert_eq!(
        owners_of(
            &codeowners_file(&ws),
            "/identities/platform/deploy-bot.yaml"
        ),
        ["@acme/payments"]
    );
}

#[test]
fn hostile_github_teams_never_reach_the_file() {
    let ws = repository();
    for (i, value) in [
        "\"acme/payments\\n/identities/ @evil/owners\"",
        "\"acme/payments #\"",
        "\"acme/payments @evil/owners\"",
    ]
    .iter()
    .enumerate()
    {
        let team = format!(
            "apiVersion: tenure/v1\nkind: Team\nmetadata:\n  name: payments\n  owner: payments\n  description: Runs payouts.\nspec:\n  members: [grace]\n  githubTeam: {value}\n"
        );
        ws.write("teams/payments.yaml", team);
        // The schema refuses the value: `tenure check` fails on the Team.
        let out = ws
            .tenure()
            .args(["check", "identities", "--now", NOW])
            .run();
        assert_eq!(out.code, 1, "{value}: {}", out.transcript());
        assert!(out.stderr.contains("githubTeam"), "{value}: {}", out.stderr);

        // codeowners leaves the Team out, and its declarations fall back to
        // the security team, with warnings.
        let out = ws.tenure().args(["codeowners"]).run();
        assert_eq!(out.code, 0, "{value}: {}", out.transcript());
        let text = codeowners_file(&ws);
        assert!(!text.contains("evil"), "{value}:\n{text}");
        assert_eq!(
            owners_of(&text, "/identities/payments/payments-deploy.yaml"),
            ["@acme/security"],
            "{value}"
        );
        assert!(
            out.stderr
                .contains("`identities/teams/payments.yaml` does not load"),
            "{value}: {}",
            out.stderr
        );
        assert!(
            out.stderr
                .contains("owner `payments` is not a declared Team that loads"),
            "{value}: {}",
            out.stderr
        );
        if i == 0 {
            insta::assert_snapshot!("hostile_team", out.stderr);
        }
    }
}

#[test]
fn github_enterprise_server_team_pages_are_accepted() {
    let ws = repository();
    for (value, owner) in [
        ("https://ghe.example.com/orgs/acme/teams/ops/", "@acme/ops"),
        ("https://github.com/orgs/acme/teams/ops", "@acme/ops"),
        ("\"@acme/on-call\"", "@acme/on-call"),
        ("acme/on_call.v2", "@acme/on_call.v2"),
    ] {
        ws.write(
            "teams/ops.yaml",
            format!(
                "apiVersion: tenure/v1\nkind: Team\nmetadata:\n  name: ops\n  owner: ops\n  description: On call.\nspec:\n  members: [dan-ops]\n  githubTeam: {value}\n"
            ),
        );
        let out = super::common::check(&ws, &[]);
        assert_eq!(out.code, 0, "{value}: {}", out.transcript());
        let out = ws.tenure().args(["codeowners"]).run();
        assert_eq!(out.code, 0, "{value}: {}", out.transcript());
        assert!(!out.stderr.contains("warning"), "{value}: {}", out.stderr);
        assert_eq!(
            owners_of(&codeowners_file(&ws), "/identities/ops/ops-bot.yaml"),
            [owner],
            "{value}"
        );
    }
    // Not a form GitHub documents for a team.
    ws.write(
        "teams/ops.yaml",
        "apiVersion: tenure/v1\nkind: Team\nmetadata:\n  name: ops\n  owner: ops\n  description: On call.\nspec:\n  members: [dan-ops]\n  githubTeam: ghe.example.com/acme/ops\n",
    );
    let out = super::common::check(&ws, &[]);
    assert_eq!(out.code, 1, "{}", out.transcript());
}

#[test]
fn undeclared_owners_fall_back_to_the_security_team() {
    let ws = repository();
    let path = ws.registry().join("ops/ops-bot.yaml");
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, text.replace("owner: ops", "owner: night-shift")).expect("write");
    let out = ws.tenure().args(["codeowners"]).run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert!(
        out.stderr.contains(
            "warning: `identities/ops/ops-bot.yaml`: owner `night-shift` is not a declared Team that loads"
        ),
        "{}",
        out.stderr
    );
    assert_eq!(
        owners_of(&codeowners_file(&ws), "/identities/ops/ops-bot.yaml"),
        ["@acme/security"]
    );
}

#[test]
fn the_security_team_needs_a_github_team() {
    // The base registry's security team has no `githubTeam`.
    let ws = Workspace::base();
    std::fs::create_dir(ws.dir.path().join(".git")).expect("mkdir .git");
    let out = ws.tenure().args(["codeowners"]).run();
    assert_eq!(out.code, 2, "{}", out.transcript());
    assert!(
        out.stderr
            .contains("the security team `security` has no `spec.githubTeam`"),
        "{}",
        out.stderr
    );
    assert!(!ws.dir.path().join(".github").exists());

    // Another team can be named instead.
    let out = ws
        .tenure()
        .args(["codeowners", "--security-team", "platform", "--output", "-"])
        .run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert!(
        out.stdout.contains("\n/identities/ @acme/platform\n"),
        "{}",
        out.stdout
    );

    for (team, message) in [
        (
            "nobody",
            "the security team `nobody` is not a declared Team",
        ),
        ("Not A Name", "is not a Team name"),
    ] {
        let out = ws
            .tenure()
            .args(["codeowners", "--security-team", team])
            .run();
        assert_eq!(out.code, 2, "{}", out.transcript());
        assert!(out.stderr.contains(message), "{}", out.stderr);
    }
}

#[test]
fn hand_written_rules_above_the_generated_part_are_kept() {
    let ws = repository();
    let file = ws.dir.path().join(".github/CODEOWNERS");
    std::fs::create_dir_all(file.parent().expect("parent")).expect("mkdir");
    std::fs::write(&file, "# Code owned by hand.\n*.rs @acme/rust\n").expect("write");
    let out = ws.tenure().args(["codeowners"]).run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    let text = codeowners_file(&ws);
    assert!(
        text.starts_with(
            "# Code owned by hand.\n*.rs @acme/rust\n\n# Generated by `tenure codeowners`"
        ),
        "{text}"
    );
    // Regenerating keeps them, once.
    let out = ws.tenure().args(["codeowners", "--check"]).run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    let out = ws.tenure().args(["codeowners"]).run();
    assert!(out.stderr.contains("is up to date"), "{}", out.stderr);
    assert_eq!(codeowners_file(&ws), text);
}

#[test]
fn finds_the_repository_from_anywhere_inside_it() {
    // The registry in a sub-folder of the repository; tenure runs from inside it.
    let repo = tempfile::tempdir().expect("tempdir");
    let ws = repository();
    super::common::copy_tree(&ws.registry(), &repo.path().join("infra/identities"));
    std::fs::create_dir(repo.path().join(".git")).expect("mkdir .git");
    let inside = repo.path().join("infra/identities/teams");
    let out = Tenure::new(&inside).args(["codeowners"]).run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    let text = std::fs::read_to_string(repo.path().join(".github/CODEOWNERS")).expect("read");
    assert_eq!(owners_of(&text, "/infra/identities/"), ["@acme/security"]);
    assert_eq!(
        owners_of(&text, "/infra/identities/payments/payments-deploy.yaml"),
        ["@acme/payments"]
    );
    assert!(!out.stderr.contains("note:"), "{}", out.stderr);

    // `.git` may be a file (worktrees, submodules).
    std::fs::remove_dir(repo.path().join(".git")).expect("rmdir");
    std::fs::write(repo.path().join(".git"), "gitdir: ../elsewhere\n").expect("write");
    let out = Tenure::new(&inside).args(["codeowners", "--check"]).run();
    assert_eq!(out.code, 0, "{}", out.transcript());
}

#[test]
fn without_a_repository_the_registry_parent_is_the_top() {
    let ws = Workspace::case("codeowners");
    let out = ws.tenure().args(["codeowners", "identities"]).run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert!(
        out.stderr.contains(
            "note: no Git repository (a `.git` folder or file) holds `identities`; its parent folder, `.`, is taken as the top"
        ),
        "{}",
        out.stderr
    );
    assert!(Path::new(&ws.dir.path().join(".github/CODEOWNERS")).is_file());
}

#[test]
fn output_elsewhere_or_to_stdout() {
    let ws = repository();
    let out = ws
        .tenure()
        .args(["codeowners", "--output", "docs/CODEOWNERS"])
        .run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    let text = std::fs::read_to_string(ws.dir.path().join("docs/CODEOWNERS")).expect("read");
    // The file guards itself where it is.
    assert_eq!(owners_of(&text, "/docs/CODEOWNERS"), ["@acme/security"]);
    assert!(!ws.dir.path().join(".github").exists());

    let out = ws.tenure().args(["codeowners", "--output", "-"]).run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert!(
        out.stdout.starts_with("# Generated by `tenure codeowners`"),
        "{}",
        out.stdout
    );
    assert!(!ws.dir.path().join(".github").exists());

    let out = ws
        .tenure()
        .args(["codeowners", "--output", "-", "--check"])
        .run();
    assert_eq!(out.code, 2, "{}", out.transcript());
}

#[test]
fn a_team_declared_twice_owns_nothing() {
    // A second `payments` Team, sorting before the real one, names another
    // GitHub team. Path order must not decide which one owns files.
    let ws = repository();
    ws.write(
        "aaa/payments.yaml",
        "apiVersion: tenure/v1\nkind: Team\nmetadata:\n  name: payments\n  owner: payments\n  description: Not the real payments team.\nspec:\n  members: [mallory]\n  githubTeam: acme/mallory\n",
    );
    let out = ws.tenure().args(["codeowners"]).run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    let text = codeowners_file(&ws);
    assert!(!text.contains("mallory"), "{text}");
    assert_eq!(
        owners_of(&text, "/identities/payments/payments-deploy.yaml"),
        ["@acme/security"]
    );
    assert!(
        out.stderr
            .contains("owner team `payments` is declared twice"),
        "{}",
        out.stderr
    );

    // The same for the security team: no guess, no file.
    ws.write(
        "aaa/security.yaml",
        "apiVersion: tenure/v1\nkind: Team\nmetadata:\n  name: security\n  owner: security\n  description: Not the real security team.\nspec:\n  members: [mallory]\n  githubTeam: acme/mallory\n",
    );
    let out = ws.tenure().args(["codeowners", "--check"]).run();
    assert_eq!(out.code, 2, "{}", out.transcript());
    assert!(
        out.stderr
            .contains("the security team `security` is declared twice"),
        "{}",
        out.stderr
    );
}
