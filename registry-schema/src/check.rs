//! `tenure check`: every finding about a registry, from loading to cross-file rules.

use std::collections::{HashMap, HashSet};

use crate::diagnostic::{Diagnostic, FileId, Severity};
use crate::model::{Declaration, Team};
use crate::registry::Registry;
use crate::settings::{Scopes, Settings, SeveritySource};
use rayon::prelude::*;

use crate::rules::{self, Check};

/// How a check run is configured.
#[derive(Clone, Debug)]
pub struct CheckOptions {
    /// The clock: what "now" is for lapsed and soon-lapsing entries.
    pub now: jiff::Timestamp,
    /// Report lapsed entries as errors everywhere, not just in changed files.
    pub strict: bool,
    /// Files (relative to the registry root) changed by the pull request
    /// under review; lapsed entries in them are errors. `None` when unknown.
    pub changed: Option<HashSet<String>>,
}

impl CheckOptions {
    /// Options with the given clock, not strict, no change set.
    pub fn at(now: jiff::Timestamp) -> Self {
        Self {
            now,
            strict: false,
            changed: None,
        }
    }
}

/// What every rule sees.
#[derive(Debug)]
pub struct Context<'a> {
    /// The loaded registry.
    pub registry: &'a Registry,
    /// The run's options.
    pub options: &'a CheckOptions,
    /// Declared teams by name.
    pub teams: HashMap<&'a str, (FileId, &'a Team)>,
    pub(crate) scopes: Scopes<'a>,
}

impl Context<'_> {
    /// The settings in force for a file: the root `tenure.yaml` and any
    /// sub-folder ones above it (defaults when `tenure.yaml` did not load).
    pub fn settings(&self, file: FileId) -> Settings<'_> {
        self.scopes.for_file(file)
    }

    /// Whether the file at `file` is part of the change under review.
    pub fn is_changed(&self, file: FileId) -> bool {
        self.options
            .changed
            .as_ref()
            .is_some_and(|c| c.contains(&self.registry.files[file].path))
    }
}

/// Run every check and return all findings, load findings included, sorted by
/// file and position.
pub fn check(registry: &Registry, options: &CheckOptions) -> Vec<Diagnostic> {
    let mut teams = HashMap::new();
    for entry in &registry.entries {
        if let Declaration::Team(team) = &entry.declaration {
            teams
                .entry(entry.declaration.name())
                .or_insert((entry.file, &**team));
        }
    }
    let cx = Context {
        registry,
        options,
        teams,
        scopes: Scopes::new(registry),
    };
    let mut out = registry.diagnostics.clone();
    let runs = |rule: &&rules::Rule| !(rule.needs_settings && registry.config_broken);
    for rule in rules::ALL.iter().filter(runs) {
        if let Check::Registry(f) = rule.check {
            f(&cx, &mut out);
        }
    }
    let per_entry: Vec<Diagnostic> = registry
        .entries
        .par_iter()
        .flat_map_iter(|entry| {
            let mut found = Vec::new();
            for rule in rules::ALL.iter().filter(runs) {
                if let Check::Entry(f) = rule.check {
                    f(&cx, entry, &mut found);
                }
            }
            found
        })
        .collect();
    out.extend(per_entry);
    apply_settings(&cx, &mut out);
    sort(&mut out);
    out
}

/// Apply `spec.severity` and `spec.mode` from `tenure.yaml` to policy codes.
/// A lapsed entry escalated to an error (`--strict`, `--changed`) stays an
/// error unless its code is set to `allow`.
fn apply_settings(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    out.retain_mut(|d| {
        let settings = match &d.primary {
            Some(label) => cx.settings(label.file),
            None => cx.scopes.for_path(""),
        };
        let Some((severity, source)) = settings.adjust(d.code, d.severity) else {
            return false;
        };
        d.severity = severity;
        if source == SeveritySource::WarnMode {
            d.notes
                .push("reported as a warning: `tenure.yaml` sets `mode: warn`".to_owned());
        }
        true
    });
}

/// Sort findings by file (file ids follow path order), position, then code.
/// Findings about no file in particular come first.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_key(|d| (d.primary.as_ref().map(|l| (l.file, l.span.start)), d.code));
}

/// Counts of findings by severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// Errors: the run fails.
    pub errors: usize,
    /// Warnings.
    pub warnings: usize,
    /// Notes.
    pub notes: usize,
}

impl Summary {
    /// Count `diagnostics`.
    pub fn of(diagnostics: &[Diagnostic]) -> Self {
        let mut s = Summary::default();
        for d in diagnostics {
            match d.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Note => s.notes += 1,
            }
        }
        s
    }
}
