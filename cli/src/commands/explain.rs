//! `tenure explain [CODE]`: what a diagnostic code means and how to fix it.

use std::io::Write;

use anyhow::bail;
use tenure_schema::diagnostic::Code;
use tenure_schema::schema::did_you_mean;

use crate::ExitStatus;
use crate::args::ExplainArgs;

pub(crate) fn run(args: &ExplainArgs, out: &mut impl Write) -> anyhow::Result<ExitStatus> {
    let Some(name) = &args.code else {
        for code in Code::ALL {
            writeln!(
                out,
                "{:<26} {:<8} {}",
                code.as_str(),
                code.default_severity().as_str(),
                code.summary()
            )?;
        }
        return Ok(ExitStatus::Success);
    };
    let Some(code) = Code::parse(name) else {
        let names: Vec<String> = Code::ALL.iter().map(|c| c.as_str().to_owned()).collect();
        match did_you_mean(name, &names) {
            Some(best) => bail!("unknown code `{name}`; did you mean `{best}`?"),
            None => bail!("unknown code `{name}`; `tenure explain` lists them"),
        }
    };
    out.write_all(code.explanation().as_bytes())?;
    Ok(ExitStatus::Success)
}
