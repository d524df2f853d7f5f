#!/usr/bin/env python3
"""Summarise the hyperfine exports of bench/verify/run.sh and judge the bars.

    python3 bench/verify/report.py WORK N

Reads WORK/hf-*.json (hyperfine --export-json), WORK/callgrind.txt (if
present) and prints the figures, a Markdown table and the verdicts.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path


def load(work: Path, name: str) -> list[dict]:
    path = work / f"hf-{name}.json"
    if not path.exists():
        return []
    return json.loads(path.read_text())["results"]


def ms(s: float) -> str:
    return f"{s * 1e3:,.1f} ms" if s < 10 else f"{s:,.2f} s"


def main() -> None:
    work, n = Path(sys.argv[1]), int(sys.argv[2])
    one = {r["command"]: r for r in load(work, "one") + load(work, "one-sigstore")}
    one_pinned = load(work, "one-pinned")
    many = load(work, "many") + load(work, "many-pinned") + load(work, "many-sigstore")

    def find(results, key: str) -> dict:
        for r in (results.values() if isinstance(results, dict) else results):
            if r["command"] == key:
                return r
        raise SystemExit(f"no hyperfine result named {key!r}")

    rows: list[tuple[str, dict, str]] = []
    t1 = find(one, "tenure-verify-1")
    s1 = find(one, "sigstore-verify-1")
    rows += [
        ("`tenure verify` 1 bundle, 2 cores", t1, ""),
        ("`sigstore verify identity --offline` 1 bundle", s1, f"{s1['median'] / t1['median']:.0f}x tenure"),
    ]
    extra = [r for r in one.values() if r["command"].startswith("floor-") or r["command"].startswith("check-")]
    if one_pinned:
        t1p = one_pinned[0]
        rows.append(("`tenure verify` 1 bundle, 1 core (`taskset -c 0`)", t1p, ""))
    tn = find(many, f"tenure-verify-{n}")
    tnp = find(many, f"pinned-tenure-verify-{n}")
    sn = find(many, f"sigstore-verify-{n}")
    rate = lambda r: n / r["median"]  # noqa: E731
    rows += [
        (f"`tenure verify dist/*` {n:,} bundles, 2 cores", tn, f"{rate(tn):,.0f} bundles/s"),
        (f"`tenure verify dist/*` {n:,} bundles, 1 core (`taskset -c 0`)", tnp, f"{rate(tnp):,.0f} bundles/s"),
        (
            f"sigstore-python, {n:,} artifacts in one process",
            sn,
            f"{rate(sn):,.0f} bundles/s; {sn['median'] / tn['median']:.1f}x tenure (2 cores), "
            f"{sn['median'] / tnp['median']:.1f}x tenure (1 core)",
        ),
    ]

    print("| run | median | min | mean ± sd | user | sys | note |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for name, r, note in rows:
        print(
            f"| {name} | {ms(r['median'])} | {ms(r['min'])} | {ms(r['mean'])} ± {r['stddev'] * 1e3:.1f} ms"
            f" | {ms(r['user'])} | {ms(r['system'])} | {note} |"
        )
    if extra:
        print()
        print("One-bundle context (same hyperfine batch as `tenure-verify-1`):")
        print()
        print("| run | median | min | user | sys |")
        print("| --- | ---: | ---: | ---: | ---: |")
        label = {
            "floor-tenure-version": "`tenure --version`: process start and exit",
            "check-tenure-check-reg": "`tenure check reg`: registry load (YAML, schema compilation and validation) and rules",
        }
        for r in extra:
            print(f"| {label.get(r['command'], r['command'])} | {ms(r['median'])} | {ms(r['min'])} | {ms(r['user'])} | {ms(r['system'])} |")

    cg = work / "callgrind.txt"
    if cg.exists():
        print()
        print("Instructions executed by one `tenure verify` of one bundle (callgrind, inclusive, all threads):")
        print()
        print(cg.read_text().rstrip())

    print()
    ratio1 = s1["median"] / t1["median"]
    ratio_n = sn["median"] / tn["median"]
    bars = [
        (f"1 bundle: tenure under 10 ms (median {ms(t1['median'])})", t1["median"] < 0.010),
        (f"1 bundle: at least 30x faster than sigstore-python ({ratio1:.0f}x)", ratio1 >= 30),
        (f"{n:,} bundles: at least 2,500 bundles/s on 2 cores ({rate(tn):,.0f}/s)", rate(tn) >= 2500),
        (f"{n:,} bundles: at least 4x sigstore-python ({ratio_n:.1f}x)", ratio_n >= 4),
    ]
    for text, ok in bars:
        print(f"bar: {text}: {'MET' if ok else 'NOT MET'}")


if __name__ == "__main__":
    main()
