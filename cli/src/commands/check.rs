//! `tenure check [PATH]`: validate a registry and report every finding.

use std::collections::HashSet;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use tenure_schema::check::{CheckOptions, Summary, check};

use crate::ExitStatus;
use crate::args::{CheckArgs, Format};
use crate::render::{self, Files};
use crate::source::Loaded;

/// The changed files, as paths relative to the registry root. Paths outside
/// the registry are dropped: they cannot hold declarations.
fn changed_files(
    args: &CheckArgs,
    cwd: &Path,
    loaded: &Loaded,
) -> anyhow::Result<Option<HashSet<String>>> {
    let mut listed: Vec<PathBuf> = args.changed.clone();
    if let Some(source) = &args.changed_from {
        let lines: Vec<String> = if source.as_os_str() == "-" {
            std::io::stdin().lock().lines().collect::<Result<_, _>>()?
        } else {
            std::fs::read_to_string(source)
                .with_context(|| format!("cannot read `{}`", source.display()))?
                .lines()
                .map(str::to_owned)
                .collect()
        };
        listed.extend(
            lines
                .iter()
                .map(|l| l.trim())
                .filter(|l| !l.is_empty())
                .map(PathBuf::from),
        );
    }
    if listed.is_empty() && args.changed_from.is_none() {
        return Ok(None);
    }
    let mut set = HashSet::new();
    let Some(root) = &loaded.disk_root else {
        // A bare repository: paths are from the top of the tree.
        let prefix = loaded.revision.as_ref().map_or("", |r| r.prefix.as_str());
        for path in listed {
            let path = unquote_git_path(&path.to_string_lossy());
            let path = path.to_string_lossy().replace('\\', "/");
            let rel = if prefix.is_empty() {
                Some(path.as_str())
            } else {
                path.strip_prefix(prefix).and_then(|p| p.strip_prefix('/'))
            };
            set.extend(rel.map(str::to_owned));
        }
        return Ok(Some(set));
    };
    let abs_root = normalize(&cwd.join(root));
    // `git diff --name-only` prints paths from the top of the work tree, while
    // a user may type them from the current folder: accept both.
    let top = git_top_level(cwd);
    for path in listed {
        let path = unquote_git_path(&path.to_string_lossy());
        for base in std::iter::once(cwd).chain(top.as_deref()) {
            let abs = normalize(&base.join(&path));
            if let Ok(rel) = abs.strip_prefix(&abs_root) {
                set.insert(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    Ok(Some(set))
}

/// The nearest folder from `start` upwards holding `.git` (a folder, or a
/// file for worktrees and submodules).
fn git_top_level(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join(".git").exists())
        .map(Path::to_path_buf)
}

/// Undo Git's C-style quoting of unusual paths: `"caf\\303\\251.yaml"`.
fn unquote_git_path(text: &str) -> PathBuf {
    let Some(inner) = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) else {
        return PathBuf::from(text);
    };
    let mut bytes = Vec::with_capacity(inner.len());
    let mut rest = inner.bytes().peekable();
    while let Some(b) = rest.next() {
        if b != b'\\' {
            bytes.push(b);
            continue;
        }
        match rest.next() {
            Some(b'n') => bytes.push(b'\n'),
            Some(b't') => bytes.push(b'\t'),
            Some(b'"') => bytes.push(b'"'),
            Some(b'\\') => bytes.push(b'\\'),
            Some(d @ b'0'..=b'3') => {
                let mut value = u32::from(d - b'0');
                for _ in 0..2 {
                    if let Some(&o @ b'0'..=b'7') = rest.peek() {
                        value = value * 8 + u32::from(o - b'0');
                        rest.next();
                    }
                }
                bytes.push(u8::try_from(value).unwrap_or(b'?'));
            }
            Some(other) => bytes.extend([b'\\', other]),
            None => bytes.push(b'\\'),
        }
    }
    PathBuf::from(String::from_utf8_lossy(&bytes).into_owned())
}

/// Remove `.` and `..` without touching the file system (changed files may be deleted ones).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

pub(crate) fn run(
    args: &CheckArgs,
    color: bool,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> anyhow::Result<ExitStatus> {
    let cwd = std::env::current_dir().context("cannot read the current folder")?;
    let now = super::now(args.now.as_deref())?;
    let loaded = crate::source::load(args.path.as_deref(), args.rev.as_deref())?;
    let options = CheckOptions {
        now,
        strict: args.strict,
        changed: changed_files(args, &cwd, &loaded)?,
    };
    let diagnostics = check(&loaded.registry, &options);
    // Annotations and SARIF must name files as they are in the work tree.
    let shown = match (args.format, &loaded.revision) {
        (Format::Github | Format::Sarif, Some(at)) => PathBuf::from(&at.prefix),
        _ => loaded.display_root.clone(),
    };
    let files = Files::new(&loaded.registry, &shown);
    match args.format {
        Format::Human => render::human::render(&files, &diagnostics, color, stderr)?,
        Format::Json => render::json::render(&files, &diagnostics, stdout)?,
        Format::Github => render::github::render(&files, &diagnostics, stdout)?,
        Format::Sarif => render::sarif::render(&files, &diagnostics, stdout)?,
    }
    let status = if Summary::of(&diagnostics).errors > 0 {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    };
    // The process ends right after this; freeing a large registry piece by
    // piece would only delay the exit (a tenth of a second at 100,000 files).
    std::mem::forget(files);
    std::mem::forget(loaded);
    Ok(status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn git_quoted_paths_are_unquoted() {
        assert_eq!(
            unquote_git_path("\"identities/\\303\\251quipe/a.yaml\""),
            PathBuf::from("identities/équipe/a.yaml")
        );
        assert_eq!(
            unquote_git_path("plain/path.yaml"),
            PathBuf::from("plain/path.yaml")
        );
    }
}
