//! `tenure init [DIR]`: turn a repository into a registry: `tenure.yaml`, a
//! first Team (the security team), `.github/CODEOWNERS` and the pull-request
//! workflow. Every file is new: init never overwrites one, and writes all of
//! them or none.

use std::fs;
use std::io::{Read as _, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use tenure_schema::check::{CheckOptions, Summary, check};
use tenure_schema::registry::{self, LoadOptions};

use super::codeowners::{self, Layout};
use crate::ExitStatus;
use crate::args::ColorChoice;
use crate::render::{self, Files, clean};

#[derive(Debug, clap::Args)]
pub(crate) struct InitArgs {
    /// The top of the Git repository to turn into a registry. Default: the
    /// current folder.
    pub(crate) dir: Option<PathBuf>,

    /// The name of the first Team, the security team: it owns `tenure.yaml`
    /// and reviews every Team and new file.
    #[arg(long, value_name = "NAME", default_value = "security")]
    pub(crate) team: String,

    /// The security team on GitHub, for CODEOWNERS: `org/slug`, `@org/slug` or
    /// the team's page, `https://HOST/orgs/ORG/teams/SLUG`.
    #[arg(long, value_name = "ORG/SLUG")]
    pub(crate) github_team: String,

    /// A GitHub login of the security team (repeatable). Default: an example
    /// login to replace.
    #[arg(long = "member", value_name = "LOGIN")]
    pub(crate) members: Vec<String>,

    /// The registry folder, from the top of the repository.
    #[arg(long, value_name = "PATH", default_value = "identities")]
    pub(crate) registry_dir: String,
}

const REGISTRY_TEMPLATE: &str = include_str!("../templates/registry.yaml");
const TEAM_TEMPLATE: &str = include_str!("../templates/team.yaml");
/// The repository's own pull-request workflow, so the copy cannot drift from it.
pub(crate) const WORKFLOW: &str = include_str!("../../../.github/workflows/tenure-pr.yml");
/// The line of [`WORKFLOW`] that names the registry folder.
const WORKFLOW_REGISTRY_LINE: &str = "  TENURE_REGISTRY: \"identities\"\n";
/// The member written when `--member` is not given: a valid login, so that the
/// new registry passes `tenure check`, and an obvious one to replace.
const EXAMPLE_MEMBER: &str = "your-github-login";

/// One file to create, with its path from the top of the repository.
struct Planned {
    rel: String,
    contents: String,
    /// Extra words for the "created" line.
    about: String,
}

pub(crate) fn run(
    args: &InitArgs,
    _stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> anyhow::Result<ExitStatus> {
    let cwd = std::env::current_dir()
        .and_then(|d| d.canonicalize())
        .context("cannot read the current folder")?;
    let dir = match &args.dir {
        Some(dir) => cwd.join(dir),
        None => cwd.clone(),
    };
    if !dir.is_dir() {
        bail!("`{}` is not a folder", shown_arg(args));
    }
    let dir = dir
        .canonicalize()
        .with_context(|| format!("cannot resolve `{}`", shown_arg(args)))?;
    let in_git = match codeowners::repository_top(&dir) {
        Some(top) if top == dir => true,
        Some(top) => bail!(
            "`{}` is inside the Git repository at `{}`: run `tenure init` at its top (`--registry-dir` places the registry in a sub-folder)",
            shown_arg(args),
            codeowners::shown(&top, &cwd)
        ),
        None => false,
    };
    let settings = Settings::resolve(args, &dir)?;

    let registry_file = format!("{}/{}", settings.registry_dir, registry::CONFIG_FILE);
    let team_file = format!("{}/teams/{}.yaml", settings.registry_dir, settings.team);
    let codeowners_file = ".github/CODEOWNERS";
    let workflow_file = ".github/workflows/tenure-pr.yml";
    let existing: Vec<&str> = [
        registry_file.as_str(),
        team_file.as_str(),
        codeowners_file,
        workflow_file,
    ]
    .into_iter()
    .filter(|rel| dir.join(rel).symlink_metadata().is_ok())
    .collect();
    if !existing.is_empty() {
        writeln!(
            stderr,
            "error: `tenure init` creates files and never replaces one; these exist already:"
        )?;
        for rel in &existing {
            writeln!(stderr, "  {}", codeowners::shown(&dir.join(rel), &cwd))?;
        }
        writeln!(stderr, "nothing was written")?;
        if existing.contains(&codeowners_file) {
            writeln!(
                stderr,
                "help: to keep a CODEOWNERS written by hand, move it aside, run `tenure init`, then put its rules back at the top of the new one: `tenure codeowners` keeps the lines above its generated part"
            )?;
        }
        return Ok(ExitStatus::Error);
    }

    let registry_text = settings.registry_yaml();
    let team_text = settings.team_yaml();
    // The new registry as `tenure check` will see it: the two new files and
    // whatever the registry folder holds already.
    let registry_root = dir.join(&settings.registry_dir);
    let mut files = Vec::new();
    read_existing(&registry_root, "", &mut files)?;
    files.push((
        registry::CONFIG_FILE.to_owned(),
        registry_text.clone().into_bytes(),
    ));
    files.push((
        format!("teams/{}.yaml", settings.team),
        team_text.clone().into_bytes(),
    ));
    let shown_root = PathBuf::from(codeowners::shown(&registry_root, &cwd));
    let loaded = registry::load_memory(&shown_root, files, &LoadOptions::default());
    let diagnostics = check(&loaded, &CheckOptions::at(jiff::Timestamp::now()));
    if Summary::of(&diagnostics).errors > 0 {
        let color = super::use_color(ColorChoice::Auto);
        render::human::render(
            &Files::new(&loaded, &shown_root),
            &diagnostics,
            color,
            stderr,
        )?;
        writeln!(
            stderr,
            "error: the registry would not pass `tenure check`; nothing was written"
        )?;
        return Ok(ExitStatus::Failure);
    }
    let generated = codeowners::generate(
        &loaded,
        &Layout {
            registry: &settings.registry_dir,
            codeowners: codeowners_file,
        },
        None,
    )?;
    for warning in &generated.warnings {
        writeln!(stderr, "warning: {warning}")?;
    }
    let workflow = if settings.registry_dir == "identities" {
        WORKFLOW.to_owned()
    } else {
        WORKFLOW.replacen(
            WORKFLOW_REGISTRY_LINE,
            &format!("  TENURE_REGISTRY: \"{}\"\n", settings.registry_dir),
            1,
        )
    };

    let plan = [
        Planned {
            rel: registry_file,
            contents: registry_text,
            about: String::new(),
        },
        Planned {
            rel: team_file.clone(),
            contents: team_text,
            about: String::new(),
        },
        Planned {
            rel: codeowners_file.to_owned(),
            contents: generated.text,
            about: format!(
                " ({} rule{})",
                generated.rules,
                if generated.rules == 1 { "" } else { "s" }
            ),
        },
        Planned {
            rel: workflow_file.to_owned(),
            contents: workflow,
            about: String::new(),
        },
    ];
    create_all(&dir, &plan)?;
    for file in &plan {
        writeln!(
            stderr,
            "created {}{}",
            codeowners::shown(&dir.join(&file.rel), &cwd),
            file.about
        )?;
    }

    let team_shown = codeowners::shown(&dir.join(&team_file), &cwd);
    let mut steps: Vec<String> = Vec::new();
    if !in_git {
        steps.push("This folder is not a Git repository yet: run `git init` in it.".to_owned());
    }
    if args.members.is_empty() {
        steps.push(format!(
            "Replace the example member `{EXAMPLE_MEMBER}` in {team_shown} with the team's GitHub logins."
        ));
    }
    let check_cmd = if settings.registry_dir == "identities" {
        "tenure check".to_owned()
    } else {
        format!("tenure check {}", settings.registry_dir)
    };
    steps.push(format!(
        "Declare identities with `tenure new`; `{check_cmd}` validates the registry and `tenure codeowners` updates CODEOWNERS."
    ));
    steps.push(
        "Set TENURE_VERSION and TENURE_SHA256 in .github/workflows/tenure-pr.yml to a tenure release and its checksum."
            .to_owned(),
    );
    steps.push(format!(
        "Commit {}/ and .github/, push, and open a pull request.",
        settings.registry_dir
    ));
    steps.push("In the branch protection (or ruleset) of the default branch, require review from Code Owners and the status check `tenure check`.".to_owned());
    writeln!(stderr, "\nNext steps:")?;
    for (i, step) in steps.iter().enumerate() {
        let mut line = format!("  {}.", i + 1);
        for word in step.split(' ') {
            if line.len() + 1 + word.len() > 80 && line.trim_start().contains(' ') {
                writeln!(stderr, "{line}")?;
                line = "    ".to_owned();
            }
            line.push(' ');
            line.push_str(word);
        }
        writeln!(stderr, "{line}")?;
    }
    Ok(ExitStatus::Success)
}

/// `DIR` as the user typed it.
fn shown_arg(args: &InitArgs) -> String {
    args.dir
        .as_ref()
        .map_or_else(|| ".".to_owned(), |d| d.display().to_string())
}

/// Flags, checked and normalised.
#[derive(Debug)]
struct Settings {
    /// `metadata.name` of the registry.
    name: String,
    team: String,
    /// `org/slug`.
    github_team: String,
    members: Vec<String>,
    /// From the top of the repository, `/`-separated.
    registry_dir: String,
}

impl Settings {
    fn resolve(args: &InitArgs, dir: &Path) -> anyhow::Result<Self> {
        if !codeowners::is_name(&args.team) {
            bail!(
                "`--team {}` is not a Team name: 1 to 63 lower-case letters, digits and dashes, starting and ending with a letter or digit",
                clean(&args.team)
            );
        }
        let github_team = codeowners::github_team(&args.github_team)
            .map_err(|e| anyhow::anyhow!("`--github-team`: {e}"))?;
        for login in &args.members {
            if !is_login(login) {
                bail!(
                    "`--member {}` is not a GitHub login: up to 39 letters, digits and dashes, optionally followed by `[bot]`",
                    clean(login)
                );
            }
        }
        let registry_dir = registry_dir(&args.registry_dir)?;
        let name = dir
            .file_name()
            .map(|n| name_from(&n.to_string_lossy()))
            .unwrap_or_default();
        Ok(Self {
            name: if name.is_empty() {
                "registry".to_owned()
            } else {
                name
            },
            team: args.team.clone(),
            github_team: github_team.trim_start_matches('@').to_owned(),
            members: args.members.clone(),
            registry_dir,
        })
    }

    fn registry_yaml(&self) -> String {
        REGISTRY_TEMPLATE
            .replace("{{name}}", &plain(&self.name))
            .replace("{{team}}", &plain(&self.team))
    }

    fn team_yaml(&self) -> String {
        let members = if self.members.is_empty() {
            format!(
                "  # The team's GitHub logins: replace the example.\n  members:\n    - {EXAMPLE_MEMBER}"
            )
        } else {
            let mut block = "  members:".to_owned();
            for login in &self.members {
                block.push_str("\n    - ");
                block.push_str(&plain(login));
            }
            block
        };
        TEAM_TEMPLATE
            .replace("{{team}}", &plain(&self.team))
            .replace("{{github_team}}", &self.github_team)
            .replace("{{members}}", &members)
    }
}

/// A value whose characters were checked, as YAML: quoted when a plain
/// scalar would be a number, a YAML 1.1 boolean or null, or start a flow.
fn plain(value: &str) -> String {
    const WORDS: [&str; 12] = [
        "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", "nan", "inf",
    ];
    let lower = value.to_ascii_lowercase();
    if value.starts_with(|c: char| c.is_ascii_digit())
        || WORDS.contains(&lower.as_str())
        || value.contains('[')
    {
        format!("\"{value}\"")
    } else {
        value.to_owned()
    }
}

/// A registry name from a folder name: lower-cased, other characters as
/// dashes, at most 63.
fn name_from(folder: &str) -> String {
    let mut out = String::new();
    for c in folder.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.truncate(63);
    out.trim_end_matches('-').to_owned()
}

/// A GitHub login: `^[A-Za-z0-9][A-Za-z0-9-]{0,38}(\[bot\])?$`, the schema's `Login`.
fn is_login(s: &str) -> bool {
    let base = s.strip_suffix("[bot]").unwrap_or(s);
    (1..=39).contains(&base.len())
        && base.starts_with(|c: char| c.is_ascii_alphanumeric())
        && base.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// `--registry-dir`: a relative path of plain folder names, none hidden (the
/// loader skips dot-folders).
fn registry_dir(value: &str) -> anyhow::Result<String> {
    let trimmed = value.strip_suffix('/').unwrap_or(value);
    let ok = !trimmed.is_empty()
        && trimmed.split('/').all(|part| {
            !part.is_empty()
                && !part.starts_with('.')
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        });
    if !ok {
        bail!(
            "`--registry-dir {}` is not a folder path below the top of the repository: names of letters, digits, `-`, `_` and `.`, separated by `/`, none starting with `.`",
            clean(value)
        );
    }
    Ok(trimmed.to_owned())
}

/// The `.yaml` and `.yml` files already in the registry folder, as the loader
/// reads them (dot-entries skipped), for the check of the result. Links,
/// FIFOs and names that are not UTF-8 are left to `tenure check`, which
/// reports them.
fn read_existing(dir: &Path, prefix: &str, out: &mut Vec<(String, Vec<u8>)>) -> anyhow::Result<()> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e).with_context(|| format!("cannot list `{}`", dir.display())),
    };
    let limit = LoadOptions::default().limits.max_file_bytes;
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot list `{}`", dir.display()))?;
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        if name.starts_with('.') {
            continue;
        }
        let rel = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}/{name}")
        };
        let kind = entry.file_type()?;
        let lower = name.to_ascii_lowercase();
        if kind.is_dir() {
            read_existing(&entry.path(), &rel, out)?;
        } else if kind.is_file() && (lower.ends_with(".yaml") || lower.ends_with(".yml")) {
            let mut bytes = Vec::new();
            fs::File::open(entry.path())
                .and_then(|f| f.take(limit + 1).read_to_end(&mut bytes))
                .with_context(|| format!("cannot read `{}`", entry.path().display()))?;
            out.push((rel, bytes));
        }
    }
    Ok(())
}

