//! Public keys as declared: OpenSSH lines (`ssh-ed25519 AAAA... comment`)
//! and PEM (`PUBLIC KEY`, `RSA PUBLIC KEY`). Parsed far enough to know the
//! algorithm and size, and to fingerprint the key for reuse checks.
//!
//! Everything here reads hostile input: lengths are checked before every
//! slice, nothing recurses, and anything unexpected is an error.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

/// What a public key is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyInfo {
    /// Ed25519 (OpenSSH `ssh-ed25519` or `sk-ssh-ed25519@openssh.com`, or PEM).
    Ed25519,
    /// ECDSA on a named curve (`nistp256`, `nistp384`, `nistp521`).
    Ecdsa(&'static str),
    /// RSA with a modulus of this many bits; `ssh` when written as an
    /// OpenSSH `ssh-rsa` line.
    Rsa {
        /// Modulus size in bits.
        bits: usize,
        /// Written as an OpenSSH `ssh-rsa` line.
        ssh: bool,
    },
    /// DSA (`ssh-dss` or a DSA PEM key).
    Dsa,
}

impl KeyInfo {
    /// Why the key is too weak, if it is.
    pub fn weakness(&self) -> Option<String> {
        match self {
            KeyInfo::Dsa => Some(
                "a DSA key: DSA is deprecated and limited to 1024-bit keys in OpenSSH".to_owned(),
            ),
            KeyInfo::Rsa { bits, ssh: true } => Some(format!(
                "an `ssh-rsa` key ({bits} bits): RSA SSH keys are refused, as `ssh-rsa` also names the SHA-1 signature scheme OpenSSH disables and servers that only speak it"
            )),
            KeyInfo::Rsa { bits, ssh: false } if *bits < 3072 => Some(format!(
                "a {bits}-bit RSA key: below 3072 bits, RSA is weaker than 128-bit security"
            )),
            _ => None,
        }
    }

    /// A short name: `ed25519`, `ecdsa-p256`, `rsa-4096`, `dsa`.
    pub fn name(&self) -> String {
        match self {
            KeyInfo::Ed25519 => "ed25519".to_owned(),
            KeyInfo::Ecdsa(curve) => format!("ecdsa-{}", curve.trim_start_matches("nist")),
            KeyInfo::Rsa { bits, .. } => format!("rsa-{bits}"),
            KeyInfo::Dsa => "dsa".to_owned(),
        }
    }
}

/// A key tenure could read, and a canonical form of it for comparison.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedKey {
    /// Algorithm and size.
    pub info: KeyInfo,
    /// The algorithm and the key material alone: two declarations of the
    /// same key compare equal however they are written (OpenSSH line with
    /// any comment, RFC 4716 block, PEM).
    pub canonical: String,
}

/// Parse an OpenSSH public key line, an RFC 4716 SSH public key block or a
/// PEM public key.
pub fn parse(text: &str) -> Result<ParsedKey, String> {
    let text = text.trim();
    if text.starts_with("---- BEGIN SSH2 PUBLIC KEY ----") {
        parse_rfc4716(text)
    } else if text.starts_with("-----BEGIN") {
        parse_pem(text)
    } else {
        parse_openssh(text)
    }
}

fn parse_openssh(line: &str) -> Result<ParsedKey, String> {
    let mut fields = line.split_ascii_whitespace();
    let (Some(kind), Some(body)) = (fields.next(), fields.next()) else {
        return Err(
            "expected `<type> <base64> [comment]`, as `ssh-keygen -y` prints it".to_owned(),
        );
    };
    let blob = STANDARD
        .decode(body)
        .map_err(|_| "the key body is not valid base64".to_owned())?;
    parse_ssh_blob(Some(kind), &blob)
}

/// `---- BEGIN SSH2 PUBLIC KEY ----`, headers (`Comment: ...`, continued
/// with a trailing `\`), base64, `---- END SSH2 PUBLIC KEY ----`.
fn parse_rfc4716(text: &str) -> Result<ParsedKey, String> {
    let mut body = String::new();
    let mut continued = false;
    let mut ended = false;
    for line in text.lines().skip(1).map(str::trim) {
        if line == "---- END SSH2 PUBLIC KEY ----" {
            ended = true;
            break;
        }
        if continued || line.contains(':') {
            continued = line.ends_with('\\');
            continue;
        }
        body.push_str(line);
    }
    if !ended {
        return Err("no `---- END SSH2 PUBLIC KEY ----` line".to_owned());
    }
    let blob = STANDARD
        .decode(&body)
        .map_err(|_| "the key body is not valid base64".to_owned())?;
    parse_ssh_blob(None, &blob)
}

