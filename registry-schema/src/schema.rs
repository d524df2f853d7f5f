//! The JSON Schema of every kind, generated from the Rust types, and the
//! validation of documents against it with findings mapped back to YAML spans.
//!
//! The files under `registry-schema/schema/` are the shipped schema; the test
//! `schema_files_are_fresh` fails when they differ from what the types
//! generate (`TENURE_BLESS=1 cargo test -p tenure-schema` rewrites them).

use std::sync::OnceLock;

use jsonschema::error::ValidationErrorKind;
use schemars::generate::SchemaSettings;
use serde_json::{Map, Value as Json, json};

use crate::diagnostic::{Code, Diagnostic, FileId};
use crate::json_view::YamlTree;
use crate::model::{Identity, Kind, RegistryConfig, SigningKey, Team};
use crate::span::Span;
use crate::yaml::{Node, Value};

/// Where the schema files are published; `$id` of each file.
pub const SCHEMA_BASE_URL: &str =
    "https://raw.githubusercontent.com/tenure-dev/tenure/main/registry-schema/schema/";

/// The file that covers every kind, for editors (`# yaml-language-server: $schema=...`).
pub const DECLARATION_SCHEMA_FILE: &str = "declaration.schema.json";

/// The schema of one kind, as generated from the types.
pub fn generate(kind: Kind) -> Json {
    let generator = SchemaSettings::draft2020_12().into_generator();
    let schema = match kind {
        Kind::Registry => generator.into_root_schema_for::<RegistryConfig>(),
        Kind::Team => generator.into_root_schema_for::<Team>(),
        Kind::Identity => generator.into_root_schema_for::<Identity>(),
        Kind::SigningKey => generator.into_root_schema_for::<SigningKey>(),
    };
    let mut value = schema.to_value();
    drop_null(&mut value);
    if let Some(obj) = value.as_object_mut() {
        obj.insert(
            "$id".into(),
            Json::String(format!("{SCHEMA_BASE_URL}{}", kind.schema_file())),
        );
    }
    value
}

/// Optional fields may be left out, not set to `null`: `Option<T>` becomes
/// plain `T` in the schema. Besides being stricter, this keeps errors inside
/// optional sections precise; with `anyOf: [T, null]` a typo in
/// `spec.federation` would surface as one vague `anyOf` failure.
fn drop_null(value: &mut Json) {
    match value {
        Json::Object(obj) => {
            if let Some(Json::Array(types)) = obj.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let only = types.remove(0);
                    obj.insert("type".into(), only);
                }
            }
            let single = match obj.get_mut("anyOf") {
                Some(Json::Array(branches)) => {
                    branches.retain(|b| b != &json!({"type": "null"}));
                    (branches.len() == 1).then(|| branches.remove(0))
                }
                _ => None,
            };
            if let Some(Json::Object(branch)) = single {
                obj.remove("anyOf");
                for (k, v) in branch {
                    obj.entry(k).or_insert(v);
                }
            }
            obj.values_mut().for_each(drop_null);
        }
        Json::Array(items) => items.iter_mut().for_each(drop_null),
        _ => {}
    }
}

/// One schema for every kind, selected by `kind`, for editor completion.
pub fn generate_combined() -> Json {
    let mut defs = Map::new();
    let mut branches = Vec::new();
    for kind in Kind::ALL {
        let mut schema = generate(kind);
        let Some(obj) = schema.as_object_mut() else {
            continue;
        };
        if let Some(Json::Object(kind_defs)) = obj.remove("$defs") {
            defs.extend(kind_defs);
        }
        for key in ["$schema", "$id"] {
            obj.remove(key);
        }
        defs.insert(kind.as_str().to_owned(), schema);
        branches.push(json!({
            "if": {"properties": {"kind": {"const": kind.as_str()}}, "required": ["kind"]},
            "then": {"$ref": format!("#/$defs/{}", kind.as_str())}
        }));
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": format!("{SCHEMA_BASE_URL}{DECLARATION_SCHEMA_FILE}"),
        "title": "tenure declaration",
        "description": "Any tenure registry document: Registry (tenure.yaml), Team, Identity or SigningKey.",
        "type": "object",
        "required": ["apiVersion", "kind"],
        "properties": {
            "apiVersion": {"const": "tenure/v1"},
            "kind": {"enum": Kind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>()}
        },
        "allOf": branches,
        "$defs": defs,
    })
}

/// The shipped schema files, embedded.
fn shipped(kind: Kind) -> &'static str {
    match kind {
        Kind::Registry => include_str!("../schema/registry.schema.json"),
        Kind::Team => include_str!("../schema/team.schema.json"),
        Kind::Identity => include_str!("../schema/identity.schema.json"),
        Kind::SigningKey => include_str!("../schema/signing-key.schema.json"),
    }
}

