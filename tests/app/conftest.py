"""Fixtures for the dashboard's AppTest tests: a fresh database and a private rules.yaml each."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.app.helpers import ROOT


@pytest.fixture
def app_env(tmp_path: Path, rules_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The dashboard on a fresh SQLite database that loads sample_data/ on first run; returns
    the database URL. The offline fallback model keeps the runs fast and deterministic."""
    url = f"sqlite:///{tmp_path / 'dash.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("THREADWATCH_SAMPLE_DATA", str(ROOT / "sample_data"))
    monkeypatch.setenv("THREADWATCH_MODEL", "offline")
    monkeypatch.setenv("THREADWATCH_RULES_PATH", str(rules_path))
    monkeypatch.chdir(ROOT)
    return url


@pytest.fixture
def empty_env(app_env: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """As app_env, but with no sample data: the database stays empty."""
    (tmp_path / "no-samples").mkdir()
    monkeypatch.setenv("THREADWATCH_SAMPLE_DATA", str(tmp_path / "no-samples"))
    return app_env