/// The OpenSSH wire form of a public key; `declared` is the type written
/// before it on an OpenSSH line, which must agree.
fn parse_ssh_blob(declared: Option<&str>, blob: &[u8]) -> Result<ParsedKey, String> {
    let mut r = Reader(blob);
    let inner = r.string()?;
    let kind = std::str::from_utf8(inner).map_err(|_| "the key type is not text".to_owned())?;
    if let Some(declared) = declared
        && declared != kind
    {
        return Err(format!(
            "the line says `{declared}` but the key inside is `{}`",
            kind.escape_debug()
        ));
    }
    let (info, canonical) = match kind {
        "ssh-ed25519" => (KeyInfo::Ed25519, ed25519(r.string()?)?),
        "sk-ssh-ed25519@openssh.com" => (KeyInfo::Ed25519, format!("sk-{}", ed25519(r.string()?)?)),
        "ecdsa-sha2-nistp256" | "ecdsa-sha2-nistp384" | "ecdsa-sha2-nistp521" => {
            let curve = curve_name(r.string()?)?;
            (KeyInfo::Ecdsa(curve), ecdsa(curve, r.string()?))
        }
        "sk-ecdsa-sha2-nistp256@openssh.com" => {
            let curve = curve_name(r.string()?)?;
            (
                KeyInfo::Ecdsa(curve),
                format!("sk-{}", ecdsa(curve, r.string()?)),
            )
        }
        "ssh-rsa" => {
            let e = r.string()?;
            let n = r.string()?;
            (
                KeyInfo::Rsa {
                    bits: bit_len(n),
                    ssh: true,
                },
                rsa(n, e),
            )
        }
        "ssh-dss" => (KeyInfo::Dsa, format!("dsa:{}", STANDARD.encode(blob))),
        other => {
            return Err(format!(
                "`{}` is not an OpenSSH public key type tenure knows",
                other.escape_debug()
            ));
        }
    };
    Ok(ParsedKey { info, canonical })
}

fn curve_name(name: &[u8]) -> Result<&'static str, String> {
    match name {
        b"nistp256" => Ok("nistp256"),
        b"nistp384" => Ok("nistp384"),
        b"nistp521" => Ok("nistp521"),
        _ => Err("an elliptic curve tenure does not accept".to_owned()),
    }
}

// Canonical forms name the algorithm and hold only the key material, so one
// key reads the same as an OpenSSH line, an RFC 4716 block or PEM.
fn ed25519(key: &[u8]) -> Result<String, String> {
    if key.len() != 32 {
        return Err("an Ed25519 key is 32 bytes".to_owned());
    }
    Ok(format!("ed25519:{}", STANDARD.encode(key)))
}

fn ecdsa(curve: &str, point: &[u8]) -> String {
    format!("ecdsa-{curve}:{}", STANDARD.encode(point))
}

fn rsa(n: &[u8], e: &[u8]) -> String {
    let strip = |x: &[u8]| {
        let start = x.iter().position(|&b| b != 0).unwrap_or(x.len());
        STANDARD.encode(&x[start..])
    };
    format!("rsa:{}:{}", strip(n), strip(e))
}

fn parse_pem(text: &str) -> Result<ParsedKey, String> {
    let header = text.lines().next().unwrap_or_default().trim();
    let label = header
        .strip_prefix("-----BEGIN ")
        .and_then(|h| h.strip_suffix("-----"))
        .ok_or("the PEM header is not `-----BEGIN <label>-----`")?;
    let footer = format!("-----END {label}-----");
    let body: String = text
        .lines()
        .skip(1)
        .take_while(|l| l.trim() != footer)
        .flat_map(|l| l.trim().chars())
        .collect();
    if !text.lines().any(|l| l.trim() == footer) {
        return Err(format!("no `{footer}` line"));
    }
    let der = STANDARD
        .decode(&body)
        .map_err(|_| "the PEM body is not valid base64".to_owned())?;
    let (info, canonical) = match label {
        "PUBLIC KEY" => spki(&der)?,
        "RSA PUBLIC KEY" => rsa_public_key(&der)?,
        other => {
            return Err(format!(
                "`{}` is not a public key PEM label (`PUBLIC KEY` or `RSA PUBLIC KEY`)",
                other.escape_debug()
            ));
        }
    };
    Ok(ParsedKey { info, canonical })
}

