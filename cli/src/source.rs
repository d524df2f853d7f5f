//! Where a command reads the registry from: the folder on disk, or the tree of
//! a Git revision (`--rev`), read through `gix` without a checkout.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use tenure_schema::registry::{self, LoadOptions, Registry};

use crate::git::{Commit, Git};

/// A loaded registry and where it came from.
#[derive(Debug)]
pub(crate) struct Loaded {
    pub(crate) registry: Registry,
    /// How the registry root is shown in paths: `identities`, or
    /// `main:identities` for a revision (Git's `REV:PATH` notation).
    pub(crate) display_root: PathBuf,
    /// The registry folder on disk, when there is one: the folder itself, or
    /// for a revision its place in the work tree (absent in a bare repository).
    pub(crate) disk_root: Option<PathBuf>,
    /// The revision, when read from Git.
    pub(crate) revision: Option<Revision>,
}

/// A registry read from a commit.
#[derive(Debug)]
pub(crate) struct Revision {
    pub(crate) git: Git,
    pub(crate) commit: Commit,
    /// The registry folder inside the tree (`identities`, or empty for the top).
    pub(crate) prefix: String,
}

/// Load the registry at `path` (found from the current folder when absent),
/// or, with `rev`, the registry of the same place in that revision's tree.
pub(crate) fn load(path: Option<&Path>, rev: Option<&str>) -> anyhow::Result<Loaded> {
    match rev {
        None => {
            let root = crate::commands::locate_registry(path)?;
            if !root.is_dir() {
                anyhow::bail!("`{}` is not a folder", root.display());
            }
            let registry = registry::load(&root, &LoadOptions::default())
                .with_context(|| format!("cannot load the registry at `{}`", root.display()))?;
            Ok(Loaded {
                registry,
                disk_root: Some(root.clone()),
                display_root: root,
                revision: None,
            })
        }
        Some(rev) => {
            let at = open_revision(path, rev)?;
            let registry = load_tree(&at.git, &at.commit, &at.prefix, &display(rev, &at.prefix))?;
            Ok(Loaded {
                registry,
                display_root: PathBuf::from(display(rev, &at.prefix)),
                disk_root: at.git.work_dir().map(|top| top.join(&at.prefix)),
                revision: Some(at),
            })
        }
    }
}

/// `REV:PATH`, as Git writes a path in a revision.
pub(crate) fn display(rev: &str, prefix: &str) -> String {
    format!("{rev}:{prefix}")
}

/// Open the repository that `path` (or the current folder) is in, resolve
/// `rev` and find the registry in its tree: at the place `path` names in the
/// work tree, or the nearest folder above it holding `tenure.yaml` or
/// `identities/tenure.yaml`, as discovery on disk does.
pub(crate) fn open_revision(path: Option<&Path>, rev: &str) -> anyhow::Result<Revision> {
    let cwd = std::env::current_dir().context("cannot read the current folder")?;
    let start = path.map_or_else(|| cwd.clone(), |p| cwd.join(p));
    let git = Git::discover(&start)?;
    let commit = git.resolve(rev)?;
    let hint = if git.work_dir().is_some() {
        git.tree_path(&start)?
    } else {
        String::new()
    };
    let prefix = find_prefix(&git, &commit, &hint)?;
    Ok(Revision {
        git,
        commit,
        prefix,
    })
}

fn find_prefix(git: &Git, commit: &Commit, hint: &str) -> anyhow::Result<String> {
    let mut dir = hint.trim_matches('/').to_owned();
    loop {
        if let Ok(prefix) = git.registry_prefix(commit.tree, &dir) {
            return Ok(prefix);
        }
        match dir.rfind('/') {
            Some(i) => dir.truncate(i),
            None if !dir.is_empty() => dir.clear(),
            None => break,
        }
    }
    anyhow::bail!(
        "no registry in commit {}: no folder from `{}` upwards holds `tenure.yaml` or `identities/tenure.yaml`",
        commit.short(),
        if hint.is_empty() { "." } else { hint }
    )
}

/// Load every file of the registry at `prefix` in a commit's tree.
pub(crate) fn load_tree(
    git: &Git,
    commit: &Commit,
    prefix: &str,
    shown_as: &str,
) -> anyhow::Result<Registry> {
    let listed = git.list(commit.tree, prefix)?;
    let ids: Vec<_> = listed.iter().map(|(_, id)| *id).collect();
    let blobs = git.read_blobs(&ids)?;
    let files = listed
        .into_iter()
        .zip(blobs)
        .map(|((path, _), bytes)| (path, bytes))
        .collect();
    Ok(registry::load_memory(
        Path::new(shown_as),
        files,
        &LoadOptions::default(),
    ))
}
