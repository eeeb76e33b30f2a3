"""Background jobs run in submission order, report progress, and survive a failing job."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from moderation.pipeline import rule_edits
from moderation.pipeline.ingest import ingest
from moderation.pipeline.jobs import JobRunner, Progress, apply_rules_job, finish_interrupted_work
from moderation.pipeline.versions import load_active_rules
from moderation.scoring import MiniLMHeadsScorer
from moderation.store import Store
from moderation.store.rulesets import active_version


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


def test_work_with_a_key_is_not_queued_twice() -> None:
    runner = JobRunner()
    gate = threading.Event()
    first = runner.submit("apply v2", lambda _p: str(gate.wait(5)), key="apply-v2")
    again = runner.submit("apply v2", lambda _p: "second", key="apply-v2")
    other = runner.submit("apply v3", lambda _p: "third", key="apply-v3")
    assert again is first and other is not first
    gate.set()
    runner.wait(10)
    later = runner.submit("apply v2", lambda _p: "later", key="apply-v2")
    runner.wait(10)
    assert later is not first and later.result == "later"  # a finished job does not block


def test_nothing_is_shown_at_start_when_nothing_was_interrupted(
    store: Store, seeds: list[Path], rules_path: Path
) -> None:
    scorer = MiniLMHeadsScorer()
    ingest(seeds, store, scorer=scorer, rules=load_active_rules(store, rules_path))
    runner = JobRunner()
    job = finish_interrupted_work(store, rules_path, lambda: scorer, jobs=runner)
    runner.wait(60)
    assert (job.state, job.result) == ("done", None)
    assert runner.jobs() == []  # nothing to show on the Rules page


def test_two_saves_in_a_row_end_with_the_second_active(
    store: Store, seeds: list[Path], rules_path: Path, ww3_rule: str
) -> None:
    scorer = MiniLMHeadsScorer()
    ingest(seeds, store, scorer=scorer, rules=load_active_rules(store, rules_path))
    runner = JobRunner()
    gate = threading.Event()
    runner.submit("hold the worker", lambda _p: str(gate.wait(10)))
    first = rule_edits.save_version(
        store, rules_path.read_text() + ww3_rule, rules_path, actor="ed", message="a"
    )
    second = rule_edits.save_version(
        store,
        rules_path.read_text().replace("ww3]", "ww3, wwiii]"),
        rules_path,
        actor="ed",
        message="b",
    )
    jobs = [
        apply_rules_job(store, v.version, rules_path, model_id=scorer.model_id, jobs=runner)
        for v in (first, second)
    ]
    gate.set()
    runner.wait(60)
    assert active_version(store) == second.version == 3
    assert jobs[0].result is not None and "is active" in jobs[0].result
    assert jobs[1].result == "rule set v3 is active"
