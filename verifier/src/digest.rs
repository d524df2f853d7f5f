//! The artifact reference every verification takes: a `sha256:<hex>` digest.

use std::fmt;
use std::str::FromStr;

/// The SHA-256 digest of an artifact, as given on the command line.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ArtifactDigest([u8; 32]);

/// Why a `sha256:<hex>` reference was rejected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DigestError {
    /// The text does not start with `sha256:`.
    #[error("expected `sha256:<64 hex digits>`")]
    MissingAlgorithm,
    /// Another algorithm was named.
    #[error("unsupported digest algorithm `{0}`; only `sha256` is accepted")]
    UnsupportedAlgorithm(String),
    /// The hex part is not 64 hexadecimal digits.
    #[error("a SHA-256 digest is 64 hexadecimal digits")]
    BadHex,
}

impl ArtifactDigest {
    /// A digest from its 32 bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// The digest of `bytes`.
    pub fn of(bytes: &[u8]) -> Self {
        Self(*sigstore_verify::crypto::sha256(bytes).as_bytes())
    }

    /// The digest of everything `reader` yields, read in constant memory.
    pub fn of_reader(reader: impl std::io::Read) -> std::io::Result<Self> {
        Ok(Self(
            *sigstore_verify::crypto::sha256_reader(reader)?.as_bytes(),
        ))
    }

    /// The raw 32 bytes.
    pub fn bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Lower-case hex.
    pub fn hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }
}

impl FromStr for ArtifactDigest {
    type Err = DigestError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (algorithm, hex) = s.split_once(':').ok_or(DigestError::MissingAlgorithm)?;
        if !algorithm.eq_ignore_ascii_case("sha256") {
            return Err(DigestError::UnsupportedAlgorithm(algorithm.to_owned()));
        }
        if hex.len() != 64 {
            return Err(DigestError::BadHex);
        }
        let mut out = [0u8; 32];
        for (i, pair) in hex.as_bytes().chunks_exact(2).enumerate() {
            let text = std::str::from_utf8(pair).map_err(|_| DigestError::BadHex)?;
            out[i] = u8::from_str_radix(text, 16).map_err(|_| DigestError::BadHex)?;
        }
        Ok(Self(out))
    }
}

impl fmt::Display for ArtifactDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "sha256:{}", self.hex())
    }
}

impl fmt::Debug for ArtifactDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let text = "sha256:a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447";
        let d: ArtifactDigest = text.parse().expect("valid digest");
        assert_eq!(d.to_string(), text);
        let upper: ArtifactDigest = text
            .to_uppercase()
            .replace("SHA256", "sha256")
            .parse()
            .expect("upper-case hex");
        assert_eq!(upper, d);
    }

    #[test]
    fn rejections() {
        assert_eq!(
            "abc".parse::<ArtifactDigest>(),
            Err(DigestError::MissingAlgorithm)
        );
        assert!(matches!(
            "sha1:abcd".parse::<ArtifactDigest>(),
            Err(DigestError::UnsupportedAlgorithm(_))
        ));
        assert_eq!(
            "sha256:abcd".parse::<ArtifactDigest>(),
            Err(DigestError::BadHex)
        );
        let bad = format!("sha256:{}", "g".repeat(64));
        assert_eq!(bad.parse::<ArtifactDigest>(), Err(DigestError::BadHex));
        let multibyte = format!("sha256:{}é", "a".repeat(62));
        assert_eq!(
            multibyte.parse::<ArtifactDigest>(),
            Err(DigestError::BadHex)
        );
    }
}
