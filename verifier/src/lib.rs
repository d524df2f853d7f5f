//! Offline verification for tenure: Sigstore bundles checked cryptographically
//! and against the identities a registry declares.
//!
//! Two layers, kept apart:
//!
//! - [`TrustRoot`] verifies a [`Bundle`] on the sigstore-rust crates:
//!   certificate chain and SCT at the signing time, Rekor v1 and v2 entries
//!   (inclusion proof, checkpoint, SET), RFC 3161 timestamps, the signature
//!   or DSSE envelope and its binding to the artifact. What it establishes is
//!   a [`Verified`]: who signed, when, and what was stated.
//! - [`RegistryPolicy`] decides whether the registry allowed that: a
//!   `SigningKey` that declares the signer, valid at every verified signing
//!   time, whose scope holds the artifact and the predicate type.
//!
//! The crate is synchronous and has no HTTP client: trusted roots are
//! embedded or read from a file.
//!
//! ```
//! use tenure_verifier::{Artifact, Bundle, Reason, TrustRoot};
//!
//! let root = TrustRoot::production()?;
//! // Hostile input is rejected with a stable reason, never a panic.
//! let rejection = Bundle::from_slice(b"{\"mediaType\": 1}").unwrap_err();
//! assert_eq!(rejection.reason, Reason::MalformedBundle);
//!
//! // A real bundle and its artifact (from the Sigstore conformance suite).
//! let bundle = Bundle::from_slice(include_bytes!("../tests/data/conformance/happy-path-v0.3/bundle.sigstore.json"))?;
//! let artifact = include_bytes!("../tests/data/conformance/a.txt");
//! let verified = root.verify_keyless(&bundle, Artifact::Bytes(artifact))?;
//! assert_eq!(verified.times.len(), 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![warn(missing_docs)]

mod bundle;
mod digest;
mod policy;
mod reason;
mod signature;
mod trust;

#[cfg(feature = "sign")]
pub mod sign;

pub use bundle::{Bundle, Content, MAX_BUNDLE_BYTES, Material};
pub use digest::{ArtifactDigest, DigestError};
pub use policy::{Authorization, Declared, PolicyError, RegistryPolicy, Report};
pub use reason::{Reason, Rejection};
pub use signature::{
    Artifact, CertificateIdentity, KeyError, Signer, SigningTime, Statement, TimeSource, Verified,
    VerifyingKey, WorkflowClaims,
};
pub use trust::{Authority, MAX_TRUSTED_ROOT_BYTES, TrustError, TrustOrigin, TrustRoot};

/// Why a capped read failed.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file could not be read.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// It is larger than the cap.
    #[error("larger than the limit")]
    TooLarge,
}

/// Read a whole file of at most `cap` bytes; a larger one (or one that grows
/// while read) is refused without reading it all.
pub fn read_capped(path: &std::path::Path, cap: u64) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    let hint = file.metadata().map(|m| m.len()).unwrap_or(0);
    if hint > cap {
        return Err(ReadError::TooLarge);
    }
    let mut bytes = Vec::with_capacity(usize::try_from(hint).unwrap_or(0));
    file.take(cap + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(ReadError::TooLarge);
    }
    Ok(bytes)
}
