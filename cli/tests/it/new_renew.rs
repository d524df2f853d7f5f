//! `tenure new` and `tenure renew`: files written byte for byte as intended,
//! refusals that write nothing, and what the commands print.
//!
//! The case `renew-policy` lays maximum lifetimes over the base registry
//! (default 1y, `api-key` 90d, `production` 180d) and adds a commented file
//! with a quoted expiry (`report-token`) and a flow-style one (`sync-bot`).

use super::common::{NOW, Workspace, check};

fn read(ws: &Workspace, rel: &str) -> String {
    std::fs::read_to_string(ws.registry().join(rel)).expect("read declaration")
}

/// Every file under the registry, for "nothing was written".
fn tree(ws: &Workspace) -> Vec<(String, Vec<u8>)> {
    fn walk(dir: &std::path::Path, base: &std::path::Path, out: &mut Vec<(String, Vec<u8>)>) {
        for entry in std::fs::read_dir(dir).expect("list") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, base, out);
            } else {
                let rel = path.strip_prefix(base).expect("under base");
                out.push((
                    rel.to_string_lossy().into_owned(),
                    std::fs::read(&path).expect("read"),
                ));
            }
        }
    }
    let mut out = Vec::new();
    walk(&ws.registry(), &ws.registry(), &mut out);
    out.sort();
    out
}

#[test]
fn help_texts() {
    let ws = Workspace::base();
    for command in ["new", "renew"] {
        let out = ws.tenure().args([command, "--help"]).run();
        assert_eq!(out.code, 0);
        insta::assert_snapshot!(format!("help_{command}"), out.stdout);
    }
}

#[test]
fn renew_changes_only_the_two_values() {
    let ws = Workspace::case("renew-policy");
    // CRLF line endings and a timestamp are written here: Git may rewrite
    // line endings of committed fixtures.
    let crlf = "# Uploads metrics.\r\napiVersion: tenure/v1\r\nkind: Identity\r\nmetadata:\r\n  name: metrics-bot\r\n  owner: platform\r\n  description: Uploads build metrics.\r\n\r\nspec:\r\n  type: bot\r\n  environment: ci\r\n  created: 2026-06-01\r\n  expires: '2026-12-01T18:00:00+02:00' # evening\r\n  justification: Uploads metrics.\r\n";
    ws.write("platform/metrics-bot.yaml", crlf);
    let cases = [
        (
            "platform/report-token.yaml",
            "report-token",
            "  expires: \"2026-12-15\"   # quoted on purpose\n",
            "  expires: \"2027-02-21\"   # quoted on purpose\n  renewed: 2026-11-24\n",
        ),
        (
            "platform/sync-bot.yaml",
            "sync-bot",
            "expires: 2026-12-31}",
            "expires: 2027-11-23, renewed: 2026-11-24}",
        ),
        (
            "platform/metrics-bot.yaml",
            "metrics-bot",
            "  expires: '2026-12-01T18:00:00+02:00' # evening\r\n",
            "  expires: '2027-11-24T02:00:00+02:00' # evening\r\n  renewed: 2026-11-24\r\n",
        ),
    ];
    for (rel, name, old, new) in cases {
        let before = read(&ws, rel);
        assert!(before.contains(old), "{rel}: {before:?}");
        let out = ws.tenure().args(["renew", name, "--now", NOW]).run();
        assert_eq!(out.code, 0, "{}", out.transcript());
        assert_eq!(read(&ws, rel), before.replacen(old, new, 1), "{rel}");
    }
    let out = check(&ws, &[]);
    assert_eq!(out.code, 0, "{}", out.transcript());
}

#[test]
fn renew_prints_old_and_new_expiry() {
    let ws = Workspace::case("renew-policy");
    let out = ws
        .tenure()
        .args(["renew", "report-token", "--now", NOW])
        .run();
    insta::assert_snapshot!(out.transcript());
}

#[test]
fn renew_replaces_renewed_and_takes_a_shorter_term() {
    let ws = Workspace::case("renew-policy");
    let out = ws
        .tenure()
        .args(["renew", "deploy-bot", "--for", "30d", "--now", NOW])
        .run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert!(
        out.stdout.contains(
            "2027-01-31 → 2026-12-23 (30 days, as asked; the maximum in `production` is 180d)"
        ),
        "{}",
        out.stdout
    );
    let once = read(&ws, "platform/deploy-bot.yaml");
    assert!(
        once.contains("  expires: 2026-12-23\n  renewed: 2026-11-24\n"),
        "{once}"
    );
    // A month later, `renewed` moves rather than being added again.
    let out = ws
        .tenure()
        .args(["renew", "deploy-bot", "--now", "2026-12-20"])
        .run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert_eq!(
        read(&ws, "platform/deploy-bot.yaml"),
        once.replace(
            "  expires: 2026-12-23\n  renewed: 2026-11-24\n",
            "  expires: 2027-06-17\n  renewed: 2026-12-20\n"
        )
    );
}

