//! Secret scanning (OWASP NHI2): private keys, credentials with a known
//! format and high-entropy strings anywhere in a file, comments included.
//!
//! The scan runs on the raw text before YAML parsing. Every secret found is
//! overwritten byte for byte in the text tenure keeps, so no renderer, in any
//! format, can print it; the finding names only the kind of secret.

use std::sync::LazyLock;

use regex::Regex;

use crate::span::Span;

/// What sort of secret was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SecretKind {
    /// `-----BEGIN ... PRIVATE KEY-----` and its body.
    PrivateKey,
    /// An AWS access key id (`AKIA...`, `ASIA...`).
    AwsAccessKey,
    /// A GitHub token (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`, `github_pat_`).
    GithubToken,
    /// A JSON Web Token (an OIDC token, a session).
    Jwt,
    /// A Slack token (`xoxb-`, `xoxp-`, ...).
    SlackToken,
    /// A Google API key (`AIza...`).
    GoogleApiKey,
    /// A Stripe live secret or restricted key.
    StripeKey,
    /// A GitLab personal access token (`glpat-`).
    GitlabToken,
    /// An npm or PyPI publishing token.
    PackageToken,
    /// A long random-looking string: likely a password, an API key or an AWS
    /// secret access key.
    HighEntropy,
}

impl SecretKind {
    /// How the finding names it.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Self::PrivateKey => "a private key",
            Self::AwsAccessKey => "an AWS access key id",
            Self::GithubToken => "a GitHub token",
            Self::Jwt => "a JSON Web Token",
            Self::SlackToken => "a Slack token",
            Self::GoogleApiKey => "a Google API key",
            Self::StripeKey => "a Stripe secret key",
            Self::GitlabToken => "a GitLab token",
            Self::PackageToken => "a package registry token",
            Self::HighEntropy => "a high-entropy string that looks like a secret",
        }
    }
}

/// A secret found in a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Found {
    /// Where it is: for a private key the header line, otherwise the secret itself.
    pub(crate) span: Span,
    /// What it is.
    pub(crate) kind: SecretKind,
}

/// Credential formats, each anchored on a vendor prefix so that ordinary text
/// never matches. Word boundaries keep a prefix inside a longer word out.
const KNOWN: &[(SecretKind, &str)] = &[
    (SecretKind::AwsAccessKey, r"\b(?:AKIA|ASIA)[A-Z2-7]{16}\b"),
    (
        SecretKind::GithubToken,
        r"\b(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{22,255})\b",
    ),
    (
        SecretKind::Jwt,
        r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*",
    ),
    (SecretKind::SlackToken, r"\bxox[abposr]-[A-Za-z0-9-]{10,}"),
    (SecretKind::GoogleApiKey, r"\bAIza[0-9A-Za-z_-]{35}\b"),
    (
        SecretKind::StripeKey,
        r"\b(?:sk|rk)_live_[0-9A-Za-z]{20,}\b",
    ),
    (SecretKind::GitlabToken, r"\bglpat-[0-9A-Za-z_-]{20,}\b"),
    (
        SecretKind::PackageToken,
        r"\b(?:npm_[A-Za-z0-9]{36}\b|pypi-AgE[A-Za-z0-9_-]{50,})",
    ),
];

/// All formats as one regex with a group per kind: one pass over each file,
/// with the literal prefixes as a prefilter, since every file is scanned.
static KNOWN_RE: LazyLock<Regex> = LazyLock::new(|| {
    let alternation: Vec<String> = KNOWN.iter().map(|(_, re)| format!("({re})")).collect();
    Regex::new(&alternation.join("|")).expect("secret patterns compile")
});

