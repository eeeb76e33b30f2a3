"""Issue 11 point 7: bulk actions while other moderators write, on SQLite and PostgreSQL.

Real threads (each with its own Store, as separate dashboard sessions or processes would have) and
a real second process keep writing while bulk actions run; no write may fail with "database is
locked", and every comment ends as exactly one of them decided it.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

from sqlalchemy import func, select

from moderation import review
from moderation.pipeline.ingest import ingest
from moderation.review import QueueFilter
from moderation.store import Store
from moderation.store.audit import record_event
from moderation.store.schema import audit_log, decisions

ROOT = Path(__file__).resolve().parents[3]
# A second process appending audit rows as fast as it can until told to stop (stdin closes).
_OTHER_PROCESS = """
import sys, threading
from moderation.store import Store
from moderation.store.audit import record_event
store = Store.open(sys.argv[1])
done = threading.Event()
threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
print("ready", flush=True)
n = 0
while not done.is_set():
    record_event(store, actor="proc", action="note", target_type="test",
                 target_id=str(n), details={})
    n += 1
print(n, flush=True)
"""


def all_items(store: Store) -> list[review.QueueItem]:
    items, _ = review.queue_page(
        store, QueueFilter(queue="all"), model_id=None, rule_set_version=None, limit=100
    )
    return items


def test_bulk_actions_succeed_while_others_write(database_url: str, seeds: list[Path]) -> None:
    store = Store.open(database_url)
    ingest(seeds, store)
    stop = threading.Event()
    errors: list[str] = []
    written = [0, 0]

    def other_moderator(index: int) -> None:
        own = Store.open(database_url)
        try:
            while not stop.is_set():
                try:
                    record_event(
                        own,
                        actor=f"other{index}",
                        action="note",
                        target_type="test",
                        target_id=str(written[index]),
                        details={},
                    )
                    written[index] += 1
                except Exception as exc:  # any failure is the defect under test
                    errors.append(f"other{index}: {exc}")
        finally:
            own.close()

    proc = subprocess.Popen(
        [sys.executable, "-c", _OTHER_PROCESS, database_url],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    threads = [threading.Thread(target=other_moderator, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    outcomes = []
    try:
        for round_no, action in enumerate(["escalate", "approve", "reject", "escalate"]):
            items = all_items(store)
            try:
                result = review.decide_many(
                    store,
                    [(i.comment_id, i.version) for i in items],
                    action,  # type: ignore[arg-type]
                    moderator="bulk",
                    clause_id="no-profanity" if action == "reject" else None,
                )
                outcomes.append((round_no, result.done, len(result.conflicts)))
            except Exception as exc:
                errors.append(f"bulk {action}: {exc}")
    finally:
        stop.set()
        for t in threads:
            t.join()
        out, err = proc.communicate("", timeout=120)
    assert proc.returncode == 0, err
    assert errors == []
    assert outcomes == [(n, 30, 0) for n in range(4)]
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(decisions)).scalar_one() == 120
        notes = conn.execute(
            select(func.count()).select_from(audit_log).where(audit_log.c.action == "note")
        ).scalar_one()
    assert notes == sum(written) + int(out.split()[-1])
    assert review.queue_counts(store)["escalated"] == 30
    store.close()
