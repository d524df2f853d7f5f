//! `tenure verify ARTIFACT...`: was each artifact signed by an identity the
//! registry declares, while that declaration was valid, and is it allowed to
//! sign it?
//!
//! Offline and tokenless: the trusted root is embedded (or a file), the
//! registry is a folder or a Git revision. Each artifact has its bundle
//! beside it (`ARTIFACT.sigstore.json`). Bundles are verified in parallel
//! against one prepared trusted root and one compiled policy.
//!
//! Exit status: 0 when every artifact verified, 1 when any was rejected, 2
//! when something could not be decided (unreadable artifact or bundle, bad
//! registry or trusted root).

use std::io::{IsTerminal as _, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use rayon::prelude::*;
use serde_json::{Value, json};
use tenure_schema::diagnostic::Severity;
use tenure_verifier::{
    Artifact, ArtifactDigest, Authorization, Bundle, Declared, MAX_BUNDLE_BYTES, Material, Reason,
    RegistryPolicy, Rejection, Report, Signer, TrustRoot, Verified,
};

use crate::ExitStatus;

/// Bundles are found beside their artifacts under this suffix.
const BUNDLE_SUFFIX: &str = ".sigstore.json";

/// Artifacts up to this size are read whole, which every signature scheme can
/// verify (Ed25519 needs the bytes); larger ones are hashed as a stream.
const READ_WHOLE_LIMIT: u64 = 64 << 20;

#[derive(Debug, clap::Args)]
pub(crate) struct VerifyArgs {
    /// Artifacts to verify: paths, or `sha256:<hex>` digests. Bundles among
    /// them (`*.sigstore.json`) are skipped, so `tenure verify dist/*` works.
    #[arg(required = true, value_name = "ARTIFACT")]
    pub(crate) artifacts: Vec<String>,

    /// The bundle, when there is one artifact. Default: `ARTIFACT.sigstore.json`.
    #[arg(long, value_name = "FILE")]
    pub(crate) bundle: Option<PathBuf>,

    /// The artifact's name for the scope check (`allows.artifacts`), when
    /// there is one artifact: needed for a digest, and overrides a path's file name.
    #[arg(long, value_name = "NAME")]
    pub(crate) name: Option<String>,

    /// The registry folder (the one holding `tenure.yaml`). Default: found from
    /// the current folder upwards, also looking into `identities/`.
    #[arg(long, value_name = "PATH")]
    pub(crate) registry: Option<PathBuf>,

    /// Read the registry as it is at this Git revision (branch, tag, commit).
    #[arg(long, value_name = "REV")]
    pub(crate) rev: Option<String>,

    /// A Sigstore trusted root file (a private deployment, or one refreshed
    /// by `tenure trust update`) instead of the embedded production root.
    #[arg(
        long,
        env = "TENURE_TRUSTED_ROOT",
        value_name = "FILE",
        conflicts_with = "staging"
    )]
    pub(crate) trusted_root: Option<PathBuf>,

    /// Use the embedded Sigstore staging root.
    #[arg(long)]
    pub(crate) staging: bool,

    /// Output format.
    #[arg(long, value_enum, default_value_t = VerifyFormat::Human)]
    pub(crate) format: VerifyFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum VerifyFormat {
    /// One block per artifact, then a summary line.
    Human,
    /// One JSON document.
    Json,
}

/// One artifact to verify.
#[derive(Debug)]
struct Target {
    /// As given on the command line.
    shown: String,
    source: Source,
    bundle: PathBuf,
    name: Option<String>,
}

#[derive(Debug)]
enum Source {
    Path(PathBuf),
    Digest(ArtifactDigest),
}

/// What happened to one artifact.
#[derive(Debug)]
enum Outcome {
    Decided {
        digest: Option<ArtifactDigest>,
        report: Box<Report>,
    },
    /// Could not be decided: an unreadable file.
    Error(String),
}

