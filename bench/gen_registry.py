#!/usr/bin/env python3
"""Generate a synthetic, valid tenure registry for benchmarks.

    python3 bench/gen_registry.py OUT_DIR N [--seed S] [--force]

Writes N declarations (Teams + Identities + SigningKeys; `tenure.yaml` is the
registry settings file and is not counted) under OUT_DIR:

    tenure.yaml                     kind: Registry (production/staging/development/ci, renewWindow 30d)
    teams/<team>.yaml               max(5, round(N/200)) Teams, each with members
    signing-keys/<key>.yaml         a few SigningKeys (3, up to 10 for big N)
    services/<team>/<name>.yaml     the Identities, ~200 per folder (owner team)

Every Identity is owned by a declared Team, is named `<metadata.name>.yaml`,
uses a listed environment, and has created <= 2026-11-20 and expires >=
2027-03-01, so `tenure check OUT_DIR --now 2026-11-24` reports nothing.
Output is deterministic for a given (N, seed). A marker `.bench-complete`
(a dot-file, which tenure skips) is written last, holding "N seed".
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import sys

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
]
ENVS = [("production", 35), ("staging", 25), ("development", 20), ("ci", 20)]
VENDORS = ["Datadog", "PagerDuty", "Stripe", "Sentry", "Snowflake", "Twilio", "SendGrid", "Algolia"]
AI_VENDORS = ["Anthropic", "OpenAI", "GitHub Copilot", "Acme Agents"]
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
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

CREATED_FROM = dt.date(2025, 1, 1).toordinal()
CREATED_TO = dt.date(2026, 11, 20).toordinal()  # never after --now 2026-11-24
EXPIRES_FROM = dt.date(2027, 3, 1).toordinal()  # far outside the 30-day renew window
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


def team_names(count: int) -> list[str]:
    names = []
    for i in range(count):
        word = TEAM_WORDS[i % len(TEAM_WORDS)]
        names.append(word if i < len(TEAM_WORDS) else f"{word}-{i // len(TEAM_WORDS) + 1}")
    return names


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


def signing_key_yaml(name: str, owner: str, rng: random.Random) -> str:
    repo = f"acme/{name}"
    created = rng.randint(CREATED_FROM, CREATED_TO)
    expires = rng.randint(EXPIRES_FROM, EXPIRES_TO)
    return (
        "# yaml-language-server: $schema=https://tenure.dev/schema/signing-key.schema.json\n"
        "apiVersion: tenure/v1\n"
        "kind: SigningKey\n"
        "metadata:\n"
        f"  name: {name}\n"
        f"  owner: {owner}\n"
        f"  description: Signs the {name} release artifacts and their SLSA provenance, keyless, from the release workflow.\n"
        "  labels:\n"
        "    system: release\n"
        "spec:\n"
        f"  created: {date_str(created)}\n"
        f"  expires: {date_str(expires)}\n"
        "  keyless:\n"
        "    issuer: https://token.actions.githubusercontent.com\n"
        f'    identityPattern: "^https://github\\\\.com/{repo}/\\\\.github/workflows/release\\\\.yml@refs/tags/v[0-9]+\\\\.[0-9]+\\\\.[0-9]+$"\n'
        "    github:\n"
        f"      repository: {repo}\n"
        "      workflow: .github/workflows/release.yml\n"
        '      refs: ["refs/tags/v*"]\n'
        "      runner: github-hosted\n"
        "      triggers: [push]\n"
        "  allows:\n"
        "    artifacts:\n"
        f'      - "{name}-*-x86_64-unknown-linux-gnu.tar.gz"\n'
        f'      - "{name}-*-aarch64-apple-darwin.tar.gz"\n'
        "    predicateTypes:\n"
        "      - https://slsa.dev/provenance/v1\n"
    )


def perms(rng: random.Random, scopes: list[str], lo: int, hi: int) -> str:
    chosen = rng.sample(scopes, rng.randint(lo, hi))
    return "".join(f"    {s}: {'write' if rng.random() < 0.3 else 'read'}\n" for s in chosen)


def federation(rng: random.Random, repo: str, env: str) -> str:
    r = rng.random()
    head = "  federation:\n    issuer: https://token.actions.githubusercontent.com\n"
    if r < 0.7:
        body = f"    subject: repo:{repo}:environment:{env}\n"
    elif r < 0.9:
        body = f'    subjectPattern: "^repo:{repo}:(ref:refs/heads/main|environment:{env})$"\n'
    else:
        body = (
            f"    subject: repo:{repo}:ref:refs/heads/main\n"
            "    claimPatterns:\n"
            f'      job_workflow_ref: "^{repo}/\\\\.github/workflows/deploy\\\\.yml@refs/heads/main$"\n'
        )
    aud = "    audience: sts.amazonaws.com\n" if rng.random() < 0.5 else f"    audience: https://github.com/{repo.split('/')[0]}\n"
    return head + body + aud


def identity_yaml(name: str, owner: str, svc: str, ityp: str, env: str, rng: random.Random) -> str:
    repo = f"acme/{svc}"
    created = rng.randint(CREATED_FROM, CREATED_TO)
    expires = rng.randint(max(EXPIRES_FROM, created + 120), EXPIRES_TO)
    # A few RFC 3339 timestamps among the plain dates.
    created_s = date_str(created)
    if rng.random() < 0.1:
        created_s += f"T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00Z"
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
    if ityp == "github-actions":
        wf = rng.choice(["deploy", "release", "ci", "publish", "terraform"])
        out.append(
            "  github:\n"
            f"    repository: {repo}\n"
            f"    workflow: .github/workflows/{wf}.yml\n"
            f"    environment: {env}\n"
            "    ref: refs/heads/main\n"
        )
        out.append(federation(rng, repo, env))
        out.append("  permissions:\n" + perms(rng, GH_SCOPES, 2, 4))
        just = f"Runs the {wf} workflow of {repo}; it needs the listed scopes and nothing more."
    elif ityp == "deploy-key":
        key = "".join(rng.choice(B64) for _ in range(43))
        ro = rng.random() < 0.8
        out.append(
            "  github:\n"
            f"    repository: {repo}\n"
            "  key:\n"
            f"    publicKey: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{key} {svc}@{env}\n"
            f"    readOnly: {'true' if ro else 'false'}\n"
            "  permissions:\n"
            f"    contents: {'read' if ro else 'write'}\n"
        )
        just = f"Lets the {env} hosts of {svc} clone {repo} over SSH without a personal key."
    elif ityp == "aws-iam-role":
        account = f"{rng.randint(10**11, 10**12 - 1)}"
        pols = rng.sample(AWS_POLICIES, rng.randint(1, 2))
        out.append(
            "  aws:\n"
            f'    account: "{account}"\n'
            f"    role: {svc}-{env}-deployer\n"
            "    policies:\n"
            + "".join(f"      - {p}\n" for p in pols)
        )
        out.append(federation(rng, repo, env))
        out.append("  permissions:\n" + perms(rng, AWS_SCOPES, 1, 3))
        just = f"Assumed by the {svc} pipeline through OIDC to deploy to the {env} account."
    elif ityp == "api-key":
        vendor = rng.choice(VENDORS)
        out.append(f"  vendor: {vendor}\n")
        out.append("  permissions:\n" + perms(rng, API_SCOPES, 2, 4))
        just = f"{svc} sends its {env} telemetry and events to {vendor} with this key."
    elif ityp == "service-account":
        ns = f"{svc}-{env}"
        out.append(
            "  federation:\n"
            f"    issuer: https://oidc.eks.eu-west-1.amazonaws.com/id/{rng.randint(10**15, 10**16 - 1):X}\n"
            f"    subject: system:serviceaccount:{ns}:{svc}\n"
            "    audience: sts.amazonaws.com\n"
        )
        out.append("  permissions:\n" + perms(rng, K8S_SCOPES, 2, 4))
        just = f"The Kubernetes service account of {svc} in namespace {ns}."
    elif ityp == "bot":
        out.append(
            "  github:\n"
            f"    repository: {repo}\n"
            "  permissions:\n"
            "    pull-requests: write\n"
            "    issues: write\n"
            "    contents: read\n"
        )
        just = f"Opens dependency update and release pull requests on {repo}."
    else:  # ai-agent
        vendor = rng.choice(AI_VENDORS)
        out.append(
            f"  vendor: {vendor}\n"
            "  github:\n"
            f"    repository: {repo}\n"
            "    ref: refs/heads/agent/*\n"
            "  permissions:\n"
            "    contents: write\n"
            "    pull-requests: write\n"
            "    issues: read\n"
        )
        just = f"A coding agent ({vendor}) that proposes changes to {repo}; a human merges every change."
    out.append(f"  justification: {just}\n")
    return "".join(out)


def generate(out_dir: str, n: int, seed: int) -> dict:
    rng = random.Random(seed)
    n_teams = max(5, round(n / 200))
    n_keys = min(10, max(3, n // 10_000))
    n_ids = n - n_teams - n_keys
    if n_ids < 1:
        raise SystemExit(f"N={n} is too small: {n_teams} teams and {n_keys} signing keys leave no identities")
    teams = team_names(n_teams)

    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "tenure.yaml"), "w") as f:
        f.write(
            "# Synthetic benchmark registry written by bench/gen_registry.py\n"
            f"# N={n} seed={seed}\n"
            "apiVersion: tenure/v1\n"
            "kind: Registry\n"
            "metadata:\n"
            "  name: acme\n"
            f"  owner: {teams[0]}\n"
            "  description: Machine identities and signing keys of Acme (synthetic benchmark data).\n"
            "spec:\n"
            "  environments: [production, staging, development, ci]\n"
            "  renewWindow: 30d\n"
        )

    os.makedirs(os.path.join(out_dir, "teams"), exist_ok=True)
    for t in teams:
        with open(os.path.join(out_dir, "teams", f"{t}.yaml"), "w") as f:
            f.write(team_yaml(t, rng))

    os.makedirs(os.path.join(out_dir, "signing-keys"), exist_ok=True)
    for k in range(n_keys):
        name = f"release-{SVC_WORDS[k % len(SVC_WORDS)]}-{k + 1}"
        with open(os.path.join(out_dir, "signing-keys", f"{name}.yaml"), "w") as f:
            f.write(signing_key_yaml(name, teams[k % n_teams], rng))

    # Identities: round-robin over teams keeps folders ~N/n_teams (~200) files;
    # a team folder is split into parts if it would exceed MAX_PER_FOLDER.
    per_team = -(-n_ids // n_teams)
    parts = -(-per_team // MAX_PER_FOLDER)
    made_dirs = set()
    services = os.path.join(out_dir, "services")
    for i in range(n_ids):
        t = i % n_teams
        owner = teams[t]
        k = i // n_teams  # index within the team
        folder = owner if parts == 1 else f"{owner}/part-{k // MAX_PER_FOLDER + 1}"
        svc = f"{rng.choice(SVC_WORDS)}-{rng.randint(1, 999)}"
        ityp = rng.choice(TYPE_BAG)
        env = rng.choice(ENV_BAG)
        name = f"{owner}-{svc}-{ityp}-{env}-{i + 1}"
        if len(name) > 63:  # Name pattern: at most 63 characters
            name = f"{owner[:20]}-{svc}-{i + 1}"
        d = os.path.join(services, folder)
        if d not in made_dirs:
            os.makedirs(d, exist_ok=True)
            made_dirs.add(d)
        with open(os.path.join(d, f"{name}.yaml"), "w") as f:
            f.write(identity_yaml(name, owner, svc, ityp, env, rng))

    with open(os.path.join(out_dir, MARKER), "w") as f:
        f.write(f"{n} {seed}\n")
    return {"teams": n_teams, "signing_keys": n_keys, "identities": n_ids, "folders": len(made_dirs)}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out_dir")
    p.add_argument("n", type=int, help="number of declarations (Teams + Identities + SigningKeys)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--force", action="store_true", help="delete OUT_DIR first if it is not empty")
    a = p.parse_args()
    if os.path.isdir(a.out_dir) and os.listdir(a.out_dir):
        if not a.force:
            sys.exit(f"{a.out_dir} is not empty; pass --force to replace it")
        shutil.rmtree(a.out_dir)
    stats = generate(a.out_dir, a.n, a.seed)
    print(
        f"wrote {a.n} declarations to {a.out_dir}: {stats['identities']} identities in "
        f"{stats['folders']} folders, {stats['teams']} teams, {stats['signing_keys']} signing keys",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
