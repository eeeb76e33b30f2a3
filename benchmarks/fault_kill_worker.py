"""Faults: ``kill -9`` of a worker in the middle of a re-flag, then a restart, against a run
that was never interrupted.

Two databases are filled the same way (``--comments`` reader comments, texts from the seed
articles and, when present, the Jigsaw subset; scoring off, so the re-flag uses the rules' word
lists and no model), ``rules.yaml`` is applied to both, then a new rule-set version (one rule
more) is saved and its re-flag queued as a job. On the reference database a ``moderation worker
--once`` runs it through. On the other, a worker is killed with SIGKILL once the job's stored
progress passes ``--kill-at`` of its comments (a real kill at an arbitrary instruction, not a
hook); after its lease runs out a new worker takes the job over and finishes it. The two
databases must then hold the same statuses, flags and active version, with nothing pending.

One JSON line on stdout:

    python benchmarks/fault_kill_worker.py [--db-a URL --db-b URL] [--comments 20000]
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from moderation.parsing import parse_file  # noqa: E402
from moderation.pipeline import jobs, rule_edits  # noqa: E402
from moderation.records import Article, Comment  # noqa: E402
from moderation.store import Store  # noqa: E402
from moderation.store import jobs as job_store  # noqa: E402
from moderation.store.rulesets import read_pointer  # noqa: E402
from moderation.store.schema import comments, flags  # noqa: E402

JIGSAW = ROOT.parent / "shared" / "data" / "jigsaw_train_5k_predibase.csv"
EXTRA_RULE = """
  - id: fault-run-extra
    description: A rule added for the fault run
    category: other
    clause: no-inappropriate-material
    action: flag
    severity: 1
    match:
      words: [really]
    examples:
      should_flag: [really now]
      should_pass: [fine]
