#!/usr/bin/env bash
# Build a small, deterministic Git repository for the integration tests of
# `tenure diff` and `tenure log`:
#
#   bash scripts/fixture-repo.sh OUT_DIR [--bare]
#
# OUT_DIR must not exist or be empty. The repository is built in a temporary
# folder, then copied: without --bare, OUT_DIR is a repository with a work
# tree (branch `main` checked out, clean); with --bare it is a bare
# repository (`git clone --bare` of it, the `origin` remote removed). Needs bash and git only. Commit ids are the same on every machine:
# authors, committers and dates are fixed per commit, the user's and the
# system's Git configuration are ignored, there are no hooks, no signing, no
# CRLF conversion, and the object format is SHA-1.
#
# The registry is `identities/` (root `tenure.yaml`: environments
# [production, staging, ci], renewWindow 30d, maxLifetime default 1y and
# production 180d, productionEnvironments [production], issuers and audiences);
# teams in `identities/teams/`, identities in one folder per team (and `ci/`),
# the SigningKey in `identities/release/`. Check a revision's tree with
# `tenure check identities --now 2026-11-24`: every commit up to `merged`
# and `remove-identity` checks clean (0 errors, 0 warnings, 0 notes);
# `remove-team` and later fail on purpose (see 12 and 13).
#
# The history of `main`, oldest first (tag names in brackets; every commit but
# the merge has one parent):
#
#  1 [v1, annotated]  2026-07-06 alice  Initial registry: teams platform, payments,
#       security; identities deploy-web (github-actions, production, federation
#       subject, write permission + justification), ledger-role (aws-iam-role,
#       production, federation, permissions), payments-ci (github-actions, ci),
#       stripe-api-key (api-key, staging), web-deploy-key (deploy-key, staging);
#       SigningKey web-release (keyless); README.md at the repository root.
#  2 [add-identity]   2026-07-13 bob    Adds platform/preview-deployer.yaml.
#  3 [renew]          2026-07-20 carol  Renews web-deploy-key: `expires`
#       2026-12-31 -> 2027-07-16 and adds `renewed: 2026-07-20`.
#  4 [widen-justified] 2026-08-03 alice deploy-web (production) gains
#       `packages: write`, and its `justification` changes with it.
#  5 [widen-unjustified] 2026-08-17 bob ledger-role (production): `s3: read`
#       -> `s3: write` and a new `dynamodb: write`; `justification` untouched.
#  6 [pure-rename]    2026-09-01 bob    payments/payments-ci.yaml -> ci/payments-ci.yaml,
#       content unchanged (100% similarity).
#  7 [rename-modify]  2026-09-08 alice  platform/preview-deployer.yaml ->
#       payments/preview-deployer.yaml, `owner: platform` -> `owner: payments`.
#  8 [env-change]     2026-09-21 bob    preview-deployer: `environment: staging`
#       -> `production` (its term, 2026-07-13..2026-12-31, fits 180d).
#  9 [subject-change] 2026-10-05 carol  deploy-web: federation subject
#       `repo:acme/web:environment:production` -> `repo:acme/web:ref:refs/heads/main`.
# 10 Side branch `feature/x`, forked from `subject-change`:
#     10a 2026-10-12 dave   adds platform/metrics-exporter.yaml (api-key, staging);
#     10b 2026-10-14 dave   renews ci/payments-ci.yaml (`renewed: 2026-10-14`,
#                           `expires` 2027-05-28 -> 2027-10-09) [tag: feature-x-tip];
#    and on main in between:
#     10c [before-merge] 2026-10-13 erin  teams/platform.yaml: adds member erin-dev;
#     10d [merged] 2026-10-19 carol  `git merge --no-ff feature/x` (parents: 10c, 10b).
# 11 [remove-identity] 2026-10-26 alice Removes platform/web-deploy-key.yaml
#       (its whole life: added in 1, renewed in 3, removed here).
# 12 [remove-team]    2026-11-02 carol  Removes teams/payments.yaml while payments
#       still owns ledger-role, stripe-api-key, payments-ci and preview-deployer:
#       the change rule should fire; `tenure check` reports 4 unknown-owner errors.
# 13 [renew-too-long] 2026-11-16 alice  Renews deploy-web (production) with
#       `renewed: 2026-11-16` (the commit date) and `expires: 2027-06-30`: 227 days
#       from the commit date, over production's 180d (`tenure check` adds
#       lifetime-exceeded).
# 14 [readme-only]    2026-11-20 erin   Edits README.md only (outside the registry).
#       This is `main` (HEAD).
#
# Branches: `main` (HEAD) and `feature/x` (= feature-x-tip). All dates are UTC.
# At the end the script prints `git log --oneline --graph --all --decorate`.
set -euo pipefail