/// The text of the shipped schema file for `kind`.
pub fn schema_text(kind: Kind) -> &'static str {
    shipped(kind)
}

/// The text of the shipped combined schema.
pub fn combined_schema_text() -> &'static str {
    include_str!("../schema/declaration.schema.json")
}

struct Compiled {
    schema: Json,
    validator: jsonschema::Validator<YamlTree>,
}

fn compiled(kind: Kind) -> &'static Compiled {
    static CELLS: [OnceLock<Compiled>; 4] = [
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
    ];
    let idx = Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0);
    CELLS[idx].get_or_init(|| {
        let schema: Json =
            serde_json::from_str(shipped(kind)).expect("the shipped schema is valid JSON");
        let validator = jsonschema::options_for::<YamlTree>()
            .with_draft(jsonschema::Draft::Draft202012)
            // Never fetch a remote `$ref`: every reference is local to the file.
            .offline()
            // Linear-time regexes, like the rest of tenure.
            .with_pattern_options(jsonschema::PatternOptions::regex())
            .build(&schema)
            .expect("the shipped schema compiles");
        Compiled { schema, validator }
    })
}

/// Validate a document of `kind`. Returns one diagnostic per violation, each
/// pointing at the YAML node (or key) it concerns.
pub fn validate(kind: Kind, file: FileId, src: &str, root: &Node) -> Vec<Diagnostic> {
    let compiled = compiled(kind);
    // Validated in place: the YAML tree is the instance, no JSON copy.
    if compiled.validator.is_valid(root) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for error in compiled.validator.iter_errors(root) {
        let pointer = error.instance_path().as_str().to_owned();
        let (node, key_span) = root.pointer(&pointer).unwrap_or((root, None));
        let field = display_path(&pointer);
        let at_value = node.span;
        let at_key = key_span.unwrap_or_else(|| head_span(src, node));
        match error.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                let known = properties_at(&compiled.schema, &pointer);
                for name in unexpected {
                    let span = node.key_span(name).unwrap_or(at_value);
                    let place = if field.is_empty() {
                        "at the top level".to_owned()
                    } else {
                        format!("in `{field}`")
                    };
                    let mut d = Diagnostic::new(
                        Code::UnknownField,
                        format!("unknown field `{name}` {place}"),
                    )
                    .at(file, span, "not a field of this kind");
                    if let Some(best) = did_you_mean(name, &known) {
                        d = d.with_note(format!("help: did you mean `{best}`?"));
                    }
                    if !known.is_empty() {
                        d = d.with_note(format!("expected one of {}", quote_list(&known)));
                    }
                    out.push(d);
                }
            }
            ValidationErrorKind::Required { property } => {
                let name = property.as_str().unwrap_or_default();
                let full = join_path(&field, name);
                let (code, message) = if name == "expires" {
                    (
                        Code::MissingExpiry,
                        format!("`{full}` is missing: every grant of trust needs an end date"),
                    )
                } else {
                    (Code::MissingField, format!("missing field `{full}`"))
                };
                let parent = if field.is_empty() {
                    "the document".to_owned()
                } else {
                    format!("`{field}`")
                };
                out.push(Diagnostic::new(code, message).at(
                    file,
                    at_key,
                    format!("{parent} needs `{name}`"),
                ));
            }
            ValidationErrorKind::Type { kind: expected } => {
                let expected = format!("{expected:?}").to_lowercase();
                out.push(
                    Diagnostic::new(
                        Code::InvalidType,
                        format!(
                            "`{field}` must be {}, found {}",
                            type_phrase(&expected),
                            node_type(node)
                        ),
                    )
                    .at(file, at_value, "wrong type"),
                );
            }
            ValidationErrorKind::Enum { options } => {
                let allowed: Vec<String> = options
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|v| v.as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default();
                out.push(not_one_of(file, &pointer, &field, node, &allowed));
            }
            ValidationErrorKind::PropertyNames { error: inner } => {
                // The offending key is the inner error's instance.
                let key = inner
                    .instance()
                    .as_str()
                    .map(str::to_owned)
                    .unwrap_or_default();
                let span = node.key_span(&key).unwrap_or(at_value);
                let rule = match inner.kind() {
                    ValidationErrorKind::Pattern { pattern } => {
                        format!(" does not match `{pattern}`")
                    }
                    _ => " is not allowed".to_owned(),
                };
                out.push(
                    Diagnostic::new(
                        Code::InvalidValue,
                        format!("key `{key}` in `{field}`{rule}"),
                    )
                    .at(file, span, "invalid key"),
                );
            }
            ValidationErrorKind::Pattern { pattern } => {
                let mut d = Diagnostic::new(
                    Code::InvalidValue,
                    format!("`{field}` does not match the pattern `{pattern}`"),
                )
                .at(file, at_value, "does not match");
                if let Some(desc) = description_at(&compiled.schema, &pointer) {
                    d = d.with_note(desc);
                }
                out.push(d);
            }
            ValidationErrorKind::OneOfNotValid { .. }
                if const_options(&compiled.schema, &pointer).is_some() =>
            {
                // Documented enums are generated as `oneOf` of `const`s; report them as enums.
                let allowed = const_options(&compiled.schema, &pointer).unwrap_or_default();
                out.push(not_one_of(file, &pointer, &field, node, &allowed));
            }
            _ => {
                let message = error.masked().to_string();
                out.push(
                    Diagnostic::new(Code::InvalidValue, format!("`{field}`: {message}")).at(
                        file,
                        at_value,
                        "not allowed here",
                    ),
                );
            }
        }
    }
    out
}

