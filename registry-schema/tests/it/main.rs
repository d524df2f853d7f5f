//! The schema and the typed model agree: every document of the repository's
//! fixtures and registries that the schema accepts also deserializes into the
//! model, so the schema never promises what the model refuses.

use std::path::{Path, PathBuf};

use tenure_schema::de::from_node;
use tenure_schema::model::{Identity, Kind, RegistryConfig, SigningKey, Team};
use tenure_schema::schema;
use tenure_schema::yaml::{LoadLimits, load};

/// Documents the schema accepts on purpose while the model refuses them, with why.
const SCHEMA_LOOSER_BY_DESIGN: &[(&str, &str)] = &[(
    "invalid-value/identities/platform/bad-date.yaml",
    "`2027-02-30` matches the date pattern; the calendar check is the model's",
)];

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml") {
            out.push(path);
        }
    }
}

#[test]
fn schema_accepts_only_what_the_model_reads() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    yaml_files(&repo.join("cli/tests/fixtures"), &mut files);
    yaml_files(&repo.join("identities"), &mut files);
    assert!(
        files.len() > 30,
        "fixtures not found under {}",
        repo.display()
    );

    let mut accepted = 0;
    let mut disagreements = Vec::new();
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let Ok(root) = load(&text, &LoadLimits::default()) else {
            continue;
        };
        let Some(kind) = root
            .get("kind")
            .and_then(|k| k.as_str())
            .and_then(Kind::parse)
        else {
            continue;
        };
        if !schema::validate(kind, 0, &text, &root).is_empty() {
            continue;
        }
        accepted += 1;
        let result = match kind {
            Kind::Registry => from_node::<RegistryConfig>(&root).map(drop),
            Kind::Team => from_node::<Team>(&root).map(drop),
            Kind::Identity => from_node::<Identity>(&root).map(drop),
            Kind::SigningKey => from_node::<SigningKey>(&root).map(drop),
        };
        let rel = path.to_string_lossy().replace('\\', "/");
        let expected = SCHEMA_LOOSER_BY_DESIGN
            .iter()
            .any(|(p, _)| rel.ends_with(p));
        match (result, expected) {
            (Ok(()), false) | (Err(_), true) => {}
            (Ok(()), true) => {
                disagreements.push(format!("{rel}: listed as refused but the model reads it"))
            }
            (Err(e), false) => {
                disagreements.push(format!("{rel}: schema accepts, model refuses: {e}"))
            }
        }
    }
    assert!(
        accepted >= 10,
        "only {accepted} documents passed the schema"
    );
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

#[test]
fn the_model_refuses_what_the_schema_refuses() {
    // A few hand-written documents the schema rejects: the model must reject them too,
    // so nothing reaches the rules by a path that skips the schema.
    let cases = [
        "apiVersion: tenure/v1\nkind: Team\nmetadata:\n  name: t\n  owner: t\n  description: d\n  extra: 1\nspec: {}\n",
        "apiVersion: tenure/v1\nkind: Team\nmetadata:\n  name: t\n  owner: t\nspec: {}\n",
        "apiVersion: tenure/v2\nkind: Team\nmetadata:\n  name: t\n  owner: t\n  description: d\nspec: {}\n",
    ];
    for text in cases {
        let root = load(text, &LoadLimits::default()).expect("yaml");
        assert!(
            !schema::validate(Kind::Team, 0, text, &root).is_empty(),
            "schema accepted {text}"
        );
        assert!(from_node::<Team>(&root).is_err(), "model accepted {text}");
    }
}

/// Every code has a docs page (embedded, so `tenure explain` prints it) with
/// the expected sections, the right default severity, and examples that only
/// show codes that exist, its own among them.
#[test]
fn every_code_has_a_consistent_docs_page() {
    use tenure_schema::diagnostic::Code;
    let mut problems = Vec::new();
    for code in Code::ALL {
        let page = code.explanation();
        let name = code.as_str();
        if page.lines().next() != Some(&format!("# {name}")) {
            problems.push(format!("{name}: first line is not `# {name}`"));
        }
        let severity = format!("Default severity: {}", code.default_severity().as_str());
        if !page.lines().any(|l| l.trim() == severity) {
            problems.push(format!("{name}: missing `{severity}`"));
        }
        let risk = code
            .owasp()
            .map(|o| format!("OWASP NHI risk: {}:2025 {}", o.id(), o.title()));
        let risk_lines: Vec<&str> = page
            .lines()
            .filter(|l| l.starts_with("OWASP NHI risk:"))
            .collect();
        match &risk {
            Some(risk) if risk_lines != [risk.as_str()] => {
                problems.push(format!("{name}: expected the line `{risk}`"));
            }
            None if !risk_lines.is_empty() => {
                problems.push(format!("{name}: no OWASP risk, but the page names one"));
            }
            _ => {}
        }
        for section in ["## What it checks", "## Why", "## Example", "## How to fix"] {
            if !page.lines().any(|l| l.trim() == section) {
                problems.push(format!("{name}: missing section `{section}`"));
            }
        }
        let mut shows_itself = false;
        for line in page.lines() {
            for level in ["error[", "warning[", "note["] {
                if let Some(rest) = line.strip_prefix(level) {
                    let shown = rest.split(']').next().unwrap_or_default();
                    if Code::parse(shown).is_none() {
                        problems.push(format!("{name}: example shows unknown code `{shown}`"));
                    }
                    shows_itself |= shown == name;
                }
            }
        }
        if !shows_itself {
            problems.push(format!("{name}: no example output shows `{name}`"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
