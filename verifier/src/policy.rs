//! The registry as verification policy: which declaration, if any, allowed
//! a verified signature.
//!
//! Every `SigningKey` is a candidate. A keyless one matches on the
//! certificate's issuer, its SAN (exact or a pattern over the whole SAN) and
//! the GitHub claims it pins (repository, workflow file, refs, runner,
//! trigger); a key-based one matches when its public key verifies the
//! bundle. A match must then have been valid at every verified signing time
//! (Rekor or timestamp authority, never the local clock), allow the
//! artifact's name and, for attestations, the predicate type.
//!
//! When nothing allows the signature, the rejection comes from the candidate
//! that got furthest through those checks, so "expired" wins over "another
//! workflow", and the other near misses are listed as notes.

use tenure_schema::model::{Declaration, Instant, Runner, SigningKey};
use tenure_schema::registry::{Entry, Registry};

use crate::bundle::{Bundle, Material};
use crate::reason::{Reason, Rejection};
use crate::signature::{
    Artifact, CertificateIdentity, Signer, SigningTime, TimeSource, Verified, VerifyingKey,
};
use crate::trust::TrustRoot;

/// A declaration, as reports show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Declared {
    /// `metadata.name`.
    pub name: String,
    /// `SigningKey` or `Identity`.
    pub kind: &'static str,
    /// `metadata.owner`.
    pub owner: String,
    /// `spec.created`.
    pub created: Instant,
    /// `spec.expires`.
    pub expires: Instant,
    /// The file, relative to the registry root.
    pub file: String,
    /// The line of `metadata.name` (1-based).
    pub line: usize,
}

/// A signature the registry allows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Authorization {
    /// The SigningKey that allowed it.
    pub signing_key: Declared,
    /// The Identity whose federation matches the certificate (the workload
    /// that signed), when one is declared. Informational.
    pub workload: Option<Declared>,
}

/// The outcome for one bundle: what verified, and whether the registry
/// allows it.
#[derive(Clone, Debug)]
pub struct Report {
    /// What the cryptography established, when it did.
    pub verified: Option<Verified>,
    /// The declaration that allowed it, or why not.
    pub result: Result<Authorization, Rejection>,
}

/// A registry that cannot serve as policy: a declaration's pattern or key
/// does not compile. `tenure check` reports the same; verification refuses
/// rather than skip the declaration.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{file}: `{name}`: {field}: {message}")]
pub struct PolicyError {
    /// The file.
    pub file: String,
    /// The declaration.
    pub name: String,
    /// The field, `spec.keyless.identityPattern`.
    pub field: &'static str,
    /// What is wrong.
    pub message: String,
}

/// The registry compiled for verification: patterns and keys are prepared
/// once and shared by every bundle.
#[derive(Debug)]
pub struct RegistryPolicy {
    signers: Vec<DeclaredSigner>,
    workloads: Vec<Workload>,
}

#[derive(Debug)]
struct DeclaredSigner {
    declared: Declared,
    keyless: Option<KeylessMatcher>,
    key: Option<VerifyingKey>,
    artifacts: Vec<(String, globset::GlobMatcher)>,
    predicate_types: Vec<String>,
}

#[derive(Debug)]
struct KeylessMatcher {
    issuer: String,
    identity: Option<String>,
    identity_pattern: Option<(String, regex::Regex)>,
    github: Option<GithubMatcher>,
}

#[derive(Debug)]
struct GithubMatcher {
    repository: String,
    workflow: Option<String>,
    refs: Vec<(String, globset::GlobMatcher)>,
    runner: Option<Runner>,
    triggers: Vec<String>,
}

#[derive(Debug)]
struct Workload {
    declared: Declared,
    issuer: String,
    subject: Option<String>,
    subject_pattern: Option<regex::Regex>,
    repository: Option<String>,
}

/// How far a candidate got; the furthest explains a rejection best.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Stage {
    Issuer,
    Identity,
    Workflow,
    Term,
    Scope,
    Predicate,
}

impl RegistryPolicy {
    /// Compile the SigningKeys and Identities of `registry`.
    pub fn new(registry: &Registry) -> Result<Self, PolicyError> {
        let mut signers = Vec::new();
        let mut workloads = Vec::new();
        for entry in &registry.entries {
            let file = registry
                .files
                .get(entry.file)
                .map(|f| (f.path.as_str(), f.text.as_str()))
                .unwrap_or(("", ""));
            match &entry.declaration {
                Declaration::SigningKey(key) => signers.push(compile_signer(entry, key, file)?),
                Declaration::Identity(identity) => {
                    if let Some(workload) = compile_workload(entry, identity, file)? {
                        workloads.push(workload);
                    }
                }
                Declaration::Team(_) => {}
            }
        }
        Ok(Self { signers, workloads })
    }