/// Shortest run considered for the entropy test.
const MIN_ENTROPY_LEN: usize = 32;
/// Bits per character a random-looking run must reach. Random base64 of 32
/// characters scores about 4.6 and hex digests at most 4.0.
const ENTROPY_THRESHOLD: f64 = 4.0;
/// Share of adjacent letter and digit pairs that switch between upper case,
/// lower case and digits. About 0.65 in random base64; camel-case and
/// kebab-case names (`ReadOnlyAccess2026`, `MyApp-Key-v2`) stay near 0.3.
const SWITCH_THRESHOLD: f64 = 0.4;

/// Scan `text`, blank every secret out of it (keeping byte offsets and line
/// breaks), and return the redacted text and what was found, in file order.
pub(crate) fn scan(text: String) -> (String, Vec<Found>) {
    let mut found = private_keys(&text);
    let public = public_blocks(&text);
    let inside = |spans: &[Span], at: usize| {
        spans
            .iter()
            .any(|s| (s.start as usize) <= at && at < s.end as usize)
    };
    // Each private key's body, blanked below with the rest.
    let blanked: Vec<Span> = found
        .iter()
        .map(|f| blank_range(text.as_bytes(), f.span))
        .collect();
    for caps in KNOWN_RE.captures_iter(&text) {
        let Some((i, m)) = caps
            .iter()
            .skip(1)
            .enumerate()
            .find_map(|(i, m)| m.map(|m| (i, m)))
        else {
            continue;
        };
        if !inside(&blanked, m.start()) {
            found.push(Found {
                span: Span::new(m.start(), m.end()),
                kind: KNOWN[i].0,
            });
        }
    }
    for (start, end) in runs(&text) {
        let run = &text[start..end];
        if run.len() < MIN_ENTROPY_LEN
            || inside(&blanked, start)
            || inside(&public, start)
            || found
                .iter()
                .any(|f| (f.span.start as usize) < end && start < f.span.end as usize)
            || follows_public_key_type(&text, start)
            || in_url(&text, start, end)
            || !looks_random(run)
        {
            continue;
        }
        found.push(Found {
            span: Span::new(start, end),
            kind: SecretKind::HighEntropy,
        });
    }
    if found.is_empty() {
        return (text, found);
    }
    found.sort_by_key(|f| f.span.start);
    let mut bytes = text.into_bytes();
    let others = found
        .iter()
        .filter(|f| f.kind != SecretKind::PrivateKey)
        .map(|f| f.span);
    for range in blanked.iter().copied().chain(others) {
        for b in &mut bytes[range.start as usize..range.end as usize] {
            if *b != b'\n' && *b != b'\r' && *b != b' ' {
                *b = b'*';
            }
        }
    }
    // Whole characters were replaced by ASCII (every byte of a multi-byte
    // character becomes `*`), so the text is still UTF-8.
    let text = String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    (text, found)
}

/// PEM and OpenSSH private key headers (`-----BEGIN ... PRIVATE KEY-----`).
/// The span is the header; [`blank_range`] gives what to blank.
fn private_keys(text: &str) -> Vec<Found> {
    const MARKER: &str = "PRIVATE KEY";
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(found) = find(&bytes[from..], MARKER.as_bytes()).map(|i| i + from) {
        from = found + MARKER.len();
        // Only a PEM header counts: `-----BEGIN` shortly before the marker, on its line.
        let window_start = found.saturating_sub(48);
        let Some(begin) =
            find(&bytes[window_start..found], b"-----BEGIN").map(|i| i + window_start)
        else {
            continue;
        };
        if bytes[begin..found].contains(&b'\n') {
            continue;
        }
        let header_end = found
            + MARKER.len()
            + bytes[found + MARKER.len()..]
                .iter()
                .take_while(|&&b| b == b'-')
                .count();
        out.push(Found {
            span: Span::new(begin, header_end),
            kind: SecretKind::PrivateKey,
        });
        let blank = blank_range(bytes, Span::new(begin, header_end));
        from = (blank.end as usize).max(from);
    }
    out
}

