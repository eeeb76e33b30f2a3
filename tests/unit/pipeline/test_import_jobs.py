"""Import jobs (``moderation ingest --enqueue``): a real worker process killed -9 mid-import and a
later worker taking the job over end with the database of an uninterrupted import; a file gone
or changed since it was queued fails the job at once with its reason."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest

from moderation.parsing.worker import ParseBudget
from moderation.pipeline import faults, jobs
from moderation.pipeline.import_jobs import ImportOptions
from moderation.pipeline.worker import Worker
from moderation.scoring import MiniLMHeadsScorer
from moderation.store import Store, deferred_indexes
from moderation.store import jobs as queue
from tests.conftest import SAMPLE_DATA, fresh_postgres_database
from tests.resume_helpers import ROOT, env, rows, snapshot, write_corpus

EXTERNAL = jobs.JobRunner(external=True)  # the tests' processes only queue


def _options(rules_path: Path, *, bulk: bool = False) -> ImportOptions:
    return ImportOptions(
        rules_path=rules_path, column_map={}, bulk=bulk, budget=ParseBudget(seconds=60)
    )


def _files(folder: Path) -> list[Path]:
    return sorted(write_corpus(folder, sorted(SAMPLE_DATA.glob("*.txt"))).glob("*.jsonl"))


@contextmanager
def _reference_url(
    database_url: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[str]:
    """A second, empty database of the same kind, for the uninterrupted run."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'reference.db'}"
        return
    with fresh_postgres_database(request.getfixturevalue("postgres_admin_url")) as url:
        yield url


@pytest.mark.parametrize(("bulk", "kill_at"), [(False, "store:3"), (True, "store:1")])
def test_an_import_resumes_after_its_worker_is_killed_and_ends_as_an_uninterrupted_one(
    store: Store,
    database_url: str,
    tmp_path: Path,
    rules_path: Path,
    offline_scorer: MiniLMHeadsScorer,
    request: pytest.FixtureRequest,
    bulk: bool,
    kill_at: str,
) -> None:
    files = _files(tmp_path / "files")  # 4 files of 2 articles, 240 comments
    options = _options(rules_path, bulk=bulk)
    with _reference_url(database_url, tmp_path, request) as reference_url:
        reference = Store.open(reference_url)
        jobs.import_job(reference, files, options, jobs=EXTERNAL)
        assert Worker(reference, lambda: offline_scorer).serve(once=True) == 1
        [uninterrupted] = jobs.recent(reference)
        assert uninterrupted.state == "done" and uninterrupted.result is not None
        assert uninterrupted.result.startswith("8 new, 0 updated, 0 unchanged, 0 failed")

        queued = jobs.import_job(store, files, options, jobs=EXTERNAL)
        # A real worker process, killed -9 after its third article (or bulk batch) is stored.
        killed = subprocess.run(
            [sys.executable, "-m", "moderation", "--db", database_url, "worker", "--once"],
            env=env(rules_path, **{faults.KILL_ENV: kill_at}),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert killed.returncode == -9, killed.stderr
        left = jobs.get(store, queued.id)
        assert left is not None and (left.state, left.attempts) == ("running", 1)
        assert left.done < left.total or bulk  # a bulk load stores its one batch at the end
        assert snapshot(database_url, offline_scorer.model_id).unevaluated > 0  # half done
        sqlite_bulk = bulk and database_url.startswith("sqlite")
        with store.engine.connect() as conn:  # a bulk load into an empty table set them aside
            assert bool(deferred_indexes.missing(conn)) is sqlite_bulk

        worker = Worker(store, lambda: offline_scorer)
        assert worker.claim() is None  # not while the dead worker's lease holds
        later = queue.now() + timedelta(minutes=5)
        resumed = store.write(
            lambda conn: queue.claim(conn, worker.id, lease=worker.lease, at=later)
        )
        assert resumed is not None and resumed.id == queued.id
        finished = worker.run(resumed)
        assert (finished.state, finished.attempts) == ("done", 2), finished.error
        found = rows(database_url)
        assert found == rows(reference_url)
        assert len(found["comments"]) == 240 and found["flags"] and found["audit_log"]
        assert len(found["evaluations"]) == 240 and bool(found["scores"]) is not bulk
        with store.engine.connect() as conn:  # the resumed load built them
            assert deferred_indexes.missing(conn) == []
        reference.close()


@pytest.mark.parametrize("change", ["edited", "deleted"])
def test_a_file_changed_or_gone_since_it_was_queued_fails_the_job_at_once(
    store: Store,
    database_url: str,
    tmp_path: Path,
    rules_path: Path,
    offline_scorer: MiniLMHeadsScorer,
    change: str,
) -> None:
    first, second, *_ = _files(tmp_path / "files")
    job = jobs.import_job(store, [first, second], _options(rules_path), jobs=EXTERNAL)
    if change == "edited":
        second.write_text(second.read_text().replace("Story", "Tale"))
    else:
        second.unlink()
    worker = Worker(store, lambda: offline_scorer, retry_base=timedelta(0))
    assert worker.serve(once=True) == 1  # no retries: they could not bring the file back
    failed = jobs.get(store, job.id)
    assert failed is not None and (failed.state, failed.attempts) == ("failed", 1)
    reason = "changed since it was queued (" if change == "edited" else "no such file (it was there"
    error = failed.error or ""
    assert error == error.splitlines()[0]
    assert error.startswith(f"JobRefusedError: {second}: {reason}"), error
    # Every file is checked before anything is stored: the unchanged first file is not.
    assert rows(database_url)["comments"] == []


def test_the_same_request_is_queued_once_while_unfinished(
    store: Store, tmp_path: Path, rules_path: Path
) -> None:
    files = _files(tmp_path / "files")
    first = jobs.import_job(store, files, _options(rules_path), jobs=EXTERNAL)
    again = jobs.import_job(store, files, _options(rules_path), jobs=EXTERNAL)
    other = jobs.import_job(store, files[:1], _options(rules_path), jobs=EXTERNAL)
    assert again.id == first.id and other.id != first.id
    assert first.name == "import 4 files (part-0.jsonl, …)"
    assert other.name == "import part-0.jsonl"
    entry = first.payload["files"][0]
    assert entry["path"] == str(files[0].resolve()) and len(entry["sha256"]) == 64
