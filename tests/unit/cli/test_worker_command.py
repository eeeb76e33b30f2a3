"""``moderation worker`` and ``moderation jobs`` through moderation/cli/main.py."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from moderation.cli.main import main
from moderation.pipeline import jobs
from moderation.pipeline.versions import load_active_rules
from moderation.store import Store


def test_a_worker_runs_the_queue_once_and_the_jobs_command_lists_it(
    tmp_path: Path,
    rules_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    store = Store.open(url)
    version = load_active_rules(store, rules_path).version
    queued = jobs.apply_rules_job(
        store, version, rules_path, model_id=None, jobs=jobs.JobRunner(external=True)
    )
    with caplog.at_level(logging.INFO, logger="moderation"):
        assert main(["--db", url, "worker", "--once", "--poll", "0.1", "--max-jobs", "5"]) == 0
    done = jobs.get(store, queued.id)
    assert done is not None and (done.state, done.result) == ("done", "rule set v1 is active")
    assert any(f"job {queued.id} (re-flag for rule set v1): done" in m for m in caplog.messages)
    assert main(["--db", url, "jobs"]) == 0
    assert "done     re-flag for rule set v1" in capsys.readouterr().out
    assert main(["--db", url, "worker", "--poll", "0"]) == 2
    assert "--poll must be > 0" in capsys.readouterr().err
    store.close()