/// For a private key header, everything after it up to the end of the line
/// holding the matching `-----END` (or the end of the file): the key body,
/// whether written as a block or as one quoted line with `\n` escapes.
fn blank_range(bytes: &[u8], header: Span) -> Span {
    let header_end = header.end as usize;
    let end = find(&bytes[header_end..], b"-----END")
        .map(|i| header_end + i)
        .map(|i| find(&bytes[i..], b"\n").map_or(bytes.len(), |j| i + j))
        .unwrap_or(bytes.len());
    Span::new(header_end, end)
}

/// Public PEM blocks (keys, certificates) and RFC 4716 SSH public keys
/// (`---- BEGIN SSH2 PUBLIC KEY ----`): base64 that is meant to be there.
fn public_blocks(text: &str) -> Vec<Span> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(begin) =
        find(&bytes[from..], b"---- BEGIN SSH2 PUBLIC KEY ----").map(|i| i + from)
    {
        let end = find(&bytes[begin..], b"---- END SSH2 PUBLIC KEY ----")
            .map_or(bytes.len(), |i| begin + i);
        out.push(Span::new(begin, end));
        from = end.max(begin + 1);
    }
    let mut from = 0;
    while let Some(begin) = find(&bytes[from..], b"-----BEGIN ").map(|i| i + from) {
        let line_end = bytes[begin..]
            .iter()
            .position(|&b| b == b'\n' || b == b'\\')
            .map_or(bytes.len(), |i| begin + i);
        let header = &text[begin..line_end];
        from = line_end;
        if !(header.contains("PUBLIC KEY") || header.contains("CERTIFICATE")) {
            continue;
        }
        let end = find(&bytes[line_end..], b"-----END")
            .map_or(bytes.len(), |i| line_end + i + "-----END".len());
        out.push(Span::new(begin, end));
        from = end;
    }
    out
}

/// Maximal runs of characters that secrets are made of.
fn runs(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let is_token =
        |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'_' | b'-');
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() && !is_token(bytes[i]) {
            i += 1;
        }
        if i >= bytes.len() {
            return None;
        }
        let start = i;
        while i < bytes.len() && is_token(bytes[i]) {
            i += 1;
        }
        Some((start, i))
    })
}

/// Whether the run is the base64 body of an OpenSSH public key line
/// (`ssh-ed25519 AAAA...`, `ecdsa-sha2-nistp256 AAAA...`, `sk-ssh-...`) or
/// a key fingerprint (`SHA256:...`).
fn follows_public_key_type(text: &str, start: usize) -> bool {
    let prefix = &text[..start];
    if ["SHA256:", "SHA384:", "SHA512:"]
        .iter()
        .any(|p| prefix.ends_with(p))
    {
        return true;
    }
    let before = prefix.trim_end_matches(' ');
    if before.len() == text[..start].len() {
        return false;
    }
    let word_start = before
        .rfind(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ':' | '['))
        .map_or(0, |i| i + 1);
    let word = &before[word_start..];
    word.starts_with("ssh-") || word.starts_with("ecdsa-sha2-") || word.starts_with("sk-")
}

/// Whether the run is a hex id inside an `http(s)://` URL, such as an EKS
/// cluster's issuer (`https://oidc.eks.REGION.amazonaws.com/id/0F61...`).
/// Other random-looking URL parts (a webhook's token) are still secrets, and
/// so is anything in a URL with `user:password@`.
fn in_url(text: &str, start: usize, end: usize) -> bool {
    let last_segment = text[start..end].rsplit('/').next().unwrap_or_default();
    if last_segment.is_empty() || !last_segment.bytes().all(|b| b.is_ascii_hexdigit()) {
        return false;
    }
    let token_start = text[..start]
        .rfind(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '[' | ',' | '{'))
        .map_or(0, |i| i + 1);
    let token_end = text[start..]
        .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ']' | ',' | '}'))
        .map_or(text.len(), |i| start + i);
    let token = &text[token_start..token_end];
    (token.starts_with("https://") || token.starts_with("http://")) && !token.contains('@')
}

