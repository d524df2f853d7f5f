//! `tenure export NAME --for cosign|gh|policy-controller`: a SigningKey as the
//! verification policy of another tool, so that teams verifying with cosign,
//! `gh attestation verify` or Sigstore's policy-controller enforce what the
//! reviewed declaration says instead of a hand-copied, drifting policy.
//!
//! Each tool expresses only part of a declaration. What it cannot enforce is
//! never dropped silently: it becomes a `# not enforced by TOOL: ...` comment
//! in the output and a warning on stderr, and `--strict` refuses the export.
//! The term (`created` to `expires`) is the exception to `--strict`: no tool
//! can enforce it, so it is reported as a note, and a lapsed declaration is
//! refused unless `--allow-expired` says the export is for old signatures.
//!
//! Every value comes from YAML a reviewer may have missed something in, so it
//! is treated as hostile: shell words are single-quoted when they hold
//! anything but a few plain characters, YAML scalars are always
//! single-quoted, and a control or invisible character refuses the export.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;

use tenure_schema::check::{CheckOptions, check};
use tenure_schema::diagnostic::{Diagnostic, Severity};
use tenure_schema::model::{
    Declaration, GithubWorkflow, KeyAlgorithm, Runner, SigningKey, SigningKeySpec,
};

use crate::ExitStatus;
use crate::commands::lookup::{Found, find};
use crate::render::{self, Files, clean};

#[derive(Debug, clap::Args)]
pub(crate) struct ExportArgs {
    /// The SigningKey's name (`metadata.name`).
    pub(crate) name: String,

    /// The tool whose policy to print: a `cosign verify-blob` command, a
    /// `gh attestation verify` command, or a policy-controller
    /// `ClusterImagePolicy`.
    #[arg(long = "for", value_enum, value_name = "TOOL")]
    pub(crate) target: Target,

    /// The artifact to verify (cosign, gh), instead of the `ARTIFACT`
    /// placeholder. Its file name must match one of the declaration's
    /// artifact globs (an `oci://` image, one of its image package URLs), and
    /// then the artifact scope counts as enforced.
    #[arg(long, value_name = "PATH")]
    pub(crate) artifact: Option<String>,

    /// An image glob for the policy's `spec.images` (policy-controller,
    /// repeatable), instead of the images derived from the `pkg:oci` and
    /// `pkg:docker` URLs in `spec.allows.artifacts`.
    #[arg(long, value_name = "GLOB")]
    pub(crate) image: Vec<String>,

    /// Refuse (exit 1) when the tool cannot enforce every constraint of the
    /// declaration, other than its term.
    #[arg(long)]
    pub(crate) strict: bool,

    /// Export a declaration whose term has ended, to verify what it signed
    /// during its term. The policy printed would also accept signatures made
    /// after it.
    #[arg(long)]
    pub(crate) allow_expired: bool,

    /// The registry folder (the one holding `tenure.yaml`). Default: found from
    /// the current folder upwards, also looking into `identities/`.
    #[arg(long, value_name = "PATH")]
    pub(crate) registry: Option<PathBuf>,

    /// Read the registry as it is at this Git revision (branch, tag, commit)
    /// instead of the work tree; no checkout needed, a bare repository works.
    #[arg(long, value_name = "REV")]
    pub(crate) rev: Option<String>,

    /// Treat this instant as now (`2026-07-01` or RFC 3339), for tests and replay.
    #[arg(long, env = "TENURE_NOW", value_name = "TIME")]
    pub(crate) now: Option<String>,
}

/// The tools a SigningKey can be exported for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Target {
    /// `cosign verify-blob` (and `verify-blob-attestation`) command lines.
    Cosign,
    /// `gh attestation verify` command lines (keyless GitHub Actions signers only).
    Gh,
    /// A Sigstore policy-controller `ClusterImagePolicy` (YAML).
    PolicyController,
}

impl Target {
    fn tool(self) -> &'static str {
        match self {
            Target::Cosign => "cosign",
            Target::Gh => "gh",
            Target::PolicyController => "policy-controller",
        }
    }
}

/// The public-good Sigstore instance, which cosign and gh use by default.
const FULCIO_URL: &str = "https://fulcio.sigstore.dev";
const REKOR_URL: &str = "https://rekor.sigstore.dev";

/// Why a declaration cannot be exported as asked: exit 1.
struct Refusal {
    message: String,
    help: Option<String>,
}

impl Refusal {
    fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            help: None,
        }
    }

    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// A constraint of the declaration the tool does not enforce.
struct Gap {
    /// What is not enforced, for a comment line and stderr (already cleaned).
    text: String,
    /// The term: no tool enforces it, so `--strict` lets it pass.
    term: bool,
}

impl Gap {
    fn new(text: String) -> Self {
        Self { text, term: false }
    }
}

/// What a tool gets: the text for stdout and what it leaves out.
struct Exported {
    text: String,
    gaps: Vec<Gap>,
}