    /// How many SigningKeys the policy holds.
    pub fn signing_keys(&self) -> usize {
        self.signers.len()
    }

    /// Verify `bundle` for `artifact` cryptographically, then find the
    /// declaration that allows it. `name` is the artifact's name for the
    /// scope check (its file name); without it, an attestation's subject
    /// names are used, and a plain signature is rejected.
    pub fn verify(
        &self,
        root: &TrustRoot,
        bundle: &Bundle,
        artifact: Artifact<'_>,
        name: Option<&str>,
    ) -> Report {
        match bundle.material() {
            Material::Certificate => match root.verify_keyless(bundle, artifact) {
                Ok(verified) => {
                    let result = self.authorize(&verified, name);
                    Report {
                        verified: Some(verified),
                        result,
                    }
                }
                Err(rejection) => Report {
                    verified: None,
                    result: Err(rejection),
                },
            },
            Material::PublicKey => self.verify_with_keys(root, bundle, artifact, name),
        }
    }

    fn verify_with_keys(
        &self,
        root: &TrustRoot,
        bundle: &Bundle,
        artifact: Artifact<'_>,
        name: Option<&str>,
    ) -> Report {
        let mut verified = None;
        let mut matching = Vec::new();
        let mut failure: Option<Rejection> = None;
        let mut tried = 0;
        for (index, signer) in self.signers.iter().enumerate() {
            let Some(key) = &signer.key else { continue };
            tried += 1;
            match root.verify_with_key(bundle, artifact, key) {
                Ok(v) => {
                    verified.get_or_insert(v);
                    matching.push(index);
                }
                // A bad signature only says this is not the key; anything
                // else (log, timestamps, binding) is wrong whatever the key.
                Err(e) if e.reason == Reason::InvalidSignature => {}
                Err(e) => {
                    failure.get_or_insert(e);
                }
            }
        }
        let Some(verified) = verified else {
            let rejection = failure.unwrap_or_else(|| {
                Rejection::new(
                    Reason::UndeclaredSigner,
                    if tried == 0 {
                        "the bundle is signed with a key, and no SigningKey declares a public key"
                            .to_owned()
                    } else {
                        format!(
                            "the signature verifies with none of the {tried} public keys the registry declares"
                        )
                    },
                )
            });
            return Report {
                verified: None,
                result: Err(rejection),
            };
        };
        let result = self.decide(
            matching.iter().map(|&i| (&self.signers[i], Ok(()))),
            &verified,
            name,
            None,
            String::new,
        );
        Report {
            verified: Some(verified),
            result,
        }
    }

    /// Find the declaration that allows an already verified signature.
    pub fn authorize(
        &self,
        verified: &Verified,
        name: Option<&str>,
    ) -> Result<Authorization, Rejection> {
        match &verified.signer {
            Signer::Certificate(cert) => {
                let candidates = self
                    .signers
                    .iter()
                    .filter_map(|s| s.keyless.as_ref().map(|k| (s, k.matches(cert))));
                self.decide(candidates, verified, name, self.workload(cert), || {
                    format!(
                        "no SigningKey declares `{}` from issuer {}",
                        cert.identity,
                        shown(cert.issuer.as_deref(), "(none)")
                    )
                })
            }
            Signer::PublicKey { .. } => Err(Rejection::new(
                Reason::UndeclaredSigner,
                "a key-based signature is authorized while it is verified; use `verify`",
            )),
        }
    }

