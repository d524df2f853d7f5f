#!/usr/bin/env bash
# Smoke test of the local Sigstore stack with real clients: sigstore-python
# 4.5.1 signs (blob with and without a timestamp authority, and a DSSE
# attestation) against the stack, then sigstore-python and tenure's
# conformance client verify every bundle with the stack's trusted root.
# Forged, expired and wrongly addressed tokens must be refused, hostile
# requests must get 4xx JSON, and the stack must count what it saw.
#
#   bash stack/sigstore/smoke.sh
#
# Works from a fresh clone: `npm ci` here when node_modules is missing or
# stale, a venv with sigstore==4.5.1 from PyPI (SIGSTORE_SMOKE_VENV, default
# stack/sigstore/.venv), and `cargo build` of tenure-conformance. Every
# process it starts is stopped on exit.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
venv=${SIGSTORE_SMOKE_VENV:-$here/.venv}
work=$(mktemp -d "${TMPDIR:-/tmp}/sigstore-smoke.XXXXXX")
server_pid=""

cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '%s\n' "$*" >&2; }

passed=0
failed=0
ok() { passed=$((passed + 1)); log "ok   - $1"; }
not_ok() { failed=$((failed + 1)); log "FAIL - $1"; }
# expect_success NAME CMD...: CMD must exit 0.
expect_success() {
  local name=$1; shift
  if "$@" >"$work/last.out" 2>&1; then ok "$name"; else not_ok "$name"; sed 's/^/       /' "$work/last.out" >&2; fi
}
# expect_failure NAME CMD...: CMD must exit non-zero.
expect_failure() {
  local name=$1; shift
  if "$@" >"$work/last.out" 2>&1; then not_ok "$name (it succeeded)"; sed 's/^/       /' "$work/last.out" >&2; else ok "$name"; fi
}

# --- what the smoke test needs ---------------------------------------------