pub(crate) fn run(
    args: &ExportArgs,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> anyhow::Result<ExitStatus> {
    let now = super::now(args.now.as_deref())?;
    if args.artifact.is_some() && args.target == Target::PolicyController {
        anyhow::bail!(
            "`--artifact` applies to `--for cosign` and `--for gh`; policy-controller takes `--image`"
        );
    }
    if !args.image.is_empty() && args.target != Target::PolicyController {
        anyhow::bail!("`--image` applies to `--for policy-controller`");
    }
    for glob in &args.image {
        if !is_image_glob(glob) {
            anyhow::bail!(
                "`--image {}` is not an image glob policy-controller accepts: letters, digits, `-_:/.` and `*`",
                clean(glob)
            );
        }
    }
    let loaded = crate::source::load(args.registry.as_deref(), args.rev.as_deref())?;
    let registry = &loaded.registry;
    let files = Files::new(registry, &loaded.display_root);

    let entry = match find(registry, &args.name, |d| {
        matches!(d, Declaration::SigningKey(_))
    }) {
        Found::One(entry) => entry,
        Found::Many(count) => {
            writeln!(
                stderr,
                "error: {count} declarations are named `{}`; `tenure check` reports them",
                clean(&args.name)
            )?;
            return Ok(ExitStatus::Failure);
        }
        Found::Broken(diagnostics) => {
            render::human::render_diagnostics(&files, &diagnostics, false, stderr)?;
            writeln!(
                stderr,
                "error: the file of `{}` does not load, so it cannot be exported; fix what is reported above first",
                clean(&args.name)
            )?;
            return Ok(ExitStatus::Failure);
        }
        Found::None(suggestion) => {
            let hint = suggestion.map_or_else(String::new, |s| format!("; did you mean `{s}`?"));
            anyhow::bail!(
                "no SigningKey in `{}` is named `{}`{hint}",
                loaded.display_root.display(),
                clean(&args.name)
            );
        }
    };
    let key = match &entry.declaration {
        Declaration::SigningKey(key) => key,
        other => anyhow::bail!(
            "`{}` is {} {}, not a SigningKey: `tenure export` exports signing policy",
            clean(&args.name),
            if matches!(other, Declaration::Identity(_)) {
                "an"
            } else {
                "a"
            },
            other.kind().as_str()
        ),
    };
    let path = files.display_path(entry.file);

    // Fail closed: a declaration `tenure check` rejects is not policy yet.
    let errors: Vec<Diagnostic> = check(registry, &CheckOptions::at(now))
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .filter(|d| d.primary.as_ref().is_some_and(|l| l.file == entry.file))
        .collect();
    if !errors.is_empty() {
        render::human::render_diagnostics(&files, &errors, false, stderr)?;
        writeln!(
            stderr,
            "error: `{}` has errors (above), so it cannot be exported; fix them first",
            key.metadata.name.value
        )?;
        return Ok(ExitStatus::Failure);
    }

    let expires = &key.spec.expires.value;
    if expires.end() <= now && !args.allow_expired {
        writeln!(
            stderr,
            "error: `{}` expired (`expires: {expires}` in {}); a policy exported now would accept signatures made since",
            key.metadata.name.value,
            clean(&path)
        )?;
        writeln!(
            stderr,
            "help: renew it (`tenure renew {}`), or pass `--allow-expired` to verify what it signed during its term",
            key.metadata.name.value
        )?;
        return Ok(ExitStatus::Failure);
    }

    let exported = match export(key, &path, args) {
        Ok(exported) => exported,
        Err(refusal) => {
            writeln!(stderr, "error: {}", refusal.message)?;
            if let Some(help) = refusal.help {
                writeln!(stderr, "help: {help}")?;
            }
            return Ok(ExitStatus::Failure);
        }
    };
    let tool = args.target.tool();
    if args.strict && exported.gaps.iter().any(|g| !g.term) {
        writeln!(
            stderr,
            "error: {tool} cannot enforce all of `{}` (`--strict`):",
            key.metadata.name.value
        )?;
        for gap in exported.gaps.iter().filter(|g| !g.term) {
            writeln!(stderr, "  - {}", gap.text)?;
        }
        return Ok(ExitStatus::Failure);
    }
    for gap in &exported.gaps {
        let level = if gap.term { "note" } else { "warning" };
        writeln!(stderr, "{level}: not enforced by {tool}: {}", gap.text)?;
    }
    stdout.write_all(exported.text.as_bytes())?;
    Ok(ExitStatus::Success)
}

/// The declaration as the tools see it, every value checked.
struct Policy<'a> {
    name: &'a str,
    path: &'a str,
    signer: Signer<'a>,
    spec: &'a SigningKeySpec,
    predicate_types: Vec<&'a str>,
}

