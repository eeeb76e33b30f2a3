"""Load and faults: N moderators deciding at once through the domain API, for S seconds.

Each moderator is a thread with its own Store (its own connection pool, as each dashboard
server has): it reads the top of the All queue (``review.queue_page``), picks one of the first
ten cards (so moderators collide, as they do on a busy thread) and decides it
(``review.decide`` with the version it saw). Every call ends in one of three ways, all recorded:
decided (the result's new version is kept), a conflict (``ConflictError``, told to this loser)
or a failure (``StoreError``: the database went away; the moderator waits 0.2 s and goes on).

At the end the ledger is held against the database:

- lost: a decision the caller was told was stored and the database lacks;
- duplicated: two callers told they won the same (comment, version), or a decision in the
  database no caller was told about (besides ``in_doubt``, see below);
- audit: every stored decision has its audit row and the chain verifies.

``--restart-postgres-at T`` restarts the PostgreSQL server T seconds in (the command
``--restart-command``, default Debian's ``pg_ctlcluster``): calls fail while it is down, the pools
reconnect (pool_pre_ping), and a call whose COMMIT was sent but not answered is ``in_doubt``:
stored or not, the caller was told it failed (as any client of any database can be); the report
counts them, and they are the only decisions allowed in the database without a ledger entry.

Prints one JSON line on stdout (progress on stderr):

    python benchmarks/load_moderators.py --db postgresql://… [--moderators 20] [--seconds 60]
        [--restart-postgres-at 20]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from moderation import review  # noqa: E402
from moderation.errors import ConflictError, StoreError  # noqa: E402
from moderation.records import Article, Comment, Policy, PolicyClause  # noqa: E402
from moderation.store import Store  # noqa: E402
from moderation.store.audit import verify_chain  # noqa: E402
from moderation.store.connection_loss import UNREACHABLE  # noqa: E402
from moderation.store.schema import audit_log, decisions  # noqa: E402

CLAUSE = "no-personal-attacks"
ACTIONS = ("approve", "reject", "escalate")


@dataclass
class Ledger:
    decided: list[tuple[str, int, str]] = field(default_factory=list)  # comment, version, who
    conflicts: int = 0
    failures: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def fill(store: Store, articles: int, per_article: int) -> None:
    policy = Policy("No personal attacks.", (PolicyClause(CLAUSE, "No personal attacks."),))
    for a in range(articles):
        comments = tuple(
            Comment(f"load-{a}-{c}", None, str(c + 1), f"reader{c % 50}", f"comment {a}/{c}")
            for c in range(per_article)
        )
        store.save_article(
            Article(f"load-article-{a}", "load", f"Article {a}", "body", policy, comments)
        )


def moderator(url: str, name: str, deadline: float, ledger: Ledger, seed: int) -> None:
    rng = random.Random(seed)
    store = Store.open(url)
    try:
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                items, _ = review.queue_page(
                    store, review.QueueFilter(queue="all"), model_id=None, rule_set_version=None
                )
                item = rng.choice(items[:10])
                action = rng.choice(ACTIONS)
                result = review.decide(
                    store,
                    item.comment_id,
                    action,
                    moderator=name,
                    expected_version=item.version,
                    clause_id=CLAUSE if action == "reject" else None,
                )
            except ConflictError:
                with ledger.lock:
                    ledger.conflicts += 1
                    ledger.latencies.append(time.perf_counter() - started)
            except StoreError as exc:
                with ledger.lock:
                    ledger.failures.append(str(exc).splitlines()[0][:200])
                time.sleep(0.2)
            else:
                with ledger.lock:
                    ledger.decided.append((result.comment_id, result.version, name))
                    ledger.latencies.append(time.perf_counter() - started)
    finally:
        store.close()


def restart_later(at: float, command: list[str], events: list[dict[str, Any]]) -> None:
    time.sleep(at)
    began = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True)
    events.append(
        {
            "restart_s": round(time.monotonic() - began, 2),
            "rc": done.returncode,
            "stderr": done.stderr.strip()[-200:],
        }
    )


def check(url: str, ledger: Ledger, names: set[str]) -> dict[str, Any]:
    store = Store.open(url)
    try:
        with store.engine.connect() as conn:
            stored = [
                (c, v, m)
                for c, v, m in conn.execute(
                    select(
                        decisions.c.comment_id,
                        decisions.c.resulting_version,
                        decisions.c.moderator,
                    ).where(decisions.c.moderator.in_(sorted(names)))
                )
            ]
            audited = conn.execute(
                select(func.count())
                .select_from(audit_log)
                .where(audit_log.c.actor.in_(sorted(names)), audit_log.c.target_type == "comment")
            ).scalar_one()
        chain = verify_chain(store)
    finally:
        store.close()
    told = {(c, v): m for c, v, m in ledger.decided}
    in_db = {(c, v): m for c, v, m in stored}
    return {
        "lost": len(set(told) - set(in_db)),
        "duplicated_winners": len(ledger.decided) - len(told) + (len(stored) - len(in_db)),
        "stored_not_told": len(set(in_db) - set(told)),
        "wrong_moderator": sum(1 for key, who in told.items() if in_db.get(key, who) != who),
        "audit_rows": audited,
        "stored": len(stored),
        "audit_chain_ok": chain.ok,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="a database URL (a fresh one is best)")
    parser.add_argument("--moderators", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--articles", type=int, default=20)
    parser.add_argument("--comments", type=int, default=50, help="per article")
    parser.add_argument("--restart-postgres-at", type=float)
    parser.add_argument("--restart-command", default="pg_ctlcluster 15 main restart")
    args = parser.parse_args()

    store = Store.open(args.db)
    fill(store, args.articles, args.comments)
    store.close()
    names = {f"load-mod-{i:02d}" for i in range(args.moderators)}
    ledger, events = Ledger(), []  # type: ignore[var-annotated]
    deadline = time.monotonic() + args.seconds
    threads = [
        threading.Thread(target=moderator, args=(args.db, name, deadline, ledger, i))
        for i, name in enumerate(sorted(names))
    ]
    if args.restart_postgres_at is not None:
        threads.append(
            threading.Thread(
                target=restart_later,
                args=(args.restart_postgres_at, args.restart_command.split(), events),
            )
        )
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - began
    print(f"done in {wall:.1f}s; checking the database", file=sys.stderr)
    report = check(args.db, ledger, names)
    # Lost mid-transaction: the COMMIT may have been stored without the caller hearing of it.
    in_doubt = sum(1 for f in ledger.failures if "not confirmed" in f)
    lat = sorted(ledger.latencies)
    result = {
        "benchmark": "load_moderators",
        "database": Store.open(args.db).dialect,
        "moderators": args.moderators,
        "seconds": round(wall, 1),
        "decided": len(ledger.decided),
        "decisions_per_s": round(len(ledger.decided) / wall, 1),
        "conflicts_reported": ledger.conflicts,
        "failed_calls": len(ledger.failures),
        "failures_unreachable": sum(1 for f in ledger.failures if UNREACHABLE in f),
        "in_doubt": in_doubt,
        "p50_ms": round(statistics.median(lat) * 1000, 1) if lat else None,
        "p95_ms": round(lat[int(len(lat) * 0.95)] * 1000, 1) if lat else None,
        "restart": events,
        **report,
    }
    print(json.dumps(result))
    clean = (
        report["lost"] == 0
        and report["duplicated_winners"] == 0
        and report["wrong_moderator"] == 0
        and report["stored_not_told"] <= in_doubt
        and report["audit_rows"] == report["stored"]
        and report["audit_chain_ok"]
    )
    return 0 if clean else 1


if __name__ == "__main__":
    raise SystemExit(main())
