#!/usr/bin/env python3
"""Generate the Git repository the `tenure diff` / `tenure log` benchmark runs on.

    python3 bench/git/generate.py OUT_DIR [--commits 10000] [--declarations 10000]
                                  [--seed 1] [--base-commit 8000] [--diff-files 1000]
                                  [--force] [--stream-only] [--print-marker]

Writes a `git fast-import` stream and feeds it to `git fast-import` in a new
repository at OUT_DIR (so the whole repository is built in seconds), then
checks out `main`, repacks it as `git gc` would a repository built commit by
commit (fresh delta search with the default window 10 and depth 50, packed
refs, commit-graph) and writes OUT_DIR/bench.json (also excluded from `git
status` through .git/info/exclude). With --stream-only, prints the stream on stdout and does
nothing else.

The registry is `identities/`, built with the declaration shapes of
`bench/gen_registry.py` (imported from there; its version is part of the
marker): the root `tenure.yaml` with every guardrail, `teams/<team>.yaml`
(100 Teams at 10,000 declarations), `signing-keys/<key>.yaml` (10), and the
Identities in `services/<team>/` (about 99 per team; every 10th team folder
also has its own `tenure.yaml`). `created` dates lie in 2024-12..2026-04 and
`expires` in 2026-06..2027-12, so the registry needs renewing as time goes by.

History, all on `main`, linear: commit 1 (2026-05-04) adds the whole registry;
each of the other commits (up to 2026-11-20, about every 29 minutes; authors
from a pool of 16) is one reviewed change touching 1-3 declarations (45% one,
35% two, 20% three), of one kind:

    renewal        53%  `renewed:` set to the commit date, `expires` moved out within
                        the strictest maxLifetime (the declaration closest to lapsing
                        first, when one lapses within 45 days; otherwise a random one)
    permissions    15%  one grant flipped read <-> write (under the type's ceiling;
                        a justification added when the first write appears)
    labels         10%  `tier` / `cost-center` label changes
    justification   6%  a reworded justification
    owner change    6%  another team (same guardrail scope) takes it over; 70% of
                        them also move the file to that team's folder (rename + modify)
    pure move       3%  the file moves to or from a sub-folder of its team's folder
                        (`legacy/`, `batch/`, `edge/`), unchanged (100% rename)
    team edit       2%  a member joins a Team (touches a Team file instead)
    addition        2%  1-2 new identities, created on the commit date
    removal         3%  one identity removed

Recorded in the repository and in bench.json:

  * tags `bench-base` (commit --base-commit) and `bench-head` (the first later
    commit whose tree differs from bench-base in at least --diff-files
    declaration files, counting added, removed and modified paths, a moved
    file once per path);
  * the `log` target: one production github-actions identity touched by about
    60 commits (every 160th commit, plus whatever random changes pick it),
    among them one rename + owner change (commit ~3080) and one pure move
    (commit ~6280); it is never moved or removed after that, so its path at
    `bench-head` is its path at HEAD. bench.json gives its name, its path at
    HEAD and the number of commits that touch it.

Deterministic for given arguments (seeded random, no set iteration), so the
commit ids are the same on every machine with the same git object format.
"""

from __future__ import annotations

import argparse
import datetime as dt
import heapq
import json
import os
import random
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import gen_registry as gr  # noqa: E402  (bench/gen_registry.py: the declaration shapes)

# Bump when the generated repository changes, so that bench/git/run.sh regenerates.
GIT_GEN_VERSION = 2
REG = "identities"
SUBFOLDERS = ["legacy", "batch", "edge"]
START = dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.timezone.utc)
END = dt.datetime(2026, 11, 20, 17, 0, tzinfo=dt.timezone.utc)
OPS = [("renew", 53), ("permissions", 15), ("labels", 10), ("justification", 6), ("owner", 6),
       ("move", 3), ("team", 2), ("add", 2), ("remove", 3)]
