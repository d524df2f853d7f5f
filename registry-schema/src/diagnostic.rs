//! Findings as data: a stable code, a severity, a message, labelled spans and notes.
//!
//! Renderers (human, JSON, GitHub annotations, SARIF) live in the binary; this
//! module only describes what was found.

use std::fmt;

use crate::span::Span;

/// Index of a file in [`Registry::files`](crate::registry::Registry::files).
pub type FileId = usize;

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Informational: printed, never fails a run.
    Note,
    /// Printed; fails nothing.
    Warning,
    /// Fails the run (exit 1).
    Error,
}

impl Severity {
    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

macro_rules! codes {
    ($( $(#[doc = $doc:literal])* $variant:ident = $name:literal, $sev:ident, $summary:literal; )*) => {
        /// Every diagnostic code tenure emits. Codes are stable: a new release may add
        /// codes but never renames or reuses one.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Code {
            $( $(#[doc = $doc])* $variant, )*
        }

        impl Code {
            /// Every code, in documentation order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The kebab-case name, as printed and documented.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $name,)* }
            }

            /// The severity the code has unless something raises or lowers it.
            pub fn default_severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$sev,)* }
            }

            /// A one-line description, for SARIF rule metadata and `--help`.
            pub fn summary(self) -> &'static str {
                match self { $(Code::$variant => $summary,)* }
            }

            /// The long explanation: the code's docs page, shown by `tenure explain`.
            pub fn explanation(self) -> &'static str {
                match self { $(Code::$variant => include_str!(concat!("../../docs/src/codes/", $name, ".md")),)* }
            }

            /// Look a code up by name.
            pub fn parse(name: &str) -> Option<Code> {
                match name { $($name => Some(Code::$variant),)* _ => None }
            }
        }
    };
}

