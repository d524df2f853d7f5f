//! Sigstore bundles (v0.1 to v0.3), parsed from hostile bytes.

use sigstore_verify::types::bundle::VerificationMaterialContent;
use sigstore_verify::types::{KindVersion, MediaType, SignatureContent};

use crate::reason::{Reason, Rejection};

/// Bundles are a few KiB; an attestation with a large predicate can reach a
/// few MiB. Past this, the file is not read.
pub const MAX_BUNDLE_BYTES: u64 = 32 << 20;

/// A parsed Sigstore bundle. Nothing in it is trusted until a verification
/// succeeds.
#[derive(Clone, Debug)]
pub struct Bundle {
    pub(crate) inner: sigstore_verify::types::Bundle,
}

/// What a bundle signs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Content {
    /// A signature over the artifact's bytes (or digest).
    MessageSignature,
    /// A DSSE envelope, usually an in-toto statement about the artifact.
    Dsse,
}

/// How a bundle says who signed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Material {
    /// A Fulcio certificate: keyless signing.
    Certificate,
    /// A hint naming a public key the verifier must already hold.
    PublicKey,
}

impl Bundle {
    /// Parse a bundle from JSON bytes.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, Rejection> {
        let text = std::str::from_utf8(bytes)
            .map_err(|_| Rejection::new(Reason::MalformedBundle, "the bundle is not UTF-8"))?;
        let inner = sigstore_verify::types::Bundle::from_json(text)
            .map_err(|e| Rejection::new(Reason::MalformedBundle, e.to_string()))?;
        Ok(Self { inner })
    }

    /// The media type's version: `0.1`, `0.2` or `0.3`.
    pub fn version(&self) -> &'static str {
        match self.inner.media_type() {
            MediaType::Bundle0_1 => "0.1",
            MediaType::Bundle0_2 => "0.2",
            MediaType::Bundle0_3 => "0.3",
            _ => "unknown",
        }
    }

    /// What it signs.
    pub fn content(&self) -> Content {
        match self.inner.content {
            SignatureContent::DsseEnvelope(_) => Content::Dsse,
            _ => Content::MessageSignature,
        }
    }

    /// Whether it carries a certificate or names a key.
    pub fn material(&self) -> Material {
        match self.inner.verification_material.content {
            VerificationMaterialContent::PublicKey(_) => Material::PublicKey,
            _ => Material::Certificate,
        }
    }

    /// The transparency log generation its entries come from: 1 or 2
    /// (`None` without entries).
    pub fn rekor_version(&self) -> Option<u8> {
        let entry = self.inner.verification_material.tlog_entries.first()?;
        Some(match entry.kind_version {
            KindVersion::HashedRekordV001 | KindVersion::DsseV001 | KindVersion::IntotoV002 => 1,
            _ => 2,
        })
    }

    /// The Rekor log index of its first entry, for reports.
    pub fn log_index(&self) -> Option<u64> {
        let entry = self.inner.verification_material.tlog_entries.first()?;
        Some(entry.log_index.get())
    }
}
