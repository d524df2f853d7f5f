#!/usr/bin/env python3
"""Lay out the inputs of bench/verify/run.sh in WORK (rebuilt on every run):

    WORK/reg/          a copy of the repository's identities/ plus
                       signing/beacon.yaml, a keyless SigningKey for the
                       conformance beacon workflow that allows `*.txt`
    WORK/dist-1/       a.txt and a.txt.sigstore.json
    WORK/dist-N/       artifact-0000.txt ... and their .sigstore.json beside them
    WORK/trust-config.json
                       a sigstore-python ClientTrustConfig: the trusted root
                       tenure embeds (sigstore-trust-root 0.15.1) and
                       sigstore-python's own production signing config (used
                       only for signing, never read by `verify`)

Every artifact is a copy of the conformance suite's a.txt and every bundle a
copy of happy-path-v0.3/bundle.sigstore.json: a real bundle signed against
Sigstore production, which is the only kind that verifies offline against the
production root (new ones cannot be signed here). The N artifacts are distinct
files with distinct names, but identical bytes; nothing in tenure or
sigstore-python caches a result across artifacts.

    python3 bench/verify/prepare.py --repo REPO --work WORK --n 1000 \
        --trusted-root PATH --signing-config PATH
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

# The beacon's SigningKey: valid when the bundle was signed (2024-03-19), a
# term within the registry's `signingKeys: 1y` guardrail, owned by the team
# that may own production declarations. It has lapsed by now, so `tenure
# check` warns `expired`; verification judges the signing time.
BEACON = """\
apiVersion: tenure/v1
kind: SigningKey
metadata:
  name: beacon
  owner: maintainers
  description: The Sigstore conformance suite's signing workflow (benchmark only).
spec:
  created: 2024-01-01
  expires: 2024-12-30
  keyless:
    issuer: https://token.actions.githubusercontent.com
    identityPattern: "^https://github\\\\.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/\\\\.github/workflows/extremely-dangerous-oidc-beacon\\\\.yml@refs/heads/main$"
    github:
      repository: sigstore-conformance/extremely-dangerous-public-oidc-beacon
      workflow: .github/workflows/extremely-dangerous-oidc-beacon.yml
      refs: [refs/heads/main]
      runner: github-hosted
      triggers: [workflow_dispatch]
  allows:
    artifacts: ["*.txt"]
"""


def fresh(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def copy(src: Path, dst: Path) -> None:
    dst.write_bytes(src.read_bytes())  # not shutil.copy: the sources are read-only


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", type=Path, required=True)
    ap.add_argument("--work", type=Path, required=True)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--trusted-root", type=Path, required=True)
    ap.add_argument("--signing-config", type=Path, required=True)
    args = ap.parse_args()

    cases = args.repo / "verifier/tests/data/conformance"
    artifact = cases / "a.txt"
    bundle = cases / "happy-path-v0.3/bundle.sigstore.json"
    args.work.mkdir(parents=True, exist_ok=True)

    reg = args.work / "reg"
    if reg.exists():
        shutil.rmtree(reg)
    shutil.copytree(args.repo / "identities", reg)
    for p in reg.rglob("*"):  # copytree keeps read-only modes
        p.chmod(0o755 if p.is_dir() else 0o644)
    (reg / "signing").mkdir(exist_ok=True)
    (reg / "signing/beacon.yaml").write_text(BEACON)

    one = fresh(args.work / "dist-1")
    copy(artifact, one / "a.txt")
    copy(bundle, one / "a.txt.sigstore.json")

    many = fresh(args.work / f"dist-{args.n}")
    width = max(4, len(str(args.n - 1)))
    for i in range(args.n):
        name = f"artifact-{i:0{width}d}.txt"
        copy(artifact, many / name)
        copy(bundle, many / f"{name}.sigstore.json")

    config = {
        "mediaType": "application/vnd.dev.sigstore.clienttrustconfig.v0.1+json",
        "trustedRoot": json.loads(args.trusted_root.read_text()),
        "signingConfig": json.loads(args.signing_config.read_text()),
    }
    (args.work / "trust-config.json").write_text(json.dumps(config, indent=1) + "\n")


if __name__ == "__main__":
    main()
