"""Background jobs run in submission order, report progress, and survive a failing job."""

from __future__ import annotations

import threading
from collections.abc import Callable

from moderation.jobs import JobRunner, Progress


def test_jobs_run_in_order_with_progress() -> None:
    runner = JobRunner()
    order: list[str] = []
    gate = threading.Event()

    def work(name: str) -> Callable[[Progress], str]:
        def run(progress: Progress) -> str:
            gate.wait(5)
            progress(1, 2)
            order.append(name)
            progress(2, 2)
            return f"{name} done"

        return run

    first = runner.submit("first", work("first"))
    second = runner.submit("second", work("second"))
    assert second.state == "queued"
    gate.set()
    runner.wait(10)
    assert order == ["first", "second"]
    assert (first.result, first.fraction, second.state) == ("first done", 1.0, "done")
    assert [j.name for j in runner.jobs()] == ["second", "first"]


def test_a_failing_job_is_reported_and_the_worker_goes_on() -> None:
    runner = JobRunner()

    def boom(_progress: Progress) -> str:
        raise RuntimeError("disk full")

    failed = runner.submit("boom", boom)
    ok = runner.submit("ok", lambda _p: "fine")
    runner.wait(10)
    assert (failed.state, failed.error) == ("failed", "RuntimeError: disk full")
    assert ok.result == "fine"
