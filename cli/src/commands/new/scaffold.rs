//! Writing a new declaration as YAML: block style, fields in the order of the
//! registry format, and every value from the command line written so that
//! YAML 1.1 and 1.2 tools read the same string.

/// The values of a new declaration, resolved from flags and answers.
#[derive(Debug, Default)]
pub(crate) struct Values {
    pub(crate) name: String,
    pub(crate) owner: String,
    pub(crate) description: String,
    pub(crate) labels: Vec<(String, String)>,
    pub(crate) identity: IdentityValues,
    pub(crate) signing: SigningValues,
    pub(crate) team: TeamValues,
}

/// What only an Identity has.
#[derive(Debug, Default)]
pub(crate) struct IdentityValues {
    pub(crate) identity_type: String,
    pub(crate) environment: String,
    pub(crate) vendor: Option<String>,
    pub(crate) repository: Option<String>,
    pub(crate) github_environment: Option<String>,
    pub(crate) workflow: Option<String>,
    pub(crate) git_ref: Option<String>,
    pub(crate) aws_account: Option<String>,
    pub(crate) aws_role: Option<String>,
    pub(crate) aws_user: Option<String>,
    pub(crate) issuer: Option<String>,
    pub(crate) subject: Option<String>,
    pub(crate) subject_pattern: Option<String>,
    pub(crate) audience: Option<String>,
    pub(crate) public_key: Option<String>,
    pub(crate) permissions: Vec<(String, String)>,
    pub(crate) justification: Option<String>,
}

/// What only a SigningKey has.
#[derive(Debug, Default)]
pub(crate) struct SigningValues {
    pub(crate) environment: Option<String>,
    pub(crate) issuer: Option<String>,
    pub(crate) identity: Option<String>,
    pub(crate) identity_pattern: Option<String>,
    pub(crate) repository: Option<String>,
    pub(crate) workflow: Option<String>,
    pub(crate) refs: Vec<String>,
    pub(crate) algorithm: Option<String>,
    pub(crate) pem: Option<String>,
    pub(crate) artifacts: Vec<String>,
    pub(crate) predicate_types: Vec<String>,
}

/// What only a Team has.
#[derive(Debug, Default)]
pub(crate) struct TeamValues {
    pub(crate) members: Vec<String>,
    pub(crate) maintainers: Vec<String>,
    pub(crate) github_team: Option<String>,
    pub(crate) email: Option<String>,
    pub(crate) chat: Option<String>,
}

/// The kinds `tenure new` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum NewKind {
    /// A machine identity (`kind: Identity`).
    Identity,
    /// Who may sign what (`kind: SigningKey`).
    SigningKey,
    /// A team of people that owns declarations (`kind: Team`).
    Team,
}

impl NewKind {
    pub(crate) fn kind(self) -> tenure_schema::model::Kind {
        match self {
            NewKind::Identity => tenure_schema::model::Kind::Identity,
            NewKind::SigningKey => tenure_schema::model::Kind::SigningKey,
            NewKind::Team => tenure_schema::model::Kind::Team,
        }
    }
}

/// The file text. `term` is `(created, expires)` as written, for the kinds
/// that have one; `schema` is what the editor's `$schema` comment points at.
pub(crate) fn render(
    kind: NewKind,
    v: &Values,
    schema: &str,
    term: Option<(&str, &str)>,
) -> String {
    let mut y = Yaml::default();
    y.raw(0, &format!("# yaml-language-server: $schema={schema}"));
    y.raw(0, "apiVersion: tenure/v1");
    y.raw(0, &format!("kind: {}", kind.kind().as_str()));
    y.open(0, "metadata");
    y.pair(1, "name", &v.name);
    y.pair(1, "owner", &v.owner);
    y.pair(1, "description", &v.description);
    if !v.labels.is_empty() {
        y.open(1, "labels");
        for (key, value) in &v.labels {
            y.pair(2, key, value);
        }
    }
    y.open(0, "spec");
    match kind {
        NewKind::Identity => identity(&mut y, &v.identity, term),
        NewKind::SigningKey => signing_key(&mut y, &v.signing, term),
        NewKind::Team => team(&mut y, &v.team),
    }
    y.out
}

