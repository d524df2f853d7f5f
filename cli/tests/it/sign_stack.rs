//! `tenure sign` against the local Sigstore stack (`stack/sigstore`, started
//! by `scripts/test.sh`), and sigstore-python 4.5.1 as the independent client:
//! it must verify what tenure signs, and tenure must verify what it signs.
//!
//! Without the stack (`TENURE_SIGSTORE_STACK` unset, as under a bare `cargo
//! test`) these tests say so on stderr and return.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::common::{Output, Tenure};

const WORKFLOW_SAN: &str =
    "https://github.com/acme/web/.github/workflows/release.yml@refs/tags/v1.2.3";
const ISSUER: &str = "https://token.actions.githubusercontent.com";

/// The running stack's ready file, or a notice and `None`.
fn stack(test: &str) -> Option<serde_json::Value> {
    let Some(path) = std::env::var_os("TENURE_SIGSTORE_STACK") else {
        let _ = writeln!(
            std::io::stderr(),
            "notice: {test}: TENURE_SIGSTORE_STACK is unset (run scripts/test.sh); skipped"
        );
        return None;
    };
    let text = std::fs::read_to_string(&path).expect("stack ready file");
    Some(serde_json::from_str(&text).expect("stack ready JSON"))
}

fn field(stack: &serde_json::Value, key: &str) -> String {
    stack[key]
        .as_str()
        .unwrap_or_else(|| panic!("stack has no {key}"))
        .to_owned()
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A token the stack accepts, GitHub-Actions-shaped, from its test key.
fn token(stack: &serde_json::Value, extra: &[&str]) -> String {
    let out = Command::new("node")
        .arg(repo().join("stack/sigstore/mint-token.mjs"))
        .args(["mint", "--private", &field(stack, "oidc_private_key")])
        .args(["--repository", "acme/web", "--ref", "refs/tags/v1.2.3"])
        .args(["--workflow", ".github/workflows/release.yml"])
        .args(["--event", "push", "--runner", "github-hosted"])
        .args(extra)
        .output()
        .expect("run mint-token.mjs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .trim()
        .to_owned()
}

fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let reg = dir.path().join("identities");
    std::fs::create_dir_all(&reg).expect("mkdir");
    std::fs::write(
        reg.join("tenure.yaml"),
        "apiVersion: tenure/v1\nkind: Registry\nmetadata:\n  name: sign\n  owner: release\n  description: Signing tests.\nspec: {}\n",
    )
    .expect("write");
    std::fs::write(
        reg.join("release.yaml"),
        "apiVersion: tenure/v1\nkind: Team\nmetadata:\n  name: release\n  owner: release\n  description: Releases.\nspec:\n  members: [ada]\n",
    )
    .expect("write");
    std::fs::write(
        reg.join("web-release.yaml"),
        format!("apiVersion: tenure/v1\nkind: SigningKey\nmetadata:\n  name: web-release\n  owner: release\n  description: Web releases.\nspec:\n  created: 2026-01-01\n  expires: 2099-12-31\n  keyless:\n    issuer: {ISSUER}\n    identityPattern: \"^https://github\\\\.com/acme/web/\\\\.github/workflows/release\\\\.yml@refs/tags/v[0-9.]+$\"\n    github:\n      repository: acme/web\n      workflow: .github/workflows/release.yml\n      refs: [\"refs/tags/v*\"]\n      runner: github-hosted\n      triggers: [push]\n  allows:\n    artifacts: [\"web-*.tar.gz\"]\n    predicateTypes: [https://slsa.dev/provenance/v1]\n"),
    )
    .expect("write");
    for (name, bytes) in [
        ("web-1.2.3.tar.gz", &b"web release"[..]),
        ("web-1.2.3-docs.tar.gz", b"docs"),
    ] {
        std::fs::write(dir.path().join(name), bytes).expect("write");
    }
    dir
}

fn sign(
    dir: &Path,
    stack: &serde_json::Value,
    config: &str,
    token: &str,
    artifacts: &[&str],
) -> Output {
    Tenure::new(dir)
        .args([
            "sign",
            "--as",
            "web-release",
            "--format",
            "json",
            "--trust-config",
        ])
        .args([field(stack, config)])
        .args(artifacts)
        .env("SIGSTORE_ID_TOKEN", token)
        .run()
}

fn sigstore_python() -> Option<String> {
    std::env::var("TENURE_SIGSTORE_PYTHON").ok()
}

fn python_verifies(stack: &serde_json::Value, dir: &Path, artifact: &str, config: &str) -> bool {
    python_verifies_bundle(stack, dir, artifact, None, config)
}

/// Whether sigstore-python verifies `artifact` (with `bundle`, or the one
/// beside it) as the release workflow; true when it is not installed.
fn python_verifies_bundle(
    stack: &serde_json::Value,
    dir: &Path,
    artifact: &str,
    bundle: Option<&str>,
    config: &str,
) -> bool {
    let Some(sigstore) = sigstore_python() else {
        let _ = writeln!(
            std::io::stderr(),
            "notice: TENURE_SIGSTORE_PYTHON is unset; sigstore-python not run"
        );
        return true;
    };
    let mut cmd = Command::new(sigstore);
    cmd.current_dir(dir).args([
        "--trust-config",
        &field(stack, config),
        "verify",
        "identity",
    ]);
    if let Some(bundle) = bundle {
        cmd.args(["--bundle", bundle]);
    }
    let out = cmd
        .args([
            "--cert-identity",
            WORKFLOW_SAN,
            "--cert-oidc-issuer",
            ISSUER,
        ])
        .arg(artifact)
        .output()
        .expect("run sigstore-python");
    if !out.status.success() {
        eprintln!("sigstore-python: {}", String::from_utf8_lossy(&out.stderr));
    }
    out.status.success()
}

#[test]
fn signs_what_sigstore_python_and_tenure_verify() {
    let Some(stack) = stack("signs_what_sigstore_python_and_tenure_verify") else {
        return;
    };
    for config in ["trust_config", "trust_config_no_tsa"] {
        let dir = workspace();
        let token = token(&stack, &[]);
        let out = sign(
            dir.path(),
            &stack,
            config,
            &token,
            &["web-1.2.3.tar.gz", "web-1.2.3-docs.tar.gz"],
        );
        assert_eq!(out.code, 0, "{config}: {}", out.transcript());
        assert!(
            !out.stdout.contains(&token) && !out.stderr.contains(&token),
            "the token was printed"
        );
        let doc: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
        assert_eq!(doc["identity"], WORKFLOW_SAN);

        // Several artifacts share one certificate.
        let cert = |name: &str| {
            let b: serde_json::Value = serde_json::from_str(
                &std::fs::read_to_string(dir.path().join(format!("{name}.sigstore.json")))
                    .expect("bundle"),
            )
            .expect("json");
            assert_eq!(
                b["mediaType"],
                "application/vnd.dev.sigstore.bundle.v0.3+json"
            );
            assert_eq!(
                b["verificationMaterial"]["timestampVerificationData"]["rfc3161Timestamps"]
                    .as_array()
                    .map_or(0, Vec::len),
                usize::from(config == "trust_config"),
                "{config}"
            );
            b["verificationMaterial"]["certificate"]["rawBytes"].clone()
        };
        assert_eq!(cert("web-1.2.3.tar.gz"), cert("web-1.2.3-docs.tar.gz"));

        for artifact in ["web-1.2.3.tar.gz", "web-1.2.3-docs.tar.gz"] {
            assert!(
                python_verifies(&stack, dir.path(), artifact, config),
                "{config}: {artifact}"
            );
        }
        let verify = Tenure::new(dir.path())
            .args([
                "verify",
                "web-1.2.3.tar.gz",
                "web-1.2.3-docs.tar.gz",
                "--trusted-root",
            ])
            .args([field(&stack, "trusted_root")])
            .run();
        assert_eq!(verify.code, 0, "{config}: {}", verify.transcript());
    }
}

#[test]
fn verifies_what_sigstore_python_signs() {
    let Some(stack) = stack("verifies_what_sigstore_python_signs") else {
        return;
    };
    let Some(sigstore) = sigstore_python() else {
        let _ = writeln!(
            std::io::stderr(),
            "notice: TENURE_SIGSTORE_PYTHON is unset; skipped"
        );
        return;
    };
    let dir = workspace();
    let out = Command::new(sigstore)
        .current_dir(dir.path())
        .args(["--trust-config", &field(&stack, "trust_config"), "sign"])
        .args(["--identity-token", &token(&stack, &[])])
        .arg("web-1.2.3.tar.gz")
        .output()
        .expect("run sigstore-python");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let verify = Tenure::new(dir.path())
        .args([
            "verify",
            "web-1.2.3.tar.gz",
            "--format",
            "json",
            "--trusted-root",
        ])
        .args([field(&stack, "trusted_root")])
        .run();
    assert_eq!(verify.code, 0, "{}", verify.transcript());
    let doc: serde_json::Value = serde_json::from_str(&verify.stdout).expect("json");
    assert_eq!(doc["results"][0]["declaration"]["name"], "web-release");
    assert_eq!(
        doc["results"][0]["signer"]["runnerEnvironment"],
        "github-hosted"
    );
}

#[test]
fn a_self_hosted_run_is_refused_and_its_signature_rejected() {
    let Some(stack) = stack("a_self_hosted_run_is_refused_and_its_signature_rejected") else {
        return;
    };
    let dir = workspace();
    let token = token(&stack, &["--runner", "self-hosted"]);
    let out = sign(
        dir.path(),
        &stack,
        "trust_config",
        &token,
        &["web-1.2.3.tar.gz"],
    );
    assert_eq!(out.code, 1, "{}", out.transcript());
    assert!(
        out.stderr.contains("runner-not-allowed"),
        "{}",
        out.transcript()
    );
    assert!(!dir.path().join("web-1.2.3.tar.gz.sigstore.json").exists());

    // Signed anyway, by another client: tenure verify rejects it.
    let Some(sigstore) = sigstore_python() else {
        return;
    };
    let out = Command::new(sigstore)
        .current_dir(dir.path())
        .args(["--trust-config", &field(&stack, "trust_config"), "sign"])
        .args(["--identity-token", &token])
        .arg("web-1.2.3.tar.gz")
        .output()
        .expect("run sigstore-python");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let verify = Tenure::new(dir.path())
        .args([
            "verify",
            "web-1.2.3.tar.gz",
            "--format",
            "json",
            "--trusted-root",
        ])
        .args([field(&stack, "trusted_root")])
        .run();
    assert_eq!(verify.code, 1, "{}", verify.transcript());
    let doc: serde_json::Value = serde_json::from_str(&verify.stdout).expect("json");
    assert_eq!(doc["results"][0]["reason"], "runner-not-allowed");
}

#[test]
fn attests_slsa_provenance_from_the_actions_environment() {
    let Some(stack) = stack("attests_slsa_provenance_from_the_actions_environment") else {
        return;
    };
    let dir = workspace();
    let token = token(&stack, &[]);
    let attest = |predicate_type: &str| {
        Tenure::new(dir.path())
            .args([
                "attest",
                "web-1.2.3.tar.gz",
                "--as",
                "web-release",
                "--format",
                "json",
            ])
            .args(["--predicate-type", predicate_type, "--trust-config"])
            .args([field(&stack, "trust_config")])
            .env("SIGSTORE_ID_TOKEN", &token)
            .env("GITHUB_ACTIONS", "true")
            .env("GITHUB_SERVER_URL", "https://github.com")
            .env("GITHUB_REPOSITORY", "acme/web")
            .env("GITHUB_REF", "refs/tags/v1.2.3")
            .env("GITHUB_SHA", "0123456789abcdef0123456789abcdef01234567")
            .env(
                "GITHUB_WORKFLOW_REF",
                "acme/web/.github/workflows/release.yml@refs/tags/v1.2.3",
            )
            .env("GITHUB_EVENT_NAME", "push")
            .env("GITHUB_RUN_ID", "42")
            .env("RUNNER_ENVIRONMENT", "github-hosted")
            .run()
    };
    // A predicate type the declaration does not allow: refused first.
    let out = attest("https://spdx.dev/Document");
    assert_eq!(out.code, 1, "{}", out.transcript());
    assert!(
        out.stderr.contains("predicate-type-not-allowed"),
        "{}",
        out.transcript()
    );
    assert!(
        !dir.path()
            .join("web-1.2.3.tar.gz.intoto.sigstore.json")
            .exists()
    );

    let out = attest("slsa-provenance");
    assert_eq!(out.code, 0, "{}", out.transcript());
    let bundle_path = dir.path().join("web-1.2.3.tar.gz.intoto.sigstore.json");
    let bundle: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&bundle_path).expect("bundle"))
            .expect("json");
    let payload = bundle["dsseEnvelope"]["payload"].as_str().expect("payload");
    let statement: serde_json::Value = serde_json::from_slice(
        &base64::Engine::decode(&base64::engine::general_purpose::STANDARD, payload)
            .expect("base64"),
    )
    .expect("statement");
    assert_eq!(statement["predicateType"], "https://slsa.dev/provenance/v1");
    assert_eq!(statement["subject"][0]["name"], "web-1.2.3.tar.gz");
    assert_eq!(
        statement["predicate"]["buildDefinition"]["externalParameters"]["workflow"]["path"],
        ".github/workflows/release.yml"
    );

    let verify = Tenure::new(dir.path())
        .args([
            "verify",
            "web-1.2.3.tar.gz",
            "--bundle",
            "web-1.2.3.tar.gz.intoto.sigstore.json",
        ])
        .args(["--format", "json", "--trusted-root"])
        .args([field(&stack, "trusted_root")])
        .run();
    assert_eq!(verify.code, 0, "{}", verify.transcript());
    assert!(python_verifies_bundle(
        &stack,
        dir.path(),
        "web-1.2.3.tar.gz",
        Some("web-1.2.3.tar.gz.intoto.sigstore.json"),
        "trust_config"
    ));
}

