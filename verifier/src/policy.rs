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
        self.authorize_among(verified, name, None)
    }

    /// Whether the SigningKey `key` (by `metadata.name`) allows the
    /// signature: the check `tenure sign --as KEY` makes before it signs,
    /// with the token's claims, and again with the certificate Fulcio issued.
    pub fn authorize_as(
        &self,
        key: &str,
        verified: &Verified,
        name: Option<&str>,
    ) -> Result<Authorization, Rejection> {
        match self.signers.iter().find(|s| s.declared.name == key) {
            None => {
                return Err(Rejection::new(
                    Reason::UndeclaredSigner,
                    format!("no SigningKey is named `{key}`"),
                ));
            }
            Some(signer) if signer.keyless.is_none() => {
                return Err(Rejection::new(
                    Reason::UndeclaredSigner,
                    format!(
                        "`{key}` declares a public key, not keyless signing: sign with `--key`"
                    ),
                ));
            }
            Some(_) => {}
        }
        self.authorize_among(verified, name, Some(key))
    }

    /// Whether the SigningKey `key` declares `public_key` and allows a
    /// signature with it: the check `tenure sign --as KEY --key FILE` makes
    /// before it signs.
    pub fn authorize_key_as(
        &self,
        key: &str,
        public_key: &VerifyingKey,
        verified: &Verified,
        name: Option<&str>,
    ) -> Result<Authorization, Rejection> {
        let Some(signer) = self.signers.iter().find(|s| s.declared.name == key) else {
            return Err(Rejection::new(
                Reason::UndeclaredSigner,
                format!("no SigningKey is named `{key}`"),
            ));
        };
        match &signer.key {
            Some(declared) if declared == public_key => {}
            Some(_) => {
                return Err(Rejection::new(
                    Reason::UndeclaredSigner,
                    format!("the private key's public half is not the public key `{key}` declares"),
                ));
            }
            None => {
                return Err(Rejection::new(
                    Reason::UndeclaredSigner,
                    format!("`{key}` declares keyless signing, not a public key"),
                ));
            }
        }
        signer
            .admits(verified, name)
            .map(|()| Authorization {
                signing_key: signer.declared.clone(),
                workload: None,
            })
            .map_err(|(_, mut rejection)| {
                rejection.message = format!("`{key}`: {}", rejection.message);
                rejection
            })
    }

    fn authorize_among(
        &self,
        verified: &Verified,
        name: Option<&str>,
        only: Option<&str>,
    ) -> Result<Authorization, Rejection> {
        match &verified.signer {
            Signer::Certificate(cert) => {
                let candidates = self
                    .signers
                    .iter()
                    .filter(|s| only.is_none_or(|k| s.declared.name == k))
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
                .with_note("give the artifact's name with `--name`"),
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
        TimeSource::SignerClock => "now",
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

/// A package URL's `?` starts its qualifiers and `[`/`{` are literal in it:
/// only `*` is a wildcard there. File-name patterns are globs as written.
fn artifact_glob(pattern: &str) -> std::borrow::Cow<'_, str> {
    if !pattern.starts_with("pkg:") {
        return pattern.into();
    }
    let mut out = String::with_capacity(pattern.len() + 8);
    for c in pattern.chars() {
        if matches!(c, '?' | '[' | ']' | '{' | '}') {
            out.push('[');
            out.push(c);
            out.push(']');
        } else {
            out.push(c);
        }
    }
    out.into()
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
            tenure_schema::pattern::compile_glob(&artifact_glob(&a.value))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digest::ArtifactDigest;
    use crate::signature::{Statement, WorkflowClaims};

    const ISSUER: &str = "https://token.actions.githubusercontent.com";
    const SAN: &str = "https://github.com/acme/web/.github/workflows/release.yml@refs/tags/v1.2.3";

    fn registry(keys: &[&str]) -> Registry {
        let mut files = vec![(
            "tenure.yaml".to_owned(),
            b"apiVersion: tenure/v1\nkind: Registry\nmetadata:\n  name: t\n  owner: release\n  description: Tests.\nspec: {}\n".to_vec(),
        )];
        for (i, key) in keys.iter().enumerate() {
            files.push((format!("signing/k{i}.yaml"), key.as_bytes().to_vec()));
        }
        files.push((
            "signing/workload.yaml".to_owned(),
            b"apiVersion: tenure/v1\nkind: Identity\nmetadata:\n  name: web-release\n  owner: release\n  description: The release job.\nspec:\n  type: github-actions\n  environment: production\n  created: 2026-01-01\n  expires: 2026-12-31\n  github:\n    repository: acme/web\n  federation:\n    issuer: https://token.actions.githubusercontent.com\n    subjectPattern: \"^repo:acme/web:ref:refs/tags/v[0-9.]+$\"\n".to_vec(),
        ));
        let registry = tenure_schema::registry::load_memory(
            std::path::Path::new("identities"),
            files,
            &tenure_schema::registry::LoadOptions::default(),
        );
        let errors: Vec<_> = registry
            .diagnostics
            .iter()
            .filter(|d| d.severity == tenure_schema::diagnostic::Severity::Error)
            .map(|d| d.message.clone())
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
        registry
    }

    fn key(extra: &str) -> String {
        format!(
            "apiVersion: tenure/v1\nkind: SigningKey\nmetadata:\n  name: web\n  owner: release\n  description: Web releases.\nspec:\n  created: 2026-01-01\n  expires: 2026-06-30\n  keyless:\n    issuer: {ISSUER}\n    identityPattern: \"^https://github\\\\.com/acme/web/\\\\.github/workflows/release\\\\.yml@refs/tags/v.+\"\n    github:\n      repository: acme/web\n      workflow: .github/workflows/release.yml\n      refs: [\"refs/tags/v*\"]\n      runner: github-hosted\n      triggers: [push]\n  allows:\n    artifacts: [\"web-*.tar.gz\", \"pkg:cargo/web@*\"]\n{extra}"
        )
    }

    fn signed(at: &str) -> Verified {
        Verified {
            signer: Signer::Certificate(Box::new(CertificateIdentity {
                identity: SAN.to_owned(),
                email: false,
                issuer: Some(ISSUER.to_owned()),
                workflow: WorkflowClaims {
                    repository: Some("acme/web".into()),
                    workflow: Some(".github/workflows/release.yml".into()),
                    git_ref: Some("refs/tags/v1.2.3".into()),
                    runner_environment: Some("github-hosted".into()),
                    trigger: Some("push".into()),
                    token_subject: Some("repo:acme/web:ref:refs/tags/v1.2.3".into()),
                    ..WorkflowClaims::default()
                },
            })),
            times: vec![SigningTime {
                at: at.parse().expect("time"),
                source: TimeSource::TransparencyLog,
            }],
            statement: None,
            artifact: ArtifactDigest::of(b"web"),
        }
    }

    fn claims(v: &mut Verified) -> &mut WorkflowClaims {
        match &mut v.signer {
            Signer::Certificate(c) => &mut c.workflow,
            Signer::PublicKey { .. } => unreachable!(),
        }
    }

    fn reason(policy: &RegistryPolicy, v: &Verified, name: Option<&str>) -> Reason {
        policy.authorize(v, name).expect_err("rejected").reason
    }

    #[test]
    fn allows_and_names_the_workload() {
        let policy = RegistryPolicy::new(&registry(&[&key("")])).expect("policy");
        let auth = policy
            .authorize(&signed("2026-03-01T00:00:00Z"), Some("web-1.2.3.tar.gz"))
            .expect("allowed");
        assert_eq!(auth.signing_key.name, "web");
        assert_eq!(auth.signing_key.file, "signing/k0.yaml");
        assert_eq!(auth.signing_key.line, 4);
        assert_eq!(
            auth.workload.map(|w| w.name).as_deref(),
            Some("web-release")
        );
        // A package URL matches only package URL patterns.
        assert!(
            policy
                .authorize(&signed("2026-03-01T00:00:00Z"), Some("pkg:cargo/web@1.2.3"))
                .is_ok()
        );
    }

    #[test]
    fn package_url_qualifiers_are_literal() {
        let oci = key("").replace(
            "\"pkg:cargo/web@*\"",
            "\"pkg:oci/web@*?repository_url=ghcr.io/acme/web\"",
        );
        let policy = RegistryPolicy::new(&registry(&[&oci])).expect("policy");
        let at = signed("2026-03-01T00:00:00Z");
        let ok = "pkg:oci/web@sha256:ab?repository_url=ghcr.io/acme/web";
        assert!(policy.authorize(&at, Some(ok)).is_ok());
        // `?` is not "any character" in a package URL.
        let other = "pkg:oci/web@sha256:abXrepository_url=ghcr.io/acme/web";
        assert_eq!(
            reason(&policy, &at, Some(other)),
            Reason::ArtifactOutOfScope
        );
    }

    #[test]
    fn self_hosted_runner_is_refused_where_only_github_hosted_may_sign() {
        let policy = RegistryPolicy::new(&registry(&[&key("")])).expect("policy");
        let mut v = signed("2026-03-01T00:00:00Z");
        claims(&mut v).runner_environment = Some("self-hosted".into());
        assert_eq!(
            reason(&policy, &v, Some("web-1.tar.gz")),
            Reason::RunnerNotAllowed
        );
        // A certificate that does not say which runner fails closed.
        claims(&mut v).runner_environment = None;
        assert_eq!(
            reason(&policy, &v, Some("web-1.tar.gz")),
            Reason::RunnerNotAllowed
        );
    }

    #[test]
    fn patterns_cover_the_whole_identity() {
        // Written without `$`: still matched against the whole SAN, so a
        // suffix cannot smuggle another identity in.
        let policy = RegistryPolicy::new(&registry(&[&key("")])).expect("policy");
        let mut v = signed("2026-03-01T00:00:00Z");
        if let Signer::Certificate(c) = &mut v.signer {
            c.identity = format!("evil{SAN}");
        }
        assert_eq!(
            reason(&policy, &v, Some("web-1.tar.gz")),
            Reason::UndeclaredSigner
        );
    }

    #[test]
    fn a_date_expiry_covers_its_whole_day_and_every_time_must_fall_in_the_term() {
        let policy = RegistryPolicy::new(&registry(&[&key("")])).expect("policy");
        let name = Some("web-1.tar.gz");
        assert!(
            policy
                .authorize(&signed("2026-06-30T23:59:59Z"), name)
                .is_ok()
        );
        assert_eq!(
            reason(&policy, &signed("2026-07-01T00:00:00Z"), name),
            Reason::DeclarationExpired
        );
        assert_eq!(
            reason(&policy, &signed("2025-12-31T23:59:59Z"), name),
            Reason::DeclaredAfterSigning
        );
        // A timestamp authority and the log disagree: both must be in the term.
        let mut v = signed("2026-06-30T12:00:00Z");
        v.times.push(SigningTime {
            at: "2026-07-02T00:00:00Z".parse().expect("time"),
            source: TimeSource::TimestampAuthority,
        });
        assert_eq!(reason(&policy, &v, name), Reason::DeclarationExpired);
        v.times.clear();
        assert_eq!(reason(&policy, &v, name), Reason::NoSigningTime);
    }

    #[test]
    fn attestations_name_their_subject_and_need_a_declared_predicate() {
        let with_slsa = key("    predicateTypes: [https://slsa.dev/provenance/v1]\n");
        let policy = RegistryPolicy::new(&registry(&[&with_slsa])).expect("policy");
        let mut v = signed("2026-03-01T00:00:00Z");
        assert_eq!(reason(&policy, &v, None), Reason::ArtifactNameUnknown);
        v.statement = Some(Statement {
            predicate_type: "https://slsa.dev/provenance/v1".into(),
            subjects: vec![
                ("other-1.tar.gz".into(), Some(ArtifactDigest::of(b"other"))),
                ("web-1.tar.gz".into(), Some(v.artifact)),
            ],
        });
        assert!(policy.authorize(&v, None).is_ok());
        // The subject that names this digest is the one checked.
        if let Some(s) = &mut v.statement {
            s.subjects.swap(0, 1);
            s.subjects[1].1 = Some(ArtifactDigest::of(b"nope"));
            s.subjects[0].0 = "evil.tar.gz".into();
        }
        assert_eq!(reason(&policy, &v, None), Reason::ArtifactOutOfScope);
        if let Some(s) = &mut v.statement {
            s.subjects[0].0 = "web-1.tar.gz".into();
            s.predicate_type = "https://example.com/other".into();
        }
        assert_eq!(reason(&policy, &v, None), Reason::PredicateTypeNotAllowed);
    }

    #[test]
    fn the_furthest_candidate_explains_the_rejection() {
        let expired = key("").replace("expires: 2026-06-30", "expires: 2026-02-01");
        let other_repo = key("")
            .replace("name: web", "name: api")
            .replace("repository: acme/web", "repository: acme/api");
        let policy = RegistryPolicy::new(&registry(&[&other_repo, &expired])).expect("policy");
        let rejection = policy
            .authorize(&signed("2026-03-01T00:00:00Z"), Some("web-1.tar.gz"))
            .expect_err("rejected");
        assert_eq!(rejection.reason, Reason::DeclarationExpired);
        assert!(
            rejection.message.starts_with("`web`: expired 2026-02-01"),
            "{}",
            rejection.message
        );
        assert_eq!(rejection.notes.len(), 1, "{:?}", rejection.notes);
        assert!(rejection.notes[0].starts_with("`api`: the signing run was in `acme/web`"));
    }

    #[test]
    fn a_pattern_too_large_to_compile_refuses_the_registry() {
        // It parses, so it loads; compiled, it exceeds the size limit.
        let huge = key("").replace(
            "identityPattern: \"^https://github\\\\.com/acme/web/\\\\.github/workflows/release\\\\.yml@refs/tags/v.+\"",
            "identityPattern: \"^(?:\\\\w{100}){100}$\"",
        );
        assert_ne!(huge, key(""));
        let error = RegistryPolicy::new(&registry(&[&huge])).expect_err("refused");
        assert_eq!(error.field, "spec.keyless.identityPattern");
        assert_eq!(error.name, "web");
    }
}