fn not_one_of(
    file: FileId,
    pointer: &str,
    field: &str,
    node: &Node,
    allowed: &[String],
) -> Diagnostic {
    let code = if pointer == "/apiVersion" {
        Code::UnsupportedApiVersion
    } else {
        Code::InvalidValue
    };
    let mut d = Diagnostic::new(
        code,
        format!("`{field}` must be one of {}", quote_list(allowed)),
    )
    .at(file, node.span, "not an allowed value");
    if let Some(best) = node.as_str().and_then(|found| did_you_mean(found, allowed)) {
        d = d.with_note(format!("help: did you mean `{best}`?"));
    }
    d
}

/// The span of the first line of a node, for findings about a whole mapping.
pub fn head_span(src: &str, node: &Node) -> Span {
    let start = node.span.start as usize;
    let end = (node.span.end as usize).min(src.len());
    let line_end = src
        .get(start..end)
        .and_then(|s| s.find('\n'))
        .map_or(end, |i| start + i);
    Span::new(start, line_end)
}

/// `/spec/refs/0` as `spec.refs[0]`.
pub fn display_path(pointer: &str) -> String {
    let mut out = String::new();
    for raw in pointer.split('/').skip(1) {
        let seg = raw.replace("~1", "/").replace("~0", "~");
        if !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()) {
            out.push('[');
            out.push_str(&seg);
            out.push(']');
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&seg);
        }
    }
    out
}

fn join_path(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_owned()
    } else {
        format!("{parent}.{name}")
    }
}

fn quote_list(items: &[String]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn type_phrase(expected: &str) -> String {
    // `Single(String)` and friends, as Debug prints them.
    let words: Vec<&str> = [
        "string", "integer", "number", "boolean", "object", "array", "null",
    ]
    .into_iter()
    .filter(|w| expected.contains(w))
    .collect();
    let pretty: Vec<String> = words
        .iter()
        .map(|w| match *w {
            "object" => "a mapping".to_owned(),
            "array" => "a list".to_owned(),
            "integer" => "an integer".to_owned(),
            other => format!("a {other}"),
        })
        .collect();
    if pretty.is_empty() {
        expected.to_owned()
    } else {
        pretty.join(" or ")
    }
}

fn node_type(node: &Node) -> &'static str {
    match node.value {
        Value::Null => "nothing (null)",
        Value::Bool(_) => "a boolean",
        Value::Int(_) => "an integer",
        Value::Float(_) => "a number",
        Value::String(_) => "a string",
        Value::Seq(_) => "a list",
        Value::Map(_) => "a mapping",
    }
}

/// Follow local `$ref`s and `anyOf` (how `Option<T>` is generated) to the schema that holds `properties`.
fn resolve<'a>(root: &'a Json, mut schema: &'a Json) -> &'a Json {
    for _ in 0..16 {
        if let Some(r) = schema.get("$ref").and_then(Json::as_str) {
            match r.strip_prefix('#').and_then(|p| root.pointer(p)) {
                Some(target) => {
                    schema = target;
                    continue;
                }
                None => return schema,
            }
        }
        if let Some(any) = schema.get("anyOf").and_then(Json::as_array)
            && let Some(branch) = any.iter().find(|b| b.get("type") != Some(&json!("null")))
        {
            schema = branch;
            continue;
        }
        return schema;
    }
    schema
}

/// The schema that describes the instance at `pointer`.
fn schema_at<'a>(root: &'a Json, pointer: &str) -> Option<&'a Json> {
    let mut schema = resolve(root, root);
    for raw in pointer.split('/').skip(1) {
        let seg = raw.replace("~1", "/").replace("~0", "~");
        let next = schema
            .get("properties")
            .and_then(|p| p.get(&seg))
            .or_else(|| schema.get("items"))
            .or_else(|| schema.get("additionalProperties").filter(|a| a.is_object()))?;
        schema = resolve(root, next);
    }
    Some(schema)
}

