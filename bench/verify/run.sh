#!/usr/bin/env bash
# Benchmark `tenure verify` against sigstore-python (`sigstore verify identity
# --offline`) on real Sigstore production bundles, both offline with the same
# trusted root, and measure the per-core ceiling of the crypto backend.
#
#   bash bench/verify/run.sh
#
# What it does (see bench/RESULTS.md, "`tenure verify` benchmark"):
#   1. cargo build --release -p tenure; the binary is copied to WORK.
#   2. sigstore-python $SIGSTORE_VERSION in a venv in WORK (pip; bytecode
#      compiled once, so no run pays for compiling it).
#   3. bench/verify/prepare.py: a registry (identities/ plus a SigningKey for
#      the conformance beacon workflow), dist-1/ and dist-N/ (copies of the
#      conformance suite's production-signed happy-path-v0.3 bundle and a.txt
#      under distinct names), and a ClientTrustConfig for sigstore-python
#      around the trusted root tenure embeds (sigstore-trust-root 0.15.1).
#   4. Correctness first: both tools must verify every artifact (exit 0, N
#      verified) before anything is timed; sigstore-python is also run once
#      with no network at all (`unshare -n`) to show it is offline.
#   5. hyperfine (-N, no shell): one bundle, and N bundles in one process
#      (`tenure verify dist/*`; sigstore-python given the N artifacts at
#      once), tenure on 2 cores and pinned to one (`taskset -c 0` on hyperfine,
#      so the pin costs no extra exec).
#   6. cargo bench -p tenure-verifier --bench verify: bundles/s per core and
#      the ECDSA costs inside one verification (BENCH_CRATE=0 skips).
#   7. callgrind on one `tenure verify` of one bundle: where its instructions
#      go (PROFILE=0 skips; needs valgrind).
#
# Knobs (defaults in brackets):
#   N=1000                  bundles in the many-bundle run
#   ONE_RUNS=100 ONE_WARMUP=10     tenure, one bundle
#   PY_ONE_RUNS=20 PY_WARMUP=3     sigstore-python, one bundle
#   MANY_RUNS=20 MANY_WARMUP=3     tenure, N bundles
#   PY_MANY_RUNS=10                sigstore-python, N bundles
#   QUIET_PCT=15 QUIET_WAIT=300    before each timed block, wait (at most
#                                  QUIET_WAIT s) until the machine is at most
#                                  QUIET_PCT % busy over 2 s; 0 disables
#   SIGSTORE_VERSION=4.5.1
#   TENURE_BENCH_DIR        [${TMPDIR:-/tmp}/tenure-bench]; this script uses its verify/ folder
#
# Nothing is written in the repository except cargo's target/ folder.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE="$REPO/bench/verify"
N=${N:-1000}
ONE_RUNS=${ONE_RUNS:-100}
ONE_WARMUP=${ONE_WARMUP:-10}
PY_ONE_RUNS=${PY_ONE_RUNS:-20}
PY_WARMUP=${PY_WARMUP:-3}
MANY_RUNS=${MANY_RUNS:-20}
MANY_WARMUP=${MANY_WARMUP:-3}
PY_MANY_RUNS=${PY_MANY_RUNS:-10}
QUIET_PCT=${QUIET_PCT:-15}
QUIET_WAIT=${QUIET_WAIT:-300}
BENCH_CRATE=${BENCH_CRATE:-1}
PROFILE=${PROFILE:-1}
SIGSTORE_VERSION=${SIGSTORE_VERSION:-4.5.1}
WORK=${TENURE_BENCH_DIR:-${TMPDIR:-/tmp}/tenure-bench}/verify
VENV="$WORK/venv-sigstore-$SIGSTORE_VERSION"
PY=${PYTHON:-python3}
HYPERFINE=${HYPERFINE:-hyperfine}
IDENTITY=https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main
ISSUER=https://token.actions.githubusercontent.com

mkdir -p "$WORK"
log() { printf '%s\n' "$*" >&2; }
command -v "$HYPERFINE" >/dev/null || { log "hyperfine not found (apt-get install hyperfine)"; exit 2; }

