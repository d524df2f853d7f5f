//! `tenure renew` (being written).

use std::io::Write;

use crate::ExitStatus;

#[derive(Debug, clap::Args)]
pub(crate) struct RenewArgs {}

pub(crate) fn run(
    _args: &RenewArgs,
    _stdout: &mut dyn Write,
    _stderr: &mut dyn Write,
) -> anyhow::Result<ExitStatus> {
    anyhow::bail!("`tenure renew` is not written yet")
}
