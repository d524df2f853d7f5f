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

/// A long-lived private key for key-based signing (Ed25519 or ECDSA P-256,
/// PKCS#8). Its bytes never leave this value; `Debug` shows the public half.
pub struct KeySigner {
    key: PrivateKey,
    public: crate::signature::VerifyingKey,
}

enum PrivateKey {
    /// ECDSA P-256, through sigstore-crypto.
    Ecdsa(KeyPair),
    /// Ed25519, through aws-lc-rs, which also reads PKCS#8 v1 (OpenSSL's form).
    Ed25519(aws_lc_rs::signature::Ed25519KeyPair),
}

impl std::fmt::Debug for KeySigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeySigner")
            .field("algorithm", &self.public.algorithm())
            .finish_non_exhaustive()
    }
}

impl KeySigner {
    /// A PKCS#8 private key, PEM (`-----BEGIN PRIVATE KEY-----`) or DER.
    /// Errors never quote the key.
    pub fn from_pkcs8(bytes: &[u8]) -> Result<Self, SignError> {
        let der = match std::str::from_utf8(bytes) {
            Ok(text) if text.contains("-----BEGIN") => pem_body(text, "PRIVATE KEY").ok_or_else(|| {
                SignError::Local(
                    "the private key is not an unencrypted PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`)"
                        .into(),
                )
            })?,
            _ => bytes.to_vec(),
        };
        let refused = || {
            SignError::Local("the private key is not a PKCS#8 Ed25519 or ECDSA P-256 key".into())
        };
        let (key, pem) =
            match aws_lc_rs::signature::Ed25519KeyPair::from_pkcs8_maybe_unchecked(&der) {
                Ok(ed) => {
                    use aws_lc_rs::signature::KeyPair as _;
                    // SubjectPublicKeyInfo for Ed25519 (RFC 8410): a fixed
                    // prefix and the 32-byte key.
                    let mut spki = vec![
                        0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
                    ];
                    spki.extend_from_slice(ed.public_key().as_ref());
                    let pem = sigstore_sign::types::DerPublicKey::new(spki).to_pem();
                    (PrivateKey::Ed25519(ed), pem)
                }
                Err(_) => {
                    let key = KeyPair::from_pkcs8_der(&der).map_err(|_| refused())?;
                    let pem = key
                        .public_key_der()
                        .map_err(|e| SignError::Local(e.to_string()))?
                        .to_pem();
                    (PrivateKey::Ecdsa(key), pem)
                }
            };
        let public = crate::signature::VerifyingKey::from_pem(&pem)
            .map_err(|e| SignError::Local(e.to_string()))?;
        if !matches!(public.algorithm(), "ed25519" | "ecdsa-p256") {
            return Err(SignError::Local(format!(
                "{} keys are not accepted; use Ed25519 or ECDSA P-256",
                public.algorithm()
            )));
        }
        Ok(Self { key, public })
    }

    /// The public half, to compare with the declared key.
    pub fn public_key(&self) -> &crate::signature::VerifyingKey {
        &self.public
    }

    /// Sign an artifact: signature, Rekor v1 `hashedrekord` entry logging
    /// the public key, timestamp when configured. Returns the bundle JSON.
    pub async fn sign(&self, services: &Services, artifact: &[u8]) -> Result<String, SignError> {
        use base64::Engine as _;
        let digest = ArtifactDigest::of(artifact);
        let hash = Sha256Hash::new(*digest.bytes());
        // ECDSA signs the digest; Ed25519 signs the bytes (no prehashed form).
        let signature = match &self.key {
            PrivateKey::Ecdsa(key) => key
                .sign_digest(&hash)
                .map_err(|e| SignError::Local(e.to_string()))?,
            PrivateKey::Ed25519(key) => SignatureBytes::from_bytes(key.sign(artifact).as_ref()),
        };
        let pem = self.public.pem().to_owned();
        let b64 = base64::engine::general_purpose::STANDARD;
        // `HashedRekord::new` logs a certificate; a managed key logs the key.
        let request: HashedRekord = serde_json::from_value(serde_json::json!({
            "apiVersion": "0.0.1",
            "kind": "hashedrekord",
            "spec": {
                "data": {"hash": {"algorithm": "sha256", "value": digest.hex()}},
                "signature": {
                    "content": b64.encode(signature.as_bytes()),
                    "publicKey": {"content": b64.encode(pem.as_bytes())}
                }
            }
        }))
        .map_err(|e| SignError::Local(e.to_string()))?;
        let rekor =
            RekorClient::new(&services.rekor).map_err(|e| SignError::Rekor(e.to_string()))?;
        let entry = rekor
            .create_entry(request)
            .await
            .map_err(|e| SignError::Rekor(e.to_string()))?
            .to_bundle_entry(KindVersion::HashedRekordV001)
            .map_err(|e| SignError::Rekor(e.to_string()))?;
        let timestamp = match &services.tsa {
            Some(url) => Some(
                TimestampClient::builder(url)
                    .build()
                    .map_err(|e| SignError::Timestamp(e.to_string()))?
                    .timestamp_signature(&signature)
                    .await
                    .map_err(|e| SignError::Timestamp(e.to_string()))?,
            ),
            None => None,
        };
        let content = sigstore_sign::types::SignatureContent::MessageSignature(
            sigstore_sign::types::bundle::MessageSignature::new(signature).with_message_digest(
                sigstore_sign::types::bundle::MessageDigest::new(
                    sigstore_sign::types::HashAlgorithm::Sha2256,
                    hash.into(),
                ),
            ),
        );
        let bundle = BundleV03::new(
            sigstore_sign::bundle::VerificationMaterialV03::PublicKey {
                hint: digest_hint(pem.as_bytes()),
            },
            content,
        )
        .with_tlog_entry(entry);
        finish(bundle, timestamp)
    }
}

/// A key hint: the SHA-256 of the public key PEM, as the bundle's
/// `publicKey.hint` (an identifier, not the key).
fn digest_hint(pem: &[u8]) -> String {
    ArtifactDigest::of(pem).hex()
}

/// The DER inside the first PEM block labelled `label`.
fn pem_body(text: &str, label: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let start = text.find(&begin)? + begin.len();
    let stop = start + text[start..].find(&end)?;
    let body: String = text[start..stop].split_whitespace().collect();
    base64::engine::general_purpose::STANDARD.decode(body).ok()
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
