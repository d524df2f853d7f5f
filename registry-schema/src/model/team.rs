//! `kind: Team`: the people who own declarations.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Deserialize;

use super::common::{ApiVersion, Metadata};
use crate::span::Spanned;

/// A team of people that owns declarations.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(title = "tenure Team")]
pub struct Team {
    /// Always `tenure/v1`.
    pub api_version: ApiVersion,
    /// Always `Team`.
    pub kind: TeamKind,
    /// Name, owner, description and labels.
    pub metadata: Metadata,
    /// Who is in it and how to reach them.
    pub spec: TeamSpec,
}

/// The `kind` value of a Team.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum TeamKind {
    /// `Team`.
    Team,
}

/// The body of a Team.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TeamSpec {
    /// GitHub logins of the members.
    #[serde(default)]
    pub members: Vec<Spanned<Login>>,
    /// GitHub logins of those who may change the team.
    #[serde(default)]
    pub maintainers: Vec<Spanned<Login>>,
    /// How to reach the team.
    #[serde(default)]
    pub contact: Option<Contact>,
    /// The matching GitHub team, for review requests and CODEOWNERS: `org/slug`,
    /// `@org/slug`, or the team's page on GitHub or GitHub Enterprise Server,
    /// `https://HOST/orgs/ORG/teams/SLUG`.
    #[serde(default)]
    #[schemars(pattern(
        r"^(@?[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9][A-Za-z0-9_.-]*|https://[A-Za-z0-9][A-Za-z0-9.-]*(:[0-9]+)?/orgs/[A-Za-z0-9][A-Za-z0-9-]*/teams/[A-Za-z0-9][A-Za-z0-9_.-]*/?)$"
    ))]
    pub github_team: Option<Spanned<String>>,
}

impl TeamSpec {
    /// Members and maintainers together.
    pub fn people(&self) -> usize {
        self.members.len() + self.maintainers.len()
    }
}

/// A GitHub login.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(transparent)]
pub struct Login(pub String);

impl JsonSchema for Login {
    fn schema_name() -> Cow<'static, str> {
        "Login".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "A GitHub login.",
            "pattern": "^[A-Za-z0-9][A-Za-z0-9-]{0,38}(\\[bot\\])?$"
        })
    }
}

/// Ways to reach a team.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Contact {
    /// An e-mail address.
    #[serde(default)]
    #[schemars(pattern(r"^[^@\s]+@[^@\s]+$"))]
    pub email: Option<Spanned<String>>,
    /// A chat channel, e.g. `#platform`.
    #[serde(default)]
    pub chat: Option<Spanned<String>>,
    /// An on-call or runbook page.
    #[serde(default)]
    #[schemars(pattern(r"^https://"))]
    pub url: Option<Spanned<String>>,
}
