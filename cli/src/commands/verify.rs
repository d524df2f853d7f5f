//! `tenure verify ARTIFACT...`.

use std::io::Write;

use crate::ExitStatus;

#[derive(Debug, clap::Args)]
pub(crate) struct VerifyArgs {
    /// Artifacts to verify.
    pub(crate) artifacts: Vec<std::path::PathBuf>,
}

pub(crate) fn run(
    _args: &VerifyArgs,
    _color: bool,
    _stdout: &mut dyn Write,
    _stderr: &mut dyn Write,
) -> anyhow::Result<ExitStatus> {
    anyhow::bail!("`tenure verify` is not built yet")
}
