//! Reading a registry out of Git, in process through `gix`: revisions, trees,
//! blobs and history, without a checkout (a bare clone works) and without a
//! `git` binary.
//!
//! Paths here are relative to the registry root inside the tree (`prefix`,
//! such as `identities`), with `/` separators, as the loader expects.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, anyhow, bail};
use gix::ObjectId;
use gix::bstr::ByteSlice;
use gix::objs::TreeRefIter;
use rayon::prelude::*;

/// An open repository.
pub(crate) struct Git {
    repo: gix::Repository,
}

impl std::fmt::Debug for Git {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Git")
            .field("git_dir", &self.repo.git_dir())
            .finish()
    }
}

/// One commit, decoded.
#[derive(Clone, Debug)]
pub(crate) struct Commit {
    pub(crate) id: ObjectId,
    pub(crate) tree: ObjectId,
    pub(crate) parents: Vec<ObjectId>,
    pub(crate) author: String,
    pub(crate) email: String,
    /// Author time.
    pub(crate) time: jiff::Timestamp,
    /// Committer time: when the change entered the branch.
    pub(crate) committed: jiff::Timestamp,
    /// First line of the message.
    pub(crate) summary: String,
}

impl Commit {
    /// The abbreviated id, as `git log --oneline` shows it.
    pub(crate) fn short(&self) -> String {
        self.id.to_hex_with_len(10).to_string()
    }
}

/// A file that differs between two trees.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Change {
    /// Path relative to the registry root.
    pub(crate) path: String,
    /// The blob before, `None` when added.
    pub(crate) old: Option<ObjectId>,
    /// The blob after, `None` when removed.
    pub(crate) new: Option<ObjectId>,
}

/// Largest blob read: a declaration is a short file. Bigger blobs are handed
/// to the loader as an over-long placeholder so that it reports them
/// (`file-too-large`) without tenure reading a hostile gigabyte.
const MAX_BLOB_BYTES: u64 = 1024 * 1024;

impl Git {
    /// The repository that `start` is in (a work tree, a `.git` folder or a bare repository).
    pub(crate) fn discover(start: &Path) -> anyhow::Result<Self> {
        let mut repo = gix::discover(start)
            .with_context(|| format!("`{}` is not in a Git repository", start.display()))?;
        // History walks decode the same trees again and again.
        repo.object_cache_size_if_unset(64 * 1024 * 1024);
        Ok(Self { repo })
    }

    /// The top of the work tree, `None` for a bare repository.
    pub(crate) fn work_dir(&self) -> Option<&Path> {
        self.repo.workdir()
    }

    /// The commit a revision (`main`, `HEAD~3`, `v1.2`, an id) names.
    pub(crate) fn resolve(&self, rev: &str) -> anyhow::Result<Commit> {
        let id = self
            .repo
            .rev_parse_single(rev)
            .map_err(|e| anyhow!("cannot resolve revision `{rev}`: {e}"))?;
        let commit = id
            .object()
            .and_then(|o| o.peel_to_commit())
            .map_err(|e| anyhow!("revision `{rev}` does not name a commit: {e}"))?;
        self.decode(&commit)
    }

    /// A commit by id.
    pub(crate) fn commit(&self, id: ObjectId) -> anyhow::Result<Commit> {
        let commit = self
            .repo
            .find_commit(id)
            .with_context(|| format!("cannot read commit {id}"))?;
        self.decode(&commit)
    }

