"""Background jobs (re-flagging after a rules change, scoring backfills, training the site's
learned model, finishing interrupted work, imports): queued in the database, run by workers, with
progress any process can read.

The functions below queue a job and return it at once; a worker runs it: ``moderation worker``
processes, and by default also a thread of the process that queued it (``runner``: the single
user's dashboard works as before, with no worker to start). ``THREADWATCH_WORKERS=external``
turns that thread off, leaving the work to the worker processes. Jobs, their progress and their
errors live in the ``jobs`` table (moderation/store/jobs.py), so a job survives the restart of
the process that queued it or ran it, and every dashboard server lists the same jobs.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from moderation.pipeline import import_jobs
from moderation.pipeline.import_jobs import ImportOptions
from moderation.pipeline.job_kinds import Progress
from moderation.pipeline.versions import ActiveRules
from moderation.pipeline.worker import Worker
from moderation.store import Store
from moderation.store import jobs as queue
from moderation.store.jobs import DEFAULT_MAX_ATTEMPTS, Job, JobState

if TYPE_CHECKING:
    from moderation.scoring import Scorer

log = logging.getLogger(__name__)

_ERRORS_BEFORE_EXIT = 30  # an in-process worker whose database is gone stops (restarted on use)

__all__ = [
    "Job",
    "JobRunner",
    "JobState",
    "Progress",
    "apply_rules_job",
    "enqueue",
    "finish_interrupted_work",
    "get",
    "import_job",
    "learn_job",
    "recent",
    "runner",
    "score_job",
]


def enqueue(
    store: Store,
    kind: str,
    name: str,
    payload: Mapping[str, Any],
    *,
    key: str | None = None,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
) -> Job:
    """Queue a job of ``kind`` (see moderation/pipeline/job_kinds.py); with ``key``, the job of
    that key still queued or running is returned instead of queueing the same work twice."""
    return store.write(
        lambda conn: queue.enqueue(conn, kind, name, payload, key=key, max_attempts=max_attempts)
    )


def get(store: Store, job_id: int) -> Job | None:
    with store.engine.connect() as conn:
        return queue.get(conn, job_id)


def recent(store: Store, *, limit: int = 20) -> list[Job]:
    """The jobs to show, newest first, whichever process queued or runs them; one that found
    nothing to do is left out once done."""
    with store.engine.connect() as conn:
        found = queue.recent(conn, limit=limit)
    return [j for j in found if not (j.state == "done" and j.result is None)]


def _scorer_from_settings() -> Scorer:
    from moderation.scoring import build_scorer
    from moderation.settings import load_settings

    return build_scorer(load_settings())


@dataclass
class _Served:
    store: Store
    scorer: Callable[[], Scorer]
    wake: threading.Event
    thread: threading.Thread | None = None


class JobRunner:
    """The in-process worker: one thread per database, started when a job is queued (or at a
    dashboard session's start), gone once the queue has nothing unfinished. With ``external``
    it runs nothing: ``moderation worker`` processes do."""

    def __init__(self, *, external: bool = False, poll: float = 1.0) -> None:
        self.external = external
        self.poll = poll
        self._served: dict[str, _Served] = {}
        self._lock = threading.Lock()

    def serve(self, store: Store, scorer: Callable[[], Scorer] | None = None) -> None:
        """Make sure a thread claims ``store``'s jobs now. ``scorer`` builds the model for kinds
        that run it (default: from the settings); the first one given is kept."""
        if self.external:
            return
        with self._lock:
            served = self._served.get(store.url)
            if served is None:
                served = _Served(store, scorer or _scorer_from_settings, threading.Event())
                self._served[store.url] = served
            elif scorer is not None and served.scorer is _scorer_from_settings:
                served.scorer = scorer
            served.wake.set()
            if served.thread is None or not served.thread.is_alive():
                served.thread = threading.Thread(
                    target=self._loop, args=(served,), name="threadwatch-jobs", daemon=True
                )
                served.thread.start()

    def _loop(self, served: _Served) -> None:
        worker = Worker(served.store, lambda: served.scorer())
        errors = 0
        while True:
            served.wake.clear()
            try:
                if worker.run_one() is not None:
                    errors = 0
                    continue
                with served.store.engine.connect() as conn:
                    left = queue.unfinished(conn)
            except Exception:  # the database went away for a moment: poll again
                errors += 1
                log.warning("background jobs: cannot reach the queue", exc_info=errors == 1)
                if errors < _ERRORS_BEFORE_EXIT:
                    served.wake.wait(self.poll)
                    continue
                left = 0
            with self._lock:
                # Under the lock: a job queued after our look has woken us (serve sets the
                # event under this lock), so we never leave it behind.
                if left == 0 and not served.wake.is_set():
                    served.thread = None
                    return
            # Jobs left but none claimable now (a retry's backoff, another worker's job).
            served.wake.wait(self.poll)

    def jobs(self) -> list[Job]:
        """Jobs of every database this runner serves, newest first (see ``recent``)."""
        with self._lock:
            stores = [s.store for s in self._served.values()]
        found = [j for store in stores for j in recent(store)]
        return sorted(found, key=lambda j: j.created_at, reverse=True)

    def wait(self, timeout: float = 600.0) -> None:
        """Block until this runner's threads have nothing unfinished left (tests, CLI)."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                threads = [s.thread for s in self._served.values() if s.thread is not None]
            if not threads:
                return
            for thread in threads:
                thread.join(max(deadline - time.monotonic(), 0))
                if thread.is_alive():
                    raise TimeoutError("background jobs still running")


runner = JobRunner()


def apply_rules_job(
    store: Store,
    version: int,
    rules_path: Path,
    *,
    model_id: str | None,
    actor: str | None = None,
    jobs: JobRunner = runner,
) -> Job:
    """Queue the re-flag of pending ``version`` and its switch to active (saves, rollbacks).
    Re-flags run one at a time in the order they were queued."""
    job = enqueue(
        store,
        "reflag",
        f"re-flag for rule set v{version}",
        {
            "version": version,
            "rules_path": str(rules_path),
            "model_id": model_id,
            "actor": actor,
        },
        key=f"apply-v{version}",
    )
    jobs.serve(store)
    return job


def score_job(store: Store, rules_path: Path, *, jobs: JobRunner = runner) -> Job:
    """Queue a scoring backfill: what the worker's model has not scored, then the flags."""
    job = enqueue(
        store, "score", "score unscored texts", {"rules_path": str(rules_path)}, key="score"
    )
    jobs.serve(store)
    return job


def learn_job(
    store: Store,
    rules: ActiveRules,
    scorer: Callable[[], Scorer],
    *,
    actor: str,
    enabled: bool,
    jobs: JobRunner = runner,
) -> Job:
    """Queue a training of the site's learned model on the moderators' decisions (audited as
    ``actor``), then its predictions for the queues. Seconds on the seed data, more as decisions
    grow: so never in a session's run. ``scorer`` builds the model for this process's worker
    (it may still load); a worker process builds its own from its settings."""
    job = enqueue(
        store,
        "learn",
        "train the learned model",
        {
            "rule_set_version": rules.version,
            # Its list files resolve in the rules folder (``base_dir`` is set on every
            # version loaded from the store or rules.yaml).
            "rules_dir": str(rules.base_dir or Path(".")),
            "actor": actor,
            "enabled": enabled,
        },
        key="learn-model",
    )
    jobs.serve(store, scorer)
    return job


def finish_interrupted_work(
    store: Store,
    rules_path: Path,
    scorer: Callable[[], Scorer],
    *,
    jobs: JobRunner = runner,
) -> Job:
    """At start: finish, in the background, whatever an interrupted run left (texts without
    scores, comments the active version has not evaluated, a pending version, and any job a
    killed process left running). The check runs on the worker too (a full scan on a big
    database), so a session's start does not wait for it; a job that finds nothing is not
    listed. ``scorer`` is called on the worker: it may wait for a model still loading, which a
    session's start must never do."""
    job = enqueue(
        store,
        "finish-interrupted",
        "finish interrupted work",
        {"rules_path": str(rules_path)},
        key="finish-interrupted-work",
    )
    jobs.serve(store, scorer)
    return job


def import_job(
    store: Store, files: list[Path], options: ImportOptions, *, jobs: JobRunner = runner
) -> Job:
    """Queue an import of ``files`` (each fingerprinted now: a worker refuses one that changed
    since); the same request while its job is unfinished returns that job."""
    payload = import_jobs.payload(files, options)
    job = enqueue(
        store,
        import_jobs.KIND,
        import_jobs.describe(files),
        payload,
        key=import_jobs.dedupe_key(payload),
    )
    jobs.serve(store)
    return job