TARGET_EVERY = 160
TARGET_OFFSET = 37
TARGET_RENAME_TOUCH = 20  # the 20th scheduled touch is a move + owner change
TARGET_MOVE_TOUCH = 40    # the 40th a pure move
REASONS = [
    "Reviewed again this quarter; the grants are still needed.",
    "The team checked each scope against the last 90 days of use.",
    "Needed by the deploy and rollback jobs; nothing else uses it.",
    "Agreed with security after the access review.",
]
AUTHORS = [(f"{p.capitalize()} Acme", f"{p}@acme.example") for p in gr.PEOPLE]
BOT = ("Tenure Import", "import@acme.example")


def marker(a) -> str:
    return (f"git-gen v{GIT_GEN_VERSION} gen_registry v{gr.GEN_VERSION} commits={a.commits} "
            f"declarations={a.declarations} seed={a.seed} base={a.base_commit} diff={a.diff_files}")


class Decl:
    __slots__ = ("name", "path", "text", "team", "ityp", "env", "third_party", "kind", "expires")

    def __init__(self, name, path, text, team, ityp=None, env=None, third_party=False, kind="Identity"):
        self.name, self.path, self.text, self.team = name, path, text, team
        self.ityp, self.env, self.third_party, self.kind = ityp, env, third_party, kind
        self.expires = expires_of(text) if kind != "Team" else None


def expires_of(text: str) -> int:
    i = text.index("\n  expires: ") + 12
    return dt.date.fromisoformat(text[i:i + 10]).toordinal()


def set_line(text: str, key: str, value: str, after: str) -> str:
    """Set `  key: value` in spec, replacing the line or inserting it after `  after:`'s line."""
    lines = text.split("\n")
    prefix = f"  {key}: "
    for i, line in enumerate(lines):
        if line.startswith(prefix):
            lines[i] = prefix + value
            return "\n".join(lines)
    for i, line in enumerate(lines):
        if line.startswith(f"  {after}: "):
            lines.insert(i + 1, prefix + value)
            return "\n".join(lines)
    raise ValueError(f"no `{after}` line")