# --- tenure ------------------------------------------------------------------
log "== cargo build --release -p tenure"
(cd "$REPO" && cargo build --release -p tenure --quiet)
TARGET_DIR=${CARGO_TARGET_DIR:-$REPO/target}
cp "$TARGET_DIR/release/tenure" "$WORK/tenure.new" && mv "$WORK/tenure.new" "$WORK/tenure"
TENURE="$WORK/tenure"
REV=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
# Uncommitted changes to what the binary is built from (this benchmark's own
# files aside) mark the revision.
if [[ -n "$(git -C "$REPO" status --porcelain -- cli registry-schema verifier ':!verifier/benches' Cargo.toml Cargo.lock 2>/dev/null)" ]]; then
  REV="$REV+uncommitted"
fi

# The trusted root tenure embeds: sigstore-trust-root's copy, as cargo resolved it.
TRUST_CRATE=$(cd "$REPO" && cargo metadata --format-version 1 --locked 2>/dev/null |
  "$PY" -c 'import json,sys; d=json.load(sys.stdin); print(next(p["manifest_path"] for p in d["packages"] if p["name"]=="sigstore-trust-root"))')
TRUSTED_ROOT="$(dirname "$TRUST_CRATE")/src/trusted_root.json"
[[ -f "$TRUSTED_ROOT" ]] || { log "no trusted_root.json at $TRUSTED_ROOT"; exit 2; }

# --- sigstore-python -----------------------------------------------------------
if [[ ! -x "$VENV/bin/sigstore" ]] || [[ "$("$VENV/bin/sigstore" --version 2>/dev/null)" != "sigstore $SIGSTORE_VERSION" ]]; then
  log "== installing sigstore==$SIGSTORE_VERSION in $VENV"
  rm -rf "$VENV"
  "$PY" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet "sigstore==$SIGSTORE_VERSION"
fi
# pip compiles bytecode at install, but PYTHONDONTWRITEBYTECODE or a partial
# install could leave modules without it: compile everything once, so every
# timed run loads .pyc files as an installed tool normally does.
"$VENV/bin/python" -m compileall -q -j 0 "$VENV/lib" >/dev/null || true
SIGSTORE="$VENV/bin/sigstore"
SIG_PKG=$("$VENV/bin/python" -c 'import os, sigstore; print(os.path.dirname(sigstore.__file__))')
SIGNING_CONFIG=$(ls "$SIG_PKG"/_store/https*tuf-repo-cdn.sigstore.dev/signing_config*.json | head -1)
PY_ROOT=$(ls "$SIG_PKG"/_store/https*tuf-repo-cdn.sigstore.dev/trusted_root.json | head -1)
if cmp -s "$TRUSTED_ROOT" "$PY_ROOT"; then
  SAME_ROOT="byte-identical to the production trusted_root.json sigstore-python $SIGSTORE_VERSION ships"
else
  SAME_ROOT="differs from the one sigstore-python $SIGSTORE_VERSION ships (ours is passed with --trust-config)"
fi

# --- inputs ------------------------------------------------------------------
log "== laying out $WORK (registry, dist-1, dist-$N, trust-config.json)"
"$PY" "$HERE/prepare.py" --repo "$REPO" --work "$WORK" --n "$N" \
  --trusted-root "$TRUSTED_ROOT" --signing-config "$SIGNING_CONFIG"