codes! {
    /// The registry root has no `tenure.yaml`.
    MissingRegistryConfig = "missing-registry-config", Error, "the registry root has no `tenure.yaml`";
    /// A file could not be read.
    UnreadableFile = "unreadable-file", Error, "a file could not be read";
    /// A file is larger than the loader accepts.
    FileTooLarge = "file-too-large", Error, "a file is larger than the size limit";
    /// A file is not UTF-8.
    InvalidUtf8 = "invalid-utf8", Error, "a file is not valid UTF-8";
    /// A symbolic link points outside the registry.
    SymlinkOutsideRegistry = "symlink-outside-registry", Error, "a symbolic link points outside the registry";
    /// A `.yml` file that tenure would otherwise ignore.
    IgnoredYmlFile = "ignored-yml-file", Warning, "a `.yml` file is not read; declarations use `.yaml`";
    /// The YAML does not parse.
    YamlSyntax = "yaml-syntax", Error, "the file is not valid YAML";
    /// A mapping repeats a key.
    DuplicateKey = "duplicate-key", Error, "a mapping repeats a key";
    /// A mapping key is not a string.
    NonStringKey = "non-string-key", Error, "a mapping key is not a string";
    /// Aliases beyond the budget, or an alias to an unknown anchor.
    YamlAliases = "yaml-aliases", Error, "YAML aliases exceed the budget";
    /// A YAML tag such as `!!binary`.
    YamlTag = "yaml-tag", Error, "YAML tags are not allowed";
    /// Nesting beyond the depth budget.
    YamlTooDeep = "yaml-too-deep", Error, "YAML nesting exceeds the depth limit";
    /// A plain scalar that YAML 1.1 tools read differently (`on`, `no`, `010`).
    AmbiguousScalar = "ambiguous-scalar", Error, "a plain value means something else to YAML 1.1 tools";
    /// A character that some tools read as a line break, or that hides text.
    ForbiddenCharacter = "forbidden-character", Error, "a control, line-separator or bidirectional character";
    /// A private key in the registry.
    SecretInRegistry = "secret-in-registry", Error, "the registry holds a secret";
    /// More than one YAML document in a file.
    MultipleDocuments = "multiple-documents", Error, "a file holds more than one YAML document";
    /// A file with no document.
    EmptyFile = "empty-file", Error, "a file is empty";
    /// The document is not a mapping.
    NotADeclaration = "not-a-declaration", Error, "the document is not a tenure declaration";
    /// `kind: Registry` outside `tenure.yaml`, or another kind inside it.
    MisplacedKind = "misplaced-kind", Error, "a document of this kind does not belong in this file";
    /// `apiVersion` is not `tenure/v1`.
    UnsupportedApiVersion = "unsupported-api-version", Error, "`apiVersion` is not one this release reads";
    /// `kind` is not `Team`, `Identity` or `SigningKey`.
    UnknownKind = "unknown-kind", Error, "`kind` is not a known kind";
    /// A field the schema does not define.
    UnknownField = "unknown-field", Error, "a field the schema does not define";
    /// A required field is absent.
    MissingField = "missing-field", Error, "a required field is missing";
    /// `expires` is absent: every grant of trust has an end.
    MissingExpiry = "missing-expiry", Error, "`expires` is missing";
    /// A value of the wrong type.
    InvalidType = "invalid-type", Error, "a value has the wrong type";
    /// A value outside what the schema allows.
    InvalidValue = "invalid-value", Error, "a value is not allowed by the schema";
    /// Two fields that exclude each other are both set.
    ConflictingFields = "conflicting-fields", Error, "two mutually exclusive fields are both set";
    /// A regular expression or glob that does not compile.
    InvalidPattern = "invalid-pattern", Error, "a regular expression or glob is not valid";
    /// Two declarations share a name.
    DuplicateName = "duplicate-name", Error, "two declarations share a name";
    /// The file name is not `<metadata.name>.yaml`.
    NameMismatch = "name-mismatch", Error, "the file name does not match `metadata.name`";
    /// `owner` names no declared Team.
    UnknownOwner = "unknown-owner", Error, "`owner` is not a declared Team";
    /// `owner` names a Team with nobody in it.
    OwnerWithoutMembers = "owner-without-members", Error, "the owner Team has no members";
    /// `environment` is not listed in `tenure.yaml`.
    UnknownEnvironment = "unknown-environment", Error, "`environment` is not listed in `tenure.yaml`";
    /// `expires` is not after `created`.
    ExpiresBeforeCreated = "expires-before-created", Error, "`expires` is not after `created`";
    /// `created` lies in the future.
    CreatedInFuture = "created-in-future", Warning, "`created` lies in the future";
    /// The term is longer than the guardrails allow.
    LifetimeExceeded = "lifetime-exceeded", Error, "the term is longer than the maximum lifetime";
    /// `write` or `admin` granted without a `justification`.
    MissingJustification = "missing-justification", Error, "write or admin access without a justification";
    /// A pattern that does not match the whole value.
    UnanchoredPattern = "unanchored-pattern", Error, "a pattern is not anchored with `^` and `$`";
    /// A public key that is weak (RSA under 3072 bits, `ssh-rsa`, DSA).
    WeakKey = "weak-key", Error, "a weak public key (RSA under 3072 bits, `ssh-rsa`, DSA)";
    /// Key material that cannot be parsed as a public key.
    InvalidPublicKey = "invalid-public-key", Error, "key material is not a public key tenure can read";
    /// An authentication method the guardrails do not allow.
    DisallowedAuthMethod = "disallowed-auth-method", Error, "the authentication method is not allowed";
    /// A static secret where the provider supports federation.
    FederationPreferred = "federation-preferred", Warning, "a long-lived secret where federation is available";
    /// A third-party identity without `vendor`.
    MissingVendor = "missing-vendor", Error, "an identity a third party may operate does not name its `vendor`";
    /// A third-party identity with write or admin access.
    ThirdPartyWrite = "third-party-write", Warning, "a third party holds write or admin access";
    /// Access above the ceiling for the identity type.
    PermissionCeiling = "permission-ceiling", Error, "access above the ceiling for this identity type";
    /// Federation without a pinned audience.
    MissingAudience = "missing-audience", Error, "federation does not pin the token audience";
    /// An OIDC issuer the guardrails do not allow.
    DisallowedIssuer = "disallowed-issuer", Error, "the OIDC issuer is not allowed";
    /// An audience the guardrails do not allow.
    DisallowedAudience = "disallowed-audience", Error, "the token audience is not allowed";
    /// A federation subject that admits more than one repository, ref or environment.
    BroadSubject = "broad-subject", Error, "the federation subject is not tied to one repository and a ref or environment";
    /// A production identity not bound to a GitHub environment or an exact ref.
    UnprotectedProduction = "unprotected-production", Error, "a production identity is not bound to a protected ref or environment";
    /// An identity type the environment does not admit.
    DisallowedType = "disallowed-type", Error, "the identity type is not allowed in this environment";
    /// An owner team that may not declare identities in the environment.
    DisallowedTeam = "disallowed-team", Error, "the owner team may not declare identities in this environment";
    /// The same credential, subject or binding declared twice.
    ReusedCredential = "reused-credential", Error, "a credential, subject or provider binding is declared twice";
    /// Two names that differ only by look-alike characters.
    ConfusableName = "confusable-name", Error, "two names differ only by look-alike characters";
    /// A machine identity marked `interactive: true`.
    InteractiveIdentity = "interactive-identity", Error, "a machine identity is used interactively";
    /// A federation subject or signer that is a person's email address.
    HumanSubject = "human-subject", Error, "a person's email address where a machine identity belongs";
    /// Keyless signing not pinned to a workflow and refs.
    UnpinnedSigner = "unpinned-signer", Error, "keyless signing is not pinned to a workflow and refs";
    /// A signing scope that matches any artifact.
    UnscopedSigning = "unscoped-signing", Error, "a signing key may sign any artifact";
    /// A sub-folder `tenure.yaml` loosens a guardrail.
    GuardrailLoosened = "guardrail-loosened", Error, "a sub-folder `tenure.yaml` loosens a guardrail";
    /// The declaration has lapsed.
    Expired = "expired", Warning, "the declaration has lapsed";
    /// The declaration is inside its renew window.
    ExpiresSoon = "expires-soon", Note, "the declaration lapses soon";
    /// A change renews a declaration beyond the maximum lifetime counted from the day of the renewal.
    RenewalExceedsLifetime = "renewal-exceeds-lifetime", Error, "a renewal sets `expires` beyond the maximum lifetime from the day of the renewal";
    /// A change widens a production identity's permissions without changing its justification.
    UnjustifiedWidening = "unjustified-widening", Error, "production permissions widened without a new justification";
    /// A change removes a Team that still owns declarations.
    RemovedTeamOwns = "removed-team-owns", Error, "a removed Team still owns declarations";
}

