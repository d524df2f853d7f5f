//! `tenure new KIND [NAME]`: scaffold a declaration from flags, or from
//! answers when stdin is a terminal, with the longest term the policy allows,
//! checked with the rest of the registry before it is written.

use std::collections::BTreeSet;
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use tenure_schema::model::{Days, Declaration, Instant};
use tenure_schema::registry::{self, LoadOptions, Registry};
use tenure_schema::settings::Scopes;

use super::renew::{staged, term};
use crate::ExitStatus;
use crate::render::{self, Files};

pub(crate) mod prompt;
pub(crate) mod scaffold;

use prompt::Prompt;
use scaffold::{NewKind, Values};

/// The identity types, for the question and its check (`spec.type`).
const IDENTITY_TYPES: [&str; 9] = [
    "github-actions",
    "deploy-key",
    "github-app",
    "aws-iam-user",
    "aws-iam-role",
    "api-key",
    "service-account",
    "bot",
    "ai-agent",
];

/// Types a third party may operate: `vendor` is required (`missing-vendor`).
const VENDOR_TYPES: [&str; 2] = ["github-app", "ai-agent"];

/// GitHub Actions' OIDC issuer, implied by a GitHub Actions subject or a
/// keyless signer bound to a repository.
const GITHUB_ISSUER: &str = "https://token.actions.githubusercontent.com";

/// The published schema files, for registries outside tenure's repository.
const SCHEMA_URL: &str =
    "https://raw.githubusercontent.com/tenure-dev/tenure/main/registry-schema/schema/";

#[derive(Debug, clap::Args)]
pub(crate) struct NewArgs {
    /// What to declare.
    #[arg(value_enum)]
    pub(crate) kind: NewKind,

    // Boxed: `Command` holds each subcommand's arguments inline, and these are many.
    #[command(flatten)]
    pub(crate) flags: Box<NewFlags>,
}

/// Everything but the kind.
#[derive(Debug, clap::Args)]
pub(crate) struct NewFlags {
    /// Its name: lower-case letters, digits and dashes; the file is `<NAME>.yaml`.
    pub(crate) name: Option<String>,

    /// The Team that owns it and answers for it (a team: itself, unless given).
    #[arg(long, value_name = "TEAM")]
    pub(crate) owner: Option<String>,

    /// What it is for, in a sentence or two a reviewer can judge.
    #[arg(long, value_name = "TEXT")]
    pub(crate) description: Option<String>,

    /// A label (repeatable).
    #[arg(long = "label", value_name = "KEY=VALUE")]
    pub(crate) labels: Vec<String>,

    /// The folder to write to, relative to the registry root. Default: where
    /// the owner's declarations are (teams: where the teams are).
    #[arg(long, value_name = "FOLDER")]
    pub(crate) dir: Option<String>,

    /// The registry folder (the one holding `tenure.yaml`). Default: found from
    /// the current folder upwards, also looking into `identities/`.
    #[arg(long, value_name = "PATH")]
    pub(crate) registry: Option<PathBuf>,

    /// Treat this instant as now (`2026-07-01` or RFC 3339); `created` is its day (UTC).
    #[arg(long, env = "TENURE_NOW", value_name = "TIME")]
    pub(crate) now: Option<String>,

    /// Print the file on stdout and write nothing.
    #[arg(long)]
    pub(crate) dry_run: bool,

