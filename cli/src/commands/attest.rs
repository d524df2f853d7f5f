//! `tenure attest ARTIFACT --as NAME --predicate-type TYPE`: an in-toto
//! Statement v1 about the artifact, signed keyless in a DSSE envelope, only
//! as a SigningKey whose `allows.predicateTypes` holds TYPE.
//!
//! `--predicate-type slsa-provenance` builds a SLSA Provenance v1 predicate
//! from the GitHub Actions environment, as GitHub's own build provenance
//! does; any other type takes its predicate from `--predicate FILE`.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context as _, bail};
use serde_json::{Value, json};
use tenure_verifier::sign::Session;
use tenure_verifier::{Artifact, ArtifactDigest, Bundle, Statement};

use crate::ExitStatus;
use crate::commands::sign::{
    NOTHING_SENT, ONLY_CERTIFIED, Prepared, SignFormat, SigningOptions, at_now, prepare, refuse,
};

/// The SLSA Provenance v1 predicate type.
const SLSA_PROVENANCE: &str = "https://slsa.dev/provenance/v1";

/// Predicates are JSON documents, not artifacts.
const MAX_PREDICATE_BYTES: u64 = 16 << 20;

#[derive(Debug, clap::Args)]
pub(crate) struct AttestArgs {
    /// The artifact the statement is about (its subject).
    #[arg(value_name = "ARTIFACT")]
    pub(crate) artifact: PathBuf,

    /// The predicate type URI, or `slsa-provenance` for SLSA Provenance v1
    /// built from the GitHub Actions environment.
    #[arg(long, value_name = "TYPE")]
    pub(crate) predicate_type: String,

    /// The predicate, a JSON file. Default: `{}` (or the built provenance).
    #[arg(long, value_name = "FILE")]
    pub(crate) predicate: Option<PathBuf>,

    /// Where to write the bundle. Default: `ARTIFACT.intoto.sigstore.json`.
    #[arg(long, value_name = "FILE")]
    pub(crate) bundle: Option<PathBuf>,

    #[command(flatten)]
    pub(crate) signing: SigningOptions,
}

