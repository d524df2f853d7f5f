#!/usr/bin/env bash
# Benchmark `tenure check` on synthetic registries of 1,000, 10,000 and 100,000
# declarations, and compare it with check-jsonschema on the 10,000 one.
#
#   bash bench/run.sh
#
# Environment knobs (defaults in brackets):
#   SIZES="1000 10000 100000"  registry sizes (declarations)
#   RUNS=5 WARMUP=1            timed and untimed runs of tenure per size
#   COLD=0                     1: also one cold-page-cache run per size (root; drops the page cache)
#   CMP_N=10000                registry size used for the check-jsonschema comparison
#   CJS=1 CJS_RUNS=3 CJS_WARMUP=1 CJS_VERSION=0.39.0
#   SEED=1
#   GEN_FLAGS=""               extra bench/gen_registry.py flags: "--no-guardrails" (a tenure.yaml
#                              without guardrails), "--findings 0.01" (1% of identities with a
#                              warning); the registry folder name carries them
#   TENURE_BENCH_DIR           where registries, the binary copy and results go
#                              [${TMPDIR:-/tmp}/tenure-bench]; reused across runs
#   XDG_CACHE_HOME             the check-jsonschema venv goes in $XDG_CACHE_HOME/tenure-bench/venv
#
# Nothing is written in the repository except cargo's own target/ folder.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$REPO/bench"
SIZES=${SIZES:-"1000 10000 100000"}
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
COLD=${COLD:-0}
CMP_N=${CMP_N:-10000}
CJS=${CJS:-1}
CJS_RUNS=${CJS_RUNS:-3}
CJS_WARMUP=${CJS_WARMUP:-1}
CJS_VERSION=${CJS_VERSION:-0.39.0}
SEED=${SEED:-1}
GEN_FLAGS=${GEN_FLAGS:-}
NOW=2026-11-24
WORK=${TENURE_BENCH_DIR:-${TMPDIR:-/tmp}/tenure-bench}
VENV=${XDG_CACHE_HOME:-$HOME/.cache}/tenure-bench/venv
PY=${PYTHON:-python3}

mkdir -p "$WORK"
log() { printf '%s\n' "$*" >&2; }

# --- build -------------------------------------------------------------------
log "== cargo build --release -p tenure"
(cd "$REPO" && cargo build --release -p tenure --quiet)
TARGET_DIR=${CARGO_TARGET_DIR:-$REPO/target}
# Copy the binary so that concurrent rebuilds do not change it mid-run.
cp "$TARGET_DIR/release/tenure" "$WORK/tenure"
TENURE="$WORK/tenure"
REV=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
if ! git -C "$REPO" diff --quiet HEAD -- cli registry-schema verifier Cargo.toml Cargo.lock 2>/dev/null; then
  REV="$REV+uncommitted"
fi

# --- registries --------------------------------------------------------------
# shellcheck disable=SC2086  # GEN_FLAGS is a list of flags
FLAG_SUFFIX=$(echo $GEN_FLAGS | tr -c 'A-Za-z0-9.\n' '-' | tr -s '-' | sed 's/^-*//; s/-*$//')
reg_dir() { echo "$WORK/reg-$1-seed$SEED${FLAG_SUFFIX:+-$FLAG_SUFFIX}"; }
ensure_registry() {
  local n=$1 dir expected
  dir=$(reg_dir "$n")
  # The marker names the generator version and flags: a registry from another
  # version of gen_registry.py is generated again.
  # shellcheck disable=SC2086
  expected=$("$PY" "$BENCH/gen_registry.py" "$dir" "$n" --seed "$SEED" $GEN_FLAGS --print-marker)
  if [[ -f "$dir/.bench-complete" && "$(cat "$dir/.bench-complete")" == "$expected" ]]; then
    log "== reusing $dir"
  else
    log "== generating $dir"
    local t0=$SECONDS
    # shellcheck disable=SC2086
    "$PY" "$BENCH/gen_registry.py" "$dir" "$n" --seed "$SEED" $GEN_FLAGS --force
    log "   generated in $((SECONDS - t0)) s"
  fi
}
ALL_SIZES=$SIZES
[[ " $SIZES " == *" $CMP_N "* ]] || ALL_SIZES="$SIZES $CMP_N"
for n in $ALL_SIZES; do ensure_registry "$n"; done

# --- tenure ------------------------------------------------------------------
div() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f", a / b }'; }
json_field() { "$PY" -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {}, {"d": d}))' "$1"; }

