"""Faults: ``kill -9`` of a worker in the middle of a re-flag (or an import), then a restart,
against a run that was never interrupted.

Two databases are filled the same way (``--comments`` reader comments, texts from the seed
articles and, when present, the Jigsaw subset; scoring off, so the re-flag uses the rules' word
lists and no model), ``rules.yaml`` is applied to both, then a new rule-set version (one rule
more) is saved and its re-flag queued as a job. On the reference database a ``moderation worker
--once`` runs it through. On the other, a worker is killed with SIGKILL once the job's stored
progress passes ``--kill-at`` of its comments (a real kill at an arbitrary instruction, not a
hook); after its lease runs out a new worker takes the job over and finishes it. The two
databases must then hold the same statuses, flags and active version, with nothing pending.

With ``--job import`` the job is an import (``moderation ingest --enqueue``, scoring off; with
``--bulk`` as ``ingest --bulk``) of ``--comments`` comments in 10 JSON-lines files into two empty
databases; the worker is killed once ``--kill-at`` of the files are stored, and the two databases
must then hold the same rows in every table (timestamps and audit hashes aside).

One JSON line on stdout:

    python benchmarks/fault_kill_worker.py [--db-a URL --db-b URL] [--comments 20000]
        [--job reflag|import [--bulk]] [--kill-at 0.4]
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
from moderation.pipeline.import_jobs import ImportOptions  # noqa: E402
from moderation.records import Article, Comment  # noqa: E402
from moderation.store import Store  # noqa: E402
from moderation.store import jobs as job_store  # noqa: E402
from moderation.store.rulesets import read_pointer  # noqa: E402
from moderation.store.schema import comments, flags  # noqa: E402
from tests.resume_helpers import rows  # noqa: E402  (the kill tests' table comparison)

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


def write_files(folder: Path, total: int, pool: list[str], count: int = 10) -> list[Path]:
    """``total`` comments as JSON lines in ``count`` files (100 a thread), for ``--job import``."""
    folder.mkdir(parents=True, exist_ok=True)
    cycle = itertools.cycle(pool)
    files = []
    per_file = max(total // count, 1)
    for f in range(count):
        lines = []
        for i in range(per_file):
            a, c = (f * per_file + i) // 100, i % 100
            row = {
                "id": f"f{a}-{c}",
                "article": f"fault-{a}",
                "title": f"Article {a}",
                "author": f"reader{(a * 7 + c) % 400}",
                "text": f"{next(cycle)} [{a}-{c}]",
                "parent_id": f"f{a}-{c - 1}" if c % 3 else None,
            }
            lines.append(json.dumps(row))
        files.append(folder / f"part-{f:02}.jsonl")
        files[-1].write_text("\n".join(lines) + "\n")
    return files


def queue_import(url: str, rules: Path, files: list[Path], *, bulk: bool) -> int:
    store = Store.open(url)
    try:
        options = ImportOptions(rules_path=rules, column_map={}, bulk=bulk, score=False)
        return jobs.import_job(store, files, options, jobs=jobs.JobRunner(external=True)).id
    finally:
        store.close()


def prepare(args: argparse.Namespace, work: Path, urls: dict[str, str]) -> dict[str, Any]:
    """Both databases filled the same way, with the job queued in each: (url, env, job id)."""
    pool = texts()
    files = write_files(work / "files", args.comments, pool) if args.job == "import" else []
    runs = {}
    for name, url in urls.items():
        # A re-flag's save writes its rules.yaml: one folder each. An import's rule-set rows
        # name the rules path, which must then be one for both.
        rules = work / (name if args.job == "reflag" else "rules") / "rules.yaml"
        if not rules.exists():
            rules.parent.mkdir()
            shutil.copy(ROOT / "rules.yaml", rules)
            shutil.copytree(ROOT / "rule_lists", rules.parent / "rule_lists")
        env = {
            **os.environ,
            "THREADWATCH_RULES_PATH": str(rules),
            "THREADWATCH_MODEL": "offline",
            "PYTHONPATH": str(ROOT),
        }
        if args.job == "import":
            runs[name] = (url, env, queue_import(url, rules, files, bulk=args.bulk))
            continue
        fill(url, args.comments, pool)
        if moderation(url, env, "reflag").wait() != 0:
            raise SystemExit(f"the first reflag failed on {name}")
        runs[name] = (url, env, queue_reflag(url, rules))
    return runs


def kill_and_resume(run: tuple[str, dict[str, str], int], kill_at: float) -> dict[str, Any]:
    """A worker killed -9 once the job's stored progress passes ``kill_at``; after its lease a
    new worker finishes the job."""
    url, env, job_id = run
    began = time.monotonic()
    victim = moderation(url, env, "worker", "--once", "--lease", str(LEASE_S))
    killed_at = None
    while victim.poll() is None:
        _, done, total = progress(url, job_id)
        if total and done >= kill_at * total:
            victim.send_signal(signal.SIGKILL)
            killed_at = (done, total)
            break
        time.sleep(0.05)
    victim.wait()
    time.sleep(LEASE_S + 0.5)  # the dead worker's lease runs out
    resumed = time.monotonic()
    assert moderation(url, env, "worker", "--once").wait() == 0
    return {
        "killed_at_done_total": killed_at,
        "victim_rc": victim.returncode,
        "interrupted_then_resumed_s": round(time.monotonic() - began, 1),
        "resumed_worker_s": round(time.monotonic() - resumed, 1),
    }


def compare(job: str, url_a: str, url_b: str) -> dict[str, Any]:
    a, b = state(url_a), state(url_b)
    found = {
        "attempts_of_the_job": a["attempts"][0] if a["attempts"] else None,
        "active": a["active"],
        "pending": a["pending"],
        "flags": len(a["flags"]),
        "statuses_equal": a["statuses"] == b["statuses"],
        "flags_equal": a["flags"] == b["flags"],
    }
    same = all(a[k] == b[k] for k in ("active", "pending", "statuses", "flags"))
    if job == "import":
        rows_a, rows_b = rows(url_a), rows(url_b)
        found["comments"] = len(rows_a["comments"])
        found["tables_differing"] = sorted(t for t in rows_a if rows_a[t] != rows_b.get(t))
        same = same and not found["tables_differing"]
    found["same_as_uninterrupted"] = same
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db-a", help="the interrupted run's database (default: SQLite temp)")
    parser.add_argument("--db-b", help="the reference run's database")
    parser.add_argument("--job", choices=("reflag", "import"), default="reflag")
    parser.add_argument("--bulk", action="store_true", help="--job import: as ingest --bulk")
    parser.add_argument("--comments", type=int, default=20_000)
    parser.add_argument("--kill-at", type=float, default=0.4, help="fraction of the job done")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="tw-fault-"))
    try:
        url_a = args.db_a or f"sqlite:///{work / 'a.db'}"
        url_b = args.db_b or f"sqlite:///{work / 'b.db'}"
        runs = prepare(args, work, {"a": url_a, "b": url_b})
        url, env, _ = runs["b"]
        began = time.monotonic()
        assert moderation(url, env, "worker", "--once").wait() == 0
        uninterrupted_s = time.monotonic() - began
        killed = kill_and_resume(runs["a"], args.kill_at)
        log = Path(runs["a"][1]["THREADWATCH_RULES_PATH"]).parent / "commands.log"
        print(log.read_text()[-1500:], file=sys.stderr)
        found = compare(args.job, url_a, url_b)
        line = {
            "benchmark": "fault_kill_worker",
            "job": args.job + (" --bulk" if args.job == "import" and args.bulk else ""),
            "database": Store.open(url_a).dialect,
            "comments": args.comments,
            "uninterrupted_s": round(uninterrupted_s, 1),
            **killed,
            **found,
        }
        print(json.dumps(line))
        return 0 if found["same_as_uninterrupted"] and killed["killed_at_done_total"] else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
