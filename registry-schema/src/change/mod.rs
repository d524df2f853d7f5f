//! What a change to the registry grants and revokes: declarations added,
//! removed, renamed and modified between two versions, field by field, and
//! the rules that only make sense on a change (a renewal's length counted
//! from the day of the renewal, widened production access without a new
//! justification, a removed Team that still owns declarations).
//!
//! The two sides are [`Registry`] values that may hold only the files that
//! differ (plus every `tenure.yaml`, for settings): the caller lists the
//! changed paths, so the cost follows the size of the change, not of the
//! registry.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value;

use crate::diagnostic::{Diagnostic, FileId};
use crate::model::{Access, Declaration, RegistryConfig};
use crate::registry::{Registry, SourceFile};
use crate::settings::Scopes;
use crate::yaml::{self, LoadLimits};

mod removed_team_owns;
mod renewal_exceeds_lifetime;
mod unjustified_widening;

/// What to compare.
#[derive(Clone, Copy, Debug)]
pub struct ChangeInput<'a> {
    /// The registry before the change (may hold only the changed files).
    pub base: &'a Registry,
    /// The registry after the change (may hold only the changed files and
    /// every `tenure.yaml`).
    pub head: &'a Registry,
    /// Paths, relative to the registry root, whose contents differ.
    pub paths: &'a [String],
    /// When the change is made: the head commit's time, or now for a work tree.
    pub day: jiff::Timestamp,
    /// Whether `head` holds every file, so that rules needing the whole
    /// registry (a removed Team's remaining declarations) can run.
    pub head_complete: bool,
}

/// How a declaration changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// New in head.
    Added,
    /// Gone from head.
    Removed,
    /// Moved to another file (and perhaps modified).
    Renamed,
    /// Same file, different content.
    Modified,
}

impl Status {
    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Added => "added",
            Status::Removed => "removed",
            Status::Renamed => "renamed",
            Status::Modified => "modified",
        }
    }
}

/// What a changed field is about, for summaries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Topic {
    /// `metadata.name`.
    Name,
    /// `metadata.owner`.
    Owner,
    /// `spec.environment`.
    Environment,
    /// `spec.type`.
    Type,
    /// `spec.created`, `spec.renewed`, `spec.expires`.
    Term,
    /// `spec.permissions`, `spec.key.readOnly`, `spec.allows`.
    Permissions,
    /// Who may act as it: federation and keyless identity fields.
    Subject,
    /// `spec.justification`.
    Justification,
    /// `tenure.yaml` settings.
    Settings,
    /// Anything else.
    Other,
}

/// One field that differs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FieldChange {
    /// Dotted path: `spec.federation.subject`, `spec.permissions.contents`.
    pub path: String,
    /// What it is about.
    pub topic: Topic,
    /// The value before, absent when added.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<Value>,
    /// The value after, absent when removed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<Value>,
}

/// A permission that differs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AccessChange {
    /// The scope: `contents`, `s3:prod-bucket`.
    pub scope: String,
    /// Before, absent when newly granted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<Access>,
    /// After, absent when revoked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<Access>,
}

impl AccessChange {
    /// Whether this grants more than before.
    pub fn widens(&self) -> bool {
        match (self.from, self.to) {
            (_, None) => false,
            (None, Some(_)) => true,
            (Some(a), Some(b)) => b > a,
        }
    }
}

/// `expires` before and after a change, as written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Expiry {
    /// Before.
    pub from: String,
    /// After.
    pub to: String,
}

/// The facts of one version of a declaration, for summaries.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Facts {
    /// The owner team.
    pub owner: String,
    /// The identity type, or the kind for others.
    #[serde(rename = "type")]
    pub kind_type: String,
    /// The environment, for identities and signing keys.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
    /// When trust ends.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// Granted permissions, `scope: access`.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub permissions: BTreeMap<String, Access>,
    /// Who may act as it: a federation subject or keyless identity (pattern).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
}

