//! `tenure.yaml`: the registry's own settings.

use schemars::JsonSchema;
use serde::Deserialize;

use super::common::{ApiVersion, Days, Mapping, Metadata, Name};
use super::identity::{Access, AuthMethod, Environment, IdentityType};
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
#[derive(Clone, Debug, Default, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RegistrySpec {
    /// The environments identities may declare (default: `production`,
    /// `staging`, `development`, `ci`).
    #[serde(default)]
    #[schemars(length(min = 1))]
    pub environments: Option<Vec<Spanned<Environment>>>,
    /// How long before `expires` an entry counts as due for renewal (default 30d).
    #[serde(default)]
    pub renew_window: Option<Spanned<Days>>,
    /// `enforce` (the default) or `warn`: in `warn` mode, policy findings that
    /// would be errors are reported as warnings, for rolling out new guardrails.
    #[serde(default)]
    pub mode: Option<Spanned<Mode>>,
    /// The severity of policy codes, overriding their defaults: `allow` (not
    /// reported), `warn` or `deny`. Codes about malformed files cannot be changed.
    #[serde(default)]
    #[schemars(extend("propertyNames" = {"enum": ["broad-subject", "confusable-name", "created-in-future", "disallowed-audience", "disallowed-auth-method", "disallowed-issuer", "disallowed-team", "disallowed-type", "expired", "expires-soon", "federation-preferred", "human-subject", "interactive-identity", "lifetime-exceeded", "missing-audience", "missing-justification", "missing-vendor", "permission-ceiling", "renewal-exceeds-lifetime", "reused-credential", "third-party-write", "unanchored-pattern", "unjustified-widening", "unpinned-signer", "unprotected-production", "unscoped-signing", "weak-key"]}))]
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

/// A severity set in `tenure.yaml`, from most to least lenient.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// Not reported.
    Allow,
    /// Reported as a warning.
    Warn,
    /// Reported as an error.
    Deny,
}

/// Guardrails: limits set once, by the owners of `tenure.yaml`, for every
/// team. A `tenure.yaml` in a sub-folder may tighten them for the
/// declarations below it, never loosen them.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Guardrails {
    /// The longest term (`expires` minus `created`) a declaration may have.
    #[serde(default)]
    pub max_lifetime: MaxLifetime,
    /// The OIDC issuers federation and keyless signing may trust. Unset: any.
    #[serde(default)]
    #[schemars(inner(pattern(r"^https://[^\s/$.?#][^\s]*$")))]
    pub issuers: Option<Vec<Spanned<String>>>,
    /// The audiences federated identities may accept. Unset: any.
    #[serde(default)]
    #[schemars(inner(length(min = 1)))]
    pub audiences: Option<Vec<Spanned<String>>>,
    /// The authentication methods identities may use. Unset: any but
    /// `classic-token` and `password`, which are always refused.
    #[serde(default)]
    pub auth_methods: Option<Vec<Spanned<AuthMethod>>>,
    /// The most access each identity type may hold, per scope; the scope `*`
    /// covers scopes not named (`github-app: {"*": read, contents: write}`).
    #[serde(default)]
    #[schemars(extend("propertyNames" = {"enum": ["github-actions", "deploy-key", "github-app", "aws-iam-user", "aws-iam-role", "api-key", "service-account", "bot", "ai-agent"]}))]
    pub max_permissions: Mapping<Spanned<IdentityType>, Mapping<Spanned<String>, Spanned<Access>>>,
    /// Environments held to production rules: subjects bound to a GitHub
    /// environment or an exact ref, signing scopes never `*`. Default: `production`.
    #[serde(default)]
    pub production_environments: Option<Vec<Spanned<Environment>>>,
    /// Per environment: which identity types and which owner teams it admits.
    #[serde(default)]
    pub environments: Mapping<Spanned<Environment>, EnvironmentGuardrails>,
}

/// What one environment admits.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct EnvironmentGuardrails {
    /// Identity types allowed in this environment. Unset: any.
    #[serde(default)]
    pub types: Option<Vec<Spanned<IdentityType>>>,
    /// Teams that may own identities in this environment. Unset: any.
    #[serde(default)]
    pub teams: Option<Vec<Spanned<Name>>>,
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
    /// For identities a third party operates (`vendor` set, other than `self`).
    #[serde(default)]
    pub third_party: Option<Spanned<Days>>,
}

/// The environments a registry has when `tenure.yaml` lists none.
pub const DEFAULT_ENVIRONMENTS: [&str; 4] = ["production", "staging", "development", "ci"];

/// The renew window when `tenure.yaml` sets none.
pub const DEFAULT_RENEW_WINDOW: Days = Days(30);

impl RegistrySpec {
    /// Whether `env` is one of the registry's environments.
    pub fn has_environment(&self, env: &str) -> bool {
        match &self.environments {
            Some(list) => list.iter().any(|e| e.value.0 == env),
            None => DEFAULT_ENVIRONMENTS.contains(&env),
        }
    }

    /// The environment names, in order.
    pub fn environment_names(&self) -> Vec<&str> {
        match &self.environments {
            Some(list) => list.iter().map(|e| e.value.0.as_str()).collect(),
            None => DEFAULT_ENVIRONMENTS.to_vec(),
        }
    }
}