declare -A T_MED T_MIN T_RSS T_COLD T_FILES T_WARN
for n in $SIZES; do
  dir=$(reg_dir "$n")
  # Correctness first: the registry must check clean, with all N declarations.
  "$TENURE" check "$dir" --now "$NOW" --format json > "$WORK/check-$n.json" || true
  errors=$(json_field 'd["summary"]["errors"]' < "$WORK/check-$n.json")
  decls=$(json_field 'd["summary"]["declarations"]' < "$WORK/check-$n.json")
  T_FILES[$n]=$(json_field 'd["summary"]["files"]' < "$WORK/check-$n.json")
  T_WARN[$n]=$(json_field 'd["summary"]["warnings"] + d["summary"]["notes"]' < "$WORK/check-$n.json")
  if [[ "$errors" != 0 || "$decls" != "$n" ]]; then
    log "tenure check $dir: $errors errors, $decls declarations (expected 0 and $n); see $WORK/check-$n.json"
    exit 1
  fi
  log "== tenure check $dir --now $NOW  ($WARMUP warm-up + $RUNS runs)"
  r=$("$PY" "$BENCH/measure.py" --runs "$RUNS" --warmup "$WARMUP" -- "$TENURE" check "$dir" --now "$NOW")
  log "   $r"
  T_MED[$n]=$(echo "$r" | json_field 'd["median_s"]')
  T_MIN[$n]=$(echo "$r" | json_field 'd["min_s"]')
  T_RSS[$n]=$(echo "$r" | json_field 'd["peak_rss_kib"]')
  if [[ "$COLD" == 1 ]]; then
    r=$("$PY" "$BENCH/measure.py" --runs 1 --warmup 0 --cold -- "$TENURE" check "$dir" --now "$NOW")
    log "   cold: $r"
    T_COLD[$n]=$(echo "$r" | json_field 'd["median_s"]')
  fi
done

# --- check-jsonschema --------------------------------------------------------
CJS_ID_MED="" CJS_ALL_MED=""
if [[ "$CJS" == 1 ]]; then
  if [[ ! -x "$VENV/bin/check-jsonschema" ]] || ! "$VENV/bin/check-jsonschema" --version | grep -q "$CJS_VERSION"; then
    log "== installing check-jsonschema $CJS_VERSION in $VENV"
    "$PY" -m venv "$VENV"
    "$VENV/bin/pip" install --quiet "check-jsonschema==$CJS_VERSION"
  fi
  CJS_BIN="$VENV/bin/check-jsonschema"
  dir=$(reg_dir "$CMP_N")
  # The identity files only, relative paths (one long argument list, one process).
  # (sub-folder `tenure.yaml` files are settings, validated with the Registry schema below)
  (cd "$dir" && find services -name '*.yaml' ! -name tenure.yaml | LC_ALL=C sort) > "$WORK/identities-$CMP_N.txt"
  (cd "$dir" && find . -name tenure.yaml | LC_ALL=C sort) > "$WORK/configs-$CMP_N.txt"
  N_CONFIGS=$(wc -l < "$WORK/configs-$CMP_N.txt")
  N_FILES=$((CMP_N + N_CONFIGS))
  N_IDS=$(wc -l < "$WORK/identities-$CMP_N.txt")
  N_TEAMS=$(ls "$dir/teams" | wc -l)
  N_KEYS=$(ls "$dir/signing-keys" | wc -l)
  SCHEMAS="$REPO/registry-schema/schema"

  # Tenure on the same registry, if that size was not benchmarked above.
  if [[ -z "${T_MED[$CMP_N]:-}" ]]; then
    r=$("$PY" "$BENCH/measure.py" --runs "$RUNS" --warmup "$WARMUP" -- "$TENURE" check "$dir" --now "$NOW")
    T_MED[$CMP_N]=$(echo "$r" | json_field 'd["median_s"]')
    T_MIN[$CMP_N]=$(echo "$r" | json_field 'd["min_s"]')
    T_RSS[$CMP_N]=$(echo "$r" | json_field 'd["peak_rss_kib"]')
  fi

  log "== check-jsonschema on the $N_IDS Identity files of $dir ($CJS_WARMUP warm-up + $CJS_RUNS runs)"
  r=$(cd "$dir" && "$PY" "$BENCH/measure.py" --runs "$CJS_RUNS" --warmup "$CJS_WARMUP" \
        --args-from "$WORK/identities-$CMP_N.txt" -- "$CJS_BIN" --schemafile "$SCHEMAS/identity.schema.json")
  log "   $r"
  CJS_ID_MED=$(echo "$r" | json_field 'd["median_s"]')
  CJS_ID_MIN=$(echo "$r" | json_field 'd["min_s"]')
  CJS_ID_RSS=$(echo "$r" | json_field 'd["peak_rss_kib"]')

  # Every file tenure reads, each kind with its own schema: 4 processes in a row.
  cat > "$WORK/cjs-all.sh" <<EOF