    /// When trust ends: the last day (`2027-05-01`) or an RFC 3339 timestamp.
    /// Default: the longest term the policy allows, or 90 days when no maximum
    /// lifetime applies.
    #[arg(
        long,
        value_name = "TIME",
        conflicts_with = "term",
        help_heading = "Term"
    )]
    pub(crate) expires: Option<String>,

    /// How long the term lasts, counting today (`90d`, `12w`, `1y`).
    #[arg(long = "for", value_name = "DURATION", value_parser = term::parse_duration, help_heading = "Term")]
    pub(crate) term: Option<Days>,

    /// The environment it acts in, one of `tenure.yaml`'s `environments` (a
    /// signing key: `production` unless given).
    #[arg(long, value_name = "ENV", help_heading = "Identity and signing key")]
    pub(crate) environment: Option<String>,

    /// The GitHub repository, `owner/name`: where the identity lives, or the
    /// source repository of a keyless signer.
    #[arg(
        long,
        value_name = "OWNER/NAME",
        help_heading = "Identity and signing key"
    )]
    pub(crate) repository: Option<String>,

    /// The workflow file, `.github/workflows/<file>.yml`.
    #[arg(long, value_name = "PATH", help_heading = "Identity and signing key")]
    pub(crate) workflow: Option<String>,

    /// The Git ref, exact or a glob (`refs/tags/v*`); repeatable for a signing key.
    #[arg(
        long = "ref",
        value_name = "REF",
        help_heading = "Identity and signing key"
    )]
    pub(crate) refs: Vec<String>,

    /// The OIDC issuer trusted by federation or keyless signing. Default
    /// with `--subject` on `github-actions`, or `--repository` on a keyless
    /// signer: GitHub Actions' issuer.
    #[arg(long, value_name = "URL", help_heading = "Identity and signing key")]
    pub(crate) issuer: Option<String>,

    /// A file holding the public key: an OpenSSH line or PEM (a signing key: PEM).
    #[arg(long, value_name = "FILE", help_heading = "Identity and signing key")]
    pub(crate) public_key_file: Option<PathBuf>,

    /// The identity type.
    #[arg(long = "type", value_name = "TYPE", help_heading = "Identity")]
    pub(crate) identity_type: Option<String>,

    /// The third party that operates it; `self` when you do.
    #[arg(long, value_name = "TEXT", help_heading = "Identity")]
    pub(crate) vendor: Option<String>,

    /// The GitHub deployment environment it is bound to.
    #[arg(long, value_name = "NAME", help_heading = "Identity")]
    pub(crate) github_environment: Option<String>,

    /// The exact `sub` claim federation accepts.
    #[arg(long, value_name = "SUB", help_heading = "Identity")]
    pub(crate) subject: Option<String>,

    /// A regular expression the whole `sub` claim must match, from `^` to `$`.
    #[arg(
        long,
        value_name = "REGEX",
        conflicts_with = "subject",
        help_heading = "Identity"
    )]
    pub(crate) subject_pattern: Option<String>,

    /// The `aud` claim the token must carry.
    #[arg(long, value_name = "AUD", help_heading = "Identity")]
    pub(crate) audience: Option<String>,

    /// The 12-digit AWS account id.
    #[arg(long, value_name = "ID", help_heading = "Identity")]
    pub(crate) aws_account: Option<String>,

    /// The AWS IAM role name.
    #[arg(long, value_name = "NAME", help_heading = "Identity")]
    pub(crate) aws_role: Option<String>,

    /// The AWS IAM user name.
    #[arg(long, value_name = "NAME", help_heading = "Identity")]
    pub(crate) aws_user: Option<String>,

    /// Access granted on a scope, `read`, `write` or `admin` (repeatable).
    #[arg(
        long = "permission",
        value_name = "SCOPE=ACCESS",
        help_heading = "Identity"
    )]
    pub(crate) permissions: Vec<String>,

    /// Why the access is needed; required for `write` and `admin`.
    #[arg(long, value_name = "TEXT", help_heading = "Identity")]
    pub(crate) justification: Option<String>,

    /// The exact certificate identity (SAN) of a keyless signer.
    #[arg(long, value_name = "SAN", help_heading = "Signing key")]
    pub(crate) identity: Option<String>,

    /// A regular expression the whole SAN must match, from `^` to `$`.
    #[arg(
        long,
        value_name = "REGEX",
        conflicts_with = "identity",
        help_heading = "Signing key"
    )]
    pub(crate) identity_pattern: Option<String>,

    /// The algorithm of `--public-key-file`.
    #[arg(long, value_name = "ALG", value_parser = ["ed25519", "ecdsa-p256"], help_heading = "Signing key")]
    pub(crate) algorithm: Option<String>,

    /// An artifact it may sign: a file-name glob or a package URL (repeatable).
    #[arg(long = "artifact", value_name = "GLOB", help_heading = "Signing key")]
    pub(crate) artifacts: Vec<String>,

    /// An in-toto predicate type it may attest (repeatable).
    #[arg(
        long = "predicate-type",
        value_name = "URI",
        help_heading = "Signing key"
    )]
    pub(crate) predicate_types: Vec<String>,

    /// A member's GitHub login (repeatable).
    #[arg(long = "member", value_name = "LOGIN", help_heading = "Team")]
    pub(crate) members: Vec<String>,

    /// A maintainer's GitHub login (repeatable).
    #[arg(long = "maintainer", value_name = "LOGIN", help_heading = "Team")]
    pub(crate) maintainers: Vec<String>,

    /// The matching GitHub team, `org/slug`.
    #[arg(long, value_name = "ORG/SLUG", help_heading = "Team")]
    pub(crate) github_team: Option<String>,

    /// The team's e-mail address.
    #[arg(long, value_name = "ADDRESS", help_heading = "Team")]
    pub(crate) email: Option<String>,

    /// The team's chat channel (`#platform`).
    #[arg(long, value_name = "CHANNEL", help_heading = "Team")]
    pub(crate) chat: Option<String>,
}