fn dates(y: &mut Yaml, term: Option<(&str, &str)>) {
    if let Some((created, expires)) = term {
        // Instants are written by tenure itself, as dates or timestamps, which
        // every YAML version reads as strings.
        y.raw(1, &format!("created: {created}"));
        y.raw(1, &format!("expires: {expires}"));
    }
}

fn identity(y: &mut Yaml, v: &IdentityValues, term: Option<(&str, &str)>) {
    y.pair(1, "type", &v.identity_type);
    y.pair(1, "environment", &v.environment);
    dates(y, term);
    y.maybe(1, "vendor", v.vendor.as_deref());
    if let Some(repository) = &v.repository {
        y.open(1, "github");
        y.pair(2, "repository", repository);
        y.maybe(2, "environment", v.github_environment.as_deref());
        y.maybe(2, "workflow", v.workflow.as_deref());
        y.maybe(2, "ref", v.git_ref.as_deref());
    }
    if let Some(account) = &v.aws_account {
        y.open(1, "aws");
        y.pair(2, "account", account);
        y.maybe(2, "role", v.aws_role.as_deref());
        y.maybe(2, "user", v.aws_user.as_deref());
    }
    if let Some(issuer) = &v.issuer {
        y.open(1, "federation");
        y.pair(2, "issuer", issuer);
        y.maybe(2, "subject", v.subject.as_deref());
        y.maybe(2, "subjectPattern", v.subject_pattern.as_deref());
        y.maybe(2, "audience", v.audience.as_deref());
    }
    if let Some(key) = &v.public_key {
        y.open(1, "key");
        y.text(2, "publicKey", key);
    }
    if !v.permissions.is_empty() {
        y.open(1, "permissions");
        for (scope, access) in &v.permissions {
            y.pair(2, scope, access);
        }
    }
    y.maybe(1, "justification", v.justification.as_deref());
}

fn signing_key(y: &mut Yaml, v: &SigningValues, term: Option<(&str, &str)>) {
    y.maybe(1, "environment", v.environment.as_deref());
    dates(y, term);
    if let Some(issuer) = &v.issuer {
        y.open(1, "keyless");
        y.pair(2, "issuer", issuer);
        y.maybe(2, "identity", v.identity.as_deref());
        y.maybe(2, "identityPattern", v.identity_pattern.as_deref());
        if let Some(repository) = &v.repository {
            y.open(2, "github");
            y.pair(3, "repository", repository);
            y.maybe(3, "workflow", v.workflow.as_deref());
            y.list(3, "refs", &v.refs);
        }
    }
    if let Some(pem) = &v.pem {
        y.open(1, "publicKey");
        y.maybe(2, "algorithm", v.algorithm.as_deref());
        y.text(2, "pem", pem);
    }
    y.open(1, "allows");
    y.list(2, "artifacts", &v.artifacts);
    y.list(2, "predicateTypes", &v.predicate_types);
}

fn team(y: &mut Yaml, v: &TeamValues) {
    y.maybe(1, "githubTeam", v.github_team.as_deref());
    y.list(1, "maintainers", &v.maintainers);
    y.list(1, "members", &v.members);
    if v.email.is_some() || v.chat.is_some() {
        y.open(1, "contact");
        y.maybe(2, "email", v.email.as_deref());
        y.maybe(2, "chat", v.chat.as_deref());
    }
}

/// A block-style YAML writer, two spaces per level.
#[derive(Default)]
struct Yaml {
    out: String,
}

impl Yaml {
    fn raw(&mut self, level: usize, line: &str) {
        self.out.push_str(&"  ".repeat(level));
        self.out.push_str(line);
        self.out.push('\n');
    }

    fn open(&mut self, level: usize, key: &str) {
        self.raw(level, &format!("{}:", scalar(key)));
    }

    fn pair(&mut self, level: usize, key: &str, value: &str) {
        self.raw(level, &format!("{}: {}", scalar(key), scalar(value)));
    }

    fn maybe(&mut self, level: usize, key: &str, value: Option<&str>) {
        if let Some(value) = value {
            self.pair(level, key, value);
        }
    }

    fn list(&mut self, level: usize, key: &str, items: &[String]) {
        if items.is_empty() {
            return;
        }
        self.open(level, key);
        for item in items {
            self.raw(level + 1, &format!("- {}", scalar(item)));
        }
    }

