//! `tenure new` (being written).

use std::io::Write;

use crate::ExitStatus;

#[derive(Debug, clap::Args)]
pub(crate) struct NewArgs {}

pub(crate) fn run(
    _args: &NewArgs,
    _stdout: &mut dyn Write,
    _stderr: &mut dyn Write,
) -> anyhow::Result<ExitStatus> {
    anyhow::bail!("`tenure new` is not written yet")
}
