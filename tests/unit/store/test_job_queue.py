"""The persistent job queue (moderation/store/jobs.py): dedupe keys, claims in order, leases
that expire when a worker dies, retries with a limit, and no job run twice by two workers."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

from moderation.pipeline.job_kinds import JobContext, kind
from moderation.pipeline.worker import Worker
from moderation.scoring import Scorer
from moderation.store import Store
from moderation.store import jobs as queue

LEASE = timedelta(seconds=30)
_runs: list[tuple[int, str]] = []
_runs_lock = threading.Lock()


@kind("test-steps")
def _steps(ctx: JobContext, payload: Mapping[str, Any]) -> str:
    """A job of ``steps`` steps that says which run of it this is (for the double-run test)."""
    steps = int(payload.get("steps", 1))
    for step in range(steps):
        ctx.progress(step + 1, steps)
    with _runs_lock:
        _runs.append((int(payload["n"]), threading.current_thread().name))
    return f"ran {payload['n']}"


def _no_scorer() -> Scorer:
    raise AssertionError("these jobs never run the model")


def _enqueue(store: Store, kind: str = "test-steps", **payload: Any) -> queue.Job:
    key = payload.pop("key", None)
    return store.write(lambda conn: queue.enqueue(conn, kind, kind, payload, key=key))


def _claim(store: Store, worker: str, **kwargs: Any) -> queue.Job | None:
    return store.write(lambda conn: queue.claim(conn, worker, lease=LEASE, **kwargs))


def _fail(store: Store, job_id: int, worker: str, error: str, at: datetime) -> queue.Job | None:
    return store.write(
        lambda conn: queue.fail(conn, job_id, worker, error, retry_after=LEASE, at=at)
    )


def _job(store: Store, job_id: int) -> queue.Job:
    with store.engine.connect() as conn:
        found = queue.get(conn, job_id)
    assert found is not None
    return found


def test_an_unfinished_key_is_queued_once_even_by_racing_servers(store: Store) -> None:
    first = _enqueue(store, n=1, key="apply-v2")
    assert _enqueue(store, n=2, key="apply-v2").id == first.id
    other = _enqueue(store, n=3, key="apply-v3")
    assert other.id != first.id
    claimed = _claim(store, "w")
    assert claimed is not None and claimed.id == first.id
    assert _enqueue(store, n=4, key="apply-v2").id == first.id  # running: still unfinished
    store.write(lambda conn: queue.finish(conn, first.id, "w", "done"))
    assert _enqueue(store, n=5, key="apply-v2").id != first.id  # a finished job does not block
    # Eight servers queueing one new key at the same moment: one row (the unique index).
    barrier = threading.Barrier(8)

    def race(_: int) -> int:
        barrier.wait()
        return _enqueue(store, n=6, key="learn-model").id

    with ThreadPoolExecutor(8) as pool:
        ids = set(pool.map(race, range(8)))
    assert len(ids) == 1


def test_reflags_are_claimed_one_at_a_time_in_queue_order(store: Store) -> None:
    v2 = _enqueue(store, "reflag", version=2)
    learn = _enqueue(store, "learn", n=1)
    v3 = _enqueue(store, "reflag", version=3)
    assert _claim(store, "a") == _job(store, v2.id)
    second = _claim(store, "b")
    assert second is not None and second.id == learn.id  # not v3: v2 is unfinished
    assert _claim(store, "c") is None
    store.write(lambda conn: queue.finish(conn, v2.id, "a", "v2 active"))
    third = _claim(store, "c")
    assert third is not None and third.id == v3.id


def test_a_job_whose_worker_died_is_taken_over_with_its_progress_or_fails_in_the_end(
    store: Store,
) -> None:
    job = _enqueue(store, steps=4, n=1)
    dead = _claim(store, "dead")  # then killed -9: it never writes again
    assert dead is not None and dead.id == job.id
    assert store.write(
        lambda conn: queue.heartbeat(conn, job.id, "dead", lease=LEASE, progress=(2, 4))
    )
    assert _claim(store, "early") is None  # its lease still holds
    later = queue.now() + LEASE * 2  # the lease has run out by then
    taken = _claim(store, "alive", at=later)
    assert taken is not None and taken.id == job.id
    assert (taken.claimed_by, taken.attempts, taken.done, taken.total) == ("alive", 2, 2, 4)
    # The dead worker's late writes are refused: the job is no longer its own.
    assert not store.write(
        lambda conn: queue.heartbeat(conn, job.id, "dead", lease=LEASE, progress=(3, 4))
    )
    assert not store.write(lambda conn: queue.finish(conn, job.id, "dead", "late"))
    finished = Worker(store, _no_scorer, worker_id="alive").run(taken)
    assert (finished.state, finished.result, finished.fraction) == ("done", "ran 1", 1.0)
    # A job that kills its worker every time (say, out of memory) ends failed, not in a loop.
    lost = store.write(
        lambda conn: queue.enqueue(conn, "test-steps", "lost", {"n": 2}, max_attempts=2)
    )
    at = queue.now()
    for worker in ("dead-1", "dead-2"):
        assert _claim(store, worker, at=at) is not None
        at += LEASE * 2
    assert _claim(store, "alive", at=at) is None
    failed = _job(store, lost.id)
    assert (failed.state, failed.attempts) == ("failed", 2)
    assert failed.error == "its worker stopped without finishing it 2 times"


def test_a_failed_attempt_is_retried_after_a_backoff_until_the_limit(store: Store) -> None:
    job = _enqueue(store, n=1)
    at = queue.now()
    for attempt in (1, 2, 3):
        claimed = _claim(store, "w", at=at)
        assert claimed is not None and (claimed.id, claimed.attempts) == (job.id, attempt)
        error = f"ValueError: disk full ({attempt})\nTraceback ..."
        assert _fail(store, job.id, "x", error, at) is None  # not the worker holding it
        after = _fail(store, job.id, "w", error, at)
        assert after is not None and after.error == f"ValueError: disk full ({attempt})"
        assert after.state == ("failed" if attempt == 3 else "queued")
        assert _claim(store, "w", at=at) is None  # not before its backoff is over
        at += LEASE * 2
    assert _claim(store, "w", at=at) is None  # failed for good
    failed = _job(store, job.id)
    assert (failed.state, failed.attempts, failed.finished) == ("failed", 3, True)


def test_two_workers_run_every_job_exactly_once(store: Store) -> None:
    """Two workers claiming at once: on PostgreSQL concurrently (FOR UPDATE SKIP LOCKED), on
    SQLite taking turns on the write lock. Either way: each job once, none left."""
    _runs.clear()
    ids = [_enqueue(store, n=n, steps=3).id for n in range(16)]
    # First a worker asked to stop (SIGTERM) while it holds job 0: at its next step the job goes
    # back to the queue, that attempt uncounted, and the worker claims nothing more.
    stop = threading.Event()
    stopping = Worker(store, _no_scorer, worker_id="stopping", stop=stop)
    claimed = stopping.claim()
    assert claimed is not None and claimed.id == ids[0]
    stop.set()
    back = stopping.run(claimed)
    assert (back.state, back.attempts, back.claimed_by) == ("queued", 0, None)
    assert stopping.serve(once=True) == 0 and _runs == []
    start = threading.Barrier(2)

    def work(name: str) -> int:
        start.wait()
        return Worker(store, _no_scorer, worker_id=name).serve(once=True)

    threads = [threading.Thread(target=work, args=(f"w{i}",), name=f"w{i}") for i in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(n for n, _ in _runs) == list(range(16))
    assert all((j.state, j.attempts) == ("done", 1) for j in (_job(store, i) for i in ids))
