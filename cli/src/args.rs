//! Command-line arguments. Doc comments here are the `--help` text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Machine identities and signing keys as reviewed declarations with an owner
/// and an end date.
#[derive(Debug, Parser)]
#[command(name = "tenure", version, about, long_about = None, max_term_width = 100)]
pub(crate) struct Cli {
    /// When to use colour in human output; `NO_COLOR` turns it off.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub(crate) color: ColorChoice,

    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Validate a registry: schema, names, owners, terms, lapsed and soon-lapsing entries.
    Check(CheckArgs),
    /// Print the JSON Schema of a kind, or of every kind.
    Schema(SchemaArgs),
    /// Explain a diagnostic code or a rule.
    Explain(ExplainArgs),
    /// List the policy rules, their codes, OWASP risks and severity in this registry.
    Rules(RulesArgs),
    /// What a change grants and revokes, declaration by declaration (BASE to HEAD or the work tree).
    Diff(crate::commands::diff::DiffArgs),
    /// The history of one declaration from Git, following renames.
    Log(crate::commands::log::LogArgs),
    /// Write `.github/CODEOWNERS` so each declaration needs its owner team's review.
    Codeowners(crate::commands::codeowners::CodeownersArgs),
    /// Turn a repository into a registry: `tenure.yaml`, a first team, CODEOWNERS, a workflow.
    Init(crate::commands::init::InitArgs),
    /// Scaffold a declaration, with the longest expiry the policy allows.
    New(crate::commands::new::NewArgs),
    /// Extend a declaration's term, editing `expires` in place.
    Renew(crate::commands::renew::RenewArgs),
    /// Sign artifacts keyless with Sigstore, only as a SigningKey the registry declares.
    Sign(crate::commands::sign::SignArgs),
    /// Attest an artifact (in-toto statement in a DSSE envelope), keyless, as a declared SigningKey.
    Attest(crate::commands::attest::AttestArgs),
    /// Verify Sigstore bundles cryptographically and against the registry's declarations.
    Verify(crate::commands::verify::VerifyArgs),
    /// Print a SigningKey as `cosign`, `gh attestation` or policy-controller verification policy.
    Export(crate::commands::export::ExportArgs),
    /// Show the Sigstore trusted root in use, or refresh it through TUF.
    Trust(crate::commands::trust::TrustArgs),
}

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// The registry folder (the one holding `tenure.yaml`). Default: found from
    /// the current folder upwards, also looking into `identities/`.
    pub(crate) path: Option<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub(crate) format: Format,

    /// Read the registry as it is at this Git revision (branch, tag, commit)
    /// instead of the work tree; no checkout needed, a bare repository works.
    #[arg(long, value_name = "REV")]
    pub(crate) rev: Option<String>,

    /// Treat this instant as now (`2026-07-01` or RFC 3339), for tests and replay.
    #[arg(long, env = "TENURE_NOW", value_name = "TIME")]
    pub(crate) now: Option<String>,

    /// Report every lapsed entry as an error, not only those in changed files.
    #[arg(long)]
    pub(crate) strict: bool,

    /// A file changed by the pull request under review (repeatable); lapsed
    /// entries in changed files are errors.
    #[arg(long, value_name = "PATH")]
    pub(crate) changed: Vec<PathBuf>,

    /// Read changed files, one per line, from FILE (`-` for stdin), e.g. from
    /// `git diff --name-only origin/main...`.
    #[arg(long, value_name = "FILE")]
    pub(crate) changed_from: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct SchemaArgs {
    /// The kind; omit for the schema that covers every kind.
    #[arg(value_enum)]
    pub(crate) kind: Option<SchemaKind>,
}

#[derive(Debug, Args)]
pub(crate) struct ExplainArgs {
    /// A code, such as `unknown-owner`, or a rule, such as `federation-pinning`;
    /// omit to list every code.
    pub(crate) code: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct RulesArgs {
    /// The registry folder whose `tenure.yaml` sets severities. Default: found
    /// from the current folder upwards, as for `check`.
    pub(crate) path: Option<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub(crate) format: ListFormat,

    /// Read the registry as it is at this Git revision (branch, tag, commit)
    /// instead of the work tree; no checkout needed, a bare repository works.
    #[arg(long, value_name = "REV")]
    pub(crate) rev: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ListFormat {
    /// A table.
    Human,
    /// One JSON document.
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum SchemaKind {
    Registry,
    Team,
    Identity,
    SigningKey,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// Diagnostics with the source line and a caret, on stderr.
    Human,
    /// One JSON document on stdout.
    Json,
    /// GitHub Actions workflow commands (annotations) on stdout.
    Github,
    /// SARIF 2.1.0 on stdout, for GitHub code scanning.
    Sarif,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorChoice {
    Auto,
    Always,
    Never,
}
