//! Trusted roots: the keys and certificates of a Sigstore instance (Fulcio,
//! Rekor, CT logs, timestamp authorities), prepared once for many bundles.

use std::path::{Path, PathBuf};

use sigstore_verify::trust_root::{
    SIGSTORE_PRODUCTION_TRUSTED_ROOT, SIGSTORE_STAGING_TRUSTED_ROOT, TrustedRoot,
};

/// A trusted root is a few KiB; anything much larger is not one.
pub const MAX_TRUSTED_ROOT_BYTES: u64 = 4 << 20;

/// Where a trusted root came from, for reports.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TrustOrigin {
    /// The Sigstore public-good production root embedded in this build.
    Production,
    /// The Sigstore staging root embedded in this build.
    Staging,
    /// A file given by the user (a private Sigstore deployment, or a root
    /// refreshed through TUF).
    File(PathBuf),
}

impl std::fmt::Display for TrustOrigin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Production => f.write_str("Sigstore production (embedded)"),
            Self::Staging => f.write_str("Sigstore staging (embedded)"),
            Self::File(path) => write!(f, "{}", path.display()),
        }
    }
}

/// Why a trusted root cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TrustError {
    /// The file could not be read.
    #[error("cannot read trusted root `{}`", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The file is larger than [`MAX_TRUSTED_ROOT_BYTES`].
    #[error("trusted root `{}` is larger than {} bytes", path.display(), MAX_TRUSTED_ROOT_BYTES)]
    TooLarge {
        /// The file.
        path: PathBuf,
    },
    /// The JSON is not a trusted root, or its keys and certificates are unusable.
    #[error("invalid trusted root ({origin}): {reason}")]
    Invalid {
        /// Where it came from.
        origin: TrustOrigin,
        /// What is wrong, from the parser or the verifier.
        reason: String,
    },
}

/// A trusted root ready to verify bundles: parsed and checked once, shared by
/// every verification (and every thread) after that.
pub struct TrustRoot {
    pub(crate) verifier: sigstore_verify::Verifier,
    root: TrustedRoot,
    origin: TrustOrigin,
}

/// One service a trusted root trusts, for `tenure trust show`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Authority {
    /// `fulcio`, `rekor`, `ct-log` or `timestamp-authority`.
    pub role: &'static str,
    /// Its URL.
    pub url: String,
    /// When its key or certificate starts being trusted.
    pub valid_from: Option<jiff::Timestamp>,
    /// When it stops (`None`: still trusted).
    pub valid_until: Option<jiff::Timestamp>,
}

impl std::fmt::Debug for TrustRoot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TrustRoot")
            .field("origin", &self.origin)
            .finish_non_exhaustive()
    }
}

impl TrustRoot {
    /// The Sigstore public-good production root, embedded at build time: no
    /// network needed.
    pub fn production() -> Result<Self, TrustError> {
        Self::from_json(SIGSTORE_PRODUCTION_TRUSTED_ROOT, TrustOrigin::Production)
    }

    /// The Sigstore staging root, embedded at build time.
    pub fn staging() -> Result<Self, TrustError> {
        Self::from_json(SIGSTORE_STAGING_TRUSTED_ROOT, TrustOrigin::Staging)
    }

    /// A trusted root in the Sigstore `TrustedRoot` JSON format.
    pub fn from_json(json: &str, origin: TrustOrigin) -> Result<Self, TrustError> {
        let invalid = |reason: String| TrustError::Invalid {
            origin: origin.clone(),
            reason,
        };
        let root = TrustedRoot::from_json(json).map_err(|e| invalid(e.to_string()))?;
        let verifier = sigstore_verify::Verifier::new(&root).map_err(|e| invalid(e.to_string()))?;
        Ok(Self {
            verifier,
            root,
            origin,
        })
    }

    /// A trusted root read from a file, at most [`MAX_TRUSTED_ROOT_BYTES`].
    pub fn from_file(path: &Path) -> Result<Self, TrustError> {
        let bytes = crate::read_capped(path, MAX_TRUSTED_ROOT_BYTES).map_err(|e| match e {
            crate::ReadError::Io(source) => TrustError::Read {
                path: path.to_path_buf(),
                source,
            },
            crate::ReadError::TooLarge => TrustError::TooLarge {
                path: path.to_path_buf(),
            },
        })?;
        let origin = TrustOrigin::File(path.to_path_buf());
        let text = String::from_utf8(bytes).map_err(|_| TrustError::Invalid {
            origin: origin.clone(),
            reason: "not UTF-8".into(),
        })?;
        Self::from_json(&text, origin)
    }

    /// Where this root came from.
    pub fn origin(&self) -> &TrustOrigin {
        &self.origin
    }

    /// The services it trusts, each with its validity window.
    pub fn authorities(&self) -> Vec<Authority> {
        let mut out = Vec::new();
        for ca in &self.root.certificate_authorities {
            let (valid_from, valid_until) = window(ca.valid_for.as_ref());
            out.push(Authority {
                role: "fulcio",
                url: ca.uri.clone(),
                valid_from,
                valid_until,
            });
        }
        for log in &self.root.tlogs {
            let (valid_from, valid_until) = window(log.public_key.valid_for.as_ref());
            out.push(Authority {
                role: "rekor",
                url: log.base_url.clone(),
                valid_from,
                valid_until,
            });
        }
        for log in &self.root.ctlogs {
            let (valid_from, valid_until) = window(log.public_key.valid_for.as_ref());
            out.push(Authority {
                role: "ct-log",
                url: log.base_url.clone(),
                valid_from,
                valid_until,
            });
        }
        for tsa in &self.root.timestamp_authorities {
            let (valid_from, valid_until) = window(tsa.valid_for.as_ref());
            out.push(Authority {
                role: "timestamp-authority",
                url: tsa.uri.clone().unwrap_or_default(),
                valid_from,
                valid_until,
            });
        }
        out
    }
}

/// A validity window in this crate's time type.
fn window(
    range: Option<&sigstore_verify::types::TimeRange>,
) -> (Option<jiff::Timestamp>, Option<jiff::Timestamp>) {
    let Some(range) = range else {
        return (None, None);
    };
    let start = jiff::Timestamp::new(range.start.as_second(), range.start.subsec_nanosecond()).ok();
    let end = range
        .end
        .and_then(|t| jiff::Timestamp::new(t.as_second(), t.subsec_nanosecond()).ok());
    (start, end)
}
