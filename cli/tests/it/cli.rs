//! Arguments, help, discovery and operational errors.

use super::common::{NOW, Tenure, Workspace};

#[test]
fn help_texts() {
    let dir = tempfile::tempdir().expect("tempdir");
    for args in [
        vec!["--help"],
        vec!["check", "--help"],
        vec!["explain", "--help"],
        vec!["schema", "--help"],
    ] {
        let out = Tenure::new(dir.path()).args(&args).run();
        assert_eq!(out.code, 0);
        insta::assert_snapshot!(
            format!("help_{}", args.join("_").replace("--", "")),
            out.stdout
        );
    }
}

#[test]
fn discovers_the_registry_from_the_current_folder() {
    let ws = Workspace::base();
    // From the repository root: finds `identities/tenure.yaml`.
    let out = ws.tenure().args(["check", "--now", NOW]).run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    // From deep inside the registry.
    let out = Tenure::new(&ws.registry().join("platform"))
        .args(["check", "--now", NOW])
        .run();
    assert_eq!(out.code, 0, "{}", out.transcript());
}

#[test]
fn operational_errors_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = Tenure::new(dir.path()).args(["check", "--now", NOW]).run();
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("no registry found"), "{}", out.stderr);

    let out = Tenure::new(dir.path())
        .args(["check", "missing", "--now", NOW])
        .run();
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("`missing` is not a folder"),
        "{}",
        out.stderr
    );

    let ws = Workspace::base();
    let out = ws
        .tenure()
        .args(["check", "identities", "--now", "next tuesday"])
        .run();
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("invalid `--now`"), "{}", out.stderr);

    let out = ws.tenure().args(["check", "--format", "xml"]).run();
    assert_eq!(out.code, 2);
}

#[test]
fn explain() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = Tenure::new(dir.path())
        .args(["explain", "unknown-owner"])
        .run();
    assert_eq!(out.code, 0);
    assert!(out.stdout.starts_with("# unknown-owner"), "{}", out.stdout);

    let list = Tenure::new(dir.path()).args(["explain"]).run();
    assert!(list.stdout.lines().any(|l| l.starts_with("expired ")));

    let typo = Tenure::new(dir.path())
        .args(["explain", "unknown-ownr"])
        .run();
    assert_eq!(typo.code, 2);
    assert!(
        typo.stderr.contains("did you mean `unknown-owner`"),
        "{}",
        typo.stderr
    );
}

#[test]
fn schema_prints_the_shipped_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = Tenure::new(dir.path()).args(["schema", "identity"]).run();
    assert_eq!(out.code, 0);
    let schema: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    let shipped = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../registry-schema/schema/identity.schema.json"),
    )
    .expect("shipped schema");
    assert_eq!(out.stdout, shipped);
}

#[test]
fn the_shipped_identities_registry_passes() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let out = Tenure::new(&root).args(["check", "identities"]).run();
    assert_eq!(out.code, 0, "{}", out.transcript());
}

#[test]
fn runs_from_the_registry_root_and_resolves_changed_paths_from_the_git_top() {
    let ws = Workspace::case("expired");
    std::fs::create_dir(ws.dir.path().join(".git")).expect("fake work tree marker");
    let out = Tenure::new(&ws.registry())
        .args(["check", "--now", NOW])
        .run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    // `git diff --name-only` paths are relative to the top, whatever the current folder.
    let out = Tenure::new(&ws.registry().join("platform"))
        .args(["check", "--now", NOW, "--changed-from", "-"])
        .stdin("identities/platform/lapsed.yaml\n")
        .run();
    assert_eq!(out.code, 1, "{}", out.transcript());
    // `tenure check .` at the top means `identities/`.
    let out = ws.tenure().args(["check", ".", "--now", NOW]).run();
    assert_eq!(out.code, 0, "{}", out.transcript());
}