    /// The first candidate that allows the signature, or the rejection of
    /// the one that got furthest, with the other near misses as notes.
    fn decide<'a>(
        &'a self,
        candidates: impl Iterator<Item = (&'a DeclaredSigner, Result<(), (Stage, Rejection)>)>,
        verified: &Verified,
        name: Option<&str>,
        workload: Option<Declared>,
        undeclared: impl FnOnce() -> String,
    ) -> Result<Authorization, Rejection> {
        let mut misses: Vec<(Stage, &str, Rejection)> = Vec::new();
        for (signer, identity) in candidates {
            match identity.and_then(|()| signer.admits(verified, name)) {
                Ok(()) => {
                    return Ok(Authorization {
                        signing_key: signer.declared.clone(),
                        workload,
                    });
                }
                Err((stage, rejection)) => {
                    misses.push((stage, signer.declared.name.as_str(), rejection));
                }
            }
        }
        // The furthest; the first of equals, in path order.
        let best = misses
            .iter()
            .enumerate()
            .rev()
            .max_by_key(|(_, (stage, _, _))| *stage)
            .map(|(i, _)| i);
        let near = |misses: &[(Stage, &str, Rejection)]| -> Vec<String> {
            misses
                .iter()
                .filter(|(stage, _, _)| *stage >= Stage::Identity)
                .take(5)
                .map(|(_, name, r)| format!("`{name}`: {}", r.message))
                .collect()
        };
        match best {
            Some(i) if misses[i].0 > Stage::Identity => {
                let (_, name, mut rejection) = misses.remove(i);
                rejection.message = format!("`{name}`: {}", rejection.message);
                rejection.notes.extend(near(&misses));
                Err(rejection)
            }
            // Nothing declares this signer; say which declarations came close.
            _ => {
                let mut rejection = Rejection::new(Reason::UndeclaredSigner, undeclared());
                rejection.notes = near(&misses);
                Err(rejection)
            }
        }
    }

    /// The first Identity whose federation admits the certificate's token.
    fn workload(&self, cert: &CertificateIdentity) -> Option<Declared> {
        let issuer = cert.issuer.as_deref()?;
        let subject = cert.workflow.token_subject.as_deref()?;
        self.workloads
            .iter()
            .find(|w| {
                w.issuer == issuer
                    && w.subject.as_deref().is_none_or(|s| s == subject)
                    && w.subject_pattern
                        .as_ref()
                        .is_none_or(|p| p.is_match(subject))
                    && (w.subject.is_some() || w.subject_pattern.is_some())
                    && w.repository.as_deref().is_none_or(|r| {
                        cert.workflow
                            .repository
                            .as_deref()
                            .is_some_and(|c| c.eq_ignore_ascii_case(r))
                    })
            })
            .map(|w| w.declared.clone())
    }
}

impl KeylessMatcher {
    fn matches(&self, cert: &CertificateIdentity) -> Result<(), (Stage, Rejection)> {
        let fail = |stage, reason, message: String| Err((stage, Rejection::new(reason, message)));
        if cert.issuer.as_deref() != Some(self.issuer.as_str()) {
            return fail(
                Stage::Issuer,
                Reason::UndeclaredSigner,
                format!("declares issuer `{}`", self.issuer),
            );
        }
        if let Some(identity) = &self.identity
            && *identity != cert.identity
        {
            return fail(
                Stage::Identity,
                Reason::UndeclaredSigner,
                format!("declares identity `{identity}`"),
            );
        }
        if let Some((text, pattern)) = &self.identity_pattern
            && !pattern.is_match(&cert.identity)
        {
            return fail(
                Stage::Identity,
                Reason::UndeclaredSigner,
                format!("identity does not match `{text}`"),
            );
        }
        let Some(github) = &self.github else {
            return Ok(());
        };
        let claims = &cert.workflow;
        let stage = Stage::Workflow;
        match claims.repository.as_deref() {
            Some(repo) if repo.eq_ignore_ascii_case(&github.repository) => {}
            other => {
                return fail(
                    stage,
                    Reason::RepositoryNotAllowed,
                    format!(
                        "the signing run was in {}, the declaration allows `{}`",
                        shown(other, "no repository"),
                        github.repository
                    ),
                );
            }
        }
        if let Some(workflow) = &github.workflow
            && claims.workflow.as_deref() != Some(workflow.as_str())
        {
            return fail(
                stage,
                Reason::WorkflowNotAllowed,
                format!(
                    "the signing run used {}, the declaration allows `{workflow}`",
                    shown(claims.workflow.as_deref(), "an unnamed workflow")
                ),
            );
        }
        if !github.refs.is_empty() {
            let allowed = claims
                .git_ref
                .as_deref()
                .is_some_and(|r| github.refs.iter().any(|(_, g)| g.is_match(r)));
            if !allowed {
                return fail(
                    stage,
                    Reason::RefNotAllowed,
                    format!(
                        "the signing run was on {}, the declaration allows {}",
                        shown(claims.git_ref.as_deref(), "no ref"),
                        list(github.refs.iter().map(|(t, _)| t.as_str()))
                    ),
                );
            }
        }
        let runner = claims.runner_environment.as_deref();
        let required = match github.runner {
            Some(Runner::GithubHosted) => Some("github-hosted"),
            Some(Runner::SelfHosted) => Some("self-hosted"),
            Some(Runner::Any) | None => None,
        };
        if let Some(required) = required
            && runner != Some(required)
        {
            return fail(
                stage,
                Reason::RunnerNotAllowed,
                format!(
                    "the signing run was on {} runner, the declaration allows only `{required}`",
                    runner.map_or_else(|| "an unnamed".to_owned(), |r| format!("a `{r}`"))
                ),
            );
        }
        if !github.triggers.is_empty()
            && !claims
                .trigger
                .as_deref()
                .is_some_and(|t| github.triggers.iter().any(|a| a == t))
        {
            return fail(
                stage,
                Reason::TriggerNotAllowed,
                format!(
                    "the signing run was triggered by {}, the declaration allows {}",
                    shown(claims.trigger.as_deref(), "no event"),
                    list(github.triggers.iter().map(String::as_str))
                ),
            );
        }
        Ok(())
    }
}

