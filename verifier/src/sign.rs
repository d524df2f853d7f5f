//! Keyless signing on the sigstore-rust crates (feature `sign`): one Fulcio
//! certificate for a session, then a signature, a Rekor entry and optionally
//! an RFC 3161 timestamp per artifact, each written as a v0.3 bundle.
//!
//! The registry checks are the caller's ([`crate::RegistryPolicy::authorize_as`]):
//! this module only talks to the services, and hands back the certificate's
//! identity before anything is signed with it.

use sigstore_sign::bundle::BundleV03;
use sigstore_sign::crypto::KeyPair;
use sigstore_sign::fulcio::FulcioClient;
use sigstore_sign::oidc::IdentityToken;
use sigstore_sign::rekor::{DsseEntry, HashedRekord, RekorClient};
use sigstore_sign::trust_root::SigningConfig;
use sigstore_sign::tsa::TimestampClient;
use sigstore_sign::types::{
    DerCertificate, DsseEnvelope, DsseSignature, KeyId, KindVersion, PayloadBytes, Sha256Hash,
    SignatureBytes, TimestampToken,
};

/// The DSSE payload type of an in-toto statement.
pub const IN_TOTO_PAYLOAD_TYPE: &str = "application/vnd.in-toto+json";

use crate::digest::ArtifactDigest;
use crate::signature::CertificateIdentity;

/// Why signing failed. Messages never contain the identity token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SignError {
    /// The services configuration is unusable.
    #[error("signing config: {0}")]
    Config(String),
    /// The identity token is malformed.
    #[error("identity token: {0}")]
    Token(String),
    /// Fulcio refused or failed.
    #[error("Fulcio: {0}")]
    Fulcio(String),
    /// Rekor refused or failed.
    #[error("Rekor: {0}")]
    Rekor(String),
    /// The timestamp authority refused or failed.
    #[error("timestamp authority: {0}")]
    Timestamp(String),
    /// Local cryptography or bundle assembly failed.
    #[error("{0}")]
    Local(String),
}

/// Where the signing services are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Services {
    /// Fulcio's base URL.
    pub fulcio: String,
    /// Rekor v1's base URL.
    pub rekor: String,
    /// An RFC 3161 timestamp authority's URL, when one is used.
    pub tsa: Option<String>,
}

impl Services {
    /// The services a Sigstore `SigningConfig` (v0.2) names: the first
    /// Fulcio, the first Rekor v1 log and the first timestamp authority that
    /// are valid now.
    pub fn from_signing_config(json: &str) -> Result<Self, SignError> {
        let config =
            SigningConfig::from_json(json).map_err(|e| SignError::Config(e.to_string()))?;
        let fulcio = config
            .fulcio_url()
            .ok_or_else(|| SignError::Config("no valid Fulcio service".into()))?
            .url
            .clone();
        // Rekor v2 entries need a timestamp authority and another client;
        // tenure signs into Rekor v1.
        let rekor = config
            .rekor_url(Some(1))
            .ok_or_else(|| SignError::Config("no valid Rekor v1 service".into()))?
            .url
            .clone();
        let tsa = config.tsa_url().map(|e| e.url.clone());
        Ok(Self { fulcio, rekor, tsa })
    }

    /// The Sigstore public-good production services.
    pub fn production() -> Result<Self, SignError> {
        Self::from_signing_config(sigstore_sign::trust_root::SIGSTORE_PRODUCTION_SIGNING_CONFIG)
    }

    /// The Sigstore staging services.
    pub fn staging() -> Result<Self, SignError> {
        Self::from_signing_config(sigstore_sign::trust_root::SIGSTORE_STAGING_SIGNING_CONFIG)
    }
}

/// A signing session: an ephemeral key and the certificate Fulcio issued for
/// it. Every artifact signed in the session shares the certificate.
pub struct Session {
    services: Services,
    key: KeyPair,
    certificate: DerCertificate,
    identity: CertificateIdentity,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("services", &self.services)
            .field("identity", &self.identity)
            .finish_non_exhaustive()
    }
}

impl Session {
    /// Generate an ephemeral P-256 key and ask Fulcio to certify it for the
    /// identity in `token`.
    pub async fn start(services: Services, token: &str) -> Result<Self, SignError> {
        let token = IdentityToken::from_jwt(token).map_err(|e| SignError::Token(e.to_string()))?;
        let key = KeyPair::generate_ecdsa_p256().map_err(|e| SignError::Local(e.to_string()))?;
        let fulcio =
            FulcioClient::new(&services.fulcio).map_err(|e| SignError::Fulcio(e.to_string()))?;
        let response = fulcio
            .create_signing_certificate(&token, &key)
            .await
            .map_err(|e| SignError::Fulcio(e.to_string()))?;
        let certificate = response.leaf_certificate().clone();
        let identity = CertificateIdentity::from_der(certificate.as_bytes())
            .map_err(|e| SignError::Fulcio(format!("unusable certificate: {}", e.message)))?;
        Ok(Self {
            services,
            key,
            certificate,
            identity,
        })
    }