enum Signer<'a> {
    Keyless {
        issuer: &'a str,
        subject: Subject<'a>,
        github: Option<Github<'a>>,
    },
    Key {
        algorithm: KeyAlgorithm,
        /// The PEM, one line each, checked to be nothing but PEM.
        pem: Vec<&'a str>,
    },
}

/// The certificate identity (SAN).
enum Subject<'a> {
    Exact(&'a str),
    /// A regular expression that must match the whole SAN.
    Pattern(Cow<'a, str>),
}

struct Github<'a> {
    repository: &'a str,
    workflow: Option<&'a str>,
    refs: Vec<&'a str>,
    runner: Option<Runner>,
    triggers: Vec<&'a str>,
}

fn export(key: &SigningKey, path: &str, args: &ExportArgs) -> Result<Exported, Refusal> {
    let policy = Policy::of(key, path)?;
    match args.target {
        Target::Cosign => cosign(&policy, args.artifact.as_deref()),
        Target::Gh => gh(&policy, args.artifact.as_deref()),
        Target::PolicyController => policy_controller(&policy, &args.image),
    }
}

impl<'a> Policy<'a> {
    fn of(key: &'a SigningKey, path: &'a str) -> Result<Self, Refusal> {
        let name = key.metadata.name.value.0.as_str();
        let spec = &key.spec;
        let signer = match (&spec.keyless, &spec.public_key) {
            (Some(keyless), None) => {
                let issuer = checked(name, "spec.keyless.issuer", &keyless.issuer.value)?;
                let subject = match (&keyless.identity, &keyless.identity_pattern) {
                    (Some(identity), None) => Subject::Exact(checked(
                        name,
                        "spec.keyless.identity",
                        &identity.value,
                    )?),
                    (None, Some(pattern)) => Subject::Pattern(whole_match(checked(
                        name,
                        "spec.keyless.identityPattern",
                        &pattern.value,
                    )?)),
                    _ => {
                        return Err(Refusal::new(format!(
                            "`{name}` must have exactly one of `spec.keyless.identity` and `spec.keyless.identityPattern`"
                        )));
                    }
                };
                let github = keyless
                    .github
                    .as_ref()
                    .map(|g| Github::of(name, g))
                    .transpose()?;
                Signer::Keyless {
                    issuer,
                    subject,
                    github,
                }
            }
            (None, Some(public_key)) => Signer::Key {
                algorithm: public_key.algorithm.value,
                pem: pem_lines(&public_key.pem.value).ok_or_else(|| {
                    Refusal::new(format!(
                        "`spec.publicKey.pem` of `{name}` is not a plain PEM public key (`-----BEGIN PUBLIC KEY-----`, base64 lines, `-----END PUBLIC KEY-----`)"
                    ))
                })?,
            },
            _ => {
                return Err(Refusal::new(format!(
                    "`{name}` must have exactly one of `spec.keyless` and `spec.publicKey`"
                )));
            }
        };
        let predicate_types = spec
            .allows
            .predicate_types
            .iter()
            .map(|t| checked(name, "spec.allows.predicateTypes", &t.value))
            .collect::<Result<_, _>>()?;
        Ok(Self {
            name,
            path,
            signer,
            spec,
            predicate_types,
        })
    }

    fn artifacts(&self) -> impl Iterator<Item = &'a str> {
        self.spec.allows.artifacts.iter().map(|a| a.value.as_str())
    }

    /// The term, which no tool enforces.
    fn term_gap(&self) -> Gap {
        Gap {
            text: format!(
                "the term, {} to {}: signatures made outside it verify too",
                self.spec.created.value, self.spec.expires.value
            ),
            term: true,
        }
    }

    /// The artifact scope, unless `artifact` is given and within it.
    fn artifact_gap(&self, artifact: Option<&str>) -> Result<Option<Gap>, Refusal> {
        let Some(artifact) = artifact else {
            return Ok(Some(Gap::new(format!(
                "which artifacts it may sign, {} (`--artifact` checks one)",
                listed(self.artifacts())
            ))));
        };
        if artifact_allowed(artifact, self.artifacts()) {
            return Ok(None);
        }
        Err(Refusal::new(format!(
            "`{}` may not sign `{}`: it may sign {}",
            self.name,
            clean(artifact),
            listed(self.artifacts())
        ))
        .help("`--artifact` must match one of `spec.allows.artifacts` by file name (or, for `oci://`, an image package URL)"))
    }

    fn header(&self, tool: &str) -> String {
        format!(
            "# Exported by `tenure export {} --for {tool}` from {}.\n",
            self.name,
            clean(self.path)
        )
    }
}

impl<'a> Github<'a> {
    fn of(name: &str, g: &'a GithubWorkflow) -> Result<Self, Refusal> {
        Ok(Self {
            repository: checked(
                name,
                "spec.keyless.github.repository",
                &g.repository.value.0,
            )?,
            workflow: g
                .workflow
                .as_ref()
                .map(|w| checked(name, "spec.keyless.github.workflow", &w.value))
                .transpose()?,
            refs: g
                .refs
                .iter()
                .map(|r| checked(name, "spec.keyless.github.refs", &r.value))
                .collect::<Result<_, _>>()?,
            runner: g.runner.as_ref().map(|r| r.value),
            triggers: g
                .triggers
                .iter()
                .map(|t| checked(name, "spec.keyless.github.triggers", &t.value))
                .collect::<Result<_, _>>()?,
        })
    }

