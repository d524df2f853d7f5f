#!/usr/bin/env python3
"""Group `perf script` samples of a `tenure check` run by area.

    perf record -F 2999 --call-graph dwarf,32768 -o perf.data tenure check DIR --now 2026-11-24
    perf script -i perf.data -F tid,time,ip,sym,dso --inline > perf.txt
    python3 bench/perf_areas.py perf.txt [--hz 2999]

Each sample (on-CPU time of one thread) gets two labels:

- phase: the innermost tenure-level activity on its stack (walking the stack
  from the leaf up, the first frame that matches a pattern below), e.g. YAML
  parsing in saphyr-parser, node-tree building in tenure_schema::yaml,
  to_json, jsonschema validation, serde into the model, rules;
- leaf: what the CPU was executing: tenure/library code, the allocator
  (mimalloc), libc mem*, regex, or the kernel (page faults zeroing fresh
  memory, read/open/getdents/stat syscalls, scheduling, exit).

Prints the phase x leaf table (percent of all samples and CPU-ms), the
top functions by self samples, and a timeline of phases per thread.
"""

from __future__ import annotations

import argparse
import collections
import re
import sys

PHASES = [
    # (label, regex on the frame name with generic arguments removed), checked per frame.
    ("drop (freeing the registry)", re.compile(r"drop_in_place|core::ptr::drop")),
    ("YAML parse (saphyr-parser)", re.compile(r"saphyr_parser::")),
    ("to_json (Node -> serde_json::Value)", re.compile(r"tenure_schema::yaml::Node::to_json")),
    ("jsonschema compile (once per kind)", re.compile(r"jsonschema::.*(options|build|compile|Compiler|ValidationOptions)|schema::compiled")),
    ("jsonschema validation", re.compile(r"jsonschema::|tenure_schema::schema::validate")),
    ("serde into the model (de.rs)", re.compile(r"tenure_schema::de::|serde_core::de::|serde::de::|tenure_schema::model::")),
    ("node tree building (yaml.rs)", re.compile(r"tenure_schema::yaml::")),
    ("rules: pattern compile (regex/glob)", re.compile(r"tenure_schema::pattern::|tenure_schema::rules::invalid_pattern")),
    ("rules (other) + check::check", re.compile(r"tenure_schema::rules::|tenure_schema::check::")),
    ("walk (read_dir, sort)", re.compile(r"tenure_schema::registry::walk")),
    ("load_file: open/read/utf8/classify", re.compile(r"tenure_schema::registry::load_file|tenure_schema::registry::classify")),
    ("registry assembly (registry.rs)", re.compile(r"tenure_schema::registry::")),
    ("CLI: render/summary", re.compile(r"^tenure::|tenure::commands|tenure::render")),
    ("process start (ld.so, mimalloc init)", re.compile(r"^_dl_|^dl_main|_dl_start|mi_process_init|_mi_auto_process_init")),
    ("rayon scheduling/idle", re.compile(r"rayon_core::|rayon::")),
]


def leaf_kind(frames: list[tuple[str, str]]) -> str:
    """frames: (name, dso) leaf first."""
    name, dso = frames[0]
    names = [f[0] for f in frames]
    if "kernel" in dso:
        joined = " ".join(names[:40])
        if "asm_exc_page_fault" in joined or "handle_mm_fault" in joined:
            return "kernel: page fault (zeroing fresh pages)"
        for pat, label in [
            ("sys_read", "kernel: read()"),
            ("sys_openat", "kernel: open()"),
            ("sys_open", "kernel: open()"),
            ("getdents", "kernel: getdents()"),
            ("statx", "kernel: stat()"),
            ("newfstat", "kernel: stat()"),
            ("sys_close", "kernel: close()"),
            ("munmap", "kernel: mmap/munmap/madvise"),
            ("madvise", "kernel: mmap/munmap/madvise"),
            ("mmap", "kernel: mmap/munmap/madvise"),
            ("futex", "kernel: futex/sched"),
            ("sched_yield", "kernel: futex/sched"),
            ("exit", "kernel: exit (unmapping)"),
            ("schedule", "kernel: futex/sched"),
        ]:
            if pat in joined:
                return label
        return "kernel: other"
    if re.match(r"_?mi_|mi_free|malloc|free|realloc|__rust_(alloc|dealloc|realloc)|__rdl_", name):
        return "allocator (mimalloc)"
    if re.match(r"__mem|memcpy|memmove|memset|memcmp|__GI_mem", name):
        return "libc mem*"
    if name.startswith(("regex_automata::", "regex_syntax::", "<regex_automata", "<regex_syntax", "regex::")):
        return "regex (compile or match)"
    return "code"