#[test]
fn renew_over_the_limit_refuses_and_writes_nothing() {
    let ws = Workspace::case("renew-policy");
    let before = tree(&ws);
    let out = ws
        .tenure()
        .args(["renew", "report-token", "--for", "1y", "--now", NOW])
        .run();
    assert_eq!(out.code, 1);
    insta::assert_snapshot!(out.transcript());
    assert_eq!(tree(&ws), before);
}

#[test]
fn renew_dry_run_prints_a_diff_and_writes_nothing() {
    let ws = Workspace::case("renew-policy");
    let before = tree(&ws);
    let out = ws
        .tenure()
        .args(["renew", "report-token", "--dry-run", "--now", NOW])
        .run();
    assert_eq!(out.code, 0);
    insta::assert_snapshot!(out.transcript());
    assert_eq!(tree(&ws), before);
}

#[test]
fn renew_of_an_unknown_name_suggests_one() {
    let ws = Workspace::case("renew-policy");
    let out = ws
        .tenure()
        .args(["renew", "deploy-bto", "--now", NOW])
        .run();
    assert_eq!(out.code, 2);
    insta::assert_snapshot!(out.transcript());
}

#[test]
fn renew_of_a_team_is_an_error() {
    let ws = Workspace::case("renew-policy");
    let out = ws.tenure().args(["renew", "platform", "--now", NOW]).run();
    assert_eq!(out.code, 2);
    insta::assert_snapshot!(out.transcript());
}

#[test]
fn renew_refuses_a_file_that_does_not_load() {
    let ws = Workspace::case("renew-policy");
    let broken = read(&ws, "platform/deploy-bot.yaml")
        .replace("type: github-actions", "type: github-action");
    ws.write("platform/deploy-bot.yaml", &broken);
    let before = tree(&ws);
    let out = ws
        .tenure()
        .args(["renew", "deploy-bot", "--now", NOW])
        .run();
    assert_eq!(out.code, 1);
    insta::assert_snapshot!(out.transcript());
    assert_eq!(tree(&ws), before);
}

#[test]
fn renew_without_a_policy_does_not_cut_a_term_short() {
    // The base registry sets no maximum lifetime: the default is 90 days,
    // and `deploy-bot` already runs past that.
    let ws = Workspace::base();
    let before = tree(&ws);
    let out = ws
        .tenure()
        .args(["renew", "deploy-bot", "--now", NOW])
        .run();
    assert_eq!(out.code, 1);
    insta::assert_snapshot!(out.transcript());
    assert_eq!(tree(&ws), before);
    let out = ws
        .tenure()
        .args(["renew", "deploy-bot", "--for", "1y", "--now", NOW])
        .run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert!(
        out.stdout.contains("(365 days, as asked)"),
        "{}",
        out.stdout
    );
}

/// Flags for an identity that passes every rule in `renew-policy`.
const WEB_PREVIEW: &[&str] = &[
    "new",
    "identity",
    "web-preview",
    "--owner",
    "platform",
    "--description",
    "Deploys previews of the web app.",
    "--type",
    "github-actions",
    "--environment",
    "production",
    "--repository",
    "acme/web",
    "--github-environment",
    "preview",
    "--subject",
    "repo:acme/web:environment:preview",
    "--audience",
    "sts.amazonaws.com",
    "--permission",
    "contents=read",
    "--permission",
    "deployments=write",
    "--justification",
    "Creates preview deployments.",
    "--label",
    "system=web",
    "--now",
    NOW,
];

#[test]
fn new_identity_from_flags_passes_check() {
    let ws = Workspace::case("renew-policy");
    let out = ws.tenure().args(WEB_PREVIEW).run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    insta::assert_snapshot!("new_identity_output", out.transcript());
    insta::assert_snapshot!("new_identity_file", read(&ws, "platform/web-preview.yaml"));
    let out = check(&ws, &[]);
    assert_eq!(out.code, 0, "{}", out.transcript());
}

