//! Renderers for diagnostics: human text, JSON, GitHub annotations, SARIF.

use std::path::{Path, PathBuf};

use tenure_schema::diagnostic::{Diagnostic, Label};
use tenure_schema::registry::Registry;
use tenure_schema::span::LineIndex;

pub(crate) mod github;
pub(crate) mod human;
pub(crate) mod json;
pub(crate) mod sarif;

/// Make text from a declaration safe to print: control, line-separator and
/// bidirectional characters become `\u{...}` escapes. Keys and values reach
/// messages verbatim, and YAML escapes (`"\n::error ..."`) could otherwise
/// forge lines of output, workflow commands or terminal sequences.
pub(crate) fn clean(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char =
        |c: char| c.is_control() || tenure_schema::yaml::forbidden_reason(c).is_some();
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Registry files as the renderers see them: display paths and lazily built line indexes.
pub(crate) struct Files<'a> {
    registry: &'a Registry,
    base: PathBuf,
    lines: std::cell::RefCell<std::collections::HashMap<usize, std::rc::Rc<LineIndex>>>,
}

/// A resolved location: path, 1-based line and column of start and end.
#[derive(Clone, Debug)]
pub(crate) struct Location {
    pub(crate) path: String,
    pub(crate) line: usize,
    pub(crate) column: usize,
    pub(crate) end_line: usize,
    pub(crate) end_column: usize,
}

impl<'a> Files<'a> {
    /// `base` is how the registry root is shown: the path as the user gave it.
    pub(crate) fn new(registry: &'a Registry, base: &Path) -> Self {
        Self {
            registry,
            base: base.to_path_buf(),
            lines: Default::default(),
        }
    }

    pub(crate) fn registry(&self) -> &'a Registry {
        self.registry
    }

    /// The path of a file as shown to the user, with `/` separators.
    pub(crate) fn display_path(&self, file: usize) -> String {
        let rel = &self.registry.files[file].path;
        let base = self.base.to_string_lossy().replace('\\', "/");
        let base = base.trim_end_matches('/');
        if base.is_empty() || base == "." {
            rel.clone()
        } else {
            format!("{base}/{rel}")
        }
    }

    /// The registry root as shown to the user.
    pub(crate) fn display_path_of_root(&self) -> String {
        let base = self.base.to_string_lossy().replace('\\', "/");
        if base.is_empty() {
            ".".to_owned()
        } else {
            base
        }
    }

    pub(crate) fn text(&self, file: usize) -> &'a str {
        &self.registry.files[file].text
    }

    pub(crate) fn line_index(&self, file: usize) -> std::rc::Rc<LineIndex> {
        self.lines
            .borrow_mut()
            .entry(file)
            .or_insert_with(|| std::rc::Rc::new(LineIndex::new(self.text(file))))
            .clone()
    }

    pub(crate) fn locate(&self, label: &Label) -> Location {
        let text = self.text(label.file);
        let index = self.line_index(label.file);
        let (line, column) = index.line_col(text, label.span.start);
        let (end_line, end_column) = index.line_col(text, label.span.end);
        Location {
            path: self.display_path(label.file),
            line,
            column,
            end_line,
            end_column,
        }
    }

    pub(crate) fn primary_location(&self, d: &Diagnostic) -> Option<Location> {
        d.primary.as_ref().map(|l| self.locate(l))
    }
}
