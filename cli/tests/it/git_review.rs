//! `--rev`, `tenure diff` and `tenure log` on the fixture repository built by
//! `scripts/fixture-repo.sh` (deterministic commits: the ids in snapshots are
//! the same on every machine). Its header lists what each tagged commit does.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::common::{NOW, Tenure};

/// Build the fixture repository into a fresh temp folder.
fn fixture(bare: bool) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let repo = dir
        .path()
        .join(if bare { "registry.git" } else { "registry" });
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/fixture-repo.sh");
    let mut cmd = Command::new("bash");
    cmd.arg(&script).arg(&repo);
    if bare {
        cmd.arg("--bare");
    }
    let out = cmd.output().expect("run scripts/fixture-repo.sh");
    assert!(
        out.status.success(),
        "fixture-repo.sh failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (dir, repo)
}

fn tenure(repo: &Path) -> Tenure {
    Tenure::new(repo).env("TENURE_NOW", NOW)
}

#[test]
fn the_fixture_history_is_deterministic() {
    let (_dir, repo) = fixture(false);
    let out = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(&repo)
        .output()
        .expect("git rev-parse");
    // Snapshots below name commits; a changed script must update them all.
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "8baf21ed370d997f9b52529d7f248698e0b3f464"
    );
}

#[test]
fn diff_of_each_step() {
    let (_dir, repo) = fixture(false);
    // (base, head, expected exit code): each tag is one kind of change.
    let steps = [
        ("v1", "add-identity", 0),
        ("add-identity", "renew", 0),
        ("renew", "widen-justified", 0),
        ("widen-justified", "widen-unjustified", 1),
        ("widen-unjustified", "pure-rename", 0),
        ("pure-rename", "rename-modify", 0),
        ("rename-modify", "env-change", 1),
        ("env-change", "subject-change", 0),
        ("before-merge", "merged", 0),
        ("merged", "remove-identity", 0),
        ("remove-identity", "remove-team", 1),
        ("remove-team", "renew-too-long", 1),
        ("renew-too-long", "readme-only", 0),
    ];
    for (base, head, code) in steps {
        let out = tenure(&repo).args(["diff", base, head]).run();
        assert_eq!(out.code, code, "{base}..{head}\n{}", out.transcript());
        insta::assert_snapshot!(format!("diff_{base}_{head}"), out.transcript());
    }
}

#[test]
fn diff_whole_history_in_every_format() {
    let (_dir, repo) = fixture(false);
    let out = tenure(&repo)
        .args(["diff", "v1", "HEAD", "--format", "markdown"])
        .run();
    assert_eq!(out.code, 1, "{}", out.transcript());
    assert!(
        out.stdout.starts_with("<!-- tenure-diff -->\n"),
        "{}",
        out.stdout
    );
    insta::assert_snapshot!("diff_markdown", out.stdout);

    let out = tenure(&repo)
        .args(["diff", "v1", "HEAD", "--format", "json"])
        .run();
    assert_eq!(out.code, 1, "{}", out.transcript());
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(json["summary"]["renamed"], 1);
    assert_eq!(json["summary"]["errors"], 3);
    let codes: Vec<&str> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert_eq!(
        codes,
        [
            "removed-team-owns",
            "unjustified-widening",
            "renewal-exceeds-lifetime"
        ]
    );
    insta::assert_json_snapshot!("diff_json", json);
}

#[test]
fn a_pure_rename_is_a_rename_not_remove_and_add() {
    let (_dir, repo) = fixture(false);
    let out = tenure(&repo)
        .args([
            "diff",
            "widen-unjustified",
            "pure-rename",
            "--format",
            "json",
        ])
        .run();
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    let changes = json["changes"].as_array().expect("changes");
    assert_eq!(changes.len(), 1, "{}", out.stdout);
    assert_eq!(changes[0]["status"], "renamed");
    assert_eq!(changes[0]["previousPath"], "payments/payments-ci.yaml");
    assert_eq!(changes[0]["path"], "ci/payments-ci.yaml");
    assert!(changes[0].get("fields").is_none(), "{}", out.stdout);
}