/// One declaration (or `tenure.yaml`) that differs.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeclarationChange {
    /// `Identity`, `SigningKey`, `Team` or `Registry` (a `tenure.yaml`).
    pub kind: &'static str,
    /// The name after the change (before, when removed).
    pub name: String,
    /// How it changed.
    pub status: Status,
    /// The file after the change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The file before, when it differs from `path`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_path: Option<String>,
    /// Facts after the change (before, when removed).
    pub facts: Facts,
    /// `expires` before and after, when it moved later.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub renewed: Option<Expiry>,
    /// `expires` before and after, when it moved earlier.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shortened: Option<Expiry>,
    /// Permissions that differ.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub access: Vec<AccessChange>,
    /// Every field that differs (modified and renamed declarations).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldChange>,
    /// Codes of the findings about this change.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<&'static str>,
    /// The file in the head registry, for the change rules' labels.
    #[serde(skip)]
    pub(crate) head_file: Option<FileId>,
}

impl DeclarationChange {
    /// Whether any permission is wider than before (or granted anew).
    pub fn widens(&self) -> bool {
        self.access.iter().any(AccessChange::widens)
    }

    /// Whether any permission is narrower than before (or revoked).
    pub fn narrows(&self) -> bool {
        self.access.iter().any(|a| match (a.from, a.to) {
            (Some(_), None) => true,
            (Some(a), Some(b)) => b < a,
            _ => false,
        })
    }

    /// The fields about `topic`.
    pub fn fields_about(&self, topic: Topic) -> impl Iterator<Item = &FieldChange> {
        self.fields.iter().filter(move |f| f.topic == topic)
    }

    /// The file to show: where it is after the change, or where it was when removed.
    pub fn shown_path(&self) -> &str {
        self.path
            .as_deref()
            .or(self.previous_path.as_deref())
            .unwrap_or("")
    }
}

/// The result of a comparison.
#[derive(Debug, Default)]
pub struct ChangeSet {
    /// Every declaration that differs, by path.
    pub changes: Vec<DeclarationChange>,
    /// Findings, with labels in the head registry: files of the change that
    /// do not load, and the change rules.
    pub diagnostics: Vec<Diagnostic>,
}

/// What the change rules see.
pub(crate) struct Context<'a> {
    pub(crate) input: ChangeInput<'a>,
    pub(crate) scopes: Scopes<'a>,
}

/// One version of one file.
struct Version<'a> {
    file: FileId,
    path: &'a str,
    what: What<'a>,
    json: std::borrow::Cow<'a, Value>,
}

enum What<'a> {
    Declaration(&'a Declaration),
    Config(&'a RegistryConfig),
}

impl What<'_> {
    fn kind(&self) -> &'static str {
        match self {
            What::Declaration(d) => d.kind().as_str(),
            What::Config(_) => "Registry",
        }
    }

    fn name(&self) -> &str {
        match self {
            What::Declaration(d) => d.name(),
            What::Config(c) => &c.metadata.name.value.0,
        }
    }
}

/// Index a registry's loaded files by path.
fn versions<'a>(registry: &'a Registry, paths: &[String]) -> HashMap<&'a str, Version<'a>> {
    let mut by_file: HashMap<FileId, What<'a>> = HashMap::new();
    for entry in &registry.entries {
        by_file.insert(entry.file, What::Declaration(&entry.declaration));
    }
    for (file, config) in registry.config.iter().chain(&registry.nested_configs) {
        by_file.insert(*file, What::Config(config));
    }
    let wanted: std::collections::HashSet<&str> = paths.iter().map(String::as_str).collect();
    let picked: Vec<(FileId, &'a SourceFile, What<'a>)> = registry
        .files
        .iter()
        .enumerate()
        .filter(|(_, source)| wanted.contains(source.path.as_str()))
        .filter_map(|(file, source)| Some((file, source, by_file.remove(&file)?)))
        .collect();
    // Every field, not only those the typed model keeps: kept by the loader
    // when asked (`LoadOptions::keep_json`), else parsed again, on both cores.
    picked
        .into_par_iter()
        .map(|(file, source, what)| {
            let path = source.path.as_str();
            let json = match &source.json {
                Some(json) => std::borrow::Cow::Borrowed(json),
                None => std::borrow::Cow::Owned(
                    yaml::load(&source.text, &LoadLimits::default())
                        .map(|node| node.to_json())
                        .unwrap_or(Value::Null),
                ),
            };
            (
                path,
                Version {
                    file,
                    path,
                    what,
                    json,
                },
            )
        })
        .collect()
}

