#!/usr/bin/env python3
"""Generate a synthetic, valid tenure registry for benchmarks, with every rule on.

    python3 bench/gen_registry.py OUT_DIR N [--seed S] [--force]
                                  [--no-guardrails] [--findings RATE] [--print-marker]

Writes N declarations (Teams + Identities + SigningKeys; `tenure.yaml` files
are settings and are not counted) under OUT_DIR:

    tenure.yaml                     kind: Registry: environments, renewWindow, mode, severity,
                                    and every guardrail (maxLifetime default/types/environments/
                                    signingKeys/thirdParty, issuers, audiences, authMethods,
                                    maxPermissions, productionEnvironments, environments.production
                                    .types and .teams)
    teams/<team>.yaml               max(5, round(N/200)) Teams, each with members
    signing-keys/<key>.yaml         max(3, N//1000) SigningKeys: keyless (pinned to the release
                                    workflow and refs) or an Ed25519 / ECDSA P-256 PEM public key
    services/<team>/<name>.yaml     the Identities, ~200 per folder (owner team)
    services/<team>/tenure.yaml     every 10th team: a sub-folder `tenure.yaml` that tightens the
                                    root's guardrails (shorter lifetimes, longer renew window,
                                    fewer auth methods, `staging` held to production rules,
                                    higher severities)

Identities use every input the rules read: federation with an issuer from the
allow-list (GitHub Actions, or one of six GKE-style cluster issuers for
service accounts), an audience, and a subject or an anchored subjectPattern tied to
`environment:` or `ref:` (production ones bound to a GitHub environment, an
exact branch or tags); claimPatterns; GitHub bindings with workflow, environment
and ref (a glob outside production); AWS bindings; deploy keys with unique,
structurally valid `ssh-ed25519` / `ecdsa-sha2-nistp256` public keys; explicit
`auth` on some; `interactive: false` on some bots; `vendor` on every
github-app and ai-agent (`self` or a third party; third parties hold read
access only); `write` grants under the `maxPermissions` ceilings, always with a
justification; a few pairs of roles that deliberately share a federation
subject, both with `shared:`. Every term respects the strictest `maxLifetime`
that applies, `created` is never after 2026-11-20 and `expires` is outside the
renew window, so `tenure check OUT_DIR --now 2026-11-24` reports nothing.

--no-guardrails writes the same declarations with a `tenure.yaml` that only
lists environments and the renew window (and no sub-folder `tenure.yaml`):
the rules that read guardrails then have nothing to compare against.

--findings RATE (default 0) gives that share of identities one realistic
warning-level finding (`expires-soon`, `expired`, or `third-party-write` for a
vendor app or agent with write access), so the run still has zero errors.

--eks-issuers gives the service accounts EKS-style cluster issuers
(`https://oidc.eks.REGION.amazonaws.com/id/` + 32 upper-case hex digits, the
form AWS uses) instead of GKE-style ones. The secret scanner currently takes
most of those issuer URLs for high-entropy secrets (`secret-in-registry`), so
that registry does not check clean; the default avoids it.

Output is deterministic for given (N, seed, flags). A marker `.bench-complete`
(a dot-file, which tenure skips) is written last; --print-marker prints what it
would hold and exits (bench/run.sh uses it to decide whether to regenerate).
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import os
import random
import shutil
import sys

# Bump when the generated files change, so that bench/run.sh regenerates.
GEN_VERSION = 2
MARKER = ".bench-complete"
MAX_PER_FOLDER = 1000

TEAM_WORDS = [
    "payments", "platform", "identity", "search", "billing", "checkout", "data",
    "infra", "mobile", "web", "growth", "risk", "fraud", "ledger", "notify",
    "catalog", "pricing", "ads", "ml", "observability", "storage", "network",
    "edge", "auth", "support", "ops", "release", "security", "compliance", "core",
]
SVC_WORDS = [
    "api", "worker", "gateway", "scheduler", "ingest", "export", "sync", "indexer",
    "router", "cache", "web", "cron", "etl", "backup", "reporter", "mailer",
]
PEOPLE = [
    "ada", "grace", "linus", "alan", "barbara", "ken", "dennis", "margaret",
    "edsger", "donald", "frances", "john", "radia", "tim", "vint", "hedy",
]
TYPES = [
    # (type, weight)
    ("github-actions", 30),
    ("deploy-key", 12),
    ("aws-iam-role", 18),
    ("api-key", 12),
    ("service-account", 14),
    ("bot", 8),
    ("ai-agent", 6),
    ("github-app", 5),
]
ENVS = [("production", 35), ("staging", 25), ("development", 20), ("ci", 20)]
ENV_NAMES = [e for e, _ in ENVS]
API_SERVICES = ["Datadog", "PagerDuty", "Stripe", "Sentry", "Snowflake", "Twilio", "SendGrid", "Algolia"]
AI_VENDORS = ["Anthropic", "OpenAI", "GitHub Copilot", "Acme Agents"]
APP_VENDORS = ["Snyk", "Codecov", "Sentry", "Linear", "Slack", "SonarCloud"]
GH_SCOPES = ["contents", "deployments", "id-token", "packages", "pull-requests", "issues", "checks", "statuses", "actions"]
AWS_SCOPES = ["s3", "ecr", "ecs", "lambda", "sqs", "sns", "dynamodb", "kms", "secretsmanager", "cloudwatch"]
API_SCOPES = ["metrics", "events", "logs", "incidents", "charges", "customers", "messages", "indexes"]
K8S_SCOPES = ["pods", "deployments", "configmaps", "secrets", "jobs", "services"]
AWS_POLICIES = [
    "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
    "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser",
    "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy",
    "arn:aws:iam::aws:policy/AmazonSQSFullAccess",
    "arn:aws:iam::aws:policy/AWSLambda_FullAccess",
]
WORKFLOWS = ["deploy", "release", "ci", "publish", "terraform"]

GITHUB_ISSUER = "https://token.actions.githubusercontent.com"
EKS_REGIONS = ["eu-west-1", "us-east-1", "ap-southeast-2"]
ORG_AUDIENCE = "https://github.com/acme"
AWS_AUDIENCE = "sts.amazonaws.com"
AUDIENCES = [AWS_AUDIENCE, ORG_AUDIENCE]

# --- guardrails (root tenure.yaml), as data: written out and obeyed ----------
ROOT_LIFETIME = {
    "default": 730,
    "types": {"api-key": 180, "deploy-key": 365, "github-app": 365, "bot": 365,
              "ai-agent": 90, "service-account": 365},
    "environments": {"production": 400, "development": 365},
    "signingKeys": 365,
    "thirdParty": 180,
}
# Every 10th team's own tenure.yaml tightens these.
NESTED_LIFETIME = {"default": 540, "types": {"api-key": 120}}
ROOT_AUTH = ["oidc", "assume-role", "ssh-key", "app-key", "api-key", "fine-grained-token", "token"]
NESTED_AI_AGENT_CEILING = {"*": "read", "contents": "write", "pull-requests": "write"}
NESTED_AUTH = ["oidc", "assume-role", "ssh-key", "app-key", "api-key", "token"]
# (type -> {scope: ceiling}); "*" covers scopes not named.
MAX_PERMISSIONS = {
    "github-actions": {"*": "write"},
    "deploy-key": {"*": "read", "contents": "write"},
    "github-app": {"*": "read", "checks": "write", "statuses": "write", "pull-requests": "write"},
    "bot": {"*": "read", "pull-requests": "write", "issues": "write"},
    "ai-agent": {"*": "read", "contents": "write", "pull-requests": "write"},
    "aws-iam-role": {"*": "write", "kms": "read"},
    "service-account": {"*": "write", "secrets": "read"},
    "api-key": {"*": "write"},
}
PROD_TYPES = ["github-actions", "deploy-key", "github-app", "aws-iam-role", "api-key", "service-account", "bot"]
ROOT_SEVERITY = {
    "created-in-future": "deny",
    "federation-preferred": "deny",
    "expires-soon": "warn",
    "third-party-write": "warn",
}
NESTED_SEVERITY = {"created-in-future": "deny", "third-party-write": "deny", "confusable-name": "deny"}
NESTED_RENEW_WINDOW = 45

NOW = dt.date(2026, 11, 24)
CREATED_FROM = dt.date(2025, 1, 1).toordinal()
CREATED_TO = dt.date(2026, 11, 20).toordinal()  # never after --now 2026-11-24
# Outside the widest renew window (45 days in sub-folders) seen from --now.
EXPIRES_FROM = dt.date(2027, 1, 15).toordinal()
EXPIRES_TO = dt.date(2028, 12, 31).toordinal()


def weighted(pairs):
    out = []
    for value, weight in pairs:
        out.extend([value] * weight)
    return out


TYPE_BAG = weighted(TYPES)
ENV_BAG = weighted(ENVS)


def date_str(ordinal: int) -> str:
    return dt.date.fromordinal(ordinal).isoformat()


def duration(days: int) -> str:
    return f"{days // 365}y" if days % 365 == 0 else f"{days}d"


def flow_map(scopes: dict[str, str]) -> str:
    return "{" + ", ".join(f'"{s}": {a}' if s == "*" else f"{s}: {a}" for s, a in scopes.items()) + "}"


def team_names(count: int) -> list[str]:
    names = []
    for i in range(count):
        word = TEAM_WORDS[i % len(TEAM_WORDS)]
        names.append(word if i < len(TEAM_WORDS) else f"{word}-{i // len(TEAM_WORDS) + 1}")
    return names


def in_production_teams(t: int) -> bool:
    """Teams allowed to own declarations in production: four in five."""
    return t % 5 != 4


def has_nested_config(t: int) -> bool:
    return t % 10 == 3


def cluster_issuers(seed: int, eks: bool) -> list[str]:
    """The OIDC issuers of six Kubernetes clusters. GKE-style by default; with
    `eks`, EKS-style (`.../id/` + 32 upper-case hex digits, as AWS writes
    them), which the secret scanner takes for a high-entropy secret."""
    if not eks:
        return [
            f"https://container.googleapis.com/v1/projects/acme-{project}/locations/{region}/clusters/{cluster}"
            for project, region in [("prod", "europe-west1"), ("prod", "us-central1"), ("nonprod", "europe-west1")]
            for cluster in ("main", "batch")
        ]
    r = random.Random(seed * 1_000_003 + 17)
    return [
        f"https://oidc.eks.{region}.amazonaws.com/id/{r.getrandbits(128):032X}"
        for region in EKS_REGIONS
        for _ in range(2)
    ]


# --- keys --------------------------------------------------------------------
def ssh_string(b: bytes) -> bytes:
    return len(b).to_bytes(4, "big") + b


def ssh_ed25519(rng: random.Random, comment: str) -> str:
    blob = ssh_string(b"ssh-ed25519") + ssh_string(rng.randbytes(32))
    return f"ssh-ed25519 {base64.b64encode(blob).decode()} {comment}"


def ssh_ecdsa_p256(rng: random.Random, comment: str) -> str:
    point = b"\x04" + rng.randbytes(64)
    blob = ssh_string(b"ecdsa-sha2-nistp256") + ssh_string(b"nistp256") + ssh_string(point)
    return f"ecdsa-sha2-nistp256 {base64.b64encode(blob).decode()} {comment}"


def pem_public_key(rng: random.Random, algorithm: str) -> str:
    if algorithm == "ed25519":
        # SubjectPublicKeyInfo { {id-Ed25519}, BIT STRING (32 bytes) }
        der = bytes.fromhex("302a300506032b6570032100") + rng.randbytes(32)
    else:
        # SubjectPublicKeyInfo { {id-ecPublicKey, prime256v1}, BIT STRING (04 || X || Y) }
        der = bytes.fromhex("3059301306072a8648ce3d020106082a8648ce3d030107034200") + b"\x04" + rng.randbytes(64)
    b64 = base64.b64encode(der).decode()
    lines = [b64[i:i + 64] for i in range(0, len(b64), 64)]
    return "-----BEGIN PUBLIC KEY-----\n" + "\n".join(lines) + "\n-----END PUBLIC KEY-----\n"


# --- terms -------------------------------------------------------------------
def lifetime_limit(kind: str, ityp: str | None, env: str | None, third_party: bool, nested: bool) -> int:
    """The strictest maxLifetime that applies, as lifetime_exceeded computes it."""
    limits = [ROOT_LIFETIME["default"]]
    if kind == "SigningKey":
        limits.append(ROOT_LIFETIME["signingKeys"])
    else:
        if ityp in ROOT_LIFETIME["types"]:
            limits.append(ROOT_LIFETIME["types"][ityp])
        if env in ROOT_LIFETIME["environments"]:
            limits.append(ROOT_LIFETIME["environments"][env])
        if third_party:
            limits.append(ROOT_LIFETIME["thirdParty"])
    if nested:
        limits.append(NESTED_LIFETIME["default"])
        if kind != "SigningKey" and ityp in NESTED_LIFETIME["types"]:
            limits.append(NESTED_LIFETIME["types"][ityp])
    return min(limits)


def term(rng: random.Random, limit_days: int) -> tuple[int, int]:
    """(created, expires) ordinals: created <= CREATED_TO, expires >= EXPIRES_FROM,
    and the term (created to the end of `expires`) within limit_days. Two days of
    margin: `expires` counts to its end, and some `created` carry a time."""
    span = limit_days - 2
    expires = rng.randint(EXPIRES_FROM, min(EXPIRES_TO, CREATED_TO + span))
    created = rng.randint(max(CREATED_FROM, expires - span), CREATED_TO)
    return created, expires


# --- files -------------------------------------------------------------------
def team_yaml(name: str, rng: random.Random) -> str:
    members = rng.sample(PEOPLE, 3)
    maint = rng.choice(PEOPLE)
    return (
        "# yaml-language-server: $schema=https://tenure.dev/schema/team.schema.json\n"
        "apiVersion: tenure/v1\n"
        "kind: Team\n"
        "metadata:\n"
        f"  name: {name}\n"
        f"  owner: {name}\n"
        f"  description: The {name} team; owns the {name} services and their machine identities.\n"
        "  labels:\n"
        f"    org: {rng.choice(['engineering', 'product', 'operations'])}\n"
        "spec:\n"
        f"  githubTeam: acme/{name}\n"
        "  maintainers:\n"
        f"    - {maint}-acme\n"
        "  members:\n"
        + "".join(f"    - {m}-acme\n" for m in members)
        + "  contact:\n"
        f"    email: {name}@acme.example\n"
        f'    chat: "#team-{name}"\n'
    )


def flow_list(items) -> str:
    return "[" + ", ".join(items) + "]"


def root_config(n: int, seed: int, teams: list[str], issuers: list[str], guardrails: bool) -> str:
    out = [
        "# Synthetic benchmark registry written by bench/gen_registry.py\n",
        f"# N={n} seed={seed} generator=v{GEN_VERSION} guardrails={'on' if guardrails else 'off'}\n",
        "apiVersion: tenure/v1\n",
        "kind: Registry\n",
        "metadata:\n",
        "  name: acme\n",
        f"  owner: {teams[0]}\n",
        "  description: Machine identities and signing keys of Acme (synthetic benchmark data).\n",
        "spec:\n",
        f"  environments: {flow_list(ENV_NAMES)}\n",
        "  renewWindow: 30d\n",
    ]
    if not guardrails:
        return "".join(out)
    out.append("  mode: enforce\n")
    out.append("  severity:\n")
    out.extend(f"    {code}: {level}\n" for code, level in ROOT_SEVERITY.items())
    lt = ROOT_LIFETIME
    out.append(
        "  guardrails:\n"
        "    maxLifetime:\n"
        f"      default: {duration(lt['default'])}\n"
        "      types:\n"
        + "".join(f"        {t}: {duration(d)}\n" for t, d in lt["types"].items())
        + "      environments:\n"
        + "".join(f"        {e}: {duration(d)}\n" for e, d in lt["environments"].items())
        + f"      signingKeys: {duration(lt['signingKeys'])}\n"
        f"      thirdParty: {duration(lt['thirdParty'])}\n"
        "    issuers:\n"
        + "".join(f"      - {i}\n" for i in issuers)
        + f"    audiences: {flow_list(AUDIENCES)}\n"
        f"    authMethods: {flow_list(ROOT_AUTH)}\n"
        "    maxPermissions:\n"
        + "".join(f"      {t}: {flow_map(scopes)}\n" for t, scopes in MAX_PERMISSIONS.items())
        + "    productionEnvironments: [production]\n"
        "    environments:\n"
        "      production:\n"
        f"        types: {flow_list(PROD_TYPES)}\n"
        "        teams:\n"
        + "".join(f"          - {t}\n" for i, t in enumerate(teams) if in_production_teams(i))
    )
    return "".join(out)


def nested_config(team: str) -> str:
    lt = NESTED_LIFETIME
    return (
        "# Tighter guardrails for this team's declarations (synthetic benchmark data).\n"
        "apiVersion: tenure/v1\n"
        "kind: Registry\n"
        "metadata:\n"
        f"  name: {team}-guardrails\n"
        f"  owner: {team}\n"
        f"  description: The {team} team holds staging to production rules and keeps credentials shorter-lived.\n"
        "spec:\n"
        f"  renewWindow: {NESTED_RENEW_WINDOW}d\n"
        "  severity:\n"
        + "".join(f"    {code}: {level}\n" for code, level in NESTED_SEVERITY.items())
        + "  guardrails:\n"
        "    maxLifetime:\n"
        f"      default: {duration(lt['default'])}\n"
        "      types:\n"
        + "".join(f"        {t}: {duration(d)}\n" for t, d in lt["types"].items())
        + f"    authMethods: {flow_list(NESTED_AUTH)}\n"
        "    maxPermissions:\n"
        f"      ai-agent: {flow_map(NESTED_AI_AGENT_CEILING)}\n"
        "    productionEnvironments: [production, staging]\n"
    )


def signing_key_yaml(name: str, owner: str, rng: random.Random, keyed: set[str]) -> str:
    repo = f"acme/{name}"
    created, expires = term(rng, lifetime_limit("SigningKey", None, None, False, False))
    env = "staging" if rng.random() < 0.2 else None
    style = rng.random()
    out = [
        "# yaml-language-server: $schema=https://tenure.dev/schema/signing-key.schema.json\n",
        "apiVersion: tenure/v1\n",
        "kind: SigningKey\n",
        "metadata:\n",
        f"  name: {name}\n",
        f"  owner: {owner}\n",
    ]
    if style < 0.75:
        out.append(f"  description: Signs the {name} release artifacts and their SLSA provenance, keyless, from the release workflow.\n")
    else:
        out.append(f"  description: Signs the {name} release artifacts with a key held in the release KMS.\n")
    out.append("  labels:\n    system: release\nspec:\n")
    if env:
        out.append(f"  environment: {env}\n")
    out.append(f"  created: {date_str(created)}\n  expires: {date_str(expires)}\n")
    if style < 0.6:
        esc = repo.replace(".", "\\.")
        out.append(
            "  keyless:\n"
            f"    issuer: {GITHUB_ISSUER}\n"
            f"    identityPattern: '^https://github\\.com/{esc}/\\.github/workflows/release\\.yml@refs/tags/v[0-9]+\\.[0-9]+\\.[0-9]+$'\n"
            "    github:\n"
            f"      repository: {repo}\n"
            "      workflow: .github/workflows/release.yml\n"
            '      refs: ["refs/tags/v*"]\n'
            "      runner: github-hosted\n"
            "      triggers: [push]\n"
        )
    elif style < 0.75:
        out.append(
            "  keyless:\n"
            f"    issuer: {GITHUB_ISSUER}\n"
            f"    identity: https://github.com/{repo}/.github/workflows/release.yml@refs/heads/main\n"
            "    github:\n"
            f"      repository: {repo}\n"
            "      workflow: .github/workflows/release.yml\n"
            "      refs: [refs/heads/main]\n"
            "      runner: github-hosted\n"
            "      triggers: [push, workflow_dispatch]\n"
        )
    else:
        algorithm = "ed25519" if rng.random() < 0.6 else "ecdsa-p256"
        pem = pem_public_key(rng, algorithm)
        assert pem not in keyed
        keyed.add(pem)
        out.append(
            "  publicKey:\n"
            f"    algorithm: {algorithm}\n"
            "    pem: |\n"
            + "".join(f"      {line}\n" for line in pem.splitlines())
        )
    out.append(
        "  allows:\n"
        "    artifacts:\n"
        f'      - "{name}-*-x86_64-unknown-linux-gnu.tar.gz"\n'
        f'      - "{name}-*-aarch64-apple-darwin.tar.gz"\n'
        f'      - "pkg:oci/{name}@*"\n'
        "    predicateTypes:\n"
        "      - https://slsa.dev/provenance/v1\n"
    )
    return "".join(out)


def perms(rng: random.Random, scopes: list[str], lo: int, hi: int, ceilings: dict[str, str],
          write_p: float = 0.3) -> list[tuple[str, str]]:
    """Random grants, never above the type's ceiling."""
    chosen = rng.sample(scopes, rng.randint(lo, hi))
    out = []
    for s in chosen:
        access = "write" if rng.random() < write_p else "read"
        if ceilings.get(s, ceilings.get("*", "admin")) == "read":
            access = "read"
        out.append((s, access))
    return out