impl Code {
    /// Policy codes: judgments about acceptable declarations rather than about
    /// well-formed files. Only these can be set to `allow`, `warn` or `deny` in
    /// `tenure.yaml`, and `mode: warn` turns only these into warnings; a
    /// malformed or hostile file always fails.
    pub fn is_policy(self) -> bool {
        matches!(
            self,
            Code::CreatedInFuture
                | Code::Expired
                | Code::ExpiresSoon
                | Code::LifetimeExceeded
                | Code::MissingJustification
                | Code::UnanchoredPattern
                | Code::WeakKey
                | Code::DisallowedAuthMethod
                | Code::FederationPreferred
                | Code::MissingVendor
                | Code::ThirdPartyWrite
                | Code::PermissionCeiling
                | Code::MissingAudience
                | Code::DisallowedIssuer
                | Code::DisallowedAudience
                | Code::BroadSubject
                | Code::UnprotectedProduction
                | Code::DisallowedType
                | Code::DisallowedTeam
                | Code::ReusedCredential
                | Code::ConfusableName
                | Code::InteractiveIdentity
                | Code::HumanSubject
                | Code::UnpinnedSigner
                | Code::UnscopedSigning
                | Code::RenewalExceedsLifetime
                | Code::UnjustifiedWidening
        )
    }

    /// The OWASP Non-Human Identities Top 10 (2025) risk the code addresses.
    pub fn owasp(self) -> Option<Owasp> {
        use Owasp::*;
        Some(match self {
            Code::UnknownOwner
            | Code::OwnerWithoutMembers
            | Code::Expired
            | Code::ExpiresSoon
            | Code::RemovedTeamOwns => Nhi1,
            Code::SecretInRegistry => Nhi2,
            Code::MissingVendor | Code::ThirdPartyWrite => Nhi3,
            Code::WeakKey
            | Code::InvalidPublicKey
            | Code::DisallowedAuthMethod
            | Code::FederationPreferred => Nhi4,
            Code::MissingJustification
            | Code::PermissionCeiling
            | Code::UnscopedSigning
            | Code::UnjustifiedWidening => Nhi5,
            Code::MissingAudience
            | Code::DisallowedIssuer
            | Code::DisallowedAudience
            | Code::BroadSubject
            | Code::UnanchoredPattern
            | Code::UnpinnedSigner => Nhi6,
            Code::MissingExpiry
            | Code::LifetimeExceeded
            | Code::CreatedInFuture
            | Code::RenewalExceedsLifetime => Nhi7,
            Code::UnknownEnvironment
            | Code::UnprotectedProduction
            | Code::DisallowedType
            | Code::DisallowedTeam => Nhi8,
            Code::ReusedCredential | Code::ConfusableName => Nhi9,
            Code::InteractiveIdentity | Code::HumanSubject => Nhi10,
            _ => return None,
        })
    }
}

