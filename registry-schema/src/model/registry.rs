//! `tenure.yaml`: the registry's own settings.

use schemars::JsonSchema;
use serde::Deserialize;

use super::common::{ApiVersion, Days, Mapping, Metadata};
use super::identity::{Environment, IdentityType};
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
    /// `enforce` (the default) or `warn`: in `warn` mode, policy findings that
    /// would be errors are reported as warnings, for rolling out new guardrails.
    #[serde(default)]
    pub mode: Option<Spanned<Mode>>,
    /// The severity of policy codes, overriding their defaults: `allow` (not
    /// reported), `warn` or `deny`. Codes about malformed files cannot be changed.
    #[serde(default)]
    #[schemars(extend("propertyNames" = {"enum": ["created-in-future", "expired", "expires-soon", "lifetime-exceeded", "missing-justification", "unanchored-pattern"]}))]
    pub severity: Mapping<Spanned<String>, Spanned<Level>>,
    /// Limits every declaration must respect.
    #[serde(default)]
    pub guardrails: Guardrails,
}

/// Whether error-level policy findings fail the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// Errors fail the run.
    Enforce,
    /// Policy errors are reported as warnings.
    Warn,
}

/// A severity set in `tenure.yaml`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// Not reported.
    Allow,
    /// Reported as a warning.
    Warn,
    /// Reported as an error.
    Deny,
}

/// Guardrails: limits set once, by the owners of `tenure.yaml`, for every team.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Guardrails {
    /// The longest term (`expires` minus `created`) a declaration may have.
    #[serde(default)]
    pub max_lifetime: MaxLifetime,
}

/// Maximum lifetimes. The strictest limit that applies wins.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct MaxLifetime {
    /// For every Identity and SigningKey.
    #[serde(default)]
    pub default: Option<Spanned<Days>>,
    /// Per identity type (`api-key: 90d`).
    #[serde(default)]
    #[schemars(extend("propertyNames" = {"enum": ["github-actions", "deploy-key", "github-app", "aws-iam-user", "aws-iam-role", "api-key", "service-account", "bot", "ai-agent"]}))]
    pub types: Mapping<Spanned<IdentityType>, Spanned<Days>>,
    /// Per environment (`production: 180d`).
    #[serde(default)]
    pub environments: Mapping<Spanned<Environment>, Spanned<Days>>,
    /// For SigningKeys.
    #[serde(default)]
    pub signing_keys: Option<Spanned<Days>>,
}

impl Default for RegistrySpec {
    fn default() -> Self {
        Self {
            environments: default_environments(),
            renew_window: default_renew_window(),
            mode: None,
            severity: Mapping::default(),
            guardrails: Guardrails::default(),
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