    fn decode(&self, commit: &gix::Commit<'_>) -> anyhow::Result<Commit> {
        let id = commit.id;
        let decoded = commit
            .decode()
            .with_context(|| format!("cannot decode commit {id}"))?;
        let author = decoded
            .author()
            .with_context(|| format!("commit {id} has no readable author"))?;
        let committer = decoded
            .committer()
            .with_context(|| format!("commit {id} has no readable committer"))?;
        let stamp = |sig: &gix::actor::SignatureRef<'_>| {
            sig.time()
                .ok()
                .and_then(|t| jiff::Timestamp::from_second(t.seconds).ok())
                .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        };
        let summary = decoded.message_summary().to_str_lossy().into_owned();
        Ok(Commit {
            id,
            tree: decoded.tree(),
            parents: decoded.parents().collect(),
            author: author.name.trim().to_str_lossy().into_owned(),
            email: author.email.trim().to_str_lossy().into_owned(),
            time: stamp(&author),
            committed: stamp(&committer),
            summary,
        })
    }

    fn tree_data(&self, id: ObjectId) -> anyhow::Result<Vec<u8>> {
        let object = self
            .repo
            .find_object(id)
            .with_context(|| format!("cannot read tree {id}"))?;
        if object.kind != gix::object::Kind::Tree {
            bail!("object {id} is a {}, not a tree", object.kind);
        }
        Ok(object.detach().data)
    }

    /// The entries of a tree: name, whether it is a tree, whether it is a
    /// file (not a link or submodule), id.
    fn entries(&self, id: ObjectId) -> anyhow::Result<Vec<(String, Kind, ObjectId)>> {
        let data = self.tree_data(id)?;
        let mut out = Vec::new();
        for entry in TreeRefIter::from_bytes(&data, self.repo.object_hash()) {
            let entry = entry.with_context(|| format!("tree {id} is corrupt"))?;
            let kind = if entry.mode.is_tree() {
                Kind::Tree
            } else if entry.mode.is_blob() {
                Kind::File
            } else {
                Kind::Other
            };
            // A name that is not UTF-8 cannot be a declaration's path; keep it
            // visible (lossy) rather than hide what is behind it.
            out.push((
                entry.filename.to_str_lossy().into_owned(),
                kind,
                entry.oid.to_owned(),
            ));
        }
        Ok(out)
    }

    /// The object at `path` (`a/b/c.yaml`) in `tree`, if any.
    pub(crate) fn entry(&self, tree: ObjectId, path: &str) -> anyhow::Result<Option<ObjectId>> {
        Ok(self.entry_kind(tree, path)?.map(|(_, id)| id))
    }

    fn entry_kind(&self, tree: ObjectId, path: &str) -> anyhow::Result<Option<(Kind, ObjectId)>> {
        let mut current = (Kind::Tree, tree);
        for segment in path.split('/').filter(|s| !s.is_empty()) {
            if current.0 != Kind::Tree {
                return Ok(None);
            }
            let data = self.tree_data(current.1)?;
            let found = TreeRefIter::from_bytes(&data, self.repo.object_hash())
                .filter_map(Result::ok)
                .find(|e| e.filename == segment.as_bytes())
                .map(|e| {
                    let kind = if e.mode.is_tree() {
                        Kind::Tree
                    } else if e.mode.is_blob() {
                        Kind::File
                    } else {
                        Kind::Other
                    };
                    (kind, e.oid.to_owned())
                });
            match found {
                Some(next) => current = next,
                None => return Ok(None),
            }
        }
        Ok(Some(current))
    }

    /// The tree at `prefix` in `tree` (the tree itself for an empty prefix).
    pub(crate) fn subtree(&self, tree: ObjectId, prefix: &str) -> anyhow::Result<Option<ObjectId>> {
        Ok(match self.entry_kind(tree, prefix)? {
            Some((Kind::Tree, id)) => Some(id),
            _ => None,
        })
    }

    /// Where the registry is inside `tree`: `hint` when it holds
    /// `tenure.yaml`, else `hint/identities`; with no hint, the top of the
    /// tree or `identities/`, as discovery does on disk.
    pub(crate) fn registry_prefix(&self, tree: ObjectId, hint: &str) -> anyhow::Result<String> {
        let hint = hint.trim_matches('/');
        let join = |a: &str, b: &str| {
            if a.is_empty() {
                b.to_owned()
            } else {
                format!("{a}/{b}")
            }
        };
        for candidate in [hint.to_owned(), join(hint, "identities")] {
            if self
                .entry_kind(tree, &join(&candidate, "tenure.yaml"))?
                .is_some_and(|(kind, _)| kind == Kind::File)
            {
                return Ok(candidate);
            }
        }
        bail!(
            "no registry in the tree: neither `{}` nor `{}` exists",
            join(hint, "tenure.yaml"),
            join(&join(hint, "identities"), "tenure.yaml")
        )
    }

    /// Every file below `prefix` in `tree`, with paths relative to `prefix`,
    /// skipping dot-folders (as loading from disk does).
    pub(crate) fn list(
        &self,
        tree: ObjectId,
        prefix: &str,
    ) -> anyhow::Result<Vec<(String, ObjectId)>> {
        let mut out = Vec::new();
        let Some(root) = self.subtree(tree, prefix)? else {
            return Ok(out);
        };
        let mut stack = vec![(String::new(), root)];
        while let Some((dir, id)) = stack.pop() {
            for (name, kind, oid) in self.entries(id)? {
                if name.starts_with('.') {
                    continue;
                }
                let path = if dir.is_empty() {
                    name
                } else {
                    format!("{dir}/{name}")
                };
                match kind {
                    Kind::Tree => stack.push((path, oid)),
                    Kind::File => out.push((path, oid)),
                    // Links and submodules are not followed out of the tree.
                    Kind::Other => {}
                }
            }
        }
        out.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    }

    /// Read blobs, in parallel, in the order given.
    pub(crate) fn read_blobs(&self, ids: &[ObjectId]) -> anyhow::Result<Vec<Vec<u8>>> {
        let sync = self.repo.clone().into_sync();
        ids.par_iter()
            .map_init(|| sync.to_thread_local(), |repo, id| blob(repo, *id))
            .collect()
    }

    /// Read one blob.
    pub(crate) fn read_blob(&self, id: ObjectId) -> anyhow::Result<Vec<u8>> {
        blob(&self.repo, id)
    }

    /// The files below `prefix` that differ between two trees (either may be
    /// absent). Unchanged sub-trees are skipped by id without being read, so
    /// the cost follows the size of the change, not of the registry.
    pub(crate) fn diff(
        &self,
        old: Option<ObjectId>,
        new: Option<ObjectId>,
        prefix: &str,
    ) -> anyhow::Result<Vec<Change>> {
        let old = match old {
            Some(tree) => self.subtree(tree, prefix)?,
            None => None,
        };
        let new = match new {
            Some(tree) => self.subtree(tree, prefix)?,
            None => None,
        };
        let mut out = Vec::new();
        self.diff_trees(String::new(), old, new, &mut out)?;
        out.sort_unstable_by(|a, b| a.path.cmp(&b.path));
        Ok(out)
    }

    fn diff_trees(
        &self,
        dir: String,
        old: Option<ObjectId>,
        new: Option<ObjectId>,
        out: &mut Vec<Change>,
    ) -> anyhow::Result<()> {
        if old == new {
            return Ok(());
        }
        let read = |tree: Option<ObjectId>| -> anyhow::Result<HashMap<String, (Kind, ObjectId)>> {
            Ok(match tree {
                Some(id) => self
                    .entries(id)?
                    .into_iter()
                    .filter(|(name, ..)| !name.starts_with('.'))
                    .map(|(name, kind, oid)| (name, (kind, oid)))
                    .collect(),
                None => HashMap::new(),
            })
        };
        let before = read(old)?;
        let after = read(new)?;
        let mut names: Vec<&String> = before.keys().chain(after.keys()).collect();
        names.sort_unstable();
        names.dedup();
        for name in names {
            let a = before.get(name).copied();
            let b = after.get(name).copied();
            if a == b {
                continue;
            }
            let path = if dir.is_empty() {
                name.clone()
            } else {
                format!("{dir}/{name}")
            };
            let tree_of =
                |e: Option<(Kind, ObjectId)>| e.filter(|(k, _)| *k == Kind::Tree).map(|(_, id)| id);
            let file_of =
                |e: Option<(Kind, ObjectId)>| e.filter(|(k, _)| *k == Kind::File).map(|(_, id)| id);
            let (ta, tb) = (tree_of(a), tree_of(b));
            if ta.is_some() || tb.is_some() {
                self.diff_trees(path.clone(), ta, tb, out)?;
            }
            let (fa, fb) = (file_of(a), file_of(b));
            if fa != fb {
                out.push(Change {
                    path,
                    old: fa,
                    new: fb,
                });
            }
        }
        Ok(())
    }

    /// Walk the history from `tip`, newest first (by commit time, parents
    /// after children), calling `visit` until it returns `false`.
    pub(crate) fn walk(
        &self,
        tip: ObjectId,
        mut visit: impl FnMut(Commit) -> anyhow::Result<bool>,
    ) -> anyhow::Result<()> {
        let walk = self
            .repo
            .rev_walk([tip])
            .sorting(gix::revision::walk::Sorting::ByCommitTime(
                gix::traverse::commit::simple::CommitTimeOrder::NewestFirst,
            ))
            .all()
            .context("cannot walk the history")?;
        for info in walk {
            let info = info.context("cannot walk the history")?;
            let commit = self.commit(info.id)?;
            if !visit(commit)? {
                break;
            }
        }
        Ok(())
    }

    /// The registry folder `path` (on disk, inside the work tree) as a path
    /// inside the tree; empty for the top of the work tree or a bare repository.
    pub(crate) fn tree_path(&self, path: &Path) -> anyhow::Result<String> {
        let Some(top) = self.work_dir() else {
            return Ok(String::new());
        };
        let top = top.canonicalize().unwrap_or_else(|_| top.to_path_buf());
        let abs = path
            .canonicalize()
            .with_context(|| format!("cannot find `{}`", path.display()))?;
        let rel: PathBuf = abs.strip_prefix(&top).map(Path::to_path_buf).map_err(|_| {
            anyhow!(
                "`{}` is outside the repository at `{}`",
                path.display(),
                top.display()
            )
        })?;
        Ok(rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"))
    }
}

/// One blob's bytes; an over-long blob is not read (see [`MAX_BLOB_BYTES`]).
fn blob(repo: &gix::Repository, id: ObjectId) -> anyhow::Result<Vec<u8>> {
    let header = repo
        .find_header(id)
        .with_context(|| format!("cannot read blob {id}"))?;
    if header.size() > MAX_BLOB_BYTES {
        return Ok(vec![
            b' ';
            usize::try_from(MAX_BLOB_BYTES + 1)
                .unwrap_or(usize::MAX)
        ]);
    }
    let blob = repo
        .find_blob(id)
        .with_context(|| format!("cannot read blob {id}"))?;
    Ok(blob.detach().data)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Tree,
    File,
    Other,
}
