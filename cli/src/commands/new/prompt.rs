//! Asking for the values `tenure new` needs and was not given: a question on
//! stderr and a line from stdin when stdin is a terminal; otherwise the flag
//! is noted as missing, and all of them are listed at the end.

use std::io::{BufRead, Write};

/// Where answers come from, and which flags were missing with no one to ask.
pub(crate) struct Prompt<'a> {
    /// Answers, one per line; `None` when stdin is not a terminal.
    input: Option<&'a mut dyn BufRead>,
    out: &'a mut dyn Write,
    missing: Vec<String>,
}

impl<'a> Prompt<'a> {
    pub(crate) fn new(input: Option<&'a mut dyn BufRead>, out: &'a mut dyn Write) -> Self {
        Self {
            input,
            out,
            missing: Vec::new(),
        }
    }

    /// A value: given as `flag`, else `default`, else asked, else missing.
    pub(crate) fn value(
        &mut self,
        given: Option<&str>,
        flag: &str,
        question: &str,
        default: Option<&str>,
    ) -> anyhow::Result<Option<String>> {
        if let Some(given) = given {
            return Ok(Some(given.to_owned()));
        }
        self.ask(flag, question, default, &[])
    }

    /// A value out of `choices`.
    pub(crate) fn choice(
        &mut self,
        given: Option<&str>,
        flag: &str,
        question: &str,
        choices: &[&str],
        default: Option<&str>,
    ) -> anyhow::Result<Option<String>> {
        if let Some(given) = given {
            return Ok(Some(given.to_owned()));
        }
        self.ask(
            flag,
            &format!("{question} ({})", choices.join(", ")),
            default,
            choices,
        )
    }

    /// At least one value: given (repeated flag), or asked as one line of
    /// values separated by commas or spaces.
    pub(crate) fn list(
        &mut self,
        given: &[String],
        flag: &str,
        question: &str,
    ) -> anyhow::Result<Vec<String>> {
        if !given.is_empty() {
            return Ok(given.to_vec());
        }
        Ok(self
            .ask(flag, &format!("{question}, separated by spaces"), None, &[])?
            .map(|line| {
                line.split([',', ' ', '\t'])
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default())
    }

    fn ask(
        &mut self,
        flag: &str,
        question: &str,
        default: Option<&str>,
        choices: &[&str],
    ) -> anyhow::Result<Option<String>> {
        if let (None, Some(default)) = (&self.input, default) {
            return Ok(Some(default.to_owned()));
        }
        let Some(input) = self.input.as_mut() else {
            self.missing.push(flag.to_owned());
            return Ok(None);
        };
        loop {
            match default {
                Some(d) => write!(self.out, "{question} [{d}]: ")?,
                None => write!(self.out, "{question}: ")?,
            }
            self.out.flush()?;
            let mut line = String::new();
            if input.read_line(&mut line)? == 0 {
                anyhow::bail!("no answer for `{flag}`: stdin ended");
            }
            let answer = line.trim();
            let answer = match (answer, default) {
                ("", Some(d)) => d,
                ("", None) => continue,
                (a, _) => a,
            };
            if !choices.is_empty() && !choices.contains(&answer) {
                writeln!(
                    self.out,
                    "  `{}` is not one of them",
                    crate::render::clean(answer)
                )?;
                continue;
            }
            return Ok(Some(answer.to_owned()));
        }
    }

    /// Fail, naming every flag that was missing, when nobody could be asked.
    pub(crate) fn finish(self) -> anyhow::Result<()> {
        if self.missing.is_empty() {
            return Ok(());
        }
        let list: Vec<String> = self.missing.iter().map(|f| format!("`{f}`")).collect();
        anyhow::bail!(
            "missing {}: stdin is not a terminal, so tenure cannot ask; pass {}",
            list.join(", "),
            if list.len() == 1 { "it" } else { "them" }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_read_defaults_taken_and_bad_choices_asked_again() {
        let mut input: &[u8] = b"\nweb\n\nrocket\nbot\nalice, bob carol\n";
        let mut out = Vec::new();
        let mut prompt = Prompt::new(Some(&mut input), &mut out);
        assert_eq!(
            prompt.value(None, "NAME", "name", None).expect("asked"),
            Some("web".to_owned()),
            "an empty answer without a default is asked again"
        );
        assert_eq!(
            prompt
                .value(None, "--environment", "environment", Some("ci"))
                .expect("asked"),
            Some("ci".to_owned())
        );
        assert_eq!(
            prompt
                .choice(None, "--type", "type", &["bot", "api-key"], None)
                .expect("asked"),
            Some("bot".to_owned())
        );
        assert_eq!(
            prompt.list(&[], "--member", "members").expect("asked"),
            vec!["alice", "bob", "carol"]
        );
        assert!(
            prompt.value(None, "--owner", "owner", None).is_err(),
            "stdin ended"
        );
        prompt.finish().expect("nothing missing");
        let shown = String::from_utf8(out).expect("utf-8");
        assert!(shown.contains("type (bot, api-key): "), "{shown}");
        assert!(shown.contains("`rocket` is not one of them"), "{shown}");
    }

    #[test]
    fn without_a_terminal_missing_flags_are_listed() {
        let mut out = Vec::new();
        let mut prompt = Prompt::new(None, &mut out);
        assert_eq!(
            prompt
                .value(Some("x"), "NAME", "name", None)
                .expect("given"),
            Some("x".to_owned())
        );
        assert_eq!(
            prompt.value(None, "--owner", "owner", None).expect("noted"),
            None
        );
        assert_eq!(
            prompt
                .value(None, "--environment", "environment", Some("ci"))
                .expect("default"),
            Some("ci".to_owned())
        );
        assert!(
            prompt
                .list(&[], "--member", "members")
                .expect("noted")
                .is_empty()
        );
        let err = prompt.finish().expect_err("missing");
        assert_eq!(
            err.to_string(),
            "missing `--owner`, `--member`: stdin is not a terminal, so tenure cannot ask; pass them"
        );
        assert!(out.is_empty());
    }
}
