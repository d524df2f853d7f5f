#!/usr/bin/env python3
"""Time several commands interleaved, so that each sees the same machine.

    python3 bench/git/timing.py --runs 10 --warmup 2 --cwd DIR SPEC.jsonl

SPEC.jsonl has one command a line: {"key": ..., "rc": expected exit code,
"cmd": [argv...], "env": {optional extra variables}}. The script runs
`warmup` rounds untimed, then `runs` rounds timed; a round runs every command
once, in an order rotated by one each round (so no command always follows
the same one). Each run: stdin from /dev/null, stdout and stderr to
/dev/null, wall time = time.perf_counter() around fork+exec+wait (os.wait4,
which also gives the child's user and system CPU time). A run that exits
with another code than `rc` stops the script.

On a small VM, background load drifts over seconds; measuring one command's
batch after another's lets that drift into their ratio. Interleaving spreads
it over all of them. Prints one JSON object: key -> {"median_s", "min_s",
"max_s", "user_s" (median), "sys_s" (median), "runs"}.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time


def run_once(spec: dict, cwd: str) -> tuple[float, float, float]:
    env = dict(os.environ, **spec.get("env", {}))
    t0 = time.perf_counter()
    p = subprocess.Popen(spec["cmd"], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    rc = os.waitstatus_to_exitcode(status)
    if rc != spec["rc"]:
        sys.exit(f"timing.py: {spec['key']}: `{' '.join(spec['cmd'])}` exited {rc}, expected {spec['rc']}")
    return wall, ru.ru_utime, ru.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--cwd", default=".")
    ap.add_argument("spec")
    a = ap.parse_args()
    with open(a.spec) as f:
        specs = [json.loads(line) for line in f if line.strip()]
    for _ in range(a.warmup):
        for s in specs:
            run_once(s, a.cwd)
    results: dict[str, list[tuple[float, float, float]]] = {s["key"]: [] for s in specs}
    n = len(specs)
    for r in range(a.runs):
        for i in range(n):
            s = specs[(i + r) % n]
            results[s["key"]].append(run_once(s, a.cwd))
    out = {}
    for key, rs in results.items():
        walls = [w for w, _, _ in rs]
        out[key] = {
            "median_s": statistics.median(walls),
            "min_s": min(walls),
            "max_s": max(walls),
            "user_s": statistics.median(u for _, u, _ in rs),
            "sys_s": statistics.median(s for _, _, s in rs),
            "runs": [round(w, 4) for w in walls],
        }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
