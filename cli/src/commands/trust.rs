//! `tenure trust show|update`: the Sigstore trusted root `tenure verify`
//! relies on.
//!
//! Verification is offline: the production root is embedded at build time.
//! When Sigstore rotates a key, `tenure trust update --out FILE` fetches the
//! current root through Sigstore's TUF repository (which checks it against
//! the TUF root of trust shipped in the binary) and writes it to a file that
//! can be reviewed and committed, then passed to `tenure verify
//! --trusted-root FILE` or `TENURE_TRUSTED_ROOT`. The fetch needs the `tuf`
//! cargo feature; `show` works in every build.

use std::io::Write;
use std::path::PathBuf;

use serde_json::json;
use tenure_verifier::TrustRoot;

use crate::ExitStatus;

#[derive(Debug, clap::Args)]
pub(crate) struct TrustArgs {
    #[command(subcommand)]
    command: TrustCommand,
}

#[derive(Debug, clap::Subcommand)]
enum TrustCommand {
    /// The services a trusted root trusts (Fulcio, Rekor, CT logs, timestamp
    /// authorities), each with its validity window.
    Show(ShowArgs),
    /// Fetch the current trusted root through Sigstore's TUF repository,
    /// check it, and write it to a file (needs the `tuf` cargo feature).
    Update(UpdateArgs),
}

#[derive(Debug, clap::Args)]
struct ShowArgs {
    /// A trusted root file instead of the embedded production root.
    #[arg(
        long,
        env = "TENURE_TRUSTED_ROOT",
        value_name = "FILE",
        conflicts_with = "staging"
    )]
    trusted_root: Option<PathBuf>,

    /// The embedded Sigstore staging root.
    #[arg(long)]
    staging: bool,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ShowFormat::Human)]
    format: ShowFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum ShowFormat {
    /// A table.
    Human,
    /// One JSON document.
    Json,
}

#[derive(Debug, clap::Args)]
struct UpdateArgs {
    /// The Sigstore staging instance instead of production.
    #[arg(long)]
    staging: bool,

    /// Where to write the trusted root (replaced atomically).
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
}

pub(crate) fn run(args: &TrustArgs, stdout: &mut dyn Write) -> anyhow::Result<ExitStatus> {
    match &args.command {
        TrustCommand::Show(args) => show(args, stdout),
        TrustCommand::Update(args) => update(args, stdout),
    }
}

fn show(args: &ShowArgs, out: &mut dyn Write) -> anyhow::Result<ExitStatus> {
    let root = match (&args.trusted_root, args.staging) {
        (Some(path), _) => TrustRoot::from_file(path)?,
        (None, true) => TrustRoot::staging()?,
        (None, false) => TrustRoot::production()?,
    };
    let authorities = root.authorities();
    let time = |t: Option<jiff::Timestamp>| t.map(|t| t.to_string());
    match args.format {
        ShowFormat::Json => {
            let doc = json!({
                "trustedRoot": root.origin().to_string(),
                "authorities": authorities.iter().map(|a| json!({
                    "role": a.role,
                    "url": a.url,
                    "validFrom": time(a.valid_from),
                    "validUntil": time(a.valid_until),
                })).collect::<Vec<_>>(),
            });
            serde_json::to_writer_pretty(&mut *out, &doc)?;
            writeln!(out)?;
        }
        ShowFormat::Human => {
            writeln!(out, "trusted root: {}", root.origin())?;
            let width = authorities.iter().map(|a| a.url.len()).max().unwrap_or(0);
            for a in &authorities {
                let from = time(a.valid_from).unwrap_or_else(|| "always".into());
                let until = time(a.valid_until).unwrap_or_else(|| "now".into());
                writeln!(out, "  {:<19} {:<width$}  {from} to {until}", a.role, a.url)?;
            }
        }
    }
    Ok(ExitStatus::Success)
}

#[cfg(not(feature = "tuf"))]
fn update(_args: &UpdateArgs, _out: &mut dyn Write) -> anyhow::Result<ExitStatus> {
    anyhow::bail!(
        "this tenure was built without TUF support; rebuild with `cargo build --features tuf`, or fetch `trusted_root.json` with another Sigstore client and pass it with `--trusted-root`"
    )
}

#[cfg(feature = "tuf")]
fn update(args: &UpdateArgs, out: &mut dyn Write) -> anyhow::Result<ExitStatus> {
    use anyhow::Context as _;
    use sigstore_trust_root::{TrustedRoot, TufConfig};

    let config = if args.staging {
        TufConfig::staging()
    } else {
        TufConfig::production()
    }
    // The user's cache would be one more writable input to trust; the fetch
    // starts from the TUF root embedded in the binary every time.
    .without_cache();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the runtime for the TUF client")?;
    let root = runtime
        .block_on(TrustedRoot::from_tuf(config))
        .context("cannot fetch the trusted root through TUF")?;
    let json = serde_json::to_string_pretty(&root)?;
    // Refuse to write a root the verifier could not use.
    let checked =
        TrustRoot::from_json(&json, tenure_verifier::TrustOrigin::File(args.out.clone()))?;
    crate::commands::codeowners::write_atomically(&args.out, format!("{json}\n").as_bytes())?;
    writeln!(
        out,
        "wrote {} ({} authorities); verify with `--trusted-root {}` or TENURE_TRUSTED_ROOT",
        args.out.display(),
        checked.authorities().len(),
        args.out.display()
    )?;
    Ok(ExitStatus::Success)
}