/// Mixed case and digits, high Shannon entropy per character, and character
/// classes that switch as often as in random text. Entropy alone flags long
/// camel-case names, whose entropy grows with their length.
fn looks_random(run: &str) -> bool {
    let bytes = run.as_bytes();
    if !(bytes.iter().any(u8::is_ascii_uppercase)
        && bytes.iter().any(u8::is_ascii_lowercase)
        && bytes.iter().any(u8::is_ascii_digit))
    {
        return false;
    }
    let class = |b: u8| match b {
        b'A'..=b'Z' => Some(0),
        b'a'..=b'z' => Some(1),
        b'0'..=b'9' => Some(2),
        _ => None,
    };
    let (mut pairs, mut switches) = (0u32, 0u32);
    for w in bytes.windows(2) {
        if let (Some(a), Some(b)) = (class(w[0]), class(w[1])) {
            pairs += 1;
            switches += u32::from(a != b);
        }
    }
    pairs > 0
        && f64::from(switches) / f64::from(pairs) >= SWITCH_THRESHOLD
        && entropy(bytes) >= ENTROPY_THRESHOLD
}

fn entropy(bytes: &[u8]) -> f64 {
    let mut counts = [0u32; 256];
    for &b in bytes {
        counts[usize::from(b)] += 1;
    }
    let n = bytes.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<SecretKind> {
        scan(text.to_owned())
            .1
            .into_iter()
            .map(|f| f.kind)
            .collect()
    }

    // Test values are assembled at run time so that this source file does not
    // itself trip secret scanners.
    fn fake(prefix: &str, body: &str, n: usize) -> String {
        format!("{prefix}{}", body.repeat(n))
    }

    #[test]
    fn known_formats_are_found_and_blanked() {
        let cases = [
            (
                fake("AKIA", "Q3EXAMPLE7", 2)[..20].to_owned(),
                SecretKind::AwsAccessKey,
            ),
            (fake("ghp_", "a1B2c3D4e5F6", 3), SecretKind::GithubToken),
            (
                fake("github_pat_", "11ABCDEFG0", 4),
                SecretKind::GithubToken,
            ),
            (
                format!(
                    "{}.{}.sig_nature",
                    fake("eyJ", "hbGciOi", 2),
                    fake("eyJ", "zdWIiOi", 2)
                ),
                SecretKind::Jwt,
            ),
            (fake("xoxb-", "1234-abcd", 3), SecretKind::SlackToken),
            (
                fake("AIza", "SyA1b2C3d4", 4)[..39].to_owned(),
                SecretKind::GoogleApiKey,
            ),
            (fake("sk_live_", "4eC39HqLyjWD", 3), SecretKind::StripeKey),
            (fake("glpat-", "xY12zW34", 3), SecretKind::GitlabToken),
            (
                fake("npm_", "aB3dE6gH9j", 4)[..40].to_owned(),
                SecretKind::PackageToken,
            ),
        ];
        for (secret, kind) in cases {
            let text = format!("description: token {secret} here\n");
            let (redacted, found) = scan(text.clone());
            assert_eq!(found.len(), 1, "{kind:?} in {text:?}: {found:?}");
            assert_eq!(found[0].kind, kind, "{text:?}");
            assert!(!redacted.contains(&secret), "{kind:?} not blanked");
            assert_eq!(redacted.len(), text.len(), "offsets kept");
            assert!(redacted.starts_with("description: token *"));
        }
    }

    #[test]
    fn an_aws_secret_key_is_caught_by_entropy() {
        let secret = "q8Zk2Lw9/Xv4Rt7Mn3Bp6Yh1Jc5Df0Gs+Ea2Wu8Ni";
        let (redacted, found) = scan(format!("# aws_secret_access_key = {secret}\n"));
        assert_eq!(
            found.iter().map(|f| f.kind).collect::<Vec<_>>(),
            vec![SecretKind::HighEntropy]
        );
        assert!(!redacted.contains("q8Zk2"));
    }

    #[test]
    fn a_private_key_body_is_blanked_even_on_one_quoted_line() {
        let text = "publicKey: \"-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU\\n-----END OPENSSH PRIVATE KEY-----\"\nnext: 1\n";
        let (redacted, found) = scan(text.to_owned());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, SecretKind::PrivateKey);
        assert!(!redacted.contains("b3Blbn"), "{redacted}");
        assert!(redacted.ends_with("\nnext: 1\n"));
    }

    #[test]
    fn public_material_and_ordinary_text_are_not_secrets() {
        let ok = [
            "publicKey: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ci@example\n",
            "publicKey: ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBEmKSENjQEezOmxkZMy7opKgwFB9nkt5YRrYMjNuG5N87uRgg6CLrbo5wAdT\n",
            "pem: |\n  -----BEGIN PUBLIC KEY-----\n  MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE7Tbv6Yq9Hj3kX2Lf0R1pZ8sN4dC6vB5mQ2wE9rT1yU3iO7pA4sD6fG8hJ0kL2zX5cV7bN9mQ1wE3rT5yU7iO9pA==\n  -----END PUBLIC KEY-----\n",
            "commit: 9f2c3e1b7a4d5c6e8f9a0b1c2d3e4f5a6b7c8d9e\n",
            "digest: sha256:3b8a1f9e2c7d4b6a5e8f0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f\n",
            "subjectPattern: ^repo:tenure-dev/tenure:ref:refs/tags/v[0-9]+\\.[0-9]+\\.[0-9]+$\n",
            "name: payments-production-deploy-key-for-the-billing-service\n",
            "policy: arn:aws:iam::123456789012:policy/ReadOnlyAccessForDeployments2026\n",
            "description: The words PRIVATE KEY and ghp_ and AKIA alone are fine.\n",
            "id: 123e4567-e89b-12d3-a456-426614174000\n",
            "issuer: https://oidc.eks.eu-west-1.amazonaws.com/id/0F61C3B4A7E2D9F85B1C6A3E7D2F9B4C\n",
            "fingerprint: SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8\n",
            "publicKey: |\n  ---- BEGIN SSH2 PUBLIC KEY ----\n  Comment: \"256-bit ED25519, converted\"\n  AAAAC3NzaC1lZDI1NTE5AAAAICsTfzLkq0XjptuZQ3H/5E4JFgIRfNYSbo73mObvikmk\n  ---- END SSH2 PUBLIC KEY ----\n",
            "role: arn:aws:iam::123456789012:role/GithubActionsDeployRoleProduction2026\n",
            "description: ReadOnlyAccessForDeploymentsOfTheBillingService2026\n",
            "label: MyApp-Production-Key-2026-v2-Rotation-Q3-Final-Release\n",
        ];
        for text in ok {
            assert_eq!(kinds(text), vec![], "{text}");
        }
    }

    #[test]
    fn a_token_in_a_url_path_is_still_a_secret() {
        let text =
            "hook: https://hooks.example.com/services/q8Zk2Lw9Xv4Rt7Mn3Bp6Yh1Jc5Df0GsEa2Wu8Ni\n";
        assert_eq!(kinds(text), vec![SecretKind::HighEntropy]);
    }

    #[test]
    fn a_password_in_a_url_is_still_a_secret() {
        let text =
            "url: https://deploy:q8Zk2Lw9Xv4Rt7Mn3Bp6Yh1Jc5Df0GsEa2Wu8Ni@git.example.com/x\n";
        assert_eq!(kinds(text), vec![SecretKind::HighEntropy]);
    }

    #[test]
    fn a_prefix_inside_a_longer_word_is_not_a_token() {
        let text = format!("x: not{}\n", fake("ghp_", "abc", 12));
        assert!(!kinds(&text).contains(&SecretKind::GithubToken));
    }
}