const OID_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
const OID_DSA: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x01];
const OID_EC: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
const OID_ED25519: &[u8] = &[0x2b, 0x65, 0x70];
const OID_P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
const OID_P384: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x22];
const OID_P521: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x23];

/// SubjectPublicKeyInfo: `SEQUENCE { SEQUENCE { OID, params }, BIT STRING }`.
fn spki(der: &[u8]) -> Result<(KeyInfo, String), String> {
    let mut outer = Der(der);
    let mut spki = Der(outer.take(0x30)?);
    outer.end()?;
    let mut alg = Der(spki.take(0x30)?);
    let key = spki.take(0x03)?;
    spki.end()?;
    let oid = alg.take(0x06)?;
    let key = key
        .split_first()
        .filter(|(unused, _)| **unused == 0)
        .map(|(_, k)| k)
        .ok_or("the key BIT STRING is malformed")?;
    match oid {
        OID_RSA => rsa_public_key(key),
        OID_DSA => Ok((KeyInfo::Dsa, format!("dsa:{}", STANDARD.encode(der)))),
        OID_ED25519 => Ok((KeyInfo::Ed25519, ed25519(key)?)),
        OID_EC => {
            let curve = match alg.take(0x06)? {
                OID_P256 => "nistp256",
                OID_P384 => "nistp384",
                OID_P521 => "nistp521",
                _ => return Err("an elliptic curve tenure does not accept".to_owned()),
            };
            Ok((KeyInfo::Ecdsa(curve), ecdsa(curve, key)))
        }
        _ => Err("a key algorithm tenure does not know".to_owned()),
    }
}

/// PKCS#1 RSAPublicKey: `SEQUENCE { INTEGER n, INTEGER e }`.
fn rsa_public_key(der: &[u8]) -> Result<(KeyInfo, String), String> {
    let mut outer = Der(der);
    let mut seq = Der(outer.take(0x30)?);
    let n = seq.take(0x02)?;
    let e = seq.take(0x02)?;
    Ok((
        KeyInfo::Rsa {
            bits: bit_len(n),
            ssh: false,
        },
        rsa(n, e),
    ))
}

/// Bits in a big-endian unsigned integer, leading zeros skipped.
fn bit_len(n: &[u8]) -> usize {
    let n = match n.iter().position(|&b| b != 0) {
        Some(i) => &n[i..],
        None => return 0,
    };
    n.len() * 8 - n[0].leading_zeros() as usize
}

/// OpenSSH wire format: `uint32 length || bytes`.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn string(&mut self) -> Result<&'a [u8], String> {
        let too_short = || "the key body is truncated".to_owned();
        let (len, rest) = self.0.split_at_checked(4).ok_or_else(too_short)?;
        let len = u32::from_be_bytes([len[0], len[1], len[2], len[3]]) as usize;
        let (value, rest) = rest.split_at_checked(len).ok_or_else(too_short)?;
        self.0 = rest;
        Ok(value)
    }
}

/// Just enough DER: definite lengths up to 4 bytes, expected tags.
struct Der<'a>(&'a [u8]);

