//! `tenure diff BASE [HEAD]`: what a change to the registry grants and
//! revokes, declaration by declaration, and the rules that only make sense
//! on a change. HEAD defaults to the work tree.
//!
//! Only the files that differ are read and parsed: Git tells which, by
//! comparing trees (unchanged folders are skipped by id) or, for the work
//! tree, by hashing the files on disk. The whole head registry is loaded only
//! when a Team is removed, to find what it still owns.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde::Serialize;
use tenure_schema::change::{self, ChangeInput, ChangeSet, DeclarationChange, Status, Topic};
use tenure_schema::check::Summary;
use tenure_schema::diagnostic::Severity;
use tenure_schema::registry::{self, CONFIG_FILE, LoadOptions, Registry};

use crate::ExitStatus;
use crate::git::{Commit, Git};
use crate::render::{self, Files};

#[derive(Debug, clap::Args)]
pub(crate) struct DiffArgs {
    /// The revision before the change: a branch, tag or commit (`origin/main`).
    pub(crate) base: String,

    /// The revision after the change; default: the work tree as it is on disk.
    pub(crate) head: Option<String>,

    /// The registry folder (for a revision: the same place in its tree).
    /// Default: found from the current folder upwards, as for `check`.
    #[arg(long, value_name = "PATH")]
    pub(crate) registry: Option<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    pub(crate) format: DiffFormat,