/// Compare two versions of a registry.
pub fn compare(input: ChangeInput<'_>) -> ChangeSet {
    let base = versions(input.base, input.paths);
    let head = versions(input.head, input.paths);
    let mut changes = Vec::new();
    let mut removed: Vec<&Version<'_>> = Vec::new();
    let mut added: Vec<&Version<'_>> = Vec::new();
    for path in input.paths {
        match (base.get(path.as_str()), head.get(path.as_str())) {
            (Some(b), Some(h)) => {
                if b.what.kind() != h.what.kind() {
                    removed.push(b);
                    added.push(h);
                } else if b.json != h.json {
                    changes.push(pair(b, h, Status::Modified));
                }
            }
            (Some(b), None) => removed.push(b),
            (None, Some(h)) => added.push(h),
            (None, None) => {}
        }
    }
    // Renames: the same kind and name in another file; failing that, the
    // same content under another name.
    let mut taken = vec![false; added.len()];
    let mut still_removed = Vec::new();
    for b in removed {
        let same_name = added.iter().enumerate().position(|(i, h)| {
            !taken[i] && h.what.kind() == b.what.kind() && h.what.name() == b.what.name()
        });
        let found = same_name.or_else(|| {
            added.iter().enumerate().position(|(i, h)| {
                !taken[i]
                    && h.what.kind() == b.what.kind()
                    && without_name(&h.json) == without_name(&b.json)
            })
        });
        match found {
            Some(i) => {
                taken[i] = true;
                changes.push(pair(b, added[i], Status::Renamed));
            }
            None => still_removed.push(b),
        }
    }
    for b in still_removed {
        changes.push(single(b, Status::Removed));
    }
    for (i, h) in added.iter().enumerate() {
        if !taken[i] {
            changes.push(single(h, Status::Added));
        }
    }
    changes.sort_by(|a, b| (a.shown_path(), &a.name).cmp(&(b.shown_path(), &b.name)));

    let cx = Context {
        input,
        scopes: Scopes::new(input.head),
    };
    let mut diagnostics: Vec<Diagnostic> = input
        .head
        .diagnostics
        .iter()
        .filter(|d| {
            d.primary.as_ref().is_some_and(|l| {
                input
                    .paths
                    .iter()
                    .any(|p| *p == input.head.files[l.file].path)
            })
        })
        .cloned()
        .collect();
    for change in &mut changes {
        let before = diagnostics.len();
        renewal_exceeds_lifetime::check(&cx, change, &mut diagnostics);
        unjustified_widening::check(&cx, change, &mut diagnostics);
        removed_team_owns::check(&cx, change, &mut diagnostics);
        change.findings = diagnostics[before..]
            .iter()
            .map(|d| d.code.as_str())
            .collect();
    }
    diagnostics.retain_mut(|d| {
        let settings = match &d.primary {
            Some(label) => cx.scopes.for_file(label.file),
            None => cx.scopes.for_path(""),
        };
        match settings.adjust(d.code, d.severity) {
            Some((severity, _)) => {
                d.severity = severity;
                true
            }
            None => false,
        }
    });
    crate::check::sort(&mut diagnostics);
    ChangeSet {
        changes,
        diagnostics,
    }
}

fn without_name(json: &Value) -> Value {
    let mut json = json.clone();
    if let Some(meta) = json.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("name");
    }
    json
}

fn facts(what: &What<'_>) -> Facts {
    match what {
        What::Config(c) => Facts {
            owner: c.metadata.owner.value.0.clone(),
            kind_type: "Registry".to_owned(),
            ..Facts::default()
        },
        What::Declaration(d) => {
            let mut facts = Facts {
                owner: d.metadata().owner.value.0.clone(),
                kind_type: d.kind().as_str().to_owned(),
                expires: d.term().map(|t| t.expires.value.to_string()),
                ..Facts::default()
            };
            match d {
                Declaration::Identity(i) => {
                    let spec = &i.spec;
                    facts.kind_type = spec.identity_type.value.as_str().to_owned();
                    facts.environment = Some(spec.environment.value.0.clone());
                    for (scope, access, _) in spec.grants() {
                        let slot = facts.permissions.entry(scope.to_owned()).or_insert(access);
                        *slot = (*slot).max(access);
                    }
                    facts.subject = spec.federation.as_ref().and_then(|f| {
                        f.subject
                            .as_ref()
                            .or(f.subject_pattern.as_ref())
                            .map(|s| s.value.clone())
                    });
                }
                Declaration::SigningKey(k) => {
                    facts.environment = Some(
                        k.spec
                            .environment
                            .as_ref()
                            .map_or_else(|| "production".to_owned(), |e| e.value.0.clone()),
                    );
                    facts.subject = k.spec.keyless.as_ref().and_then(|k| {
                        k.identity
                            .as_ref()
                            .or(k.identity_pattern.as_ref())
                            .map(|s| s.value.clone())
                    });
                }
                Declaration::Team(_) => {}
            }
            facts
        }
    }
}

