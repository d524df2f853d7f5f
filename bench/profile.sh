#!/usr/bin/env bash
# Profile `tenure check` on a generated registry with perf (call graphs from
# DWARF, kernel included) and group the samples by area with perf_areas.py.
#
#   bash bench/profile.sh [N]        # N = 100000 by default
#
# Uses the binary and registries of bench/run.sh (run it first, or this builds
# and generates what is missing). Needs `perf` (Debian: linux-perf) and root or
# perf_event_paranoid <= 1. CALLGRIND=1 also runs valgrind --tool=callgrind
# (user-space instruction counts, threads serialised; slow on 100k).
# Output goes to $TENURE_BENCH_DIR/profile-N/ (areas.txt, flat.txt, perf.data).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
N=${1:-100000}
SEED=${SEED:-1}
HZ=${HZ:-2999}
NOW=2026-11-24
WORK=${TENURE_BENCH_DIR:-${TMPDIR:-/tmp}/tenure-bench}
OUT="$WORK/profile-$N"
PY=${PYTHON:-python3}
mkdir -p "$OUT"

if [[ ! -x "$WORK/tenure" ]]; then
  (cd "$REPO" && cargo build --release -p tenure --quiet)
  cp "${CARGO_TARGET_DIR:-$REPO/target}/release/tenure" "$WORK/tenure"
fi
DIR="$WORK/reg-$N-seed$SEED"
if [[ ! -f "$DIR/.bench-complete" ]]; then
  "$PY" "$REPO/bench/gen_registry.py" "$DIR" "$N" --seed "$SEED" --force
fi

# Two warm-up runs: the first run after a pause re-reads inodes and dentries.
"$WORK/tenure" check "$DIR" --now "$NOW" 2>/dev/null
"$WORK/tenure" check "$DIR" --now "$NOW" 2>/dev/null

perf record -q -F "$HZ" --call-graph dwarf,32768 -o "$OUT/perf.data" \
  "$WORK/tenure" check "$DIR" --now "$NOW" 2>/dev/null
perf report -i "$OUT/perf.data" --no-children --sort sym --stdio -g none 2>/dev/null \
  | awk '/%/ && n++ < 40' > "$OUT/flat.txt"
perf script -i "$OUT/perf.data" -F tid,time,ip,sym,dso --inline 2>/dev/null > "$OUT/perf.txt"
"$PY" "$REPO/bench/perf_areas.py" --hz "$HZ" "$OUT/perf.txt" | tee "$OUT/areas.txt"
echo
echo "top 40 symbols by self samples (perf report --no-children, inlined code counted in its caller):"
cat "$OUT/flat.txt"

if [[ "${CALLGRIND:-0}" == 1 ]]; then
  valgrind --tool=callgrind --callgrind-out-file="$OUT/callgrind.out" \
    "$WORK/tenure" check "$DIR" --now "$NOW" 2>/dev/null
  callgrind_annotate --inclusive=yes "$OUT/callgrind.out" > "$OUT/callgrind-inclusive.txt" 2>/dev/null
  callgrind_annotate "$OUT/callgrind.out" > "$OUT/callgrind-self.txt" 2>/dev/null
  echo "callgrind: $OUT/callgrind-inclusive.txt, $OUT/callgrind-self.txt"
fi
[[ "${KEEP:-0}" == 1 ]] || rm -f "$OUT/perf.txt"  # ~600 MB at 100k; KEEP=1 keeps it
echo "raw data: $OUT (perf.data: perf report -i $OUT/perf.data)"
