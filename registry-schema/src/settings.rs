//! Effective settings: the root `tenure.yaml` and the sub-folder ones above a
//! declaration, combined so that a sub-folder can only tighten.
//!
//! A sub-folder `tenure.yaml` applies to every declaration below it. Each
//! setting it writes is compared with every ancestor's; a looser value is
//! reported (`guardrail-loosened`, naming both places) and has no effect, so a
//! team cannot widen its own limits by adding a file, even before review
//! catches it. Queries combine the whole chain, strictest first.

use crate::diagnostic::{Code, Diagnostic, FileId, Severity};
use crate::model::{
    Access, AuthMethod, Days, Declaration, IdentityType, Level, Mode, RegistrySpec,
};
use crate::registry::Registry;
use crate::span::{Span, Spanned};
use rayon::prelude::*;

/// The settings that apply to one folder: the root `tenure.yaml` first, then
/// every sub-folder one down to the nearest. Empty when the registry has no
/// `tenure.yaml`, which means defaults.
#[derive(Clone, Copy, Debug)]
pub struct Settings<'a> {
    chain: &'a [(FileId, &'a RegistrySpec)],
}

/// Every folder's settings, computed once per run.
#[derive(Debug)]
pub struct Scopes<'a> {
    /// Folder prefix (`teams/payments/`, `` for the root) and its chain,
    /// longest prefix first.
    scopes: Vec<(String, Vec<(FileId, &'a RegistrySpec)>)>,
    /// Loosening findings, one per offending value.
    pub(crate) loosened: Vec<Diagnostic>,
    /// The index in `scopes` of each file's folder, by file id: rules ask
    /// for settings about ten times per declaration.
    by_file: Vec<u32>,
}

impl<'a> Scopes<'a> {
    /// The settings of every folder of `registry`.
    pub fn new(registry: &'a Registry) -> Self {
        let mut root = Vec::new();
        if let Some((file, config)) = &registry.config {
            root.push((*file, &config.spec));
        }
        let mut nested: Vec<(String, FileId, &RegistrySpec)> = registry
            .nested_configs
            .iter()
            .map(|(file, config)| {
                let path = &registry.files[*file].path;
                let prefix = path.strip_suffix("tenure.yaml").unwrap_or(path).to_owned();
                (prefix, *file, &config.spec)
            })
            .collect();
        nested.sort_by_key(|(prefix, ..)| prefix.len());
        let mut scopes: Vec<(String, Vec<(FileId, &RegistrySpec)>)> = vec![(String::new(), root)];
        let mut loosened = Vec::new();
        for (prefix, file, spec) in nested {
            let parent = scopes
                .iter()
                .rev()
                .find(|(p, _)| prefix.starts_with(p.as_str()))
                .map(|(_, chain)| chain.clone())
                .unwrap_or_default();
            compare(&parent, file, spec, &mut loosened);
            let mut chain = parent;
            chain.push((file, spec));
            scopes.push((prefix, chain));
        }
        scopes.sort_by_key(|(prefix, _)| std::cmp::Reverse(prefix.len()));
        let by_file = if scopes.len() == 1 {
            vec![0; registry.files.len()]
        } else {
            registry
                .files
                .par_iter()
                .map(|f| Self::scope_of(&scopes, &f.path))
                .collect()
        };
        Self {
            scopes,
            loosened,
            by_file,
        }
    }

    fn scope_of(scopes: &[(String, Vec<(FileId, &RegistrySpec)>)], path: &str) -> u32 {
        scopes
            .iter()
            .position(|(prefix, _)| path.starts_with(prefix.as_str()))
            .map_or(u32::MAX, |i| u32::try_from(i).unwrap_or(u32::MAX))
    }

    /// The settings for a file, by its path relative to the registry root.
    pub fn for_path(&self, path: &str) -> Settings<'_> {
        self.at(Self::scope_of(&self.scopes, path))
    }

    /// The settings for a file, by its id.
    pub fn for_file(&self, file: FileId) -> Settings<'_> {
        self.at(self.by_file.get(file).copied().unwrap_or(u32::MAX))
    }

    fn at(&self, index: u32) -> Settings<'_> {
        let chain = self
            .scopes
            .get(index as usize)
            .map_or(&[][..], |(_, chain)| chain.as_slice());
        Settings { chain }
    }
}

