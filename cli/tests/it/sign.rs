//! `tenure sign`: refusals happen before anything is sent. These tests point
//! the signing services at a closed port, so a request would fail with a
//! connection error instead of the refusal they expect.

use std::path::Path;

use base64::Engine as _;

use super::common::{Output, Tenure};

const ISSUER: &str = "https://token.actions.githubusercontent.com";

fn jwt(claims: &serde_json::Value) -> String {
    let b64 = |v: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v);
    format!(
        "{}.{}.{}",
        b64(br#"{"alg":"ES256","typ":"JWT"}"#),
        b64(claims.to_string().as_bytes()),
        b64(b"not-a-signature")
    )
}

fn claims() -> serde_json::Value {
    serde_json::json!({
        "iss": ISSUER,
        "aud": "sigstore",
        "sub": "repo:acme/web:ref:refs/tags/v1.2.3",
        "exp": 4_000_000_000_i64,
        "repository": "acme/web",
        "ref": "refs/tags/v1.2.3",
        "sha": "0123456789abcdef0123456789abcdef01234567",
        "job_workflow_ref": "acme/web/.github/workflows/release.yml@refs/tags/v1.2.3",
        "workflow_ref": "acme/web/.github/workflows/release.yml@refs/tags/v1.2.3",
        "runner_environment": "github-hosted",
        "event_name": "push",
        "run_id": "42",
    })
}

fn key(edits: &[(&str, &str)]) -> String {
    let mut yaml = format!(
        "apiVersion: tenure/v1\nkind: SigningKey\nmetadata:\n  name: web-release\n  owner: release\n  description: Web releases.\nspec:\n  created: 2026-01-01\n  expires: 2099-12-31\n  keyless:\n    issuer: {ISSUER}\n    identityPattern: \"^https://github\\\\.com/acme/web/\\\\.github/workflows/release\\\\.yml@refs/tags/v[0-9.]+$\"\n    github:\n      repository: acme/web\n      workflow: .github/workflows/release.yml\n      refs: [\"refs/tags/v*\"]\n      runner: github-hosted\n      triggers: [push]\n  allows:\n    artifacts: [\"web-*.tar.gz\"]\n"
    );
    for (from, to) in edits {
        assert!(yaml.contains(from), "`{from}` not in the key");
        yaml = yaml.replacen(from, to, 1);
    }
    yaml
}

struct Scene {
    dir: tempfile::TempDir,
}

impl Scene {
    fn new(key_yaml: &str) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let reg = dir.path().join("identities");
        std::fs::create_dir_all(reg.join("signing")).expect("mkdir");
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
        std::fs::write(reg.join("signing/web-release.yaml"), key_yaml).expect("write");
        std::fs::write(dir.path().join("web-1.2.3.tar.gz"), b"release bytes").expect("write");
        std::fs::write(dir.path().join("api-1.0.tar.gz"), b"other bytes").expect("write");
        // Services on a port nothing listens on: any request fails loudly.
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../verifier/tests/data/conformance/rekor2-happy-path/trusted_root.json");
        let root: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(root).expect("root")).expect("json");
        let service = |url: &str| serde_json::json!([{"url": url, "majorApiVersion": 1, "validFor": {"start": "2020-01-01T00:00:00Z"}, "operator": "closed"}]);
        let config = serde_json::json!({
            "mediaType": "application/vnd.dev.sigstore.clienttrustconfig.v0.1+json",
            "trustedRoot": root,
            "signingConfig": {
                "mediaType": "application/vnd.dev.sigstore.signingconfig.v0.2+json",
                "caUrls": service("http://127.0.0.1:9"),
                "oidcUrls": [],
                "rekorTlogUrls": service("http://127.0.0.1:9"),
                "tsaUrls": [],
                "rekorTlogConfig": {"selector": "ANY"},
                "tsaConfig": {"selector": "ANY"}
            }
        });
        std::fs::write(dir.path().join("trust.json"), config.to_string()).expect("write");
        Self { dir }
    }

    fn sign(&self, token: &str, artifacts: &[&str]) -> Output {
        Tenure::new(self.dir.path())
            .args([
                "sign",
                "--as",
                "web-release",
                "--trust-config",
                "trust.json",
            ])
            .args(artifacts)
            .env("SIGSTORE_ID_TOKEN", token)
            .run()
    }
}

