//! `tenure explain [CODE]`: what a diagnostic code means and how to fix it.

use std::io::Write;

use anyhow::bail;
use tenure_schema::diagnostic::Code;
use tenure_schema::rules;
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
    if let Some(rule) = rules::Rule::find(name).filter(|_| Code::parse(name).is_none()) {
        writeln!(out, "# rule {}\n", rule.display_name())?;
        out.write_all(rule.doc().as_bytes())?;
        writeln!(out, "\nCodes:")?;
        for code in rule.codes {
            writeln!(
                out,
                "  {:<26} {:<8} {}",
                code.as_str(),
                code.default_severity().as_str(),
                code.summary()
            )?;
        }
        writeln!(out, "\n`tenure explain CODE` prints each code's page.")?;
        return Ok(ExitStatus::Success);
    }
    let Some(code) = Code::parse(name) else {
        let names: Vec<String> = Code::ALL
            .iter()
            .map(|c| c.as_str().to_owned())
            .chain(rules::ALL.iter().map(rules::Rule::display_name))
            .collect();
        match did_you_mean(name, &names) {
            Some(best) => bail!("unknown code or rule `{name}`; did you mean `{best}`?"),
            None => bail!(
                "unknown code or rule `{name}`; `tenure explain` and `tenure rules` list them"
            ),
        }
    };
    out.write_all(code.explanation().as_bytes())?;
    Ok(ExitStatus::Success)
}
