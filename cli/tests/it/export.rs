//! `tenure export`: each tool for keyless and key signers, constraints a tool
//! cannot enforce, `--strict`, lapsed declarations, hostile values (run
//! through a real shell and a YAML parser), and the refusals.

use std::path::Path;

use super::common::{NOW, Output, Workspace};

fn export(ws: &Workspace, args: &[&str]) -> Output {
    ws.tenure()
        .args(["export"])
        .args(args)
        .args(["--now", NOW])
        .run()
}

/// A keyless signer cosign and gh can express in full, apart from its term.
const EXACT_SIGNER: &str = r#"apiVersion: tenure/v1
kind: SigningKey
metadata:
  name: exact-signer
  owner: platform
  description: Signs web app releases from one tag of the release workflow.
spec:
  created: 2026-09-01
  expires: 2027-08-31
  keyless:
    issuer: https://token.actions.githubusercontent.com
    identity: https://github.com/acme/web/.github/workflows/release.yml@refs/tags/v1.0.0
    github:
      repository: acme/web
      workflow: .github/workflows/release.yml
      refs: [refs/tags/v1.0.0]
  allows:
    artifacts: ["web-*.tar.gz", "pkg:oci/web@*?repository_url=ghcr.io/acme/web"]
    predicateTypes: [https://slsa.dev/provenance/v1]
"#;

/// A signer with a long-lived ECDSA P-256 key.
const KEY_SIGNER: &str = r#"apiVersion: tenure/v1
kind: SigningKey
metadata:
  name: key-signer
  owner: platform
  description: Signs firmware images with the key kept in the hardware module.
spec:
  created: 2026-09-01
  expires: 2027-08-31
  publicKey:
    algorithm: ecdsa-p256
    pem: |
      -----BEGIN PUBLIC KEY-----
      MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEGgXt3s4Dum+6oAen9NprMzKsSQRC
      PvFqNzsYDnBalleqMnat8sNKvIPnRqHRXdE6LAVsFKT8hkJRXgxflwEasA==
      -----END PUBLIC KEY-----
  allows:
    artifacts: ["firmware-*.bin", "pkg:docker/acme/firmware@*"]
"#;

const KEY_PEM: &str = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEGgXt3s4Dum+6oAen9NprMzKsSQRC\nPvFqNzsYDnBalleqMnat8sNKvIPnRqHRXdE6LAVsFKT8hkJRXgxflwEasA==\n-----END PUBLIC KEY-----\n";

/// Values written to break out of shell and YAML quoting; `tenure check`
/// accepts all of them.
const HOSTILE_SIGNER: &str = r##"apiVersion: tenure/v1
kind: SigningKey
metadata:
  name: hostile-signer
  owner: platform
  description: Signs with values crafted to break out of quotes.
spec:
  created: 2026-09-01
  expires: 2027-08-31
  keyless:
    issuer: "https://a';touch${IFS}pwned;'"
    identity: "x' --key=/tmp/evil $(touch pwned) \"y\" `touch pwned` # \\' ': {a: b}"
    github:
      repository: acme/web
      refs: ["refs/tags/v1';touch pwned;'"]
      triggers: [push]
  allows:
    artifacts: ["web-*.tar.gz\nrm -rf ~", "pkg:oci/web@*?repository_url=ghcr.io/acme/web"]
    predicateTypes: ["https://x/p'\"#: {evil: 1} - glob: '**'"]
"##;

const HOSTILE_ISSUER: &str = "https://a';touch${IFS}pwned;'";
const HOSTILE_IDENTITY: &str =
    "x' --key=/tmp/evil $(touch pwned) \"y\" `touch pwned` # \\' ': {a: b}";
const HOSTILE_REF: &str = "refs/tags/v1';touch pwned;'";
const HOSTILE_TYPE: &str = "https://x/p'\"#: {evil: 1} - glob: '**'";

fn workspace_with(files: &[(&str, &str)]) -> Workspace {
    let ws = Workspace::base();
    for (path, text) in files {
        ws.write(path, text);
    }
    ws
}

#[test]
fn help() {
    let out = Workspace::base().tenure().args(["export", "--help"]).run();
    assert_eq!(out.code, 0);
    insta::assert_snapshot!("help_export", out.stdout);
}

#[test]
fn cosign_keyless() {
    let ws = Workspace::base();
    let out = export(&ws, &["release-signer", "--for", "cosign"]);
    assert_eq!(out.code, 0, "{}", out.transcript());
    insta::assert_snapshot!("cosign_keyless", out.transcript());
}

#[test]
fn gh_keyless() {
    let ws = Workspace::base();
    let out = export(&ws, &["release-signer", "--for", "gh"]);
    assert_eq!(out.code, 0, "{}", out.transcript());
    insta::assert_snapshot!("gh_keyless", out.transcript());
}

#[test]
fn policy_controller_keyless() {
    let ws = workspace_with(&[("platform/exact-signer.yaml", EXACT_SIGNER)]);
    let out = export(&ws, &["exact-signer", "--for", "policy-controller"]);
    assert_eq!(out.code, 0, "{}", out.transcript());
    insta::assert_snapshot!("policy_controller_keyless", out.transcript());
    let policy = parse_yaml(&out.stdout);
    assert_eq!(policy["spec"]["images"][0]["glob"], "ghcr.io/acme/web*");
    let identity = &policy["spec"]["authorities"][0]["keyless"]["identities"][0];
    assert_eq!(
        identity["subject"],
        "https://github.com/acme/web/.github/workflows/release.yml@refs/tags/v1.0.0"
    );
    assert_eq!(
        policy["spec"]["authorities"][1]["attestations"][0]["predicateType"],
        "https://slsa.dev/provenance/v1"
    );
}

#[test]
fn an_exact_signer_is_fully_expressed_with_a_checked_artifact() {
    let ws = workspace_with(&[("platform/exact-signer.yaml", EXACT_SIGNER)]);
    for tool in ["cosign", "gh"] {
        let out = export(
            &ws,
            &[
                "exact-signer",
                "--for",
                tool,
                "--artifact",
                "dist/web-1.0.0.tar.gz",
                "--strict",
            ],
        );
        assert_eq!(out.code, 0, "{}", out.transcript());
        insta::assert_snapshot!(format!("exact_{tool}"), out.transcript());
        // Only the term is left, as a note.
        assert!(!out.stderr.contains("warning"), "{}", out.stderr);
        assert!(
            out.stderr.starts_with("note: not enforced by"),
            "{}",
            out.stderr
        );
    }
    // An image counts as an artifact for gh when a package URL allows it.
    let out = export(
        &ws,
        &[
            "exact-signer",
            "--for",
            "gh",
            "--artifact",
            "oci://ghcr.io/acme/web:1.0.0",
            "--strict",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert!(
        out.stdout
            .contains("gh attestation verify oci://ghcr.io/acme/web:1.0.0 \\"),
        "{}",
        out.stdout
    );
}

#[test]
fn an_artifact_outside_the_declaration_is_refused() {
    let ws = workspace_with(&[("platform/exact-signer.yaml", EXACT_SIGNER)]);
    for artifact in ["dist/api-1.0.0.tar.gz", "oci://ghcr.io/evil/web:1"] {
        let out = export(
            &ws,
            &["exact-signer", "--for", "cosign", "--artifact", artifact],
        );
        assert_eq!(out.code, 1, "{}", out.transcript());
        assert!(out.stdout.is_empty());
        assert!(
            out.stderr
                .contains(&format!("error: `exact-signer` may not sign `{artifact}`")),
            "{}",
            out.stderr
        );
    }
}

#[test]
fn public_key() {
    let ws = workspace_with(&[("platform/key-signer.yaml", KEY_SIGNER)]);
    let cosign = export(&ws, &["key-signer", "--for", "cosign"]);
    assert_eq!(cosign.code, 0, "{}", cosign.transcript());
    insta::assert_snapshot!("cosign_key", cosign.transcript());

    let policy = export(&ws, &["key-signer", "--for", "policy-controller"]);
    assert_eq!(policy.code, 0, "{}", policy.transcript());
    insta::assert_snapshot!("policy_controller_key", policy.transcript());
    let yaml = parse_yaml(&policy.stdout);
    assert_eq!(yaml["spec"]["authorities"][0]["key"]["data"], KEY_PEM);
    assert_eq!(
        yaml["spec"]["images"][0]["glob"],
        "index.docker.io/acme/firmware*"
    );

    let gh = export(&ws, &["key-signer", "--for", "gh"]);
    assert_eq!(gh.code, 1, "{}", gh.transcript());
    assert!(gh.stdout.is_empty());
    insta::assert_snapshot!("gh_key_refused", gh.transcript());
}

#[test]
fn strict_refuses_what_the_tool_cannot_enforce() {
    let ws = Workspace::base();
    for tool in ["cosign", "gh"] {
        let out = export(&ws, &["release-signer", "--for", tool, "--strict"]);
        assert_eq!(out.code, 1, "{}", out.transcript());
        assert!(out.stdout.is_empty());
        insta::assert_snapshot!(format!("strict_{tool}"), out.transcript());
    }
    let out = export(
        &ws,
        &[
            "release-signer",
            "--for",
            "policy-controller",
            "--image",
            "ghcr.io/acme/web*",
            "--strict",
        ],
    );
    assert_eq!(out.code, 1, "{}", out.transcript());
    assert!(
        out.stderr
            .contains("repository `acme/web` (`spec.keyless.github.repository`)"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_lapsed_declaration_needs_allow_expired() {
    let ws = Workspace::base();
    let late = ["release-signer", "--for", "cosign", "--now", "2027-09-01"];
    let out = ws.tenure().args(["export"]).args(late).run();
    assert_eq!(out.code, 1, "{}", out.transcript());
    assert!(out.stdout.is_empty());
    insta::assert_snapshot!("lapsed", out.transcript());

    // Valid through the last day of its term.
    let out = ws
        .tenure()
        .args(["export", "release-signer", "--for", "cosign"])
        .env("TENURE_NOW", "2027-08-31T23:59:59Z")
        .run();
    assert_eq!(out.code, 0, "{}", out.transcript());

    let out = ws
        .tenure()
        .args(["export"])
        .args(late)
        .args(["--allow-expired"])
        .run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert!(
        out.stdout
            .contains("# not enforced by cosign: the term, 2026-09-01 to 2027-08-31"),
        "{}",
        out.stdout
    );
}

/// Runs the exported commands with stubs for `cosign` and `gh` that record
/// their arguments, one per line, a `--` line after each call.
#[cfg(unix)]
fn run_script(script: &str) -> (tempfile::TempDir, Vec<Vec<String>>) {
    use std::os::unix::fs::PermissionsExt as _;

    let dir = tempfile::tempdir().expect("tempdir");
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).expect("mkdir bin");
    for tool in ["cosign", "gh"] {
        let stub = bin.join(tool);
        std::fs::write(
            &stub,
            "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done >> \"$CALLS\"\necho -- >> \"$CALLS\"\n",
        )
        .expect("write stub");
        std::fs::set_permissions(&stub, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let calls = dir.path().join("calls");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = std::process::Command::new("sh")
        .args(["-c", script])
        .current_dir(dir.path())
        .env("PATH", path)
        .env("CALLS", &calls)
        .output()
        .expect("run sh");
    assert!(
        out.status.success(),
        "sh failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let recorded = std::fs::read_to_string(&calls).expect("read calls");
    let mut invocations = Vec::new();
    let mut current = Vec::new();
    for line in recorded.lines() {
        if line == "--" {
            invocations.push(std::mem::take(&mut current));
        } else {
            current.push(line.to_owned());
        }
    }
    (dir, invocations)
}

fn parse_yaml(text: &str) -> serde_json::Value {
    tenure_schema::yaml::load(text, &tenure_schema::yaml::LoadLimits::default())
        .unwrap_or_else(|e| panic!("not YAML: {e:?}\n{text}"))
        .to_json()
}

#[cfg(unix)]
#[test]
fn hostile_values_stay_arguments_in_the_shell() {
    let ws = workspace_with(&[("platform/hostile-signer.yaml", HOSTILE_SIGNER)]);
    let out = export(&ws, &["hostile-signer", "--for", "cosign"]);
    assert_eq!(out.code, 0, "{}", out.transcript());
    insta::assert_snapshot!("hostile_cosign", out.transcript());
    let (dir, calls) = run_script(&out.stdout);
    assert!(
        !dir.path().join("pwned").exists(),
        "a value ran as a command"
    );
    assert_eq!(
        calls,
        [
            vec![
                "verify-blob".to_owned(),
                "--bundle=ARTIFACT.sigstore.json".to_owned(),
                format!("--certificate-oidc-issuer={HOSTILE_ISSUER}"),
                format!("--certificate-identity={HOSTILE_IDENTITY}"),
                "--certificate-github-workflow-repository=acme/web".to_owned(),
                format!("--certificate-github-workflow-ref={HOSTILE_REF}"),
                "--certificate-github-workflow-trigger=push".to_owned(),
                "ARTIFACT".to_owned(),
            ],
            vec![
                "verify-blob-attestation".to_owned(),
                "--bundle=ARTIFACT.intoto.sigstore.json".to_owned(),
                format!("--type={HOSTILE_TYPE}"),
                format!("--certificate-oidc-issuer={HOSTILE_ISSUER}"),
                format!("--certificate-identity={HOSTILE_IDENTITY}"),
                "--certificate-github-workflow-repository=acme/web".to_owned(),
                format!("--certificate-github-workflow-ref={HOSTILE_REF}"),
                "--certificate-github-workflow-trigger=push".to_owned(),
                "ARTIFACT".to_owned(),
            ],
        ]
    );
    // The newline in an artifact glob stays inside its comment.
    assert!(
        out.stdout.contains("`web-*.tar.gz\\u{a}rm -rf ~`"),
        "{}",
        out.stdout
    );

    let out = export(&ws, &["hostile-signer", "--for", "gh"]);
    assert_eq!(out.code, 0, "{}", out.transcript());
    let (dir, calls) = run_script(&out.stdout);
    assert!(
        !dir.path().join("pwned").exists(),
        "a value ran as a command"
    );
    assert_eq!(
        calls,
        [vec![
            "attestation".to_owned(),
            "verify".to_owned(),
            "ARTIFACT".to_owned(),
            "--repo=acme/web".to_owned(),
            format!("--cert-identity={HOSTILE_IDENTITY}"),
            format!("--cert-oidc-issuer={HOSTILE_ISSUER}"),
            format!("--source-ref={HOSTILE_REF}"),
            format!("--predicate-type={HOSTILE_TYPE}"),
        ]]
    );
}

#[cfg(unix)]
#[test]
fn an_artifact_path_cannot_become_an_option() {
    let ws = Workspace::base();
    ws.write(
        "platform/dash-signer.yaml",
        EXACT_SIGNER
            .replace("exact-signer", "dash-signer")
            .replace("\"web-*.tar.gz\"", "\"-*.tar.gz\""),
    );
    let out = export(
        &ws,
        &[
            "dash-signer",
            "--for",
            "cosign",
            "--artifact=--key=x.tar.gz",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.transcript());
    let (_dir, calls) = run_script(&out.stdout);
    assert_eq!(calls[0].first().map(String::as_str), Some("verify-blob"));
    assert_eq!(
        calls[0].get(1).map(String::as_str),
        Some("--bundle=./--key=x.tar.gz.sigstore.json")
    );
    assert_eq!(
        calls[0].last().map(String::as_str),
        Some("./--key=x.tar.gz")
    );
}

#[cfg(unix)]
#[test]
fn the_public_key_lands_in_its_file() {
    let ws = workspace_with(&[("platform/key-signer.yaml", KEY_SIGNER)]);
    let out = export(
        &ws,
        &[
            "key-signer",
            "--for",
            "cosign",
            "--artifact",
            "firmware-2.bin",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.transcript());
    let (dir, calls) = run_script(&out.stdout);
    let written = std::fs::read_to_string(dir.path().join("key-signer.pub")).expect("key file");
    assert_eq!(written, KEY_PEM);
    assert_eq!(
        calls,
        [vec![
            "verify-blob",
            "--bundle=firmware-2.bin.sigstore.json",
            "--key=key-signer.pub",
            "firmware-2.bin",
        ]]
    );
}

#[test]
fn hostile_values_stay_scalars_in_yaml() {
    let ws = workspace_with(&[("platform/hostile-signer.yaml", HOSTILE_SIGNER)]);
    let out = export(&ws, &["hostile-signer", "--for", "policy-controller"]);
    assert_eq!(out.code, 0, "{}", out.transcript());
    insta::assert_snapshot!("hostile_policy_controller", out.transcript());
    let policy = parse_yaml(&out.stdout);
    let authorities = policy["spec"]["authorities"]
        .as_array()
        .expect("authorities");
    assert_eq!(authorities.len(), 2);
    for authority in authorities {
        assert_eq!(
            authority["keyless"]["identities"],
            serde_json::json!([{"issuer": HOSTILE_ISSUER, "subject": HOSTILE_IDENTITY}])
        );
    }
    assert_eq!(
        authorities[1]["attestations"],
        serde_json::json!([{"name": "attestation-1", "predicateType": HOSTILE_TYPE}])
    );
    assert_eq!(
        policy["spec"]["images"],
        serde_json::json!([{"glob": "ghcr.io/acme/web*"}])
    );
}

#[test]
fn control_characters_refuse_the_export() {
    let ws = workspace_with(&[(
        "platform/hostile-signer.yaml",
        &HOSTILE_SIGNER.replace("# \\\\'", "\\n# \\\\'"),
    )]);
    for tool in ["cosign", "gh", "policy-controller"] {
        let out = export(&ws, &["hostile-signer", "--for", tool]);
        assert_eq!(out.code, 1, "{}", out.transcript());
        assert!(out.stdout.is_empty());
        assert_eq!(
            out.stderr,
            "error: `spec.keyless.identity` of `hostile-signer` holds U+000A, which cannot be exported safely\n"
        );
    }
}

#[test]
fn patterns_are_anchored_for_tools_that_search() {
    let ws = Workspace::base();
    // Anchored in a way plain `^...$` checks do not see: tenure accepts it,
    // and the export wraps it so that cosign cannot match a substring.
    ws.write(
        "platform/either-signer.yaml",
        EXACT_SIGNER
            .replace("exact-signer", "either-signer")
            .replace(
                "identity: https://github.com/acme/web/.github/workflows/release.yml@refs/tags/v1.0.0",
                r#"identityPattern: "^https://github\\.com/acme/(web|api)/\\.github/workflows/release\\.yml@refs/tags/v1\\.0\\.0$""#,
            ),
    );
    let out = export(&ws, &["either-signer", "--for", "cosign"]);
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert!(
        out.stdout.contains(
            r"--certificate-identity-regexp='^(?:^https://github\.com/acme/(web|api)/\.github/workflows/release\.yml@refs/tags/v1\.0\.0$)$'"
        ),
        "{}",
        out.stdout
    );
}

#[test]
fn gh_refuses_what_it_cannot_verify() {
    let ws = Workspace::base();
    ws.write(
        "platform/no-github.yaml",
        EXACT_SIGNER.replace("exact-signer", "no-github").replace(
            "    github:\n      repository: acme/web\n      workflow: .github/workflows/release.yml\n      refs: [refs/tags/v1.0.0]\n",
            "",
        ),
    );
    ws.write(
        "platform/no-attestations.yaml",
        EXACT_SIGNER
            .replace("exact-signer", "no-attestations")
            .replace("    predicateTypes: [https://slsa.dev/provenance/v1]\n", ""),
    );
    let out = super::common::check(&ws, &[]);
    assert_eq!(out.code, 0, "{}", out.transcript());
    let mut transcripts = String::new();
    for name in ["no-github", "no-attestations"] {
        let out = export(&ws, &[name, "--for", "gh"]);
        assert_eq!(out.code, 1, "{}", out.transcript());
        assert!(out.stdout.is_empty());
        transcripts.push_str(&out.transcript());
    }
    insta::assert_snapshot!("gh_refusals", transcripts);
}

#[test]
fn policy_controller_needs_images() {
    let ws = Workspace::base();
    // `pkg:oci/web@*` names no registry.
    let out = export(&ws, &["release-signer", "--for", "policy-controller"]);
    assert_eq!(out.code, 1, "{}", out.transcript());
    assert!(out.stdout.is_empty());
    insta::assert_snapshot!("policy_controller_no_image", out.transcript());

    let out = export(
        &ws,
        &[
            "release-signer",
            "--for",
            "policy-controller",
            "--image",
            "ghcr.io/acme/web*",
            "--image",
            "ghcr.io/acme/web-debug*",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.transcript());
    let policy = parse_yaml(&out.stdout);
    assert_eq!(
        policy["spec"]["images"],
        serde_json::json!([{"glob": "ghcr.io/acme/web*"}, {"glob": "ghcr.io/acme/web-debug*"}])
    );

    let out = export(
        &ws,
        &[
            "release-signer",
            "--for",
            "policy-controller",
            "--image",
            "ghcr.io/acme/web'\n",
        ],
    );
    assert_eq!(out.code, 2, "{}", out.transcript());
}

#[test]
fn operational_errors() {
    let ws = Workspace::base();
    let cases: &[&[&str]] = &[
        &["release-signr", "--for", "cosign"],
        &["deploy-bot", "--for", "cosign"],
        &["platform", "--for", "gh"],
        &[
            "release-signer",
            "--for",
            "policy-controller",
            "--artifact",
            "x",
        ],
        &["release-signer", "--for", "cosign", "--image", "x"],
        &["release-signer", "--for", "cosign", "--registry", "nowhere"],
    ];
    let mut transcripts = String::new();
    for args in cases {
        let out = export(&ws, args);
        assert_eq!(out.code, 2, "{}", out.transcript());
        assert!(out.stdout.is_empty());
        transcripts.push_str(&format!("$ tenure export {}\n", args.join(" ")));
        transcripts.push_str(&out.stderr);
    }
    insta::assert_snapshot!("operational_errors", transcripts);
}

#[test]
fn a_declaration_with_errors_is_not_exported() {
    let ws = Workspace::base();
    // Loads, but `tenure check` rejects the pattern.
    ws.write(
        "platform/loose-signer.yaml",
        EXACT_SIGNER.replace("exact-signer", "loose-signer").replace(
            "identity: https://github.com/acme/web/.github/workflows/release.yml@refs/tags/v1.0.0",
            "identityPattern: \"https://github.com/acme/.*\"",
        ),
    );
    // Does not load at all.
    ws.write(
        "platform/broken-signer.yaml",
        "apiVersion: tenure/v1\nkind: SigningKey\nmetadata: {name: broken-signer\n",
    );
    let mut transcripts = String::new();
    for name in ["loose-signer", "broken-signer"] {
        let out = export(&ws, &[name, "--for", "cosign"]);
        assert_eq!(out.code, 1, "{}", out.transcript());
        assert!(out.stdout.is_empty());
        transcripts.push_str(&out.transcript());
    }
    insta::assert_snapshot!("declaration_errors", transcripts);
}

#[test]
fn exports_from_a_revision() {
    let dir = tempfile::tempdir().expect("tempdir");
    let repo = dir.path().join("registry");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/fixture-repo.sh");
    let built = std::process::Command::new("bash")
        .arg(&script)
        .arg(&repo)
        .output()
        .expect("run scripts/fixture-repo.sh");
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    // Gone from the work tree, still in `v1`.
    std::fs::remove_dir_all(repo.join("identities/release")).expect("remove");
    let out = super::common::Tenure::new(&repo)
        .args(["export", "web-release", "--for", "cosign", "--rev", "v1"])
        .env("TENURE_NOW", NOW)
        .run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert!(
        out.stdout.starts_with(
            "# Exported by `tenure export web-release --for cosign` from v1:identities/release/web-release.yaml.\n"
        ),
        "{}",
        out.stdout
    );
    let out = super::common::Tenure::new(&repo)
        .args(["export", "web-release", "--for", "cosign"])
        .env("TENURE_NOW", NOW)
        .run();
    assert_eq!(out.code, 2, "{}", out.transcript());
}