pub(crate) fn run(
    args: &NewArgs,
    color: bool,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> anyhow::Result<ExitStatus> {
    flags_apply(args)?;
    let root = super::locate_registry(args.flags.registry.as_deref())?;
    if !root.is_dir() {
        bail!("`{}` is not a folder", root.display());
    }
    let now = super::now(args.flags.now.as_deref())?;
    let today = term::today(now);
    let asked_expiry = args
        .flags
        .expires
        .as_deref()
        .map(|text| Instant::parse(text).map_err(|e| anyhow::anyhow!("invalid `--expires`: {e}")))
        .transpose()?;
    let registry = registry::load(&root, &LoadOptions::default())
        .with_context(|| format!("cannot load the registry at `{}`", root.display()))?;
    if registry.config_broken {
        writeln!(
            stderr,
            "error: `{}` does not load, so the policy is unknown; fix it first (`tenure check`)",
            staged::display_path(&root, registry::CONFIG_FILE)
        )?;
        return Ok(ExitStatus::Failure);
    }

    let values = {
        let stdin = std::io::stdin();
        let interactive = stdin.is_terminal();
        let mut lock = stdin.lock();
        let input: Option<&mut dyn BufRead> = if interactive { Some(&mut lock) } else { None };
        let mut prompt = Prompt::new(input, stderr);
        let values = gather(args, &registry, &mut prompt)?;
        prompt.finish()?;
        values
    };
    if !is_name(&values.name) {
        bail!(
            "`{}` is not a name: use lower-case letters, digits and dashes, starting and ending with a letter or digit, at most 63 characters",
            render::clean(&values.name)
        );
    }
    if !is_name(&values.owner) {
        bail!(
            "`{}` is not a team name: use lower-case letters, digits and dashes",
            render::clean(&values.owner)
        );
    }
    let folder = folder(
        &registry,
        args.kind,
        &values.owner,
        args.flags.dir.as_deref(),
    )?;
    let rel = join(&folder, &format!("{}.yaml", values.name));
    let shown = staged::display_path(&root, &rel);
    if let Some(taken) = taken(&registry, &root, &values.name, &rel) {
        writeln!(stderr, "error: {taken}; choose another name")?;
        return Ok(ExitStatus::Failure);
    }
    let schema = schema_ref(&root, &folder, args.kind);
    let created = today.to_string();

    // A first draft, with a one-day term unless one is asked for, tells
    // which maximum lifetime applies (it depends on type, environment, vendor).
    let draft_expiry = asked_expiry.map_or_else(|| created.clone(), |i| i.to_string());
    let has_term = args.kind != NewKind::Team;
    let draft = scaffold::render(
        args.kind,
        &values,
        &schema,
        has_term.then_some((created.as_str(), draft_expiry.as_str())),
    );
    let staged_draft = staged::with_file(&registry, &rel, &draft);
    let Some(declaration) = staged_draft
        .entries
        .iter()
        .find(|e| staged_draft.files[e.file].path == rel)
        .map(|e| &e.declaration)
    else {
        return refuse(&staged_draft, &root, &rel, now, color, stderr);
    };
    let scopes = Scopes::new(&staged_draft);
    let settings = scopes.for_path(&rel);
    let limit = settings.max_lifetime(declaration);

    let (text, summary) = if has_term {
        let (expires, days) = match (asked_expiry, args.flags.term) {
            (Some(instant), _) => {
                let days = term::term_days(today, &instant);
                (instant.to_string(), Days(u32::try_from(days).unwrap_or(0)))
            }
            (None, Some(days)) => (
                term::last_day(term::end_of_term(today, days)?)?.to_string(),
                days,
            ),
            (None, None) => {
                let days = limit.as_ref().map_or(term::DEFAULT_TERM, |l| l.days);
                (
                    term::last_day(term::end_of_term(today, days)?)?.to_string(),
                    days,
                )
            }
        };
        let asked = asked_expiry.is_some() || args.flags.term.is_some();
        if let Some(limit) = &limit
            && asked
            && days > limit.days
            && term::limit_binds(&settings)
        {
            writeln!(
                stderr,
                "error: a term of {} days for `{}` is longer than {} ({}), set in {}",
                days.0,
                values.name,
                limit.what,
                limit.days,
                term::limit_place(&staged_draft, &root, limit)
            )?;
            writeln!(
                stderr,
                "help: ask for at most {} (`--for {}`), or leave `--expires` and `--for` out for the longest term allowed",
                limit.days, limit.days
            )?;
            return Ok(ExitStatus::Failure);
        }
        let text = scaffold::render(
            args.kind,
            &values,
            &schema,
            Some((created.as_str(), expires.as_str())),
        );
        let summary = format!(
            ", expires {expires} ({})",
            term::why(asked, days, limit.as_ref())
        );
        (text, summary)
    } else {
        (draft, String::new())
    };

    let staged_final = staged::with_file(&registry, &rel, &text);
    let found = staged::findings(&staged_final, &rel, now);
    if staged::has_errors(&found) {
        return refuse(&staged_final, &root, &rel, now, color, stderr);
    }
    if !found.is_empty() {
        let files = Files::new(&staged_final, &root);
        render::human::render(&files, &found, color, stderr)?;
    }
    if args.flags.dry_run {
        stdout.write_all(text.as_bytes())?;
        writeln!(stderr, "dry run: `{shown}` is not written")?;
        return Ok(ExitStatus::Success);
    }
    let path = root.join(&rel);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create `{}`", dir.display()))?;
    }
    staged::write_atomic(&path, text.as_bytes(), false)?;
    writeln!(
        stdout,
        "created {shown}: {} `{}`{summary}",
        args.kind.kind().as_str(),
        values.name
    )?;
    writeln!(stdout, "next:")?;
    for step in next_steps(args.kind, &values) {
        writeln!(stdout, "  - {step}")?;
    }
    Ok(ExitStatus::Success)
}