pub(crate) fn run(
    args: &AttestArgs,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> anyhow::Result<ExitStatus> {
    let opts = &args.signing;
    let path = &args.artifact;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .with_context(|| format!("`{}` is not a file", path.display()))?;
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot read `{}`", path.display()))?;
    let digest = ArtifactDigest::of_reader(file)
        .with_context(|| format!("cannot read `{}`", path.display()))?;
    let (predicate_type, predicate) = predicate(args)?;
    let statement = json!({
        "_type": "https://in-toto.io/Statement/v1",
        "subject": [{"name": name, "digest": {"sha256": digest.hex()}}],
        "predicateType": predicate_type,
        "predicate": predicate,
    });
    let statement_bytes = serde_json::to_vec(&statement)?;
    let bundle_path = args.bundle.clone().unwrap_or_else(|| {
        let mut b = path.clone().into_os_string();
        b.push(".intoto.sigstore.json");
        PathBuf::from(b)
    });

    let Prepared {
        runtime,
        services,
        root,
        policy,
        token,
        expected,
        now,
    } = prepare(opts)?;
    let with_statement = |mut v: tenure_verifier::Verified| {
        v.statement = Some(Statement {
            predicate_type: predicate_type.clone(),
            subjects: vec![(name.clone(), Some(digest))],
        });
        v
    };
    let what = format!("attest `{}`", path.display());
    let claimed = with_statement(at_now(expected, now, digest));
    if let Err(rejection) = policy.authorize_as(&opts.name, &claimed, Some(&name)) {
        return refuse(stderr, &what, &opts.name, &rejection, NOTHING_SENT);
    }

    let session = runtime.block_on(Session::start(services, &token))?;
    let certified = with_statement(at_now(session.identity().clone(), now, digest));
    if let Err(rejection) = policy.authorize_as(&opts.name, &certified, Some(&name)) {
        let what = format!("{what} with the certificate Fulcio issued");
        return refuse(stderr, &what, &opts.name, &rejection, ONLY_CERTIFIED);
    }
    let json = runtime
        .block_on(session.attest(&statement_bytes))
        .with_context(|| format!("cannot attest `{}`", path.display()))?;
    let bundle = Bundle::from_slice(json.as_bytes())
        .map_err(|r| anyhow::anyhow!("the attestation bundle is malformed: {r}"))?;
    let verified = root
        .verify_keyless(&bundle, Artifact::Digest(digest))
        .map_err(|r| anyhow::anyhow!("the attestation does not verify: {r}"))?;
    policy
        .authorize_as(&opts.name, &verified, Some(&name))
        .map_err(|r| anyhow::anyhow!("the attestation is not allowed as `{}`: {r}", opts.name))?;
    crate::commands::codeowners::write_atomically(&bundle_path, format!("{json}\n").as_bytes())?;

    match opts.format {
        SignFormat::Human => writeln!(
            stdout,
            "attested {} ({predicate_type}) as {} -> {} (Rekor log index {})",
            path.display(),
            opts.name,
            bundle_path.display(),
            bundle
                .log_index()
                .map_or_else(|| "none".to_owned(), |i| i.to_string())
        )?,
        SignFormat::Json => {
            let doc = json!({
                "signingKey": opts.name,
                "identity": session.identity().identity,
                "issuer": session.identity().issuer,
                "artifact": path.display().to_string(),
                "digest": digest.to_string(),
                "predicateType": predicate_type,
                "bundle": bundle_path.display().to_string(),
                "logIndex": bundle.log_index(),
            });
            serde_json::to_writer_pretty(&mut *stdout, &doc)?;
            writeln!(stdout)?;
        }
    }
    Ok(ExitStatus::Success)
}

/// The predicate type URI and the predicate.
fn predicate(args: &AttestArgs) -> anyhow::Result<(String, Value)> {
    let from_file = |path: &PathBuf| -> anyhow::Result<Value> {
        let bytes = tenure_verifier::read_capped(path, MAX_PREDICATE_BYTES)
            .with_context(|| format!("cannot read `{}`", path.display()))?;
        serde_json::from_slice(&bytes).with_context(|| format!("`{}` is not JSON", path.display()))
    };
    if args.predicate_type == "slsa-provenance" {
        let predicate = match &args.predicate {
            Some(path) => from_file(path)?,
            None => github_provenance()?,
        };
        return Ok((SLSA_PROVENANCE.to_owned(), predicate));
    }
    if !args.predicate_type.contains("://") {
        bail!(
            "`--predicate-type` is a URI (`https://slsa.dev/provenance/v1`), or `slsa-provenance`"
        );
    }
    let predicate = match &args.predicate {
        Some(path) => from_file(path)?,
        None => json!({}),
    };
    Ok((args.predicate_type.clone(), predicate))
}

/// SLSA Provenance v1 for the running GitHub Actions workflow, in the shape
/// of GitHub's build provenance (`actions/attest-build-provenance`).
fn github_provenance() -> anyhow::Result<Value> {
    let env = |key: &str| std::env::var(key).ok().filter(|v| !v.is_empty());
    if env("GITHUB_ACTIONS").as_deref() != Some("true") {
        bail!(
            "`slsa-provenance` is built from the GitHub Actions environment; outside Actions, pass the predicate with `--predicate FILE`"
        );
    }
    let need = |key: &str| env(key).with_context(|| format!("{key} is not set"));
    let server = env("GITHUB_SERVER_URL").unwrap_or_else(|| "https://github.com".to_owned());
    let repository = need("GITHUB_REPOSITORY")?;
    let git_ref = need("GITHUB_REF")?;
    let sha = need("GITHUB_SHA")?;
    let workflow_ref = need("GITHUB_WORKFLOW_REF")?;
    // `owner/repo/.github/workflows/release.yml@refs/tags/v1`
    let workflow_path = workflow_ref
        .split_once('@')
        .map(|(path, _)| path)
        .and_then(|path| path.strip_prefix(&format!("{repository}/")))
        .unwrap_or(&workflow_ref)
        .to_owned();
    // Read, never defaulted: provenance states what happened.
    let runner = need("RUNNER_ENVIRONMENT")?;
    let run_id = need("GITHUB_RUN_ID")?;
    Ok(json!({
        "buildDefinition": {
            "buildType": "https://actions.github.io/buildtypes/workflow/v1",
            "externalParameters": {
                "workflow": {
                    "ref": git_ref,
                    "repository": format!("{server}/{repository}"),
                    "path": workflow_path,
                }
            },
            "internalParameters": {
                "github": {
                    "event_name": env("GITHUB_EVENT_NAME"),
                    "repository_id": env("GITHUB_REPOSITORY_ID"),
                    "repository_owner_id": env("GITHUB_REPOSITORY_OWNER_ID"),
                    "runner_environment": runner,
                }
            },
            "resolvedDependencies": [{
                "uri": format!("git+{server}/{repository}@{git_ref}"),
                "digest": {"gitCommit": sha},
            }]
        },
        "runDetails": {
            "builder": {"id": format!("{server}/actions/runner/{runner}")},
            "metadata": {
                "invocationId": format!(
                    "{server}/{repository}/actions/runs/{}/attempts/{}",
                    run_id,
                    env("GITHUB_RUN_ATTEMPT").unwrap_or_else(|| "1".to_owned())
                )
            }
        }
    }))
}