/// The strictest maximum lifetime that applies to a declaration, and where it is set.
#[derive(Clone, Debug)]
pub struct Lifetime {
    /// The limit.
    pub days: Days,
    /// The `tenure.yaml` that sets it.
    pub file: FileId,
    /// The value in that file.
    pub span: Span,
    /// Which limit it is, for messages: "the maximum for `api-key`".
    pub what: String,
}

impl<'a> Settings<'a> {
    /// The strictest `maxLifetime` that applies to `declaration` (the default,
    /// its type, its environment, signing keys, third parties), over the
    /// whole chain; `None` when no limit is set.
    pub fn max_lifetime(&self, declaration: &Declaration) -> Option<Lifetime> {
        let mut strictest: Option<Lifetime> = None;
        for (file, spec) in self.chain {
            let limits = &spec.guardrails.max_lifetime;
            let mut consider = |limit: &Spanned<Days>, what: String| {
                if strictest
                    .as_ref()
                    .is_none_or(|best| limit.value < best.days)
                {
                    strictest = Some(Lifetime {
                        days: limit.value,
                        file: *file,
                        span: limit.span,
                        what,
                    });
                }
            };
            if let Some(limit) = &limits.default {
                consider(limit, "the default maximum lifetime".to_owned());
            }
            match declaration {
                Declaration::Identity(identity) => {
                    let spec = &identity.spec;
                    for (ty, limit) in &limits.types {
                        if ty.value == spec.identity_type.value {
                            consider(limit, format!("the maximum for `{}`", ty.value.as_str()));
                        }
                    }
                    for (env, limit) in &limits.environments {
                        if env.value == spec.environment.value {
                            consider(limit, format!("the maximum in `{}`", env.value.0));
                        }
                    }
                    if let Some(limit) = &limits.third_party
                        && spec.is_third_party()
                    {
                        consider(limit, "the maximum for third-party identities".to_owned());
                    }
                }
                Declaration::SigningKey(_) => {
                    if let Some(limit) = &limits.signing_keys {
                        consider(limit, "the maximum for signing keys".to_owned());
                    }
                }
                Declaration::Team(_) => {}
            }
        }
        strictest
    }