set -e
cd "$dir"
xargs -a "$WORK/identities-$CMP_N.txt" -s 1900000 -x "$CJS_BIN" --schemafile "$SCHEMAS/identity.schema.json" >/dev/null
"$CJS_BIN" --schemafile "$SCHEMAS/team.schema.json" teams/*.yaml >/dev/null
"$CJS_BIN" --schemafile "$SCHEMAS/signing-key.schema.json" signing-keys/*.yaml >/dev/null
xargs -a "$WORK/configs-$CMP_N.txt" "$CJS_BIN" --schemafile "$SCHEMAS/registry.schema.json" >/dev/null
EOF
  log "== check-jsonschema on all $N_FILES files of $dir, one process per kind"
  r=$("$PY" "$BENCH/measure.py" --runs "$CJS_RUNS" --warmup 0 -- bash "$WORK/cjs-all.sh")
  log "   $r"
  CJS_ALL_MED=$(echo "$r" | json_field 'd["median_s"]')
fi

# --- report ------------------------------------------------------------------
CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || true)
echo
echo "tenure check benchmark: $(date -u +%Y-%m-%dT%H:%MZ), nproc=$(nproc), CPU: ${CPU:-unknown}"
echo "binary: cargo build --release -p tenure (lto=fat, codegen-units=1) at $REV"
echo "registries: bench/gen_registry.py --seed $SEED ${GEN_FLAGS:-(every guardrail on, clean)}"
echo "command: tenure check DIR --now $NOW   (human output to /dev/null; page cache warm)"
echo "timing: $WARMUP warm-up + $RUNS timed runs; wall = fork..wait (python perf_counter); RSS = ru_maxrss (os.wait4)"
echo
printf '%-13s %8s %10s %10s %12s %9s' "declarations" "files" "median_s" "min_s" "peak_RSS_MiB" "findings"
[[ "$COLD" == 1 ]] && printf ' %10s' "cold_s"
printf '\n'
for n in $SIZES; do
  printf '%-13s %8s %10.3f %10.3f %12.1f %9s' "$n" "${T_FILES[$n]}" "${T_MED[$n]}" "${T_MIN[$n]}" "$(div "${T_RSS[$n]}" "1024")" "${T_WARN[$n]}"
  [[ "$COLD" == 1 ]] && printf ' %10.3f' "${T_COLD[$n]}"
  printf '\n'
done
if [[ -n "$CJS_ID_MED" ]]; then
  echo
  echo "comparison on the $CMP_N-declaration registry ($N_IDS Identity + $N_TEAMS Team + $N_KEYS SigningKey files, plus $N_CONFIGS tenure.yaml):"
  printf '  %-66s %9s %9s %12s %8s\n' "" "median_s" "min_s" "peak_RSS_MiB" "ratio"
  printf '  %-66s %9.3f %9.3f %12.1f %8s\n' "tenure check (all $N_FILES files: parse+schema+model+rules)" \
    "${T_MED[$CMP_N]}" "${T_MIN[$CMP_N]}" "$(div "${T_RSS[$CMP_N]}" "1024")" "1.0x"
  printf '  %-66s %9.3f %9.3f %12.1f %7.1fx\n' "check-jsonschema $CJS_VERSION, identity.schema.json, $N_IDS Identity files" \
    "$CJS_ID_MED" "$CJS_ID_MIN" "$(div "$CJS_ID_RSS" "1024")" "$(div "$CJS_ID_MED" "${T_MED[$CMP_N]}")"
  printf '  %-66s %9.3f %9s %12s %7.1fx\n' "check-jsonschema, all $N_FILES files, 4 processes (schema per kind)" \
    "$CJS_ALL_MED" "-" "-" "$(div "$CJS_ALL_MED" "${T_MED[$CMP_N]}")"
  echo "  (ratio = check-jsonschema median / tenure median; check-jsonschema runs: $CJS_WARMUP warm-up + $CJS_RUNS, single process, one argument list)"
fi
