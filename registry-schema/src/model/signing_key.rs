//! `kind: SigningKey`: who may sign what.

use schemars::JsonSchema;
use serde::Deserialize;

use super::common::{ApiVersion, Instant, Metadata};
use super::identity::{Environment, Repository};
use crate::span::Spanned;

/// A signing identity: keyless (an OIDC identity that Fulcio certifies) or a
/// public key, and the artifacts it may sign.
#[derive(Clone, Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(title = "tenure SigningKey")]
pub struct SigningKey {
    /// Always `tenure/v1`.
    pub api_version: ApiVersion,
    /// Always `SigningKey`.
    pub kind: SigningKeyKind,
    /// Name, owner, description and labels.
    pub metadata: Metadata,
    /// Who signs, and what.
    pub spec: SigningKeySpec,
}

/// The `kind` value of a SigningKey.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum SigningKeyKind {
    /// `SigningKey`.
    SigningKey,
}

/// The body of a SigningKey. Exactly one of `keyless` and `publicKey`.
#[derive(Clone, Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SigningKeySpec {
    /// The environment whose releases it signs; `production` when absent.
    #[serde(default)]
    pub environment: Option<Spanned<Environment>>,
    /// When signing was granted.
    pub created: Spanned<Instant>,
    /// When signing trust ends; signatures made later do not verify.
    pub expires: Spanned<Instant>,
    /// When the current term started, set by `tenure renew`: the maximum
    /// lifetime counts from here instead of from `created`.
    #[serde(default)]
    pub renewed: Option<Spanned<Instant>>,
    /// Keyless signing: the OIDC identity in the Fulcio certificate.
    #[serde(default)]
    pub keyless: Option<Keyless>,
    /// Signing with a long-lived key pair: its public half.
    #[serde(default)]
    pub public_key: Option<PublicKey>,
    /// What it may sign.
    pub allows: Allows,
}

impl SigningKeySpec {
    /// The environment, `production` unless `environment` says otherwise:
    /// signing keys sign releases.
    pub fn environment(&self) -> &str {
        self.environment
            .as_ref()
            .map_or("production", |e| e.value.0.as_str())
    }
}

/// The certificate identity accepted for keyless signing.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Keyless {
    /// The OIDC issuer (cosign `--certificate-oidc-issuer`).
    #[schemars(pattern(r"^https://[^\s/$.?#][^\s]*$"))]
    pub issuer: Spanned<String>,
    /// The exact certificate identity (SAN), cosign `--certificate-identity`.
    #[serde(default)]
    pub identity: Option<Spanned<String>>,
    /// A regular expression the whole SAN must match, anchored with `^` and `$`
    /// (cosign `--certificate-identity-regexp`).
    #[serde(default)]
    pub identity_pattern: Option<Spanned<String>>,
    /// Constraints on the GitHub Actions run, from the certificate's extensions.
    #[serde(default)]
    pub github: Option<GithubWorkflow>,
}

/// Where the run that signs must come from (Fulcio's GitHub extensions).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GithubWorkflow {
    /// The source repository, `owner/name`.
    pub repository: Spanned<Repository>,
    /// The workflow file, `.github/workflows/<file>.yml`.
    #[serde(default)]
    #[schemars(pattern(r"^\.github/workflows/[A-Za-z0-9._-]+\.ya?ml$"))]
    pub workflow: Option<Spanned<String>>,
    /// Git refs the run may come from, exact or globs (`refs/tags/v*`).
    #[serde(default)]
    #[schemars(inner(pattern(r"^refs/(heads|tags)/")))]
    pub refs: Vec<Spanned<String>>,
    /// Which runners may sign.
    #[serde(default)]
    pub runner: Option<Spanned<Runner>>,
    /// Events that may trigger the signing run (`push`, `release`, ...).
    #[serde(default)]
    #[schemars(inner(pattern(r"^[a-z_]+$")))]
    pub triggers: Vec<Spanned<String>>,
}

/// Runner environments.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Runner {
    /// Only GitHub-hosted runners.
    GithubHosted,
    /// Only self-hosted runners.
    SelfHosted,
    /// Either.
    Any,
}

/// A public verification key.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PublicKey {
    /// The key algorithm.
    pub algorithm: Spanned<KeyAlgorithm>,
    /// The SubjectPublicKeyInfo in PEM (`-----BEGIN PUBLIC KEY-----`).
    #[schemars(pattern(r"^\s*-----BEGIN PUBLIC KEY-----"))]
    pub pem: Spanned<String>,
}

/// Accepted key algorithms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum KeyAlgorithm {
    /// Ed25519.
    Ed25519,
    /// ECDSA on NIST P-256 with SHA-256.
    EcdsaP256,
}

/// What a signing key may sign.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Allows {
    /// Artifact file-name globs (`tenure-*.tar.gz`) or package URLs (`pkg:cargo/tenure@*`).
    #[schemars(length(min = 1), inner(length(min = 1)))]
    pub artifacts: Vec<Spanned<String>>,
    /// in-toto predicate types it may attest (`https://slsa.dev/provenance/v1`).
    #[serde(default)]
    #[schemars(inner(length(min = 1)))]
    pub predicate_types: Vec<Spanned<String>>,
}