fn single(v: &Version<'_>, status: Status) -> DeclarationChange {
    let (path, head_file) = match status {
        Status::Removed => (None, None),
        _ => (Some(v.path.to_owned()), Some(v.file)),
    };
    let previous_path = (status == Status::Removed).then(|| v.path.to_owned());
    DeclarationChange {
        kind: v.what.kind(),
        name: v.what.name().to_owned(),
        status,
        path,
        previous_path,
        facts: facts(&v.what),
        renewed: None,
        shortened: None,
        access: Vec::new(),
        fields: Vec::new(),
        findings: Vec::new(),
        head_file,
    }
}

fn pair(b: &Version<'_>, h: &Version<'_>, status: Status) -> DeclarationChange {
    let mut change = single(h, status);
    if b.path != h.path {
        change.previous_path = Some(b.path.to_owned());
    }
    let mut fields = Vec::new();
    leaf_diff(
        "",
        Some(b.json.as_ref()),
        Some(h.json.as_ref()),
        &mut fields,
    );
    let is_config = matches!(h.what, What::Config(_));
    change.fields = fields
        .into_iter()
        .map(|(path, from, to)| FieldChange {
            topic: if is_config {
                Topic::Settings
            } else {
                topic(&path)
            },
            path,
            from,
            to,
        })
        .collect();
    if let (What::Declaration(old), What::Declaration(new)) = (&b.what, &h.what) {
        if let (Some(a), Some(z)) = (old.term(), new.term()) {
            let (from, to) = (a.expires.value, z.expires.value);
            let pair = Expiry {
                from: from.to_string(),
                to: to.to_string(),
            };
            if to.end() > from.end() {
                change.renewed = Some(pair);
            } else if to.end() < from.end() {
                change.shortened = Some(pair);
            }
        }
        change.access = access_changes(&facts(&b.what).permissions, &change.facts.permissions);
    }
    change
}

fn access_changes(
    before: &BTreeMap<String, Access>,
    after: &BTreeMap<String, Access>,
) -> Vec<AccessChange> {
    let mut scopes: Vec<&String> = before.keys().chain(after.keys()).collect();
    scopes.sort();
    scopes.dedup();
    scopes
        .into_iter()
        .filter_map(|scope| {
            let (from, to) = (before.get(scope).copied(), after.get(scope).copied());
            (from != to).then(|| AccessChange {
                scope: scope.clone(),
                from,
                to,
            })
        })
        .collect()
}

fn topic(path: &str) -> Topic {
    let starts = |p: &str| path == p || path.starts_with(&format!("{p}."));
    if starts("metadata.name") {
        Topic::Name
    } else if starts("metadata.owner") {
        Topic::Owner
    } else if starts("spec.environment") {
        Topic::Environment
    } else if starts("spec.type") {
        Topic::Type
    } else if starts("spec.created") || starts("spec.expires") || starts("spec.renewed") {
        Topic::Term
    } else if starts("spec.permissions") || starts("spec.key.readOnly") || starts("spec.allows") {
        Topic::Permissions
    } else if starts("spec.federation")
        || starts("spec.keyless")
        || starts("spec.github")
        || starts("spec.aws")
    {
        Topic::Subject
    } else if starts("spec.justification") {
        Topic::Justification
    } else {
        Topic::Other
    }
}

