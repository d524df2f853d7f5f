//! `tenure log NAME`: the history of one declaration from Git: each commit
//! that changed it, who made it and when, and what changed, following the
//! declaration when its file moves.
//!
//! The walk looks the file up by path in each commit's tree and in its
//! parents' (a few tree reads, cached), so most commits cost no parsing at
//! all. A commit whose version equals a parent's is skipped, as `git log`
//! simplifies merges. Where the file appears, the commit's own change is
//! searched for a removed file declaring the same name: that is a rename.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use gix::ObjectId;
use serde::Serialize;
use tenure_schema::change::{self, ChangeInput, DeclarationChange};
use tenure_schema::registry::{self, LoadOptions};

use crate::ExitStatus;
use crate::git::{Commit, Git};
use crate::render;

#[derive(Debug, clap::Args)]
pub(crate) struct LogArgs {
    /// The declaration's name (`metadata.name`).
    pub(crate) name: String,

    /// The registry folder. Default: found from the current folder upwards.
    #[arg(long, value_name = "PATH")]
    pub(crate) registry: Option<PathBuf>,

    /// Start from this revision instead of `HEAD`.
    #[arg(long, value_name = "REV")]
    pub(crate) rev: Option<String>,

    /// Show at most this many commits.
    #[arg(long, short = 'n', value_name = "N")]
    pub(crate) max_count: Option<usize>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = LogFormat::Human)]
    pub(crate) format: LogFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum LogFormat {
    /// One block per commit.
    Human,
    /// One JSON document.
    Json,
}

/// One commit in the declaration's history.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Event {
    commit: String,
    author: String,
    email: String,
    /// Author date, RFC 3339.
    date: String,
    summary: String,
    #[serde(skip)]
    short: String,
    /// What happened to the declaration.
    change: DeclarationChange,
}

pub(crate) fn run(args: &LogArgs, stdout: &mut dyn Write) -> anyhow::Result<ExitStatus> {
    let rev = args.rev.as_deref().unwrap_or("HEAD");
    let at = crate::source::open_revision(args.registry.as_deref(), rev)?;
    let git = &at.git;
    let prefix = at.prefix.as_str();
    let full = |rel: &str| {
        if prefix.is_empty() {
            rel.to_owned()
        } else {
            format!("{prefix}/{rel}")
        }
    };

    // Where the declaration is now; if it is gone, the walk finds where it was.
    let now_at = find_at(git, &at.commit, prefix, &args.name)?;
    let mut path = now_at.clone();
    let mut lookups: HashMap<ObjectId, Option<ObjectId>> = HashMap::new();
    let mut events = Vec::new();
    let limit = args.max_count.unwrap_or(usize::MAX);

    git.walk(at.commit.id, |commit| {
        if events.len() >= limit {
            return Ok(false);
        }
        let parents: Vec<Commit> = commit
            .parents
            .iter()
            .map(|id| git.commit(*id))
            .collect::<anyhow::Result<_>>()?;
        let Some(current) = path.clone() else {
            // Not found yet: look for its removal in this commit.
            if let Some(parent) = parents.first() {
                for c in git.diff(Some(parent.tree), Some(commit.tree), prefix)? {
                    if c.new.is_none() && stem(&c.path) == args.name {
                        path = Some(c.path.clone());
                        lookups.clear();
                        let event = event(git, &commit, (Some(&c.path), c.old), (None, None))?;
                        events.extend(event);
                        break;
                    }
                }
            }
            return Ok(true);
        };
        let mut blob_at = |tree: ObjectId| -> anyhow::Result<Option<ObjectId>> {
            if let Some(found) = lookups.get(&tree) {
                return Ok(*found);
            }
            let found = git.entry(tree, &full(&current))?;
            lookups.insert(tree, found);
            Ok(found)
        };
        let here = blob_at(commit.tree)?;
        let before: Vec<Option<ObjectId>> = parents
            .iter()
            .map(|p| blob_at(p.tree))
            .collect::<anyhow::Result<_>>()?;
        if before.contains(&here) {
            // Same as in a parent: this commit did not touch it.
            return Ok(true);
        }
        match (here, before.first().copied().flatten()) {
            (Some(new), Some(old)) => {
                events.extend(event(
                    git,
                    &commit,
                    (Some(&current), Some(old)),
                    (Some(&current), Some(new)),
                )?);
                Ok(true)
            }
            (Some(new), None) => {
                // Appeared here: moved from another file, or created.
                let moved_from = match parents.first() {
                    Some(parent) => renamed_from(git, parent, &commit, prefix, &args.name, new)?,
                    None => None,
                };
                match moved_from {
                    Some((old_path, old)) => {
                        events.extend(event(
                            git,
                            &commit,
                            (Some(&old_path), Some(old)),
                            (Some(&current), Some(new)),
                        )?);
                        path = Some(old_path);
                        lookups.clear();
                        Ok(true)
                    }
                    None => {
                        events.extend(event(
                            git,
                            &commit,
                            (None, None),
                            (Some(&current), Some(new)),
                        )?);
                        // Created: nothing older to follow.
                        Ok(false)
                    }
                }
            }
            (None, Some(old)) => {
                events.extend(event(
                    git,
                    &commit,
                    (Some(&current), Some(old)),
                    (None, None),
                )?);
                Ok(true)
            }
            (None, None) => Ok(true),
        }
    })?;

    if events.is_empty() {
        anyhow::bail!(
            "no declaration named `{}` in the history of `{rev}` (registry at `{}`)",
            args.name,
            if prefix.is_empty() { "." } else { prefix }
        );
    }
    events.truncate(limit);
    match args.format {
        LogFormat::Human => human(&args.name, &events, stdout)?,
        LogFormat::Json => {
            #[derive(Serialize)]
            struct Report<'a> {
                version: u32,
                name: &'a str,
                path: Option<String>,
                commits: &'a [Event],
            }
            serde_json::to_writer_pretty(
                &mut *stdout,
                &Report {
                    version: 1,
                    name: &args.name,
                    path: now_at,
                    commits: &events,
                },
            )?;
            writeln!(stdout)?;
        }
    }
    Ok(ExitStatus::Success)
}

