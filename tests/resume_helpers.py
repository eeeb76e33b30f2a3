"""A corpus and a queue snapshot for the kill -9 tests (issue 11, points 5 and 6).

The corpus is the seed comments, re-told in many articles (each text made unique so that every
one is scored), written as JSON lines files; a snapshot is everything a moderator sees of the
queue: the active version, every comment's status and every flag of the active version.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import DateTime, select

from moderation.parsing import parse_file
from moderation.pipeline import faults
from moderation.store import Store
from moderation.store.rulesets import read_pointer
from moderation.store.schema import comments, flags, metadata
from moderation.store.work import any_unscored, unevaluated_ids

ROOT = Path(__file__).resolve().parents[1]
MODEL = "offline"  # the bundled offline model: no download, deterministic
# 8 articles of 30 comments in 4 files: small enough to score quickly (each test scores the
# corpus once or twice), with several articles, files and batches on each side of every kill.
ARTICLES = 8
PER_FILE = 2
BATCH = 30  # flag and score batches in the tests' processes (240 comments: 8 batches)


def write_corpus(folder: Path, seeds: list[Path]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    told = [(c.author, c.text) for seed in seeds for c in parse_file(seed)[0].reader_comments]
    for start in range(0, ARTICLES, PER_FILE):
        lines = []
        for a in range(start, start + PER_FILE):
            for i, (author, text) in enumerate(told):
                row = {
                    "id": f"{a}-{i}",
                    "article": f"story-{a}",
                    "title": f"Story {a}",
                    "author": author,
                    "text": f"{text} [{a}]",
                    "parent_id": f"{a}-{i - 1}" if i % 3 == 2 else None,
                }
                lines.append(json.dumps(row))
        (folder / f"part-{start // PER_FILE}.jsonl").write_text("\n".join(lines) + "\n")
    return folder


def env(rules_path: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "THREADWATCH_MODEL": MODEL,
        "THREADWATCH_RULES_PATH": str(rules_path),
        faults.BATCH_ENV: str(BATCH),
        **extra,
    }


def run_cli(
    url: str, rules_path: Path, *args: str, kill_at: str | None = None
) -> subprocess.CompletedProcess[str]:
    """``moderation --db url ARGS`` in a real process; with ``kill_at`` it SIGKILLs itself."""
    extra = {faults.KILL_ENV: kill_at} if kill_at else {}
    return subprocess.run(
        [sys.executable, "-m", "moderation", "--db", url, *args],
        env=env(rules_path, **extra),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


@dataclass(frozen=True)
class Snapshot:
    active: int | None
    pending: int | None
    statuses: dict[str, str]
    flags: frozenset[tuple[str, str, str]]
    unscored: bool
    unevaluated: int

    def pending_without_hits(self) -> int:
        flagged = {comment_id for comment_id, _, _ in self.flags}
        return sum(1 for c, s in self.statuses.items() if s == "pending" and c not in flagged)


def snapshot(url: str, model_id: str) -> Snapshot:
    store = Store.open(url)
    try:
        with store.engine.connect() as conn:
            pointer = read_pointer(conn)
            statuses = dict(
                conn.execute(
                    select(comments.c.id, comments.c.status).where(comments.c.kind == "comment")
                ).all()
            )
            rows = conn.execute(
                select(flags.c.comment_id, flags.c.rule_id, flags.c.evidence).where(
                    flags.c.rule_set_version == pointer.active
                )
            ).all()
            missing = (
                unevaluated_ids(conn, pointer.active, model_id)
                if pointer.active is not None
                else list(statuses)
            )
            return Snapshot(
                active=pointer.active,
                pending=pointer.pending,
                statuses=statuses,
                flags=frozenset((c, r, json.dumps(e, sort_keys=True)) for c, r, e in rows),
                unscored=any_unscored(conn, model_id),
                unevaluated=len(missing),
            )
    finally:
        store.close()


# Columns that differ between two runs of the same work by design: when a row was written, and
# the audit chain's hashes (which cover that time). Everything else must be equal.
_RUN_COLUMNS = frozenset({"prev_hash", "row_hash"})


def rows(url: str, *, skip: frozenset[str] = frozenset({"jobs"})) -> dict[str, list[str]]:
    """Every row of every table but ``skip`` (default: the job queue, which records the runs
    themselves), without timestamps and audit hashes, in a stable order: two databases that
    hold the same data compare equal."""
    store = Store.open(url)
    try:
        found: dict[str, list[str]] = {}
        with store.engine.connect() as conn:
            for table in metadata.sorted_tables:
                if table.name in skip:
                    continue
                kept = [
                    c
                    for c in table.columns
                    if c.name not in _RUN_COLUMNS and not isinstance(c.type, DateTime)
                ]
                found[table.name] = sorted(
                    json.dumps(list(r), sort_keys=True, default=str)
                    for r in conn.execute(select(*kept))
                )
        return found
    finally:
        store.close()
