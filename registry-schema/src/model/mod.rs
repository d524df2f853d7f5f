//! The typed model of a registry: what the YAML means once it has passed the schema.

mod common;
mod identity;
mod registry;
mod signing_key;
mod team;

pub use common::{ApiVersion, Days, Instant, Mapping, Metadata, Name, Term, Text};
pub use identity::{
    Access, AuthMethod, AwsBinding, Environment, Federation, GithubBinding, Identity, IdentityKind,
    IdentitySpec, IdentityType, KeyMaterial, Repository,
};
pub use registry::{
    DEFAULT_ENVIRONMENTS, DEFAULT_RENEW_WINDOW, EnvironmentGuardrails, Guardrails, Level,
    MaxLifetime, Mode, RegistryConfig, RegistryKind, RegistrySpec,
};
pub use signing_key::{
    Allows, GithubWorkflow, KeyAlgorithm, Keyless, PublicKey, Runner, SigningKey, SigningKeyKind,
    SigningKeySpec,
};
pub use team::{Contact, Login, Team, TeamKind, TeamSpec};

/// The kinds of document a registry holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// `tenure.yaml` at the root.
    Registry,
    /// A team of people.
    Team,
    /// A machine identity.
    Identity,
    /// A signing identity.
    SigningKey,
}

impl Kind {
    /// Every kind, in schema order.
    pub const ALL: [Kind; 4] = [Kind::Registry, Kind::Team, Kind::Identity, Kind::SigningKey];

    /// The `kind:` spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Registry => "Registry",
            Kind::Team => "Team",
            Kind::Identity => "Identity",
            Kind::SigningKey => "SigningKey",
        }
    }

    /// Parse a `kind:` value.
    pub fn parse(s: &str) -> Option<Self> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The schema file name for this kind.
    pub fn schema_file(self) -> &'static str {
        match self {
            Kind::Registry => "registry.schema.json",
            Kind::Team => "team.schema.json",
            Kind::Identity => "identity.schema.json",
            Kind::SigningKey => "signing-key.schema.json",
        }
    }
}

/// One declaration: a Team, an Identity or a SigningKey.
#[derive(Clone, Debug, PartialEq)]
pub enum Declaration {
    /// A team.
    Team(Box<Team>),
    /// A machine identity.
    Identity(Box<Identity>),
    /// A signing identity.
    SigningKey(Box<SigningKey>),
}

impl Declaration {
    /// The common metadata.
    pub fn metadata(&self) -> &Metadata {
        match self {
            Declaration::Team(t) => &t.metadata,
            Declaration::Identity(i) => &i.metadata,
            Declaration::SigningKey(k) => &k.metadata,
        }
    }

    /// The declaration's name.
    pub fn name(&self) -> &str {
        &self.metadata().name.value.0
    }

    /// Its kind.
    pub fn kind(&self) -> Kind {
        match self {
            Declaration::Team(_) => Kind::Team,
            Declaration::Identity(_) => Kind::Identity,
            Declaration::SigningKey(_) => Kind::SigningKey,
        }
    }

    /// Every regular-expression field (`subjectPattern`, claim patterns,
    /// `identityPattern`) with its path, for the rules that judge patterns.
    pub fn regex_patterns(&self) -> Vec<(String, &crate::Spanned<String>)> {
        let mut out = Vec::new();
        match self {
            Declaration::Identity(identity) => {
                if let Some(fed) = &identity.spec.federation {
                    if let Some(p) = &fed.subject_pattern {
                        out.push(("spec.federation.subjectPattern".to_owned(), p));
                    }
                    for (claim, p) in &fed.claim_patterns {
                        out.push((format!("spec.federation.claimPatterns.{}", claim.value), p));
                    }
                }
            }
            Declaration::SigningKey(key) => {
                if let Some(p) = key
                    .spec
                    .keyless
                    .as_ref()
                    .and_then(|k| k.identity_pattern.as_ref())
                {
                    out.push(("spec.keyless.identityPattern".to_owned(), p));
                }
            }
            Declaration::Team(_) => {}
        }
        out
    }

    /// `created`, `renewed` and `expires`, for the kinds that have a term.
    pub fn term(&self) -> Option<Term<'_>> {
        match self {
            Declaration::Team(_) => None,
            Declaration::Identity(i) => Some(Term {
                created: &i.spec.created,
                expires: &i.spec.expires,
                renewed: i.spec.renewed.as_ref(),
            }),
            Declaration::SigningKey(k) => Some(Term {
                created: &k.spec.created,
                expires: &k.spec.expires,
                renewed: k.spec.renewed.as_ref(),
            }),
        }
    }
}
