"""``score --rescore`` through the real CLI, and the store function that forgets one model's
scores (the DELETE that used to be written inline in the CLI)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from moderation.cli import main
from moderation.store import Store
from moderation.store.scores import delete_model_scores, insert_new_scores


def test_delete_model_scores_forgets_that_model_only(store: Store) -> None:
    new = {"h1": {"toxicity": 0.1, "insult": 0.2}, "h2": {"toxicity": 0.3, "insult": 0.4}}
    with store.transaction() as conn:
        insert_new_scores(conn, "model-a", new)
        insert_new_scores(conn, "model-b", new)
    with store.transaction() as conn:
        assert delete_model_scores(conn, "model-a") == 4  # two texts, two labels each
    with store.transaction() as conn:
        # First write wins: a hash still scored is not written again, a forgotten one is.
        assert insert_new_scores(conn, "model-b", new) == 0
        assert insert_new_scores(conn, "model-a", new) == 2
        assert delete_model_scores(conn, "model-none") == 0


def _scored(out: str) -> int:
    match = re.search(r"^(\d+) texts scored by ", out, re.MULTILINE)
    assert match, out
    return int(match.group(1))


def test_rescore_scores_every_text_again(
    tmp_path: Path,
    seed_000: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("THREADWATCH_MODEL", "offline")
    db = f"sqlite:///{tmp_path / 'tw.db'}"
    assert main(["--db", db, "ingest", "--no-score", str(seed_000)]) == 0
    capsys.readouterr()
    assert main(["--db", db, "score"]) == 0
    first = _scored(capsys.readouterr().out)
    assert first > 0
    assert main(["--db", db, "score"]) == 0
    assert _scored(capsys.readouterr().out) == 0  # nothing left to score
    assert main(["--db", db, "score", "--rescore"]) == 0
    assert _scored(capsys.readouterr().out) == first  # every text again