#[test]
fn conformance_client_signs_per_the_protocol() {
    let Some(stack) = stack("conformance_client_signs_per_the_protocol") else {
        return;
    };
    let dir = workspace();
    let out = Command::new(env!("CARGO_BIN_EXE_tenure-conformance"))
        .current_dir(dir.path())
        .args(["sign-bundle", "--identity-token", &token(&stack, &[])])
        .args(["--bundle", "out.sigstore.json", "--trusted-root"])
        .arg(field(&stack, "trusted_root"))
        .arg("--signing-config")
        .arg(field(&stack, "signing_config"))
        .arg("web-1.2.3.tar.gz")
        .output()
        .expect("run tenure-conformance");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let verify = Command::new(env!("CARGO_BIN_EXE_tenure-conformance"))
        .current_dir(dir.path())
        .args(["verify-bundle", "--bundle", "out.sigstore.json"])
        .args([
            "--certificate-identity",
            WORKFLOW_SAN,
            "--certificate-oidc-issuer",
            ISSUER,
        ])
        .arg("--trusted-root")
        .arg(field(&stack, "trusted_root"))
        .arg("web-1.2.3.tar.gz")
        .output()
        .expect("run tenure-conformance");
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stderr)
    );
    assert!(python_verifies_bundle(
        &stack,
        dir.path(),
        "web-1.2.3.tar.gz",
        Some("out.sigstore.json"),
        "trust_config"
    ));
}