impl DeclaredSigner {
    /// Term, scope and predicate: whether this matching declaration allows
    /// the signature.
    fn admits(&self, verified: &Verified, name: Option<&str>) -> Result<(), (Stage, Rejection)> {
        let d = &self.declared;
        if verified.times.is_empty() {
            return Err((
                Stage::Term,
                Rejection::new(
                    Reason::NoSigningTime,
                    "no verified time says when the signature was made, so the declaration's term cannot be checked",
                ),
            ));
        }
        for time in &verified.times {
            if time.at < d.created.start() {
                return Err((
                    Stage::Term,
                    Rejection::new(
                        Reason::DeclaredAfterSigning,
                        format!(
                            "declared from {} (created), but the signature was made at {}",
                            d.created,
                            when(time)
                        ),
                    ),
                ));
            }
            if time.at >= d.expires.end() {
                return Err((
                    Stage::Term,
                    Rejection::new(
                        Reason::DeclarationExpired,
                        format!(
                            "expired {}, before the signature was made at {}",
                            d.expires,
                            when(time)
                        ),
                    ),
                ));
            }
        }
        // The names the artifact goes by: the one given, or, for an
        // attestation verified from a digest, its subjects with that digest.
        let subject_names: Vec<&str> = match (name, &verified.statement) {
            (Some(name), _) => vec![name],
            (None, Some(statement)) => statement
                .subjects
                .iter()
                .filter(|(_, digest)| *digest == Some(verified.artifact))
                .map(|(n, _)| n.as_str())
                .collect(),
            (None, None) => Vec::new(),
        };
        if subject_names.is_empty() {
            return Err((
                Stage::Scope,
                Rejection::new(
                    Reason::ArtifactNameUnknown,
                    "the artifact was given as a digest, so its name and the declaration's `allows.artifacts` cannot be checked",
                )
                .with_note("help: give the name with `--name`"),
            ));
        }
        let in_scope = subject_names
            .iter()
            .any(|n| self.artifacts.iter().any(|(_, g)| g.is_match(n)));
        if !in_scope {
            return Err((
                Stage::Scope,
                Rejection::new(
                    Reason::ArtifactOutOfScope,
                    format!(
                        "may sign {}, not {}",
                        list(self.artifacts.iter().map(|(t, _)| t.as_str())),
                        list(subject_names.iter().copied())
                    ),
                ),
            ));
        }
        if let Some(statement) = &verified.statement
            && !self.predicate_types.contains(&statement.predicate_type)
        {
            let allowed = if self.predicate_types.is_empty() {
                "no attestations".to_owned()
            } else {
                list(self.predicate_types.iter().map(String::as_str))
            };
            return Err((
                Stage::Predicate,
                Rejection::new(
                    Reason::PredicateTypeNotAllowed,
                    format!("may attest {allowed}, not `{}`", statement.predicate_type),
                ),
            ));
        }
        Ok(())
    }
}

fn when(time: &SigningTime) -> String {
    let source = match time.source {
        TimeSource::TransparencyLog => "transparency log",
        TimeSource::TimestampAuthority => "timestamp authority",
    };
    format!("{} ({source})", time.at)
}

fn shown(value: Option<&str>, missing: &str) -> String {
    value.map_or_else(|| missing.to_owned(), |v| format!("`{v}`"))
}