    /// Every file in force, root first.
    pub fn chain(&self) -> &'a [(FileId, &'a RegistrySpec)] {
        self.chain
    }

    /// Whether `env` is an environment here: every file that lists
    /// environments lists it (the defaults when none does).
    pub fn has_environment(&self, env: &str) -> bool {
        let root_lists = self
            .chain
            .first()
            .is_some_and(|(_, s)| s.environments.is_some());
        (root_lists || crate::model::DEFAULT_ENVIRONMENTS.contains(&env))
            && self
                .chain
                .iter()
                .filter(|(_, s)| s.environments.is_some())
                .all(|(_, s)| s.has_environment(env))
    }

    /// The environments here, in the order the nearest list gives them, with
    /// the file and span of that list.
    pub fn environments(&self) -> (Vec<String>, Option<(FileId, Span)>) {
        let nearest = self
            .chain
            .iter()
            .rev()
            .find(|(_, s)| s.environments.is_some());
        let names = match nearest {
            Some((_, s)) => s.environment_names(),
            None => crate::model::DEFAULT_ENVIRONMENTS.to_vec(),
        };
        let place = nearest.and_then(|(file, s)| {
            s.environments
                .as_ref()
                .and_then(|l| l.first())
                .map(|e| (*file, e.span))
        });
        (
            names
                .into_iter()
                .filter(|e| self.has_environment(e))
                .map(str::to_owned)
                .collect(),
            place,
        )
    }

    /// The renew window: the longest any file sets.
    pub fn renew_window(&self) -> crate::model::Days {
        self.chain
            .iter()
            .filter_map(|(_, s)| s.renew_window.as_ref().map(|w| w.value))
            .max()
            .unwrap_or(crate::model::DEFAULT_RENEW_WINDOW)
    }

    /// Whether error-level policy findings become warnings: only when the
    /// root sets `mode: warn` and no sub-folder sets `enforce`.
    pub fn warn_mode(&self) -> bool {
        let Some((_, root)) = self.chain.first() else {
            return false;
        };
        root.mode.as_ref().is_some_and(|m| m.value == Mode::Warn)
            && self.chain[1..]
                .iter()
                .all(|(_, s)| s.mode.as_ref().is_none_or(|m| m.value == Mode::Warn))
    }

    /// The level set for a policy code, if any file sets one: the root's,
    /// raised (never lowered) by sub-folders.
    pub fn level(&self, code: Code) -> Option<Level> {
        let mut level: Option<Level> = None;
        for (i, (_, spec)) in self.chain.iter().enumerate() {
            if let Some(set) = level_in(spec, code)
                && (i == 0 || set >= level.unwrap_or_else(|| default_level(code)))
            {
                level = Some(set);
            }
        }
        level
    }

    /// Whether every file that lists allowed issuers lists `issuer`; the
    /// first list that does not is returned.
    pub fn issuer_denied(&self, issuer: &str) -> Option<(FileId, &'a [Spanned<String>])> {
        self.chain.iter().find_map(|(file, s)| {
            let list = s.guardrails.issuers.as_deref()?;
            (!list.iter().any(|i| i.value == issuer)).then_some((*file, list))
        })
    }

    /// As [`Settings::issuer_denied`], for audiences.
    pub fn audience_denied(&self, audience: &str) -> Option<(FileId, &'a [Spanned<String>])> {
        self.chain.iter().find_map(|(file, s)| {
            let list = s.guardrails.audiences.as_deref()?;
            (!list.iter().any(|a| a.value == audience)).then_some((*file, list))
        })
    }

    /// The first list of allowed methods that leaves `method` out.
    pub fn auth_denied(&self, method: AuthMethod) -> Option<(FileId, &'a [Spanned<AuthMethod>])> {
        self.chain.iter().find_map(|(file, s)| {
            let list = s.guardrails.auth_methods.as_deref()?;
            (!list.iter().any(|m| m.value == method)).then_some((*file, list))
        })
    }

    /// The strictest ceiling on `scope` for `ty`, with where it is set.
    pub fn ceiling(&self, ty: IdentityType, scope: &str) -> Option<(Access, FileId, Span)> {
        let mut best: Option<(Access, FileId, Span)> = None;
        for (file, spec) in self.chain {
            let Some(scopes) = spec.guardrails.max_permissions.find(|t| t.value == ty) else {
                continue;
            };
            let limit = scopes
                .find(|s| s.value == scope)
                .or_else(|| scopes.find(|s| s.value == "*"));
            if let Some(limit) = limit
                && best.is_none_or(|(a, ..)| limit.value < a)
            {
                best = Some((limit.value, *file, limit.span));
            }
        }
        best
    }

    /// Whether `env` is held to production rules in any file (by default,
    /// `production` is).
    pub fn is_production(&self, env: &str) -> bool {
        let mut lists = self
            .chain
            .iter()
            .filter_map(|(_, s)| s.guardrails.production_environments.as_ref())
            .peekable();
        if lists.peek().is_none() {
            return env == "production";
        }
        lists.any(|list| list.iter().any(|e| e.value.0 == env))
    }

    /// The first `environments.<env>.types` list that leaves `ty` out.
    pub fn type_denied(
        &self,
        env: &str,
        ty: IdentityType,
    ) -> Option<(FileId, &'a [Spanned<IdentityType>])> {
        self.chain.iter().find_map(|(file, s)| {
            let list = s
                .guardrails
                .environments
                .find(|e| e.value.0 == env)?
                .types
                .as_deref()?;
            (!list.iter().any(|t| t.value == ty)).then_some((*file, list))
        })
    }

    /// The first `environments.<env>.teams` list that leaves `team` out.
    pub fn team_denied(
        &self,
        env: &str,
        team: &str,
    ) -> Option<(FileId, &'a [Spanned<crate::model::Name>])> {
        self.chain.iter().find_map(|(file, s)| {
            let list = s
                .guardrails
                .environments
                .find(|e| e.value.0 == env)?
                .teams
                .as_deref()?;
            (!list.iter().any(|t| t.value.0 == team)).then_some((*file, list))
        })
    }
}

/// Where a code's severity in a registry comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeveritySource {
    /// Its default: nothing in `tenure.yaml` changes it.
    Default,
    /// `spec.severity` in `tenure.yaml`.
    Configured,
    /// `spec.mode: warn` lowered an error to a warning.
    WarnMode,
}

/// The severity a code has at the root of a registry, after `spec.severity`
/// and `spec.mode`; `None` when it is set to `allow`. Codes that are not
/// policy codes always have their default.
pub fn root_severity(registry: &Registry, code: Code) -> Option<(Severity, SeveritySource)> {
    let chain: Vec<(FileId, &RegistrySpec)> = registry
        .config
        .iter()
        .map(|(file, config)| (*file, &config.spec))
        .collect();
    Settings { chain: &chain }.adjust(code, code.default_severity())
}

