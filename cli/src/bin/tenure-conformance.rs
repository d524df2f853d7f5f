//! `tenure-conformance`: tenure's verifier behind the command line of the
//! Sigstore client conformance suite
//! (<https://github.com/sigstore/sigstore-conformance>), so the suite's
//! cases run against exactly the code `tenure verify` uses.
//!
//! ```text
//! tenure-conformance verify-bundle [--staging] --bundle FILE
//!     (--certificate-identity ID --certificate-oidc-issuer URL | --key PEM_FILE)
//!     [--trusted-root FILE] FILE_OR_DIGEST
//! ```
//!
//! Exit status 0 when the bundle verifies, 1 when it is rejected, 2 on a
//! usage or I/O error. The reason goes to stderr.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use clap::{Parser, Subcommand};
use tenure_verifier::{
    Artifact, ArtifactDigest, Bundle, MAX_BUNDLE_BYTES, Reason, Rejection, Signer, TrustRoot,
    VerifyingKey,
};

#[derive(Debug, Parser)]
#[command(
    name = "tenure-conformance",
    version,
    about = "Sigstore conformance client for tenure's verifier"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Verify a bundle for a file or a `sha256:<hex>` digest.
    VerifyBundle(VerifyBundle),
}

#[derive(Debug, clap::Args)]
struct VerifyBundle {
    /// Use the embedded Sigstore staging root.
    #[arg(long)]
    staging: bool,
    /// The bundle.
    #[arg(long)]
    bundle: PathBuf,
    /// The certificate identity (SAN) required.
    #[arg(long, requires = "certificate_oidc_issuer", conflicts_with = "key")]
    certificate_identity: Option<String>,
    /// The OIDC issuer required.
    #[arg(long, requires = "certificate_identity")]
    certificate_oidc_issuer: Option<String>,
    /// A PEM public key, for managed-key bundles.
    #[arg(long, required_unless_present = "certificate_identity")]
    key: Option<PathBuf>,
    /// A trusted root file instead of the embedded one.
    #[arg(long, conflicts_with = "staging")]
    trusted_root: Option<PathBuf>,
    /// The artifact: a path, or `sha256:<hex>`.
    file_or_digest: String,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let Command::VerifyBundle(args) = cli.command;
    match verify(&args) {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(rejection)) => {
            eprintln!("rejected: {rejection}");
            ExitCode::from(1)
        }
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn verify(args: &VerifyBundle) -> anyhow::Result<Result<(), Rejection>> {
    let root = match (&args.trusted_root, args.staging) {
        (Some(path), _) => TrustRoot::from_file(path)?,
        (None, true) => TrustRoot::staging()?,
        (None, false) => TrustRoot::production()?,
    };
    let bytes = match tenure_verifier::read_capped(&args.bundle, MAX_BUNDLE_BYTES) {
        Ok(bytes) => bytes,
        Err(tenure_verifier::ReadError::TooLarge) => {
            return Ok(Err(Rejection::new(
                Reason::MalformedBundle,
                "the bundle is too large",
            )));
        }
        Err(e) => {
            return Err(e).with_context(|| format!("cannot read `{}`", args.bundle.display()));
        }
    };
    let bundle = match Bundle::from_slice(&bytes) {
        Ok(bundle) => bundle,
        Err(rejection) => return Ok(Err(rejection)),
    };
    let data;
    let artifact = if args.file_or_digest.starts_with("sha256:") {
        Artifact::Digest(args.file_or_digest.parse::<ArtifactDigest>()?)
    } else {
        data = std::fs::read(Path::new(&args.file_or_digest))
            .with_context(|| format!("cannot read `{}`", args.file_or_digest))?;
        Artifact::Bytes(&data)
    };
    if let Some(key) = &args.key {
        let pem = std::fs::read_to_string(key)
            .with_context(|| format!("cannot read `{}`", key.display()))?;
        let key = VerifyingKey::from_pem(&pem)?;
        return Ok(root.verify_with_key(&bundle, artifact, &key).map(drop));
    }
    let (Some(identity), Some(issuer)) =
        (&args.certificate_identity, &args.certificate_oidc_issuer)
    else {
        bail!("give --certificate-identity and --certificate-oidc-issuer, or --key");
    };
    let verified = match root.verify_keyless(&bundle, artifact) {
        Ok(verified) => verified,
        Err(rejection) => return Ok(Err(rejection)),
    };
    let Signer::Certificate(cert) = &verified.signer else {
        bail!("a keyless verification returned no certificate");
    };
    if cert.identity != *identity || cert.issuer.as_deref() != Some(issuer.as_str()) {
        return Ok(Err(Rejection::new(
            Reason::IdentityMismatch,
            format!(
                "signed by `{}` from `{}`",
                cert.identity,
                cert.issuer.as_deref().unwrap_or("no issuer")
            ),
        )));
    }
    Ok(Ok(()))
}