/// The risks of the OWASP Non-Human Identities Top 10 (2025).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Owasp {
    /// NHI1:2025 Improper Offboarding.
    Nhi1,
    /// NHI2:2025 Secret Leakage.
    Nhi2,
    /// NHI3:2025 Vulnerable Third-Party NHI.
    Nhi3,
    /// NHI4:2025 Insecure Authentication.
    Nhi4,
    /// NHI5:2025 Overprivileged NHI.
    Nhi5,
    /// NHI6:2025 Insecure Cloud Deployment Configurations.
    Nhi6,
    /// NHI7:2025 Long-Lived Secrets.
    Nhi7,
    /// NHI8:2025 Environment Isolation.
    Nhi8,
    /// NHI9:2025 NHI Reuse.
    Nhi9,
    /// NHI10:2025 Human Use of NHI.
    Nhi10,
}

impl Owasp {
    /// Every risk, in order.
    pub const ALL: [Owasp; 10] = [
        Owasp::Nhi1,
        Owasp::Nhi2,
        Owasp::Nhi3,
        Owasp::Nhi4,
        Owasp::Nhi5,
        Owasp::Nhi6,
        Owasp::Nhi7,
        Owasp::Nhi8,
        Owasp::Nhi9,
        Owasp::Nhi10,
    ];

    /// The short id, `NHI1` to `NHI10`.
    pub fn id(self) -> &'static str {
        match self {
            Owasp::Nhi1 => "NHI1",
            Owasp::Nhi2 => "NHI2",
            Owasp::Nhi3 => "NHI3",
            Owasp::Nhi4 => "NHI4",
            Owasp::Nhi5 => "NHI5",
            Owasp::Nhi6 => "NHI6",
            Owasp::Nhi7 => "NHI7",
            Owasp::Nhi8 => "NHI8",
            Owasp::Nhi9 => "NHI9",
            Owasp::Nhi10 => "NHI10",
        }
    }

    /// The risk's title in the OWASP list.
    pub fn title(self) -> &'static str {
        match self {
            Owasp::Nhi1 => "Improper Offboarding",
            Owasp::Nhi2 => "Secret Leakage",
            Owasp::Nhi3 => "Vulnerable Third-Party NHI",
            Owasp::Nhi4 => "Insecure Authentication",
            Owasp::Nhi5 => "Overprivileged NHI",
            Owasp::Nhi6 => "Insecure Cloud Deployment Configurations",
            Owasp::Nhi7 => "Long-Lived Secrets",
            Owasp::Nhi8 => "Environment Isolation",
            Owasp::Nhi9 => "NHI Reuse",
            Owasp::Nhi10 => "Human Use of NHI",
        }
    }
}

/// Where the docs pages of codes are published.
pub const DOCS_BASE_URL: &str = "https://github.com/tenure-dev/tenure/blob/main/docs/src/codes/";

impl Code {
    /// The URL of this code's docs page.
    pub fn docs_url(self) -> String {
        format!("{DOCS_BASE_URL}{}.md", self.as_str())
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A span in a file with a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// The file.
    pub file: FileId,
    /// The span in it.
    pub span: Span,
    /// What this place has to do with the finding; may be empty.
    pub message: String,
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The stable code.
    pub code: Code,
    /// How serious it is in this run.
    pub severity: Severity,
    /// One line, lower-case, no final period.
    pub message: String,
    /// The main place.
    pub primary: Option<Label>,
    /// Related places, e.g. "first defined here".
    pub secondary: Vec<Label>,
    /// Extra lines: help, the reason, what to do.
    pub notes: Vec<String>,
}

impl Diagnostic {
    /// A finding with the code's default severity and no location yet.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Self {
            code,
            severity: code.default_severity(),
            message: message.into(),
            primary: None,
            secondary: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Point at `span` in `file`.
    pub fn at(mut self, file: FileId, span: Span, message: impl Into<String>) -> Self {
        self.primary = Some(Label {
            file,
            span,
            message: message.into(),
        });
        self
    }

    /// Add a related place.
    pub fn with_secondary(mut self, file: FileId, span: Span, message: impl Into<String>) -> Self {
        self.secondary.push(Label {
            file,
            span,
            message: message.into(),
        });
        self
    }

    /// Add a note.
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// Set the severity.
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_unique_and_kebab_case() {
        let mut seen = HashSet::new();
        for code in Code::ALL {
            let name = code.as_str();
            assert!(seen.insert(name), "duplicate code {name}");
            assert!(
                name.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{name} is not kebab-case"
            );
            assert_eq!(Code::parse(name), Some(*code));
            assert!(!code.summary().ends_with('.'), "{name}: no final period");
        }
    }
}