impl Settings<'_> {
    /// The severity of a finding of `code` found at `severity`, once
    /// `spec.severity` and `spec.mode` have had their say; `None` when the
    /// code is set to `allow`. Only policy codes change. A lapsed entry
    /// escalated to an error (`--strict`, `--changed`) stays an error unless
    /// its code is set to `allow`.
    pub fn adjust(&self, code: Code, severity: Severity) -> Option<(Severity, SeveritySource)> {
        if !code.is_policy() {
            return Some((severity, SeveritySource::Default));
        }
        let (severity, source) = match self.level(code) {
            Some(Level::Allow) => return None,
            Some(Level::Deny) => (Severity::Error, SeveritySource::Configured),
            Some(Level::Warn) if severity != Severity::Error || code != Code::Expired => {
                (Severity::Warning, SeveritySource::Configured)
            }
            _ => (severity, SeveritySource::Default),
        };
        if self.warn_mode() && severity == Severity::Error {
            return Some((Severity::Warning, SeveritySource::WarnMode));
        }
        Some((severity, source))
    }
}

fn level_in(spec: &RegistrySpec, code: Code) -> Option<Level> {
    spec.severity
        .iter()
        .find(|(c, _)| c.value == code.as_str())
        .map(|(_, l)| l.value)
}

fn level_span(spec: &RegistrySpec, code: &str) -> Option<Span> {
    spec.severity
        .iter()
        .find(|(c, _)| c.value == code)
        .map(|(_, l)| l.span)
}

/// The level a code has when no file sets one.
fn default_level(code: Code) -> Level {
    match code.default_severity() {
        Severity::Error => Level::Deny,
        Severity::Warning | Severity::Note => Level::Warn,
    }
}

/// Names with where each is written.
type Named = Vec<(String, Span)>;

