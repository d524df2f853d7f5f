//! `tenure export NAME --for cosign|gh|policy-controller`.

use std::io::Write;

use crate::ExitStatus;

#[derive(Debug, clap::Args)]
pub(crate) struct ExportArgs {
    /// The SigningKey's name (`metadata.name`).
    pub(crate) name: String,
}

pub(crate) fn run(
    _args: &ExportArgs,
    _stdout: &mut dyn Write,
    _stderr: &mut dyn Write,
) -> anyhow::Result<ExitStatus> {
    anyhow::bail!("`tenure export` is not built yet")
}
