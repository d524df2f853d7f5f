//! `kind: Identity`: one machine identity.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Deserialize;

use super::common::{ApiVersion, Instant, Mapping, Metadata, Text};
use crate::span::Spanned;

/// A machine identity: who owns it, what it may do, and until when.
#[derive(Clone, Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(title = "tenure Identity")]
pub struct Identity {
    /// Always `tenure/v1`.
    pub api_version: ApiVersion,
    /// Always `Identity`.
    pub kind: IdentityKind,
    /// Name, owner, description and labels.
    pub metadata: Metadata,
    /// What the identity is and what it may do.
    pub spec: IdentitySpec,
}

/// The `kind` value of an Identity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum IdentityKind {
    /// `Identity`.
    Identity,
}

/// The body of an Identity.
#[derive(Clone, Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct IdentitySpec {
    /// What sort of machine identity this is.
    #[serde(rename = "type")]
    pub identity_type: Spanned<IdentityType>,
    /// The environment it acts in; must be listed in `tenure.yaml`.
    pub environment: Spanned<Environment>,
    /// When the identity was granted.
    pub created: Spanned<Instant>,
    /// When its trust ends unless a reviewed change renews it.
    pub expires: Spanned<Instant>,
    /// When the current term started, set by `tenure renew`: the maximum
    /// lifetime counts from here instead of from `created`.
    #[serde(default)]
    pub renewed: Option<Spanned<Instant>>,
    /// The third party that operates it, for identities you do not run yourself.
    #[serde(default)]
    pub vendor: Option<Spanned<Text>>,
    /// Where it lives on GitHub.
    #[serde(default)]
    pub github: Option<GithubBinding>,
    /// Where it lives in AWS.
    #[serde(default)]
    pub aws: Option<AwsBinding>,
    /// Which OIDC tokens it accepts, for workload identity federation.
    #[serde(default)]
    pub federation: Option<Federation>,
    /// Key material for deploy keys and other key-based identities (public half only).
    #[serde(default)]
    pub key: Option<KeyMaterial>,
    /// Scopes and the access level granted on each (`contents: read`).
    #[serde(default)]
    #[schemars(extend("propertyNames" = {"pattern": "^[A-Za-z][A-Za-z0-9_.:/-]{0,127}$"}))]
    pub permissions: Mapping<Spanned<String>, Spanned<Access>>,
    /// Why the access is needed; reviewers read this.
    #[serde(default)]
    pub justification: Option<Spanned<Text>>,
    /// How it authenticates. When absent, tenure infers it from `type`,
    /// `federation` and `key` (see [`IdentitySpec::auth_method`]).
    #[serde(default)]
    pub auth: Option<Spanned<AuthMethod>>,
    /// Whether a person logs in as this identity. Machine identities are
    /// never interactive; `true` is refused (OWASP NHI10).
    #[serde(default)]
    pub interactive: Option<Spanned<bool>>,
    /// Why this identity's credential, subject or provider binding is
    /// deliberately declared more than once. Both declarations must say so.
    #[serde(default)]
    pub shared: Option<Spanned<Text>>,
}

impl IdentitySpec {
    /// The authentication method: `auth` when given, otherwise inferred
    /// (`federation` means OIDC, `key` an SSH key, then by `type`).
    pub fn auth_method(&self) -> AuthMethod {
        if let Some(auth) = &self.auth {
            return auth.value;
        }
        if self.federation.is_some() {
            return AuthMethod::Oidc;
        }
        if self.key.is_some() {
            return AuthMethod::SshKey;
        }
        match self.identity_type.value {
            IdentityType::GithubActions => AuthMethod::Oidc,
            IdentityType::DeployKey => AuthMethod::SshKey,
            IdentityType::GithubApp => AuthMethod::AppKey,
            IdentityType::AwsIamUser => AuthMethod::AccessKey,
            IdentityType::AwsIamRole => AuthMethod::AssumeRole,
            IdentityType::ApiKey => AuthMethod::ApiKey,
            IdentityType::ServiceAccount | IdentityType::Bot | IdentityType::AiAgent => {
                AuthMethod::Token
            }
        }
    }

