//! tenure's registry format: the typed model of declarations, the JSON Schema
//! generated from it, span-keeping YAML loading, and the rules of `tenure check`.
//!
//! A registry is a folder tree: `tenure.yaml` (`kind: Registry`) at the root,
//! and one declaration (`Team`, `Identity` or `SigningKey`) per `*.yaml` file.
//! Loading never stops at the first bad file; every problem becomes a
//! [`Diagnostic`](diagnostic::Diagnostic) with a stable code and the span of
//! the YAML it concerns.
//!
//! ```
//! use std::path::Path;
//! use tenure_schema::check::{CheckOptions, check};
//! use tenure_schema::diagnostic::Code;
//! use tenure_schema::registry::{LoadOptions, load_memory};
//!
//! let files = vec![
//!     ("tenure.yaml".to_owned(), b"apiVersion: tenure/v1
//! kind: Registry
//! metadata: {name: demo, owner: platform, description: Demo registry.}
//! ".to_vec()),
//!     ("platform.yaml".to_owned(), b"apiVersion: tenure/v1
//! kind: Team
//! metadata: {name: platform, owner: platform, description: Platform team.}
//! spec: {members: [alice]}
//! ".to_vec()),
//!     ("ci.yaml".to_owned(), b"apiVersion: tenure/v1
//! kind: Identity
//! metadata: {name: ci, owner: platfrom, description: Runs CI.}
//! spec: {type: github-actions, environment: ci, created: 2026-01-01, expires: 2026-12-31}
//! ".to_vec()),
//! ];
//! let registry = load_memory(Path::new("identities"), files, &LoadOptions::default());
//! let now = "2026-11-24T00:00:00Z".parse().expect("timestamp");
//! let findings = check(&registry, &CheckOptions::at(now));
//! assert_eq!(findings[0].code, Code::UnknownOwner);
//! assert!(findings[0].notes[0].contains("did you mean `platform`"));
//! ```
#![warn(missing_docs)]

pub mod change;
pub mod check;
pub mod de;
pub mod diagnostic;
mod json_view;
pub mod keys;
pub mod model;
pub mod pattern;
pub mod registry;
pub mod rules;
pub mod schema;
mod secrets;
pub mod settings;
pub mod span;
mod subject;
pub mod yaml;

pub use span::{Span, Spanned};

/// Run the secret scanner over one file's text, as loading does before
/// parsing: the text with every secret blanked, and how many were found.
/// For `benches/check.rs`, which times each loading phase; not a stable API.
#[doc(hidden)]
pub fn bench_scan_secrets(text: String) -> (String, usize) {
    let (text, found) = secrets::scan(text);
    (text, found.len())
}