impl<'a> Der<'a> {
    fn take(&mut self, tag: u8) -> Result<&'a [u8], String> {
        let bad = || "the DER structure is malformed".to_owned();
        let (&t, rest) = self.0.split_first().ok_or_else(bad)?;
        if t != tag {
            return Err(bad());
        }
        let (&first, mut rest) = rest.split_first().ok_or_else(bad)?;
        let len = if first < 0x80 {
            usize::from(first)
        } else {
            let n = usize::from(first & 0x7f);
            if n == 0 || n > 4 {
                return Err(bad());
            }
            let (bytes, r) = rest.split_at_checked(n).ok_or_else(bad)?;
            rest = r;
            bytes
                .iter()
                .fold(0usize, |acc, &b| (acc << 8) | usize::from(b))
        };
        let (value, rest) = rest.split_at_checked(len).ok_or_else(bad)?;
        self.0 = rest;
        Ok(value)
    }

    fn end(&self) -> Result<(), String> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err("trailing data after the key".to_owned())
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Real keys, generated with `ssh-keygen` and `openssl` for these tests.
    pub(crate) const ED25519: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICsTfzLkq0XjptuZQ3H/5E4JFgIRfNYSbo73mObvikmk deploy@example";
    pub(crate) const ECDSA_PEM: &str = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEGgXt3s4Dum+6oAen9NprMzKsSQRC\nPvFqNzsYDnBalleqMnat8sNKvIPnRqHRXdE6LAVsFKT8hkJRXgxflwEasA==\n-----END PUBLIC KEY-----\n";

    fn ssh(kind: &str, parts: &[&[u8]]) -> String {
        let mut blob = Vec::new();
        for p in std::iter::once(&kind.as_bytes()).chain(parts) {
            blob.extend_from_slice(&(p.len() as u32).to_be_bytes());
            blob.extend_from_slice(p);
        }
        format!("{kind} {} c", STANDARD.encode(blob))
    }

    fn rsa_modulus(bits: usize) -> Vec<u8> {
        let mut n = vec![0xffu8; bits / 8];
        n.insert(0, 0);
        n
    }

    #[test]
    fn openssh_keys() {
        assert_eq!(parse(ED25519).map(|k| k.info), Ok(KeyInfo::Ed25519));
        let rsa = ssh("ssh-rsa", &[&[1, 0, 1], &rsa_modulus(4096)]);
        let info = parse(&rsa).expect("rsa").info;
        assert_eq!(
            info,
            KeyInfo::Rsa {
                bits: 4096,
                ssh: true
            }
        );
        assert!(info.weakness().is_some_and(|w| w.contains("ssh-rsa")));
        let dss = ssh("ssh-dss", &[b"p", b"q", b"g", b"y"]);
        assert!(parse(&dss).expect("dss").info.weakness().is_some());
    }

    #[test]
    fn pem_keys() {
        let p256 = parse(ECDSA_PEM).expect("p256");
        assert_eq!(p256.info, KeyInfo::Ecdsa("nistp256"));
        assert!(p256.info.weakness().is_none());
        // PKCS#1, 2048 bits: weak.
        let n = rsa_modulus(2048);
        let mut seq = vec![0x02, 0x82, (n.len() >> 8) as u8, n.len() as u8];
        seq.extend(&n);
        seq.extend([0x02, 0x03, 1, 0, 1]);
        let mut der = vec![0x30, 0x82, (seq.len() >> 8) as u8, seq.len() as u8];
        der.extend(seq);
        let pem = format!(
            "-----BEGIN RSA PUBLIC KEY-----\n{}\n-----END RSA PUBLIC KEY-----",
            STANDARD.encode(der)
        );
        let info = parse(&pem).expect("rsa").info;
        assert_eq!(
            info,
            KeyInfo::Rsa {
                bits: 2048,
                ssh: false
            }
        );
        assert!(info.weakness().is_some_and(|w| w.contains("2048")));
    }

    #[test]
    fn hostile_input_is_an_error_not_a_panic() {
        for bad in [
            "",
            "ssh-ed25519",
            "ssh-ed25519 !!!!",
            "ssh-ed25519 AAAA",
            "ssh-ed25519 AAAAB3NzaC1yc2E=",
            "ssh-foo AAAAB3NzaC1yc2E=",
            "-----BEGIN PUBLIC KEY-----\nMA==\n-----END PUBLIC KEY-----",
            "-----BEGIN PUBLIC KEY-----\n/////w==\n-----END PUBLIC KEY-----",
            "-----BEGIN PUBLIC KEY-----\nMFkw\n",
            "-----BEGIN CERTIFICATE-----\nMA==\n-----END CERTIFICATE-----",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_same_key_written_twice_compares_equal() {
        let a = parse(ED25519).expect("key");
        let b = parse(&ED25519.replace("deploy@example", "other comment")).expect("key");
        assert_eq!(a.canonical, b.canonical);
        // `ssh-keygen -e -f key.pub` (RFC 4716) and `ssh-keygen -e -m PKCS8`.
        let rfc4716 = "---- BEGIN SSH2 PUBLIC KEY ----\nComment: \"256-bit ED25519, converted by \\\nroot@host\"\nAAAAC3NzaC1lZDI1NTE5AAAAICsTfzLkq0XjptuZQ3H/5E4JFgIRfNYSbo73mObvikmk\n---- END SSH2 PUBLIC KEY ----\n";
        assert_eq!(parse(rfc4716).expect("rfc4716").canonical, a.canonical);
        let pem = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAKxN/MuSrReOm25lDcf/kTgkWAhF81hJujveY5u+KSaQ=\n-----END PUBLIC KEY-----\n";
        assert_eq!(parse(pem).expect("pem").canonical, a.canonical);
    }
}