    /// Every grant with its access and where it is written: `permissions`,
    /// plus `contents: write` for a deploy key with `readOnly: false`.
    pub fn grants(&self) -> impl Iterator<Item = (&str, Access, crate::Span)> {
        let key_write = self
            .key
            .as_ref()
            .filter(|k| !k.read_only.value)
            .map(|k| ("contents", Access::Write, k.read_only.span));
        self.permissions
            .iter()
            .map(|(scope, access)| (scope.value.as_str(), access.value, access.span))
            .chain(key_write)
    }

    /// The widest grant of at least `floor`, the first written among equals
    /// (a writable deploy key counts as `contents: write`).
    pub fn widest_grant(&self, floor: Access) -> Option<(&str, Access, crate::Span)> {
        self.grants().fold(None, |best, grant| match best {
            Some(b) if b.1 >= grant.1 => Some(b),
            _ if grant.1 >= floor => Some(grant),
            _ => best,
        })
    }

    /// Whether a third party operates it: `vendor` is set and is not `self`.
    pub fn is_third_party(&self) -> bool {
        self.vendor.as_ref().is_some_and(|v| v.value.0 != "self")
    }
}

/// How a machine identity proves who it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum AuthMethod {
    /// Short-lived OIDC tokens exchanged through workload identity federation.
    Oidc,
    /// Assuming a cloud role from another principal (AWS `sts:AssumeRole`).
    AssumeRole,
    /// An SSH key pair; the public half is declared.
    SshKey,
    /// A GitHub App private key, exchanged for short-lived installation tokens.
    AppKey,
    /// A client certificate (mutual TLS).
    ClientCertificate,
    /// A long-lived cloud access key (AWS access key id and secret).
    AccessKey,
    /// A long-lived API key.
    ApiKey,
    /// A scoped, expiring token (GitHub fine-grained personal access token).
    FineGrainedToken,
    /// A bearer token of another kind (service account token, bot token).
    Token,
    /// A GitHub classic personal access token: unscoped to repositories and
    /// often without expiry. Always refused.
    ClassicToken,
    /// A password. Always refused.
    Password,
}

impl AuthMethod {
    /// The kebab-case spelling used in YAML.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Oidc => "oidc",
            Self::AssumeRole => "assume-role",
            Self::SshKey => "ssh-key",
            Self::AppKey => "app-key",
            Self::ClientCertificate => "client-certificate",
            Self::AccessKey => "access-key",
            Self::ApiKey => "api-key",
            Self::FineGrainedToken => "fine-grained-token",
            Self::Token => "token",
            Self::ClassicToken => "classic-token",
            Self::Password => "password",
        }
    }

    /// A long-lived secret that a leak hands over as it is, as opposed to
    /// federation, keys that never leave their holder, or app keys that mint
    /// short-lived tokens.
    pub fn is_static_secret(self) -> bool {
        matches!(
            self,
            Self::AccessKey
                | Self::ApiKey
                | Self::FineGrainedToken
                | Self::Token
                | Self::ClassicToken
                | Self::Password
        )
    }
}

/// What sort of machine identity a declaration describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum IdentityType {
    /// A GitHub Actions workload identity (OIDC), e.g. a deploy job.
    GithubActions,
    /// An SSH deploy key on a GitHub repository.
    DeployKey,
    /// A GitHub App installation.
    GithubApp,
    /// An AWS IAM user, usually with access keys.
    AwsIamUser,
    /// An AWS IAM role, usually assumed through federation.
    AwsIamRole,
    /// An API key for a service.
    ApiKey,
    /// A service account (cloud or Kubernetes).
    ServiceAccount,
    /// A bot account (a machine user).
    Bot,
    /// An AI agent acting with delegated credentials.
    AiAgent,
}

impl IdentityType {
    /// The kebab-case spelling used in YAML.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::GithubActions => "github-actions",
            Self::DeployKey => "deploy-key",
            Self::GithubApp => "github-app",
            Self::AwsIamUser => "aws-iam-user",
            Self::AwsIamRole => "aws-iam-role",
            Self::ApiKey => "api-key",
            Self::ServiceAccount => "service-account",
            Self::Bot => "bot",
            Self::AiAgent => "ai-agent",
        }
    }
}

/// An environment name such as `production`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(transparent)]
pub struct Environment(pub String);

