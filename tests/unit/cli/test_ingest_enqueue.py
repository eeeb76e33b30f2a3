"""``moderation ingest --enqueue`` through moderation/cli/main.py: one job per call, a worker
process of the CLI runs it, ``moderation jobs`` lists it; a missing path queues nothing."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from moderation.cli.main import main
from moderation.pipeline import jobs
from moderation.store import Store
from tests.conftest import SEED_000


def test_enqueue_queues_one_job_that_a_worker_runs(
    tmp_path: Path,
    rules_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("THREADWATCH_RULES_PATH", str(rules_path))
    monkeypatch.setenv("THREADWATCH_MODEL", "offline")
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    seed = shutil.copy(SEED_000, tmp_path / "seed.txt")
    assert main(["--db", url, "ingest", "--enqueue", str(seed), str(tmp_path / "nope")]) == 2
    assert f"error: {tmp_path / 'nope'}: no such file or folder" in capsys.readouterr().err
    store = Store.open(url)
    assert jobs.recent(store) == []  # nothing of a request with a missing path is queued
    assert main(["--db", url, "ingest", "--enqueue", "--no-score", str(seed)]) == 0
    assert main(["--db", url, "ingest", "--enqueue", "--no-score", str(seed)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == ["job 1 queued: import seed.txt (1 files)"] * 2  # the same request: once
    [queued] = jobs.recent(store)
    assert (queued.payload["score"], queued.payload["rules_path"]) == (False, str(rules_path))
    with caplog.at_level(logging.INFO, logger="moderation"):
        assert main(["--db", url, "worker", "--once", "--poll", "0.1"]) == 0
    done = jobs.get(store, queued.id)
    assert done is not None and done.state == "done" and done.result is not None
    assert done.result.startswith("1 new, 0 updated, 0 unchanged, 0 failed (31 comments seen")
    assert "texts scored" not in done.result and "flagged by rule set v1" in done.result
    assert main(["--db", url, "jobs"]) == 0
    assert "done     import seed.txt  1/1" in capsys.readouterr().out
    store.close()