fn list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    items
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn declared(entry: &Entry, file: (&str, &str), kind: &'static str) -> Option<Declared> {
    let term = entry.declaration.term()?;
    let meta = entry.declaration.metadata();
    let offset = (meta.name.span.start as usize).min(file.1.len());
    let line = file.1.as_bytes()[..offset]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1;
    Some(Declared {
        name: meta.name.value.0.clone(),
        kind,
        owner: meta.owner.value.0.clone(),
        created: term.created.value,
        expires: term.expires.value,
        file: file.0.to_owned(),
        line,
    })
}

/// A pattern over the whole value, whatever anchors it was written with.
fn whole(pattern: &str) -> Result<regex::Regex, regex::Error> {
    tenure_schema::pattern::compile_regex(&format!("^(?:{pattern})$"))
}

fn compile_signer(
    entry: &Entry,
    key: &SigningKey,
    file: (&str, &str),
) -> Result<DeclaredSigner, PolicyError> {
    let declared = declared(entry, file, "SigningKey").ok_or_else(|| PolicyError {
        file: file.0.to_owned(),
        name: entry.declaration.name().to_owned(),
        field: "spec",
        message: "no term".into(),
    })?;
    let error = |field: &'static str, message: String| PolicyError {
        file: file.0.to_owned(),
        name: declared.name.clone(),
        field,
        message,
    };
    let keyless = match &key.spec.keyless {
        Some(k) => Some(KeylessMatcher {
            issuer: k.issuer.value.clone(),
            identity: k.identity.as_ref().map(|i| i.value.clone()),
            identity_pattern: match &k.identity_pattern {
                Some(p) => Some((
                    p.value.clone(),
                    whole(&p.value)
                        .map_err(|e| error("spec.keyless.identityPattern", e.to_string()))?,
                )),
                None => None,
            },
            github: match &k.github {
                Some(g) => Some(GithubMatcher {
                    repository: g.repository.value.0.clone(),
                    workflow: g.workflow.as_ref().map(|w| w.value.clone()),
                    refs: g
                        .refs
                        .iter()
                        .map(|r| {
                            tenure_schema::pattern::compile_glob(&r.value)
                                .map(|m| (r.value.clone(), m))
                                .map_err(|e| error("spec.keyless.github.refs", e.to_string()))
                        })
                        .collect::<Result<_, _>>()?,
                    runner: g.runner.as_ref().map(|r| r.value),
                    triggers: g.triggers.iter().map(|t| t.value.clone()).collect(),
                }),
                None => None,
            },
        }),
        None => None,
    };
    let key_material = match &key.spec.public_key {
        Some(pk) => Some(
            VerifyingKey::from_pem(&pk.pem.value)
                .map_err(|e| error("spec.publicKey.pem", e.to_string()))?,
        ),
        None => None,
    };
    if keyless.is_none() && key_material.is_none() {
        return Err(error(
            "spec",
            "declares neither `keyless` nor `publicKey`".into(),
        ));
    }
    let artifacts = key
        .spec
        .allows
        .artifacts
        .iter()
        .map(|a| {
            tenure_schema::pattern::compile_glob(&a.value)
                .map(|m| (a.value.clone(), m))
                .map_err(|e| error("spec.allows.artifacts", e.to_string()))
        })
        .collect::<Result<_, _>>()?;
    Ok(DeclaredSigner {
        declared,
        keyless,
        key: key_material,
        artifacts,
        predicate_types: key
            .spec
            .allows
            .predicate_types
            .iter()
            .map(|p| p.value.clone())
            .collect(),
    })
}

fn compile_workload(
    entry: &Entry,
    identity: &tenure_schema::model::Identity,
    file: (&str, &str),
) -> Result<Option<Workload>, PolicyError> {
    let Some(federation) = &identity.spec.federation else {
        return Ok(None);
    };
    let Some(declared) = declared(entry, file, "Identity") else {
        return Ok(None);
    };
    let subject_pattern = match &federation.subject_pattern {
        Some(p) => Some(whole(&p.value).map_err(|e| PolicyError {
            file: file.0.to_owned(),
            name: declared.name.clone(),
            field: "spec.federation.subjectPattern",
            message: e.to_string(),
        })?),
        None => None,
    };
    Ok(Some(Workload {
        issuer: federation.issuer.value.clone(),
        subject: federation.subject.as_ref().map(|s| s.value.clone()),
        subject_pattern,
        repository: identity
            .spec
            .github
            .as_ref()
            .map(|g| g.repository.value.0.clone()),
        declared,
    }))
}
