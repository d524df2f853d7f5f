//! `tenure verify`: real Sigstore bundles (from the conformance suite, signed
//! on the public-good instance) checked against registries that allow them,
//! and against registries that refuse them for each reason in turn.

use std::path::{Path, PathBuf};

use super::common::{Output, Tenure};

/// The vendored conformance cases.
fn cases() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../verifier/tests/data/conformance")
}

const BEACON: &str = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";

/// The SigningKey that allows the conformance beacon, with `edit` applied to
/// its YAML text (a plain replacement of one line).
fn beacon_key(edits: &[(&str, &str)]) -> String {
    let mut yaml = r#"apiVersion: tenure/v1
kind: SigningKey
metadata:
  name: beacon
  owner: release
  description: The conformance suite's signing workflow.
spec:
  created: 2023-01-01
  expires: 2026-12-31
  keyless:
    issuer: https://token.actions.githubusercontent.com
    identityPattern: "^https://github\\.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/\\.github/workflows/extremely-dangerous-oidc-beacon\\.yml@refs/heads/main$"
    github:
      repository: sigstore-conformance/extremely-dangerous-public-oidc-beacon
      workflow: .github/workflows/extremely-dangerous-oidc-beacon.yml
      refs: [refs/heads/main]
      runner: github-hosted
      triggers: [workflow_dispatch]
  allows:
    artifacts: ["a.txt", "*.txt"]
    predicateTypes: [https://slsa.dev/provenance/v1]
"#
    .to_owned();
    for (from, to) in edits {
        assert!(yaml.contains(from), "edit target `{from}` not in the key");
        yaml = yaml.replacen(from, to, 1);
    }
    yaml
}

struct Scene {
    dir: tempfile::TempDir,
}

impl Scene {
    /// A registry with one team, and `keys` as `identities/signing/NAME.yaml`.
    fn new(keys: &[(&str, String)]) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let reg = dir.path().join("identities");
        std::fs::create_dir_all(reg.join("signing")).expect("mkdir");
        std::fs::create_dir_all(reg.join("teams")).expect("mkdir");
        std::fs::write(
            reg.join("tenure.yaml"),
            "apiVersion: tenure/v1\nkind: Registry\nmetadata:\n  name: verify\n  owner: release\n  description: Verification tests.\nspec:\n  environments: [production]\n",
        )
        .expect("write");
        std::fs::write(
            reg.join("teams/release.yaml"),
            "apiVersion: tenure/v1\nkind: Team\nmetadata:\n  name: release\n  owner: release\n  description: Releases.\nspec:\n  members: [ada]\n",
        )
        .expect("write");
        for (name, yaml) in keys {
            std::fs::write(reg.join(format!("signing/{name}.yaml")), yaml).expect("write");
        }
        std::fs::create_dir_all(dir.path().join("dist")).expect("mkdir");
        Self { dir }
    }

    /// Copy a conformance case's bundle to `dist/NAME.sigstore.json` and its
    /// artifact to `dist/NAME`.
    fn artifact(&self, case: &str, name: &str) -> &Self {
        let from = cases().join(case);
        let artifact = if from.join("artifact").exists() {
            from.join("artifact")
        } else {
            cases().join("a.txt")
        };
        let dist = self.dir.path().join("dist");
        std::fs::copy(artifact, dist.join(name)).expect("copy artifact");
        std::fs::copy(
            from.join("bundle.sigstore.json"),
            dist.join(format!("{name}.sigstore.json")),
        )
        .expect("copy bundle");
        self
    }

    fn verify(&self, args: &[&str]) -> Output {
        Tenure::new(self.dir.path())
            .args(["verify"])
            .args(args)
            .run()
    }

    fn json(&self, args: &[&str]) -> (i32, serde_json::Value) {
        let mut all = args.to_vec();
        all.extend(["--format", "json"]);
        let out = self.verify(&all);
        let doc = serde_json::from_str(&out.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", out.transcript()));
        (out.code, doc)
    }
}

/// The one result of a single-artifact JSON report.
fn only(doc: &serde_json::Value) -> &serde_json::Value {
    let results = doc["results"].as_array().expect("results");
    assert_eq!(results.len(), 1, "{doc:#}");
    &results[0]
}

fn reason_of(scene: &Scene, args: &[&str]) -> (i32, String, String) {
    let (code, doc) = scene.json(args);
    let r = only(&doc);
    (
        code,
        r["reason"].as_str().unwrap_or("").to_owned(),
        r["message"].as_str().unwrap_or("").to_owned(),
    )
}

#[test]
fn declared_signer_verifies() {
    let scene = Scene::new(&[("beacon", beacon_key(&[]))]);
    scene.artifact("happy-path-v0.3", "a.txt");
    let out = scene.verify(&["dist/a.txt"]);
    assert_eq!(out.code, 0, "{}", out.transcript());
    insta::assert_snapshot!(out.transcript());
}

#[test]
fn verified_json_names_the_declaration_and_signing_time() {
    let scene = Scene::new(&[("beacon", beacon_key(&[]))]);
    scene.artifact("happy-path-v0.3", "a.txt");
    let (code, doc) = scene.json(&["dist/a.txt"]);
    assert_eq!(code, 0);
    assert_eq!(only(&doc)["signer"]["identity"], BEACON);
    insta::assert_json_snapshot!(doc);
}

#[test]
fn every_bundle_version_and_rekor_generation_verifies() {
    let scene = Scene::new(&[("beacon", beacon_key(&[]))]);
    let list = [
        "happy-path-v0.1",
        "happy-path-v0.3",
        "happy-path-intoto-in-dsse-v3",
    ];
    for (i, case) in list.iter().enumerate() {
        scene.artifact(case, &format!("a{i}.txt"));
    }
    let args: Vec<String> = (0..list.len()).map(|i| format!("dist/a{i}.txt")).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, doc) = scene.json(&args);
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(doc["summary"]["verified"], list.len());
}