def gh_subject(rng: random.Random, repo: str, env: str, protected: bool) -> tuple[str, str, str]:
    """(field, value, claimPatterns text) of a GitHub Actions federation subject
    tied to an environment or a ref; `protected`: production rules apply (an
    environment, an exact branch or release tags)."""
    r = rng.random()
    esc = repo.replace(".", "\\.")
    if not protected and r < 0.2:
        if r < 0.12:
            return "subjectPattern", f"^repo:{esc}:ref:refs/heads/.*$", ""
        return "subjectPattern", f"^repo:{esc}:ref:refs/heads/(main|release/.*)$", ""
    r = rng.random()
    if r < 0.55:
        return "subject", f"repo:{repo}:environment:{env}", ""
    if r < 0.75:
        return "subjectPattern", f"^repo:{esc}:(ref:refs/heads/main|environment:{env})$", ""
    if r < 0.9:
        wf = rng.choice(WORKFLOWS)
        claims = (
            "    claimPatterns:\n"
            f"      job_workflow_ref: '^{esc}/\\.github/workflows/{wf}\\.yml@refs/heads/main$'\n"
        )
        return "subject", f"repo:{repo}:ref:refs/heads/main", claims
    return "subjectPattern", f"^repo:{esc}:ref:refs/tags/v[0-9]+\\.[0-9]+\\.[0-9]+$", ""


