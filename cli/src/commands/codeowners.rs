//! `tenure codeowners` (being written).

use std::io::Write;

use crate::ExitStatus;

#[derive(Debug, clap::Args)]
pub(crate) struct CodeownersArgs {}

pub(crate) fn run(
    _args: &CodeownersArgs,
    _stdout: &mut dyn Write,
    _stderr: &mut dyn Write,
) -> anyhow::Result<ExitStatus> {
    anyhow::bail!("`tenure codeowners` is not written yet")
}