    /// The identity the certificate vouches for, to check against the
    /// declaration before signing.
    pub fn identity(&self) -> &CertificateIdentity {
        &self.identity
    }

    /// Sign an artifact by its digest: signature, Rekor v1 `hashedrekord`
    /// entry, timestamp when configured. Returns the bundle as JSON.
    pub async fn sign(&self, digest: ArtifactDigest) -> Result<String, SignError> {
        let hash = Sha256Hash::new(*digest.bytes());
        let signature = self
            .key
            .sign_digest(&hash)
            .map_err(|e| SignError::Local(e.to_string()))?;
        let rekor =
            RekorClient::new(&self.services.rekor).map_err(|e| SignError::Rekor(e.to_string()))?;
        let entry = rekor
            .create_entry(HashedRekord::new(&hash, &signature, &self.certificate))
            .await
            .map_err(|e| SignError::Rekor(e.to_string()))?
            .to_bundle_entry(KindVersion::HashedRekordV001)
            .map_err(|e| SignError::Rekor(e.to_string()))?;
        let timestamp = self.timestamp(&signature).await?;
        let bundle =
            BundleV03::with_certificate_and_signature(self.certificate.clone(), signature, hash)
                .with_tlog_entry(entry);
        finish(bundle, timestamp)
    }

    /// Sign an in-toto statement in a DSSE envelope: signature over its PAE,
    /// Rekor v1 `dsse` entry, timestamp when configured.
    pub async fn attest(&self, statement: &[u8]) -> Result<String, SignError> {
        let pae = sigstore_sign::types::pae(IN_TOTO_PAYLOAD_TYPE, statement);
        let signature = self
            .key
            .sign(&pae)
            .map_err(|e| SignError::Local(e.to_string()))?;
        let envelope = DsseEnvelope::new(
            IN_TOTO_PAYLOAD_TYPE.to_owned(),
            PayloadBytes::from_bytes(statement),
            DsseSignature::new(signature.clone(), KeyId::default()),
        );
        let rekor =
            RekorClient::new(&self.services.rekor).map_err(|e| SignError::Rekor(e.to_string()))?;
        let request = DsseEntry::new(&envelope, &self.certificate)
            .map_err(|e| SignError::Rekor(e.to_string()))?;
        let entry = rekor
            .create_dsse_entry(request)
            .await
            .map_err(|e| SignError::Rekor(e.to_string()))?
            .to_bundle_entry(KindVersion::DsseV001)
            .map_err(|e| SignError::Rekor(e.to_string()))?;
        let timestamp = self.timestamp(&signature).await?;
        let bundle = BundleV03::with_certificate_and_dsse(self.certificate.clone(), envelope)
            .with_tlog_entry(entry);
        finish(bundle, timestamp)
    }

    /// An RFC 3161 timestamp over the signature, when a TSA is configured.
    async fn timestamp(
        &self,
        signature: &SignatureBytes,
    ) -> Result<Option<TimestampToken>, SignError> {
        let Some(url) = &self.services.tsa else {
            return Ok(None);
        };
        let tsa = TimestampClient::builder(url)
            .build()
            .map_err(|e| SignError::Timestamp(e.to_string()))?;
        tsa.timestamp_signature(signature)
            .await
            .map(Some)
            .map_err(|e| SignError::Timestamp(e.to_string()))
    }
}

fn finish(bundle: BundleV03, timestamp: Option<TimestampToken>) -> Result<String, SignError> {
    let bundle = match timestamp {
        Some(token) => bundle.with_rfc3161_timestamp(token),
        None => bundle,
    };
    bundle
        .into_bundle()
        .to_json_pretty()
        .map_err(|e| SignError::Local(e.to_string()))
}

/// GitHub Actions' ambient OIDC token for audience `sigstore`, when the job
/// has `id-token: write` (`ACTIONS_ID_TOKEN_REQUEST_URL` and
/// `ACTIONS_ID_TOKEN_REQUEST_TOKEN` are set); `None` outside Actions.
pub async fn github_actions_token() -> Result<Option<String>, SignError> {
    let (Ok(url), Ok(bearer)) = (
        std::env::var("ACTIONS_ID_TOKEN_REQUEST_URL"),
        std::env::var("ACTIONS_ID_TOKEN_REQUEST_TOKEN"),
    ) else {
        return Ok(None);
    };
    let separator = if url.contains('?') { '&' } else { '?' };
    let response = sigstore_sign::reqwest::Client::new()
        .get(format!("{url}{separator}audience=sigstore"))
        .bearer_auth(bearer)
        .send()
        .await
        .map_err(|e| SignError::Token(format!("cannot reach the Actions token service: {e}")))?;
    if !response.status().is_success() {
        return Err(SignError::Token(format!(
            "the Actions token service answered {}; does the job have `permissions: id-token: write`?",
            response.status()
        )));
    }
    #[derive(serde::Deserialize)]
    struct Answer {
        value: String,
    }
    let answer: Answer = response.json().await.map_err(|e| {
        SignError::Token(format!(
            "unexpected answer from the Actions token service: {e}"
        ))
    })?;
    Ok(Some(answer.value))
}