/// The file's name without `.yaml`: by convention (and by the
/// `name-mismatch` rule) a declaration's name.
fn stem(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.strip_suffix(".yaml").unwrap_or(name)
}

/// The path (relative to the registry) of the file declaring `name` in a commit.
fn find_at(git: &Git, commit: &Commit, prefix: &str, name: &str) -> anyhow::Result<Option<String>> {
    let candidates: Vec<(String, ObjectId)> = git
        .list(commit.tree, prefix)?
        .into_iter()
        .filter(|(p, _)| stem(p) == name)
        .collect();
    if candidates.len() <= 1 {
        return Ok(candidates.into_iter().next().map(|(p, _)| p));
    }
    // Several files of that name in different folders: ask what they declare.
    for (path, id) in candidates {
        if declares(git, id, &path, name)? {
            return Ok(Some(path));
        }
    }
    Ok(None)
}

fn declares(git: &Git, blob: ObjectId, path: &str, name: &str) -> anyhow::Result<bool> {
    let bytes = git.read_blob(blob)?;
    let registry = registry::load_memory(
        Path::new(""),
        vec![(path.to_owned(), bytes)],
        &LoadOptions::default(),
    );
    Ok(registry
        .entries
        .iter()
        .any(|e| e.declaration.name() == name))
}

/// A file removed by `commit` that held the declaration: same blob, or a
/// file declaring the same name.
fn renamed_from(
    git: &Git,
    parent: &Commit,
    commit: &Commit,
    prefix: &str,
    name: &str,
    new: ObjectId,
) -> anyhow::Result<Option<(String, ObjectId)>> {
    let removed: Vec<(String, ObjectId)> = git
        .diff(Some(parent.tree), Some(commit.tree), prefix)?
        .into_iter()
        .filter(|c| c.new.is_none())
        .filter_map(|c| c.old.map(|old| (c.path, old)))
        .collect();
    if let Some(same) = removed.iter().find(|(_, old)| *old == new) {
        return Ok(Some(same.clone()));
    }
    for (path, old) in &removed {
        if declares(git, *old, path, name)? {
            return Ok(Some((path.clone(), *old)));
        }
    }
    Ok(None)
}

/// What one commit did to the declaration: `(path, blob)` before and after.
fn event(
    git: &Git,
    commit: &Commit,
    before: (Option<&String>, Option<ObjectId>),
    after: (Option<&String>, Option<ObjectId>),
) -> anyhow::Result<Option<Event>> {
    let side =
        |(path, blob): (Option<&String>, Option<ObjectId>)| -> anyhow::Result<registry::Registry> {
            let files = match (path, blob) {
                (Some(path), Some(blob)) => vec![(path.clone(), git.read_blob(blob)?)],
                _ => Vec::new(),
            };
            let options = LoadOptions {
                keep_json: true,
                ..LoadOptions::default()
            };
            Ok(registry::load_memory(Path::new(""), files, &options))
        };
    let base = side(before)?;
    let head = side(after)?;
    let mut paths: Vec<String> = before.0.into_iter().chain(after.0).cloned().collect();
    paths.dedup();
    let set = change::compare(ChangeInput {
        base: &base,
        head: &head,
        paths: &paths,
        day: commit.committed,
        head_complete: false,
    });
    let Some(change) = set.changes.into_iter().next() else {
        // Formatting or comments only: still a commit that touched the file.
        return Ok(None);
    };
    Ok(Some(Event {
        commit: commit.id.to_string(),
        short: commit.short(),
        author: commit.author.clone(),
        email: commit.email.clone(),
        date: commit.time.to_string(),
        summary: commit.summary.clone(),
        change,
    }))
}

fn human(name: &str, events: &[Event], out: &mut dyn Write) -> anyhow::Result<()> {
    writeln!(
        out,
        "{} — {} change{}",
        render::clean(name),
        events.len(),
        if events.len() == 1 { "" } else { "s" }
    )?;
    for e in events {
        let c = &e.change;
        let date = e.date.get(..10).unwrap_or(&e.date);
        writeln!(
            out,
            "\n{} {date} {} <{}>",
            e.short,
            render::clean(&e.author),
            render::clean(&e.email)
        )?;
        writeln!(out, "    {}", render::clean(&e.summary))?;
        let path = c.shown_path();
        writeln!(out, "    {} {}", c.status.as_str(), render::clean(path))?;
        let lines = super::diff::describe(c);
        for line in lines {
            writeln!(out, "      {}", render::clean(&line))?;
        }
    }
    Ok(())
}
