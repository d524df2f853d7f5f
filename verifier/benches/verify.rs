//! The per-core ceiling of bundle verification: how many bundles one core
//! verifies per second once the process is up, and the raw costs that make
//! up one verification.
//!
//! ```sh
//! cargo bench -p tenure-verifier --bench verify
//! ```
//!
//! Everything runs on the calling thread, one operation after another. Each
//! row is timed in batches: the batch size is calibrated so that a batch
//! lasts about `TENURE_BENCH_BATCH_MS` (default 100 ms), one batch is thrown
//! away as a warm-up, then `TENURE_BENCH_BATCHES` (default 11) are timed;
//! the row shows the median and the fastest batch, per operation.
//!
//! Rows:
//!
//! - `TrustRoot::production()`: parse the embedded Sigstore production
//!   trusted root and prepare the verifier (once per `tenure verify` process).
//! - `Bundle::from_slice`: parse the conformance suite's `happy-path-v0.3`
//!   bundle (a real production-signed v0.3 bundle, hashedrekord, Rekor v1).
//! - `TrustRoot::verify_keyless`: verify that parsed bundle against
//!   `a.txt` (certificate chain, SCT, SET, inclusion proof and checkpoint,
//!   signature over the artifact, claims extracted); then parse + verify, the
//!   per-bundle work of `tenure verify` apart from reading the files and the
//!   registry policy.
//! - The ECDSA verifications inside it, through sigstore-crypto on aws-lc-rs
//!   (`sigstore_verify::crypto::verify_signature`, which parses the SPKI and
//!   verifies, as sigstore-verify calls it). One keyless verification of this
//!   bundle makes five P-256 verifications (the signature over the artifact,
//!   the SCT, the checkpoint, and the SET twice: sigstore-verify 0.15.1
//!   checks it when it takes the integrated time and again with the
//!   inclusion proof) and one P-384 (the leaf certificate under the Fulcio
//!   intermediate, ECDSA with SHA-384; counted with callgrind). P-256 is
//!   a key generated here (`KeyPair::generate_ecdsa_p256`, which is all
//!   `KeyPair` generates); P-384 is the bundle's real leaf certificate
//!   (`tbsCertificate` and signature) verified with the key of the Fulcio
//!   certificate in the trusted root that signed it, since `KeyPair` cannot
//!   make P-384 keys.
//!
//! - The registry side of `tenure verify`, which runs beside the bundles:
//!   `tenure_schema::registry::load` + `RegistryPolicy::new` on
//!   `TENURE_BENCH_REGISTRY` (default: the repository's `identities/`). The
//!   first load in a process compiles the JSON Schema validator of each kind
//!   it meets (kept in a `OnceLock` after); a second load reuses them, so
//!   first minus second is what compiling the schemas costs. Each sample is
//!   a fresh child process (this binary again), `TENURE_BENCH_PROCESSES` of
//!   them (default 15), on one rayon thread and on the default pool; the
//!   system allocator here, mimalloc in `tenure`.
//!
//! Under `cargo test` (no `--bench` argument) every row runs a few times as a
//! smoke test and nothing is timed.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sigstore_verify::crypto::{KeyAlgorithm, KeyPair, SigningScheme, verify_signature};
use sigstore_verify::trust_root::{SIGSTORE_PRODUCTION_TRUSTED_ROOT, TrustedRoot};
use sigstore_verify::types::bundle::VerificationMaterialContent;
use sigstore_verify::types::{DerPublicKey, SignatureBytes};
use tenure_schema::registry::{LoadOptions, load};
use tenure_verifier::{Artifact, Bundle, RegistryPolicy, TrustRoot};

const BUNDLE: &[u8] =
    include_bytes!("../tests/data/conformance/happy-path-v0.3/bundle.sigstore.json");
const ARTIFACT: &[u8] = include_bytes!("../tests/data/conformance/a.txt");

/// Median and fastest batch, per operation.
#[derive(Clone, Copy, Debug)]
struct Stats {
    median: Duration,
    min: Duration,
    per_batch: u64,
}

