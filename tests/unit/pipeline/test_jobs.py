"""Background jobs end to end: queued in the database, run by a worker (the in-process runner
or another process), resumed after the worker is killed, retried with a limit."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from moderation.pipeline import faults, jobs, rule_edits
from moderation.pipeline.ingest import ingest
from moderation.pipeline.versions import load_active_rules
from moderation.pipeline.worker import Worker
from moderation.scoring import MiniLMHeadsScorer
from moderation.store import Store
from moderation.store import jobs as queue
from moderation.store.rulesets import active_version
from tests.resume_helpers import ROOT, env, snapshot


def _seeded(store: Store, seeds: list[Path], rules_path: Path, scorer: MiniLMHeadsScorer) -> None:
    ingest(seeds, store, scorer=scorer, rules=load_active_rules(store, rules_path))


def _job(store: Store, job: jobs.Job) -> jobs.Job:
    found = jobs.get(store, job.id)
    assert found is not None
    return found


def test_two_saves_in_a_row_end_with_the_second_active(
    store: Store,
    seeds: list[Path],
    rules_path: Path,
    ww3_rule: str,
    offline_scorer: MiniLMHeadsScorer,
) -> None:
    _seeded(store, seeds, rules_path, offline_scorer)
    runner = jobs.JobRunner()
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
    queued = [
        jobs.apply_rules_job(
            store, v.version, rules_path, model_id=offline_scorer.model_id, jobs=runner
        )
        for v in (first, second)
    ]
    runner.wait(60)
    assert active_version(store) == second.version == 3
    done = [_job(store, j) for j in queued]
    assert done[0].result is not None and "is active" in done[0].result
    assert done[1].result == "rule set v3 is active"
    # A dashboard session's start, with nothing interrupted: a job that is never listed.
    start = jobs.finish_interrupted_work(store, rules_path, lambda: offline_scorer, jobs=runner)
    runner.wait(60)
    assert (_job(store, start).state, _job(store, start).result) == ("done", None)
    assert [j.name for j in jobs.recent(store)] == [
        "re-flag for rule set v3",
        "re-flag for rule set v2",
    ]


# The retry rules themselves run on both databases in tests/unit/store/test_job_queue.py.
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_failing_job_is_retried_up_to_its_limit_and_its_error_shown(
    store: Store, rules_path: Path, offline_scorer: MiniLMHeadsScorer
) -> None:
    rules = load_active_rules(store, rules_path)
    # Queued by a dashboard that leaves the work to worker processes.
    job = jobs.learn_job(
        store,
        rules,
        lambda: offline_scorer,
        actor="ed",
        enabled=True,
        jobs=jobs.JobRunner(external=True),
    )
    assert _job(store, job).state == "queued"
    worker = Worker(store, lambda: offline_scorer, retry_base=timedelta(0))
    assert worker.serve(once=True) == 3  # no human decisions to learn from, three times
    failed = _job(store, job)
    assert (failed.state, failed.attempts) == ("failed", 3)
    assert failed.error is not None and failed.error.startswith("LearnError: ")
    assert jobs.recent(store)[0].error == failed.error


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_reflag_resumes_after_its_worker_is_killed_and_ends_as_an_uninterrupted_one(
    store: Store,
    tmp_path: Path,
    seeds: list[Path],
    rules_path: Path,
    ww3_rule: str,
    offline_scorer: MiniLMHeadsScorer,
) -> None:
    model_id = offline_scorer.model_id
    _seeded(store, seeds, rules_path, offline_scorer)
    saved = rule_edits.save_version(
        store, rules_path.read_text() + ww3_rule, rules_path, actor="ed", message="ww3"
    )
    jobs.apply_rules_job(
        store, saved.version, rules_path, model_id=model_id, jobs=jobs.JobRunner(external=True)
    )
    copy = tmp_path / "reference.db"
    with store.engine.connect() as conn:  # the same queue, run without interruption
        conn.exec_driver_sql(f"VACUUM INTO '{copy}'")
    reference = Store.open(f"sqlite:///{copy}")
    assert Worker(reference, lambda: offline_scorer).serve(once=True) == 1
    # A real worker process, killed -9 in its second batch of flags (30 comments, 10 a batch).
    killed = subprocess.run(
        [sys.executable, "-m", "moderation", "--db", store.url, "worker", "--once"],
        env=env(rules_path, **{faults.KILL_ENV: "flag:2", faults.BATCH_ENV: "10"}),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert killed.returncode == -9, killed.stderr
    with store.engine.connect() as conn:
        [left] = queue.recent(conn)
    assert (left.state, left.attempts, left.done, left.total) == ("running", 1, 10, 30)
    assert snapshot(store.url, model_id).pending == 2  # half applied: v1 still in force
    worker = Worker(store, lambda: offline_scorer)
    assert worker.claim() is None  # not while the dead worker's lease holds
    later = queue.now() + timedelta(minutes=5)
    resumed = store.write(lambda conn: queue.claim(conn, worker.id, lease=worker.lease, at=later))
    assert resumed is not None and resumed.id == left.id
    finished = worker.run(resumed)
    assert (finished.state, finished.attempts) == ("done", 2)
    expected, found = snapshot(reference.url, model_id), snapshot(store.url, model_id)
    assert (found.active, found.pending, found.unevaluated) == (2, None, 0)
    assert found.statuses == expected.statuses and found.flags == expected.flags
    reference.close()