    /// The one exact ref the run must come from, when there is exactly one.
    fn exact_ref(&self) -> Option<&'a str> {
        match self.refs.as_slice() {
            [one] if !is_glob(one) => Some(one),
            _ => None,
        }
    }

    fn refs_gap(&self, why: &str) -> Option<Gap> {
        if self.refs.is_empty() || self.exact_ref().is_some() {
            return None;
        }
        Some(Gap::new(format!(
            "refs {} (`spec.keyless.github.refs`): {why}",
            listed(self.refs.iter().copied())
        )))
    }

    fn triggers_gap(&self, why: &str) -> Gap {
        Gap::new(format!(
            "triggers {} (`spec.keyless.github.triggers`): {why}",
            listed(self.triggers.iter().copied())
        ))
    }

    fn runner_gap(&self, runner: Runner, why: &str) -> Gap {
        Gap::new(format!(
            "runner `{}` (`spec.keyless.github.runner`): {why}",
            runner_name(runner)
        ))
    }

    /// The workflow file, unless the exact identity already names it.
    fn workflow_gap(&self, subject: &Subject<'_>) -> Option<Gap> {
        let workflow = self.workflow?;
        if let Subject::Exact(identity) = subject
            && identity.starts_with(&format!(
                "https://github.com/{}/{workflow}@",
                self.repository
            ))
        {
            return None;
        }
        Some(Gap::new(format!(
            "workflow `{}` (`spec.keyless.github.workflow`): only as far as the identity names it",
            clean(workflow)
        )))
    }
}

fn runner_name(runner: Runner) -> &'static str {
    match runner {
        Runner::GithubHosted => "github-hosted",
        Runner::SelfHosted => "self-hosted",
        Runner::Any => "any",
    }
}

/// A value fit to be exported: a control or invisible character could hide
/// something from the reader of the output, so it refuses the export.
fn checked<'a>(name: &str, field: &str, value: &'a str) -> Result<&'a str, Refusal> {
    match value.chars().find(|&c| !exportable(c)) {
        None => Ok(value),
        Some(c) => Err(Refusal::new(format!(
            "`{field}` of `{name}` holds U+{:04X}, which cannot be exported safely",
            u32::from(c)
        ))),
    }
}

fn exportable(c: char) -> bool {
    // U+FFFE and U+FFFF are not allowed in YAML at all.
    !c.is_control()
        && tenure_schema::yaml::forbidden_reason(c).is_none()
        && !matches!(c, '\u{fffe}' | '\u{ffff}')
}

/// A pattern that matches the whole SAN, as tenure reads it: cosign, gh and
/// policy-controller search for a match anywhere. Patterns already anchored
/// in the plain way stay as written; anything else is wrapped.
fn whole_match(pattern: &str) -> Cow<'_, str> {
    let body = pattern.strip_suffix('$');
    let ends = body.is_some_and(|b| b.chars().rev().take_while(|&c| c == '\\').count() % 2 == 0);
    // `|` could escape the anchors (`^a$|b`) and `(?m)` could move them.
    if pattern.starts_with('^') && ends && !pattern.contains('|') && !pattern.contains("(?") {
        Cow::Borrowed(pattern)
    } else {
        Cow::Owned(format!("^(?:{pattern})$"))
    }
}

fn is_glob(value: &str) -> bool {
    value.contains(['*', '?', '[', ']', '{', '}', '\\'])
}

/// The lines of a PEM public key, or `None` when it holds anything else (a
/// heredoc or a YAML block must not be able to end early).
fn pem_lines(pem: &str) -> Option<Vec<&str>> {
    let lines: Vec<&str> = pem
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let [first, body @ .., last] = lines.as_slice() else {
        return None;
    };
    let base64 = |l: &&str| {
        l.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '='))
    };
    (*first == "-----BEGIN PUBLIC KEY-----"
        && *last == "-----END PUBLIC KEY-----"
        && !body.is_empty()
        && body.iter().all(base64))
    .then_some(lines)
}

