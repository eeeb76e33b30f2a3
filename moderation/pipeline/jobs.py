"""Background jobs (re-flagging after a rules change, training the site's learned model) with
progress, one at a time, in order.

One worker thread per process: jobs run in submission order, so re-flags for v2 then v3 can
never finish the other way round and leave v2's queue assignments in force.

The runner keeps nothing that matters: what is left to do is always read from the database
(pending rule-set versions, comments without scores or evaluations), so a job lost with its
process is found again by ``finish_interrupted_work`` at the next start.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from moderation.pipeline import ingest, reflag
from moderation.pipeline.versions import ActiveRules
from moderation.scoring import learned
from moderation.store import Store, rulesets, work

if TYPE_CHECKING:
    from moderation.scoring import Scorer

log = logging.getLogger(__name__)

JobState = Literal["queued", "running", "done", "failed"]
Progress = Callable[[int, int], None]
_KEEP = 20  # finished jobs remembered for display


@dataclass
class Job:
    id: int
    name: str
    key: str | None = None  # jobs with one key are not queued twice
    state: JobState = "queued"
    done: int = 0
    total: int = 0
    result: str | None = None
    error: str | None = None
    submitted_at: float = field(default_factory=time.time)
    finished_at: float | None = None

    @property
    def fraction(self) -> float:
        if self.state == "done":
            return 1.0
        return self.done / self.total if self.total else 0.0

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")


class JobRunner:
    def __init__(self) -> None:
        self._queue: queue.Queue[tuple[Job, Callable[[Progress], str | None]]] = queue.Queue()
        self._jobs: list[Job] = []
        self._lock = threading.Lock()
        self._worker: threading.Thread | None = None
        self._next_id = 1

    def submit(
        self, name: str, work: Callable[[Progress], str | None], *, key: str | None = None
    ) -> Job:
        """Queue ``work(progress) -> summary``; returns at once. With ``key``, a job of that key
        still queued or running is returned instead of queueing the same work twice (every
        session of the dashboard asks for the interrupted work at its start)."""
        with self._lock:
            if key is not None:
                for existing in self._jobs:
                    if existing.key == key and not existing.finished:
                        return existing
            job = Job(self._next_id, name, key)
            self._next_id += 1
            self._jobs.append(job)
            self._jobs = [j for j in self._jobs if not j.finished][-_KEEP:] + [
                j for j in self._jobs if j.finished
            ][-_KEEP:]
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(
                    target=self._run, name="threadwatch-jobs", daemon=True
                )
                self._worker.start()
        self._queue.put((job, work))
        return job

    def jobs(self) -> list[Job]:
        """Jobs newest first; one that found nothing to do (its work returned None) is left
        out once done."""
        with self._lock:
            shown = [j for j in self._jobs if not (j.state == "done" and j.result is None)]
            return sorted(shown, key=lambda j: j.id, reverse=True)

    def wait(self, timeout: float = 600.0) -> None:
        """Block until every submitted job has finished (tests, CLI)."""
        deadline = time.monotonic() + timeout
        while any(not j.finished for j in self.jobs()):
            if time.monotonic() > deadline:
                raise TimeoutError("background jobs still running")
            time.sleep(0.05)

    def _run(self) -> None:
        while True:
            job, work = self._queue.get()
            job.state = "running"

            def progress(done: int, total: int, job: Job = job) -> None:
                job.done, job.total = done, total

            try:
                job.result = work(progress)
                job.state = "done"
            except Exception as exc:  # a failed job must not kill the worker
                log.exception("background job %s failed", job.name)
                job.error = f"{exc.__class__.__name__}: {exc}"
                job.state = "failed"
            finally:
                job.finished_at = time.time()
                self._queue.task_done()


runner = JobRunner()


def apply_rules_job(
    store: Store, version: int, rules_path: Path, *, model_id: str | None, jobs: JobRunner = runner
) -> Job:
    """Queue the re-flag of pending ``version`` and its switch to active (saves, rollbacks)."""

    def work(progress: Progress) -> str:
        # Whatever is pending now: a later save may have superseded ``version`` meanwhile.
        report = reflag.apply_pending(store, rules_path, model_id=model_id, progress=progress)
        active = rulesets.active_version(store)
        if active is not None and active > version:
            return f"rule set v{version} was superseded; v{active} is active"
        if report is None:
            return f"rule set v{version} is active"
        return report.summary()

    return jobs.submit(f"re-flag for rule set v{version}", work, key=f"apply-v{version}")


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
    grow: so never in a session's run. ``scorer`` is called on the worker (it may still load)."""

    def work(progress: Progress) -> str:
        result = learned.learn(
            store,
            rules=rules.ruleset,
            rule_set_version=rules.version,
            scorer=learned.offline_for(scorer()),
            actor=actor,
            enabled=enabled,
        )
        return (
            f"Learned model v{result.version} trained on {result.decisions} human decisions "
            f"({result.rejections} rejections); {result.predicted} queued comments predicted"
        )

    return jobs.submit("train the learned model", work, key="learn-model")


def finish_interrupted_work(
    store: Store,
    rules_path: Path,
    scorer: Callable[[], Scorer],
    *,
    jobs: JobRunner = runner,
) -> Job:
    """At start: finish, in the background, whatever an interrupted run left (texts without
    scores, comments the active version has not evaluated, a pending version). The check runs on
    the worker too (a full scan on a big database), so a session's start does not wait for it;
    a job that finds nothing is not listed. ``scorer`` is called on the worker: it may wait for a
    model still loading, which a session's start must never do."""

    def run(progress: Progress) -> str | None:
        active = scorer()
        model_id = active.model_id
        with store.engine.connect() as conn:
            pointer = rulesets.read_pointer(conn)
            unscored = work.any_unscored(conn, model_id)
            unevaluated = pointer.active is not None and work.any_unevaluated(
                conn, pointer.active, model_id
            )
        if not (unscored or unevaluated or pointer.pending is not None):
            return None
        scored = ingest.score_missing(store, active, progress=progress)
        report = reflag.complete(store, rules_path, model_id=model_id, progress=progress)
        return f"finished interrupted work: {scored} texts scored; {report.summary()}"

    return jobs.submit("finish interrupted work", run, key="finish-interrupted-work")
