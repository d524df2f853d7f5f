//! `tenure init`: a new registry that passes `tenure check`, written all at
//! once and never over an existing file.

use std::path::{Path, PathBuf};

use super::common::{NOW, Tenure};

/// A scratch folder holding an empty `acme-web/` (the registry is named after it).
fn empty_repository() -> (tempfile::TempDir, PathBuf) {
    let scratch = tempfile::tempdir().expect("tempdir");
    let dir = scratch.path().join("acme-web");
    std::fs::create_dir(&dir).expect("mkdir");
    (scratch, dir)
}

fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
}

/// Every file below `dir`, as sorted relative paths.
fn tree(dir: &Path) -> Vec<String> {
    fn walk(dir: &Path, base: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).expect("read_dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, base, out);
            } else {
                let rel = path.strip_prefix(base).expect("below base");
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn repository_workflow() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.github/workflows/tenure-pr.yml");
    std::fs::read_to_string(path).expect("read the repository's tenure-pr.yml")
}

#[test]
fn creates_a_registry_that_passes_check() {
    let (_scratch, dir) = empty_repository();
    let out = Tenure::new(&dir)
        .args(["init", "--github-team", "acme/security"])
        .run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    insta::assert_snapshot!("created", out.transcript());
    assert_eq!(
        tree(&dir),
        [
            ".github/CODEOWNERS",
            ".github/workflows/tenure-pr.yml",
            "identities/teams/security.yaml",
            "identities/tenure.yaml",
        ]
    );
    insta::assert_snapshot!("tenure_yaml", read(&dir, "identities/tenure.yaml"));
    insta::assert_snapshot!("team_yaml", read(&dir, "identities/teams/security.yaml"));

    // `tenure check` passes on the result, with nothing to say.
    let out = Tenure::new(&dir).args(["check", "--now", NOW]).run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert!(
        out.stderr.contains("0 errors, 0 warnings, 0 notes"),
        "{}",
        out.stderr
    );
    // The CODEOWNERS is what `tenure codeowners` writes.
    let out = Tenure::new(&dir).args(["codeowners", "--check"]).run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    let codeowners = read(&dir, ".github/CODEOWNERS");
    assert!(
        codeowners.contains("\n/identities/ @acme/security\n"),
        "{codeowners}"
    );
    assert!(
        codeowners.contains("\n/identities/teams/security.yaml @acme/security\n"),
        "{codeowners}"
    );
    // The workflow is the repository's own, byte for byte.
    assert_eq!(
        read(&dir, ".github/workflows/tenure-pr.yml"),
        repository_workflow()
    );
}

#[test]
fn refuses_to_overwrite_and_writes_nothing() {
    let (_scratch, dir) = empty_repository();
    std::fs::create_dir(dir.join("identities")).expect("mkdir");
    std::fs::write(dir.join("identities/tenure.yaml"), "# mine\n").expect("write");
    std::fs::create_dir_all(dir.join(".github/workflows")).expect("mkdir");
    std::fs::write(dir.join(".github/workflows/tenure-pr.yml"), "# mine too\n").expect("write");
    let out = Tenure::new(&dir)
        .args(["init", "--github-team", "acme/security"])
        .run();
    assert_eq!(out.code, 2, "{}", out.transcript());
    insta::assert_snapshot!("refused", out.transcript());
    assert_eq!(
        tree(&dir),
        [".github/workflows/tenure-pr.yml", "identities/tenure.yaml"]
    );
    assert_eq!(read(&dir, "identities/tenure.yaml"), "# mine\n");
    assert_eq!(
        read(&dir, ".github/workflows/tenure-pr.yml"),
        "# mine too\n"
    );
}

#[test]
fn refuses_a_registry_that_would_not_pass_check() {
    let (_scratch, dir) = empty_repository();
    // A declaration already in the folder, owned by a team nobody declared.
    std::fs::create_dir_all(dir.join("identities/ci")).expect("mkdir");
    std::fs::write(
        dir.join("identities/ci/ci-bot.yaml"),
        "apiVersion: tenure/v1\nkind: Identity\nmetadata:\n  name: ci-bot\n  owner: platform\n  description: Runs CI.\nspec:\n  type: bot\n  environment: ci\n  created: 2026-11-02\n  expires: 2027-04-01\n  vendor: self\n  justification: Posts build results.\n",
    )
    .expect("write");
    let out = Tenure::new(&dir)
        .args(["init", "--github-team", "acme/security"])
        .run();
    assert_eq!(out.code, 1, "{}", out.transcript());
    assert!(
        out.stderr.contains("error[unknown-owner]"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("the registry would not pass `tenure check`; nothing was written"),
        "{}",
        out.stderr
    );
    assert_eq!(tree(&dir), ["identities/ci/ci-bot.yaml"]);
}

#[test]
fn options_shape_the_registry() {
    let (_scratch, dir) = empty_repository();
    std::fs::create_dir(dir.join(".git")).expect("mkdir .git");
    let out = Tenure::new(&dir)
        .args([
            "init",
            "--team",
            "appsec",
            "--github-team",
            "https://ghe.example.com/orgs/acme/teams/app-sec",
            "--member",
            "ada",
            "--member",
            "renovate[bot]",
            "--registry-dir",
            "infra/identities",
        ])
        .run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    // In a Git repository, there is no `git init` step.
    assert!(!out.stderr.contains("git init"), "{}", out.stderr);
    // Real members: nothing to replace.
    assert!(
        !out.stderr.contains("Replace the example"),
        "{}",
        out.stderr
    );
    let team = read(&dir, "infra/identities/teams/appsec.yaml");
    assert!(team.contains("  githubTeam: acme/app-sec\n"), "{team}");
    assert!(
        team.contains("    - ada\n    - \"renovate[bot]\"\n"),
        "{team}"
    );
    let registry = read(&dir, "infra/identities/tenure.yaml");
    assert!(registry.contains("  owner: appsec\n"), "{registry}");

    let out = Tenure::new(&dir)
        .args(["check", "infra/identities", "--now", NOW])
        .run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    let out = Tenure::new(&dir)
        .args(["codeowners", "infra/identities", "--check"])
        .run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    // The workflow differs from the repository's in the registry folder only.
    let workflow = read(&dir, ".github/workflows/tenure-pr.yml");
    assert_eq!(
        workflow.replace(
            "TENURE_REGISTRY: \"infra/identities\"",
            "TENURE_REGISTRY: \"identities\""
        ),
        repository_workflow()
    );
    assert_ne!(workflow, repository_workflow());
}

#[test]
fn refuses_bad_arguments() {
    let (_scratch, dir) = empty_repository();
    for (args, message) in [
        (
            vec!["--team", "Security Team", "--github-team", "acme/security"],
            "`--team Security Team` is not a Team name",
        ),
        (
            vec!["--github-team", "acme security"],
            "`--github-team`: `githubTeam: acme security` is not a GitHub team",
        ),
        (
            vec!["--github-team", "acme/security", "--member", "not a login"],
            "`--member not a login` is not a GitHub login",
        ),
        (
            vec![
                "--github-team",
                "acme/security",
                "--registry-dir",
                "../elsewhere",
            ],
            "`--registry-dir ../elsewhere` is not a folder path",
        ),
        (
            vec!["missing", "--github-team", "acme/security"],
            "`missing` is not a folder",
        ),
    ] {
        let out = Tenure::new(&dir).args(["init"]).args(&args).run();
        assert_eq!(out.code, 2, "{args:?}: {}", out.transcript());
        assert!(out.stderr.contains(message), "{args:?}: {}", out.stderr);
    }
    // `--github-team` is required: CODEOWNERS needs it.
    let out = Tenure::new(&dir).args(["init"]).run();
    assert_eq!(out.code, 2, "{}", out.transcript());
    assert!(out.stderr.contains("--github-team"), "{}", out.stderr);
    assert!(tree(&dir).is_empty(), "{:?}", tree(&dir));
}

#[test]
fn refuses_a_folder_inside_a_repository() {
    let (_scratch, dir) = empty_repository();
    std::fs::create_dir(dir.join(".git")).expect("mkdir .git");
    std::fs::create_dir(dir.join("services")).expect("mkdir");
    let out = Tenure::new(&dir.join("services"))
        .args(["init", "--github-team", "acme/security"])
        .run();
    assert_eq!(out.code, 2, "{}", out.transcript());
    assert!(
        out.stderr.contains("is inside the Git repository at"),
        "{}",
        out.stderr
    );
    assert!(tree(&dir.join("services")).is_empty());
}

#[test]
fn a_failed_write_leaves_nothing_behind() {
    let (_scratch, dir) = empty_repository();
    // `.github` is a file: CODEOWNERS cannot be written, after `identities/`
    // and its files were already under way.
    std::fs::write(dir.join(".github"), "not a folder\n").expect("write");
    let out = Tenure::new(&dir)
        .args(["init", "--github-team", "acme/security"])
        .run();
    assert_eq!(out.code, 2, "{}", out.transcript());
    assert!(out.stderr.contains("cannot write"), "{}", out.stderr);
    assert_eq!(tree(&dir), [".github"]);
    assert!(
        !dir.join("identities").exists(),
        "a created folder was left behind"
    );
}