if [[ ! -f "$here/node_modules/.package-lock.json" || "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]]; then
  log "npm ci in $here"
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi

if [[ "$("$venv/bin/sigstore" --version 2>/dev/null || true)" != *"4.5.1"* ]]; then
  log "creating $venv with sigstore==4.5.1"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'sigstore==4.5.1'
fi
sigstore() { "$venv/bin/sigstore" "$@"; }

log "building tenure-conformance"
(cd "$repo" && cargo build --locked --quiet -p tenure --bin tenure-conformance)
conformance=$repo/target/debug/tenure-conformance

# --- the stack ---------------------------------------------------------------

node "$here/server.mjs" --out "$work/stack" >"$work/server.out" 2>"$work/server.err" &
server_pid=$!
for _ in $(seq 1 300); do
  grep -q '"ready":true' "$work/server.out" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.err" >&2; log "the stack did not start"; exit 1; }
  sleep 0.1
done
grep -q '"ready":true' "$work/server.out" || { log "the stack did not print its ready line"; exit 1; }
field() { node -e 'const v = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8").split("\n")[0])[process.argv[2]]; process.stdout.write(String(v))' "$work/server.out" "$1"; }
url=$(field url)
issuer=$(field issuer)
trusted_root=$(field trusted_root)
trust_config=$(field trust_config)
trust_config_no_tsa=$(field trust_config_no_tsa)
private_key=$(field oidc_private_key)
log "stack ready at $url"

mint() { node "$here/mint-token.mjs" mint --private "$private_key" "$@"; }
requests() { curl -sf "$url/__stack/requests"; }
count() { requests | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const r=JSON.parse(s);process.stdout.write(String(process.argv[1]==="total"?r.total:r.services[process.argv[1]].count))})' "$1"; }

identity="https://github.com/acme/web/.github/workflows/release.yml@refs/heads/main"
cd "$work"
printf 'tenure smoke artifact\n' >artifact.txt
printf 'second\n' >two.txt
printf 'third\n' >three.txt
cat >predicate.json <<'EOF'
{"buildDefinition":{"buildType":"https://example.com/build/v1","externalParameters":{}},"runDetails":{"builder":{"id":"https://example.com/builder"}}}
EOF

verify_both() { # NAME BUNDLE FILE CONFIG
  expect_success "$1: sigstore-python verifies" \
    sigstore --trust-config "$4" verify identity --bundle "$2" --cert-identity "$identity" --cert-oidc-issuer "$issuer" "$3"
  expect_success "$1: tenure-conformance verifies" \
    "$conformance" verify-bundle --bundle "$2" --certificate-identity "$identity" --certificate-oidc-issuer "$issuer" --trusted-root "$trusted_root" "$3"
  expect_failure "$1: sigstore-python refuses another identity" \
    sigstore --trust-config "$4" verify identity --bundle "$2" --cert-identity "https://github.com/acme/other/.github/workflows/x.yml@refs/heads/main" --cert-oidc-issuer "$issuer" "$3"
  expect_failure "$1: tenure-conformance refuses another identity" \
    "$conformance" verify-bundle --bundle "$2" --certificate-identity "https://github.com/acme/other/.github/workflows/x.yml@refs/heads/main" --certificate-oidc-issuer "$issuer" --trusted-root "$trusted_root" "$3"
}

# Blob, with a TSA in the signing config: the bundle carries an RFC 3161 timestamp.
expect_success "sign blob (Fulcio, Rekor, TSA)" \
  sigstore --trust-config "$trust_config" sign --identity-token "$(mint)" --bundle blob.sigstore.json artifact.txt
expect_success "blob bundle has an RFC 3161 timestamp" \
  node -e 'const b=require(process.argv[1]);if(!(b.verificationMaterial.timestampVerificationData?.rfc3161Timestamps?.length>0))process.exit(1)' "$work/blob.sigstore.json"
verify_both "blob" blob.sigstore.json artifact.txt "$trust_config"

# The certificate carries the token's identity as real Fulcio writes it.
expect_success "certificate has the GitHub Actions extensions" "$venv/bin/python" - "$work/blob.sigstore.json" <<'EOF'
import base64, json, sys
from cryptography import x509
bundle = json.load(open(sys.argv[1]))
cert = x509.load_der_x509_certificate(base64.b64decode(bundle["verificationMaterial"]["certificate"]["rawBytes"]))
ext = {e.oid.dotted_string: e.value.value for e in cert.extensions if isinstance(e.value, x509.UnrecognizedExtension)}
def utf8(oid):  # DER UTF8String of a short value
    raw = ext[oid]; assert raw[0] == 0x0C, oid; return raw[2:].decode()
p = "1.3.6.1.4.1.57264.1."
san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(x509.UniformResourceIdentifier)
assert san == ["https://github.com/acme/web/.github/workflows/release.yml@refs/heads/main"], san
assert ext[p + "1"] == b"https://token.actions.githubusercontent.com"
assert utf8(p + "8") == "https://token.actions.githubusercontent.com"
assert utf8(p + "9") == san[0]
assert utf8(p + "11") == "github-hosted"
assert utf8(p + "12") == "https://github.com/acme/web"
assert utf8(p + "14") == "refs/heads/main"
assert utf8(p + "18") == san[0]
assert utf8(p + "20") == "push"
assert utf8(p + "21") == "https://github.com/acme/web/actions/runs/1/attempts/1"
for legacy in ("2", "3", "4", "5", "6"):
    assert p + legacy in ext, legacy
EOF

# Blob, Rekor only; then two files in one call, which sigstore-python signs
# in parallel threads.
expect_success "sign blob (Fulcio, Rekor)" \
  sigstore --trust-config "$trust_config_no_tsa" sign --identity-token "$(mint)" --bundle rekor-only.sigstore.json artifact.txt
expect_success "sign two blobs in one call" \
  sigstore --trust-config "$trust_config_no_tsa" sign --identity-token "$(mint)" two.txt three.txt
verify_both "rekor-only blob" rekor-only.sigstore.json artifact.txt "$trust_config_no_tsa"
verify_both "parallel blob" two.txt.sigstore.json two.txt "$trust_config_no_tsa"
verify_both "parallel blob" three.txt.sigstore.json three.txt "$trust_config_no_tsa"

# DSSE: an in-toto statement about the artifact, logged as a dsse entry.
expect_success "attest (DSSE, SLSA v1 predicate)" \
  sigstore --trust-config "$trust_config" attest --predicate predicate.json --predicate-type https://slsa.dev/provenance/v1 \
  --identity-token "$(mint --runner self-hosted --event workflow_dispatch)" --bundle attest.sigstore.json artifact.txt
verify_both "attestation" attest.sigstore.json artifact.txt "$trust_config"

# --- tokens the stack must refuse, without logging anything ------------------

node "$here/mint-token.mjs" keygen --jwks "$work/other-jwks.json" --private "$work/other-key.jwk.json" >/dev/null
curl -sf -X POST "$url/__stack/reset" >/dev/null
refuse() { # NAME TOKEN
  expect_failure "$1 is refused" \
    sigstore --trust-config "$trust_config" sign --identity-token "$2" --bundle refused.sigstore.json --overwrite artifact.txt
}
refuse "a forged token (another key)" "$(node "$here/mint-token.mjs" mint --private "$work/other-key.jwk.json")"
refuse "an expired token" "$(mint --claims '{"exp": 1000000000}')"
refuse "a token for another audience" "$(mint --claims '{"aud": "sts.amazonaws.com"}')"
refuse "a token from another issuer" "$(mint --issuer https://gitlab.com)"
# sigstore-python itself refuses expired and wrongly addressed tokens; the
# forged one reaches Fulcio, which must answer 401 and log nothing.
expect_success "the stack answered 401 and logged nothing" \
  node -e 'const r=JSON.parse(process.argv[1]);const f=r.services.fulcio.requests;if(f.length<1||f.some(x=>x.status!==401)||r.services.rekor.count!==0||r.services.tsa.count!==0){console.log(JSON.stringify(r));process.exit(1)}' "$(requests)"

# --- hostile requests: 4xx JSON, and the stack stays up -----------------------

status_of() { curl -s -o "$work/reply.json" -w '%{http_code}' "$@"; }
hostile() { # NAME EXPECTED_STATUS CURL_ARGS...
  local name=$1 expected=$2; shift 2
  local got; got=$(status_of "$@")
  if [[ "$got" == "$expected" ]] && node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));if(r.code!=='"$expected"'||typeof r.message!=="string")process.exit(1)' "$work/reply.json" 2>/dev/null; then
    ok "$name: $expected"
  else
    not_ok "$name: got $got, expected $expected"
  fi
}
hostile "Fulcio, not JSON" 400 -X POST "$url/api/v2/signingCert" --data '{'
hostile "Fulcio, no token" 401 -X POST "$url/api/v2/signingCert" --data '{}'
hostile "Fulcio, forged token" 401 -X POST "$url/api/v2/signingCert" -H "Authorization: Bearer $(node "$here/mint-token.mjs" mint --private "$work/other-key.jwk.json")" --data '{}'
hostile "Fulcio, expired token" 401 -X POST "$url/api/v2/signingCert" -H "Authorization: Bearer $(mint --claims '{"exp": 1000000000}')" --data '{}'
hostile "Fulcio, token for another audience" 401 -X POST "$url/api/v2/signingCert" -H "Authorization: Bearer $(mint --claims '{"aud": "sts.amazonaws.com"}')" --data '{}'
hostile "Fulcio, token from another issuer" 401 -X POST "$url/api/v2/signingCert" -H "Authorization: Bearer $(mint --issuer https://gitlab.com)" --data '{}'
hostile "Fulcio, token in the body from another key" 401 -X POST "$url/api/v2/signingCert" --data "{\"credentials\":{\"oidcIdentityToken\":\"$(node "$here/mint-token.mjs" mint --private "$work/other-key.jwk.json")\"}}"
hostile "Fulcio, alg none token" 401 -X POST "$url/api/v2/signingCert" -H "Authorization: Bearer eyJhbGciOiJub25lIn0.e30." --data '{}'
hostile "Fulcio, garbage CSR" 400 -X POST "$url/api/v2/signingCert" -H "Authorization: Bearer $(mint)" --data '{"certificateSigningRequest":"AAAA"}'
hostile "Fulcio, key without proof of possession" 400 -X POST "$url/api/v2/signingCert" -H "Authorization: Bearer $(mint)" \
  --data "{\"publicKeyRequest\":{\"publicKey\":{\"content\":$(node -e 'const c=require("crypto");process.stdout.write(JSON.stringify(c.generateKeyPairSync("ec",{namedCurve:"P-256"}).publicKey.export({type:"spki",format:"pem"})))')},\"proofOfPossession\":\"AAAA\"}}"
