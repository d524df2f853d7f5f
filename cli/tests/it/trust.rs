//! `tenure trust`: the trusted root in use, and refreshing it.

use super::common::Tenure;

#[test]
fn show_lists_the_embedded_production_services() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = Tenure::new(dir.path()).args(["trust", "show"]).run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    insta::assert_snapshot!(out.transcript());
}

#[test]
fn show_reads_a_private_root_and_rejects_a_hostile_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../verifier/tests/data/conformance/rekor2-happy-path/trusted_root.json");
    let out = Tenure::new(dir.path())
        .args(["trust", "show", "--format", "json", "--trusted-root"])
        .args([&root])
        .run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    let roles: Vec<&str> = doc["authorities"]
        .as_array()
        .expect("authorities")
        .iter()
        .map(|a| a["role"].as_str().expect("role"))
        .collect();
    assert!(roles.contains(&"timestamp-authority"), "{roles:?}");

    std::fs::write(
        dir.path().join("bad.json"),
        r#"{"mediaType": "x", "tlogs": [{"baseUrl": 1}]}"#,
    )
    .expect("write");
    let out = Tenure::new(dir.path())
        .args(["trust", "show", "--trusted-root", "bad.json"])
        .run();
    assert_eq!(out.code, 2, "{}", out.transcript());
    assert!(
        out.stderr.contains("invalid trusted root (bad.json)"),
        "{}",
        out.transcript()
    );
}

#[cfg(not(feature = "tuf"))]
#[test]
fn update_without_tuf_support_says_how_to_get_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = Tenure::new(dir.path())
        .args(["trust", "update", "--out", "root.json"])
        .run();
    assert_eq!(out.code, 2, "{}", out.transcript());
    assert!(
        out.stderr.contains("--features tuf"),
        "{}",
        out.transcript()
    );
    assert!(!dir.path().join("root.json").exists());
}
