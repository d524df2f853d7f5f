//! `weak-key` and `invalid-public-key`: declared public keys must be strong
//! and readable. OWASP NHI4, insecure authentication.
//!
//! Why: a deploy key or a signing key is only as strong as its algorithm.
//! RSA under 3072 bits falls short of 128-bit security, `ssh-rsa` means SHA-1
//! signatures that OpenSSH disables by default, and DSA is deprecated. A key
//! tenure cannot parse is refused too, since its strength cannot be judged,
//! and a SigningKey whose PEM does not hold the declared `algorithm` would
//! never verify.
//!
//! Example: `key: {publicKey: "ssh-rsa AAAAB3NzaC1yc2E... deploy"}`.

use super::{Check, Rule};
use crate::check::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::keys::{self, KeyInfo};
use crate::model::{Declaration, KeyAlgorithm};
use crate::registry::Entry;

pub(crate) const RULE: Rule = Rule {
    name: "weak_key",
    source: include_str!("weak_key.rs"),
    codes: &[Code::WeakKey, Code::InvalidPublicKey],
    check: Check::Entry(check),
    needs_settings: false,
};

fn check(_cx: &Context<'_>, entry: &Entry, out: &mut Vec<Diagnostic>) {
    let (field, key, declared) = match &entry.declaration {
        Declaration::Identity(identity) => match &identity.spec.key {
            Some(key) => ("spec.key.publicKey", &key.public_key, None),
            None => return,
        },
        Declaration::SigningKey(key) => match &key.spec.public_key {
            Some(pk) => ("spec.publicKey.pem", &pk.pem, Some(pk.algorithm.value)),
            None => return,
        },
        Declaration::Team(_) => return,
    };
    let name = entry.declaration.name();
    let parsed = match keys::parse(&key.value) {
        Ok(parsed) => parsed,
        Err(why) => {
            out.push(
                Diagnostic::new(
                    Code::InvalidPublicKey,
                    format!("`{field}` of `{name}` is not a public key tenure can read: {why}"),
                )
                .at(entry.file, key.span, "not a readable public key")
                .with_note("help: paste the public key as `ssh-keygen -y -f KEY` or `openssl pkey -pubout` prints it"),
            );
            return;
        }
    };
    if let Some(algorithm) = declared {
        let matches = matches!(
            (algorithm, &parsed.info),
            (KeyAlgorithm::Ed25519, KeyInfo::Ed25519)
                | (KeyAlgorithm::EcdsaP256, KeyInfo::Ecdsa("nistp256"))
        );
        if !matches && parsed.info.weakness().is_none() {
            out.push(
                Diagnostic::new(
                    Code::InvalidPublicKey,
                    format!(
                        "`{field}` of `{name}` holds an {} key, not the declared `{}`",
                        parsed.info.name(),
                        match algorithm {
                            KeyAlgorithm::Ed25519 => "ed25519",
                            KeyAlgorithm::EcdsaP256 => "ecdsa-p256",
                        }
                    ),
                )
                .at(entry.file, key.span, "another algorithm")
                .with_note("signatures would never verify against this declaration; fix `algorithm` or the key"),
            );
            return;
        }
    }
    if let Some(why) = parsed.info.weakness() {
        out.push(
            Diagnostic::new(Code::WeakKey, format!("`{name}` declares {why}"))
                .at(entry.file, key.span, "weak key")
                .with_note("help: use an Ed25519 key (`ssh-keygen -t ed25519`) or ECDSA P-256; a PEM RSA key needs at least 3072 bits"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::keys::tests::{ECDSA_PEM, ED25519};
    use crate::rules::testing::{codes, identity};

    fn deploy_key(public_key: &str) -> String {
        identity(
            "k",
            "2026-01-01",
            "2027-01-01",
            &format!("  key:\n    publicKey: \"{public_key}\"\n"),
        )
        .replace("type: api-key", "type: deploy-key")
    }

    #[test]
    fn strong_keys_pass() {
        assert_eq!(codes(&[("k.yaml", &deploy_key(ED25519))]), vec![]);
        let pem = ECDSA_PEM.replace('\n', "\\n");
        assert_eq!(codes(&[("k.yaml", &deploy_key(&pem))]), vec![]);
    }

    #[test]
    fn weak_and_unreadable_keys_fail() {
        // A 1024-bit ssh-rsa key made with `ssh-keygen -t rsa -b 1024`.
        let rsa = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDr5A4elfmsguWmAnDiQEc7dQhV34LMG8R0XLN95HAb5pkhQwWaUP2uYBi+H9zju2G7sigyRxw0rdowZtV/iCNrvUKRStbzw50wIb+6UpWwacVYGA+v2esKuTWWrnKOpD0C9zVZp89ut2e4fNXBZPcJpet836x8nD/jwas/hBJdOw== old";
        assert_eq!(codes(&[("k.yaml", &deploy_key(rsa))]), vec![Code::WeakKey]);
        assert_eq!(
            codes(&[("k.yaml", &deploy_key("ssh-ed25519 not-base64"))]),
            vec![Code::InvalidPublicKey]
        );
    }
}