cd "$WORK"
mapfile -t MANY_ALL < <(cd "$WORK" && ls -1 "dist-$N"/* | LC_ALL=C sort)   # what `dist/*` expands to
mapfile -t MANY_ART < <(printf '%s\n' "${MANY_ALL[@]}" | grep -v '\.sigstore\.json$')
[[ ${#MANY_ART[@]} == "$N" ]] || { log "expected $N artifacts in dist-$N"; exit 1; }

T_ONE="$TENURE verify --registry reg dist-1/a.txt"
T_MANY="$TENURE verify --registry reg ${MANY_ALL[*]}"
S_ARGS="--trust-config trust-config.json verify identity --offline --cert-identity $IDENTITY --cert-oidc-issuer $ISSUER"
S_ONE="$SIGSTORE $S_ARGS dist-1/a.txt"
S_MANY="$SIGSTORE $S_ARGS ${MANY_ART[*]}"

# --- correctness: never time a failure ---------------------------------------
log "== checking that both tools verify every artifact"
"$TENURE" check reg > check.txt 2>&1 || { cat check.txt >&2; log "tenure check reg failed"; exit 1; }
verified_count() { "$PY" -c 'import json,sys; d=json.load(sys.stdin); print(d["summary"]["verified"])'; }
$T_ONE --format json > verify-1.json || { log "tenure verify (1) failed; see $WORK/verify-1.json"; exit 1; }
[[ $(verified_count < verify-1.json) == 1 ]] || { log "tenure verified no bundle"; exit 1; }
$T_MANY --format json > verify-many.json || { log "tenure verify ($N) failed; see $WORK/verify-many.json"; exit 1; }
[[ $(verified_count < verify-many.json) == "$N" ]] || { log "tenure did not verify all $N bundles"; exit 1; }
$S_ONE > sigstore-1.txt 2>&1 || { cat sigstore-1.txt >&2; log "sigstore-python failed (1)"; exit 1; }
$S_MANY > sigstore-many.txt 2>&1 || { tail sigstore-many.txt >&2; log "sigstore-python failed ($N)"; exit 1; }
[[ $(grep -c '^OK: ' sigstore-many.txt) == "$N" ]] || { log "sigstore-python did not verify all $N"; exit 1; }
if unshare -n true 2>/dev/null; then
  unshare -n $S_ONE > sigstore-nonet.txt 2>&1 || { cat sigstore-nonet.txt >&2; log "sigstore-python needs the network"; exit 1; }
  unshare -n $T_ONE > /dev/null || { log "tenure needs the network"; exit 1; }
  OFFLINE="both verified with no network interface at all (unshare -n)"
else
  OFFLINE="not checked without network (unshare -n unavailable)"
fi
log "   ok: tenure and sigstore-python verify 1 and $N; $OFFLINE"

# --- timing ------------------------------------------------------------------
busy_pct() {
  local a b
  a=($(head -1 /proc/stat)); sleep 2; b=($(head -1 /proc/stat))
  local total=0 idle i
  for i in 1 2 3 4 5 6 7 8; do total=$((total + b[i] - a[i])); done
  idle=$((b[4] - a[4] + b[5] - a[5]))
  echo $(( total > 0 ? 100 * (total - idle) / total : 0 ))
}
quiet() {
  [[ "$QUIET_PCT" == 0 ]] && return 0
  local t0=$SECONDS busy
  while :; do
    busy=$(busy_pct)
    if (( busy <= QUIET_PCT )); then log "   machine ${busy}% busy; load $(cut -d' ' -f1-3 /proc/loadavg)"; return 0; fi
    if (( SECONDS - t0 >= QUIET_WAIT )); then
      log "   WARNING: machine still ${busy}% busy after ${QUIET_WAIT}s; timing anyway"
      NOISY="yes (${busy}% busy at one block)"
      return 0
    fi
    sleep 3
  done
}
NOISY=no
HF=("$HYPERFINE" -N --style basic)

log "== one bundle: tenure ($ONE_WARMUP warm-up + $ONE_RUNS runs each)"
quiet
"${HF[@]}" --warmup "$ONE_WARMUP" --runs "$ONE_RUNS" --export-json hf-one.json \
  -n floor-tenure-version "$TENURE --version" \
  -n check-tenure-check-reg "$TENURE check reg" \
  -n tenure-verify-1 "$T_ONE" >&2
log "== one bundle: tenure pinned to core 0"
quiet
taskset -c 0 "${HF[@]}" --warmup "$ONE_WARMUP" --runs "$ONE_RUNS" --export-json hf-one-pinned.json \
  -n pinned-tenure-verify-1 "$T_ONE" >&2
log "== one bundle: sigstore-python ($PY_WARMUP warm-up + $PY_ONE_RUNS runs)"
quiet
"${HF[@]}" --warmup "$PY_WARMUP" --runs "$PY_ONE_RUNS" --export-json hf-one-sigstore.json \
  -n sigstore-verify-1 "$S_ONE" >&2
log "== $N bundles: tenure ($MANY_WARMUP warm-up + $MANY_RUNS runs)"
quiet
"${HF[@]}" --warmup "$MANY_WARMUP" --runs "$MANY_RUNS" --export-json hf-many.json \
  -n "tenure-verify-$N" "$T_MANY" >&2
log "== $N bundles: tenure pinned to core 0"
quiet
taskset -c 0 "${HF[@]}" --warmup "$MANY_WARMUP" --runs "$MANY_RUNS" --export-json hf-many-pinned.json \
  -n "pinned-tenure-verify-$N" "$T_MANY" >&2
log "== $N bundles: sigstore-python ($PY_WARMUP warm-up + $PY_MANY_RUNS runs)"
quiet
"${HF[@]}" --warmup "$PY_WARMUP" --runs "$PY_MANY_RUNS" --export-json hf-many-sigstore.json \
  -n "sigstore-verify-$N" "$S_MANY" >&2

# --- per-core ceiling ----------------------------------------------------------
CEILING=""
if [[ "$BENCH_CRATE" == 1 ]]; then
  log "== cargo bench -p tenure-verifier --bench verify"
  (cd "$REPO" && cargo bench -p tenure-verifier --bench verify --quiet --no-run) >&2
  quiet
  CEILING=$(cd "$REPO" && TENURE_BENCH_REGISTRY="$WORK/reg" cargo bench -p tenure-verifier --bench verify --quiet 2>/dev/null)
fi

# --- where one bundle's instructions go ----------------------------------------
rm -f callgrind.txt
if [[ "$PROFILE" == 1 ]] && command -v valgrind >/dev/null && command -v callgrind_annotate >/dev/null; then
  log "== callgrind: tenure verify, one bundle"
  valgrind --tool=callgrind --callgrind-out-file="$WORK/callgrind.out" $T_ONE >/dev/null 2>callgrind.log
  callgrind_annotate --inclusive=yes callgrind.out > callgrind-inclusive.txt 2>/dev/null
  "$PY" - callgrind-inclusive.txt > callgrind.txt <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
total = int(re.search(r"^\s*([\d,]+) \(100\.0+%\)\s+PROGRAM TOTALS", text, re.M).group(1).replace(",", ""))
def incl(func):
    # The function's own entry (the line that names its binary); recursion markers ('2) skipped.
    best = 0
    for m in re.finditer(r"^\s*([\d,]+) \(\s*[\d.]+%\)\s+[^\s:]*:(.+?) \[[^\]]+\]\s*$", text, re.M):
        if m.group(2) == func:
            best = max(best, int(m.group(1).replace(",", "")))
    return best
rows = [
    ("everything (both threads)", None),
    ("registry load (`tenure_schema::registry::load`)", "tenure_schema::registry::load"),
    ("  of which JSON Schema compilation (`jsonschema::compiler::build_validator_with_registry`)", "jsonschema::compiler::build_validator_with_registry"),
    ("bundle verification (`TrustRoot::verify_keyless`)", "tenure_verifier::signature::<impl tenure_verifier::trust::TrustRoot>::verify_keyless"),
    ("  of which ECDSA (`aws_lc_0_47_0_ECDSA_verify`, 6 calls)", "aws_lc_0_47_0_ECDSA_verify"),
    ("dynamic loader (`_dl_start`)", "_dl_start"),
]
print("| part | instructions | share |")
print("| --- | ---: | ---: |")
for name, func in rows:
    n = total if func is None else incl(func)
    print(f"| {name} | {n/1e6:.1f} M | {100*n/total:.0f}% |" if n else f"| {name} | n/a | |")
EOF
fi

# --- report ------------------------------------------------------------------
CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || true)
echo
echo "tenure verify benchmark: $(date -u +%Y-%m-%dT%H:%MZ), nproc=$(nproc), CPU: ${CPU:-unknown}, $(free -g | awk '/^Mem:/ {print $2}') GiB"
echo "tenure: cargo build --release -p tenure (lto=fat, codegen-units=1) at $REV"
echo "sigstore-python: $("$SIGSTORE" --version) ($("$VENV/bin/python" --version)), --offline --trust-config (ClientTrustConfig around tenure's trusted root)"
echo "trusted root: $TRUSTED_ROOT, $SAME_ROOT"
echo "offline: $OFFLINE"
echo "inputs: $N copies of the production-signed conformance bundle happy-path-v0.3 and a.txt (distinct names, identical bytes)"
echo "timing: hyperfine $("$HYPERFINE" --version | cut -d' ' -f2) -N; page cache warm; noisy machine: $NOISY"
echo
"$PY" "$HERE/report.py" "$WORK" "$N"
if [[ -n "$CEILING" ]]; then
  echo
  echo "Per-core ceiling (cargo bench -p tenure-verifier --bench verify):"
  echo
  echo "$CEILING"
fi