/// Every leaf that differs, as `(dotted path, before, after)`. Lists are
/// compared whole: an element's position is not an identity.
fn leaf_diff(
    path: &str,
    a: Option<&Value>,
    b: Option<&Value>,
    out: &mut Vec<(String, Option<Value>, Option<Value>)>,
) {
    if a == b {
        return;
    }
    match (a, b) {
        (Some(Value::Object(x)), Some(Value::Object(y))) => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                let sub = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                leaf_diff(&sub, x.get(key), y.get(key), out);
            }
        }
        _ => out.push((path.to_owned(), a.cloned(), b.cloned())),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::registry::{LoadOptions, load_memory};
    use crate::rules::testing::identity;

    fn registry(files: &[(&str, &str)]) -> Registry {
        let files = files
            .iter()
            .map(|(p, t)| ((*p).to_owned(), t.as_bytes().to_vec()))
            .collect();
        load_memory(Path::new("r"), files, &LoadOptions::default())
    }

    fn run(base: &[(&str, &str)], head: &[(&str, &str)]) -> ChangeSet {
        let (b, h) = (registry(base), registry(head));
        let mut paths: Vec<String> = base
            .iter()
            .chain(head)
            .map(|(p, _)| (*p).to_owned())
            .collect();
        paths.sort();
        paths.dedup();
        compare(ChangeInput {
            base: &b,
            head: &h,
            paths: &paths,
            day: "2026-11-24T00:00:00Z".parse().expect("day"),
            head_complete: false,
        })
    }

    #[test]
    fn formatting_alone_is_no_change() {
        let a = identity("k", "2026-11-01", "2027-01-01", "");
        let b = format!(
            "# a comment\n{}",
            a.replace("expires: 2027-01-01", "expires: \"2027-01-01\"")
        );
        assert!(run(&[("k.yaml", &a)], &[("k.yaml", &b)]).changes.is_empty());
    }

    #[test]
    fn a_move_with_a_new_name_and_the_same_content_is_a_rename() {
        let a = identity("old-name", "2026-11-01", "2027-01-01", "");
        let b = a.replace("name: old-name", "name: new-name");
        let set = run(&[("a/old-name.yaml", &a)], &[("b/new-name.yaml", &b)]);
        assert_eq!(set.changes.len(), 1, "{:?}", set.changes);
        let c = &set.changes[0];
        assert_eq!(c.status, Status::Renamed);
        assert_eq!(c.previous_path.as_deref(), Some("a/old-name.yaml"));
        assert_eq!(c.fields_about(Topic::Name).count(), 1);
    }

    #[test]
    fn unrelated_files_are_an_addition_and_a_removal() {
        let a = identity("one", "2026-11-01", "2027-01-01", "");
        let b = identity(
            "two",
            "2026-10-01",
            "2027-02-01",
            "  justification: Other.\n",
        );
        let set = run(&[("one.yaml", &a)], &[("two.yaml", &b)]);
        let statuses: Vec<Status> = set.changes.iter().map(|c| c.status).collect();
        assert_eq!(statuses, [Status::Removed, Status::Added]);
    }

    #[test]
    fn access_and_expiry_changes_are_classified() {
        let a = identity(
            "k",
            "2026-11-01",
            "2027-01-01",
            "  permissions: {contents: write, issues: read}\n  justification: Why.\n",
        );
        let b = identity(
            "k",
            "2026-11-01",
            "2026-12-01",
            "  permissions: {contents: read, packages: write}\n  justification: Why.\n",
        );
        let set = run(&[("k.yaml", &a)], &[("k.yaml", &b)]);
        let c = &set.changes[0];
        assert_eq!(c.status, Status::Modified);
        assert!(c.renewed.is_none());
        assert_eq!(
            c.shortened,
            Some(Expiry {
                from: "2027-01-01".into(),
                to: "2026-12-01".into()
            })
        );
        let access: Vec<(&str, bool)> = c
            .access
            .iter()
            .map(|a| (a.scope.as_str(), a.widens()))
            .collect();
        assert_eq!(
            access,
            [("contents", false), ("issues", false), ("packages", true)]
        );
        assert!(c.widens() && c.narrows());
    }

    #[test]
    fn a_kind_change_at_one_path_is_a_removal_and_an_addition() {
        let a = identity("x", "2026-11-01", "2027-01-01", "");
        let team = "apiVersion: tenure/v1\nkind: Team\nmetadata:\n  name: x\n  owner: x\n  description: A team.\nspec:\n  members: [alice]\n";
        let set = run(&[("x.yaml", &a)], &[("x.yaml", team)]);
        let kinds: Vec<(&str, Status)> = set.changes.iter().map(|c| (c.kind, c.status)).collect();
        assert_eq!(
            kinds,
            [("Identity", Status::Removed), ("Team", Status::Added)]
        );
    }
}