/// Print what the new file would be refused for, and refuse.
fn refuse(
    staged: &Registry,
    root: &Path,
    rel: &str,
    now: jiff::Timestamp,
    color: bool,
    stderr: &mut dyn Write,
) -> anyhow::Result<ExitStatus> {
    let found = staged::findings(staged, rel, now);
    let files = Files::new(staged, root);
    render::human::render(&files, &found, color, stderr)?;
    writeln!(
        stderr,
        "error: `{}` would not pass `tenure check`; nothing is written",
        staged::display_path(root, rel)
    )?;
    Ok(ExitStatus::Failure)
}

/// Resolve every value from flags, defaults and answers.
fn gather(args: &NewArgs, registry: &Registry, prompt: &mut Prompt<'_>) -> anyhow::Result<Values> {
    let kind = args.kind;
    let name = prompt.value(
        args.flags.name.as_deref(),
        "NAME",
        "name (lower-case letters, digits and dashes)",
        None,
    )?;
    let owner = match (&args.flags.owner, kind, &name) {
        (Some(owner), ..) => Some(owner.clone()),
        // A team owns itself unless told otherwise.
        (None, NewKind::Team, Some(name)) => {
            prompt.value(None, "--owner", "owner team", Some(name))?
        }
        (None, NewKind::Team, None) => None,
        (None, ..) => prompt.value(None, "--owner", "owner team", None)?,
    };
    let description = prompt.value(
        args.flags.description.as_deref(),
        "--description",
        "description: what it is for, for a reviewer",
        None,
    )?;
    let mut values = Values {
        name: name.unwrap_or_default(),
        owner: owner.unwrap_or_default(),
        description: description.unwrap_or_default(),
        labels: pairs(&args.flags.labels, "--label", "KEY=VALUE")?,
        ..Values::default()
    };
    let public_key = args
        .flags
        .public_key_file
        .as_deref()
        .map(read_public_key)
        .transpose()?;
    match kind {
        NewKind::Identity => {
            let folder = folder(registry, kind, &values.owner, args.flags.dir.as_deref())?;
            let rel = join(&folder, &format!("{}.yaml", values.name));
            let scopes = Scopes::new(registry);
            let (environments, _) = scopes.for_path(&rel).environments();
            let choices: Vec<&str> = environments.iter().map(String::as_str).collect();
            let only = (choices.len() == 1).then(|| choices[0]);
            let identity_type = prompt.choice(
                args.flags.identity_type.as_deref(),
                "--type",
                "type",
                &IDENTITY_TYPES,
                None,
            )?;
            let environment = prompt.choice(
                args.flags.environment.as_deref(),
                "--environment",
                "environment",
                &choices,
                only,
            )?;
            let needs_vendor = identity_type
                .as_deref()
                .is_some_and(|t| VENDOR_TYPES.contains(&t));
            let vendor = if needs_vendor {
                prompt.value(
                    args.flags.vendor.as_deref(),
                    "--vendor",
                    "vendor: the third party that operates it (`self` when you do)",
                    None,
                )?
            } else {
                args.flags.vendor.clone()
            };
            let needs_repository = args.flags.github_environment.is_some()
                || args.flags.workflow.is_some()
                || !args.flags.refs.is_empty();
            let repository = if needs_repository {
                prompt.value(
                    args.flags.repository.as_deref(),
                    "--repository",
                    "GitHub repository (owner/name)",
                    None,
                )?
            } else {
                args.flags.repository.clone()
            };
            let needs_account = args.flags.aws_role.is_some() || args.flags.aws_user.is_some();
            let aws_account = if needs_account {
                prompt.value(
                    args.flags.aws_account.as_deref(),
                    "--aws-account",
                    "AWS account id (12 digits)",
                    None,
                )?
            } else {
                args.flags.aws_account.clone()
            };
            let federated = args.flags.subject.is_some()
                || args.flags.subject_pattern.is_some()
                || args.flags.audience.is_some();
            let issuer = match (&args.flags.issuer, federated) {
                (Some(issuer), _) => Some(issuer.clone()),
                (None, false) => None,
                (None, true) => {
                    let github = identity_type.as_deref() == Some("github-actions");
                    prompt.value(
                        None,
                        "--issuer",
                        "OIDC issuer",
                        github.then_some(GITHUB_ISSUER),
                    )?
                }
            };
            if args.flags.refs.len() > 1 {
                bail!("an identity takes one `--ref`");
            }
            values.identity = scaffold::IdentityValues {
                identity_type: identity_type.unwrap_or_default(),
                environment: environment.unwrap_or_default(),
                vendor,
                repository,
                github_environment: args.flags.github_environment.clone(),
                workflow: args.flags.workflow.clone(),
                git_ref: args.flags.refs.first().cloned(),
                aws_account,
                aws_role: args.flags.aws_role.clone(),
                aws_user: args.flags.aws_user.clone(),
                issuer,
                subject: args.flags.subject.clone(),
                subject_pattern: args.flags.subject_pattern.clone(),
                audience: args.flags.audience.clone(),
                public_key,
                permissions: pairs(&args.flags.permissions, "--permission", "SCOPE=ACCESS")?,
                justification: args.flags.justification.clone(),
            };
        }
        NewKind::SigningKey => {
            let mut signing = scaffold::SigningValues {
                environment: args.flags.environment.clone(),
                artifacts: prompt.list(
                    &args.flags.artifacts,
                    "--artifact",
                    "artifacts it may sign (file-name globs or package URLs)",
                )?,
                predicate_types: args.flags.predicate_types.clone(),
                ..Default::default()
            };
            match public_key {
                Some(pem) => {
                    signing.algorithm = prompt.choice(
                        args.flags.algorithm.as_deref(),
                        "--algorithm",
                        "key algorithm",
                        &["ed25519", "ecdsa-p256"],
                        None,
                    )?;
                    signing.pem = Some(pem);
                }
                None => {
                    if args.flags.algorithm.is_some() {
                        bail!("`--algorithm` goes with `--public-key-file`");
                    }
                    let implied = args.flags.repository.is_some().then_some(GITHUB_ISSUER);
                    signing.issuer = prompt.value(
                        args.flags.issuer.as_deref(),
                        "--issuer",
                        "OIDC issuer of the signer",
                        implied,
                    )?;
                    match (&args.flags.identity, &args.flags.identity_pattern) {
                        (None, None) => {
                            let answer = prompt.value(
                                None,
                                "--identity",
                                "certificate identity: the exact SAN, or a regular expression from `^` to `$`",
                                None,
                            )?;
                            match answer {
                                Some(p) if p.starts_with('^') => signing.identity_pattern = Some(p),
                                other => signing.identity = other,
                            }
                        }
                        (identity, pattern) => {
                            signing.identity = identity.clone();
                            signing.identity_pattern = pattern.clone();
                        }
                    }
                    let needs_repository =
                        args.flags.workflow.is_some() || !args.flags.refs.is_empty();
                    signing.repository = if needs_repository {
                        prompt.value(
                            args.flags.repository.as_deref(),
                            "--repository",
                            "source repository (owner/name)",
                            None,
                        )?
                    } else {
                        args.flags.repository.clone()
                    };
                    signing.workflow = args.flags.workflow.clone();
                    signing.refs = args.flags.refs.clone();
                }
            }
            values.signing = signing;
        }
        NewKind::Team => {
            let members = if args.flags.members.is_empty() && args.flags.maintainers.is_empty() {
                prompt.list(&[], "--member", "members (GitHub logins)")?
            } else {
                args.flags.members.clone()
            };
            values.team = scaffold::TeamValues {
                members,
                maintainers: args.flags.maintainers.clone(),
                github_team: args.flags.github_team.clone(),
                email: args.flags.email.clone(),
                chat: args.flags.chat.clone(),
            };
        }
    }
    Ok(values)
}