/// A refusal: exit 1, the reason, no bundle, and nothing sent.
fn refused(out: &Output, reason: &str, scene: &Scene) {
    assert_eq!(out.code, 1, "{}", out.transcript());
    assert!(out.stderr.contains(reason), "{}", out.transcript());
    assert!(
        out.stderr.contains("nothing was sent to Fulcio or Rekor"),
        "{}",
        out.transcript()
    );
    let bundles = std::fs::read_dir(scene.dir.path())
        .expect("list")
        .filter(|e| {
            e.as_ref()
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .ends_with(".sigstore.json")
        })
        .count();
    assert_eq!(bundles, 0, "a bundle was written");
}

#[test]
fn each_refusal_happens_before_any_request() {
    let token = jwt(&claims());
    let scene = Scene::new(&key(&[]));
    // The declared identity gets past the checks and reaches Fulcio, which
    // is not there: the proof that the checks above stop earlier.
    let out = scene.sign(&token, &["web-1.2.3.tar.gz"]);
    assert_eq!(out.code, 2, "{}", out.transcript());
    assert!(out.stderr.contains("Fulcio"), "{}", out.transcript());

    refused(
        &scene.sign(&token, &["web-1.2.3.tar.gz", "api-1.0.tar.gz"]),
        "artifact-out-of-scope",
        &scene,
    );

    let expired = Scene::new(&key(&[("expires: 2099-12-31", "expires: 2026-01-31")]));
    refused(
        &expired.sign(&token, &["web-1.2.3.tar.gz"]),
        "declaration-expired",
        &expired,
    );

    let mut other = claims();
    other["repository"] = "acme/fork".into();
    refused(
        &scene.sign(&jwt(&other), &["web-1.2.3.tar.gz"]),
        "repository-not-allowed",
        &scene,
    );

    let mut self_hosted = claims();
    self_hosted["runner_environment"] = "self-hosted".into();
    refused(
        &scene.sign(&jwt(&self_hosted), &["web-1.2.3.tar.gz"]),
        "runner-not-allowed",
        &scene,
    );

    let mut branch = claims();
    branch["job_workflow_ref"] = "acme/web/.github/workflows/release.yml@refs/heads/main".into();
    refused(
        &scene.sign(&jwt(&branch), &["web-1.2.3.tar.gz"]),
        "undeclared-signer",
        &scene,
    );

    let mut google = claims();
    google["iss"] = "https://accounts.google.com".into();
    refused(
        &scene.sign(&jwt(&google), &["web-1.2.3.tar.gz"]),
        "undeclared-signer",
        &scene,
    );

    let out = Tenure::new(scene.dir.path())
        .args([
            "sign",
            "--as",
            "nobody",
            "--trust-config",
            "trust.json",
            "web-1.2.3.tar.gz",
        ])
        .env("SIGSTORE_ID_TOKEN", &token)
        .run();
    refused(&out, "no SigningKey is named `nobody`", &scene);
}

#[test]
fn bad_tokens_are_refused_and_never_printed() {
    let scene = Scene::new(&key(&[]));
    let mut old = claims();
    old["exp"] = 1_000_000_000.into();
    let token = jwt(&old);
    let out = scene.sign(&token, &["web-1.2.3.tar.gz"]);
    assert_eq!(out.code, 2, "{}", out.transcript());
    assert!(
        out.stderr.contains("the identity token expired"),
        "{}",
        out.transcript()
    );
    assert!(!out.stderr.contains(&token) && !out.stdout.contains(&token));

    let out = scene.sign("not-a-jwt-secret-value", &["web-1.2.3.tar.gz"]);
    assert_eq!(out.code, 2, "{}", out.transcript());
    assert!(
        !out.stderr.contains("not-a-jwt-secret-value"),
        "{}",
        out.transcript()
    );
}
