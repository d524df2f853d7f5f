//! Finding and loading a registry: a folder tree of YAML declarations with
//! `tenure.yaml` at its root.
//!
//! Loading never stops at the first bad file. Each file is read, parsed,
//! validated against the schema of its kind and turned into the typed model
//! on its own (in parallel); every problem becomes a [`Diagnostic`], and a
//! broken file only removes itself from the registry.

use std::collections::HashSet;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::de::from_node;
use crate::diagnostic::{Code, Diagnostic, FileId};
use crate::model::{Declaration, Kind, RegistryConfig};
use crate::schema;
use crate::secrets::{self, SecretKind};
use crate::span::Span;
use crate::yaml::{self, LoadLimits, Node, YamlErrorKind};

/// The name of the settings file at the root of a registry.
pub const CONFIG_FILE: &str = "tenure.yaml";

/// One file of the registry, kept for rendering diagnostics.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Path relative to the registry root, with `/` separators.
    pub path: String,
    /// The text, or empty when the file could not be read as text.
    pub text: String,
    /// The document as JSON, when it loaded and [`LoadOptions::keep_json`] asked for it.
    pub json: Option<serde_json::Value>,
}

/// A loaded declaration and the file it came from.
#[derive(Clone, Debug)]
pub struct Entry {
    /// The file.
    pub file: FileId,
    /// What it declares.
    pub declaration: Declaration,
    /// Its regular-expression fields, parsed on first use and shared by every
    /// rule that reads them: parsing is most of what those rules cost.
    patterns: std::sync::OnceLock<Vec<PatternField>>,
}

/// A regular-expression field of a declaration, parsed once.
#[derive(Clone, Debug)]
pub struct PatternField {
    /// Its path, `spec.federation.subjectPattern`.
    pub path: String,
    /// The pattern as written.
    pub pattern: crate::Spanned<String>,
    /// The parsed pattern, or why it does not parse.
    pub parsed: Result<regex_syntax::hir::Hir, Box<regex_syntax::Error>>,
    prefixes: std::sync::OnceLock<crate::subject::Subjects>,
}

impl PatternField {
    /// What the pattern admits, from its literal prefixes.
    pub(crate) fn prefixes(&self) -> &crate::subject::Subjects {
        self.prefixes.get_or_init(|| match &self.parsed {
            Ok(hir) => crate::subject::prefixes_of(hir),
            Err(_) => crate::subject::Subjects::Unknown,
        })
    }
}

impl Entry {
    /// A declaration loaded from `file`.
    pub fn new(file: FileId, declaration: Declaration) -> Self {
        Self {
            file,
            declaration,
            patterns: std::sync::OnceLock::new(),
        }
    }

    /// Every regular-expression field, parsed.
    pub fn patterns(&self) -> &[PatternField] {
        self.patterns.get_or_init(|| {
            self.declaration
                .regex_patterns()
                .into_iter()
                .map(|(path, pattern)| PatternField {
                    path,
                    pattern: pattern.clone(),
                    parsed: crate::pattern::parse_regex(&pattern.value),
                    prefixes: std::sync::OnceLock::new(),
                })
                .collect()
        })
    }

    /// The regular-expression field at `path`, parsed.
    pub fn pattern(&self, path: &str) -> Option<&PatternField> {
        self.patterns().iter().find(|p| p.path == path)
    }
}

/// A registry as loaded from disk.
#[derive(Debug)]
pub struct Registry {
    /// The root folder.
    pub root: PathBuf,
    /// Every file read, indexed by [`FileId`].
    pub files: Vec<SourceFile>,
    /// `tenure.yaml` at the root, when it loaded.
    pub config: Option<(FileId, RegistryConfig)>,
    /// `tenure.yaml` files in sub-folders, when they loaded.
    pub nested_configs: Vec<(FileId, RegistryConfig)>,
    /// How many `.yaml` files were read (files only reported, such as `.yml`
    /// files and links, are not counted).
    pub files_loaded: usize,
    /// Every declaration that loaded, in path order.
    pub entries: Vec<Entry>,
    /// Findings made while loading.
    pub diagnostics: Vec<Diagnostic>,
    /// `tenure.yaml` exists at the root but did not load: settings are unknown,
    /// so checks that depend on them stay quiet rather than guess.
    pub config_broken: bool,
    /// Names (from file names) of files that failed to load, so that other
    /// checks do not pile spurious findings on a reference to them.
    pub broken_names: HashSet<String>,
}

