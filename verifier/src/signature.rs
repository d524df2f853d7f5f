//! Cryptographic verification of a bundle, on the sigstore-rust crates, and
//! what it establishes: who signed, when, and (for attestations) what was
//! stated. Nothing here consults the registry.

use sigstore_verify::types::{DerPublicKey, SignatureContent};
use sigstore_verify::{PublicKeyVerificationPolicy, VerificationPolicy};

use crate::bundle::Bundle;
use crate::digest::ArtifactDigest;
use crate::reason::{Reason, Rejection, from_upstream};
use crate::trust::TrustRoot;

/// The artifact a bundle is checked against.
#[derive(Clone, Copy, Debug)]
pub enum Artifact<'a> {
    /// Its bytes.
    Bytes(&'a [u8]),
    /// Its SHA-256 digest. Enough for ECDSA and for attestations; an
    /// Ed25519 message signature needs the bytes.
    Digest(ArtifactDigest),
}

impl Artifact<'_> {
    /// Its SHA-256 digest.
    pub fn digest(&self) -> ArtifactDigest {
        match self {
            Artifact::Bytes(bytes) => ArtifactDigest::of(bytes),
            Artifact::Digest(digest) => *digest,
        }
    }

    fn upstream(&self) -> sigstore_verify::types::Artifact<'_> {
        match self {
            Artifact::Bytes(bytes) => sigstore_verify::types::Artifact::from_blob(bytes),
            Artifact::Digest(digest) => sigstore_verify::types::Artifact::from_digest(
                sigstore_verify::types::Sha256Hash::new(*digest.bytes()),
            ),
        }
    }
}

/// A public key a managed-key bundle may be verified with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyingKey {
    der: DerPublicKey,
    algorithm: &'static str,
    pem: String,
}

/// Why a public key cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid public key: {0}")]
pub struct KeyError(String);

impl VerifyingKey {
    /// A key in PEM (`-----BEGIN PUBLIC KEY-----`, SubjectPublicKeyInfo).
    pub fn from_pem(pem: &str) -> Result<Self, KeyError> {
        let der = DerPublicKey::from_pem(pem.trim()).map_err(|e| KeyError(e.to_string()))?;
        use sigstore_verify::crypto::KeyAlgorithm as K;
        let key = sigstore_verify::crypto::VerificationKey::from_spki(&der)
            .map_err(|e| KeyError(e.to_string()))?;
        let algorithm = match key.scheme().key_algorithm() {
            K::Ed25519 => "ed25519",
            K::EcdsaP256 => "ecdsa-p256",
            K::EcdsaP384 => "ecdsa-p384",
            K::Rsa => "rsa",
            _ => "other",
        };
        let pem = der.to_pem();
        Ok(Self {
            der,
            algorithm,
            pem,
        })
    }

    /// The key in PEM, as Rekor logs it.
    pub fn pem(&self) -> &str {
        &self.pem
    }

    /// The algorithm, as tenure names it: `ed25519`, `ecdsa-p256`, ...
    pub fn algorithm(&self) -> &'static str {
        self.algorithm
    }
}

/// When the signature was made, as a verified source says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SigningTime {
    /// The instant.
    pub at: jiff::Timestamp,
    /// Who vouches for it.
    pub source: TimeSource,
}

/// A verified source of time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeSource {
    /// Rekor's integrated time, covered by its signed entry timestamp.
    TransparencyLog,
    /// An RFC 3161 timestamp from a trusted timestamp authority.
    TimestampAuthority,
    /// The signer's own clock, for the checks `tenure sign` makes before it
    /// signs. Verification never uses it.
    SignerClock,
}

impl TimeSource {
    /// `transparency-log` or `timestamp-authority`.
    pub fn as_str(self) -> &'static str {
        match self {
            TimeSource::TransparencyLog => "transparency-log",
            TimeSource::TimestampAuthority => "timestamp-authority",
            TimeSource::SignerClock => "signer-clock",
        }
    }
}

/// Who signed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Signer {
    /// A Fulcio certificate (keyless signing).
    Certificate(Box<CertificateIdentity>),
    /// A public key the caller supplied.
    PublicKey {
        /// Its algorithm.
        algorithm: &'static str,
    },
}

/// The identity a Fulcio certificate vouches for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CertificateIdentity {
    /// The SAN: a URI (workflows) or an email address (people).
    pub identity: String,
    /// Whether the SAN is an email address.
    pub email: bool,
    /// The OIDC issuer that authenticated the signer.
    pub issuer: Option<String>,
    /// What the certificate says about the CI run.
    pub workflow: WorkflowClaims,
}