def quote_pattern(field: str, value: str) -> str:
    return f"'{value}'" if field == "subjectPattern" else value


class Gen:
    """State shared across identities: uniqueness of credentials and bindings."""

    def __init__(self, n: int, seed: int, findings: float, eks: bool):
        self.rng = random.Random(seed)
        # Findings are drawn from their own stream, so that --findings only
        # changes the identities it picks.
        self.inj = random.Random(seed * 7919 + 1)
        self.findings = findings
        self.svc_max = max(999, n // 4)
        self.clusters = cluster_issuers(seed, eks)
        self.used: set[tuple] = set()  # federation subjects, AWS roles, public keys
        self.shared_pool: list[dict] = []
        self.injected: dict[str, int] = {}

    def svc(self) -> str:
        return f"{self.rng.choice(SVC_WORDS)}-{self.rng.randint(1, self.svc_max)}"

    def identity(self, name: str, t: int, owner: str, ityp: str, env: str, svc: str,
                 nested: bool) -> str:
        rng = self.rng
        repo = f"acme/{svc}"
        protected = env == "production" or (nested and env == "staging")
        ceilings = MAX_PERMISSIONS[ityp]
        if nested and ityp == "ai-agent":
            ceilings = NESTED_AI_AGENT_CEILING
        auth_methods = NESTED_AUTH if nested else ROOT_AUTH
        vendor = None
        third_party = False
        body: list[str] = []
        grants: list[tuple[str, str]] = []
        shared = None

        if ityp in ("github-actions", "aws-iam-role"):
            federated = ityp == "github-actions" or rng.random() < 0.7
            audience = ORG_AUDIENCE if ityp == "github-actions" else AWS_AUDIENCE
            twin = None
            if ityp == "aws-iam-role" and federated and self.shared_pool and rng.random() < 0.01:
                cand = self.shared_pool[rng.randrange(len(self.shared_pool))]
                if cand["env"] == env:
                    twin = cand
            if twin is not None:
                svc, repo = twin["svc"], twin["repo"]
                field, value, claims = twin["field"], twin["value"], twin["claims"]
                shared = f"The {svc} deploy job assumes this role and `{twin['name']}` in one run, from one trust policy."
            elif federated:
                for _ in range(100):
                    field, value, claims = gh_subject(rng, repo, env, protected)
                    key = ("fed", GITHUB_ISSUER, field, value, audience)
                    if key not in self.used:
                        self.used.add(key)
                        break
                    svc = self.svc()
                    repo = f"acme/{svc}"
                else:
                    raise SystemExit("could not find a unique federation subject")
                if ityp == "aws-iam-role" and protected and rng.random() < 0.01:
                    shared = f"The {svc} deploy job assumes this role and a twin in the DR account, from one trust policy."
                    self.shared_pool.append({"env": env, "svc": svc, "repo": repo, "field": field,
                                             "value": value, "claims": claims, "name": name})
            if ityp == "github-actions":
                wf = rng.choice(WORKFLOWS)
                gh = ["  github:\n", f"    repository: {repo}\n", f"    workflow: .github/workflows/{wf}.yml\n"]
                if protected or rng.random() < 0.5:
                    gh.append(f"    environment: {env}\n")
                gh.append("    ref: refs/heads/main\n" if protected or rng.random() < 0.6 else "    ref: refs/heads/*\n")
                body.extend(gh)
                grants = perms(rng, GH_SCOPES, 2, 4, ceilings)
                just = f"Runs the {wf} workflow of {repo}; it needs the listed scopes and nothing more."
            else:
                account = f"{400000000000 + t * 10 + ENV_NAMES.index(env):012d}"
                for _ in range(100):
                    role = f"{svc}-{env}-{rng.choice(['deployer', 'runner', 'reader', 'migrator'])}"
                    if ("aws", account, role) not in self.used:
                        self.used.add(("aws", account, role))
                        break
                else:
                    raise SystemExit("could not find a unique AWS role")
                pols = rng.sample(AWS_POLICIES, rng.randint(1, 2))
                body.append(
                    "  aws:\n"
                    f'    account: "{account}"\n'
                    f"    role: {role}\n"
                    "    policies:\n"
                    + "".join(f"      - {p}\n" for p in pols)
                )
                if not federated:
                    body.append("  auth: assume-role\n")
                grants = perms(rng, AWS_SCOPES, 1, 3, ceilings)
                just = (f"Assumed by the {svc} pipeline through OIDC to deploy to the {env} account."
                        if federated else f"Assumed by the {svc} instances in {env} through their instance profile.")
            if federated:
                body.append(
                    "  federation:\n"
                    f"    issuer: {GITHUB_ISSUER}\n"
                    f"    {field}: {quote_pattern(field, value)}\n"
                    f"    audience: {audience}\n"
                    + claims
                )
        elif ityp == "deploy-key":
            comment = f"deploy@{svc}-{env}"
            key = ssh_ed25519(rng, comment) if rng.random() < 0.8 else ssh_ecdsa_p256(rng, comment)
            assert ("key", key) not in self.used
            self.used.add(("key", key))
            ro = rng.random() < 0.8
            body.append(
                "  github:\n"
                f"    repository: {repo}\n"
                "  key:\n"
                f"    publicKey: {key}\n"
                f"    readOnly: {'true' if ro else 'false'}\n"
            )
            grants = [("contents", "read" if ro else "write")]
            just = (f"Lets the {env} hosts of {svc} clone {repo} over SSH without a personal key."
                    if ro else f"Lets the {svc} release job in {env} push tags to {repo} over SSH.")
        elif ityp == "api-key":
            service = rng.choice(API_SERVICES)
            body.append("  auth: api-key\n" if rng.random() < 0.3 else "")
            grants = perms(rng, API_SCOPES, 2, 4, ceilings)
            just = f"{svc} sends its {env} telemetry and events to {service} with this key."
        elif ityp == "service-account":
            ns = f"{svc}-{env}"
            for _ in range(100):
                issuer = rng.choice(self.clusters)
                subject = f"system:serviceaccount:{ns}:{svc}"
                key = ("fed", issuer, "subject", subject, AWS_AUDIENCE)
                if key not in self.used:
                    self.used.add(key)
                    break
                svc = self.svc()
                ns = f"{svc}-{env}"
            else:
                raise SystemExit("could not find a unique service account subject")
            body.append(
                "  federation:\n"
                f"    issuer: {issuer}\n"
                f"    subject: {subject}\n"
                f"    audience: {AWS_AUDIENCE}\n"
            )
            grants = perms(rng, K8S_SCOPES, 2, 4, ceilings)
            just = f"The Kubernetes service account of {svc} in namespace {ns}."
        elif ityp == "bot":
            auth = "fine-grained-token" if "fine-grained-token" in auth_methods and rng.random() < 0.5 else None
            body.append(
                "  github:\n"
                f"    repository: {repo}\n"
                + (f"  auth: {auth}\n" if auth else "")
                + ("  interactive: false\n" if rng.random() < 0.3 else "")
            )
            grants = [("pull-requests", "write"), ("issues", "write"), ("contents", "read")]
            just = f"Opens dependency update and release pull requests on {repo}."
        elif ityp == "ai-agent":
            if rng.random() < 0.6:
                vendor = "self"
                grants = [("contents", "write"), ("pull-requests", "write"), ("issues", "read")]
                just = f"Our self-hosted coding agent proposes changes to {repo} on agent/ branches; a human merges every change."
            else:
                vendor = rng.choice(AI_VENDORS)
                third_party = True
                grants = [("contents", "read"), ("pull-requests", "read"), ("issues", "read")]
                just = f"A {vendor} agent reads {repo} and its issues to draft triage notes; it cannot change anything."
            body.append(
                "  github:\n"
                f"    repository: {repo}\n"
                "    ref: refs/heads/agent/*\n"
            )
        else:  # github-app
            if rng.random() < 0.5:
                vendor = "self"
                grants = [("checks", "write"), ("statuses", "write"), ("pull-requests", "write"), ("contents", "read")]
                just = f"Our {svc} app reports build checks and statuses on {repo} pull requests."
            else:
                vendor = rng.choice(APP_VENDORS)
                third_party = True
                grants = [("contents", "read"), ("checks", "read"), ("pull-requests", "read")]
                just = f"The {vendor} app reads {repo} to report on it; it is installed read-only."
            body.append("  github:\n" f"    repository: {repo}\n")

        created, expires = term(rng, lifetime_limit("Identity", ityp, env, third_party, nested))
        # Timestamps on some `created` (RFC 3339) among plain dates.
        created_s = date_str(created)
        if rng.random() < 0.1:
            created_s += f"T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00Z"
        has_write = any(a != "read" for _, a in grants)
        with_just = has_write or rng.random() < 0.6

        # Optional findings, from their own random stream.
        if self.inj.random() < self.findings:
            kinds = ["expires-soon", "expired"]
            if ityp in ("github-app", "ai-agent") and not nested:  # nested: third-party-write is denied
                kinds.append("third-party-write")
            kind = self.inj.choice(kinds)
            if kind == "third-party-write":
                vendor = self.inj.choice(APP_VENDORS if ityp == "github-app" else AI_VENDORS)
                grants = [("contents", "write"), ("pull-requests", "write")] if ityp == "ai-agent" else \
                    [("checks", "write"), ("contents", "read")]
                just = f"{vendor} needs write access to {repo} to do its job."
                has_write = with_just = True
                created, expires = term(self.inj, lifetime_limit("Identity", ityp, env, True, nested))
                created_s = date_str(created)
            elif kind == "expires-soon":
                expires = NOW.toordinal() + self.inj.randint(3, 25)
                created = expires - self.inj.randint(60, 80)
                created_s = date_str(created)
            else:  # expired
                expires = NOW.toordinal() - self.inj.randint(1, 60)
                created = expires - self.inj.randint(60, 80)
                created_s = date_str(created)
            self.injected[kind] = self.injected.get(kind, 0) + 1

        out = [
            "# yaml-language-server: $schema=https://tenure.dev/schema/identity.schema.json\n",
            "apiVersion: tenure/v1\n",
            "kind: Identity\n",
            "metadata:\n",
            f"  name: {name}\n",
            f"  owner: {owner}\n",
            f"  description: The {ityp} identity that {svc} uses in {env} to reach what it needs; reviewed by {owner}.\n",
            "  labels:\n",
            f"    system: {svc}\n",
            f'    tier: "{rng.randint(1, 3)}"\n',
            f"    cost-center: cc-{rng.randint(1000, 9999)}\n",
            "spec:\n",
            f"  type: {ityp}\n",
            f"  environment: {env}\n",
            f"  created: {created_s}\n",
            f"  expires: {date_str(expires)}\n",
        ]
        if vendor:
            out.append(f"  vendor: {vendor}\n")
        out.extend(body)
        out.append("  permissions:\n" + "".join(f"    {s}: {a}\n" for s, a in grants))
        if with_just:
            out.append(f"  justification: {just}\n")
        if shared:
            out.append(f"  shared: {shared}\n")
        return "".join(out)


def marker(n: int, seed: int, guardrails: bool, findings: float, eks: bool) -> str:
    return (f"{n} {seed} v{GEN_VERSION} guardrails={'on' if guardrails else 'off'} findings={findings:g}"
            + (" eks" if eks else ""))


def generate(out_dir: str, n: int, seed: int, guardrails: bool = True, findings: float = 0.0,
             eks: bool = False) -> dict:
    g = Gen(n, seed, findings, eks)
    rng = g.rng
    n_teams = max(5, round(n / 200))
    n_keys = max(3, n // 1000)
    n_ids = n - n_teams - n_keys
    if n_ids < 1:
        raise SystemExit(f"N={n} is too small: {n_teams} teams and {n_keys} signing keys leave no identities")
    teams = team_names(n_teams)
    prod_teams = [i for i in range(n_teams) if in_production_teams(i)]

    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "tenure.yaml"), "w") as f:
        f.write(root_config(n, seed, teams, [GITHUB_ISSUER] + g.clusters, guardrails))

    os.makedirs(os.path.join(out_dir, "teams"), exist_ok=True)
    for t in teams:
        with open(os.path.join(out_dir, "teams", f"{t}.yaml"), "w") as f:
            f.write(team_yaml(t, rng))

    os.makedirs(os.path.join(out_dir, "signing-keys"), exist_ok=True)
    keyed: set[str] = set()
    for k in range(n_keys):
        name = f"release-{SVC_WORDS[k % len(SVC_WORDS)]}-{k + 1}"
        owner = teams[prod_teams[k % len(prod_teams)]]
        with open(os.path.join(out_dir, "signing-keys", f"{name}.yaml"), "w") as f:
            f.write(signing_key_yaml(name, owner, rng, keyed))

    # Identities: round-robin over teams keeps folders ~N/n_teams (~200) files;
    # a team folder is split into parts if it would exceed MAX_PER_FOLDER.
    per_team = -(-n_ids // n_teams)
    parts = -(-per_team // MAX_PER_FOLDER)
    made_dirs = set()
    services = os.path.join(out_dir, "services")
    nested_configs = 0
    for i in range(n_ids):
        t = i % n_teams
        owner = teams[t]
        nested = has_nested_config(t)
        k = i // n_teams  # index within the team
        folder = owner if parts == 1 else f"{owner}/part-{k // MAX_PER_FOLDER + 1}"
        svc = g.svc()
        ityp = rng.choice(TYPE_BAG)
        env = rng.choice(ENV_BAG)
        if env == "production" and (ityp not in PROD_TYPES or not in_production_teams(t)):
            env = "staging"
        name = f"{owner}-{svc}-{ityp}-{env}-{i + 1}"
        if len(name) > 63:  # Name pattern: at most 63 characters
            name = f"{owner[:20]}-{svc}-{i + 1}"
        d = os.path.join(services, folder)
        if d not in made_dirs:
            os.makedirs(d, exist_ok=True)
            made_dirs.add(d)
            if nested and guardrails:
                with open(os.path.join(services, owner, "tenure.yaml"), "w") as f:
                    f.write(nested_config(owner))
                nested_configs += 1
        with open(os.path.join(d, f"{name}.yaml"), "w") as f:
            f.write(g.identity(name, t, owner, ityp, env, svc, nested))

    with open(os.path.join(out_dir, MARKER), "w") as f:
        f.write(marker(n, seed, guardrails, findings, eks) + "\n")
    return {"teams": n_teams, "signing_keys": n_keys, "identities": n_ids, "folders": len(made_dirs),
            "nested_configs": nested_configs, "injected": g.injected}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out_dir")
    p.add_argument("n", type=int, help="number of declarations (Teams + Identities + SigningKeys)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--force", action="store_true", help="delete OUT_DIR first if it is not empty")
    p.add_argument("--no-guardrails", action="store_true",
                   help="a tenure.yaml with environments and renewWindow only, no sub-folder tenure.yaml")
    p.add_argument("--findings", type=float, default=0.0,
                   help="share of identities given one warning-level finding (default 0: a clean registry)")
    p.add_argument("--eks-issuers", action="store_true",
                   help="EKS-style cluster issuers (.../id/<32 hex digits>) instead of GKE-style ones")
    p.add_argument("--print-marker", action="store_true", help="print the marker line for these arguments and exit")
    a = p.parse_args()
    guardrails = not a.no_guardrails
    if a.print_marker:
        print(marker(a.n, a.seed, guardrails, a.findings, a.eks_issuers))
        return
    if not 0.0 <= a.findings <= 1.0:
        p.error("--findings is a share between 0 and 1")
    if os.path.isdir(a.out_dir) and os.listdir(a.out_dir):
        if not a.force:
            sys.exit(f"{a.out_dir} is not empty; pass --force to replace it")
        shutil.rmtree(a.out_dir)
    stats = generate(a.out_dir, a.n, a.seed, guardrails, a.findings, a.eks_issuers)
    extra = f", {stats['nested_configs']} sub-folder tenure.yaml" if stats["nested_configs"] else ""
    if stats["injected"]:
        extra += ", findings: " + ", ".join(f"{v} {k}" for k, v in sorted(stats["injected"].items()))
    print(
        f"wrote {a.n} declarations to {a.out_dir}: {stats['identities']} identities in "
        f"{stats['folders']} folders, {stats['teams']} teams, {stats['signing_keys']} signing keys{extra}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