/// Options for [`load`].
#[derive(Clone, Copy, Debug, Default)]
pub struct LoadOptions {
    /// Per-file limits.
    pub limits: LoadLimits,
    /// Keep each loaded document as JSON ([`SourceFile::json`]), for
    /// comparing versions field by field without parsing the text again.
    pub keep_json: bool,
}

/// Errors that stop loading altogether (problems in files are diagnostics).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The root does not exist or is not a folder.
    #[error("`{}` is not a folder", .0.display())]
    NotAFolder(PathBuf),
    /// A folder could not be listed.
    #[error("cannot list `{}`", path.display())]
    ListFolder {
        /// The folder.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// Find the registry that `start` is in: the nearest folder, from `start`
/// upwards, that holds `tenure.yaml` or `identities/tenure.yaml`.
pub fn discover(start: &Path) -> Option<PathBuf> {
    let mut dir = Some(start);
    while let Some(d) = dir {
        if d.join(CONFIG_FILE).is_file() {
            return Some(d.to_path_buf());
        }
        let nested = d.join("identities");
        if nested.join(CONFIG_FILE).is_file() {
            return Some(nested);
        }
        dir = d.parent();
    }
    None
}

/// Where a file's bytes come from.
enum Bytes {
    Disk(PathBuf),
    Memory(Vec<u8>),
}

/// Load the registry rooted at `root`.
pub fn load(root: &Path, options: &LoadOptions) -> Result<Registry, LoadError> {
    if !root.is_dir() {
        return Err(LoadError::NotAFolder(root.to_path_buf()));
    }
    let canonical_root = root
        .canonicalize()
        .map_err(|_| LoadError::NotAFolder(root.to_path_buf()))?;
    let results = walk_and_load(root, &canonical_root, "", options)?;
    Ok(assemble(root, results))
}

/// Load a registry from files held in memory, e.g. blobs read from a Git
/// tree: `(path relative to the registry root with `/` separators, bytes)`.
/// The same rules apply as on disk: dot-files and dot-folders are skipped,
/// `.yml` files are reported, and every `.yaml` file is loaded.
pub fn load_memory(root: &Path, files: Vec<(String, Vec<u8>)>, options: &LoadOptions) -> Registry {
    let mut files: Vec<(String, Vec<u8>)> = files
        .into_iter()
        .filter(|(rel, _)| !rel.split('/').any(|seg| seg.starts_with('.')))
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let results = files
        .into_par_iter()
        .filter_map(|(rel, bytes)| {
            let lower = rel.to_ascii_lowercase();
            if lower.ends_with(".yaml") {
                Some(load_file(rel, Bytes::Memory(bytes), options))
            } else if lower.ends_with(".yml") {
                Some(ignored_yml(rel))
            } else {
                None
            }
        })
        .collect();
    assemble(root, results)
}

fn ignored_yml(rel: String) -> FileResult {
    let diagnostic = Diagnostic::new(
        Code::IgnoredYmlFile,
        "the file is not read: declarations end in `.yaml`",
    )
    .with_note("help: rename it to `.yaml`");
    report(rel, diagnostic)
}

/// Number the files in path order and gather what they hold.
fn assemble(root: &Path, results: Vec<FileResult>) -> Registry {
    let mut registry = Registry {
        root: root.to_path_buf(),
        files: Vec::with_capacity(results.len()),
        config: None,
        nested_configs: Vec::new(),
        entries: Vec::with_capacity(results.len()),
        diagnostics: Vec::new(),
        config_broken: false,
        broken_names: HashSet::new(),
        files_loaded: 0,
    };
    let mut saw_root_config = false;
    for (id, mut result) in results.into_iter().enumerate() {
        // Every label of a per-file result points into that file.
        for d in &mut result.diagnostics {
            d.primary
                .iter_mut()
                .chain(d.secondary.iter_mut())
                .for_each(|l| l.file = id);
        }
        let is_root_config = result.source.path == CONFIG_FILE;
        saw_root_config |= is_root_config;
        registry.files_loaded += usize::from(!matches!(result.outcome, Outcome::Skipped));
        match result.outcome {
            Outcome::Declaration(declaration) => {
                registry.entries.push(Entry::new(id, *declaration));
            }
            Outcome::Config(config) if is_root_config => registry.config = Some((id, *config)),
            Outcome::Config(config) => registry.nested_configs.push((id, *config)),
            Outcome::Broken => {
                if let Some(stem) = file_stem(&result.source.path) {
                    registry.broken_names.insert(stem.to_owned());
                }
            }
            Outcome::Skipped => {}
        }
        registry.diagnostics.extend(result.diagnostics);
        registry.files.push(result.source);
    }
    registry.config_broken = saw_root_config && registry.config.is_none();
    if !saw_root_config {
        registry.diagnostics.push(
            Diagnostic::new(
                Code::MissingRegistryConfig,
                format!("`{}` has no `{CONFIG_FILE}`", root.display()),
            )
            .with_note("help: create `tenure.yaml` with `kind: Registry` at the registry root"),
        );
    }
    registry
}

fn file_stem(path: &str) -> Option<&str> {
    let name = path.rsplit('/').next()?;
    name.strip_suffix(".yaml")
}

fn with_file(mut d: Diagnostic, file: FileId) -> Diagnostic {
    if let Some(label) = d.primary.as_mut() {
        label.file = file;
    } else {
        d.primary = Some(crate::diagnostic::Label {
            file,
            span: Span::default(),
            message: String::new(),
        });
    }
    d
}

/// List the folder tree in a stable order (sorted names; dot-files and
/// dot-folders such as `.git` and `.github` skipped) and load every file as
/// soon as its folder is listed. Folders and files are handled in parallel;
/// the result keeps path order.
fn walk_and_load(
    dir: &Path,
    canonical_root: &Path,
    prefix: &str,
    options: &LoadOptions,
) -> Result<Vec<FileResult>, LoadError> {
    let read = fs::read_dir(dir).map_err(|source| LoadError::ListFolder {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut entries: Vec<(String, fs::DirEntry)> = Vec::new();
    let mut unreadable = Vec::new();
    for entry in read {
        match entry {
            Ok(e) => match e.file_name().into_string() {
                Ok(name) if name.starts_with('.') => {}
                Ok(name) => entries.push((name, e)),
                Err(raw) => {
                    // A name tenure cannot show would hide whatever is behind it.
                    let shown = raw.to_string_lossy().into_owned();
                    let rel = if prefix.is_empty() {
                        shown
                    } else {
                        format!("{prefix}/{shown}")
                    };
                    let d = Diagnostic::new(Code::InvalidUtf8, "the file name is not UTF-8")
                        .with_note("rename it; nothing behind this name was read");
                    unreadable.push(report(rel, d));
                }
            },
            Err(e) => {
                let d = Diagnostic::new(
                    Code::UnreadableFile,
                    format!("a folder entry cannot be read: {e}"),
                );
                unreadable.push(report(prefix.to_owned(), d));
            }
        }
    }
    // Names in one folder are unique: an unstable sort gives the same order, without a scratch buffer.
    entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let parts: Vec<Result<Vec<FileResult>, LoadError>> = entries
        .into_par_iter()
        .map(|(name, entry)| {
            let rel = if prefix.is_empty() {
                name.clone()
            } else {
                format!("{prefix}/{name}")
            };
            let abs = entry.path();
            let file_type = match entry.file_type() {
                Ok(t) => t,
                Err(e) => {
                    let d = Diagnostic::new(Code::UnreadableFile, format!("the file cannot be read: {e}"));
                    return Ok(vec![report(rel, d)]);
                }
            };
            let lower = name.to_ascii_lowercase();
            let is_yaml = lower.ends_with(".yaml");
            let is_yml = lower.ends_with(".yml");
            if file_type.is_symlink() {
                let Ok(target) = abs.canonicalize() else {
                    if !(is_yaml || is_yml) {
                        return Ok(Vec::new());
                    }
                    let d = Diagnostic::new(Code::UnreadableFile, "the symbolic link points to nothing")
                        .with_note("remove the link or restore its target");
                    return Ok(vec![report(rel, d)]);
                };
                if !target.starts_with(canonical_root) {
                    if is_yaml || is_yml || target.is_dir() {
                        let d = Diagnostic::new(
                            Code::SymlinkOutsideRegistry,
                            "the symbolic link points outside the registry",
                        )
                        .with_note("a declaration must be reviewed where it lives; copy the file into the registry instead");
                        return Ok(vec![report(rel, d)]);
                    }
                    return Ok(Vec::new());
                }
                // A link inside the registry: folders are not followed (their real
                // path is walked already, and loops are impossible); files are read
                // through it only when the target is itself a `.yaml` file that the
                // walk would read, never a dot-file such as `.env` or `.git/config`.
                if target.is_dir() || !(is_yaml || is_yml) {
                    return Ok(Vec::new());
                }
                let hidden = target
                    .strip_prefix(canonical_root)
                    .map(|t| t.components().any(|c| c.as_os_str().to_string_lossy().starts_with('.')))
                    .unwrap_or(true);
                let target_is_yaml = target
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("yaml"));
                if hidden || !target_is_yaml {
                    let d = Diagnostic::new(
                        Code::SymlinkOutsideRegistry,
                        "the symbolic link points at a file the registry does not hold",
                    )
                    .with_note("links may only point at `.yaml` files outside dot-folders");
                    return Ok(vec![report(rel, d)]);
                }
                if !target.is_file() {
                    let d = Diagnostic::new(Code::UnreadableFile, "the symbolic link does not point at a regular file");
                    return Ok(vec![report(rel, d)]);
                }
                // The target is a `.yaml` file the walk reads under its own name;
                // reading it again through the link would only declare it twice.
                return Ok(Vec::new());
            } else if file_type.is_dir() {
                return walk_and_load(&abs, canonical_root, &rel, options);
            } else if !file_type.is_file() && (is_yaml || is_yml) {
                // FIFOs, sockets and devices: opening one could block forever.
                let d = Diagnostic::new(Code::UnreadableFile, "not a regular file");
                return Ok(vec![report(rel, d)]);
            }
            Ok(if is_yaml {
                vec![load_file(rel, Bytes::Disk(abs), options)]
            } else if is_yml {
                vec![ignored_yml(rel)]
            } else {
                Vec::new()
            })
        })
        .collect();
    let mut out = unreadable;
    for part in parts {
        out.extend(part?);
    }
    Ok(out)
}

/// A file reported without being read.
fn report(rel: String, diagnostic: Diagnostic) -> FileResult {
    FileResult {
        source: SourceFile {
            path: rel,
            text: String::new(),
            json: None,
        },
        outcome: Outcome::Skipped,
        diagnostics: vec![with_file(diagnostic, 0)],
    }
}

enum Outcome {
    Declaration(Box<Declaration>),
    Config(Box<RegistryConfig>),
    Broken,
    Skipped,
}

struct FileResult {
    source: SourceFile,
    outcome: Outcome,
    diagnostics: Vec<Diagnostic>,
}

/// Read at most `limit + 1` bytes: one past the limit tells "at the limit"
/// from "over it" without a `stat`. A per-thread buffer sized to the limit
/// means one `read` fills a typical file and a second sees the end.
fn read_limited(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    thread_local! {
        static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let cap = usize::try_from(limit.saturating_add(1)).unwrap_or(usize::MAX);
    let mut file = fs::File::open(path)?;
    BUFFER.with_borrow_mut(|buf| {
        if buf.len() < cap {
            buf.resize(cap, 0);
        }
        let mut filled = 0;
        while filled < cap {
            match file.read(&mut buf[filled..cap]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(buf[..filled].to_vec())
    })
}

/// Load one file. Labels point at file 0; [`assemble`] renumbers them.
fn load_file(rel: String, from: Bytes, options: &LoadOptions) -> FileResult {
    let id: FileId = 0;
    let limits = &options.limits;
    let broken = |text: String, diagnostics: Vec<Diagnostic>| FileResult {
        source: SourceFile {
            path: rel.clone(),
            text,
            json: None,
        },
        outcome: Outcome::Broken,
        diagnostics,
    };
    let here = |code, message: String| Diagnostic::new(code, message).at(id, Span::default(), "");

    let read = match from {
        Bytes::Memory(bytes) => Ok(bytes),
        Bytes::Disk(abs) => read_limited(&abs, limits.max_file_bytes),
    };
    let bytes = match read {
        Ok(bytes) => bytes,
        Err(e) => {
            return broken(
                String::new(),
                vec![here(
                    Code::UnreadableFile,
                    format!("the file cannot be read: {e}"),
                )],
            );
        }
    };
    if bytes.len() as u64 > limits.max_file_bytes {
        return broken(
            String::new(),
            vec![here(
                Code::FileTooLarge,
                format!(
                    "the file is larger than {} KiB; a declaration is a short file",
                    limits.max_file_bytes / 1024
                ),
            )],
        );
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let bad = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            // Keep the valid prefix so the renderer can show the line.
            let prefix = String::from_utf8_lossy(&bytes[..bad]).into_owned();
            let line_end = prefix.len();
            let line_start = prefix.rfind('\n').map_or(0, |i| i + 1);
            return broken(
                prefix,
                vec![
                    Diagnostic::new(
                        Code::InvalidUtf8,
                        format!("the file is not UTF-8 (byte {bad} is invalid)"),
                    )
                    .at(
                        id,
                        Span::new(line_start, line_end),
                        "the invalid byte follows here",
                    )
                    .with_note("save the file as UTF-8"),
                ],
            );
        }
    };
    // Secrets are refused before anything else, and blanked out of the text
    // kept for rendering, so no output format can ever show one.
    let (text, secrets) = secrets::scan(text);
    if !secrets.is_empty() {
        let diagnostics = secrets
            .into_iter()
            .map(|found| {
                let what = found.kind.describe();
                let note = match found.kind {
                    SecretKind::PrivateKey => {
                        "declarations hold public keys only; treat this key as leaked and rotate it"
                    }
                    SecretKind::HighEntropy => {
                        "declarations never need a random string; if this is a credential, treat it as leaked and rotate it"
                    }
                    _ => "treat this credential as leaked: revoke it at its provider and issue a new one",
                };
                Diagnostic::new(
                    Code::SecretInRegistry,
                    format!("{what} is committed to the registry"),
                )
                .at(id, found.span, format!("{} (not shown)", what.trim_start_matches("a ").trim_start_matches("an ")))
                .with_note(note)
            })
            .collect();
        return broken(text, diagnostics);
    }
    // A byte-order mark is legal YAML but invisible in review; it is simply skipped.
    let body_offset = if text.starts_with('\u{feff}') { 3 } else { 0 };

    let root = match yaml::load(&text[body_offset..], limits) {
        Ok(mut root) => {
            if body_offset > 0 {
                shift(&mut root, body_offset);
            }
            root
        }
        Err(errors) => {
            let mut text = text;
            // Refused characters are replaced in the kept text, byte for byte,
            // so a renderer never writes them to a terminal.
            if errors
                .iter()
                .any(|e| matches!(e.kind, YamlErrorKind::Forbidden(_)))
            {
                text = text
                    .chars()
                    .map(|c| match c {
                        '\u{feff}' => c.to_string(),
                        c if yaml::forbidden_reason(c).is_some() && c != '\r' => {
                            "?".repeat(c.len_utf8())
                        }
                        '\r' => "?".to_owned(),
                        c => c.to_string(),
                    })
                    .collect();
            }
            let diagnostics = errors
                .into_iter()
                .map(|e| yaml_diagnostic(id, e, body_offset))
                .collect();
            return broken(text, diagnostics);
        }
    };

    let is_config_file = rel == CONFIG_FILE || rel.ends_with("/tenure.yaml");
    let (kind, mut diagnostics) = match classify(id, &text, &root, is_config_file) {
        Ok(kind) => (kind, Vec::new()),
        Err(d) => return broken(text, d),
    };
    diagnostics.extend(schema::validate(kind, id, &text, &root));
    if !diagnostics.is_empty() {
        return broken(text, diagnostics);
    }
    let outcome = match kind {
        Kind::Registry => from_node(&root).map(|c| Outcome::Config(Box::new(c))),
        Kind::Team => {
            from_node(&root).map(|t| Outcome::Declaration(Box::new(Declaration::Team(Box::new(t)))))
        }
        Kind::Identity => from_node(&root)
            .map(|i| Outcome::Declaration(Box::new(Declaration::Identity(Box::new(i))))),
        Kind::SigningKey => from_node(&root)
            .map(|k| Outcome::Declaration(Box::new(Declaration::SigningKey(Box::new(k))))),
    };
    match outcome {
        Ok(outcome) => FileResult {
            source: SourceFile {
                path: rel,
                text,
                json: options.keep_json.then(|| root.to_json()),
            },
            outcome,
            diagnostics,
        },
        Err(e) => {
            let span = e.span.unwrap_or_default();
            let field = root
                .pointer_of(span)
                .map(|p| schema::display_path(&p))
                .filter(|p| !p.is_empty());
            let message = match field {
                Some(field) => format!("`{field}`: {}", e.message),
                None => e.message,
            };
            broken(
                text,
                vec![Diagnostic::new(Code::InvalidValue, message).at(id, span, "not allowed here")],
            )
        }
    }
}

fn shift(node: &mut Node, by: usize) {
    let by = u32::try_from(by).unwrap_or(0);
    node.span.start += by;
    node.span.end += by;
    match &mut node.value {
        yaml::Value::Seq(items) => items.iter_mut().for_each(|n| shift(n, by as usize)),
        yaml::Value::Map(entries) => {
            for (k, v) in entries {
                k.span.start += by;
                k.span.end += by;
                shift(v, by as usize);
            }
        }
        _ => {}
    }
}

fn yaml_diagnostic(id: FileId, e: yaml::YamlError, offset: usize) -> Diagnostic {
    let code = match e.kind {
        YamlErrorKind::Syntax(_) => Code::YamlSyntax,
        YamlErrorKind::DuplicateKey(_) => Code::DuplicateKey,
        YamlErrorKind::NonStringKey => Code::NonStringKey,
        YamlErrorKind::TooManyAliases(_)
        | YamlErrorKind::AliasExpansion(_)
        | YamlErrorKind::TooManyAnchors(_)
        | YamlErrorKind::UnknownAnchor => Code::YamlAliases,
        YamlErrorKind::Ambiguous(..) => Code::AmbiguousScalar,
        YamlErrorKind::Version(_) => Code::YamlSyntax,
        YamlErrorKind::Forbidden(_) => Code::ForbiddenCharacter,
        YamlErrorKind::Tag(_) => Code::YamlTag,
        YamlErrorKind::TooDeep(_) => Code::YamlTooDeep,
        YamlErrorKind::MultipleDocuments => Code::MultipleDocuments,
        YamlErrorKind::Empty => Code::EmptyFile,
    };
    let shift_span = |s: Span| Span::new(s.start as usize + offset, s.end as usize + offset);
    let label = match &e.kind {
        YamlErrorKind::DuplicateKey(_) => "defined again here",
        YamlErrorKind::Syntax(_) => "here",
        _ => "",
    };
    let mut d = Diagnostic::new(code, e.kind.to_string()).at(id, shift_span(e.span), label);
    if let Some(prev) = e.previous {
        d = d.with_secondary(id, shift_span(prev), "first defined here");
    }
    match e.kind {
        YamlErrorKind::DuplicateKey(_) => {
            d.with_note("YAML tools disagree on which of two values wins; tenure accepts neither")
        }
        YamlErrorKind::TooManyAliases(_) | YamlErrorKind::AliasExpansion(_) => {
            d.with_note("write the values out; declarations are reviewed as written")
        }
        _ => d,
    }
}

/// Check `apiVersion` and `kind` before picking a schema.
fn classify(
    id: FileId,
    src: &str,
    root: &Node,
    is_config_file: bool,
) -> Result<Kind, Vec<Diagnostic>> {
    let head = schema::head_span(src, root);
    if !matches!(root.value, yaml::Value::Map(_)) {
        return Err(vec![
            Diagnostic::new(Code::NotADeclaration, "the document is not a mapping").at(
                id,
                head,
                "expected `apiVersion`, `kind`, `metadata` and `spec`",
            ),
        ]);
    }
    let mut out = Vec::new();
    match root.get("apiVersion") {
        None => out.push(
            Diagnostic::new(Code::MissingField, "missing field `apiVersion`").at(
                id,
                head,
                "the document needs `apiVersion: tenure/v1`",
            ),
        ),
        Some(v) if v.as_str() != Some("tenure/v1") => out.push(
            Diagnostic::new(
                Code::UnsupportedApiVersion,
                "`apiVersion` must be `tenure/v1`".to_owned(),
            )
            .at(id, v.span, "not a version this release reads")
            .with_note("this release of tenure reads `tenure/v1`"),
        ),
        Some(_) => {}
    }
    let kind = match root.get("kind") {
        None => {
            out.push(
                Diagnostic::new(Code::MissingField, "missing field `kind`").at(
                    id,
                    head,
                    "the document needs `kind`",
                ),
            );
            None
        }
        Some(node) => match node.as_str().and_then(Kind::parse) {
            Some(kind) => Some((kind, node.span)),
            None => {
                let names: Vec<String> = Kind::ALL.iter().map(|k| k.as_str().to_owned()).collect();
                let mut d = Diagnostic::new(
                    Code::UnknownKind,
                    "`kind` must be `Team`, `Identity` or `SigningKey` (`Registry` in `tenure.yaml`)",
                )
                .at(id, node.span, "unknown kind");
                if let Some(best) = node.as_str().and_then(|s| schema::did_you_mean(s, &names)) {
                    d = d.with_note(format!("help: did you mean `{best}`?"));
                }
                out.push(d);
                None
            }
        },
    };
    match kind {
        Some((Kind::Registry, span)) if !is_config_file => out.push(
            Diagnostic::new(
                Code::MisplacedKind,
                "`kind: Registry` belongs in `tenure.yaml`",
            )
            .at(id, span, "registry settings in a declaration file"),
        ),
        Some((k, span)) if is_config_file && k != Kind::Registry => out.push(
            Diagnostic::new(
                Code::MisplacedKind,
                format!(
                    "`tenure.yaml` holds registry settings (`kind: Registry`), not a {}",
                    k.as_str()
                ),
            )
            .at(id, span, "expected `Registry`"),
        ),
        _ => {}
    }
    match kind {
        Some((kind, _)) if out.is_empty() => Ok(kind),
        _ => Err(out),
    }
}