def strip_generics(name: str) -> str:
    out = []
    depth = 0
    kept = []  # stack: True if this '<' was kept
    prev = ""
    for ch in name:
        if ch == "<":
            drop = depth > 0 or (prev.isalnum() or prev in "_}")
            if drop:
                depth += 1
                kept.append(False)
            else:
                kept.append(True)
                out.append(ch)
        elif ch == ">" and kept:
            k = kept.pop()
            if k:
                out.append(ch)
            else:
                depth -= 1
        elif depth == 0:
            out.append(ch)
        prev = ch
    return "".join(out)


def parse(path: str):
    sample = None
    frame_re = re.compile(r"^\s+[0-9a-f]+ (.*) \((.*)\)$")
    head_re = re.compile(r"^\s*(\d+)\s+([\d.]+):")
    with open(path, errors="replace") as f:
        for line in f:
            if not line.strip():
                if sample and sample[2]:
                    yield sample
                sample = None
                continue
            m = head_re.match(line)
            if m and sample is None:
                sample = (int(m.group(1)), float(m.group(2)), [])
                continue
            m = frame_re.match(line)
            if m and sample is not None:
                name = m.group(1)
                dso = m.group(2)
                if name.endswith(" (inlined)"):
                    name = name[: -len(" (inlined)")]
                sample[2].append((name, dso))
    if sample and sample[2]:
        yield sample


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("perf_txt")
    ap.add_argument("--hz", type=float, default=2999.0)
    ap.add_argument("--top", type=int, default=15)
    a = ap.parse_args()

    table = collections.Counter()
    phase_tot = collections.Counter()
    leaf_tot = collections.Counter()
    self_sym = collections.Counter()
    self_phase = {}
    timeline = collections.defaultdict(lambda: collections.defaultdict(collections.Counter))
    tids = collections.Counter()
    n = 0
    samples = list(parse(a.perf_txt))
    t0 = min((t for _, t, _ in samples), default=0.0)
    for tid, t, frames in samples:
        n += 1
        stripped = [strip_generics(name) for name, _ in frames]
        phase = "other"
        for s in stripped:
            for label, rx in PHASES:
                if rx.search(s):
                    phase = label
                    break
            if phase != "other":
                break
        if phase == "other" and any(k in f[0] for f in frames for k in ("do_exit", "exit_mmap", "exit_group")):
            phase = "process exit (kernel unmaps memory)"
        leaf = leaf_kind(frames)
        table[(phase, leaf)] += 1
        phase_tot[phase] += 1
        leaf_tot[leaf] += 1
        # self cost per leaf function (the innermost frame, inlined or not), generics stripped
        sym = stripped[0][:110]
        self_sym[sym] += 1
        self_phase.setdefault(sym, collections.Counter())[phase] += 1
        tids[tid] += 1
        timeline[tid][int((t - t0) * 10)][phase] += 1  # 100 ms buckets

    ms = 1000.0 / a.hz
    print(f"{n} samples at {a.hz:g} Hz ~ {n * ms:.0f} CPU-ms on {len(tids)} threads\n")
    leaves = [l for l, _ in leaf_tot.most_common()]
    short = {l: l.replace("kernel: ", "k:").replace(" (zeroing fresh pages)", "").replace("allocator (mimalloc)", "alloc")
             .replace("regex (compile or match)", "regex").replace("libc mem*", "mem*") for l in leaves}
    print(f"{'phase':40s} {'%':>6s} {'CPU-ms':>7s}  | by leaf (% of all samples)")
    for phase, c in phase_tot.most_common():
        parts = [f"{short[l]} {100 * table[(phase, l)] / n:.1f}" for l in leaves if table[(phase, l)] * 1000 >= n * 3]
        print(f"{phase:40s} {100 * c / n:6.1f} {c * ms:7.0f}  | " + ", ".join(parts))
    print()
    print(f"{'leaf (what the CPU executed)':40s} {'%':>6s} {'CPU-ms':>7s}")
    for leaf, c in leaf_tot.most_common():
        print(f"{leaf:40s} {100 * c / n:6.1f} {c * ms:7.0f}")
    print()
    print(f"top {a.top} functions by self samples (innermost frame, inlined frames count as their own function):")
    for i, (sym, c) in enumerate(self_sym.most_common(a.top), 1):
        ph = self_phase[sym].most_common(1)[0][0]
        print(f"{i:3d}. {100 * c / n:5.1f}%  {sym}   [{ph}]")
    print()
    print("timeline per thread, 100 ms buckets: dominant phase (share of the bucket's samples)")
    for tid, _ in tids.most_common():
        row = timeline[tid]
        cells = []
        for b in sorted(row):
            phase, c = row[b].most_common(1)[0]
            tot = sum(row[b].values())
            cells.append(f"{b / 10:.1f}s:{phase.split(' ')[0]}({tot})")
        print(f"  tid {tid}: " + " ".join(cells))


if __name__ == "__main__":
    main()
