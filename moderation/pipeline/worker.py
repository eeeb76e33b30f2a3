"""A worker: claims jobs from the database's queue (moderation/store/jobs.py) and runs them.

``moderation worker`` runs one in its own process; the dashboard runs one on a thread unless
``THREADWATCH_WORKERS=external``. While a job runs its lease is renewed (by its progress, at most
every PROGRESS_EVERY_S, and by a heartbeat thread for steps that report none), so a worker that
dies (kill -9, a lost machine) lets go of its job within LEASE and another worker resumes it.
A failed attempt is queued again after a backoff until the job's attempts are used up (at once
failed for good on a JobRefusedError: an import's file gone or changed); a stop
asked for (SIGTERM) takes effect at the job's next step, and the job goes back to the queue.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from moderation.errors import JobRefusedError
from moderation.pipeline.job_kinds import JobContext, handler_for
from moderation.store import Store
from moderation.store import jobs as queue
from moderation.store.jobs import Job

if TYPE_CHECKING:
    from moderation.scoring import Scorer

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=30)
PROGRESS_EVERY_S = 0.5  # progress writes, at most; the last one of a phase always goes
RETRY_BASE = timedelta(seconds=5)  # then 10 s, 20 s, ...


class _Stop(BaseException):
    """Unwinds a job at its next step. A BaseException: pipeline code that handles Exception
    must not swallow it."""


class _Stopping(_Stop):
    pass


class _LeaseLost(_Stop):
    pass


class Worker:
    def __init__(
        self,
        store: Store,
        scorer: Callable[[], Scorer],
        *,
        worker_id: str | None = None,
        lease: timedelta = LEASE,
        retry_base: timedelta = RETRY_BASE,
        stop: threading.Event | None = None,
    ) -> None:
        self.store = store
        self.scorer = scorer
        self.id = worker_id or queue.new_worker_id()
        self.lease = lease
        self.retry_base = retry_base
        self.stop = stop or threading.Event()

    def claim(self) -> Job | None:
        return self.store.write(lambda conn: queue.claim(conn, self.id, lease=self.lease))

    def run_one(self) -> Job | None:
        """Claim one job and run it; the job as it ended (None: nothing was claimable)."""
        job = self.claim()
        if job is None:
            return None
        return self.run(job)

    def run(self, job: Job) -> Job:
        """Run ``job`` (claimed by this worker) to its end: done, queued again or failed."""
        started = time.monotonic()
        beat = _Heartbeat(self, job)
        context = JobContext(self.store, self.scorer, beat.progress)
        beat.start()
        try:
            result = handler_for(job.kind)(context, job.payload)
        except _LeaseLost:
            log.warning("job %s (%s): lost to another worker (lease expired)", job.id, job.name)
            return self._reread(job)
        except _Stopping:
            self.store.write(lambda conn: queue.release(conn, job.id, self.id))
            log.info("job %s (%s): stopped; back in the queue", job.id, job.name)
            return self._reread(job)
        except JobRefusedError as exc:  # its input is gone or changed: retries cannot help
            return self._failed(job, f"{exc.__class__.__name__}: {exc}", permanent=True)
        except Exception as exc:  # a failed job must not kill the worker
            log.debug("job %s failed", job.id, exc_info=True)
            return self._failed(job, f"{exc.__class__.__name__}: {exc}")
        finally:
            beat.end()
        if not self.store.write(lambda conn: queue.finish(conn, job.id, self.id, result)):
            log.warning("job %s (%s): finished, but another worker holds it", job.id, job.name)
        else:
            log.info(
                "job %s (%s): done in %.1fs: %s",
                job.id,
                job.name,
                time.monotonic() - started,
                result or "nothing to do",
            )
        return self._reread(job)

    def _failed(self, job: Job, error: str, *, permanent: bool = False) -> Job:
        retry_after = self.retry_base * 2 ** max(job.attempts - 1, 0)
        after = self.store.write(
            lambda conn: queue.fail(
                conn, job.id, self.id, error, retry_after=retry_after, permanent=permanent
            )
        )
        if after is None:
            log.warning("job %s (%s): failed, but another worker holds it", job.id, job.name)
            return self._reread(job)
        if after.state == "failed":
            log.error(
                "job %s (%s): failed after %s attempts: %s",
                job.id,
                job.name,
                after.attempts,
                after.error,
            )
        else:
            log.warning(
                "job %s (%s): attempt %s of %s failed, retried in %.0fs: %s",
                job.id,
                job.name,
                after.attempts,
                after.max_attempts,
                retry_after.total_seconds(),
                after.error,
            )
        return after

    def _reread(self, job: Job) -> Job:
        with self.store.engine.connect() as conn:
            return queue.get(conn, job.id) or job

    def serve(self, *, once: bool = False, poll: float = 2.0, max_jobs: int | None = None) -> int:
        """Run jobs until stopped (``stop`` set), ``max_jobs`` have run, or, with ``once``, the
        queue has nothing claimable; waits ``poll`` seconds when idle. Returns the jobs run."""
        ran = 0
        while not self.stop.is_set() and (max_jobs is None or ran < max_jobs):
            if self.run_one() is not None:
                ran += 1
                continue
            if once:
                break
            self.stop.wait(poll)
        return ran


class _Heartbeat:
    """The running job's lease and progress: written by its progress callback (throttled) and
    by a thread every third of the lease, for steps that report no progress for a while."""

    def __init__(self, worker: Worker, job: Job) -> None:
        self.worker, self.job = worker, job
        self._progress: tuple[int, int] | None = None
        self._written_at = 0.0
        self._lost = threading.Event()
        self._ended = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(
            target=self._beat, name=f"threadwatch-job-{job.id}-heartbeat", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def end(self) -> None:
        self._ended.set()
        self._thread.join()

    def progress(self, done: int, total: int) -> None:
        if self.worker.stop.is_set():
            raise _Stopping
        if self._lost.is_set():
            raise _LeaseLost
        with self._lock:
            self._progress = (done, total)
        if done < total and time.monotonic() - self._written_at < PROGRESS_EVERY_S:
            return
        if not self._write():
            raise _LeaseLost

    def _write(self) -> bool:
        with self._lock:
            current = self._progress
            self._written_at = time.monotonic()
        worker, job_id = self.worker, self.job.id
        kept = worker.store.write(
            lambda conn: queue.heartbeat(
                conn, job_id, worker.id, lease=worker.lease, progress=current
            )
        )
        if not kept:
            self._lost.set()
        return kept

    def _beat(self) -> None:
        every = self.worker.lease.total_seconds() / 3
        while not self._ended.wait(every):
            try:
                if not self._write():
                    return
            except Exception:  # a database hiccup: the next beat tries again
                log.warning("job %s: heartbeat failed", self.job.id, exc_info=True)