/// Refuse flags that belong to another kind, rather than drop them silently.
fn flags_apply(args: &NewArgs) -> anyhow::Result<()> {
    use NewKind::{Identity, SigningKey, Team};
    let terms: &[NewKind] = &[Identity, SigningKey];
    let set: [(&str, bool, &[NewKind]); 29] = [
        ("--expires", args.flags.expires.is_some(), terms),
        ("--for", args.flags.term.is_some(), terms),
        ("--environment", args.flags.environment.is_some(), terms),
        ("--repository", args.flags.repository.is_some(), terms),
        ("--workflow", args.flags.workflow.is_some(), terms),
        ("--ref", !args.flags.refs.is_empty(), terms),
        ("--issuer", args.flags.issuer.is_some(), terms),
        (
            "--public-key-file",
            args.flags.public_key_file.is_some(),
            terms,
        ),
        ("--type", args.flags.identity_type.is_some(), &[Identity]),
        ("--vendor", args.flags.vendor.is_some(), &[Identity]),
        (
            "--github-environment",
            args.flags.github_environment.is_some(),
            &[Identity],
        ),
        ("--subject", args.flags.subject.is_some(), &[Identity]),
        (
            "--subject-pattern",
            args.flags.subject_pattern.is_some(),
            &[Identity],
        ),
        ("--audience", args.flags.audience.is_some(), &[Identity]),
        (
            "--aws-account",
            args.flags.aws_account.is_some(),
            &[Identity],
        ),
        ("--aws-role", args.flags.aws_role.is_some(), &[Identity]),
        ("--aws-user", args.flags.aws_user.is_some(), &[Identity]),
        (
            "--permission",
            !args.flags.permissions.is_empty(),
            &[Identity],
        ),
        (
            "--justification",
            args.flags.justification.is_some(),
            &[Identity],
        ),
        ("--identity", args.flags.identity.is_some(), &[SigningKey]),
        (
            "--identity-pattern",
            args.flags.identity_pattern.is_some(),
            &[SigningKey],
        ),
        ("--algorithm", args.flags.algorithm.is_some(), &[SigningKey]),
        (
            "--artifact",
            !args.flags.artifacts.is_empty(),
            &[SigningKey],
        ),
        (
            "--predicate-type",
            !args.flags.predicate_types.is_empty(),
            &[SigningKey],
        ),
        ("--member", !args.flags.members.is_empty(), &[Team]),
        ("--maintainer", !args.flags.maintainers.is_empty(), &[Team]),
        ("--github-team", args.flags.github_team.is_some(), &[Team]),
        ("--email", args.flags.email.is_some(), &[Team]),
        ("--chat", args.flags.chat.is_some(), &[Team]),
    ];
    let wrong: Vec<String> = set
        .iter()
        .filter(|(_, given, kinds)| *given && !kinds.contains(&args.kind))
        .map(|(flag, ..)| format!("`{flag}`"))
        .collect();
    if !wrong.is_empty() {
        bail!(
            "{} {} not apply to {}",
            wrong.join(", "),
            if wrong.len() == 1 { "does" } else { "do" },
            a_kind(args.kind.kind())
        );
    }
    Ok(())
}