#[test]
fn private_trusted_root_and_rekor_v2() {
    let scene = Scene::new(&[("beacon", beacon_key(&[]))]);
    for case in ["rekor2-happy-path", "rekor2-dsse-happy-path"] {
        scene.artifact(case, "a.txt");
        let root = cases().join(case).join("trusted_root.json");
        let (code, doc) = scene.json(&[
            "dist/a.txt",
            "--trusted-root",
            root.to_str().expect("utf-8"),
        ]);
        assert_eq!(code, 0, "{case}: {doc:#}");
        let r = only(&doc);
        assert_eq!(r["signedAt"][0]["source"], "timestamp-authority", "{case}");
        // The production root does not hold that deployment's keys.
        let (code, doc) = scene.json(&["dist/a.txt"]);
        assert_eq!(code, 1, "{case}: {doc:#}");
    }
}

#[test]
fn staging_root_does_not_vouch_for_production_bundles() {
    let scene = Scene::new(&[("beacon", beacon_key(&[]))]);
    scene.artifact("happy-path-v0.3", "a.txt");
    let (code, doc) = scene.json(&["dist/a.txt", "--staging"]);
    assert_eq!(code, 1, "{doc:#}");
    assert_eq!(doc["trustedRoot"], "Sigstore staging (embedded)");
    assert_eq!(only(&doc)["status"], "rejected");
}