class History:
    def __init__(self, a):
        self.a = a
        self.rng = random.Random(a.seed * 1_000_033 + 5)
        self.decls: dict[str, Decl] = {}   # by name
        self.by_path: dict[str, str] = {}  # path -> name
        self.ids: list[str] = []           # identity names, for random picks (order kept)
        self.id_pos: dict[str, int] = {}
        self.heap: list[tuple[int, str]] = []
        self.teams: list[str] = []
        self.team_decl: list[str] = []     # Team declaration names by index
        self.blob_mark = 0
        self.out = []
        self.out_size = 0
        self.target = None
        self.target_touches = 0
        self.target_paths: list[str] = []
        self.next_index = 0
        self.base_snapshot = None
        self.dirty: list[str] = []
        self.dirty_seen: dict[str, None] = {}
        self.head_commit = None
        self.head_diff = 0
        self.stats = {op: 0 for op, _ in OPS}

    # -- stream ------------------------------------------------------------
    def emit(self, s: str | bytes):
        b = s.encode() if isinstance(s, str) else s
        self.out.append(b)

    def blob(self, text: str) -> int:
        self.blob_mark += 1
        b = text.encode()
        self.emit(f"blob\nmark :{self.blob_mark}\ndata {len(b)}\n")
        self.emit(b + b"\n")
        return self.blob_mark

    # -- registry state ----------------------------------------------------
    def add_decl(self, d: Decl):
        self.decls[d.name] = d
        self.by_path[d.path] = d.name
        if d.kind == "Identity":
            self.id_pos[d.name] = len(self.ids)
            self.ids.append(d.name)
        if d.kind != "Team":
            self.push_heap(d)

    def drop_identity(self, name: str):
        d = self.decls.pop(name)
        del self.by_path[d.path]
        i = self.id_pos.pop(name)
        last = self.ids.pop()
        if last != name:
            self.ids[i] = last
            self.id_pos[last] = i
        return d

    def push_heap(self, d: Decl):
        heapq.heappush(self.heap, (d.expires, d.name))

    def soonest(self, before: int, exclude: list[str]) -> str | None:
        while self.heap:
            exp, name = self.heap[0]
            d = self.decls.get(name)
            if d is None or d.expires != exp:
                heapq.heappop(self.heap)  # stale entry
                continue
            if exp > before or name in exclude:
                return None
            heapq.heappop(self.heap)
            return name
        return None

    def nested(self, t: int) -> bool:
        return gr.has_nested_config(t)

    def limit(self, d: Decl) -> int:
        if d.kind == "SigningKey":
            return gr.lifetime_limit("SigningKey", None, None, False, False)
        return gr.lifetime_limit("Identity", d.ityp, d.env, d.third_party, self.nested(d.team))

    def folder(self, t: int) -> str:
        return f"{REG}/services/{self.teams[t]}"

    # -- initial registry --------------------------------------------------
    def initial(self):
        a = self.a
        n = a.declarations
        n_teams = max(5, round(n / 100))
        n_keys = max(3, n // 1000)
        n_ids = n - n_teams - n_keys
        # Terms before the history starts, lapsing during it (gen_registry's term() reads these).
        gr.CREATED_FROM = dt.date(2024, 12, 1).toordinal()
        gr.CREATED_TO = dt.date(2026, 4, 30).toordinal()
        gr.EXPIRES_FROM = dt.date(2026, 6, 1).toordinal()
        gr.EXPIRES_TO = dt.date(2027, 12, 31).toordinal()
        g = gr.Gen(n, a.seed, 0.0, False)
        self.g = g
        rng = g.rng
        self.teams = gr.team_names(n_teams)
        self.team_pos = {t: i for i, t in enumerate(self.teams)}
        self.prod_teams = [i for i in range(n_teams) if gr.in_production_teams(i)]
        files = [(f"{REG}/tenure.yaml", gr.root_config(n, a.seed, self.teams, [gr.GITHUB_ISSUER] + g.clusters, True))]
        for i, t in enumerate(self.teams):
            d = Decl(t, f"{REG}/teams/{t}.yaml", gr.team_yaml(t, rng), i, kind="Team")
            self.add_decl(d)
            self.team_decl.append(t)
        keyed: set[str] = set()
        for k in range(n_keys):
            name = f"release-{gr.SVC_WORDS[k % len(gr.SVC_WORDS)]}-{k + 1}"
            t = self.prod_teams[k % len(self.prod_teams)]
            d = Decl(name, f"{REG}/signing-keys/{name}.yaml",
                     gr.signing_key_yaml(name, self.teams[t], rng, keyed), t, kind="SigningKey")
            self.add_decl(d)
        for t in range(n_teams):
            if self.nested(t):
                files.append((f"{self.folder(t)}/tenure.yaml", gr.nested_config(self.teams[t])))
        for i in range(n_ids):
            self.add_decl(self.new_identity(i % n_teams))
        for d in self.decls.values():
            files.append((d.path, d.text))
        self.n_configs = sum(1 for p, _ in files if p.endswith("/tenure.yaml"))
        return files

    def new_identity(self, t: int) -> Decl:
        g = self.g
        rng = g.rng
        owner = self.teams[t]
        self.next_index += 1
        i = self.next_index
        svc = g.svc()
        ityp = rng.choice(gr.TYPE_BAG)
        env = rng.choice(gr.ENV_BAG)
        if env == "production" and (ityp not in gr.PROD_TYPES or not gr.in_production_teams(t)):
            env = "staging"
        name = f"{owner}-{svc}-{ityp}-{env}-{i}"
        if len(name) > 63:
            name = f"{owner[:20]}-{svc}-{i}"
        text = g.identity(name, t, owner, ityp, env, svc, self.nested(t))
        third = "\n  vendor: " in text and "\n  vendor: self\n" not in text
        return Decl(name, f"{self.folder(t)}/{name}.yaml", text, t, ityp, env, third)

    # -- changes -------------------------------------------------------------
    def pick(self, exclude: list[str], ok=lambda d: True, tries=50) -> Decl | None:
        for _ in range(tries):
            name = self.ids[self.rng.randrange(len(self.ids))]
            if name in exclude or name == self.target:
                continue
            d = self.decls[name]
            if ok(d):
                return d
        return None

    def renew(self, d: Decl, day: int):
        lim = self.limit(d)
        new_exp = day + lim - 2 - self.rng.randint(0, min(30, lim // 5))
        new_exp = max(new_exp, d.expires)
        text = set_line(d.text, "renewed", dt.date.fromordinal(day).isoformat(), "created")
        d.text = set_line(text, "expires", dt.date.fromordinal(new_exp).isoformat(), "renewed")
        d.expires = new_exp
        self.push_heap(d)
        return f"Renew {d.name} until {dt.date.fromordinal(new_exp).isoformat()}"

    def flip_permission(self, d: Decl) -> str | None:
        if d.ityp == "deploy-key":
            return None
        lines = d.text.split("\n")
        try:
            start = lines.index("  permissions:") + 1
        except ValueError:
            return None
        end = start
        while end < len(lines) and lines[end].startswith("    "):
            end += 1
        if end == start:
            return None
        ceilings = gr.MAX_PERMISSIONS[d.ityp]
        if self.nested(d.team) and d.ityp == "ai-agent":
            ceilings = gr.NESTED_AI_AGENT_CEILING
        i = self.rng.randrange(start, end)
        scope, access = lines[i].strip().split(": ")
        if access == "write":
            new = "read"
        else:
            if d.third_party or ceilings.get(scope, ceilings.get("*", "admin")) == "read":
                return None
            new = "write"
        lines[i] = f"    {scope}: {new}"
        text = "\n".join(lines)
        if new == "write" and "\n  justification: " not in text:
            text = text.rstrip("\n") + f"\n  justification: {d.name} needs {scope} write access for its deploys.\n"
        d.text = text
        return f"{d.name}: {scope} {access} -> {new}"

    def relabel(self, d: Decl) -> str:
        rng = self.rng
        if rng.random() < 0.5 and '\n    tier: "' in d.text:
            i = d.text.index('\n    tier: "') + 12
            old = d.text[i]
            new = str(1 + (int(old) % 3))
            d.text = d.text[:i] + new + d.text[i + 1:]
            return f"{d.name}: tier {old} -> {new}"
        i = d.text.index("\n    cost-center: cc-") + 21
        new = str(rng.randint(1000, 9999))
        d.text = d.text[:i] + new + d.text[i + 4:]
        return f"{d.name}: cost center cc-{new}"

    def rejustify(self, d: Decl) -> str | None:
        key = "\n  justification: "
        if key not in d.text:
            return None
        i = d.text.index(key) + len(key)
        j = d.text.index("\n", i)
        current = d.text[i:j]
        for r in REASONS:
            current = current.replace(" " + r, "")
        reason = self.rng.choice([r for r in REASONS if r not in d.text[i:j]])
        d.text = d.text[:i] + current + " " + reason + d.text[j:]
        return f"{d.name}: update the justification"

    def same_scope_teams(self, d: Decl) -> list[int]:
        nested = self.nested(d.team)
        return [t for t in range(len(self.teams)) if t != d.team and self.nested(t) == nested
                and (d.env != "production" or gr.in_production_teams(t))]

    def move_to(self, d: Decl, path: str):
        del self.by_path[d.path]
        d.path = path
        self.by_path[path] = d.name

    def change_owner(self, d: Decl, move: bool | None = None) -> str:
        rng = self.rng
        t = rng.choice(self.same_scope_teams(d))
        old = self.teams[d.team]
        d.text = d.text.replace(f"\n  owner: {old}\n", f"\n  owner: {self.teams[t]}\n", 1)
        d.team = t
        if move is None:
            move = rng.random() < 0.7
        if move:
            self.move_to(d, f"{self.folder(t)}/{d.name}.yaml")
        return f"Hand {d.name} over from {old} to {self.teams[t]}"

    def pure_move(self, d: Decl) -> str:
        # The team folder the file is in (an owner change may have left it in another team's).
        parts = d.path.split("/")
        base = "/".join(parts[:3])
        cur = parts[3:]
        if len(cur) == 2:  # in a sub-folder: back to the team folder, or to another sub-folder
            choices = [None] + [s for s in SUBFOLDERS if s != cur[0]]
        else:
            choices = SUBFOLDERS
        sub = self.rng.choice(choices)
        path = f"{base}/{sub}/{d.name}.yaml" if sub else f"{base}/{d.name}.yaml"
        self.move_to(d, path)
        return f"Move {d.name} to {path.rsplit('/', 1)[0].removeprefix(REG + '/')}/"

    def team_edit(self, d: Decl) -> str:
        person = f"{self.rng.choice(gr.PEOPLE)}-{self.rng.randint(2, 999)}-acme"
        d.text = d.text.replace("  members:\n", f"  members:\n    - {person}\n", 1)
        return f"{d.name}: add {person}"

    # -- main loop -----------------------------------------------------------
    def run(self):
        a = self.a
        rng = self.rng
        files = self.initial()
        # The log target: a production github-actions identity of a production team
        # with at least one other same-scope team.
        for name in self.ids:
            d = self.decls[name]
            if d.ityp == "github-actions" and d.env == "production" and not self.nested(d.team):
                self.target = name
                break
        self.target_paths.append(self.decls[self.target].path)
        op_bag = gr.weighted(OPS)
        span = (END - START).total_seconds()
        marks_by_path: dict[str, int] = {}

        def stamp(k: int) -> tuple[int, int]:
            ts = START.timestamp() + span * k / max(1, a.commits - 1)
            return int(ts), dt.datetime.fromtimestamp(ts, dt.timezone.utc).date().toordinal()

        # Commit 1: the whole registry.
        ts, _ = stamp(0)
        mods = []
        for path, text in files:
            m = self.blob(text)
            marks_by_path[path] = m
            mods.append(f"M 100644 :{m} {path}\n")
        self.commit(1, BOT, ts, f"Import the identity registry ({a.declarations} declarations)\n", mods, first=True)
        snapshot_of = dict(marks_by_path)
        if a.base_commit == 1:
            self.base_snapshot = snapshot_of

        for k in range(1, a.commits):
            ts, day = stamp(k)
            n_touch = rng.choices([1, 2, 3], weights=[45, 35, 20])[0]
            touched: list[str] = []
            removed: list[str] = []
            moved: list[tuple[str, str]] = []   # (old path, name)
            subject = []
            if k % TARGET_EVERY == TARGET_OFFSET:
                self.target_touches += 1
                d = self.decls[self.target]
                old = d.path
                if self.target_touches == TARGET_RENAME_TOUCH:
                    subject.append(self.change_owner(d, move=True))
                elif self.target_touches == TARGET_MOVE_TOUCH:
                    subject.append(self.pure_move(d))
                else:
                    what = self.target_touches % 4
                    msg = None
                    if what == 1:
                        msg = self.flip_permission(d)
                    elif what == 2:
                        msg = self.rejustify(d)
                    elif what == 3:
                        msg = self.relabel(d)
                    subject.append(msg or self.renew(d, day))
                if d.path != old:
                    moved.append((old, d.name))
                    self.target_paths.append(d.path)
                touched.append(d.name)
                n_touch -= 1
            op = rng.choice(op_bag)
            self.stats[op] += 1
            for _ in range(n_touch):
                if op == "renew":
                    name = self.soonest(day + 45, touched)
                    d = self.decls[name] if name else self.pick(touched, lambda d: d.kind == "Identity")
                    if d is None:
                        continue
                    subject.append(self.renew(d, day))
                elif op == "permissions":
                    msg = None
                    for _ in range(20):
                        d = self.pick(touched)
                        if d and (msg := self.flip_permission(d)):
                            break
                    if not msg:
                        continue
                    subject.append(msg)
                elif op == "labels":
                    d = self.pick(touched)
                    if d is None:
                        continue
                    subject.append(self.relabel(d))
                elif op == "justification":
                    msg = None
                    for _ in range(20):
                        d = self.pick(touched)
                        if d and (msg := self.rejustify(d)):
                            break
                    if not msg:
                        continue
                    subject.append(msg)
                elif op == "owner":
                    d = self.pick(touched, lambda d: "\n  shared: " not in d.text and self.same_scope_teams(d))
                    if d is None:
                        continue
                    old = d.path
                    subject.append(self.change_owner(d))
                    if d.path != old:
                        moved.append((old, d.name))
                elif op == "move":
                    d = self.pick(touched)
                    if d is None:
                        continue
                    old = d.path
                    subject.append(self.pure_move(d))
                    moved.append((old, d.name))
                elif op == "team":
                    d = self.decls[self.team_decl[rng.randrange(len(self.team_decl))]]
                    if d.name in touched:
                        continue
                    subject.append(self.team_edit(d))
                elif op == "add":
                    d = self.new_identity_dated(rng.randrange(len(self.teams)), day)
                    self.add_decl(d)
                    subject.append(f"Add {d.name}")
                elif op == "remove":
                    d = self.pick(touched, lambda d: "\n  shared: " not in d.text)
                    if d is None:
                        continue
                    self.drop_identity(d.name)
                    removed.append(d.path)
                    subject.append(f"Remove {d.name}")
                    break  # one removal per commit
                touched.append(d.name)
                if op == "add" and len(subject) >= 2:
                    break
            if not subject:  # nothing applicable: renew something instead
                d = self.pick(touched, lambda d: d.kind == "Identity")
                subject.append(self.renew(d, day))
                touched.append(d.name)

            mods = []
            for path in removed:
                mods.append(f"D {path}\n")
                del marks_by_path[path]
            for old, name in moved:
                if old in marks_by_path and self.by_path.get(old) is None:
                    mods.append(f"D {old}\n")
                    del marks_by_path[old]
            for name in dict.fromkeys(touched):
                d = self.decls[name]
                m = self.blob(d.text)
                marks_by_path[d.path] = m
                mods.append(f"M 100644 :{m} {d.path}\n")
            author = AUTHORS[rng.randrange(len(AUTHORS))]
            msg = subject[0] if len(subject) == 1 else f"{subject[0]} (+{len(subject) - 1} more)"
            body = "\n".join(f"- {s}" for s in subject) if len(subject) > 1 else ""
            self.commit(k + 1, author, ts, msg + "\n" + (f"\n{body}\n" if body else ""), mods)

            # bench-base / bench-head
            if k + 1 == a.base_commit:
                self.base_snapshot = dict(marks_by_path)
            elif self.base_snapshot is not None and self.head_commit is None:
                for name in touched:
                    self.mark_dirty(self.decls[name].path)
                for old, _ in moved:
                    self.mark_dirty(old)
                for path in removed:
                    self.mark_dirty(path)
                diff = sum(1 for p in self.dirty if snapshot_cmp(self.base_snapshot, marks_by_path, p))
                if diff >= a.diff_files:
                    self.head_commit = k + 1
                    self.head_diff = diff
        if self.head_commit is None:
            raise SystemExit("bench-head not reached: raise --commits or lower --base-commit / --diff-files")
        self.emit(f"reset refs/tags/bench-base\nfrom :{self.commit_mark(a.base_commit)}\n\n")
        self.emit(f"reset refs/tags/bench-head\nfrom :{self.commit_mark(self.head_commit)}\n\n")
        self.final_paths = marks_by_path

    def new_identity_dated(self, t: int, day: int) -> Decl:
        saved = (gr.CREATED_FROM, gr.CREATED_TO, gr.EXPIRES_FROM, gr.EXPIRES_TO)
        gr.CREATED_FROM = gr.CREATED_TO = day
        gr.EXPIRES_FROM, gr.EXPIRES_TO = day + 60, day + 730
        try:
            return self.new_identity(t)
        finally:
            gr.CREATED_FROM, gr.CREATED_TO, gr.EXPIRES_FROM, gr.EXPIRES_TO = saved

    def mark_dirty(self, path: str):
        if path not in self.dirty_seen:
            self.dirty_seen[path] = None
            self.dirty.append(path)

    def commit_mark(self, k: int) -> int:
        return 1_000_000 + k

    def commit(self, k: int, who, ts: int, msg: str, mods: list[str], first=False):
        name, email = who
        b = msg.encode()
        self.emit(f"commit refs/heads/main\nmark :{self.commit_mark(k)}\n"
                  f"author {name} <{email}> {ts} +0000\ncommitter {name} <{email}> {ts} +0000\n"
                  f"data {len(b)}\n")
        self.emit(b)
        if not first:
            self.emit(f"from :{self.commit_mark(k - 1)}\n")
        self.emit("".join(mods) + "\n")


def snapshot_cmp(base: dict, cur: dict, path: str) -> bool:
    """Whether `path` differs between the two trees (blob marks are unique per content write,
    so an equal mark means equal content; a rewritten but equal text counts as changed)."""
    return base.get(path) != cur.get(path)


def git_env() -> dict:
    env = dict(os.environ)
    env.update(GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL="/dev/null", LC_ALL="C", TZ="UTC")
    for k in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_CONFIG_PARAMETERS"):
        env.pop(k, None)
    return env


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out")
    ap.add_argument("--commits", type=int, default=10_000)
    ap.add_argument("--declarations", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--base-commit", type=int, default=8_000)
    ap.add_argument("--diff-files", type=int, default=1_000)
    ap.add_argument("--force", action="store_true", help="replace OUT_DIR if it exists")
    ap.add_argument("--stream-only", action="store_true", help="print the fast-import stream and stop")
    ap.add_argument("--print-marker", action="store_true")
    a = ap.parse_args()
    if a.print_marker:
        print(marker(a))
        return
    if not 1 <= a.base_commit < a.commits:
        ap.error("--base-commit must be in [1, --commits)")

    t0 = time.perf_counter()
    h = History(a)
    h.run()
    stream = b"".join(h.out)
    t_stream = time.perf_counter() - t0
    if a.stream_only:
        sys.stdout.buffer.write(stream)
        return

    out = a.out
    if os.path.exists(out):
        if not a.force and os.listdir(out):
            sys.exit(f"{out} exists and is not empty (use --force)")
        shutil.rmtree(out)
    env = git_env()
    git = ["git", "-c", "core.autocrlf=false", "-c", "gc.auto=0", "-C", out]
    subprocess.run(["git", "-c", "init.defaultBranch=main", "init", "--quiet", "--template=",
                    "--object-format=sha1", out], check=True, env=env)
    t1 = time.perf_counter()
    subprocess.run(git + ["fast-import", "--quiet"], input=stream, check=True, env=env)
    t_import = time.perf_counter() - t1
    t2 = time.perf_counter()
    subprocess.run(git + ["checkout", "--quiet", "-f", "main"], check=True, env=env)
    t_checkout = time.perf_counter() - t2
    t3 = time.perf_counter()
    # What a maintained clone looks like: one pack with deltas searched afresh with
    # git's default window and depth (fast-import's own deltas are poorer), packed
    # refs, a commit-graph: `git gc --aggressive` with the default window and depth.
    subprocess.run(git + ["-c", "gc.aggressiveWindow=10", "-c", "gc.aggressiveDepth=50",
                          "gc", "--aggressive", "--quiet"], check=True, env=env)
    t_gc = time.perf_counter() - t3

    def rev(r):
        return subprocess.run(git + ["rev-parse", r], check=True, env=env, capture_output=True,
                              text=True).stdout.strip()

    target = h.decls[h.target]
    touching = subprocess.run(git + ["log", "--follow", "--format=%H", "--", target.path], check=True,
                              env=env, capture_output=True, text=True).stdout.split()
    info = {
        "marker": marker(a),
        "generator": "bench/git/generate.py",
        "seed": a.seed,
        "commits": a.commits,
        "declarations_initial": a.declarations,
        "declarations_head": len(h.decls),
        "sub_folder_configs": h.n_configs - 1,
        "bench_base": {"tag": "bench-base", "commit_number": a.base_commit, "id": rev("bench-base")},
        "bench_head": {"tag": "bench-head", "commit_number": h.head_commit, "id": rev("bench-head"),
                       "declaration_paths_differing": h.head_diff},
        "head": rev("HEAD"),
        "log": {"name": target.name, "path_at_head": target.path,
                "paths": h.target_paths, "commits_touching": len(touching),
                "scheduled_touches": h.target_touches},
        "ops": h.stats,
        "seconds": {"python_stream": round(t_stream, 2), "fast_import": round(t_import, 2),
                    "checkout": round(t_checkout, 2), "gc": round(t_gc, 2),
                    "total": round(time.perf_counter() - t0, 2)},
        "stream_bytes": len(stream),
    }
    with open(os.path.join(out, "bench.json"), "w") as f:
        json.dump(info, f, indent=2)
        f.write("\n")
    os.makedirs(os.path.join(out, ".git", "info"), exist_ok=True)
    with open(os.path.join(out, ".git", "info", "exclude"), "a") as f:
        f.write("/bench.json\n")
    json.dump(info, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
