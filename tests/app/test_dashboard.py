"""The dashboard in the real Streamlit runtime (AppTest)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from moderation.store import Store

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def app_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'dash.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("THREADWATCH_SAMPLE_DATA", str(ROOT / "sample_data"))
    monkeypatch.chdir(ROOT)
    return url


def run_app() -> AppTest:
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    return app.run()


def test_first_run_loads_sample_data_and_shows_threads(app_env: str) -> None:
    app = run_app()
    assert not app.exception
    assert Store.open(app_env).counts()["articles"] == 5
    assert app.title[0].value == "Threads"
    assert app.selectbox(key="threads_article").options
    texts = [t.value for t in app.text]
    assert any("gary" in t for t in texts)


def test_reader_text_is_shown_literally(app_env: str, tmp_path: Path) -> None:
    hostile = "<img src=x onerror=alert(1)> **bold** [link](http://example.com)"
    source = tmp_path / "x.txt"
    source.write_text(f"Zzz hostile article\n\nBody.\n\n  1. mallory said:\n\n    {hostile}\n")
    from moderation.pipeline import ingest

    ingest([ROOT / "sample_data", source], Store.open(app_env))
    app = run_app()
    titles = app.selectbox(key="threads_article")
    target = next(o for o in titles.options if "hostile" in o)
    app = titles.select(target).run()
    assert not app.exception
    assert hostile in [t.value for t in app.text]


def test_unusable_database_url_shows_an_error_not_a_traceback(
    app_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", "mysql://nobody@nowhere/db")
    app = run_app()
    assert not app.exception
    assert "unsupported database" in app.error[0].value