#[test]
fn tampered_bundles_are_rejected_with_their_reason() {
    let scene = Scene::new(&[("beacon", beacon_key(&[]))]);
    for (case, reason) in [
        ("signature-mismatch_fail", "invalid-signature"),
        ("dsse-invalid-sig_fail", "invalid-signature"),
        ("message-digest-mismatch_fail", "artifact-mismatch"),
        ("wrong-hashedrekord-artifact_fail", "artifact-mismatch"),
        ("set-invalid-signature_fail", "invalid-transparency-log"),
        ("bundle-malformed-json_fail", "malformed-bundle"),
        ("bundle-unknown-version_fail", "malformed-bundle"),
        ("checkpoint-wrong-roothash_fail", "invalid-transparency-log"),
        ("invalid-inclusion-proof_fail", "invalid-transparency-log"),
        ("rekor2-no-inclusion-proof_fail", "invalid-transparency-log"),
        (
            "rekor2-timestamp-with-incorrect-time_fail",
            "malformed-bundle",
        ),
        ("intoto-expired-certificate_fail", "invalid-certificate"),
    ] {
        scene.artifact(case, "a.txt");
        let mut args = vec!["dist/a.txt".to_owned()];
        let root = cases().join(case).join("trusted_root.json");
        if root.exists() {
            args.extend(["--trusted-root".to_owned(), root.display().to_string()]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, got, message) = reason_of(&scene, &args);
        assert_eq!(code, 1, "{case}");
        assert_eq!(got, reason, "{case}: {message}");
    }
}

#[test]
fn one_flipped_byte_in_the_artifact_is_rejected() {
    let scene = Scene::new(&[("beacon", beacon_key(&[]))]);
    scene.artifact("happy-path-v0.3", "a.txt");
    let path = scene.dir.path().join("dist/a.txt");
    let mut data = std::fs::read(&path).expect("read");
    data[0] ^= 1;
    std::fs::write(&path, data).expect("write");
    let (code, reason, _) = reason_of(&scene, &["dist/a.txt"]);
    assert_eq!((code, reason.as_str()), (1, "artifact-mismatch"));
}

#[test]
fn each_policy_rejection_has_its_reason() {
    // (what, edits to the allowing key, reason, part of the message)
    type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a str, &'a str);
    let cases: &[Case] = &[
        (
            "wrong identity",
            vec![(
                "oidc-beacon\\\\.yml@refs/heads/main$",
                "release\\\\.yml@refs/heads/main$",
            )],
            "undeclared-signer",
            "no SigningKey declares",
        ),
        (
            "wrong issuer",
            vec![(
                "issuer: https://token.actions.githubusercontent.com",
                "issuer: https://accounts.google.com",
            )],
            "undeclared-signer",
            "from issuer `https://token.actions.githubusercontent.com`",
        ),
        (
            "declared only after the signing time",
            vec![("created: 2023-01-01", "created: 2024-06-01")],
            "declared-after-signing",
            "declared from 2024-06-01 (created), but the signature was made at 2024-03-19T17:26:26Z (transparency log)",
        ),
        (
            "expired declaration",
            vec![("expires: 2026-12-31", "expires: 2024-03-18")],
            "declaration-expired",
            "expired 2024-03-18",
        ),
        (
            "artifact out of scope",
            vec![(
                "artifacts: [\"a.txt\", \"*.txt\"]",
                "artifacts: [\"b-*.tar.gz\"]",
            )],
            "artifact-out-of-scope",
            "may sign `b-*.tar.gz`, not `a.txt`",
        ),
        (
            "self-hosted only",
            vec![("runner: github-hosted", "runner: self-hosted")],
            "runner-not-allowed",
            "on a `github-hosted` runner, the declaration allows only `self-hosted`",
        ),
        (
            "ref",
            vec![("refs: [refs/heads/main]", "refs: [\"refs/tags/v*\"]")],
            "ref-not-allowed",
            "on `refs/heads/main`",
        ),
        (
            "trigger",
            vec![("triggers: [workflow_dispatch]", "triggers: [push, release]")],
            "trigger-not-allowed",
            "triggered by `workflow_dispatch`, the declaration allows `push`, `release`",
        ),
        (
            "workflow",
            vec![(
                "workflow: .github/workflows/extremely-dangerous-oidc-beacon.yml",
                "workflow: .github/workflows/release.yml",
            )],
            "workflow-not-allowed",
            "used `.github/workflows/extremely-dangerous-oidc-beacon.yml`",
        ),
        (
            "repository",
            vec![(
                "repository: sigstore-conformance/extremely-dangerous-public-oidc-beacon",
                "repository: acme/web",
            )],
            "repository-not-allowed",
            "allows `acme/web`",
        ),
    ];
    for (what, edits, reason, message) in cases {
        let scene = Scene::new(&[("beacon", beacon_key(edits))]);
        scene.artifact("happy-path-v0.3", "a.txt");
        let (code, got, got_message) = reason_of(&scene, &["dist/a.txt"]);
        assert_eq!(code, 1, "{what}");
        assert_eq!(got, *reason, "{what}: {got_message}");
        assert!(
            got_message.contains(message),
            "{what}: `{got_message}` lacks `{message}`"
        );
    }
}

#[test]
fn rejections_read_well() {
    let scene = Scene::new(&[
        (
            "beacon",
            beacon_key(&[("expires: 2026-12-31", "expires: 2024-03-18")]),
        ),
        (
            "other",
            beacon_key(&[
                ("name: beacon", "name: other"),
                ("runner: github-hosted", "runner: self-hosted"),
            ]),
        ),
    ]);
    scene.artifact("happy-path-v0.3", "a.txt");
    insta::assert_snapshot!(scene.verify(&["dist/a.txt"]).transcript());
    let (_, doc) = scene.json(&["dist/a.txt"]);
    insta::assert_json_snapshot!(doc);
}

#[test]
fn predicate_type_must_be_declared() {
    let scene = Scene::new(&[(
        "beacon",
        beacon_key(&[(
            "predicateTypes: [https://slsa.dev/provenance/v1]",
            "predicateTypes: [https://spdx.dev/Document]",
        )]),
    )]);
    scene.artifact("happy-path-intoto-in-dsse-v3", "a.txt");
    let (code, reason, message) = reason_of(&scene, &["dist/a.txt"]);
    assert_eq!((code, reason.as_str()), (1, "predicate-type-not-allowed"));
    assert!(
        message.contains("not `https://slsa.dev/provenance/v1`"),
        "{message}"
    );
}

#[test]
fn digests_need_a_name_unless_an_attestation_names_the_subject() {
    let scene = Scene::new(&[("beacon", beacon_key(&[]))]);
    scene.artifact("happy-path-v0.3", "a.txt");
    let digest = {
        let data = std::fs::read(cases().join("a.txt")).expect("read");
        tenure_verifier::ArtifactDigest::of(&data).to_string()
    };
    let bundle = "dist/a.txt.sigstore.json";
    let (code, reason, _) = reason_of(&scene, &[&digest, "--bundle", bundle]);
    assert_eq!((code, reason.as_str()), (1, "artifact-name-unknown"));
    // Digests are case-insensitive, as in the digest parser.
    let upper = digest.to_uppercase();
    let (code, doc) = scene.json(&[&upper, "--bundle", bundle, "--name", "a.txt"]);
    assert_eq!(code, 0, "{doc:#}");
    let (code, doc) = scene.json(&[&digest, "--bundle", bundle, "--name", "a.txt"]);
    assert_eq!(code, 0, "{doc:#}");
    let (code, reason, _) = reason_of(
        &scene,
        &[&digest, "--bundle", bundle, "--name", "evil.tar.gz"],
    );
    assert_eq!((code, reason.as_str()), (1, "artifact-out-of-scope"));

    // An attestation names its subject: that name is checked.
    scene.artifact("happy-path-intoto-in-dsse-v3", "s.txt");
    let (code, doc) = scene.json(&[&digest, "--bundle", "dist/s.txt.sigstore.json"]);
    assert_eq!(code, 0, "{doc:#}");
}

#[test]
fn key_based_bundles_verify_against_declared_public_keys() {
    let pem = std::fs::read_to_string(cases().join("managed-key-happy-path/key.pub")).expect("key");
    let indented: String = pem.lines().map(|l| format!("      {l}\n")).collect();
    let key = format!(
        "apiVersion: tenure/v1\nkind: SigningKey\nmetadata:\n  name: managed\n  owner: release\n  description: A managed key.\nspec:\n  created: 2020-01-01\n  expires: 2030-01-01\n  publicKey:\n    algorithm: ecdsa-p256\n    pem: |\n{indented}  allows:\n    artifacts: [\"*.txt\"]\n"
    );
    let scene = Scene::new(&[("managed", key.clone()), ("beacon", beacon_key(&[]))]);
    scene.artifact("managed-key-happy-path", "a.txt");
    let (code, doc) = scene.json(&["dist/a.txt"]);
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(only(&doc)["declaration"]["name"], "managed");
    assert_eq!(only(&doc)["signer"]["publicKey"], "ecdsa-p256");

    // The same bundle with no key declared.
    let scene = Scene::new(&[("beacon", beacon_key(&[]))]);
    scene.artifact("managed-key-happy-path", "a.txt");
    let (code, reason, message) = reason_of(&scene, &["dist/a.txt"]);
    assert_eq!(
        (code, reason.as_str()),
        (1, "undeclared-signer"),
        "{message}"
    );

    // Declared, but expired when it signed.
    let expired = key.replace("expires: 2030-01-01", "expires: 2020-06-01");
    let scene = Scene::new(&[("managed", expired)]);
    scene.artifact("managed-key-happy-path", "a.txt");
    let (code, reason, message) = reason_of(&scene, &["dist/a.txt"]);
    assert_eq!(
        (code, reason.as_str()),
        (1, "declaration-expired"),
        "{message}"
    );
}

#[test]
fn many_artifacts_report_each_and_fail_if_any_fails() {
    let scene = Scene::new(&[("beacon", beacon_key(&[]))]);
    scene.artifact("happy-path-v0.3", "good.txt");
    scene.artifact("signature-mismatch_fail", "bad.txt");
    // `dist/*`, as a shell expands it, bundles included.
    let mut all: Vec<String> = std::fs::read_dir(scene.dir.path().join("dist"))
        .expect("list")
        .map(|e| format!("dist/{}", e.expect("entry").file_name().to_string_lossy()))
        .collect();
    all.sort();
    let args: Vec<&str> = all.iter().map(String::as_str).collect();
    let out = scene.verify(&args);
    assert_eq!(out.code, 1, "{}", out.transcript());
    insta::assert_snapshot!(out.transcript());
}

#[test]
fn operational_errors_exit_2() {
    let scene = Scene::new(&[("beacon", beacon_key(&[]))]);
    scene.artifact("happy-path-v0.3", "a.txt");
    std::fs::remove_file(scene.dir.path().join("dist/a.txt.sigstore.json")).expect("rm");
    let out = scene.verify(&["dist/a.txt"]);
    assert_eq!(out.code, 2, "{}", out.transcript());
    assert!(
        out.stdout.contains("cannot read the bundle"),
        "{}",
        out.transcript()
    );

    let out = scene.verify(&["dist/missing.txt"]);
    assert_eq!(out.code, 2, "{}", out.transcript());

    std::fs::write(scene.dir.path().join("root.json"), "{}").expect("write");
    let out = scene.verify(&["dist/a.txt", "--trusted-root", "root.json"]);
    assert_eq!(out.code, 2, "{}", out.transcript());
    assert!(
        out.stderr.contains("invalid trusted root"),
        "{}",
        out.transcript()
    );

    let out = scene.verify(&["sha256:abcd", "--bundle", "x"]);
    assert_eq!(out.code, 2, "{}", out.transcript());

    // The bundle given where the artifact belongs: a hint, not a search for
    // `a.txt.sigstore.json.sigstore.json`.
    let out = scene.verify(&["dist/a.txt.sigstore.json"]);
    assert_eq!(out.code, 2, "{}", out.transcript());
    assert!(
        out.stderr
            .contains("give the artifact it signs (`dist/a.txt`)"),
        "{}",
        out.transcript()
    );
}

#[test]
fn a_pattern_that_cannot_compile_refuses_rather_than_skips() {
    // It parses, so the registry loads; compiled, it exceeds the size limit.
    // Skipping the declaration could change which one decides: refuse.
    let scene = Scene::new(&[(
        "beacon",
        beacon_key(&[(
            "identityPattern: \"^https",
            "identityPattern: \"^(?:\\\\w{100}){100}|https",
        )]),
    )]);
    scene.artifact("happy-path-v0.3", "a.txt");
    let out = scene.verify(&["dist/a.txt"]);
    assert_eq!(out.code, 2, "{}", out.transcript());
    assert!(
        out.stderr
            .contains("signing/beacon.yaml: `beacon`: spec.keyless.identityPattern"),
        "{}",
        out.transcript()
    );
}

#[test]
fn registry_at_a_git_revision() {
    let scene = Scene::new(&[("beacon", beacon_key(&[]))]);
    scene.artifact("happy-path-v0.3", "a.txt");
    let git = |args: &[&str]| {
        let status = std::process::Command::new("git")
            .args(args)
            .current_dir(scene.dir.path())
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .status()
            .expect("git");
        assert!(status.success());
    };
    git(&["init", "-q"]);
    git(&["add", "identities"]);
    git(&["commit", "-qm", "declare beacon"]);
    git(&["tag", "declared"]);
    // The work tree drops the declaration; the tag still has it.
    std::fs::remove_file(scene.dir.path().join("identities/signing/beacon.yaml")).expect("rm");
    let (code, reason, _) = reason_of(&scene, &["dist/a.txt"]);
    assert_eq!((code, reason.as_str()), (1, "undeclared-signer"));
    let (code, doc) = scene.json(&["dist/a.txt", "--rev", "declared"]);
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(
        only(&doc)["declaration"]["file"],
        "declared:identities/signing/beacon.yaml"
    );
}