hostile "Rekor, unknown kind" 400 -X POST "$url/api/v1/log/entries" --data '{"kind":"rpm","apiVersion":"0.0.1","spec":{}}'
hostile "Rekor, bad hashedrekord key" 400 -X POST "$url/api/v1/log/entries" \
  --data '{"kind":"hashedrekord","apiVersion":"0.0.1","spec":{"signature":{"content":"AAAA","publicKey":{"content":"AAAA"}},"data":{"hash":{"algorithm":"sha256","value":"00"}}}}'
hostile "Rekor, dsse with a signature no verifier makes" 400 -X POST "$url/api/v1/log/entries" \
  --data "{\"kind\":\"dsse\",\"apiVersion\":\"0.0.1\",\"spec\":{\"proposedContent\":{\"envelope\":\"{\\\"payloadType\\\":\\\"x\\\",\\\"payload\\\":\\\"AAAA\\\",\\\"signatures\\\":[{\\\"sig\\\":\\\"AAAA\\\"}]}\",\"verifiers\":[\"$(node -e 'const c=require("crypto");process.stdout.write(Buffer.from(c.generateKeyPairSync("ec",{namedCurve:"P-256"}).publicKey.export({type:"spki",format:"pem"})).toString("base64"))')\"]}}}"
hostile "TSA, not DER" 400 -X POST "$url/api/v1/timestamp" -H 'Content-Type: application/timestamp-query' --data-binary 'garbage'
hostile "a body over the limit" 413 -X POST "$url/api/v1/log/entries" --data-binary "@$(head -c 5000000 /dev/zero >"$work/big" && echo "$work/big")"
hostile "an unknown path" 404 "$url/nope"
hostile "a wrong method" 405 "$url/api/v1/log/entries"
expect_success "the stack is still up" curl -sf "$url/api/v1/log"

# --- the request log -----------------------------------------------------------

curl -sf -X POST "$url/__stack/reset" >/dev/null
expect_success "after a reset the stack saw no request" test "$(count total)" = 0
curl -s "$url/api/v1/log" >/dev/null
expect_success "and then counts one Rekor request" test "$(count rekor)" = 1

# --- stop ------------------------------------------------------------------------

kill "$server_pid"
if wait "$server_pid"; then ok "the stack stops on SIGTERM with status 0"; else not_ok "the stack stops on SIGTERM with status 0"; fi
server_pid=""

printf '%d passed, %d failed\n' "$passed" "$failed"
[[ "$failed" -eq 0 ]]