pub(crate) fn run(
    args: &VerifyArgs,
    color: bool,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> anyhow::Result<ExitStatus> {
    let targets = targets(args)?;
    let root = match (&args.trusted_root, args.staging) {
        (Some(path), _) => TrustRoot::from_file(path)?,
        (None, true) => TrustRoot::staging()?,
        (None, false) => TrustRoot::production()?,
    };
    // The registry loads (and its schema compiles) while the bundles are
    // read and their cryptography checked: with one bundle the two take
    // about as long, and keyless verification needs no registry.
    let (loaded, prepared) = rayon::join(
        || -> anyhow::Result<_> {
            let loaded = crate::source::load(args.registry.as_deref(), args.rev.as_deref())?;
            let policy = RegistryPolicy::new(&loaded.registry)
                .context("the registry cannot serve as verification policy")?;
            Ok((loaded, policy))
        },
        || -> Vec<Prepared> {
            targets
                .par_iter()
                .map(|target| prepare(&root, target))
                .collect()
        },
    );
    let (loaded, policy) = loaded?;
    let broken = loaded
        .registry
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    if broken > 0 {
        // A file that did not load declares nothing, so it can only cause
        // rejections, never allow a signature: verification goes on.
        writeln!(
            stderr,
            "warning: the registry has {broken} error{}; declarations that did not load allow nothing (run `tenure check`)",
            if broken == 1 { "" } else { "s" }
        )?;
    }
    if policy.signing_keys() == 0 {
        writeln!(
            stderr,
            "warning: the registry declares no SigningKey: every signature will be rejected"
        )?;
    }
    let outcomes: Vec<Outcome> = prepared
        .into_par_iter()
        .zip(targets.par_iter())
        .map(|(prepared, target)| decide(&root, &policy, target, prepared))
        .collect();

    let root_shown = loaded.display_root.clone();
    match args.format {
        VerifyFormat::Human => {
            let paint = color && std::io::stdout().is_terminal();
            human(stdout, &targets, &outcomes, &root_shown, paint)?
        }
        VerifyFormat::Json => json(stdout, &targets, &outcomes, &root_shown, &root)?,
    }
    let errors = outcomes.iter().any(|o| matches!(o, Outcome::Error(_)));
    let rejected = outcomes
        .iter()
        .any(|o| matches!(o, Outcome::Decided { report, .. } if report.result.is_err()));
    Ok(if errors {
        ExitStatus::Error
    } else if rejected {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

fn targets(args: &VerifyArgs) -> anyhow::Result<Vec<Target>> {
    // `dist/*` lists the bundles too: they travel with their artifacts.
    let listed: Vec<&String> = if args.artifacts.len() > 1 {
        args.artifacts
            .iter()
            .filter(|a| !a.ends_with(BUNDLE_SUFFIX))
            .collect()
    } else {
        args.artifacts.iter().collect()
    };
    if let [only] = args.artifacts.as_slice()
        && only.ends_with(BUNDLE_SUFFIX)
        && args.bundle.is_none()
    {
        bail!(
            "`{only}` is a bundle: give the artifact it signs (`{}`), and tenure finds the bundle beside it",
            only.trim_end_matches(BUNDLE_SUFFIX)
        );
    }
    if listed.is_empty() {
        bail!("no artifacts to verify: every argument is a bundle (`*{BUNDLE_SUFFIX}`)");
    }
    if listed.len() > 1 && (args.bundle.is_some() || args.name.is_some()) {
        bail!(
            "`--bundle` and `--name` apply to a single artifact; give one artifact, or put each bundle beside its artifact"
        );
    }
    listed
        .into_iter()
        .map(|arg| {
            let is_digest = arg
                .get(..7)
                .is_some_and(|p| p.eq_ignore_ascii_case("sha256:"));
            let (source, default_bundle, name) = if is_digest {
                let digest: ArtifactDigest = arg
                    .parse()
                    .with_context(|| format!("invalid digest `{arg}`"))?;
                (Source::Digest(digest), None, None)
            } else {
                let path = PathBuf::from(arg);
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
                let mut bundle = path.clone().into_os_string();
                bundle.push(BUNDLE_SUFFIX);
                (Source::Path(path), Some(PathBuf::from(bundle)), name)
            };
            let bundle = match (&args.bundle, default_bundle) {
                (Some(b), _) => b.clone(),
                (None, Some(b)) => b,
                (None, None) => bail!("a digest has no bundle beside it: give `--bundle FILE`"),
            };
            Ok(Target {
                shown: arg.clone(),
                source,
                bundle,
                name: args.name.clone().or(name),
            })
        })
        .collect()
}

/// A target after the work that needs no registry: bundle read and parsed,
/// artifact read, keyless cryptography checked.
enum Prepared {
    Done(Outcome),
    Keyless {
        digest: ArtifactDigest,
        verified: Box<Result<Verified, Rejection>>,
    },
    /// Key-based: which key verifies it depends on the registry.
    Keyed {
        bundle: Box<Bundle>,
        data: Read,
    },
}

fn prepare(root: &TrustRoot, target: &Target) -> Prepared {
    let bytes = match tenure_verifier::read_capped(&target.bundle, MAX_BUNDLE_BYTES) {
        Ok(bytes) => bytes,
        Err(tenure_verifier::ReadError::TooLarge) => {
            return Prepared::Done(rejected(Rejection::new(
                Reason::MalformedBundle,
                format!("the bundle is larger than {MAX_BUNDLE_BYTES} bytes"),
            )));
        }
        Err(tenure_verifier::ReadError::Io(e)) => {
            return Prepared::Done(Outcome::Error(format!(
                "cannot read the bundle `{}`: {e}",
                target.bundle.display()
            )));
        }
    };
    let bundle = match Bundle::from_slice(&bytes) {
        Ok(bundle) => bundle,
        Err(rejection) => return Prepared::Done(rejected(rejection)),
    };
    let data = match &target.source {
        Source::Digest(digest) => Read::Digest(*digest),
        Source::Path(path) => match read_artifact(path) {
            Ok(data) => data,
            Err(e) => {
                return Prepared::Done(Outcome::Error(format!(
                    "cannot read `{}`: {e}",
                    path.display()
                )));
            }
        },
    };
    match bundle.material() {
        Material::Certificate => {
            let verified = root.verify_keyless(&bundle, data.artifact());
            Prepared::Keyless {
                digest: verified
                    .as_ref()
                    .map_or_else(|_| data.digest(), |v| v.artifact),
                verified: Box::new(verified),
            }
        }
        Material::PublicKey => Prepared::Keyed {
            bundle: Box::new(bundle),
            data,
        },
    }
}

fn decide(
    root: &TrustRoot,
    policy: &RegistryPolicy,
    target: &Target,
    prepared: Prepared,
) -> Outcome {
    let name = target.name.as_deref();
    match prepared {
        Prepared::Done(outcome) => outcome,
        Prepared::Keyless { digest, verified } => Outcome::Decided {
            digest: Some(digest),
            report: Box::new(match *verified {
                Ok(verified) => Report {
                    result: policy.authorize(&verified, name),
                    verified: Some(verified),
                },
                Err(rejection) => Report {
                    verified: None,
                    result: Err(rejection),
                },
            }),
        },
        Prepared::Keyed { bundle, data } => Outcome::Decided {
            digest: Some(data.digest()),
            report: Box::new(policy.verify(root, &bundle, data.artifact(), name)),
        },
    }
}

fn rejected(rejection: Rejection) -> Outcome {
    Outcome::Decided {
        digest: None,
        report: Box::new(Report {
            verified: None,
            result: Err(rejection),
        }),
    }
}

enum Read {
    Whole(Vec<u8>),
    Digest(ArtifactDigest),
}

impl Read {
    fn artifact(&self) -> Artifact<'_> {
        match self {
            Read::Whole(data) => Artifact::Bytes(data),
            Read::Digest(digest) => Artifact::Digest(*digest),
        }
    }

    fn digest(&self) -> ArtifactDigest {
        match self {
            Read::Whole(data) => ArtifactDigest::of(data),
            Read::Digest(digest) => *digest,
        }
    }
}

fn read_artifact(path: &Path) -> std::io::Result<Read> {
    let file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    if meta.len() <= READ_WHOLE_LIMIT {
        let mut data = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
        std::io::Read::read_to_end(
            &mut std::io::Read::take(file, READ_WHOLE_LIMIT + 1),
            &mut data,
        )?;
        if data.len() as u64 <= READ_WHOLE_LIMIT {
            return Ok(Read::Whole(data));
        }
        return ArtifactDigest::of_reader(std::fs::File::open(path)?).map(Read::Digest);
    }
    ArtifactDigest::of_reader(file).map(Read::Digest)
}

fn declaration_path(root: &Path, declared: &Declared) -> String {
    format!("{}:{}", root.join(&declared.file).display(), declared.line)
}

fn human(
    out: &mut dyn Write,
    targets: &[Target],
    outcomes: &[Outcome],
    root: &Path,
    paint: bool,
) -> std::io::Result<()> {
    let word = |text: &str, code: &str| {
        if paint {
            format!("\x1b[1;{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    };
    let (mut ok, mut bad, mut errors) = (0, 0, 0);
    for (target, outcome) in targets.iter().zip(outcomes) {
        match outcome {
            Outcome::Error(message) => {
                errors += 1;
                writeln!(out, "{} {}", word("error", "33"), target.shown)?;
                writeln!(out, "  {message}")?;
            }
            Outcome::Decided { report, .. } => {
                match &report.result {
                    Ok(auth) => {
                        ok += 1;
                        writeln!(out, "{} {}", word("verified", "32"), target.shown)?;
                        authorized(out, auth, root)?;
                    }
                    Err(rejection) => {
                        bad += 1;
                        writeln!(
                            out,
                            "{} {}: {}",
                            word("rejected", "31"),
                            target.shown,
                            rejection.reason
                        )?;
                        writeln!(out, "  {}", rejection.message)?;
                    }
                }
                if let Some(verified) = &report.verified {
                    signer(out, verified)?;
                }
                if let Err(rejection) = &report.result {
                    for note in &rejection.notes {
                        writeln!(out, "  note: {note}")?;
                    }
                }
            }
        }
        writeln!(out)?;
    }
    let total = ok + bad + errors;
    write!(
        out,
        "{total} artifact{}: {ok} verified, {bad} rejected",
        if total == 1 { "" } else { "s" }
    )?;
    if errors > 0 {
        write!(out, ", {errors} not checked")?;
    }
    writeln!(out)
}

fn authorized(out: &mut dyn Write, auth: &Authorization, root: &Path) -> std::io::Result<()> {
    let key = &auth.signing_key;
    writeln!(
        out,
        "  allowed by   SigningKey {} (owner {}, {} to {}) {}",
        key.name,
        key.owner,
        key.created,
        key.expires,
        declaration_path(root, key)
    )?;
    if let Some(w) = &auth.workload {
        writeln!(
            out,
            "  workload     Identity {} (owner {}) {}",
            w.name,
            w.owner,
            declaration_path(root, w)
        )?;
    }
    Ok(())
}

fn signer(out: &mut dyn Write, verified: &Verified) -> std::io::Result<()> {
    match &verified.signer {
        Signer::Certificate(cert) => {
            writeln!(out, "  signer       {}", cert.identity)?;
            if let Some(issuer) = &cert.issuer {
                writeln!(out, "  issuer       {issuer}")?;
            }
            let w = &cert.workflow;
            let run: Vec<String> = [
                w.repository.as_deref(),
                w.git_ref.as_deref(),
                w.trigger.as_deref(),
                w.runner_environment.as_deref(),
            ]
            .into_iter()
            .flatten()
            .map(str::to_owned)
            .collect();
            if !run.is_empty() {
                writeln!(out, "  run          {}", run.join(", "))?;
            }
        }
        Signer::PublicKey { algorithm } => writeln!(out, "  signer       {algorithm} public key")?,
    }
    for time in &verified.times {
        let source = match time.source {
            tenure_verifier::TimeSource::TransparencyLog => "transparency log",
            tenure_verifier::TimeSource::TimestampAuthority => "timestamp authority",
            tenure_verifier::TimeSource::SignerClock => "signer's clock",
        };
        writeln!(out, "  signed at    {} ({source})", time.at)?;
    }
    if let Some(statement) = &verified.statement {
        writeln!(out, "  attests      {}", statement.predicate_type)?;
    }
    Ok(())
}

fn declared_json(root: &Path, d: &Declared) -> Value {
    json!({
        "name": d.name,
        "kind": d.kind,
        "owner": d.owner,
        "created": d.created.to_string(),
        "expires": d.expires.to_string(),
        "file": root.join(&d.file).display().to_string(),
        "line": d.line,
    })
}

fn json(
    out: &mut dyn Write,
    targets: &[Target],
    outcomes: &[Outcome],
    root: &Path,
    trust: &TrustRoot,
) -> anyhow::Result<()> {
    let mut results = Vec::new();
    let (mut ok, mut bad, mut errors) = (0, 0, 0);
    for (target, outcome) in targets.iter().zip(outcomes) {
        let mut entry = serde_json::Map::new();
        entry.insert("artifact".into(), json!(target.shown));
        entry.insert("bundle".into(), json!(target.bundle.display().to_string()));
        match outcome {
            Outcome::Error(message) => {
                errors += 1;
                entry.insert("status".into(), json!("error"));
                entry.insert("message".into(), json!(message));
            }
            Outcome::Decided { digest, report } => {
                if let Some(digest) = digest {
                    entry.insert("digest".into(), json!(digest.to_string()));
                }
                match &report.result {
                    Ok(auth) => {
                        ok += 1;
                        entry.insert("status".into(), json!("verified"));
                        entry.insert("declaration".into(), declared_json(root, &auth.signing_key));
                        if let Some(w) = &auth.workload {
                            entry.insert("workload".into(), declared_json(root, w));
                        }
                    }
                    Err(rejection) => {
                        bad += 1;
                        entry.insert("status".into(), json!("rejected"));
                        entry.insert("reason".into(), json!(rejection.reason.as_str()));
                        entry.insert("message".into(), json!(rejection.message));
                        entry.insert("notes".into(), json!(rejection.notes));
                    }
                }
                if let Some(verified) = &report.verified {
                    entry.insert("signer".into(), signer_json(verified));
                    entry.insert(
                        "signedAt".into(),
                        json!(
                            verified
                                .times
                                .iter()
                                .map(|t| json!({"time": t.at.to_string(), "source": t.source.as_str()}))
                                .collect::<Vec<_>>()
                        ),
                    );
                    if let Some(statement) = &verified.statement {
                        entry.insert("predicateType".into(), json!(statement.predicate_type));
                    }
                }
            }
        }
        results.push(Value::Object(entry));
    }
    let doc = json!({
        "version": 1,
        "trustedRoot": trust.origin().to_string(),
        "registry": root.display().to_string(),
        "results": results,
        "summary": {"verified": ok, "rejected": bad, "errors": errors},
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)?;
    Ok(())
}

fn signer_json(verified: &Verified) -> Value {
    match &verified.signer {
        Signer::Certificate(cert) => {
            let w = &cert.workflow;
            json!({
                "identity": cert.identity,
                "issuer": cert.issuer,
                "repository": w.repository,
                "workflow": w.workflow,
                "ref": w.git_ref,
                "commit": w.commit,
                "trigger": w.trigger,
                "runnerEnvironment": w.runner_environment,
                "run": w.run,
            })
        }
        Signer::PublicKey { algorithm } => json!({"publicKey": algorithm}),
    }
}