#[test]
fn diff_against_the_work_tree() {
    let (_dir, repo) = fixture(false);
    let path = repo.join("identities/platform/deploy-web.yaml");
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, text.replace("packages: write", "packages: read")).expect("write");
    std::fs::remove_file(repo.join("identities/payments/stripe-api-key.yaml")).expect("rm");
    let out = tenure(&repo).args(["diff", "HEAD"]).run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert!(
        out.stdout.contains("narrowed: packages write → read"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("removed  Identity stripe-api-key"),
        "{}",
        out.stdout
    );
    insta::assert_snapshot!("diff_work_tree", out.transcript());

    // Nothing changed: nothing to report.
    let out = tenure(&repo).args(["diff", "HEAD", "HEAD"]).run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert!(
        out.stdout.contains("no declaration changed"),
        "{}",
        out.stdout
    );
}

#[test]
fn log_follows_renames() {
    let (_dir, repo) = fixture(false);
    for name in [
        "preview-deployer",
        "payments-ci",
        "web-deploy-key",
        "deploy-web",
    ] {
        let out = tenure(&repo).args(["log", name]).run();
        assert_eq!(out.code, 0, "{}", out.transcript());
        insta::assert_snapshot!(format!("log_{name}"), out.stdout);
    }
    // Renamed and modified in one commit: still followed to its creation.
    let out = tenure(&repo)
        .args(["log", "preview-deployer", "--format", "json"])
        .run();
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    let statuses: Vec<&str> = json["commits"]
        .as_array()
        .expect("commits")
        .iter()
        .filter_map(|c| c["change"]["status"].as_str())
        .collect();
    assert_eq!(statuses, ["modified", "renamed", "added"]);
    assert_eq!(json["path"], "payments/preview-deployer.yaml");
    insta::assert_json_snapshot!("log_json", json);

    let out = tenure(&repo).args(["log", "nobody"]).run();
    assert_eq!(out.code, 2, "{}", out.transcript());
    assert!(
        out.stderr.contains("no declaration named `nobody`"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_bare_repository_needs_no_checkout() {
    let (_dir, bare) = fixture(true);
    assert!(!bare.join("identities").exists());
    let out = tenure(&bare).args(["check", "--rev", "v1"]).run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    insta::assert_snapshot!("check_rev_bare", out.transcript());

    let out = tenure(&bare)
        .args(["diff", "widen-justified", "widen-unjustified"])
        .run();
    assert_eq!(out.code, 1, "{}", out.transcript());
    assert!(
        out.stdout.contains("widened: s3 read → write"),
        "{}",
        out.stdout
    );

    let out = tenure(bare.parent().expect("parent"))
        .args(["log", "payments-ci", "--registry", &bare.to_string_lossy()])
        .run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert!(
        out.stdout.contains("payments-ci — 3 changes"),
        "{}",
        out.stdout
    );

    let out = tenure(&bare).args(["rules", "--rev", "main"]).run();
    assert_eq!(out.code, 0, "{}", out.transcript());

    // CODEOWNERS from a revision: printed, or checked against the committed
    // file (the fixture commits none), never written.
    let out = tenure(&bare)
        .args(["codeowners", "--rev", "main", "--output", "-"])
        .run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert!(
        out.stdout
            .contains("/identities/payments/ledger-role.yaml @acme/"),
        "{}",
        out.stdout
    );
    let out = tenure(&bare)
        .args(["codeowners", "--rev", "main", "--check"])
        .run();
    assert_eq!(out.code, 1, "{}", out.transcript());
    assert!(
        out.stderr
            .contains("`main:.github/CODEOWNERS` does not exist"),
        "{}",
        out.stderr
    );
    let out = tenure(&bare).args(["codeowners", "--rev", "main"]).run();
    assert_eq!(out.code, 2, "{}", out.transcript());
}

#[test]
fn check_at_a_revision_reads_the_tree_not_the_disk() {
    let (_dir, repo) = fixture(false);
    // Break the work tree: the revision is unaffected.
    std::fs::write(repo.join("identities/tenure.yaml"), "kind: [").expect("write");
    let out = tenure(&repo).args(["check", "--rev", "v1"]).run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    let out = tenure(&repo).args(["check"]).run();
    assert_eq!(out.code, 1, "{}", out.transcript());
    // From inside the registry folder, too.
    let out = tenure(&repo.join("identities/platform"))
        .args(["check", "--rev", "v1", "--format", "json"])
        .run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(json["registry"], "v1:identities");

    let out = tenure(&repo).args(["check", "--rev", "no-such-rev"]).run();
    assert_eq!(out.code, 2, "{}", out.transcript());
    assert!(
        out.stderr.contains("cannot resolve revision `no-such-rev`"),
        "{}",
        out.stderr
    );
}