/// "an Identity", "a Team".
fn a_kind(kind: tenure_schema::model::Kind) -> String {
    let name = kind.as_str();
    let article = if name.starts_with(['A', 'E', 'I', 'O', 'U']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {name}")
}

/// `KEY=VALUE` flags as pairs.
fn pairs(given: &[String], flag: &str, shape: &str) -> anyhow::Result<Vec<(String, String)>> {
    given
        .iter()
        .map(|pair| {
            pair.split_once('=')
                .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
                .with_context(|| format!("`{flag}` takes `{shape}`, not `{}`", render::clean(pair)))
        })
        .collect()
}

/// The public key in `path`. A private key is refused without being shown.
fn read_public_key(path: &Path) -> anyhow::Result<String> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read `{}`", path.display()))?;
    if text.contains("PRIVATE KEY") {
        bail!(
            "`{}` holds a private key; pass its public half (the `.pub` file, or `openssl pkey -pubout`)",
            path.display()
        );
    }
    Ok(text.trim().to_owned())
}

/// A declaration name, as the schema has it.
fn is_name(s: &str) -> bool {
    let b = s.as_bytes();
    let inner = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-';
    let edge = |c: Option<&u8>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    (1..=63).contains(&b.len()) && b.iter().all(inner) && edge(b.first()) && edge(b.last())
}