/// `a`, `b` for a message.
fn listed<'a>(values: impl Iterator<Item = &'a str>) -> String {
    values
        .map(|v| format!("`{}`", clean(v)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether `artifact` is one the declaration allows: its file name against
/// the file-name globs, or an `oci://` image against the image package URLs.
fn artifact_allowed<'a>(artifact: &str, allowed: impl Iterator<Item = &'a str>) -> bool {
    let image = artifact.strip_prefix("oci://");
    let file_name = artifact.rsplit(['/', '\\']).next().unwrap_or(artifact);
    allowed.into_iter().any(|pattern| {
        let (glob, subject) = match (image_glob(pattern), image) {
            (Some(Ok(glob)), Some(image)) => (glob, image),
            (None, None) => (pattern.to_owned(), file_name),
            _ => return false,
        };
        tenure_schema::pattern::compile_glob(&glob).is_ok_and(|g| g.is_match(subject))
    })
}

// ---------------------------------------------------------------------------
// cosign and gh: shell command lines

/// The artifact in a command line: the placeholder or the path given.
#[derive(Clone, Copy)]
struct Artifact<'a>(Option<&'a str>);

impl Artifact<'_> {
    fn word(self) -> Cow<'static, str> {
        match self.0 {
            None => Cow::Borrowed("ARTIFACT"),
            Some(path) => Cow::Owned(shell_word(&not_an_option(path)).into_owned()),
        }
    }

    fn bundle(self, suffix: &str) -> String {
        match self.0 {
            None => format!("ARTIFACT{suffix}"),
            Some(path) => shell_word(&format!("{}{suffix}", not_an_option(path))).into_owned(),
        }
    }
}

/// A path that cannot be read as an option.
fn not_an_option(path: &str) -> Cow<'_, str> {
    if path.starts_with('-') {
        Cow::Owned(format!("./{path}"))
    } else {
        Cow::Borrowed(path)
    }
}

/// One word for a POSIX shell: as is when it holds only characters no shell
/// gives a meaning, otherwise in single quotes, where nothing is special but
/// the quote itself.
fn shell_word(value: &str) -> Cow<'_, str> {
    let plain = |c: char| c.is_ascii_alphanumeric() || "@%+=:,./_-".contains(c);
    if !value.is_empty() && value.chars().all(plain) {
        Cow::Borrowed(value)
    } else {
        Cow::Owned(format!("'{}'", value.replace('\'', r"'\''")))
    }
}

/// `--name=VALUE`: with `=`, a value starting with `-` stays a value.
fn flag(name: &str, value: &str) -> String {
    format!("--{name}={}", shell_word(value))
}

/// A command line: a comment, the program, one flag per line.
struct CommandLine {
    comment: String,
    program: &'static str,
    /// Positional arguments right after the program (gh) or at the end (cosign).
    first: Option<Cow<'static, str>>,
    flags: Vec<String>,
    last: Option<Cow<'static, str>>,
}

impl CommandLine {
    fn render(&self, out: &mut String) {
        let _ = writeln!(out, "# {}", self.comment);
        out.push_str(self.program);
        if let Some(first) = &self.first {
            let _ = write!(out, " {first}");
        }
        let rest: Vec<&str> = self
            .flags
            .iter()
            .map(String::as_str)
            .chain(self.last.as_deref())
            .collect();
        for word in rest {
            let _ = write!(out, " \\\n  {word}");
        }
        out.push('\n');
    }
}

/// The shell script: header, what is not enforced, what must come first
/// (the key file), the commands.
fn script(
    policy: &Policy<'_>,
    tool: &str,
    gaps: &[Gap],
    preamble: &str,
    commands: &[CommandLine],
) -> String {
    let mut out = policy.header(tool);
    for gap in gaps {
        let _ = writeln!(out, "# not enforced by {tool}: {}", gap.text);
    }
    out.push_str(preamble);
    for command in commands {
        out.push('\n');
        command.render(&mut out);
    }
    out
}

