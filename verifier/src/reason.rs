//! Why a bundle was rejected: a stable code for scripts, a sentence for people.

use std::fmt;

macro_rules! reasons {
    ($($(#[doc = $doc:literal])* $variant:ident = $code:literal, $summary:literal;)*) => {
        /// A rejection reason. The codes are stable: scripts and policies
        /// match on them.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Reason {
            $($(#[doc = $doc])* $variant,)*
        }

        impl Reason {
            /// Every reason, in the order of the documentation.
            pub const ALL: &'static [Reason] = &[$(Reason::$variant,)*];

            /// The stable code, `kebab-case`.
            pub fn as_str(self) -> &'static str {
                match self { $(Reason::$variant => $code,)* }
            }

            /// One line on what the code means.
            pub fn summary(self) -> &'static str {
                match self { $(Reason::$variant => $summary,)* }
            }
        }
    };
}

reasons! {
    /// Not a Sigstore bundle: bad JSON, unknown media type, missing parts.
    MalformedBundle = "malformed-bundle", "the bundle is not a well-formed Sigstore bundle";
    /// A well-formed bundle with content this verifier does not support.
    UnsupportedBundle = "unsupported-bundle", "the bundle uses content or algorithms tenure cannot verify";
    /// The signature does not verify over the artifact or DSSE payload.
    InvalidSignature = "invalid-signature", "the signature does not verify with the signing key";
    /// The bundle signs something else: digest or in-toto subject differs.
    ArtifactMismatch = "artifact-mismatch", "the bundle does not describe this artifact";
    /// The certificate does not chain to the trusted root, was not valid at
    /// the signing time, or its SCT does not verify.
    InvalidCertificate = "invalid-certificate", "the signing certificate is not trusted at the signing time";
    /// The transparency log entry, inclusion proof, checkpoint or SET does not verify.
    InvalidTransparencyLog = "invalid-transparency-log", "the transparency log evidence does not verify";
    /// An RFC 3161 timestamp does not verify.
    InvalidTimestamp = "invalid-timestamp", "a signed timestamp does not verify";
    /// The bundle names a log or authority the trusted root does not hold.
    UntrustedAuthority = "untrusted-authority", "the bundle relies on a log or authority outside the trusted root";
    /// The certificate's identity or issuer differs from the one required
    /// (`tenure-conformance` and explicit identities).
    IdentityMismatch = "identity-mismatch", "the certificate identity or issuer is not the one required";
    /// No declaration allows the signer: no SigningKey has its issuer and
    /// identity, or its public key.
    UndeclaredSigner = "undeclared-signer", "no SigningKey in the registry declares this signer";
    /// The certificate's source repository is not the declared one.
    RepositoryNotAllowed = "repository-not-allowed", "the signing run came from another repository";
    /// The workflow that ran is not the declared one.
    WorkflowNotAllowed = "workflow-not-allowed", "the signing run used another workflow";
    /// The run's Git ref is not one of the declared refs.
    RefNotAllowed = "ref-not-allowed", "the signing run was on a ref the declaration does not allow";
    /// The event that triggered the run is not a declared trigger.
    TriggerNotAllowed = "trigger-not-allowed", "the signing run was triggered by an event the declaration does not allow";
    /// The run was on a runner the declaration forbids (self-hosted where only
    /// GitHub-hosted runners may sign).
    RunnerNotAllowed = "runner-not-allowed", "the signing run was on a runner the declaration forbids";
    /// The declaration starts after the signing time.
    DeclaredAfterSigning = "declared-after-signing", "the signer was declared only after the signature was made";
    /// The declaration had expired at the signing time.
    DeclarationExpired = "declaration-expired", "the signer's declaration had expired when the signature was made";
    /// The artifact's name is not in `allows.artifacts`.
    ArtifactOutOfScope = "artifact-out-of-scope", "the signer may not sign this artifact";
    /// The artifact was given as a digest, so its name, and with it the
    /// declaration's scope, cannot be checked.
    ArtifactNameUnknown = "artifact-name-unknown", "the artifact's name is unknown, so its scope cannot be checked";
    /// The attestation's predicate type is not in `allows.predicateTypes`.
    PredicateTypeNotAllowed = "predicate-type-not-allowed", "the signer may not attest this predicate type";
    /// No verified time (transparency log or timestamp authority) says when
    /// the signature was made.
    NoSigningTime = "no-signing-time", "no verified time says when the signature was made";
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A rejected bundle: the reason, what exactly failed, and notes such as the
/// declarations that came close.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection {
    /// The stable code.
    pub reason: Reason,
    /// What failed, in one sentence.
    pub message: String,
    /// More context: near misses, hints.
    pub notes: Vec<String>,
}

impl Rejection {
    /// A rejection with no notes.
    pub fn new(reason: Reason, message: impl Into<String>) -> Self {
        Self {
            reason,
            message: message.into(),
            notes: Vec::new(),
        }
    }

    /// Add a note.
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.reason, self.message)
    }
}

impl std::error::Error for Rejection {}

/// Map an upstream verification error to a reason, keeping its message.
pub(crate) fn from_upstream(error: sigstore_verify::Error) -> Rejection {
    use sigstore_verify::Error as E;
    let reason = match &error {
        E::IdentityMismatch { .. } | E::IssuerMismatch { .. } => Reason::IdentityMismatch,
        E::SignatureInvalid(_) | E::Crypto(_) => Reason::InvalidSignature,
        E::ArtifactMismatch(_) => Reason::ArtifactMismatch,
        E::UnsupportedArtifact(_) | E::UnsupportedBundle(_) => Reason::UnsupportedBundle,
        E::Certificate(_) => Reason::InvalidCertificate,
        E::TransparencyLog(_) => Reason::InvalidTransparencyLog,
        E::Timestamp(_) => Reason::InvalidTimestamp,
        E::InvalidTrustRoot(_) | E::TrustRoot(_) | E::TrustedCertificate(_) => {
            Reason::UntrustedAuthority
        }
        // Structural checks upstream runs first; those about the log are
        // log evidence that does not hold, not a malformed file.
        E::Bundle(b) => {
            use sigstore_verify::bundle::Error as B;
            match b {
                B::MissingInclusionPromise(_)
                | B::MissingInclusionProof(_)
                | B::MissingCheckpoint
                | B::LogIndexOutOfRange { .. }
                | B::CheckpointRootMismatch => Reason::InvalidTransparencyLog,
                B::MissingSigningTimeEvidence | B::MissingTimestamp => Reason::NoSigningTime,
                _ => Reason::MalformedBundle,
            }
        }
        // Bundle structure, types, and anything added upstream later: the
        // bundle is not acceptable, whatever the detail.
        _ => Reason::MalformedBundle,
    };
    Rejection::new(reason, error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_case() {
        let mut seen = std::collections::HashSet::new();
        for reason in Reason::ALL {
            let code = reason.as_str();
            assert!(seen.insert(code), "duplicate code {code}");
            assert!(
                code.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{code} is not kebab-case"
            );
            assert!(!reason.summary().is_empty());
        }
    }
}