usage() { echo "usage: $0 OUT_DIR [--bare]" >&2; exit 2; }
OUT="" BARE=0
for arg in "$@"; do
  case "$arg" in
    --bare) BARE=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) usage ;;
    *) [[ -z "$OUT" ]] || usage; OUT=$arg ;;
  esac
done
[[ -n "$OUT" ]] || usage
if [[ -e "$OUT" ]]; then
  if [[ ! -d "$OUT" ]] || [[ -n "$(ls -A "$OUT")" ]]; then
    echo "$0: $OUT exists and is not an empty folder; refusing to touch it" >&2
    exit 1
  fi
fi

# --- an isolated, reproducible Git ---------------------------------------------
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tenure-fixture.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES \
      GIT_NAMESPACE GIT_CEILING_DIRECTORIES GIT_DEFAULT_HASH GIT_TEMPLATE_DIR GIT_CONFIG \
      GIT_CONFIG_PARAMETERS GIT_CONFIG_COUNT GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_AUTHOR_DATE \
      GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL GIT_COMMITTER_DATE
mkdir -p "$TMP/home"
export HOME="$TMP/home" GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null TZ=UTC LC_ALL=C
export GIT_TERMINAL_PROMPT=0
umask 022

# Built in a temporary folder, so that a failure leaves OUT_DIR untouched.
WORK="$TMP/work"
mkdir -p "$WORK"

g() {
  git -C "$WORK" -c core.autocrlf=false -c core.safecrlf=false -c core.hooksPath=/dev/null \
    -c commit.gpgsign=false -c tag.gpgsign=false -c core.fileMode=true -c merge.ff=true "$@"
}

git -c init.defaultBranch=main init --quiet --template= --object-format=sha1 "$WORK"

# who AUTHOR DATE: sets author and committer for the next commit or tag.
who() {
  local name email
  case "$1" in
    alice) name="Alice Platform" email="alice@acme.example" ;;
    bob)   name="Bob Payments"   email="bob@acme.example" ;;
    carol) name="Carol Security" email="carol@acme.example" ;;
    dave)  name="Dave Metrics"   email="dave@acme.example" ;;
    erin)  name="Erin Platform"  email="erin@acme.example" ;;
    *) echo "unknown author $1" >&2; exit 1 ;;
  esac
  export GIT_AUTHOR_NAME=$name GIT_AUTHOR_EMAIL=$email GIT_AUTHOR_DATE="$2 +0000"
  export GIT_COMMITTER_NAME=$name GIT_COMMITTER_EMAIL=$email GIT_COMMITTER_DATE="$2 +0000"
}

# commit AUTHOR "DATE" MESSAGE: stage everything and commit.
commit() {
  who "$1" "$2"
  g add --all
  g commit --quiet --no-verify --no-edit --allow-empty-message --cleanup=verbatim -m "$3"
}

# put PATH: write stdin to WORK/PATH (byte for byte).
put() {
  mkdir -p "$(dirname "$WORK/$1")"
  cat > "$WORK/$1"
}

# edit PATH SED-SCRIPT: edit a file in place, and fail if nothing changed.
edit() {
  local before
  before=$(cat "$WORK/$1")
  sed -e "$2" "$WORK/$1" > "$WORK/$1.tmp"
  mv "$WORK/$1.tmp" "$WORK/$1"
  if [[ "$before" == "$(cat "$WORK/$1")" ]]; then
    echo "edit $1: '$2' changed nothing" >&2
    exit 1
  fi
}

# move FROM TO: rename a file (staged by `commit`'s `git add --all`).
move() {
  mkdir -p "$(dirname "$WORK/$2")"
  mv "$WORK/$1" "$WORK/$2"
  rmdir "$(dirname "$WORK/$1")" 2>/dev/null || true
}