    /// The day of the change when HEAD is the work tree (`2026-07-01` or RFC
    /// 3339); a HEAD revision uses its commit date.
    #[arg(long, env = "TENURE_NOW", value_name = "TIME")]
    pub(crate) now: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum DiffFormat {
    /// A summary on stdout, findings with source lines on stderr.
    Human,
    /// Markdown for a pull-request comment, on stdout.
    Markdown,
    /// One JSON document on stdout.
    Json,
}

/// One side of the comparison.
struct Side {
    /// How it is named: the revision as given, or `work tree`.
    label: String,
    commit: Option<Commit>,
    registry: Registry,
    /// Every file was loaded, not only the changed ones.
    complete: bool,
}

pub(crate) fn run(
    args: &DiffArgs,
    color: bool,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> anyhow::Result<ExitStatus> {
    let cwd = std::env::current_dir().context("cannot read the current folder")?;
    let start = args
        .registry
        .as_ref()
        .map_or_else(|| cwd.clone(), |p| cwd.join(p));
    let git = Git::discover(&start)?;
    let base_commit = git.resolve(&args.base)?;

    // Where the registry is in the tree, and on disk for a work-tree head.
    let (prefix, disk_root) = match &args.head {
        Some(rev) => (
            crate::source::open_revision(args.registry.as_deref(), rev)?.prefix,
            None,
        ),
        None => {
            let root = super::locate_registry(args.registry.as_deref())?;
            (git.tree_path(&root)?, Some(root))
        }
    };
    let shown_prefix = |label: &str| crate::source::display(label, &prefix);

    let (paths, base_files, head_files, head_commit) = match (&args.head, &disk_root) {
        (Some(rev), _) => {
            let head = git.resolve(rev)?;
            let changes = git.diff(Some(base_commit.tree), Some(head.tree), &prefix)?;
            let paths: Vec<String> = changes.iter().map(|c| c.path.clone()).collect();
            let base_files = changes
                .iter()
                .filter_map(|c| c.old.map(|id| (c.path.clone(), id)))
                .collect();
            // Settings come from every `tenure.yaml`, changed or not.
            let mut wanted: Vec<(String, gix::ObjectId)> = changes
                .iter()
                .filter_map(|c| c.new.map(|id| (c.path.clone(), id)))
                .collect();
            let known: HashSet<String> = wanted.iter().map(|(p, _)| p.clone()).collect();
            wanted.extend(
                configs(&git, head.tree, &prefix, &paths)?
                    .into_iter()
                    .filter(|(p, _)| !known.contains(p)),
            );
            let files = HeadFiles::Tree {
                commit: head.clone(),
                prefix: prefix.clone(),
                changed: wanted,
            };
            (paths, base_files, files, Some(head))
        }
        (None, Some(root)) => {
            let on_disk = hash_work_tree(root)?;
            let in_base: HashMap<String, gix::ObjectId> =
                git.list(base_commit.tree, &prefix)?.into_iter().collect();
            let mut paths: Vec<String> = on_disk
                .iter()
                .filter(|(p, id)| in_base.get(*p) != Some(id))
                .map(|(p, _)| p.clone())
                .chain(
                    in_base
                        .keys()
                        .filter(|p| !on_disk.contains_key(*p))
                        .cloned(),
                )
                .collect();
            paths.sort();
            let base_files = paths
                .iter()
                .filter_map(|p| in_base.get(p).map(|id| (p.clone(), *id)))
                .collect();
            (paths, base_files, HeadFiles::Disk(root.clone()), None)
        }
        (None, None) => anyhow::bail!("no registry folder for the work tree"),
    };

    let base = Side {
        label: args.base.clone(),
        registry: load_blobs(&git, base_files, &shown_prefix(&args.base))?,
        commit: Some(base_commit),
        complete: false,
    };
    let head_label = args.head.clone().unwrap_or_else(|| "work tree".to_owned());
    let head_shown = match &disk_root {
        Some(root) => root.to_string_lossy().into_owned(),
        None => shown_prefix(&head_label),
    };
    let mut head = Side {
        label: head_label,
        registry: head_files.load(&git, &head_shown, false)?,
        commit: head_commit,
        complete: matches!(head_files, HeadFiles::Disk(_)),
    };
    let day = match &head.commit {
        Some(commit) => commit.committed,
        None => super::now(args.now.as_deref())?,
    };
    let mut set = compare(&base, &head, &paths, day);
    if !head.complete
        && set
            .changes
            .iter()
            .any(|c| c.status == Status::Removed && c.kind == "Team")
    {
        // What does the removed team still own? Only the whole registry says.
        head.registry = head_files.load(&git, &head_shown, true)?;
        head.complete = true;
        set = compare(&base, &head, &paths, day);
    }

    let files = Files::new(&head.registry, Path::new(&head_shown));
    match args.format {
        DiffFormat::Human => {
            human(&base, &head, &set, stdout)?;
            render::human::render_diagnostics(&files, &set.diagnostics, color, stderr)?;
        }
        DiffFormat::Markdown => markdown(&base, &head, &set, &files, stdout)?,
        DiffFormat::Json => json(&base, &head, &set, &files, stdout)?,
    }
    let status = if Summary::of(&set.diagnostics).errors > 0 {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    };
    // The process ends right after this: freeing the registries piece by
    // piece would only delay the exit.
    std::mem::forget(files);
    std::mem::forget((set, base, head));
    Ok(status)
}

fn compare(base: &Side, head: &Side, paths: &[String], day: jiff::Timestamp) -> ChangeSet {
    change::compare(ChangeInput {
        base: &base.registry,
        head: &head.registry,
        paths,
        day,
        head_complete: head.complete,
    })
}

/// Where the head's files come from.
enum HeadFiles {
    /// A commit: its changed files and every `tenure.yaml` are read first.
    Tree {
        commit: Commit,
        prefix: String,
        changed: Vec<(String, gix::ObjectId)>,
    },
    /// The registry folder on disk, loaded whole.
    Disk(PathBuf),
}

impl HeadFiles {
    fn load(&self, git: &Git, shown: &str, whole: bool) -> anyhow::Result<Registry> {
        match self {
            HeadFiles::Disk(root) => registry::load(root, &LoadOptions::default())
                .with_context(|| format!("cannot load the registry at `{}`", root.display())),
            HeadFiles::Tree { changed, .. } if !whole => load_blobs(git, changed.clone(), shown),
            HeadFiles::Tree { commit, prefix, .. } => {
                crate::source::load_tree(git, commit, prefix, shown)
            }
        }
    }
}

fn load_blobs(
    git: &Git,
    files: Vec<(String, gix::ObjectId)>,
    shown: &str,
) -> anyhow::Result<Registry> {
    let ids: Vec<gix::ObjectId> = files.iter().map(|(_, id)| *id).collect();
    let blobs = git.read_blobs(&ids)?;
    let files = files.into_iter().map(|(p, _)| p).zip(blobs).collect();
    // The comparison reads every field: keep the parsed documents.
    let options = LoadOptions {
        keep_json: true,
        ..LoadOptions::default()
    };
    Ok(registry::load_memory(Path::new(shown), files, &options))
}

/// The `tenure.yaml` files whose settings apply to `paths`: the one in each
/// folder above a changed file, up to the registry root. Looked up folder by
/// folder rather than by listing the tree, so the cost follows the change.
fn configs(
    git: &Git,
    tree: gix::ObjectId,
    prefix: &str,
    paths: &[String],
) -> anyhow::Result<Vec<(String, gix::ObjectId)>> {
    let mut folders: Vec<&str> = vec![""];
    for path in paths {
        let mut end = path.len();
        while let Some(i) = path[..end].rfind('/') {
            folders.push(&path[..i]);
            end = i;
        }
    }
    folders.sort_unstable();
    folders.dedup();
    let mut out = Vec::new();
    for folder in folders {
        let rel = if folder.is_empty() {
            CONFIG_FILE.to_owned()
        } else {
            format!("{folder}/{CONFIG_FILE}")
        };
        let full = if prefix.is_empty() {
            rel.clone()
        } else {
            format!("{prefix}/{rel}")
        };
        if let Some(id) = git.entry(tree, &full)? {
            out.push((rel, id));
        }
    }
    Ok(out)
}

/// The Git blob id of every file below `root` that loading would consider
/// (dot-files and dot-folders skipped), by path relative to `root`.
fn hash_work_tree(root: &Path) -> anyhow::Result<HashMap<String, gix::ObjectId>> {
    use rayon::prelude::*;
    let mut files = Vec::new();
    let mut stack = vec![(root.to_path_buf(), String::new())];
    while let Some((dir, rel)) = stack.pop() {
        let read =
            std::fs::read_dir(&dir).with_context(|| format!("cannot list `{}`", dir.display()))?;
        for entry in read {
            let entry = entry.with_context(|| format!("cannot list `{}`", dir.display()))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            let path = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            let kind = entry.file_type()?;
            if kind.is_dir() {
                stack.push((entry.path(), path));
            } else if kind.is_file() {
                files.push((path, entry.path()));
            }
        }
    }
    files
        .into_par_iter()
        .map(|(rel, abs)| {
            let bytes =
                std::fs::read(&abs).with_context(|| format!("cannot read `{}`", abs.display()))?;
            let id =
                gix::objs::compute_hash(gix::hash::Kind::Sha1, gix::object::Kind::Blob, &bytes)
                    .with_context(|| format!("cannot hash `{}`", abs.display()))?;
            Ok((rel, id))
        })
        .collect()
}

/// Counts for the summary line.
#[derive(Debug, Default, Serialize)]
struct Counts {
    added: usize,
    removed: usize,
    renamed: usize,
    modified: usize,
    renewed: usize,
    widened: usize,
    narrowed: usize,
}

fn counts(set: &ChangeSet) -> Counts {
    let mut c = Counts::default();
    for change in &set.changes {
        match change.status {
            Status::Added => c.added += 1,
            Status::Removed => c.removed += 1,
            Status::Renamed => c.renamed += 1,
            Status::Modified => c.modified += 1,
        }
        c.renewed += usize::from(change.renewed.is_some());
        c.widened += usize::from(change.widens());
        c.narrowed += usize::from(change.narrows());
    }
    c
}

/// The lines describing one change, plain text (callers escape for their format).
pub(crate) fn describe(change: &DeclarationChange) -> Vec<String> {
    let mut lines = Vec::new();
    let f = &change.facts;
    match change.status {
        Status::Added | Status::Removed => {
            let verb = if change.status == Status::Added {
                "grants"
            } else {
                "revokes"
            };
            let mut what = format!("{verb} {} owned by {}", f.kind_type, f.owner);
            if let Some(env) = &f.environment {
                what.push_str(&format!(" in {env}"));
            }
            if let Some(expires) = &f.expires {
                what.push_str(&format!(", until {expires}"));
            }
            lines.push(what);
            if !f.permissions.is_empty() {
                let perms: Vec<String> = f
                    .permissions
                    .iter()
                    .map(|(s, a)| format!("{s}: {}", a.as_str()))
                    .collect();
                lines.push(format!("permissions: {}", perms.join(", ")));
            }
            if let Some(subject) = &f.subject {
                lines.push(format!("subject: {subject}"));
            }
        }
        Status::Renamed | Status::Modified => {
            if let Some(from) = &change.previous_path {
                lines.push(format!("moved from {from}"));
            }
            if let Some(e) = &change.renewed {
                lines.push(format!("renewed: expires {} → {}", e.from, e.to));
            }
            if let Some(e) = &change.shortened {
                lines.push(format!("shortened: expires {} → {}", e.from, e.to));
            }
            for a in &change.access {
                let show =
                    |x: Option<tenure_schema::model::Access>| x.map_or("none", |x| x.as_str());
                let verb = if a.widens() { "widened" } else { "narrowed" };
                lines.push(format!(
                    "{verb}: {} {} → {}",
                    a.scope,
                    show(a.from),
                    show(a.to)
                ));
            }
            for field in &change.fields {
                let label = match field.topic {
                    Topic::Owner => "owner changed",
                    Topic::Environment => "environment changed",
                    Topic::Subject => "subject changed",
                    Topic::Name => "name changed",
                    Topic::Type => "type changed",
                    Topic::Justification => "justification changed",
                    Topic::Settings => "setting changed",
                    // Shown above as renewed/shortened and widened/narrowed.
                    Topic::Term if field.path == "spec.expires" => continue,
                    Topic::Permissions if field.path.starts_with("spec.permissions") => continue,
                    Topic::Term | Topic::Permissions | Topic::Other => "changed",
                };
                lines.push(format!(
                    "{label}: {} {} → {}",
                    field.path,
                    value(field.from.as_ref()),
                    value(field.to.as_ref())
                ));
            }
        }
    }
    lines
}

/// A YAML value in one line, shortened.
fn value(v: Option<&serde_json::Value>) -> String {
    let text = match v {
        None => "(none)".to_owned(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    let text = render::clean(&text).into_owned();
    if text.chars().count() > 120 {
        let cut: String = text.chars().take(117).collect();
        format!("{cut}...")
    } else {
        text
    }
}

fn heading(base: &Side, head: &Side) -> String {
    let at = |side: &Side| match &side.commit {
        Some(c) => format!("{} ({})", side.label, c.short()),
        None => side.label.clone(),
    };
    format!("{} → {}", at(base), at(head))
}

fn summary_line(set: &ChangeSet) -> String {
    let c = counts(set);
    let s = Summary::of(&set.diagnostics);
    format!(
        "{} added, {} removed, {} renamed, {} modified ({} renewed, {} widened, {} narrowed); {} errors, {} warnings",
        c.added,
        c.removed,
        c.renamed,
        c.modified,
        c.renewed,
        c.widened,
        c.narrowed,
        s.errors,
        s.warnings
    )
}

fn human(base: &Side, head: &Side, set: &ChangeSet, out: &mut dyn Write) -> anyhow::Result<()> {
    writeln!(
        out,
        "registry changes {}",
        render::clean(&heading(base, head))
    )?;
    if set.changes.is_empty() {
        writeln!(out, "no declaration changed")?;
    }
    for change in &set.changes {
        let path = change.shown_path();
        writeln!(
            out,
            "\n{:<8} {} {} ({})",
            change.status.as_str(),
            change.kind,
            render::clean(&change.name),
            render::clean(path)
        )?;
        for line in describe(change) {
            writeln!(out, "         {}", render::clean(&line))?;
        }
        for code in &change.findings {
            writeln!(out, "         finding: {code}")?;
        }
    }
    writeln!(out, "\n{}", summary_line(set))?;
    Ok(())
}

/// Text safe inside a Markdown code span: the fence is longer than any run of
/// backticks inside, and line breaks become spaces, so a hostile value cannot
/// end the span, mention people or inject HTML into the comment.
fn code(text: &str) -> String {
    let text = render::clean(text).replace(['\r', '\n'], " ");
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') || text.is_empty() {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}").replace('|', "\\|")
}

fn markdown(
    base: &Side,
    head: &Side,
    set: &ChangeSet,
    files: &Files<'_>,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    // A hidden marker lets a workflow find and update its own comment.
    writeln!(out, "<!-- tenure-diff -->")?;
    writeln!(out, "### tenure: what this change grants and revokes\n")?;
    writeln!(out, "{} → {}\n", code(&base.label), code(&head.label))?;
    writeln!(out, "**{}**\n", summary_line(set))?;
    if set.changes.is_empty() {
        writeln!(out, "No declaration changed.")?;
    } else {
        writeln!(out, "| | Declaration | Owner | Change |")?;
        writeln!(out, "|---|---|---|---|")?;
        for change in &set.changes {
            let icon = match change.status {
                Status::Added => "➕ added",
                Status::Removed => "➖ removed",
                Status::Renamed => "↪️ renamed",
                Status::Modified => "✏️ modified",
            };
            let flagged = if change.findings.is_empty() {
                ""
            } else {
                " ❌"
            };
            let lines: Vec<String> = describe(change).iter().map(|l| code(l)).collect();
            let path = change.shown_path();
            writeln!(
                out,
                "| {icon}{flagged} | {} {}<br>{} | {} | {} |",
                change.kind,
                code(&change.name),
                code(path),
                code(&change.facts.owner),
                lines.join("<br>")
            )?;
        }
    }
    if !set.diagnostics.is_empty() {
        writeln!(out, "\n#### Findings\n")?;
        for d in &set.diagnostics {
            let at = files
                .primary_location(d)
                .map(|l| format!(" at {}", code(&format!("{}:{}", l.path, l.line))))
                .unwrap_or_default();
            let mark = match d.severity {
                Severity::Error => "❌ error",
                Severity::Warning => "⚠️ warning",
                Severity::Note => "ℹ️ note",
            };
            writeln!(
                out,
                "- {mark} `{}`{at}: {}",
                d.code.as_str(),
                code(&d.message)
            )?;
            for note in &d.notes {
                writeln!(out, "  - {}", code(note))?;
            }
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct JsonSide {
    rev: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    commit: Option<String>,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    base: JsonSide,
    head: JsonSide,
    summary: JsonSummary,
    changes: &'a [DeclarationChange],
    diagnostics: Vec<render::json::JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
struct JsonSummary {
    #[serde(flatten)]
    counts: Counts,
    #[serde(flatten)]
    findings: Summary,
}

fn json(
    base: &Side,
    head: &Side,
    set: &ChangeSet,
    files: &Files<'_>,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let side = |s: &Side| JsonSide {
        rev: s.label.clone(),
        commit: s.commit.as_ref().map(|c| c.id.to_string()),
    };
    let report = JsonReport {
        version: 1,
        base: side(base),
        head: side(head),
        summary: JsonSummary {
            counts: counts(set),
            findings: Summary::of(&set.diagnostics),
        },
        changes: &set.changes,
        diagnostics: set
            .diagnostics
            .iter()
            .map(|d| render::json::diagnostic(files, d))
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    writeln!(out)?;
    Ok(())
}
