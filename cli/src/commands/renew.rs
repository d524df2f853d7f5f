//! `tenure renew NAME`: start a new term for an Identity or SigningKey by
//! moving `expires` forward and setting `renewed`, in place.

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;

use anyhow::Context as _;
use tenure_schema::diagnostic::{Diagnostic, Severity};
use tenure_schema::model::{Days, Declaration};
use tenure_schema::registry::{self, LoadOptions};
use tenure_schema::settings::Scopes;

use crate::ExitStatus;
use crate::commands::lookup::{Found, find};
use crate::render::{self, Files};

pub(crate) mod diff;
pub(crate) mod edit;
pub(crate) mod staged;
pub(crate) mod term;

#[derive(Debug, clap::Args)]
pub(crate) struct RenewArgs {
    /// The Identity or SigningKey to renew, by `metadata.name`.
    pub(crate) name: String,

    /// How long the new term lasts, counting today (`90d`, `12w`, `1y`).
    /// Default: the longest the registry's policy allows, or 90 days when no
    /// maximum lifetime applies.
    #[arg(long = "for", value_name = "DURATION", value_parser = term::parse_duration)]
    pub(crate) term: Option<Days>,

    /// The registry folder (the one holding `tenure.yaml`). Default: found from
    /// the current folder upwards, also looking into `identities/`.
    #[arg(long, value_name = "PATH")]
    pub(crate) registry: Option<PathBuf>,

    /// Treat this instant as now (`2026-07-01` or RFC 3339); the new term
    /// starts on its day (UTC).
    #[arg(long, env = "TENURE_NOW", value_name = "TIME")]
    pub(crate) now: Option<String>,

    /// Print the change as a diff on stdout and write nothing.
    #[arg(long)]
    pub(crate) dry_run: bool,
}