/// Report every value in `child` that is looser than an ancestor's.
fn compare(
    ancestors: &[(FileId, &RegistrySpec)],
    child_file: FileId,
    child: &RegistrySpec,
    out: &mut Vec<Diagnostic>,
) {
    let mut report = |what: String, span: Span, parent: Option<(FileId, Span)>, why: &str| {
        let mut d = Diagnostic::new(
            Code::GuardrailLoosened,
            format!("this `tenure.yaml` loosens {what}"),
        )
        .at(child_file, span, why.to_owned())
        .with_note("a sub-folder may tighten the guardrails above it, never loosen them; this value has no effect");
        if let Some((file, span)) = parent {
            d = d.with_secondary(file, span, "set here");
        }
        out.push(d);
    };

    if let Some(list) = &child.environments {
        for env in list {
            for (i, (file, spec)) in ancestors.iter().enumerate() {
                // The root's defaults bind too when it lists none.
                let binds = spec.environments.is_some() || i == 0;
                if binds && !spec.has_environment(&env.value.0) {
                    let at = spec
                        .environments
                        .as_ref()
                        .and_then(|l| l.first())
                        .map(|e| (*file, e.span));
                    report(
                        format!(
                            "`environments`: `{}` is not an environment above it",
                            env.value.0
                        ),
                        env.span,
                        at,
                        "not listed above",
                    );
                    break;
                }
            }
        }
    }
    if let Some(window) = &child.renew_window {
        for (file, spec) in ancestors {
            if let Some(up) = &spec.renew_window
                && window.value < up.value
            {
                report(
                    format!(
                        "`renewWindow` ({} is shorter than {})",
                        window.value, up.value
                    ),
                    window.span,
                    Some((*file, up.span)),
                    "shorter than above",
                );
                break;
            }
        }
    }
    if let Some(mode) = &child.mode
        && mode.value == Mode::Warn
    {
        // `warn` is allowed only where every file above allows it.
        let warn_above = ancestors
            .first()
            .is_some_and(|(_, s)| s.mode.as_ref().is_some_and(|m| m.value == Mode::Warn))
            && ancestors[1..]
                .iter()
                .all(|(_, s)| s.mode.as_ref().is_none_or(|m| m.value == Mode::Warn));
        if !warn_above {
            let at = ancestors
                .iter()
                .rev()
                .find_map(|(f, s)| s.mode.as_ref().map(|m| (*f, m.span)));
            report(
                "`mode` (`warn` turns errors into warnings)".to_owned(),
                mode.span,
                at,
                "looser than above",
            );
        }
    }
    for (code_name, level) in &child.severity {
        let Some(code) = Code::parse(&code_name.value) else {
            continue;
        };
        let inherited = Settings { chain: ancestors }.level(code);
        let floor = inherited.unwrap_or_else(|| default_level(code));
        if level.value < floor {
            let at = ancestors
                .iter()
                .rev()
                .find_map(|(f, s)| level_span(s, code.as_str()).map(|sp| (*f, sp)));
            report(
                format!("`severity.{}` below the level above it", code.as_str()),
                level.span,
                at,
                "lower than above",
            );
        }
    }

    let g = &child.guardrails;
    let limits = |spec: &RegistrySpec| spec.guardrails.max_lifetime.clone();
    // A limit is compared with the same key above it and with the default
    // above it, which applies to everything.
    let mut lifetime =
        |what: &str,
         value: &Spanned<crate::model::Days>,
         pick: &dyn Fn(&crate::model::MaxLifetime) -> Option<Spanned<crate::model::Days>>| {
            for (file, spec) in ancestors {
                let limits = limits(spec);
                let above = [(what, pick(&limits)), ("default", limits.default.clone())];
                for (key, up) in above {
                    if let Some(up) = up
                        && value.value > up.value
                    {
                        report(
                            format!(
                                "`guardrails.maxLifetime.{what}` ({} is longer than `{key}`, {})",
                                value.value, up.value
                            ),
                            value.span,
                            Some((*file, up.span)),
                            "longer than above",
                        );
                        return;
                    }
                }
            }
        };
    if let Some(v) = &g.max_lifetime.default {
        lifetime("default", v, &|m| m.default.clone());
    }
    if let Some(v) = &g.max_lifetime.signing_keys {
        lifetime("signingKeys", v, &|m| m.signing_keys.clone());
    }
    if let Some(v) = &g.max_lifetime.third_party {
        lifetime("thirdParty", v, &|m| m.third_party.clone());
    }
    for (ty, v) in &g.max_lifetime.types {
        let key = ty.value;
        lifetime(&format!("types.{}", key.as_str()), v, &|m| {
            m.types.find(|t| t.value == key).cloned()
        });
    }
    for (env, v) in &g.max_lifetime.environments {
        let key = env.value.0.clone();
        lifetime(&format!("environments.{key}"), v, &|m| {
            m.environments.find(|e| e.value.0 == key).cloned()
        });
    }

    let mut subset =
        |what: &str, items: Vec<(String, Span)>, pick: &dyn Fn(&RegistrySpec) -> Option<Named>| {
            for (name, span) in items {
                for (file, spec) in ancestors {
                    if let Some(list) = pick(spec)
                        && !list.iter().any(|(n, _)| *n == name)
                    {
                        report(
                            format!("`guardrails.{what}`: `{name}` is not allowed above it"),
                            span,
                            list.first().map(|(_, s)| (*file, *s)),
                            "not allowed above",
                        );
                        break;
                    }
                }
            }
        };
    let strings = |l: &Option<Vec<Spanned<String>>>| {
        l.as_ref().map(|l| {
            l.iter()
                .map(|i| (i.value.clone(), i.span))
                .collect::<Vec<_>>()
        })
    };
    if let Some(items) = strings(&g.issuers) {
        subset("issuers", items, &|s| strings(&s.guardrails.issuers));
    }
    if let Some(items) = strings(&g.audiences) {
        subset("audiences", items, &|s| strings(&s.guardrails.audiences));
    }
    let methods = |l: &Option<Vec<Spanned<AuthMethod>>>| {
        l.as_ref().map(|l| {
            l.iter()
                .map(|i| (i.value.as_str().to_owned(), i.span))
                .collect::<Vec<_>>()
        })
    };
    if let Some(items) = methods(&g.auth_methods) {
        subset("authMethods", items, &|s| {
            methods(&s.guardrails.auth_methods)
        });
    }
    for (env, rules) in &g.environments {
        let key = env.value.0.clone();
        if let Some(types) = &rules.types {
            let items = types
                .iter()
                .map(|t| (t.value.as_str().to_owned(), t.span))
                .collect();
            subset(&format!("environments.{key}.types"), items, &|s| {
                s.guardrails
                    .environments
                    .find(|e| e.value.0 == key)?
                    .types
                    .as_ref()
                    .map(|l| {
                        l.iter()
                            .map(|t| (t.value.as_str().to_owned(), t.span))
                            .collect()
                    })
            });
        }
        if let Some(teams) = &rules.teams {
            let items = teams.iter().map(|t| (t.value.0.clone(), t.span)).collect();
            subset(&format!("environments.{key}.teams"), items, &|s| {
                s.guardrails
                    .environments
                    .find(|e| e.value.0 == key)?
                    .teams
                    .as_ref()
                    .map(|l| l.iter().map(|t| (t.value.0.clone(), t.span)).collect())
            });
        }
    }
    for (ty, scopes) in &g.max_permissions {
        for (scope, access) in scopes {
            let chain = Settings { chain: ancestors };
            if let Some((up, file, span)) = chain.ceiling(ty.value, &scope.value)
                && access.value > up
            {
                report(
                    format!(
                        "`guardrails.maxPermissions.{}.{}` (`{}` is above `{}`)",
                        ty.value.as_str(),
                        scope.value,
                        access.value.as_str(),
                        up.as_str()
                    ),
                    access.span,
                    Some((file, span)),
                    "above the ceiling set above",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::rules::testing::{codes, identity, run};

    const NESTED: &str = "apiVersion: tenure/v1\nkind: Registry\nmetadata:\n  name: sub\n  owner: team-a\n  description: A sub-folder.\nspec:\n";

    #[test]
    fn a_sub_folder_may_tighten() {
        let sub = format!(
            "{NESTED}  renewWindow: 60d\n  severity:\n    expires-soon: deny\n  guardrails:\n    maxLifetime:\n      default: 30d\n"
        );
        let long = identity("x", "2026-11-01", "2027-01-01", "");
        let found = run(&[("sub/tenure.yaml", &sub), ("sub/x.yaml", &long)]);
        let codes_below: Vec<_> = found.iter().map(|d| (d.code, d.severity)).collect();
        assert_eq!(
            codes_below,
            vec![
                (Code::LifetimeExceeded, crate::diagnostic::Severity::Error),
                (Code::ExpiresSoon, crate::diagnostic::Severity::Error)
            ],
            "the tighter limit, window and severity apply below the file"
        );
        assert_eq!(
            codes(&[("sub/tenure.yaml", &sub), ("x.yaml", &long)]),
            vec![],
            "and only there"
        );
    }

    #[test]
    fn the_default_environments_and_lifetime_bind_sub_folders() {
        // The root lists no environments here: the defaults bind.
        let root = "apiVersion: tenure/v1\nkind: Registry\nmetadata:\n  name: t\n  owner: team-a\n  description: Test registry.\nspec:\n  guardrails:\n    maxLifetime:\n      default: 1y\n";
        let sub = format!(
            "{NESTED}  environments: [sandbox]\n  guardrails:\n    maxLifetime:\n      types:\n        api-key: 2y\n"
        );
        let x = identity("x", "2026-06-01", "2027-03-01", "")
            .replace("environment: ci", "environment: sandbox");
        let found: Vec<_> =
            crate::rules::testing::run_with(root, &[("sub/tenure.yaml", &sub), ("sub/x.yaml", &x)])
                .into_iter()
                .map(|d| d.code)
                .collect();
        assert_eq!(
            found,
            vec![
                Code::GuardrailLoosened,
                Code::GuardrailLoosened,
                Code::UnknownEnvironment
            ]
        );
    }

    #[test]
    fn loosening_is_reported_with_both_places_and_ignored() {
        let sub = format!(
            "{NESTED}  environments: [production, ci, sandbox]\n  mode: warn\n  severity:\n    expired: allow\n  guardrails:\n    maxLifetime:\n      default: 3y\n"
        );
        let found = run(&[
            ("sub/tenure.yaml", &sub),
            ("sub/x.yaml", &identity("x", "2020-01-01", "2020-06-01", "")),
        ]);
        let loosened: Vec<_> = found
            .iter()
            .filter(|d| d.code == Code::GuardrailLoosened)
            .collect();
        assert_eq!(loosened.len(), 3, "{found:#?}");
        assert!(
            loosened
                .iter()
                .all(|d| d.severity == crate::diagnostic::Severity::Error)
        );
        // The root lists environments, so the loosened list points there too.
        assert!(loosened.iter().any(|d| !d.secondary.is_empty()));
        // `expired: allow` and `mode: warn` had no effect.
        assert!(
            found
                .iter()
                .any(|d| d.code == Code::Expired
                    && d.severity == crate::diagnostic::Severity::Warning)
        );
    }
}
