//! `tenure sign ARTIFACT... --as NAME`: keyless Sigstore signing, only as a
//! SigningKey the registry declares.
//!
//! The order is the point. Before any request is sent, the token's claims
//! (issuer, the identity Fulcio will certify, repository, workflow, ref,
//! runner, trigger) are checked against the declaration, the declaration
//! must be valid now and allow every artifact. After Fulcio answers, the
//! certificate is checked the same way. Each bundle is then verified as
//! `tenure verify` would, before it is written beside its artifact.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context as _, bail};
use base64::Engine as _;
use serde_json::{Value, json};
use tenure_verifier::sign::{Services, Session};
use tenure_verifier::{
    Artifact, ArtifactDigest, Bundle, CertificateIdentity, RegistryPolicy, Signer, SigningTime,
    TimeSource, TrustRoot, Verified, WorkflowClaims,
};

use crate::ExitStatus;

/// GitHub Actions' OIDC issuer, whose tokens Fulcio turns into a workflow SAN.
const GITHUB_ISSUER: &str = "https://token.actions.githubusercontent.com";

#[derive(Debug, clap::Args)]
pub(crate) struct SignArgs {
    /// The artifacts to sign.
    #[arg(required = true, value_name = "ARTIFACT")]
    pub(crate) artifacts: Vec<PathBuf>,

    /// Where to write the bundle, when there is one artifact. Default:
    /// `ARTIFACT.sigstore.json`.
    #[arg(long, value_name = "FILE")]
    pub(crate) bundle: Option<PathBuf>,

    /// Sign with this private key (PKCS#8, Ed25519 or ECDSA P-256, PEM or
    /// DER) instead of keyless: the SigningKey must declare its public half.
    #[arg(long, value_name = "FILE", conflicts_with = "key_env")]
    pub(crate) key: Option<PathBuf>,

    /// Sign with the private key (PEM) held in this environment variable.
    #[arg(long, value_name = "VAR")]
    pub(crate) key_env: Option<String>,

    #[command(flatten)]
    pub(crate) signing: SigningOptions,
}

/// What `tenure sign` and `tenure attest` share: who signs, with which
/// token, against which services and registry.
#[derive(Debug, clap::Args)]
pub(crate) struct SigningOptions {
    /// The SigningKey to sign as (`metadata.name`).
    #[arg(long = "as", value_name = "NAME")]
    pub(crate) name: String,

    /// The OIDC identity token. Default: `SIGSTORE_ID_TOKEN`, then GitHub
    /// Actions' ambient token (audience `sigstore`).
    #[arg(
        long,
        value_name = "TOKEN",
        hide_env_values = true,
        env = "SIGSTORE_ID_TOKEN"
    )]
    pub(crate) identity_token: Option<String>,

    /// A Sigstore client trust config (`trustedRoot` and `signingConfig`):
    /// the services to sign with and the root to check the result against.
    #[arg(long, value_name = "FILE", conflicts_with = "staging")]
    pub(crate) trust_config: Option<PathBuf>,

    /// Sign with the Sigstore staging instance.
    #[arg(long)]
    pub(crate) staging: bool,

    /// The registry folder (the one holding `tenure.yaml`). Default: found from
    /// the current folder upwards, also looking into `identities/`.
    #[arg(long, value_name = "PATH")]
    pub(crate) registry: Option<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = SignFormat::Human)]
    pub(crate) format: SignFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum SignFormat {
    /// One line per signed artifact.
    Human,
    /// One JSON document.
    Json,
}

