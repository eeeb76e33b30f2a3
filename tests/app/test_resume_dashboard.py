"""Dashboard start completes what a killed run left (issue 11, points 5 and 6): comments stored
but not scored or flagged, and a re-flag into a new rule-set version stopped half-way."""

from __future__ import annotations

from pathlib import Path

from moderation.pipeline import jobs
from moderation.scoring import MiniLMHeadsScorer
from tests.app.helpers import log_in
from tests.conftest import SAMPLE_DATA, WW3_RULE
from tests.resume_helpers import run_cli, snapshot, write_corpus

MODEL_ID = MiniLMHeadsScorer().model_id


def test_dashboard_start_finishes_a_killed_ingest(
    app_env: str, rules_path: Path, tmp_path: Path
) -> None:
    corpus = write_corpus(tmp_path / "corpus", sorted(SAMPLE_DATA.glob("*.txt")))
    reference = f"sqlite:///{tmp_path / 'reference.db'}"
    assert run_cli(reference, rules_path, "ingest", str(corpus)).returncode == 0
    killed = run_cli(app_env, rules_path, "ingest", str(corpus), kill_at="score:2")
    assert killed.returncode == -9
    assert snapshot(app_env, MODEL_ID).unscored
    app = log_in("moderator")
    assert not app.exception
    jobs.runner.wait()
    expected, found = snapshot(reference, MODEL_ID), snapshot(app_env, MODEL_ID)
    assert (found.unscored, found.unevaluated) == (False, 0)
    assert found.statuses == expected.statuses and found.flags == expected.flags


def test_dashboard_start_resumes_a_killed_reflag(
    app_env: str, rules_path: Path, tmp_path: Path
) -> None:
    log_in("moderator")  # first run: the sample data under v1
    before = snapshot(app_env, MODEL_ID)
    rules_path.write_text(rules_path.read_text() + WW3_RULE)
    killed = run_cli(app_env, rules_path, "reflag", kill_at="flag:1")
    assert killed.returncode == -9
    interrupted = snapshot(app_env, MODEL_ID)
    assert (interrupted.active, interrupted.pending) == (1, 2)
    assert interrupted.flags == before.flags  # v1 still in force, with every hit
    app = log_in("moderator")
    assert not app.exception
    jobs.runner.wait()
    after = snapshot(app_env, MODEL_ID)
    assert (after.active, after.pending, after.unevaluated) == (2, None, 0)
    assert any(rule == "ww3-talk" for _, rule, _ in after.flags)
    app.run()
    assert any("Rule set v2" in c.value for c in app.sidebar.caption)