fn cosign(policy: &Policy<'_>, artifact: Option<&str>) -> Result<Exported, Refusal> {
    let artifact = Artifact(artifact);
    let mut gaps = vec![policy.term_gap()];
    gaps.extend(policy.artifact_gap(artifact.0)?);
    let mut key_file = String::new();
    // Identity flags shared by the signature and attestation commands.
    let mut identity = Vec::new();
    match &policy.signer {
        Signer::Keyless {
            issuer,
            subject,
            github,
        } => {
            identity.push(flag("certificate-oidc-issuer", issuer));
            identity.push(match subject {
                Subject::Exact(id) => flag("certificate-identity", id),
                Subject::Pattern(p) => flag("certificate-identity-regexp", p),
            });
            if let Some(g) = github {
                identity.push(flag("certificate-github-workflow-repository", g.repository));
                gaps.extend(g.workflow_gap(subject));
                if let Some(one) = g.exact_ref() {
                    identity.push(flag("certificate-github-workflow-ref", one));
                }
                gaps.extend(g.refs_gap("cosign checks one exact ref"));
                match g.triggers.as_slice() {
                    [] => {}
                    [one] => identity.push(flag("certificate-github-workflow-trigger", one)),
                    _ => gaps.push(g.triggers_gap("cosign checks one trigger")),
                }
                if let Some(runner @ (Runner::GithubHosted | Runner::SelfHosted)) = g.runner {
                    gaps.push(g.runner_gap(runner, "cosign has no flag for the runner"));
                }
            }
        }
        Signer::Key { pem, .. } => {
            // The key goes to a file first: cosign reads `--key` from a path.
            let file = format!("{}.pub", policy.name);
            let _ = writeln!(
                key_file,
                "\n# the public key (`spec.publicKey`)\ncat > {} <<'TENURE_PUBLIC_KEY'",
                shell_word(&file)
            );
            for line in pem {
                let _ = writeln!(key_file, "{line}");
            }
            key_file.push_str("TENURE_PUBLIC_KEY\n");
            identity.push(flag("key", &file));
        }
    }
    let mut commands = vec![CommandLine {
        comment: "the signature on the artifact".to_owned(),
        program: "cosign verify-blob",
        first: None,
        flags: std::iter::once(format!("--bundle={}", artifact.bundle(".sigstore.json")))
            .chain(identity.iter().cloned())
            .collect(),
        last: Some(artifact.word()),
    }];
    for predicate_type in &policy.predicate_types {
        commands.push(CommandLine {
            comment: format!("an attestation of type `{}`", clean(predicate_type)),
            program: "cosign verify-blob-attestation",
            first: None,
            flags: [
                format!("--bundle={}", artifact.bundle(".intoto.sigstore.json")),
                flag("type", predicate_type),
            ]
            .into_iter()
            .chain(identity.iter().cloned())
            .collect(),
            last: Some(artifact.word()),
        });
    }
    Ok(Exported {
        text: script(policy, "cosign", &gaps, &key_file, &commands),
        gaps,
    })
}

fn gh(policy: &Policy<'_>, artifact: Option<&str>) -> Result<Exported, Refusal> {
    let name = policy.name;
    let Signer::Keyless {
        issuer,
        subject,
        github,
    } = &policy.signer
    else {
        return Err(Refusal::new(format!(
            "`{name}` signs with a public key, and `gh attestation verify` verifies only keyless signatures from GitHub Actions"
        ))
        .help("export it `--for cosign`"));
    };
    let Some(g) = github else {
        return Err(Refusal::new(format!(
            "`{name}` has no `spec.keyless.github`, and `gh attestation verify` needs the repository"
        ))
        .help("export it `--for cosign`"));
    };
    if policy.predicate_types.is_empty() {
        return Err(Refusal::new(format!(
            "`{name}` may attest no predicate type (`spec.allows.predicateTypes`), and `gh attestation verify` verifies attestations only"
        ))
        .help("export it `--for cosign`"));
    }
    let artifact = Artifact(artifact);
    let mut gaps = vec![policy.term_gap()];
    gaps.extend(policy.artifact_gap(artifact.0)?);
    // `--cert-identity`, `--cert-identity-regex` and `--signer-workflow` are
    // exclusive in gh; the identity is the stricter of them.
    let mut flags = vec![
        flag("repo", g.repository),
        match subject {
            Subject::Exact(id) => flag("cert-identity", id),
            Subject::Pattern(p) => flag("cert-identity-regex", p),
        },
        flag("cert-oidc-issuer", issuer),
    ];
    gaps.extend(g.workflow_gap(subject));
    if let Some(one) = g.exact_ref() {
        flags.push(flag("source-ref", one));
    }
    gaps.extend(g.refs_gap("gh checks one exact ref"));
    match g.runner {
        Some(Runner::GithubHosted) => flags.push("--deny-self-hosted-runners".to_owned()),
        Some(runner @ Runner::SelfHosted) => {
            gaps.push(g.runner_gap(runner, "gh can only deny self-hosted runners"));
        }
        Some(Runner::Any) | None => {}
    }
    if !g.triggers.is_empty() {
        gaps.push(g.triggers_gap("gh has no flag for the trigger"));
    }
    let commands: Vec<CommandLine> = policy
        .predicate_types
        .iter()
        .map(|predicate_type| CommandLine {
            comment: format!("an attestation of type `{}`", clean(predicate_type)),
            program: "gh attestation verify",
            first: Some(artifact.word()),
            flags: flags
                .iter()
                .cloned()
                .chain([flag("predicate-type", predicate_type)])
                .collect(),
            last: None,
        })
        .collect();
    Ok(Exported {
        text: script(policy, "gh", &gaps, "", &commands),
        gaps,
    })
}

// ---------------------------------------------------------------------------
// policy-controller: a ClusterImagePolicy

