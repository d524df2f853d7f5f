#!/usr/bin/env python3
"""Extract what `tenure diff` has to parse into two registries, for the baseline.

    python3 bench/git/extract.py REPO BASE HEAD DEST [--registry identities]

Writes DEST/base and DEST/head, each a registry `tenure check` can read:

  * the declaration files that differ between BASE and HEAD, each at its own
    side: `git diff --name-status -M BASE HEAD -- identities/` gives the list;
    base/ gets the old side of every M, D and R entry, head/ the new side of
    every M, A and R entry;
  * plus, at that side's revision, the settings and owners those files need:
    the root `tenure.yaml`, every sub-folder `tenure.yaml` and every Team file
    (`teams/*.yaml`), whether changed or not.

Blobs are read with one `git cat-file --batch` per side. Prints a JSON
summary: the number of entries per status and the number of files per side.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys


def git(repo: str, *args: str, data: bytes | None = None) -> bytes:
    return subprocess.run(["git", "-C", repo, *args], input=data, check=True, capture_output=True).stdout


def main() -> None:
    args = sys.argv[1:]
    reg = "identities"
    if "--registry" in args:
        i = args.index("--registry")
        reg = args[i + 1].rstrip("/")
        del args[i:i + 2]
    if len(args) != 4:
        sys.exit(__doc__)
    repo, base, head, dest = args
    out = git(repo, "diff", "--name-status", "-z", "-M", base, head, "--", reg + "/").split(b"\0")
    sides: dict[str, list[str]] = {"base": [], "head": []}
    status: dict[str, int] = {}
    i = 0
    while i < len(out) - 1:
        st = out[i].decode()
        kind = st[0]
        status[kind] = status.get(kind, 0) + 1
        if kind in "RC":
            old, new = out[i + 1].decode(), out[i + 2].decode()
            i += 3
            if kind == "R":
                sides["base"].append(old)
            sides["head"].append(new)
            continue
        path = out[i + 1].decode()
        i += 2
        if kind in "MDT":
            sides["base"].append(path)
        if kind in "MAT":
            sides["head"].append(path)
    summary = {"entries": sum(status.values()), "status": status}
    for side, rev in (("base", base), ("head", head)):
        changed = [p for p in sides[side] if p.endswith(".yaml")]
        context = [
            p for p in git(repo, "ls-tree", "-r", "--name-only", rev, "--", reg + "/").decode().splitlines()
            if p == f"{reg}/tenure.yaml" or p.startswith(f"{reg}/teams/") or p.endswith("/tenure.yaml")
        ]
        paths = list(dict.fromkeys(changed + context))
        root = os.path.join(dest, side)
        if os.path.exists(root):
            shutil.rmtree(root)
        batch = git(repo, "cat-file", "--batch", data="".join(f"{rev}:{p}\n" for p in paths).encode())
        pos = 0
        for p in paths:
            nl = batch.index(b"\n", pos)
            header = batch[pos:nl].split()
            if header[-1] == b"missing":
                sys.exit(f"{rev}:{p} missing")
            size = int(header[2])
            body = batch[nl + 1:nl + 1 + size]
            pos = nl + 1 + size + 1
            target = os.path.join(root, os.path.relpath(p, reg))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as f:
                f.write(body)
        summary[side] = {"changed_declarations": len(changed), "context_files": len(context), "files": len(paths)}
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
