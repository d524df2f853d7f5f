//! `tenure-conformance`: tenure's verifier behind the command line of the
//! Sigstore client conformance suite
//! (<https://github.com/sigstore/sigstore-conformance>), so the suite's
//! cases run against exactly the code `tenure verify` uses.
//!
//! ```text
//! tenure-conformance verify-bundle [--staging] --bundle FILE
//!     (--certificate-identity ID --certificate-oidc-issuer URL | --key PEM_FILE)
//!     [--trusted-root FILE] FILE_OR_DIGEST
//! tenure-conformance sign-bundle [--staging] [--in-toto] --identity-token TOKEN
//!     --bundle OUT [--trusted-root FILE] [--signing-config FILE] FILE
//! ```
//!
//! `verify-bundle` exits 0 when the bundle verifies, 1 when it is rejected,
//! 2 on a usage or I/O error; `sign-bundle` exits 0 when the bundle is
//! written. The reason goes to stderr. Signing here applies no registry
//! policy: that is `tenure sign`'s job, on top of the same session code.

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
    /// Sign a file (or, with `--in-toto`, an in-toto statement) keyless.
    SignBundle(SignBundle),
}

#[derive(Debug, clap::Args)]
struct SignBundle {
    /// Use the Sigstore staging services and root.
    #[arg(long)]
    staging: bool,
    /// FILE is an in-toto statement to sign in a DSSE envelope.
    #[arg(long)]
    in_toto: bool,
    /// The OIDC identity token.
    #[arg(long)]
    identity_token: String,
    /// Where to write the bundle.
    #[arg(long)]
    bundle: PathBuf,
    /// The trusted root to check the new bundle against.
    #[arg(long)]
    trusted_root: Option<PathBuf>,
    /// A Sigstore SigningConfig naming the services.
    #[arg(long)]
    signing_config: Option<PathBuf>,
    /// The file to sign.
    file: PathBuf,
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
    let args = match cli.command {
        Command::VerifyBundle(args) => args,
        Command::SignBundle(args) => {
            return match sign(&args) {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => {
                    eprintln!("error: {error:#}");
                    ExitCode::from(1)
                }
            };
        }
    };
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

fn sign(args: &SignBundle) -> anyhow::Result<()> {
    use tenure_verifier::sign::{Services, Session};
    let services = match (&args.signing_config, args.staging) {
        (Some(path), _) => Services::from_signing_config(
            &std::fs::read_to_string(path)
                .with_context(|| format!("cannot read `{}`", path.display()))?,
        )?,
        (None, true) => Services::staging()?,
        (None, false) => Services::production()?,
    };
    let root = match (&args.trusted_root, args.staging) {
        (Some(path), _) => TrustRoot::from_file(path)?,
        (None, true) => TrustRoot::staging()?,
        (None, false) => TrustRoot::production()?,
    };
    let data = std::fs::read(&args.file)
        .with_context(|| format!("cannot read `{}`", args.file.display()))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let session = runtime.block_on(Session::start(services, &args.identity_token))?;
    let json = if args.in_toto {
        runtime.block_on(session.attest(&data))?
    } else {
        runtime.block_on(session.sign(ArtifactDigest::of(&data)))?
    };
    // Never hand out a bundle this verifier would reject.
    let bundle = Bundle::from_slice(json.as_bytes())?;
    if !args.in_toto {
        root.verify_keyless(&bundle, Artifact::Bytes(&data))?;
    }
    std::fs::write(&args.bundle, json)
        .with_context(|| format!("cannot write `{}`", args.bundle.display()))?;
    Ok(())
}