fn join(folder: &str, file: &str) -> String {
    if folder.is_empty() {
        file.to_owned()
    } else {
        format!("{folder}/{file}")
    }
}

/// The folder of a registry path, `` at the root.
fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// Where the new file goes, relative to the registry root: `--dir`, else the
/// registry's own convention. Teams go where the teams are (`teams/`).
/// Other declarations go where their owner's are when those share one
/// folder, else to a folder named after the owner if there is one, else to
/// the root when every declaration is there (a flat registry), else to a new
/// folder named after the owner.
fn folder(
    registry: &Registry,
    kind: NewKind,
    owner: &str,
    dir: Option<&str>,
) -> anyhow::Result<String> {
    if let Some(dir) = dir {
        return clean_dir(dir);
    }
    let only = |paths: Vec<&str>| -> Option<String> {
        let set: BTreeSet<&str> = paths.into_iter().map(parent).collect();
        (set.len() == 1).then(|| set.into_iter().next().unwrap_or("").to_owned())
    };
    let path_of = |file: usize| registry.files[file].path.as_str();
    let is_team = |d: &Declaration| matches!(d, Declaration::Team(_));
    if kind == NewKind::Team {
        let teams = registry.entries.iter().filter(|e| is_team(&e.declaration));
        return Ok(
            only(teams.map(|e| path_of(e.file)).collect()).unwrap_or_else(|| "teams".to_owned())
        );
    }
    let others: Vec<_> = registry
        .entries
        .iter()
        .filter(|e| !is_team(&e.declaration))
        .collect();
    let owned = others
        .iter()
        .filter(|e| e.declaration.metadata().owner.value.0 == owner)
        .map(|e| path_of(e.file))
        .collect();
    Ok(only(owned)
        .or_else(|| {
            (!owner.is_empty() && registry.root.join(owner).is_dir()).then(|| owner.to_owned())
        })
        .or_else(|| only(others.iter().map(|e| path_of(e.file)).collect()).filter(|f| f.is_empty()))
        .unwrap_or_else(|| owner.to_owned()))
}

/// `--dir` as a registry path: relative, no `..`, no dot-folders (which
/// tenure does not read).
fn clean_dir(dir: &str) -> anyhow::Result<String> {
    let mut parts = Vec::new();
    for part in dir.split(['/', '\\']) {
        match part {
            "" | "." => {}
            p if p.starts_with('.') => bail!(
                "`--dir {}`: tenure does not read folders whose names start with a dot",
                render::clean(dir)
            ),
            p if p.contains(':') => bail!(
                "`--dir` is a folder inside the registry, not `{}`",
                render::clean(dir)
            ),
            p => parts.push(p),
        }
    }
    if dir.starts_with(['/', '\\']) {
        bail!(
            "`--dir` is a folder inside the registry, not `{}`",
            render::clean(dir)
        );
    }
    Ok(parts.join("/"))
}