R=identities

# --- 1: the initial registry ---------------------------------------------------
put README.md <<'EOF'
# acme-identities

Acme's machine identities, declared for tenure in `identities/`.
Every change is reviewed by the owning team.
EOF

put $R/tenure.yaml <<'EOF'
apiVersion: tenure/v1
kind: Registry
metadata:
  name: acme
  owner: security
  description: Machine identities and signing keys of Acme; the fixture registry of tenure diff and tenure log.
spec:
  environments: [production, staging, ci]
  renewWindow: 30d
  guardrails:
    maxLifetime:
      default: 1y
      environments:
        production: 180d
    issuers: [https://token.actions.githubusercontent.com]
    audiences: [sts.amazonaws.com, https://github.com/acme]
    productionEnvironments: [production]
EOF

put $R/teams/platform.yaml <<'EOF'
apiVersion: tenure/v1
kind: Team
metadata:
  name: platform
  owner: platform
  description: Runs the web app's build and deploy pipeline.
spec:
  githubTeam: acme/platform
  maintainers: [alice-dev]
  members: [alice-dev, dave-ops]
  contact:
    email: platform@acme.example
    chat: "#platform"
EOF

put $R/teams/payments.yaml <<'EOF'
apiVersion: tenure/v1
kind: Team
metadata:
  name: payments
  owner: payments
  description: Runs the payments and ledger services.
spec:
  githubTeam: acme/payments
  members: [bob-pay]
  contact:
    email: payments@acme.example
EOF

put $R/teams/security.yaml <<'EOF'
apiVersion: tenure/v1
kind: Team
metadata:
  name: security
  owner: security
  description: Owns the registry's guardrails and reviews changes to them.
spec:
  githubTeam: acme/security
  members: [carol-sec]
EOF

put $R/platform/deploy-web.yaml <<'EOF'
apiVersion: tenure/v1
kind: Identity
metadata:
  name: deploy-web
  owner: platform
  description: Deploys the web app to production from GitHub Actions.
spec:
  type: github-actions
  environment: production
  created: 2026-07-06
  expires: 2026-12-31
  github:
    repository: acme/web
    environment: production
    workflow: .github/workflows/deploy.yml
  federation:
    issuer: https://token.actions.githubusercontent.com
    subject: "repo:acme/web:environment:production"
    audience: sts.amazonaws.com
  permissions:
    contents: read
    deployments: write
  justification: Creates deployments in the production environment.
EOF

put $R/platform/web-deploy-key.yaml <<'EOF'
apiVersion: tenure/v1
kind: Identity
metadata:
  name: web-deploy-key
  owner: platform
  description: Lets the staging web hosts clone acme/web over SSH.
spec:
  type: deploy-key
  environment: staging
  created: 2026-03-02
  expires: 2026-12-31
  github:
    repository: acme/web
  key:
    publicKey: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPASqFPF0YxXnlUI1BFTPlP7ZIaAPM3YjYSguTC7i8Rv deploy@web-staging
    readOnly: true
  permissions:
    contents: read
EOF

put $R/payments/ledger-role.yaml <<'EOF'
apiVersion: tenure/v1
kind: Identity
metadata:
  name: ledger-role
  owner: payments
  description: The AWS role the ledger deploy job assumes in production.
spec:
  type: aws-iam-role
  environment: production
  created: 2026-07-06
  expires: 2026-12-31
  aws:
    account: "123456789012"
    role: ledger-deployer
  federation:
    issuer: https://token.actions.githubusercontent.com
    subject: "repo:acme/ledger:environment:production"
    audience: sts.amazonaws.com
  permissions:
    s3: read
    sqs: write
  justification: Publishes ledger events to SQS during deploys and reads the ledger bucket.
EOF

put $R/payments/payments-ci.yaml <<'EOF'
apiVersion: tenure/v1
kind: Identity
metadata:
  name: payments-ci
  owner: payments
  description: Builds and tests the payments service on every push to main.
spec:
  type: github-actions
  environment: ci
  created: 2026-06-01
  expires: 2027-05-28
  github:
    repository: acme/payments
    workflow: .github/workflows/ci.yml
    ref: refs/heads/main
  federation:
    issuer: https://token.actions.githubusercontent.com
    subject: "repo:acme/payments:ref:refs/heads/main"
    audience: https://github.com/acme
  permissions:
    contents: read
  justification: Reads the repository to build and test it; it writes nothing.
EOF

put $R/payments/stripe-api-key.yaml <<'EOF'
apiVersion: tenure/v1
kind: Identity
metadata:
  name: stripe-api-key
  owner: payments
  description: The Stripe test-mode key of the payments service in staging.
spec:
  type: api-key
  environment: staging
  created: 2026-05-04
  expires: 2027-04-30
  permissions:
    charges: write
    customers: read
  justification: Creates test charges against Stripe from the staging payments service.
EOF

put $R/release/web-release.yaml <<'EOF'
apiVersion: tenure/v1
kind: SigningKey
metadata:
  name: web-release
  owner: platform
  description: Signs web app releases from the tag workflow, keyless.
spec:
  created: 2026-07-06
  expires: 2026-12-31
  keyless:
    issuer: https://token.actions.githubusercontent.com
    identityPattern: "^https://github\\.com/acme/web/\\.github/workflows/release\\.yml@refs/tags/v[0-9]+\\.[0-9]+\\.[0-9]+$"
    github:
      repository: acme/web
      workflow: .github/workflows/release.yml
      refs: ["refs/tags/v*"]
      runner: github-hosted
  allows:
    artifacts: ["web-*.tar.gz", "pkg:oci/web@*"]
    predicateTypes: [https://slsa.dev/provenance/v1]
EOF

commit alice "2026-07-06 09:00:00" "Start the identity registry

Teams platform, payments and security; the web deploy workflow, the ledger
role, payments CI, the Stripe staging key, the web deploy key and the web
release signing key."
who carol "2026-07-06 09:30:00"
g tag -a v1 -m "v1: the first reviewed registry"

# --- 2: add an identity ----------------------------------------------------------
put $R/platform/preview-deployer.yaml <<'EOF'
apiVersion: tenure/v1
kind: Identity
metadata:
  name: preview-deployer
  owner: platform
  description: Deploys preview environments of the web app for pull requests.
spec:
  type: github-actions
  environment: staging
  created: 2026-07-13
  expires: 2026-12-31
  github:
    repository: acme/web
    environment: preview
    workflow: .github/workflows/preview.yml
  federation:
    issuer: https://token.actions.githubusercontent.com
    subject: "repo:acme/web:environment:preview"
    audience: sts.amazonaws.com
  permissions:
    contents: read
    deployments: write
  justification: Creates a preview deployment for each pull request.
EOF
commit bob "2026-07-13 10:15:00" "Add preview-deployer for pull request previews"
g tag add-identity

# --- 3: renew an identity --------------------------------------------------------
edit $R/platform/web-deploy-key.yaml 's/^  expires: 2026-12-31$/  expires: 2027-07-16/; /^  created: /a\
  renewed: 2026-07-20'
commit carol "2026-07-20 14:00:00" "Renew web-deploy-key until 2027-07-16"
g tag renew

# --- 4: widen a production identity, with its justification -------------------
edit $R/platform/deploy-web.yaml 's/^    deployments: write$/    deployments: write\
    packages: write/; s/^  justification: .*/  justification: Creates deployments in the production environment and pushes the web image to GitHub Packages./'
commit alice "2026-08-03 11:20:00" "deploy-web: push the web image to GitHub Packages"
g tag widen-justified

# --- 5: widen a production identity, justification unchanged ---------------------
edit $R/payments/ledger-role.yaml 's/^    s3: read$/    s3: write/; s/^    sqs: write$/    sqs: write\
    dynamodb: write/'
commit bob "2026-08-17 16:45:00" "ledger-role: write to the ledger bucket and table"
g tag widen-unjustified

# --- 6: pure rename --------------------------------------------------------------
move $R/payments/payments-ci.yaml $R/ci/payments-ci.yaml
commit bob "2026-09-01 09:05:00" "Move payments-ci to the ci folder"
g tag pure-rename

# --- 7: rename and modify ----------------------------------------------------------
move $R/platform/preview-deployer.yaml $R/payments/preview-deployer.yaml
edit $R/payments/preview-deployer.yaml 's/^  owner: platform$/  owner: payments/'
commit alice "2026-09-08 13:30:00" "Hand preview-deployer over to payments"
g tag rename-modify

# --- 8: change an environment ------------------------------------------------------
edit $R/payments/preview-deployer.yaml 's/^  environment: staging$/  environment: production/'
commit bob "2026-09-21 10:00:00" "preview-deployer deploys to production now"
g tag env-change

# --- 9: change a federation subject --------------------------------------------
edit $R/platform/deploy-web.yaml 's|^    subject: "repo:acme/web:environment:production"$|    subject: "repo:acme/web:ref:refs/heads/main"|'
commit carol "2026-10-05 15:10:00" "deploy-web: trust main instead of the production environment"
g tag subject-change

# --- 10: a side branch, merged with a merge commit --------------------------------
g switch --quiet -c feature/x
put $R/platform/metrics-exporter.yaml <<'EOF'
apiVersion: tenure/v1
kind: Identity
metadata:
  name: metrics-exporter
  owner: platform
  description: Sends the web app's staging metrics to Datadog.
spec:
  type: api-key
  environment: staging
  created: 2026-10-12
  expires: 2027-04-09
  permissions:
    metrics: write
  justification: Submits metrics and events to Datadog.
EOF
commit dave "2026-10-12 09:40:00" "Add metrics-exporter for Datadog"
edit $R/ci/payments-ci.yaml 's/^  expires: 2027-05-28$/  expires: 2027-10-09/; /^  created: /a\
  renewed: 2026-10-14'
commit dave "2026-10-14 17:25:00" "Renew payments-ci until 2027-10-09"
g tag feature-x-tip

g switch --quiet main
edit $R/teams/platform.yaml 's/^  members: \[alice-dev, dave-ops\]$/  members: [alice-dev, dave-ops, erin-dev]/'
commit erin "2026-10-13 08:50:00" "Add erin-dev to platform"
g tag before-merge

who carol "2026-10-19 12:00:00"
g merge --quiet --no-ff --no-verify --no-edit --no-log -m "Merge branch 'feature/x'

Adds metrics-exporter and renews payments-ci." feature/x
g tag merged

# --- 11: remove an identity --------------------------------------------------------
rm "$WORK/$R/platform/web-deploy-key.yaml"
commit alice "2026-10-26 11:00:00" "Remove web-deploy-key: the staging hosts use the GitHub App now"
g tag remove-identity

# --- 12: remove a Team that still owns identities ----------------------------------
rm "$WORK/$R/teams/payments.yaml"
commit carol "2026-11-02 10:30:00" "Remove the payments team"
g tag remove-team

# --- 13: a renewal longer than the maximum lifetime ------------------------------
edit $R/platform/deploy-web.yaml 's/^  expires: 2026-12-31$/  expires: 2027-06-30/; /^  created: /a\
  renewed: 2026-11-16'
commit alice "2026-11-16 09:15:00" "Renew deploy-web until 2027-06-30"
g tag renew-too-long

# --- 14: a change outside the registry ---------------------------------------------
cat >> "$WORK/README.md" <<'EOF'

Run `tenure check` before opening a pull request.
EOF
commit erin "2026-11-20 16:00:00" "README: mention tenure check"
g tag readme-only

# Sanity: the work tree is clean and HEAD is main.
[[ -z "$(g status --porcelain)" ]] || { echo "work tree not clean" >&2; exit 1; }
[[ "$(g symbolic-ref HEAD)" == refs/heads/main ]]

# --- output ------------------------------------------------------------------------
if [[ "$BARE" == 1 ]]; then
  mkdir -p "$OUT"
  git -c core.hooksPath=/dev/null clone --quiet --bare --template= "$WORK" "$OUT"
  git -C "$OUT" remote remove origin
else
  mkdir -p "$OUT"
  cp -R "$WORK/." "$OUT/"
fi
SHOW=$OUT
echo "fixture repository: $(cd "$SHOW" && pwd)$([[ "$BARE" == 1 ]] && echo ' (bare)')"
echo "HEAD: $(git -C "$SHOW" rev-parse HEAD)"
git -C "$SHOW" log --oneline --graph --all --decorate=short --no-abbrev-commit