/// A PKCS#8 private key from `openssl genpkey`, and its public half as PEM.
fn openssl_key(dir: &Path, name: &str, args: &[&str]) -> String {
    let key = dir.join(format!("{name}.key"));
    let status = Command::new("openssl")
        .args(["genpkey", "-out"])
        .arg(&key)
        .args(args)
        .status()
        .expect("run openssl");
    assert!(status.success());
    let out = Command::new("openssl")
        .args(["pkey", "-pubout", "-in"])
        .arg(&key)
        .output()
        .expect("run openssl");
    assert!(out.status.success());
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn signs_with_declared_keys_and_never_prints_them() {
    let Some(stack) = stack("signs_with_declared_keys_and_never_prints_them") else {
        return;
    };
    let dir = workspace();
    for (name, algorithm, args) in [
        (
            "ec",
            "ecdsa-p256",
            &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"][..],
        ),
        ("ed", "ed25519", &["-algorithm", "ED25519"][..]),
    ] {
        let public = openssl_key(dir.path(), name, args);
        let pem: String = public.lines().map(|l| format!("      {l}\n")).collect();
        std::fs::write(
            dir.path().join(format!("identities/key-{name}.yaml")),
            format!("apiVersion: tenure/v1\nkind: SigningKey\nmetadata:\n  name: key-{name}\n  owner: release\n  description: A managed key.\nspec:\n  created: 2026-01-01\n  expires: 2099-12-31\n  publicKey:\n    algorithm: {algorithm}\n    pem: |\n{pem}  allows:\n    artifacts: [\"web-*.tar.gz\"]\n"),
        )
        .expect("write");
    }
    let sign = |key_name: &str, key_file: &str, artifact: &str| {
        Tenure::new(dir.path())
            .args([
                "sign",
                artifact,
                "--as",
                key_name,
                "--key",
                key_file,
                "--trust-config",
            ])
            .args([field(&stack, "trust_config")])
            .run()
    };
    let out = sign("key-ec", "ec.key", "web-1.2.3.tar.gz");
    assert_eq!(out.code, 0, "{}", out.transcript());
    let out = sign("key-ed", "ed.key", "web-1.2.3-docs.tar.gz");
    assert_eq!(out.code, 0, "{}", out.transcript());
    let verify = Tenure::new(dir.path())
        .args([
            "verify",
            "web-1.2.3.tar.gz",
            "web-1.2.3-docs.tar.gz",
            "--format",
            "json",
            "--trusted-root",
        ])
        .args([field(&stack, "trusted_root")])
        .run();
    assert_eq!(verify.code, 0, "{}", verify.transcript());
    let doc: serde_json::Value = serde_json::from_str(&verify.stdout).expect("json");
    assert_eq!(doc["results"][0]["declaration"]["name"], "key-ec");
    assert_eq!(doc["results"][1]["declaration"]["name"], "key-ed");

    // Another key than the declared one: refused before anything is sent.
    std::fs::remove_file(dir.path().join("web-1.2.3.tar.gz.sigstore.json")).expect("rm");
    let out = sign("key-ed", "ec.key", "web-1.2.3.tar.gz");
    assert_eq!(out.code, 1, "{}", out.transcript());
    assert!(
        out.stderr.contains("not the public key `key-ed` declares"),
        "{}",
        out.transcript()
    );
    assert!(!dir.path().join("web-1.2.3.tar.gz.sigstore.json").exists());

    // A malformed key is refused without quoting it.
    std::fs::write(
        dir.path().join("bad.key"),
        "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWtleS1tYXRlcmlhbA==\n-----END PRIVATE KEY-----\n",
    )
    .expect("write");
    let out = sign("key-ec", "bad.key", "web-1.2.3.tar.gz");
    assert_eq!(out.code, 2, "{}", out.transcript());
    assert!(
        !out.stderr.contains("c2VjcmV0") && !out.stdout.contains("c2VjcmV0"),
        "{}",
        out.transcript()
    );
}

#[test]
fn takes_the_github_actions_ambient_token() {
    use std::io::{BufRead as _, BufReader, Read as _};
    let Some(stack) = stack("takes_the_github_actions_ambient_token") else {
        return;
    };
    let dir = workspace();
    let token = token(&stack, &[]);
    // The Actions token service: one request, which must ask for audience
    // `sigstore` with the runner's bearer token.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let served = std::thread::spawn(move || {
        let (mut conn, _) = listener.accept().expect("accept");
        let mut reader = BufReader::new(conn.try_clone().expect("clone"));
        let mut head = Vec::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).expect("read");
            if line == "\r\n" || line.is_empty() {
                break;
            }
            head.push(line);
        }
        let body = format!("{{\"value\":\"{token}\"}}");
        let response = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        std::io::Write::write_all(&mut conn, response.as_bytes()).expect("write");
        let mut rest = Vec::new();
        let _ = reader.read_to_end(&mut rest);
        head
    });
    let out = Tenure::new(dir.path())
        .args([
            "sign",
            "web-1.2.3.tar.gz",
            "--as",
            "web-release",
            "--trust-config",
        ])
        .args([field(&stack, "trust_config_no_tsa")])
        .env(
            "ACTIONS_ID_TOKEN_REQUEST_URL",
            &format!("http://127.0.0.1:{port}/token?api-version=2.0"),
        )
        .env("ACTIONS_ID_TOKEN_REQUEST_TOKEN", "runner-bearer")
        .run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    let head = served.join().expect("token service");
    assert!(
        head[0].starts_with("GET /token?api-version=2.0&audience=sigstore "),
        "{head:?}"
    );
    assert!(
        head.iter()
            .any(|l| l.eq_ignore_ascii_case("authorization: bearer runner-bearer\r\n")),
        "{head:?}"
    );
}

#[test]
fn signs_as_the_named_key_when_another_allows_the_same_signer() {
    let Some(stack) = stack("signs_as_the_named_key_when_another_allows_the_same_signer") else {
        return;
    };
    let dir = workspace();
    // `a-web` sorts first and allows the same signer and artifacts.
    let twin = std::fs::read_to_string(dir.path().join("identities/web-release.yaml"))
        .expect("read")
        .replace("name: web-release", "name: a-web");
    std::fs::write(dir.path().join("identities/a-web.yaml"), twin).expect("write");
    let token = token(&stack, &[]);
    let out = sign(
        dir.path(),
        &stack,
        "trust_config_no_tsa",
        &token,
        &["web-1.2.3.tar.gz"],
    );
    assert_eq!(out.code, 0, "{}", out.transcript());
    // A second run over `*`: the bundle of the first is not an artifact.
    let out = sign(
        dir.path(),
        &stack,
        "trust_config_no_tsa",
        &token,
        &[
            "web-1.2.3-docs.tar.gz",
            "web-1.2.3.tar.gz",
            "web-1.2.3.tar.gz.sigstore.json",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.transcript());
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(doc["signed"].as_array().map(Vec::len), Some(2), "{doc:#}");
}