#[test]
fn new_team_and_signing_key_pass_check() {
    let ws = Workspace::case("renew-policy");
    let out = ws
        .tenure()
        .args([
            "new",
            "team",
            "payments",
            "--description",
            "Runs invoicing and payouts.",
            "--member",
            "grace",
            "--chat",
            "#payments",
            "--now",
            NOW,
        ])
        .run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    insta::assert_snapshot!("new_team_file", read(&ws, "teams/payments.yaml"));
    let out = ws
        .tenure()
        .args([
            "new",
            "signing-key",
            "payments-release",
            "--owner",
            "payments",
            "--description",
            "Signs payments releases from the tag workflow.",
            "--repository",
            "acme/payments",
            "--workflow",
            ".github/workflows/release.yml",
            "--ref",
            "refs/tags/v*",
            "--identity-pattern",
            r"^https://github\.com/acme/payments/\.github/workflows/release\.yml@refs/tags/v.+$",
            "--artifact",
            "payments-*.tar.gz",
            "--now",
            NOW,
        ])
        .run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    // No declaration of `payments` yet, and no `payments/` folder: one is made.
    insta::assert_snapshot!(
        "new_signing_key_file",
        read(&ws, "payments/payments-release.yaml")
    );
    let out = check(&ws, &[]);
    assert_eq!(out.code, 0, "{}", out.transcript());
}

#[test]
fn new_dry_run_prints_the_file_and_writes_nothing() {
    let ws = Workspace::case("renew-policy");
    let before = tree(&ws);
    let out = ws.tenure().args(WEB_PREVIEW).args(["--dry-run"]).run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert!(
        out.stdout.starts_with("# yaml-language-server: $schema="),
        "{}",
        out.stdout
    );
    assert!(out.stderr.contains("dry run"), "{}", out.stderr);
    assert_eq!(tree(&ws), before);
}

#[test]
fn new_refuses_an_existing_name() {
    let ws = Workspace::case("renew-policy");
    let before = tree(&ws);
    let out = ws
        .tenure()
        .args([
            "new",
            "identity",
            "deploy-bot",
            "--owner",
            "platform",
            "--description",
            "Another deploy bot.",
            "--type",
            "bot",
            "--environment",
            "ci",
            "--dir",
            "elsewhere",
            "--now",
            NOW,
        ])
        .run();
    assert_eq!(out.code, 1);
    insta::assert_snapshot!(out.transcript());
    assert_eq!(tree(&ws), before);
}

#[test]
fn new_without_a_terminal_lists_the_missing_flags() {
    let ws = Workspace::case("renew-policy");
    let out = ws.tenure().args(["new", "identity", "--now", NOW]).run();
    assert_eq!(out.code, 2);
    insta::assert_snapshot!(out.transcript());
    let out = ws
        .tenure()
        .args([
            "new",
            "signing-key",
            "signer",
            "--owner",
            "platform",
            "--now",
            NOW,
        ])
        .run();
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("missing `--description`, `--artifact`, `--issuer`, `--identity`"),
        "{}",
        out.stderr
    );
}

#[test]
fn new_refuses_what_check_would_refuse() {
    let ws = Workspace::case("renew-policy");
    let before = tree(&ws);
    let out = ws
        .tenure()
        .args([
            "new",
            "identity",
            "ci-bot",
            "--owner",
            "platfrom",
            "--description",
            "Runs CI.",
            "--type",
            "bot",
            "--environment",
            "ci",
            "--dir",
            "platform",
            "--now",
            NOW,
        ])
        .run();
    assert_eq!(out.code, 1);
    insta::assert_snapshot!(out.transcript());
    assert_eq!(tree(&ws), before);
}

#[test]
fn new_over_the_limit_refuses() {
    let ws = Workspace::case("renew-policy");
    let mut args: Vec<&str> = WEB_PREVIEW.to_vec();
    args.extend(["--for", "1y"]);
    let out = ws.tenure().args(&args).run();
    assert_eq!(out.code, 1);
    insta::assert_snapshot!(out.transcript());
    let mut args: Vec<&str> = WEB_PREVIEW.to_vec();
    args.extend(["--expires", "2027-05-22"]);
    let out = ws.tenure().args(&args).run();
    assert_eq!(out.code, 0, "180 days exactly: {}", out.transcript());
    assert!(read(&ws, "platform/web-preview.yaml").contains("  expires: 2027-05-22\n"));
}

#[test]
fn new_refuses_flags_of_another_kind() {
    let ws = Workspace::base();
    let out = ws
        .tenure()
        .args([
            "new",
            "team",
            "ops",
            "--type",
            "bot",
            "--artifact",
            "x",
            "--now",
            NOW,
        ])
        .run();
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        "error: `--type`, `--artifact` do not apply to a Team\n"
    );
}

#[test]
fn new_points_at_the_schema_in_tenures_own_repository() {
    // tenure's own registry sits next to `registry-schema/`.
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let out = super::common::Tenure::new(&repo)
        .args([
            "new",
            "team",
            "docs",
            "--description",
            "Writes the book.",
            "--member",
            "ada-tenure",
            "--dry-run",
            "--now",
            NOW,
        ])
        .run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert!(
        out.stdout.starts_with(
            "# yaml-language-server: $schema=../../registry-schema/schema/team.schema.json\n"
        ),
        "{}",
        out.stdout
    );
}