pub(crate) fn run(
    args: &SignArgs,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> anyhow::Result<ExitStatus> {
    if args.artifacts.len() > 1 && args.bundle.is_some() {
        bail!(
            "`--bundle` names the bundle of a single artifact; with several, each goes beside its artifact"
        );
    }
    let opts = &args.signing;
    // `dist/*` lists the bundles of an earlier run too: they are not
    // artifacts, and signing them would sign signatures.
    let listed: Vec<&PathBuf> = if args.artifacts.len() > 1 {
        args.artifacts
            .iter()
            .filter(|p| !p.to_string_lossy().ends_with(".sigstore.json"))
            .collect()
    } else {
        args.artifacts.iter().collect()
    };
    if listed.is_empty() {
        bail!("no artifacts to sign: every argument is a bundle (`*.sigstore.json`)");
    }
    // Everything local first: artifacts read, token decoded and checked.
    let mut targets = Vec::new();
    for path in listed {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .with_context(|| format!("`{}` is not a file", path.display()))?;
        let file = std::fs::File::open(path)
            .with_context(|| format!("cannot read `{}`", path.display()))?;
        let digest = ArtifactDigest::of_reader(file)
            .with_context(|| format!("cannot read `{}`", path.display()))?;
        let bundle = match &args.bundle {
            Some(b) => b.clone(),
            None => {
                let mut b = path.clone().into_os_string();
                b.push(".sigstore.json");
                PathBuf::from(b)
            }
        };
        targets.push((path, name, digest, bundle));
    }

    if args.key.is_some() || args.key_env.is_some() {
        return with_key(args, &targets, stdout, stderr);
    }
    let Prepared {
        runtime,
        services,
        root,
        policy,
        token,
        expected,
        now,
    } = prepare(opts)?;
    for (path, name, digest, _) in &targets {
        let claimed = at_now(expected.clone(), now, *digest);
        if let Err(rejection) = policy.authorize_as(&opts.name, &claimed, Some(name)) {
            let what = format!("sign `{}`", path.display());
            return refuse(stderr, &what, &opts.name, &rejection, NOTHING_SENT);
        }
    }

    // One certificate for every artifact, checked before it signs anything.
    let session = runtime.block_on(Session::start(services, &token))?;
    for (path, name, digest, _) in &targets {
        let certified = at_now(session.identity().clone(), now, *digest);
        if let Err(rejection) = policy.authorize_as(&opts.name, &certified, Some(name)) {
            let what = format!(
                "sign `{}` with the certificate Fulcio issued",
                path.display()
            );
            return refuse(stderr, &what, &opts.name, &rejection, ONLY_CERTIFIED);
        }
    }

    let mut written = Vec::new();
    for (path, name, digest, bundle_path) in &targets {
        let json = runtime
            .block_on(session.sign(*digest))
            .with_context(|| format!("cannot sign `{}`", path.display()))?;
        // What tenure writes, tenure verifies: a bundle it would reject is
        // never left behind.
        let bundle = Bundle::from_slice(json.as_bytes()).map_err(|r| {
            anyhow::anyhow!("the bundle for `{}` is malformed: {r}", path.display())
        })?;
        let verified = root
            .verify_keyless(&bundle, Artifact::Digest(*digest))
            .map_err(|r| {
                anyhow::anyhow!("the bundle for `{}` does not verify: {r}", path.display())
            })?;
        policy
            .authorize_as(&opts.name, &verified, Some(name))
            .map_err(|r| {
                anyhow::anyhow!(
                    "the bundle for `{}` is not allowed as `{}`: {r}",
                    path.display(),
                    opts.name
                )
            })?;
        crate::commands::codeowners::write_atomically(bundle_path, format!("{json}\n").as_bytes())?;
        if opts.format == SignFormat::Human {
            // As it happens: after a failure, the lines above say what was written.
            writeln!(
                stdout,
                "signed {} as {} -> {} (Rekor log index {})",
                path.display(),
                opts.name,
                bundle_path.display(),
                bundle
                    .log_index()
                    .map_or_else(|| "none".to_owned(), |i| i.to_string())
            )?;
            stdout.flush()?;
        }
        written.push(json!({
            "artifact": path.display().to_string(),
            "digest": digest.to_string(),
            "bundle": bundle_path.display().to_string(),
            "logIndex": bundle.log_index(),
        }));
    }

    match opts.format {
        SignFormat::Human => {
            writeln!(stdout, "  identity {}", session.identity().identity)?;
        }
        SignFormat::Json => {
            let doc = json!({
                "signingKey": opts.name,
                "identity": session.identity().identity,
                "issuer": session.identity().issuer,
                "signed": written,
            });
            serde_json::to_writer_pretty(&mut *stdout, &doc)?;
            writeln!(stdout)?;
        }
    }
    Ok(ExitStatus::Success)
}

/// Key-based signing: the declared public key must be this key's public half.
fn with_key(
    args: &SignArgs,
    targets: &[(&PathBuf, String, ArtifactDigest, PathBuf)],
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> anyhow::Result<ExitStatus> {
    let opts = &args.signing;
    let pem = match (&args.key, &args.key_env) {
        (Some(path), _) => tenure_verifier::read_capped(path, 64 * 1024).map_err(|e| {
            anyhow::anyhow!("cannot read the private key `{}`: {e}", path.display())
        })?,
        (None, Some(var)) => std::env::var(var)
            .map_err(|_| anyhow::anyhow!("the environment variable `{var}` holds no private key"))?
            .into_bytes(),
        (None, None) => bail!("no private key given"),
    };
    let signer = tenure_verifier::sign::KeySigner::from_pkcs8(&pem)?;
    drop(pem);
    let (services, root) = services(opts)?;
    let loaded = crate::source::load(opts.registry.as_deref(), None)?;
    let policy = RegistryPolicy::new(&loaded.registry)
        .context("the registry cannot serve as signing policy")?;
    let now = jiff::Timestamp::now();
    let key_signed = |digest: ArtifactDigest| Verified {
        signer: Signer::PublicKey {
            algorithm: signer.public_key().algorithm(),
        },
        times: vec![SigningTime {
            at: now,
            source: TimeSource::SignerClock,
        }],
        statement: None,
        artifact: digest,
    };
    for (path, name, digest, _) in targets {
        if let Err(rejection) = policy.authorize_key_as(
            &opts.name,
            signer.public_key(),
            &key_signed(*digest),
            Some(name),
        ) {
            let what = format!("sign `{}`", path.display());
            return refuse(stderr, &what, &opts.name, &rejection, NOTHING_SENT);
        }
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let mut written = Vec::new();
    for (path, name, digest, bundle_path) in targets {
        let data =
            std::fs::read(path).with_context(|| format!("cannot read `{}`", path.display()))?;
        if ArtifactDigest::of(&data) != *digest {
            bail!("`{}` changed while it was being signed", path.display());
        }
        let json = runtime
            .block_on(signer.sign(&services, &data))
            .with_context(|| format!("cannot sign `{}`", path.display()))?;
        let bundle = Bundle::from_slice(json.as_bytes()).map_err(|r| {
            anyhow::anyhow!("the bundle for `{}` is malformed: {r}", path.display())
        })?;
        let verified = root
            .verify_with_key(&bundle, Artifact::Bytes(&data), signer.public_key())
            .map_err(|r| {
                anyhow::anyhow!("the bundle for `{}` does not verify: {r}", path.display())
            })?;
        policy
            .authorize_key_as(&opts.name, signer.public_key(), &verified, Some(name))
            .map_err(|r| {
                anyhow::anyhow!(
                    "the bundle for `{}` is not allowed as `{}`: {r}",
                    path.display(),
                    opts.name
                )
            })?;
        crate::commands::codeowners::write_atomically(bundle_path, format!("{json}\n").as_bytes())?;
        written.push((path, bundle_path, bundle.log_index()));
    }
    match opts.format {
        SignFormat::Human => {
            for (path, bundle_path, index) in &written {
                writeln!(
                    stdout,
                    "signed {} as {} with its {} key -> {} (Rekor log index {})",
                    path.display(),
                    opts.name,
                    signer.public_key().algorithm(),
                    bundle_path.display(),
                    index.map_or_else(|| "none".to_owned(), |i| i.to_string())
                )?;
            }
        }
        SignFormat::Json => {
            let doc = json!({
                "signingKey": opts.name,
                "publicKey": signer.public_key().algorithm(),
                "signed": written.iter().map(|(path, bundle, index)| json!({
                    "artifact": path.display().to_string(),
                    "bundle": bundle.display().to_string(),
                    "logIndex": index,
                })).collect::<Vec<_>>(),
            });
            serde_json::to_writer_pretty(&mut *stdout, &doc)?;
            writeln!(stdout)?;
        }
    }
    Ok(ExitStatus::Success)
}

/// Everything local that signing needs, checked before any request.
pub(crate) struct Prepared {
    pub(crate) runtime: tokio::runtime::Runtime,
    pub(crate) services: Services,
    pub(crate) root: TrustRoot,
    pub(crate) policy: RegistryPolicy,
    pub(crate) token: String,
    /// The identity Fulcio will certify, from the token's claims.
    pub(crate) expected: CertificateIdentity,
    pub(crate) now: jiff::Timestamp,
}

/// Load the registry, the services and the token; refuse an expired token.
pub(crate) fn prepare(opts: &SigningOptions) -> anyhow::Result<Prepared> {
    let (services, root) = services(opts)?;
    let loaded = crate::source::load(opts.registry.as_deref(), None)?;
    let policy = RegistryPolicy::new(&loaded.registry)
        .context("the registry cannot serve as signing policy")?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let token = match &opts.identity_token {
        Some(token) => token.clone(),
        None => runtime
            .block_on(tenure_verifier::sign::github_actions_token())?
            .context("no identity token: pass `--identity-token`, set SIGSTORE_ID_TOKEN, or run in GitHub Actions with `id-token: write`")?,
    };
    let claims = token_claims(&token)?;
    let now = jiff::Timestamp::now();
    if let Some(exp) = claims.get("exp").and_then(Value::as_i64)
        && exp <= now.as_second()
    {
        bail!(
            "the identity token expired at {}",
            jiff::Timestamp::from_second(exp).map_or_else(|_| exp.to_string(), |t| t.to_string())
        );
    }
    Ok(Prepared {
        runtime,
        services,
        root,
        policy,
        token,
        expected: expected_identity(&claims),
        now,
    })
}

/// What a refusal leaves behind, for its last line.
pub(crate) const NOTHING_SENT: &str = "nothing was sent to Fulcio or Rekor";
/// After Fulcio answered: a certificate exists, nothing else.
pub(crate) const ONLY_CERTIFIED: &str =
    "Fulcio issued a certificate; nothing was signed or sent to Rekor";

/// Report a refusal by the registry; exit status 1.
pub(crate) fn refuse(
    stderr: &mut dyn Write,
    what: &str,
    name: &str,
    rejection: &tenure_verifier::Rejection,
    aftermath: &str,
) -> anyhow::Result<ExitStatus> {
    writeln!(
        stderr,
        "error: refusing to {what} as `{name}`: {}: {}",
        rejection.reason, rejection.message
    )?;
    for note in &rejection.notes {
        writeln!(stderr, "  note: {note}")?;
    }
    writeln!(stderr, "{aftermath}")?;
    Ok(ExitStatus::Failure)
}

/// The services and the root that vouches for them.
fn services(args: &SigningOptions) -> anyhow::Result<(Services, TrustRoot)> {
    if let Some(path) = &args.trust_config {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read `{}`", path.display()))?;
        let config: Value = serde_json::from_str(&text)
            .with_context(|| format!("`{}` is not JSON", path.display()))?;
        let part = |key: &str| -> anyhow::Result<String> {
            let value = config
                .get(key)
                .with_context(|| format!("`{}` has no `{key}`", path.display()))?;
            Ok(value.to_string())
        };
        let services = Services::from_signing_config(&part("signingConfig")?)?;
        let root = TrustRoot::from_json(
            &part("trustedRoot")?,
            tenure_verifier::TrustOrigin::File(path.clone()),
        )?;
        return Ok((services, root));
    }
    if args.staging {
        return Ok((Services::staging()?, TrustRoot::staging()?));
    }
    Ok((Services::production()?, TrustRoot::production()?))
}

/// The claims of a JWT, unverified: Fulcio verifies the token; tenure reads
/// it only to refuse early what the declaration does not allow.
fn token_claims(token: &str) -> anyhow::Result<serde_json::Map<String, Value>> {
    let payload = token
        .split('.')
        .nth(1)
        .context("the identity token is not a JWT")?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()
        .context("the identity token's payload is not base64url")?;
    match serde_json::from_slice(&bytes) {
        Ok(Value::Object(claims)) => Ok(claims),
        _ => bail!("the identity token's payload is not a JSON object"),
    }
}

/// The identity Fulcio will certify for these claims: for GitHub Actions, the
/// workflow that requested the token (`job_workflow_ref`) as a URI SAN and
/// the run's claims as extensions; otherwise the email or the subject.
fn expected_identity(claims: &serde_json::Map<String, Value>) -> CertificateIdentity {
    let text = |key: &str| claims.get(key).and_then(Value::as_str).map(str::to_owned);
    let issuer = text("iss");
    if issuer.as_deref() == Some(GITHUB_ISSUER) {
        let repository = text("repository");
        // `owner/repo/.github/workflows/release.yml@refs/tags/v1`
        let workflow = text("workflow_ref").and_then(|w| {
            let (path, _) = w.rsplit_once('@')?;
            let repo = repository.as_deref()?;
            path.strip_prefix(repo)?
                .strip_prefix('/')
                .map(str::to_owned)
        });
        return CertificateIdentity {
            identity: format!(
                "https://github.com/{}",
                text("job_workflow_ref").unwrap_or_default()
            ),
            email: false,
            issuer,
            workflow: WorkflowClaims {
                repository_uri: repository
                    .as_ref()
                    .map(|r| format!("https://github.com/{r}")),
                repository,
                workflow,
                workflow_ref: text("workflow_ref")
                    .and_then(|w| w.rsplit_once('@').map(|(_, r)| r.to_owned())),
                git_ref: text("ref"),
                commit: text("sha"),
                runner_environment: text("runner_environment"),
                trigger: text("event_name"),
                run: None,
                token_subject: text("sub"),
                environment: text("environment"),
            },
        };
    }
    let email = text("email");
    CertificateIdentity {
        email: email.is_some(),
        identity: email.or_else(|| text("sub")).unwrap_or_default(),
        issuer,
        workflow: WorkflowClaims::default(),
    }
}

/// A signature about to be made now by `identity`.
pub(crate) fn at_now(
    identity: CertificateIdentity,
    now: jiff::Timestamp,
    digest: ArtifactDigest,
) -> Verified {
    Verified {
        signer: Signer::Certificate(Box::new(identity)),
        times: vec![SigningTime {
            at: now,
            source: TimeSource::SignerClock,
        }],
        statement: None,
        artifact: digest,
    }
}
