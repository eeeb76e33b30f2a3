"""A team deployment in AppTest: with THREADWATCH_WORKERS=external the dashboard only queues.
A save on the Rules page queues its re-flag, which this server never runs; a real ``moderation
worker --once`` process runs it, and the page's job list shows it done on the next run."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from moderation.pipeline import jobs
from moderation.store import Store
from tests.app.helpers import ROOT, log_in


def test_a_save_is_queued_for_a_worker_process_and_shown_done_after_it_ran(
    app_env: str, rules_path: Path, ww3_rule: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("THREADWATCH_WORKERS", "external")
    # Every run sets the shared runner from the settings: give later tests back the default.
    monkeypatch.setattr(jobs.runner, "external", jobs.runner.external)
    app = log_in("editor", "rules")
    app.text_area(key="rules_editor").input(rules_path.read_text() + ww3_rule).run()
    app.button(key="rules_save").click().run()
    assert not app.exception
    assert any("Saved rule set v2" in s.value for s in app.success)
    store = Store.open(app_env)
    [reflag] = [j for j in jobs.recent(store) if j.kind == "reflag"]
    time.sleep(1.5)  # a thread of this server would have claimed it by now
    app.run()
    waiting = jobs.get(store, reflag.id)
    assert waiting is not None and (waiting.state, waiting.attempts) == ("queued", 0)
    assert any(p.text.startswith("re-flag for rule set v2: 0 of") for p in _progress(app))
    assert next(c.value for c in app.caption if c.value.startswith("Active rule set v1"))

    worker = subprocess.run(
        [sys.executable, "-m", "moderation", "--db", app_env, "worker", "--once"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert worker.returncode == 0, worker.stderr
    done = jobs.get(store, reflag.id)
    assert done is not None and done.state == "done", done
    assert done.claimed_by is not None and done.claimed_by.split(":")[1] != str(os.getpid())
    app.run()
    assert any(c.value == f"re-flag for rule set v2: {done.result}" for c in app.caption)
    assert not _progress(app)
    assert next(c.value for c in app.caption if c.value.startswith("Active rule set v2"))
    store.close()


def _progress(app: AppTest) -> list[Any]:
    return list(app.get("progress"))