    /// A value that may span lines (a PEM key) as a literal block.
    fn text(&mut self, level: usize, key: &str, value: &str) {
        if !value.contains('\n') {
            return self.pair(level, key, value);
        }
        self.open(level, key);
        let last = self.out.len() - 1;
        self.out.insert_str(last, " |");
        for line in value.lines() {
            self.raw(level + 1, line.trim_end());
        }
    }
}

/// `text` as a YAML scalar: plain when that is unambiguous, otherwise in
/// double quotes with JSON escapes (valid YAML).
///
/// Plain is kept to a safe subset: it starts with a letter, `.` or `/`, holds
/// only letters, digits, spaces and `. _ / : @ + = , ; ( ) ' -`, has no `: `
/// or ` #`, does not end in a space or `:`, and is not a word YAML 1.1 reads
/// as a boolean or null (`yes`, `no`, `on`, `off`, `y`, `n`, `true`, `null`).
pub(crate) fn scalar(text: &str) -> String {
    const SPECIAL: [&str; 12] = [
        "y", "n", "yes", "no", "on", "off", "true", "false", "null", ".inf", ".nan", "",
    ];
    let mut chars = text.chars();
    let starts_ok = match chars.next() {
        Some(c) if c.is_ascii_alphabetic() || c == '/' => true,
        // `.5` is a number.
        Some('.') => chars.next().is_some_and(|c| !c.is_ascii_digit()),
        _ => false,
    };
    let chars_ok = text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || " ._/:@+=,;()'-".contains(c));
    let plain = starts_ok
        && chars_ok
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.ends_with([' ', ':'])
        && !SPECIAL.contains(&text.to_ascii_lowercase().as_str());
    if plain {
        text.to_owned()
    } else {
        serde_json::to_string(text).unwrap_or_else(|_| format!("{text:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_are_plain_only_when_every_reader_agrees() {
        assert_eq!(scalar("acme/web"), "acme/web");
        assert_eq!(
            scalar("https://token.actions.githubusercontent.com"),
            "https://token.actions.githubusercontent.com"
        );
        assert_eq!(scalar("Deploys the web app."), "Deploys the web app.");
        assert_eq!(
            scalar(".github/workflows/ci.yml"),
            ".github/workflows/ci.yml"
        );
        for quoted in [
            "yes",
            "No",
            "123456789012",
            "#platform",
            "a: b",
            "a #b",
            "refs/tags/v*",
            "^repo:acme/web:ref:refs/heads/main$",
            "München",
            ".5",
            ".Inf",
            "line\nbreak",
            "",
        ] {
            let out = scalar(quoted);
            assert!(out.starts_with('"'), "{quoted:?} -> {out}");
        }
        assert_eq!(scalar("a\\b\"c"), r#""a\\b\"c""#);
    }

    #[test]
    fn a_team_renders_in_block_style() {
        let v = Values {
            name: "payments".into(),
            owner: "payments".into(),
            description: "Runs invoicing.".into(),
            team: TeamValues {
                members: vec!["grace".into()],
                chat: Some("#payments".into()),
                ..TeamValues::default()
            },
            ..Values::default()
        };
        assert_eq!(
            render(NewKind::Team, &v, "team.schema.json", None),
            "# yaml-language-server: $schema=team.schema.json\napiVersion: tenure/v1\nkind: Team\nmetadata:\n  name: payments\n  owner: payments\n  description: Runs invoicing.\nspec:\n  members:\n    - grace\n  contact:\n    chat: \"#payments\"\n"
        );
    }

    #[test]
    fn a_pem_key_is_a_literal_block() {
        let v = Values {
            signing: SigningValues {
                algorithm: Some("ed25519".into()),
                pem: Some("-----BEGIN PUBLIC KEY-----\nMCowBQ\n-----END PUBLIC KEY-----\n".into()),
                artifacts: vec!["web-*.tar.gz".into()],
                ..SigningValues::default()
            },
            ..Values::default()
        };
        let text = render(
            NewKind::SigningKey,
            &v,
            "s",
            Some(("2026-11-24", "2027-11-23")),
        );
        assert!(
            text.contains("  publicKey:\n    algorithm: ed25519\n    pem: |\n      -----BEGIN PUBLIC KEY-----\n      MCowBQ\n      -----END PUBLIC KEY-----\n  allows:\n    artifacts:\n      - \"web-*.tar.gz\"\n"),
            "{text}"
        );
    }
}