#[derive(Clone, Copy, Debug)]
struct Config {
    timed: bool,
    batches: usize,
    batch: Duration,
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Time `f` in batches (see the file comment).
fn time<T>(cfg: Config, mut f: impl FnMut() -> T) -> Stats {
    if !cfg.timed {
        for _ in 0..3 {
            black_box(f());
        }
        return Stats {
            median: Duration::ZERO,
            min: Duration::ZERO,
            per_batch: 3,
        };
    }
    // Calibrate: double the batch until it lasts a tenth of the target.
    let mut n: u64 = 1;
    loop {
        let t0 = Instant::now();
        for _ in 0..n {
            black_box(f());
        }
        let took = t0.elapsed();
        if took >= cfg.batch / 10 || n >= 1 << 30 {
            let per = took.as_secs_f64() / n as f64;
            n = ((cfg.batch.as_secs_f64() / per).ceil() as u64).max(1);
            break;
        }
        n *= 2;
    }
    let mut run = || {
        let t0 = Instant::now();
        for _ in 0..n {
            black_box(f());
        }
        t0.elapsed() / u32::try_from(n).unwrap_or(u32::MAX)
    };
    run(); // warm-up batch
    let mut per_op: Vec<Duration> = (0..cfg.batches).map(|_| run()).collect();
    per_op.sort();
    Stats {
        median: per_op[per_op.len() / 2],
        min: per_op[0],
        per_batch: n,
    }
}

fn row(cfg: Config, name: &str, s: Stats) {
    if !cfg.timed {
        println!("{name:<66} ok");
        return;
    }
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    println!(
        "{name:<66} {:>10.1} {:>10.1} {:>12.0} {:>9}",
        us(s.median),
        us(s.min),
        1.0 / s.median.as_secs_f64(),
        s.per_batch
    );
}

/// One DER element: (tag, contents, the whole element, what follows it).
fn der(input: &[u8]) -> (u8, &[u8], &[u8], &[u8]) {
    let tag = input[0];
    let first = input[1];
    let (len, header) = if first < 0x80 {
        (usize::from(first), 2)
    } else {
        let n = usize::from(first & 0x7f);
        let len = input[2..2 + n]
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
        (len, 2 + n)
    };
    let end = header + len;
    (tag, &input[header..end], &input[..end], &input[end..])
}

/// A certificate's `tbsCertificate` (whole element) and signature bytes.
fn tbs_and_signature(cert: &[u8]) -> (&[u8], &[u8]) {
    let (_, body, _, _) = der(cert);
    let (_, _, tbs, rest) = der(body);
    let (_, _, _alg, rest) = der(rest);
    let (tag, bits, _, _) = der(rest);
    assert_eq!(tag, 0x03, "signatureValue is a BIT STRING");
    (tbs, &bits[1..]) // skip the unused-bits byte
}

/// A certificate's SubjectPublicKeyInfo (whole element).
fn spki(cert: &[u8]) -> &[u8] {
    let (_, body, _, _) = der(cert);
    let (_, mut fields, _, _) = der(body);
    if fields[0] == 0xa0 {
        fields = der(fields).3; // [0] version
    }
    // serial, signature algorithm, issuer, validity, subject
    for _ in 0..5 {
        fields = der(fields).3;
    }
    der(fields).2
}

/// In a child process: load the registry twice, print the nanoseconds of the
/// first load, of the first load + policy, and of the second load.
fn registry_child(root: &Path) {
    let options = LoadOptions::default();
    let t0 = Instant::now();
    let registry = load(root, &options).expect("load the registry");
    let first = t0.elapsed();
    let policy = RegistryPolicy::new(&registry).expect("the registry serves as policy");
    let first_policy = t0.elapsed();
    let t1 = Instant::now();
    let again = load(root, &options).expect("load the registry again");
    let second = t1.elapsed();
    black_box((&policy, &again));
    println!(
        "{} {} {}",
        first.as_nanos(),
        first_policy.as_nanos(),
        second.as_nanos()
    );
}

/// Medians over `processes` children: (first load, first load + policy,
/// second load).
fn registry_samples(
    root: &Path,
    processes: usize,
    threads: Option<usize>,
) -> (Duration, Duration, Duration) {
    let exe = std::env::current_exe().expect("this bench's path");
    let mut cols: [Vec<u64>; 3] = Default::default();
    for _ in 0..processes {
        let mut cmd = std::process::Command::new(&exe);
        cmd.env("TENURE_BENCH_REGISTRY_CHILD", root);
        match threads {
            Some(n) => cmd.env("RAYON_NUM_THREADS", n.to_string()),
            None => cmd.env_remove("RAYON_NUM_THREADS"),
        };
        let out = cmd.output().expect("run a child");
        assert!(out.status.success(), "the child failed: {out:?}");
        let text = String::from_utf8(out.stdout).expect("UTF-8");
        for (col, v) in cols.iter_mut().zip(text.split_whitespace()) {
            col.push(v.parse().expect("nanoseconds"));
        }
    }
    let median = |v: &mut Vec<u64>| {
        v.sort_unstable();
        Duration::from_nanos(v[v.len() / 2])
    };
    let [a, b, c] = &mut cols;
    (median(a), median(b), median(c))
}

fn main() {
    if let Some(root) = std::env::var_os("TENURE_BENCH_REGISTRY_CHILD") {
        registry_child(Path::new(&root));
        return;
    }
    let cfg = Config {
        timed: std::env::args().any(|a| a == "--bench"),
        batches: env_or("TENURE_BENCH_BATCHES", 11usize).max(1),
        batch: Duration::from_millis(env_or("TENURE_BENCH_BATCH_MS", 100u64).max(1)),
    };

    let root = TrustRoot::production().expect("the embedded production root");
    let bundle = Bundle::from_slice(BUNDLE).expect("the conformance bundle parses");
    root.verify_keyless(&bundle, Artifact::Bytes(ARTIFACT))
        .expect("the conformance bundle verifies");

    // P-256: a fresh key, a message of the size of a small signed payload.
    let message = [0x5au8; 256];
    let p256 = KeyPair::generate_ecdsa_p256().expect("a P-256 key");
    let p256_key = p256.public_key_der().expect("its SPKI");
    let p256_sig = p256.sign(&message).expect("a signature");
    verify_signature(
        &p256_key,
        &message,
        &p256_sig,
        SigningScheme::EcdsaP256Sha256,
    )
    .expect("P-256 verifies");

    // P-384: the bundle's leaf certificate, signed by a Fulcio certificate of
    // the trusted root.
    let parsed = sigstore_verify::types::Bundle::from_json(
        std::str::from_utf8(BUNDLE).expect("the bundle is UTF-8"),
    )
    .expect("the bundle parses");
    let leaf = match &parsed.verification_material.content {
        VerificationMaterialContent::Certificate(c) => c.raw_bytes.as_bytes().to_vec(),
        VerificationMaterialContent::X509CertificateChain { certificates } => {
            certificates[0].raw_bytes.as_bytes().to_vec()
        }
        _ => panic!("the conformance bundle carries a certificate"),
    };
    let (tbs, leaf_sig) = tbs_and_signature(&leaf);
    let leaf_sig = SignatureBytes::new(leaf_sig.to_vec());
    let trusted =
        TrustedRoot::from_json(SIGSTORE_PRODUCTION_TRUSTED_ROOT).expect("the production root");
    let p384_key = trusted
        .fulcio_certs()
        .iter()
        .map(|c| DerPublicKey::new(spki(c.as_bytes()).to_vec()))
        .find(|k| {
            KeyAlgorithm::from_spki(k).ok() == Some(KeyAlgorithm::EcdsaP384)
                && verify_signature(k, tbs, &leaf_sig, SigningScheme::EcdsaP384Sha384).is_ok()
        })
        .expect("a P-384 Fulcio certificate of the trusted root signed the leaf");

    if cfg.timed {
        println!(
            "single thread; {} timed batches of about {} ms after a warm-up batch; microseconds per operation",
            cfg.batches,
            cfg.batch.as_millis()
        );
        println!();
        println!(
            "{:<66} {:>10} {:>10} {:>12} {:>9}",
            "operation", "median", "min", "ops/s", "per batch"
        );
    }

    let production = time(cfg, || TrustRoot::production().expect("root"));
    row(
        cfg,
        "TrustRoot::production() (parse + prepare, once per process)",
        production,
    );
    let parse = time(cfg, || Bundle::from_slice(BUNDLE).expect("parse"));
    row(cfg, "Bundle::from_slice (10 KiB v0.3 bundle)", parse);
    let verify = time(cfg, || {
        root.verify_keyless(&bundle, Artifact::Bytes(ARTIFACT))
            .expect("verify")
    });
    row(cfg, "TrustRoot::verify_keyless (parsed bundle)", verify);
    let both = time(cfg, || {
        let bundle = Bundle::from_slice(BUNDLE).expect("parse");
        root.verify_keyless(&bundle, Artifact::Bytes(ARTIFACT))
            .expect("verify")
    });
    row(cfg, "Bundle::from_slice + verify_keyless", both);
    let p256_row = time(cfg, || {
        verify_signature(
            &p256_key,
            &message,
            &p256_sig,
            SigningScheme::EcdsaP256Sha256,
        )
        .expect("P-256")
    });
    row(
        cfg,
        "ECDSA P-256 SHA-256 verify_signature (256-byte message)",
        p256_row,
    );
    let p384_row = time(cfg, || {
        verify_signature(&p384_key, tbs, &leaf_sig, SigningScheme::EcdsaP384Sha384).expect("P-384")
    });
    row(
        cfg,
        "ECDSA P-384 SHA-384 verify_signature (Fulcio leaf certificate)",
        p384_row,
    );

    let registry: PathBuf = std::env::var_os("TENURE_BENCH_REGISTRY").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../identities"),
        PathBuf::from,
    );
    let processes = if cfg.timed {
        env_or("TENURE_BENCH_PROCESSES", 15usize).max(1)
    } else {
        1
    };
    let pool = std::thread::available_parallelism().map_or(1, |n| n.get());
    let one = registry_samples(&registry, processes, Some(1));
    let many = registry_samples(&registry, processes, None);
    if cfg.timed {
        let us = |d: Duration| d.as_secs_f64() * 1e6;
        println!();
        println!(
            "registry side, {} ({processes} processes each; microseconds, medians):",
            registry.display()
        );
        println!(
            "{:<66} {:>10} {:>10}",
            "",
            "1 thread",
            format!("{pool} threads")
        );
        for (name, pick) in [
            (
                "first registry::load (schemas compiled)",
                (|t: (Duration, Duration, Duration)| t.0) as fn(_) -> Duration,
            ),
            ("first registry::load + RegistryPolicy::new", |t| t.1),
            ("second registry::load (schemas already compiled)", |t| t.2),
            ("schema compilation (first - second load)", |t| {
                t.0.saturating_sub(t.2)
            }),
        ] {
            println!(
                "{name:<66} {:>10.0} {:>10.0}",
                us(pick(one)),
                us(pick(many))
            );
        }
    } else {
        println!(
            "{:<66} ok",
            "registry load, first and second, in child processes"
        );
    }

    if cfg.timed {
        let us = |s: Stats| s.median.as_secs_f64() * 1e6;
        let ecdsa = 5.0 * us(p256_row) + us(p384_row);
        println!();
        println!(
            "per core: {:.0} bundles/s verified (parse + verify: {:.0}/s)",
            1.0 / verify.median.as_secs_f64(),
            1.0 / both.median.as_secs_f64()
        );
        println!(
            "ECDSA in one verification: 5 x P-256 + 1 x P-384 = {:.1} us, {:.0}% of verify_keyless ({:.1} us); P-384 alone {:.0}%",
            ecdsa,
            100.0 * ecdsa / us(verify),
            us(verify),
            100.0 * us(p384_row) / us(verify)
        );
        println!(
            "parse: {:.0}% of parse + verify",
            100.0 * us(parse) / us(both)
        );
    }
}
