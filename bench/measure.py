#!/usr/bin/env python3
"""Time a command: wall time and peak RSS of each run, from os.wait4.

    python3 bench/measure.py [--runs 5] [--warmup 1] [--cold] [--args-from FILE] -- CMD ARG...

Runs CMD `warmup` times untimed, then `runs` times timed, with stdout and
stderr sent to /dev/null (the output is rendering work, but not terminal
work). Wall time is time.perf_counter() around fork+exec+wait; peak RSS is
ru_maxrss of that very child (os.wait4), in KiB. `--args-from FILE` appends
one argument per line of FILE to CMD (for long file lists). `--cold` drops
the page cache (/proc/sys/vm/drop_caches, needs root) before every timed run.
Every run must exit 0 (or --expect-rc). Prints one JSON object on stdout:
{"runs": [...], "median_s", "min_s", "max_s", "peak_rss_kib"}.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time


def drop_caches() -> None:
    os.sync()
    with open("/proc/sys/vm/drop_caches", "w") as f:
        f.write("3\n")


def run_once(cmd: list[str], expect_rc: int) -> tuple[float, int]:
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != expect_rc:
        sys.exit(f"measure.py: `{cmd[0]}` exited {p.returncode}, expected {expect_rc}")
    return wall, ru.ru_maxrss


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--cold", action="store_true")
    ap.add_argument("--args-from")
    ap.add_argument("--expect-rc", type=int, default=0)
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd[:1] == ["--"] else a.cmd
    if not cmd:
        ap.error("no command")
    if a.args_from:
        with open(a.args_from) as f:
            cmd = cmd + [line.rstrip("\n") for line in f if line.strip()]
    for _ in range(a.warmup):
        run_once(cmd, a.expect_rc)
    walls, rss = [], []
    for _ in range(a.runs):
        if a.cold:
            drop_caches()
        w, r = run_once(cmd, a.expect_rc)
        walls.append(w)
        rss.append(r)
    print(json.dumps({
        "runs": [round(w, 4) for w in walls],
        "median_s": statistics.median(walls),
        "min_s": min(walls),
        "max_s": max(walls),
        "peak_rss_kib": max(rss),
    }))


if __name__ == "__main__":
    main()
