"""`moderation model …` through the real CLI entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from moderation.cli import main
from moderation.scoring import FALLBACK_LABELS
from moderation.scoring.offline import offline_model_id


def test_model_info_names_the_offline_model_and_its_card(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("THREADWATCH_MODEL", "offline")
    assert main(["model", "info", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["model_id"] == offline_model_id()
    assert info["labels"] == list(FALLBACK_LABELS)
    assert info["lacks"] == ["sexual_explicit"]
    card = info["offline_card"]
    assert card["model_id"] == offline_model_id()  # the card describes the shipped heads
    assert {d["name"] for d in card["data"]} == {"jigsaw", "davidson"}
    assert set(card["metrics"]["test"]) == set(FALLBACK_LABELS)


def test_learn_and_replay_refuse_without_decisions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(Path(__file__).resolve().parents[3])
    db = f"sqlite:///{tmp_path / 'tw.db'}"
    assert main(["--db", db, "model", "learned"]) == 0
    assert "no learned model yet" in capsys.readouterr().out
    assert main(["--db", db, "model", "learn"]) == 2
    assert "not enough human decisions" in capsys.readouterr().err
    assert main(["--db", db, "model", "evaluate-learned"]) == 2
    assert "need more than --start" in capsys.readouterr().err
    monkeypatch.setenv("THREADWATCH_LEARNED_MODEL", "false")
    assert main(["--db", db, "model", "learn"]) == 2
    assert "turned off" in capsys.readouterr().err