/// Why `name` cannot be used at `rel`, if it cannot.
fn taken(registry: &Registry, root: &Path, name: &str, rel: &str) -> Option<String> {
    if let Some(entry) = registry
        .entries
        .iter()
        .find(|e| e.declaration.name() == name)
    {
        return Some(format!(
            "{} named `{name}` exists already: {}",
            a_kind(entry.declaration.kind()),
            staged::display_path(root, &registry.files[entry.file].path)
        ));
    }
    let file_name = format!("{name}.yaml");
    if let Some(file) = registry
        .files
        .iter()
        .find(|f| f.path == file_name || f.path.ends_with(&format!("/{file_name}")))
    {
        return Some(format!(
            "`{}` exists already (it does not load: `tenure check` says why)",
            staged::display_path(root, &file.path)
        ));
    }
    let path = root.join(rel);
    (path.exists() || path.is_symlink())
        .then(|| format!("`{}` exists already", staged::display_path(root, rel)))
}

/// The `$schema` an editor should use for a file in `folder`: the schema in
/// a checkout of tenure above the registry, by a relative path as tenure's
/// own files have it, else the published copy.
fn schema_ref(root: &Path, folder: &str, kind: NewKind) -> String {
    let file = kind.kind().schema_file();
    if let Ok(mut dir) = root.canonicalize() {
        dir.extend(folder.split('/').filter(|p| !p.is_empty()));
        for (up, ancestor) in dir.ancestors().enumerate() {
            if ancestor.join("registry-schema/schema").join(file).is_file() {
                return format!("{}registry-schema/schema/{file}", "../".repeat(up));
            }
        }
    }
    format!("{SCHEMA_URL}{file}")
}

/// What is left to do once the file is written.
fn next_steps(kind: NewKind, v: &Values) -> Vec<String> {
    let mut steps = Vec::new();
    match kind {
        NewKind::Identity => {
            let i = &v.identity;
            if i.permissions.is_empty() {
                steps.push("add what it may do: `permissions` (`contents: read`), with a `justification` for `write` or `admin`".to_owned());
            }
            if i.issuer.is_none() && i.public_key.is_none() {
                steps
                    .push("add how it authenticates: `federation` (preferred) or `key`".to_owned());
            }
            if !steps.is_empty() {
                steps.push("`tenure schema identity` lists every field".to_owned());
            }
        }
        NewKind::SigningKey => {
            steps.push("make `allows.artifacts` name exactly what it may sign".to_owned());
        }
        NewKind::Team => {
            steps.push(format!(
                "declare what it owns: `tenure new identity NAME --owner {}`",
                v.name
            ));
        }
    }
    steps.push("run `tenure check`".to_owned());
    steps.push(format!(
        "open a pull request; the owner team `{}` reviews it",
        v.owner
    ));
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_identity_types_are_the_schemas() {
        for ty in IDENTITY_TYPES {
            let parsed: Result<tenure_schema::model::IdentityType, _> =
                serde_json::from_value(serde_json::Value::from(ty));
            assert_eq!(parsed.map(|t| t.as_str()).ok(), Some(ty));
        }
        let schema = tenure_schema::schema::schema_text(tenure_schema::model::Kind::Identity);
        let listed = schema.matches("\"ai-agent\"").count();
        assert!(listed > 0, "the schema lists the types");
    }

    #[test]
    fn names_and_folders_are_checked() {
        assert!(is_name("web-deploy"));
        assert!(!is_name("-web"));
        assert!(!is_name("Web"));
        assert!(!is_name("../x"));
        assert!(!is_name(&"a".repeat(64)));
        assert_eq!(clean_dir("./platform/ci/").expect("dir"), "platform/ci");
        assert_eq!(clean_dir(".").expect("dir"), "");
        assert!(clean_dir("../elsewhere").is_err());
        assert!(clean_dir(".drafts").is_err());
        assert!(clean_dir("/etc").is_err());
    }
}
