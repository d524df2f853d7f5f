//! One module per subcommand; each returns an [`ExitStatus`].

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use tenure_schema::registry;

use crate::ExitStatus;
use crate::args::{Cli, ColorChoice, Command};

pub(crate) mod attest;
mod check;
pub(crate) mod codeowners;
pub(crate) mod diff;
mod explain;
pub(crate) mod export;
pub(crate) mod init;
pub(crate) mod log;
mod lookup;
pub(crate) mod new;
pub(crate) mod renew;
mod rules;
mod schema;
pub(crate) mod sign;
pub(crate) mod trust;
pub(crate) mod verify;

/// The registry folder: `path` when given (`tenure check .` at a repository
/// root means its `identities/`), otherwise found from the current folder
/// upwards, shown relative to it.
pub(crate) fn locate_registry(path: Option<&Path>) -> anyhow::Result<PathBuf> {
    let cwd = std::env::current_dir().context("cannot read the current folder")?;
    Ok(match path {
        Some(p)
            if !p.join(registry::CONFIG_FILE).is_file()
                && p.join("identities").join(registry::CONFIG_FILE).is_file() =>
        {
            p.join("identities")
        }
        Some(p) => p.to_path_buf(),
        None => {
            let found = registry::discover(&cwd).with_context(|| {
                format!(
                    "no registry found: neither `{}` nor a parent folder holds `tenure.yaml` or `identities/tenure.yaml`",
                    cwd.display()
                )
            })?;
            // Show paths relative to where the user stands.
            match found.strip_prefix(&cwd) {
                Ok(rel) if rel.as_os_str().is_empty() => PathBuf::from("."),
                Ok(rel) => rel.to_path_buf(),
                Err(_) => found,
            }
        }
    })
}

/// `--now`/`TENURE_NOW`, or the clock.
pub(crate) fn now(arg: Option<&str>) -> anyhow::Result<jiff::Timestamp> {
    Ok(match arg {
        Some(text) => tenure_schema::model::Instant::parse(text)
            .map_err(|e| anyhow::anyhow!("invalid `--now`/`TENURE_NOW`: {e}"))?
            .start(),
        None => jiff::Timestamp::now(),
    })
}

/// Whether human output on stderr gets colour.
pub(crate) fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stderr().is_terminal()
        }
    }
}

pub(crate) fn run(cli: Cli) -> anyhow::Result<ExitStatus> {
    let color = use_color(cli.color);
    // Reports can be thousands of lines: one write per block, not per line.
    let mut stdout = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    let mut stderr = std::io::stderr().lock();
    let result = match cli.command {
        Command::Check(args) => check::run(&args, color, &mut stdout, &mut stderr),
        Command::Schema(args) => schema::run(&args, &mut stdout),
        Command::Explain(args) => explain::run(&args, &mut stdout),
        Command::Rules(args) => rules::run(&args, &mut stdout),
        Command::Diff(args) => diff::run(&args, color, &mut stdout, &mut stderr),
        Command::Log(args) => log::run(&args, &mut stdout),
        Command::Codeowners(args) => codeowners::run(&args, &mut stdout, &mut stderr),
        Command::Init(args) => init::run(&args, &mut stdout, &mut stderr),
        Command::New(args) => new::run(&args, color, &mut stdout, &mut stderr),
        Command::Renew(args) => renew::run(&args, color, &mut stdout, &mut stderr),
        Command::Sign(args) => sign::run(&args, &mut stdout, &mut stderr),
        Command::Attest(args) => attest::run(&args, &mut stdout, &mut stderr),
        Command::Verify(args) => verify::run(&args, color, &mut stdout, &mut stderr),
        Command::Export(args) => export::run(&args, &mut stdout, &mut stderr),
        Command::Trust(args) => trust::run(&args, &mut stdout),
    };
    // Whatever happened, what was printed gets out.
    let flushed = std::io::Write::flush(&mut stdout);
    let status = result?;
    flushed.context("cannot write to stdout")?;
    Ok(status)
}
