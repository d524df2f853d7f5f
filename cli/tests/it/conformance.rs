//! Every case of the Sigstore client conformance suite we hold, run through
//! `tenure-conformance verify-bundle` as the suite runs a client: once with
//! the artifact's path and once with its `sha256:` digest. Cases named
//! `*_fail` must be rejected, all others verified.
//!
//! The vendored copy (`verifier/tests/data/conformance/`) always runs; the
//! cases in `../shared/conformance/` beside the repository run too when that
//! folder exists, and a notice says so when it does not.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

const DEFAULT_IDENTITY: &str = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
const DEFAULT_ISSUER: &str = "https://token.actions.githubusercontent.com";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Run every case folder under `root`; returns how many cases ran.
fn run_suite(root: &Path) -> usize {
    let mut folders: Vec<PathBuf> = std::fs::read_dir(root)
        .expect("list cases")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.join("bundle.sigstore.json").is_file())
        .collect();
    folders.sort();
    let mut failures = Vec::new();
    for case in &folders {
        let name = case
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let must_fail = name.ends_with("_fail");
        let artifact = if case.join("artifact").is_file() {
            case.join("artifact")
        } else {
            root.join("a.txt")
        };
        let digest = {
            let data = std::fs::read(&artifact).expect("artifact");
            tenure_verifier::ArtifactDigest::of(&data).to_string()
        };
        let read = |file: &str| {
            std::fs::read_to_string(case.join(file))
                .ok()
                .map(|s| s.trim().to_owned())
        };
        for input in [artifact.display().to_string(), digest] {
            let mut cmd = Command::new(env!("CARGO_BIN_EXE_tenure-conformance"));
            cmd.arg("verify-bundle")
                .arg("--bundle")
                .arg(case.join("bundle.sigstore.json"));
            if case.join("key.pub").is_file() {
                cmd.arg("--key").arg(case.join("key.pub"));
            } else {
                cmd.arg("--certificate-identity")
                    .arg(read("identity").unwrap_or_else(|| DEFAULT_IDENTITY.to_owned()))
                    .arg("--certificate-oidc-issuer")
                    .arg(read("issuer").unwrap_or_else(|| DEFAULT_ISSUER.to_owned()));
            }
            if case.join("trusted_root.json").is_file() {
                cmd.arg("--trusted-root")
                    .arg(case.join("trusted_root.json"));
            }
            cmd.arg(&input);
            let out = cmd.output().expect("run tenure-conformance");
            let verified = out.status.success();
            if verified == must_fail {
                failures.push(format!(
                    "{name} ({}): expected {}, exit {:?}: {}",
                    if input.starts_with("sha256:") {
                        "digest"
                    } else {
                        "path"
                    },
                    if must_fail {
                        "rejection"
                    } else {
                        "verification"
                    },
                    out.status.code(),
                    String::from_utf8_lossy(&out.stderr).trim()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "conformance failures:\n{}",
        failures.join("\n")
    );
    folders.len()
}

#[test]
fn vendored_conformance_cases() {
    let ran = run_suite(&repo().join("verifier/tests/data/conformance"));
    assert!(ran >= 20, "only {ran} vendored cases found");
}

#[test]
fn shared_conformance_cases() {
    let shared = repo().join("../shared/conformance");
    if !shared.is_dir() {
        // Written past the test harness's capture, so it shows in the log.
        let _ = writeln!(
            std::io::stderr(),
            "notice: {} is absent; the shared conformance cases were skipped",
            shared.display()
        );
        return;
    }
    let ran = run_suite(&shared);
    assert!(ran > 0, "no cases in {}", shared.display());
}