impl JsonSchema for Environment {
    fn schema_name() -> Cow<'static, str> {
        "Environment".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "An environment listed in `tenure.yaml` (`spec.environments`).",
            "pattern": "^[a-z][a-z0-9-]{0,62}$",
            "examples": ["production", "staging", "development", "ci"]
        })
    }
}

/// Access granted on one scope.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    serde::Serialize,
    Deserialize,
    JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Access {
    /// Read only.
    Read,
    /// Read and write.
    Write,
    /// Full control, including managing access for others.
    Admin,
}

impl Access {
    /// The spelling used in YAML.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Write => "write",
            Self::Admin => "admin",
        }
    }
}

/// A GitHub repository, `owner/name`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(transparent)]
pub struct Repository(pub String);

impl JsonSchema for Repository {
    fn schema_name() -> Cow<'static, str> {
        "Repository".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "A GitHub repository as `owner/name`.",
            "pattern": "^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$"
        })
    }
}

/// Where a GitHub-side identity lives and which runs may use it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GithubBinding {
    /// The repository, `owner/name`.
    pub repository: Spanned<Repository>,
    /// The GitHub deployment environment the identity is bound to.
    #[serde(default)]
    pub environment: Option<Spanned<String>>,
    /// The workflow file, `.github/workflows/<file>.yml`.
    #[serde(default)]
    #[schemars(pattern(r"^\.github/workflows/[A-Za-z0-9._-]+\.ya?ml$"))]
    pub workflow: Option<Spanned<String>>,
    /// The Git ref, exact or a glob (`refs/tags/v*`).
    #[serde(default, rename = "ref")]
    #[schemars(pattern(r"^refs/(heads|tags|pull)/"))]
    pub git_ref: Option<Spanned<String>>,
}

/// Where an AWS-side identity lives.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AwsBinding {
    /// The 12-digit account id (quote it in YAML).
    #[schemars(pattern(r"^[0-9]{12}$"))]
    pub account: Spanned<String>,
    /// The IAM role name, for `aws-iam-role`.
    #[serde(default)]
    #[schemars(pattern(r"^[A-Za-z0-9+=,.@_-]{1,64}$"))]
    pub role: Option<Spanned<String>>,
    /// The IAM user name, for `aws-iam-user`.
    #[serde(default)]
    #[schemars(pattern(r"^[A-Za-z0-9+=,.@_-]{1,64}$"))]
    pub user: Option<Spanned<String>>,
    /// ARNs of the managed policies attached.
    #[serde(default)]
    #[schemars(inner(pattern(r"^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/")))]
    pub policies: Vec<Spanned<String>>,
}

/// Which OIDC tokens an identity accepts. The vocabulary follows octo-sts
/// trust policies and cosign's certificate flags.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Federation {
    /// The token issuer, e.g. `https://token.actions.githubusercontent.com`.
    #[schemars(pattern(r"^https://[^\s/$.?#][^\s]*$"))]
    pub issuer: Spanned<String>,
    /// The exact `sub` claim accepted. Give `subject` or `subjectPattern`, not both.
    #[serde(default)]
    pub subject: Option<Spanned<String>>,
    /// A regular expression the whole `sub` claim must match, anchored with `^` and `$`.
    #[serde(default)]
    pub subject_pattern: Option<Spanned<String>>,
    /// The `aud` claim the token must carry.
    #[serde(default)]
    pub audience: Option<Spanned<String>>,
    /// Further claims and the regular expression each must match (`job_workflow_ref`).
    #[serde(default)]
    #[schemars(extend("propertyNames" = {"pattern": "^[A-Za-z_][A-Za-z0-9_.:-]{0,127}$"}))]
    pub claim_patterns: Mapping<Spanned<String>, Spanned<String>>,
}

/// Public key material for key-based identities. Never a private key.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct KeyMaterial {
    /// An OpenSSH public key line (`ssh-ed25519 AAAA...`) or a PEM public key.
    #[schemars(length(min = 1))]
    pub public_key: Spanned<String>,
    /// Whether the key may only read (deploy keys).
    #[serde(default = "default_true")]
    #[schemars(extend("default" = true))]
    pub read_only: Spanned<bool>,
}

fn default_true() -> Spanned<bool> {
    Spanned::new(crate::Span::default(), true)
}
