//! One module per subcommand; each returns an [`ExitStatus`].

use std::io::IsTerminal;

use crate::ExitStatus;
use crate::args::{Cli, ColorChoice, Command};

mod check;
mod explain;
mod schema;

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
    let mut stdout = std::io::stdout().lock();
    let mut stderr = std::io::stderr().lock();
    match cli.command {
        Command::Check(args) => check::run(&args, color, &mut stdout, &mut stderr),
        Command::Schema(args) => schema::run(&args, &mut stdout),
        Command::Explain(args) => explain::run(&args, &mut stdout),
    }
}
