//! A change to one file, checked in memory with the rest of the registry
//! before anything is written, then written atomically. Shared by `new` and
//! `renew`.

use std::collections::HashSet;
use std::io::Write as _;
use std::path::Path;

use anyhow::Context as _;
use tenure_schema::check::{CheckOptions, check};
use tenure_schema::diagnostic::{Diagnostic, FileId, Severity};
use tenure_schema::registry::{LoadOptions, Registry, load_memory};

/// The registry as it would be with `rel` holding `text`.
///
/// Files that loaded are taken as they are. Files that did not load are
/// given as empty files, so they stay broken (their kept text may have had a
/// secret blanked out, and would load) and keep their names out of the
/// rules; files that were only reported (links, `.yml`) are left out, as the
/// loader leaves them out of the model. So every rule sees the same
/// declarations as on disk, except for `rel`.
pub(crate) fn with_file(registry: &Registry, rel: &str, text: &str) -> Registry {
    let loaded: HashSet<FileId> = registry
        .entries
        .iter()
        .map(|e| e.file)
        .chain(registry.config.iter().map(|(f, _)| *f))
        .chain(registry.nested_configs.iter().map(|(f, _)| *f))
        .collect();
    let mut files: Vec<(String, Vec<u8>)> = Vec::with_capacity(registry.files.len() + 1);
    for (id, file) in registry.files.iter().enumerate() {
        if file.path == rel {
            continue;
        }
        if loaded.contains(&id) {
            files.push((file.path.clone(), file.text.clone().into_bytes()));
        } else if file_stem(&file.path).is_some_and(|s| registry.broken_names.contains(s)) {
            files.push((file.path.clone(), Vec::new()));
        }
    }
    files.push((rel.to_owned(), text.as_bytes().to_vec()));
    load_memory(&registry.root, files, &LoadOptions::default())
}

fn file_stem(path: &str) -> Option<&str> {
    path.rsplit('/').next()?.strip_suffix(".yaml")
}

/// The id of the file at `rel`.
pub(crate) fn file_id(registry: &Registry, rel: &str) -> Option<FileId> {
    registry.files.iter().position(|f| f.path == rel)
}

/// Every finding that concerns `rel`, as a pull request changing it would
/// see them (`rel` counts as changed, so a lapsed entry there is an error).
pub(crate) fn findings(registry: &Registry, rel: &str, now: jiff::Timestamp) -> Vec<Diagnostic> {
    let Some(id) = file_id(registry, rel) else {
        return Vec::new();
    };
    let options = CheckOptions {
        now,
        strict: false,
        changed: Some(HashSet::from([rel.to_owned()])),
    };
    check(registry, &options)
        .into_iter()
        .filter(|d| {
            d.primary
                .iter()
                .chain(d.secondary.iter())
                .any(|l| l.file == id)
        })
        .collect()
}

/// Whether any finding is an error.
pub(crate) fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.severity == Severity::Error)
}

/// Write `bytes` to `path` through a temporary file in the same folder, so a
/// reader sees the old file or the new one, never half of it. The temporary
/// name starts with a dot, so a `tenure check` running meanwhile skips it.
///
/// With `replace`, an existing file is replaced and keeps its permissions;
/// without, an existing file is an error and is left alone.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8], replace: bool) -> anyhow::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .with_context(|| format!("`{}` is not a file path", path.display()))?;
    let tmp = dir.join(format!(
        ".{}.tenure-{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let permissions = if replace {
        Some(
            std::fs::metadata(path)
                .with_context(|| format!("cannot read `{}`", path.display()))?
                .permissions(),
        )
    } else {
        None
    };
    // `create_new`: never write through a file or link that is already there.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .with_context(|| format!("cannot create `{}`", tmp.display()))?;
    let written = file
        .write_all(bytes)
        .and_then(|()| file.sync_all())
        .and_then(|()| match &permissions {
            Some(p) => std::fs::set_permissions(&tmp, p.clone()),
            None => Ok(()),
        });
    drop(file);
    let placed = written.and_then(|()| {
        if replace {
            std::fs::rename(&tmp, path)
        } else {
            // A hard link fails when `path` exists, where a rename would replace it.
            std::fs::hard_link(&tmp, path).and_then(|()| std::fs::remove_file(&tmp))
        }
    });
    if let Err(e) = placed {
        let _ = std::fs::remove_file(&tmp);
        return Err(e).with_context(|| format!("cannot write `{}`", path.display()));
    }
    Ok(())
}

/// A path under the registry root as the user sees it: the root as given,
/// then the path, with `/` separators.
pub(crate) fn display_path(root: &Path, rel: &str) -> String {
    let base = root.to_string_lossy().replace('\\', "/");
    let base = base.trim_end_matches('/');
    if base.is_empty() || base == "." {
        rel.to_owned()
    } else {
        format!("{base}/{rel}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_writes_replace_or_refuse() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("a.yaml");
        write_atomic(&path, b"one\n", false).expect("new file");
        assert!(
            write_atomic(&path, b"two\n", false).is_err(),
            "no overwrite"
        );
        assert_eq!(std::fs::read(&path).expect("read"), b"one\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).expect("chmod");
        }
        write_atomic(&path, b"three\n", true).expect("replace");
        assert_eq!(std::fs::read(&path).expect("read"), b"three\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("stat").permissions().mode();
            assert_eq!(mode & 0o777, 0o640);
        }
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(left.len(), 1, "no temporary file left: {left:?}");
    }
}
