#!/usr/bin/env bash
# The whole test suite. Installs and starts what the tests need, and stops it
# again:
# - the local Sigstore stack (stack/sigstore: Node packages from its lock
#   file), on a random 127.0.0.1 port, for the signing tests;
# - sigstore-python 4.5.1 in a venv, the independent client that must verify
#   what tenure signs (and sign what tenure must verify).
# The tests find them through TENURE_SIGSTORE_STACK (the stack's ready file)
# and TENURE_SIGSTORE_PYTHON (the `sigstore` executable).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

work=$(mktemp -d "${TMPDIR:-/tmp}/tenure-test.XXXXXX")
stack_pid=""
cleanup() {
    if [[ -n "$stack_pid" ]] && kill -0 "$stack_pid" 2>/dev/null; then
        kill "$stack_pid" 2>/dev/null || true
        wait "$stack_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

echo "== local Sigstore stack (npm ci, npm test)"
(cd stack/sigstore && npm ci --no-audit --no-fund --loglevel=error && npm test --silent)

echo "== sigstore-python 4.5.1"
venv=${TENURE_SIGSTORE_VENV:-$repo/target/sigstore-python}
if ! "$venv/bin/sigstore" --version 2>/dev/null | grep -q "4.5.1"; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "sigstore==4.5.1"
fi
export TENURE_SIGSTORE_PYTHON="$venv/bin/sigstore"

node stack/sigstore/server.mjs --out "$work/stack" > "$work/stack.out" 2> "$work/stack.err" &
stack_pid=$!
for _ in $(seq 1 100); do
    grep -q '"ready":true' "$work/stack.out" 2>/dev/null && break
    if ! kill -0 "$stack_pid" 2>/dev/null; then
        cat "$work/stack.err" >&2
        echo "the Sigstore stack did not start" >&2
        exit 1
    fi
    sleep 0.1
done
grep -q '"ready":true' "$work/stack.out" || { echo "the Sigstore stack is not ready" >&2; exit 1; }
export TENURE_SIGSTORE_STACK="$work/stack/stack.json"
echo "stack ready: $(head -c 200 "$work/stack.out")"

cargo test --workspace --locked --all-targets
cargo test --workspace --locked --doc