/// Create every planned file, or none: temporary files first, then each put
/// in place without replacing anything; on failure, whatever this run
/// created is removed again.
fn create_all(dir: &Path, plan: &[Planned]) -> anyhow::Result<()> {
    let mut created_dirs: Vec<PathBuf> = Vec::new();
    let mut temps: Vec<PathBuf> = Vec::new();
    let mut placed: Vec<PathBuf> = Vec::new();
    let result = (|| -> anyhow::Result<()> {
        for file in plan {
            let target = dir.join(&file.rel);
            let parent = target.parent().unwrap_or(dir);
            let mut missing = Vec::new();
            let mut folder = parent;
            while folder.symlink_metadata().is_err() {
                missing.push(folder.to_path_buf());
                match folder.parent() {
                    Some(up) => folder = up,
                    None => break,
                }
            }
            for folder in missing.into_iter().rev() {
                fs::create_dir(&folder)
                    .with_context(|| format!("cannot create `{}`", folder.display()))?;
                created_dirs.push(folder);
            }
            let tmp = codeowners::temporary_path(&target);
            codeowners::write_new(&tmp, file.contents.as_bytes())?;
            temps.push(tmp);
        }
        for (file, tmp) in plan.iter().zip(&temps) {
            let target = dir.join(&file.rel);
            put_in_place(tmp, &target)?;
            placed.push(target);
        }
        Ok(())
    })();
    if result.is_err() {
        for path in placed.iter().chain(&temps) {
            let _ = fs::remove_file(path);
        }
        for folder in created_dirs.iter().rev() {
            let _ = fs::remove_dir(folder);
        }
    }
    result
}