pub(crate) fn run(
    args: &RenewArgs,
    color: bool,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> anyhow::Result<ExitStatus> {
    let root = super::locate_registry(args.registry.as_deref())?;
    if !root.is_dir() {
        anyhow::bail!("`{}` is not a folder", root.display());
    }
    let now = super::now(args.now.as_deref())?;
    let today = term::today(now);
    let registry = registry::load(&root, &LoadOptions::default())
        .with_context(|| format!("cannot load the registry at `{}`", root.display()))?;

    // Only what can be renewed is worth suggesting.
    let entry = match find(&registry, &args.name, |d| {
        !matches!(d, Declaration::Team(_))
    }) {
        Found::One(entry) => entry,
        Found::Many(count) => {
            writeln!(
                stderr,
                "error: {count} declarations are named `{}`; rename all but one first (`tenure check` reports them)",
                render::clean(&args.name)
            )?;
            return Ok(ExitStatus::Failure);
        }
        Found::Broken(diagnostics) => {
            let files = Files::new(&registry, &root);
            render::human::render(&files, &diagnostics, color, stderr)?;
            writeln!(
                stderr,
                "error: the file of `{}` does not load, so it cannot be renewed; fix what is reported above first",
                render::clean(&args.name)
            )?;
            return Ok(ExitStatus::Failure);
        }
        Found::None(suggestion) => {
            writeln!(
                stderr,
                "error: no declaration in `{}` is named `{}`",
                root.display(),
                render::clean(&args.name)
            )?;
            if let Some(best) = suggestion {
                writeln!(stderr, "help: did you mean `{best}`?")?;
            }
            return Ok(ExitStatus::Error);
        }
    };
    let Some(current) = entry.declaration.term() else {
        writeln!(
            stderr,
            "error: `{}` is a Team, and teams have no term: `tenure renew` renews Identity and SigningKey declarations",
            render::clean(&args.name)
        )?;
        return Ok(ExitStatus::Error);
    };
    if registry.config_broken {
        writeln!(
            stderr,
            "error: `{}` does not load, so the maximum lifetime is unknown; fix it first (`tenure check`)",
            staged::display_path(&root, registry::CONFIG_FILE)
        )?;
        return Ok(ExitStatus::Failure);
    }

    let rel = registry.files[entry.file].path.clone();
    let shown = staged::display_path(&root, &rel);
    let scopes = Scopes::new(&registry);
    let settings = scopes.for_path(&rel);
    let limit = settings.max_lifetime(&entry.declaration);
    let days = match (args.term, &limit) {
        (Some(days), Some(limit)) if days > limit.days && term::limit_binds(&settings) => {
            writeln!(
                stderr,
                "error: a term of {} days for `{}` is longer than {} ({}), set in {}",
                days.0,
                render::clean(&args.name),
                limit.what,
                limit.days,
                term::limit_place(&registry, &root, limit)
            )?;
            writeln!(
                stderr,
                "help: renew for at most {} (`--for {}`, or leave `--for` out for the longest term allowed)",
                limit.days, limit.days
            )?;
            return Ok(ExitStatus::Failure);
        }
        (Some(days), _) => days,
        (None, Some(limit)) => limit.days,
        (None, None) => term::DEFAULT_TERM,
    };
    let end = term::end_of_term(today, days)?;
    // With no policy, the default term is a guess: never let it cut a term short.
    if args.term.is_none() && limit.is_none() && end < current.expires.value.end() {
        writeln!(
            stderr,
            "error: `{}` already expires {}, after the end of a default term of {} days ({}); no maximum lifetime applies here, so choose the term with `--for`",
            render::clean(&args.name),
            current.expires.value,
            days.0,
            term::last_day(end)?
        )?;
        return Ok(ExitStatus::Failure);
    }

    let path = root.join(&rel);
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read `{}`", path.display()))?;
    if text != registry.files[entry.file].text {
        anyhow::bail!("`{shown}` changed while tenure read it; run `tenure renew` again");
    }
    let edited = edit::renew_text(&text, end, today)
        .with_context(|| format!("cannot renew `{shown}` in place"))?;

    // The edited file must load as the same declaration, with the new term,
    // and bring no error that was not there before.
    let after = staged::with_file(&registry, &rel, &edited.text);
    let found_after = staged::findings(&after, &rel, now);
    let renewed_ok = after.entries.iter().any(|e| {
        after.files[e.file].path == rel
            && e.declaration.name() == entry.declaration.name()
            && e.declaration.term().is_some_and(|t| {
                t.expires.value.end() == end
                    && t.renewed
                        .is_some_and(|r| term::today(r.value.start()) == today)
            })
    });
    let before = staged::findings(&registry, &rel, now);
    let added = new_errors(&before, &found_after);
    if !renewed_ok || !added.is_empty() {
        let show = if renewed_ok { added } else { found_after };
        let files = Files::new(&after, &root);
        render::human::render(&files, &show, color, stderr)?;
        writeln!(
            stderr,
            "error: renewing `{}` would {}; `{shown}` is unchanged",
            render::clean(&args.name),
            if renewed_ok {
                "add the errors above"
            } else {
                "leave a file that does not load as intended"
            }
        )?;
        return Ok(ExitStatus::Failure);
    }

    if args.dry_run {
        stdout.write_all(diff::unified(&shown, &text, &edited.text).as_bytes())?;
        writeln!(stderr, "dry run: `{shown}` is unchanged")?;
        return Ok(ExitStatus::Success);
    }
    staged::write_atomic(&path, edited.text.as_bytes(), true)?;
    writeln!(
        stdout,
        "renewed `{}` in {shown}\n  expires: {} → {} ({})\n  renewed: {today}",
        entry.declaration.name(),
        render::clean(&edited.old_expires),
        edited.new_expires,
        term::why(args.term.is_some(), days, limit.as_ref()),
    )?;
    writeln!(
        stdout,
        "next: open a pull request with this change; the owner team `{}` reviews it",
        entry.declaration.metadata().owner.value
    )?;
    Ok(ExitStatus::Success)
}

/// Errors in `after` beyond those of the same code in `before`.
fn new_errors(before: &[Diagnostic], after: &[Diagnostic]) -> Vec<Diagnostic> {
    let mut known: HashMap<_, usize> = HashMap::new();
    for d in before.iter().filter(|d| d.severity == Severity::Error) {
        *known.entry(d.code).or_default() += 1;
    }
    after
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .filter(|d| match known.get_mut(&d.code) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .cloned()
        .collect()
}
