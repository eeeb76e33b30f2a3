"""The dashboard in the real Streamlit runtime (AppTest): login, first run, every page."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from moderation.pipeline.ingest import ingest
from moderation.store import Store
from tests.app.helpers import ROOT, log_in

PAGES = "moderation/ui/pages"


def test_nobody_sees_comments_before_logging_in(app_env: str) -> None:
    app = log_in(user=None)
    assert not app.exception
    assert [t.label for t in app.text_input] == ["Username", "Password"]
    assert not app.title
    assert Store.open(app_env).counts()["articles"] == 0  # nothing loaded before login


def test_wrong_password_is_refused(app_env: str) -> None:
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120).run()
    app.text_input[0].input("moderator")
    app.text_input[1].input("wrong")
    app.button[0].click().run()
    assert "incorrect" in app.error[0].value
    assert not app.title


def test_first_run_loads_sample_data_and_shows_the_queue(app_env: str) -> None:
    app = log_in()
    assert not app.exception
    counts = Store.open(app_env).counts()
    assert counts["articles"] == 5 and counts["scores"] > 0
    assert app.title[0].value == "Queue"
    banner = [b.value for b in (*app.warning, *app.info)]
    assert any("threadwatch-minilm-heads-" in b for b in banner)


def test_threads_page_shows_the_tree(app_env: str) -> None:
    app = log_in(page="threads")
    assert not app.exception
    assert app.title[0].value == "Threads"
    assert any("gary" in t.value for t in app.text)


def test_reader_text_is_shown_literally(app_env: str, tmp_path: Path) -> None:
    hostile = "<img src=x onerror=alert(1)> **bold** [link](http://example.com)"
    source = tmp_path / "x.txt"
    source.write_text(f"Zzz hostile article\n\nBody.\n\n  1. mallory said:\n\n    {hostile}\n")
    ingest([ROOT / "sample_data", source], Store.open(app_env))
    app = log_in(page="threads")
    titles = app.selectbox(key="threads_article")
    target = next(o for o in titles.options if "hostile" in o)
    app = titles.select(target).run()
    assert not app.exception
    assert hostile in [t.value for t in app.text]


def test_unusable_database_url_shows_an_error_not_a_traceback(
    app_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", "mysql://nobody@nowhere/db")
    app = log_in(user=None)
    assert not app.exception
    assert "unsupported database" in app.error[0].value