"""
LEASE_S = 3


def texts() -> list[str]:
    found = [
        c.text
        for p in sorted((ROOT / "sample_data").glob("*.txt"))
        for a in parse_file(p)
        for c in a.reader_comments
    ]
    if JIGSAW.is_file():
        with JIGSAW.open(encoding="utf-8", newline="") as handle:
            found += [row["comment_text"][:2000] for row in csv.DictReader(handle)]
    return found


def fill(url: str, total: int, pool: list[str], per_article: int = 100) -> None:
    store = Store.open(url)
    cycle = itertools.cycle(pool)
    template = parse_file(sorted((ROOT / "sample_data").glob("*.txt"))[0])[0]
    for a in range(total // per_article):
        made = tuple(
            Comment(
                f"f{a}-{c}",
                f"f{a}-{c - 1}" if c % 3 else None,
                str(c + 1),
                f"reader{(a * 7 + c) % 400}",
                next(cycle),
                depth=1 if c % 3 else 0,
            )
            for c in range(per_article)
        )
        store.save_article(
            Article(f"fault-{a}", "fault", f"Article {a}", "body", template.policy, made)
        )
    store.close()


def moderation(url: str, env: dict[str, str], *args: str) -> subprocess.Popen[bytes]:
    log = open(Path(env["THREADWATCH_RULES_PATH"]).parent / "commands.log", "ab")  # noqa: SIM115
    return subprocess.Popen(
        [sys.executable, "-m", "moderation", "--db", url, *args],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=log,
    )


def queue_reflag(url: str, rules: Path) -> int:
    store = Store.open(url)
    try:
        saved = rule_edits.save_version(
            store, rules.read_text() + EXTRA_RULE, rules, actor="fault-run", message="one more"
        )
        job = jobs.apply_rules_job(
            store, saved.version, rules, model_id=None, jobs=jobs.JobRunner(external=True)
        )
        return job.id
    finally:
        store.close()


def progress(url: str, job_id: int) -> tuple[str, int, int]:
    store = Store.open(url)
    try:
        job = jobs.get(store, job_id)
        assert job is not None
        return job.state, job.done, job.total
    finally:
        store.close()


def state(url: str) -> dict[str, Any]:
    store = Store.open(url)
    try:
        with store.engine.connect() as conn:
            pointer = read_pointer(conn)
            statuses = sorted(conn.execute(select(comments.c.id, comments.c.status)).all())
            rows = sorted(
                (c, r, json.dumps(e, sort_keys=True))
                for c, r, e in conn.execute(
                    select(flags.c.comment_id, flags.c.rule_id, flags.c.evidence).where(
                        flags.c.rule_set_version == pointer.active
                    )
                )
            )
            recent = job_store.recent(conn)
        return {
            "active": pointer.active,
            "pending": pointer.pending,
            "statuses": statuses,
            "flags": rows,
            "attempts": [j.attempts for j in recent],
        }
    finally:
        store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db-a", help="the interrupted run's database (default: SQLite temp)")
    parser.add_argument("--db-b", help="the reference run's database")
    parser.add_argument("--comments", type=int, default=20_000)
    parser.add_argument("--kill-at", type=float, default=0.4, help="fraction of the job done")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="tw-fault-"))
    try:
        url_a = args.db_a or f"sqlite:///{work / 'a.db'}"
        url_b = args.db_b or f"sqlite:///{work / 'b.db'}"
        pool = texts()
        runs = {}
        for name, url in (("a", url_a), ("b", url_b)):
            rules = work / name / "rules.yaml"
            rules.parent.mkdir()
            shutil.copy(ROOT / "rules.yaml", rules)
            shutil.copytree(ROOT / "rule_lists", rules.parent / "rule_lists")
            env = {
                **os.environ,
                "THREADWATCH_RULES_PATH": str(rules),
                "THREADWATCH_MODEL": "offline",
                "PYTHONPATH": str(ROOT),
            }
            fill(url, args.comments, pool)
            if moderation(url, env, "reflag").wait() != 0:
                raise SystemExit(f"the first reflag failed on {name}")
            runs[name] = (url, env, queue_reflag(url, rules))

        url, env, _ = runs["b"]
        began = time.monotonic()
        assert moderation(url, env, "worker", "--once").wait() == 0
        uninterrupted_s = time.monotonic() - began

        url, env, job_a = runs["a"]
        began = time.monotonic()
        victim = moderation(url, env, "worker", "--once", "--lease", str(LEASE_S))
        killed_at = None
        while victim.poll() is None:
            _, done, total = progress(url, job_a)
            if total and done >= args.kill_at * total:
                victim.send_signal(signal.SIGKILL)
                killed_at = (done, total)
                break
            time.sleep(0.05)
        victim.wait()
        time.sleep(LEASE_S + 0.5)  # the dead worker's lease runs out
        resumed = time.monotonic()
        assert moderation(url, env, "worker", "--once").wait() == 0
        interrupted_s = time.monotonic() - began
        resume_s = time.monotonic() - resumed
        print((work / "a" / "commands.log").read_text()[-1500:], file=sys.stderr)

        a, b = state(url_a), state(url_b)
        same = all(a[k] == b[k] for k in ("active", "pending", "statuses", "flags"))
        print(
            json.dumps(
                {
                    "benchmark": "fault_kill_worker",
                    "database": Store.open(url_a).dialect,
                    "comments": args.comments,
                    "killed_at_done_total": killed_at,
                    "victim_rc": victim.returncode,
                    "uninterrupted_s": round(uninterrupted_s, 1),
                    "interrupted_then_resumed_s": round(interrupted_s, 1),
                    "resumed_worker_s": round(resume_s, 1),
                    "attempts_of_the_job": a["attempts"][0] if a["attempts"] else None,
                    "active": a["active"],
                    "pending": a["pending"],
                    "flags": len(a["flags"]),
                    "statuses_equal": a["statuses"] == b["statuses"],
                    "flags_equal": a["flags"] == b["flags"],
                    "same_as_uninterrupted": same,
                }
            )
        )
        return 0 if same and killed_at is not None else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