/// Move `tmp` to `target`, failing if `target` exists. A hard link never
/// replaces a file, even one created a moment ago; where the file system has
/// none, existence is checked just before a rename.
fn put_in_place(tmp: &Path, target: &Path) -> anyhow::Result<()> {
    let exists = || anyhow::anyhow!("`{}` appeared while tenure was writing", target.display());
    match fs::hard_link(tmp, target) {
        Ok(()) => {
            let _ = fs::remove_file(tmp);
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(exists()),
        Err(_) => {
            if target.symlink_metadata().is_ok() {
                return Err(exists());
            }
            fs::rename(tmp, target).with_context(|| format!("cannot write `{}`", target.display()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workflow_names_the_registry_on_one_line() {
        assert_eq!(WORKFLOW.matches(WORKFLOW_REGISTRY_LINE).count(), 1);
    }

    #[test]
    fn registry_names_come_from_folder_names() {
        assert_eq!(name_from("acme-web"), "acme-web");
        assert_eq!(name_from("Acme Web_2"), "acme-web-2");
        assert_eq!(name_from(".tmpXy9"), "tmpxy9");
        assert_eq!(name_from("__"), "");
        assert_eq!(name_from(&"a".repeat(70)).len(), 63);
    }

    #[test]
    fn values_that_yaml_would_misread_are_quoted() {
        assert_eq!(plain("security"), "security");
        assert_eq!(plain("no"), "\"no\"");
        assert_eq!(plain("On"), "\"On\"");
        assert_eq!(plain("2024"), "\"2024\"");
        assert_eq!(plain("deploy[bot]"), "\"deploy[bot]\"");
    }

    #[test]
    fn logins_and_registry_folders_are_checked() {
        assert!(is_login("ada"));
        assert!(is_login("renovate[bot]"));
        assert!(!is_login("-ada"));
        assert!(!is_login("a b"));
        assert!(!is_login(&"a".repeat(40)));
        assert_eq!(
            registry_dir("identities/").ok().as_deref(),
            Some("identities")
        );
        assert_eq!(registry_dir("infra/ids").ok().as_deref(), Some("infra/ids"));
        for bad in [
            "", "/abs", "../up", "a/../b", ".hidden", "a//b", "a b", "a\nb",
        ] {
            assert!(registry_dir(bad).is_err(), "{bad:?}");
        }
    }
}