/// The property names the schema allows at `pointer`.
fn properties_at(root: &Json, pointer: &str) -> Vec<String> {
    schema_at(root, pointer)
        .and_then(|s| s.get("properties"))
        .and_then(Json::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

/// The allowed values when the schema at `pointer` is a `oneOf` of constants.
fn const_options(root: &Json, pointer: &str) -> Option<Vec<String>> {
    let branches = schema_at(root, pointer)?.get("oneOf")?.as_array()?;
    branches
        .iter()
        .map(|b| b.get("const").and_then(Json::as_str).map(str::to_owned))
        .collect()
}

fn description_at(root: &Json, pointer: &str) -> Option<String> {
    let s = schema_at(root, pointer)?;
    s.get("description")
        .and_then(Json::as_str)
        .map(str::to_owned)
}

/// The closest candidate within a small edit distance.
pub fn did_you_mean<'a>(word: &str, candidates: &'a [String]) -> Option<&'a str> {
    // An abbreviation (`prod` for `production`) is as likely as a typo.
    if word.len() >= 3 {
        let lower = word.to_lowercase();
        let mut prefixed = candidates
            .iter()
            .filter(|c| c.to_lowercase().starts_with(&lower));
        if let (Some(only), None) = (prefixed.next(), prefixed.next()) {
            return Some(only.as_str());
        }
    }
    let limit = (word.len() / 3).max(1);
    candidates
        .iter()
        .map(|c| (edit_distance(&word.to_lowercase(), &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.as_str())
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn schema_dir() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schema")
    }

    /// The shipped schema files are exactly what the types generate.
    #[test]
    fn schema_files_are_fresh() {
        let bless = std::env::var_os("TENURE_BLESS").is_some();
        let mut files: Vec<(String, Json)> = Kind::ALL
            .iter()
            .map(|k| (k.schema_file().to_owned(), generate(*k)))
            .collect();
        files.push((DECLARATION_SCHEMA_FILE.to_owned(), generate_combined()));
        let mut stale = Vec::new();
        for (name, value) in files {
            let text = serde_json::to_string_pretty(&value).expect("serialize") + "\n";
            let path = schema_dir().join(&name);
            let current = std::fs::read_to_string(&path).unwrap_or_default();
            if current != text {
                if bless {
                    std::fs::write(&path, text).expect("write schema");
                } else {
                    stale.push(name);
                }
            }
        }
        assert!(
            stale.is_empty(),
            "stale schema files {stale:?}: run `TENURE_BLESS=1 cargo test -p tenure-schema schema_files_are_fresh`"
        );
    }

    #[test]
    fn every_shipped_schema_compiles_offline() {
        for kind in Kind::ALL {
            let _ = compiled(kind);
        }
        let combined: Json = serde_json::from_str(combined_schema_text()).expect("json");
        jsonschema::options()
            .offline()
            .with_pattern_options(jsonschema::PatternOptions::regex())
            .build(&combined)
            .expect("combined schema compiles");
    }

    #[test]
    fn remote_refs_are_never_fetched() {
        let schema = json!({"$ref": "https://example.invalid/evil.json"});
        let built = jsonschema::options().offline().build(&schema);
        assert!(built.is_err());
    }

    /// `spec.severity` in `tenure.yaml` accepts exactly the policy codes.
    #[test]
    fn severity_keys_are_the_policy_codes() {
        use crate::diagnostic::Code;
        let schema = generate(Kind::Registry);
        let keys =
            &schema["$defs"]["RegistrySpec"]["properties"]["severity"]["propertyNames"]["enum"];
        let mut listed: Vec<&str> = keys
            .as_array()
            .expect("enum")
            .iter()
            .filter_map(Json::as_str)
            .collect();
        listed.sort_unstable();
        let mut policy: Vec<&str> = Code::ALL
            .iter()
            .filter(|c| c.is_policy())
            .map(|c| c.as_str())
            .collect();
        policy.sort_unstable();
        assert_eq!(listed, policy);
    }

    #[test]
    fn paths_display_like_yaml() {
        assert_eq!(display_path("/spec/refs/0"), "spec.refs[0]");
        assert_eq!(display_path(""), "");
    }

    #[test]
    fn suggestions() {
        let c = vec!["expires".to_owned(), "created".to_owned()];
        assert_eq!(did_you_mean("expiers", &c), Some("expires"));
        assert_eq!(did_you_mean("zzz", &c), None);
        let envs = vec!["production".to_owned(), "staging".to_owned()];
        assert_eq!(did_you_mean("prod", &envs), Some("production"));
    }
}