impl CertificateIdentity {
    /// The identity a DER certificate claims, read without verifying it:
    /// for checking a certificate Fulcio just issued against the declaration
    /// before anything is signed with it.
    pub fn from_der(der: &[u8]) -> Result<Self, Rejection> {
        let cert = sigstore_verify::types::DerCertificate::from_bytes(der);
        let info = sigstore_verify::crypto::parse_certificate_info(&cert)
            .map_err(|e| Rejection::new(Reason::InvalidCertificate, e.to_string()))?;
        let identity = info.identity.as_ref().ok_or_else(|| {
            Rejection::new(
                Reason::InvalidCertificate,
                "the certificate has no SAN identity",
            )
        })?;
        Ok(Self {
            identity: identity.as_str().to_owned(),
            email: matches!(identity, sigstore_verify::SubjectAltName::Email(_)),
            issuer: info.issuer.clone(),
            workflow: claims(&info.ci_claims),
        })
    }
}

/// The CI claims of a Fulcio certificate (extensions `1.3.6.1.4.1.57264.1.*`),
/// with the deprecated GitHub-only extensions used when the new ones are absent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkflowClaims {
    /// `owner/name` of the repository the run was in.
    pub repository: Option<String>,
    /// The source repository URL, as in the certificate.
    pub repository_uri: Option<String>,
    /// The top-level workflow file that ran, within the repository
    /// (`.github/workflows/release.yml`), with the ref it was taken from.
    pub workflow: Option<String>,
    /// The workflow's ref, from the build configuration URI.
    pub workflow_ref: Option<String>,
    /// The Git ref the run built (`refs/tags/v1.2.3`).
    pub git_ref: Option<String>,
    /// The commit the run built.
    pub commit: Option<String>,
    /// `github-hosted` or `self-hosted`.
    pub runner_environment: Option<String>,
    /// The event that triggered the run (`push`, `release`, ...).
    pub trigger: Option<String>,
    /// The run's URL.
    pub run: Option<String>,
    /// The token's `sub` claim.
    pub token_subject: Option<String>,
    /// The deployment environment the job targeted.
    pub environment: Option<String>,
}

/// An in-toto statement carried in a DSSE envelope.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    /// `predicateType`.
    pub predicate_type: String,
    /// The subjects: name, and SHA-256 digest when given.
    pub subjects: Vec<(String, Option<ArtifactDigest>)>,
}

/// What a successful cryptographic verification established.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    /// Who signed.
    pub signer: Signer,
    /// Every verified time; the earliest first. A declaration must be valid
    /// at all of them.
    pub times: Vec<SigningTime>,
    /// The in-toto statement, for attestations.
    pub statement: Option<Statement>,
    /// The artifact's SHA-256 digest.
    pub artifact: ArtifactDigest,
}

impl TrustRoot {
    /// Verify a keyless bundle: certificate chain and SCT at the signing
    /// time, transparency log, timestamps, signature and artifact binding.
    /// Any identity the trusted Fulcio certified passes here; who may sign
    /// is for the caller ([`crate::RegistryPolicy`]) to decide.
    pub fn verify_keyless(
        &self,
        bundle: &Bundle,
        artifact: Artifact<'_>,
    ) -> Result<Verified, Rejection> {
        if bundle.material() != crate::bundle::Material::Certificate {
            return Err(Rejection::new(
                Reason::UndeclaredSigner,
                "the bundle is signed with a key, not a certificate",
            ));
        }
        let result = self
            .verifier
            .verify(
                artifact.upstream(),
                &bundle.inner,
                &VerificationPolicy::any_identity(),
            )
            .map_err(from_upstream)?;
        // The result is only produced when everything verified; fail closed
        // should a relaxed default ever creep in upstream.
        if !(result.certificate_verified() && result.sct_verified() && result.tlog_verified()) {
            return Err(Rejection::new(
                Reason::InvalidCertificate,
                "the certificate, its SCT or the transparency log was not verified",
            ));
        }
        let certificate = result.certificate().ok_or_else(|| {
            Rejection::new(
                Reason::MalformedBundle,
                "the bundle has no signing certificate",
            )
        })?;
        let identity = certificate.identity.as_ref().ok_or_else(|| {
            Rejection::new(
                Reason::InvalidCertificate,
                "the certificate has no SAN identity",
            )
        })?;
        let signer = Signer::Certificate(Box::new(CertificateIdentity {
            identity: identity.as_str().to_owned(),
            email: matches!(identity, sigstore_verify::SubjectAltName::Email(_)),
            issuer: certificate.issuer.clone(),
            workflow: claims(&certificate.ci_claims),
        }));
        finish(bundle, artifact, signer, &result)
    }

    /// Verify a managed-key bundle with `key`: transparency log, timestamps,
    /// signature and artifact binding.
    pub fn verify_with_key(
        &self,
        bundle: &Bundle,
        artifact: Artifact<'_>,
        key: &VerifyingKey,
    ) -> Result<Verified, Rejection> {
        let policy = PublicKeyVerificationPolicy::new(key.der.clone());
        let result = self
            .verifier
            .verify(artifact.upstream(), &bundle.inner, &policy)
            .map_err(from_upstream)?;
        if !result.tlog_verified() {
            return Err(Rejection::new(
                Reason::InvalidTransparencyLog,
                "the transparency log was not verified",
            ));
        }
        let signer = Signer::PublicKey {
            algorithm: key.algorithm(),
        };
        finish(bundle, artifact, signer, &result)
    }
}

