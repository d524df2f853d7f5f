//! `tenure.yaml`: the registry's own settings.

use schemars::JsonSchema;
use serde::Deserialize;

use super::common::{ApiVersion, Days, Metadata};
use super::identity::Environment;
use crate::span::Spanned;

/// The settings at the root of a registry, in `tenure.yaml`.
#[derive(Clone, Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(title = "tenure Registry")]
pub struct RegistryConfig {
    /// Always `tenure/v1`.
    pub api_version: ApiVersion,
    /// Always `Registry`.
    pub kind: RegistryKind,
    /// Name, owner (the security team), description and labels.
    pub metadata: Metadata,
    /// Settings for every declaration in the registry.
    #[serde(default)]
    pub spec: RegistrySpec,
}

/// The `kind` value of `tenure.yaml`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum RegistryKind {
    /// `Registry`.
    Registry,
}

/// Registry-wide settings.
#[derive(Clone, Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RegistrySpec {
    /// The environments identities may declare.
    #[serde(default = "default_environments")]
    #[schemars(length(min = 1))]
    pub environments: Vec<Spanned<Environment>>,
    /// How long before `expires` an entry counts as due for renewal.
    #[serde(default = "default_renew_window")]
    pub renew_window: Spanned<Days>,
}

impl Default for RegistrySpec {
    fn default() -> Self {
        Self {
            environments: default_environments(),
            renew_window: default_renew_window(),
        }
    }
}

fn default_environments() -> Vec<Spanned<Environment>> {
    ["production", "staging", "development", "ci"]
        .into_iter()
        .map(|e| Spanned::new(crate::Span::default(), Environment(e.to_owned())))
        .collect()
}

fn default_renew_window() -> Spanned<Days> {
    Spanned::new(crate::Span::default(), Days(30))
}
