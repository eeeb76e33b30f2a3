"""Background jobs (re-flagging after a rules change) with progress, one at a time, in order.

One worker thread per process: jobs run in submission order, so re-flags for v2 then v3 can
never finish the other way round and leave v2's queue assignments in force.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

log = logging.getLogger(__name__)

JobState = Literal["queued", "running", "done", "failed"]
Progress = Callable[[int, int], None]
_KEEP = 20  # finished jobs remembered for display


@dataclass
class Job:
    id: int
    name: str
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
        self._queue: queue.Queue[tuple[Job, Callable[[Progress], str]]] = queue.Queue()
        self._jobs: list[Job] = []
        self._lock = threading.Lock()
        self._worker: threading.Thread | None = None
        self._next_id = 1

    def submit(self, name: str, work: Callable[[Progress], str]) -> Job:
        """Queue ``work(progress) -> summary``; returns at once."""
        with self._lock:
            job = Job(self._next_id, name)
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
        with self._lock:
            return sorted(self._jobs, key=lambda j: j.id, reverse=True)

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