fn finish(
    bundle: &Bundle,
    artifact: Artifact<'_>,
    signer: Signer,
    result: &sigstore_verify::VerificationResult,
) -> Result<Verified, Rejection> {
    let mut times: Vec<SigningTime> = result
        .verified_timestamps()
        .iter()
        .map(|t| SigningTime {
            at: convert_time(t.as_second(), t.subsec_nanosecond()),
            source: if result.integrated_time() == Some(*t) {
                TimeSource::TransparencyLog
            } else {
                TimeSource::TimestampAuthority
            },
        })
        .collect();
    times.sort_by_key(|t| t.at);
    times.dedup();
    Ok(Verified {
        signer,
        times,
        statement: statement(bundle)?,
        artifact: artifact.digest(),
    })
}

fn convert_time(seconds: i64, nanos: i32) -> jiff::Timestamp {
    // Both come from a valid timestamp of the other jiff version, so the
    // range is the same; fall back to the whole second rather than panic.
    jiff::Timestamp::new(seconds, nanos)
        .or_else(|_| jiff::Timestamp::from_second(seconds))
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}

/// The in-toto statement of a verified DSSE envelope. Upstream already
/// parsed it to bind the artifact; this reads what the policy needs.
fn statement(bundle: &Bundle) -> Result<Option<Statement>, Rejection> {
    let SignatureContent::DsseEnvelope(envelope) = &bundle.inner.content else {
        return Ok(None);
    };
    let parsed: sigstore_verify::types::Statement =
        serde_json::from_slice(envelope.payload.as_bytes()).map_err(|e| {
            Rejection::new(
                Reason::MalformedBundle,
                format!("the DSSE payload is not an in-toto statement: {e}"),
            )
        })?;
    Ok(Some(Statement {
        predicate_type: parsed.predicate_type,
        subjects: parsed
            .subject
            .into_iter()
            .map(|s| {
                let digest = s
                    .digest
                    .sha256
                    .map(|h| ArtifactDigest::from_bytes(*h.as_bytes()));
                (s.name, digest)
            })
            .collect(),
    }))
}

fn claims(ci: &sigstore_verify::crypto::FulcioCiClaims) -> WorkflowClaims {
    let old = &ci.deprecated_github;
    let repository_uri = ci.source_repository_uri.clone();
    let repository = repository_uri
        .as_deref()
        .and_then(repository_path)
        .or_else(|| old.workflow_repository.clone());
    // `https://github.com/OWNER/REPO/.github/workflows/release.yml@refs/tags/v1`:
    // the workflow file and the ref it was read at.
    let (workflow, workflow_ref) = match ci.build_config_uri.as_deref() {
        Some(uri) => {
            let (path, at) = uri.rsplit_once('@').unwrap_or((uri, ""));
            let file = repository_uri
                .as_deref()
                .and_then(|repo| path.strip_prefix(repo))
                .and_then(|rest| rest.strip_prefix('/'))
                .map(str::to_owned);
            (file, (!at.is_empty()).then(|| at.to_owned()))
        }
        None => (None, None),
    };
    WorkflowClaims {
        repository,
        repository_uri,
        workflow,
        workflow_ref,
        git_ref: ci
            .source_repository_ref
            .clone()
            .or_else(|| old.workflow_ref.clone()),
        commit: ci
            .source_repository_digest
            .clone()
            .or_else(|| old.workflow_sha.clone()),
        runner_environment: ci.runner_environment.clone(),
        trigger: ci
            .build_trigger
            .clone()
            .or_else(|| old.workflow_trigger.clone()),
        run: ci.run_invocation_uri.clone(),
        token_subject: ci.token_subject.clone(),
        environment: ci.deployment_environment.clone(),
    }
}

/// `owner/name` from `https://host/owner/name`.
fn repository_path(uri: &str) -> Option<String> {
    let rest = uri.strip_prefix("https://")?;
    let (_host, path) = rest.split_once('/')?;
    let path = path.trim_end_matches('/');
    let (owner, name) = path.split_once('/')?;
    (!owner.is_empty() && !name.is_empty() && !name.contains('/')).then(|| path.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_paths() {
        assert_eq!(
            repository_path("https://github.com/acme/web").as_deref(),
            Some("acme/web")
        );
        assert_eq!(repository_path("https://github.com/acme"), None);
        assert_eq!(repository_path("https://github.com/acme/web/extra"), None);
        assert_eq!(repository_path("http://github.com/acme/web"), None);
    }
}