/// The characters policy-controller accepts in an image glob.
fn is_image_glob(glob: &str) -> bool {
    !glob.is_empty()
        && glob
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_:/*.".contains(c))
}

/// The image glob of a package URL: `None` when it is not an image
/// (`pkg:oci`, `pkg:docker`), an error when it is one without a registry or
/// with characters a glob cannot hold.
///
/// The glob ends in `*`: policy-controller matches `REPOSITORY:TAG` and
/// `REPOSITORY@DIGEST`, and its globs cannot hold `@`.
fn image_glob(purl: &str) -> Option<Result<String, String>> {
    let rest = purl.strip_prefix("pkg:")?;
    let rest = rest.split('#').next().unwrap_or(rest);
    let (rest, qualifiers) = rest.split_once('?').unwrap_or((rest, ""));
    let (kind, path) = rest.split_once('/')?;
    let kind = kind.to_ascii_lowercase();
    if kind != "oci" && kind != "docker" {
        return None;
    }
    let path = path.rsplit_once('@').map_or(path, |(p, _version)| p);
    let repository_url = qualifiers.split('&').find_map(|q| {
        q.split_once('=')
            .filter(|(k, _)| k.eq_ignore_ascii_case("repository_url"))
            .map(|(_, v)| percent_decode(v))
    });
    let trim = |url: String| {
        url.trim_start_matches("https://")
            .trim_end_matches('/')
            .to_owned()
    };
    let repository = if kind == "oci" {
        // An OCI package URL names its registry only in `repository_url`.
        match repository_url {
            Some(url) => trim(url),
            None => {
                return Some(Err(format!(
                    "`{}` names no registry: add `?repository_url=REGISTRY/PATH`",
                    clean(purl)
                )));
            }
        }
    } else {
        // Docker Hub is the default, and its official images live in `library/`.
        let registry = match repository_url.map(trim) {
            None => "index.docker.io".to_owned(),
            Some(r) if r == "docker.io" => "index.docker.io".to_owned(),
            Some(r) => r,
        };
        let path = percent_decode(path);
        if registry == "index.docker.io" && !path.contains('/') {
            format!("{registry}/library/{path}")
        } else {
            format!("{registry}/{path}")
        }
    };
    let glob = format!("{repository}*");
    if is_image_glob(&glob) && repository.contains('/') {
        Some(Ok(glob))
    } else {
        Some(Err(format!(
            "`{}` is not an image policy-controller can match",
            clean(purl)
        )))
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let hex = |b: u8| char::from(b).to_digit(16);
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let (Some(hi), Some(lo)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            )
        {
            out.push(u8::try_from(hi * 16 + lo).unwrap_or(b'?'));
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A YAML scalar in single quotes: nothing is special inside but the quote,
/// doubled. Values reaching here hold no control characters ([`checked`]).
fn yaml(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

fn policy_controller(policy: &Policy<'_>, images: &[String]) -> Result<Exported, Refusal> {
    let name = policy.name;
    let images: Vec<String> = if images.is_empty() {
        let mut found = Vec::new();
        for artifact in policy.artifacts() {
            match image_glob(artifact) {
                Some(Ok(glob)) => found.push(glob),
                Some(Err(why)) => {
                    return Err(Refusal::new(why).help("or give the images with `--image GLOB`"));
                }
                None => {}
            }
        }
        if found.is_empty() {
            return Err(Refusal::new(format!(
                "`{name}` allows no container image (`pkg:oci/...?repository_url=...` or `pkg:docker/...` in `spec.allows.artifacts`)"
            ))
            .help("give the images the policy covers with `--image GLOB`"));
        }
        found
    } else {
        images.to_vec()
    };

    let mut gaps = vec![policy.term_gap()];
    let mut authority = String::new();
    match &policy.signer {
        Signer::Keyless {
            issuer,
            subject,
            github,
        } => {
            let subject = match subject {
                Subject::Exact(id) => format!("subject: {}", yaml(id)),
                Subject::Pattern(p) => format!("subjectRegExp: {}", yaml(p)),
            };
            let _ = write!(
                authority,
                "      keyless:\n        url: {FULCIO_URL}\n        identities:\n          - issuer: {}\n            {subject}\n      ctlog:\n        url: {REKOR_URL}\n",
                yaml(issuer)
            );
            if let Some(g) = github {
                let why = "policy-controller checks only the issuer and the identity";
                gaps.push(Gap::new(format!(
                    "repository `{}` (`spec.keyless.github.repository`): {why}",
                    clean(g.repository)
                )));
                if let Some(workflow) = g.workflow {
                    gaps.push(Gap::new(format!(
                        "workflow `{}` (`spec.keyless.github.workflow`): {why}",
                        clean(workflow)
                    )));
                }
                if !g.refs.is_empty() {
                    gaps.push(Gap::new(format!(
                        "refs {} (`spec.keyless.github.refs`): {why}",
                        listed(g.refs.iter().copied())
                    )));
                }
                if let Some(runner @ (Runner::GithubHosted | Runner::SelfHosted)) = g.runner {
                    gaps.push(g.runner_gap(runner, why));
                }
                if !g.triggers.is_empty() {
                    gaps.push(g.triggers_gap(why));
                }
            }
        }
        Signer::Key { algorithm, pem } => {
            authority.push_str("      key:\n");
            // policy-controller's default; Ed25519 hashes nothing first.
            if *algorithm == KeyAlgorithm::EcdsaP256 {
                authority.push_str("        hashAlgorithm: sha256\n");
            }
            authority.push_str("        data: |\n");
            for line in pem {
                let _ = writeln!(authority, "          {line}");
            }
        }
    }

    let mut out = policy.header("policy-controller");
    for gap in &gaps {
        let _ = writeln!(out, "# not enforced by policy-controller: {}", gap.text);
    }
    let _ = write!(
        out,
        "apiVersion: policy.sigstore.dev/v1beta1\nkind: ClusterImagePolicy\nmetadata:\n  name: {}\nspec:\n  images:\n",
        yaml(name)
    );
    for glob in &images {
        let _ = writeln!(out, "    - glob: {}", yaml(glob));
    }
    // Authorities are alternatives: a signature, or an attestation of an
    // allowed type, by the signer.
    out.push_str("  authorities:\n    - name: signature\n");
    out.push_str(&authority);
    for (i, predicate_type) in policy.predicate_types.iter().enumerate() {
        let _ = writeln!(out, "    - name: attestation-{}", i + 1);
        out.push_str(&authority);
        let _ = write!(
            out,
            "      attestations:\n        - name: attestation-{}\n          predicateType: {}\n",
            i + 1,
            yaml(predicate_type)
        );
    }
    Ok(Exported { text: out, gaps })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words_are_quoted_unless_plain() {
        assert_eq!(shell_word("acme/web"), "acme/web");
        assert_eq!(
            shell_word("https://token.actions.githubusercontent.com"),
            "https://token.actions.githubusercontent.com"
        );
        assert_eq!(shell_word(""), "''");
        assert_eq!(shell_word("a b"), "'a b'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
        assert_eq!(shell_word("$(id)"), "'$(id)'");
        assert_eq!(shell_word("~/x"), "'~/x'");
        assert_eq!(flag("key", "--evil"), "--key=--evil");
    }

    #[test]
    fn patterns_match_the_whole_identity() {
        assert_eq!(whole_match("^a\\.b$"), "^a\\.b$");
        assert_eq!(whole_match("a.b"), "^(?:a.b)$");
        assert_eq!(whole_match("^a$|b"), "^(?:^a$|b)$");
        assert_eq!(whole_match("^a\\$"), "^(?:^a\\$)$");
        assert_eq!(whole_match("^a\\\\$"), "^a\\\\$");
        assert_eq!(whole_match("(?m)^a$"), "^(?:(?m)^a$)$");
    }

    #[test]
    fn pem_must_be_only_pem() {
        let good = "-----BEGIN PUBLIC KEY-----\nMFkw+/=\n-----END PUBLIC KEY-----\n";
        assert_eq!(pem_lines(good).map(|l| l.len()), Some(3));
        let heredoc_end =
            "-----BEGIN PUBLIC KEY-----\nTENURE_PUBLIC_KEY\nrm -rf ~\n-----END PUBLIC KEY-----";
        assert_eq!(pem_lines(heredoc_end), None);
        assert_eq!(
            pem_lines("-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----"),
            None
        );
    }

    #[test]
    fn image_purls_become_globs() {
        let glob = |p: &str| image_glob(p).map(|r| r.map_err(|_| ()));
        assert_eq!(
            glob("pkg:oci/web@*?repository_url=ghcr.io/acme/web"),
            Some(Ok("ghcr.io/acme/web*".to_owned()))
        );
        assert_eq!(
            glob("pkg:oci/web@sha256%3Aabc?repository_url=ghcr.io%2Facme%2Fweb&tag=v1"),
            Some(Ok("ghcr.io/acme/web*".to_owned()))
        );
        assert_eq!(glob("pkg:oci/web@*"), Some(Err(())));
        assert_eq!(
            glob("pkg:docker/debian@12"),
            Some(Ok("index.docker.io/library/debian*".to_owned()))
        );
        assert_eq!(
            glob("pkg:docker/acme/web@1?repository_url=gcr.io"),
            Some(Ok("gcr.io/acme/web*".to_owned()))
        );
        assert_eq!(glob("pkg:docker/acme/we'b@1"), Some(Err(())));
        assert_eq!(glob("pkg:cargo/tenure@*"), None);
        assert_eq!(glob("web-*.tar.gz"), None);
    }

    #[test]
    fn artifacts_are_matched_by_file_name_or_image() {
        let allowed = [
            "web-*.tar.gz",
            "pkg:oci/web@*?repository_url=ghcr.io/acme/web",
        ];
        let ok = |a: &str| artifact_allowed(a, allowed.iter().copied());
        assert!(ok("dist/web-1.2.tar.gz"));
        assert!(ok("web-1.2.tar.gz"));
        assert!(!ok("dist/api-1.2.tar.gz"));
        assert!(ok("oci://ghcr.io/acme/web:1.2"));
        assert!(!ok("oci://ghcr.io/evil/web:1.2"));
        assert!(!ok("web-1.2.tar.gz/../../etc/passwd"));
    }
}
