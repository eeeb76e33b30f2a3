"""Audit page in AppTest: the log, its filters, and the CSV export of what the filters match."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import streamlit

from moderation import review
from moderation.store import Store
from tests.app.helpers import log_in, two_decisions

PAGE = "moderation/ui/pages/audit.py"


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The ``data`` of every st.download_button call (AppTest cannot click a download)."""
    seen: list[Any] = []
    real = streamlit.download_button

    def spy(label: str, data: Any, *args: Any, **kwargs: Any) -> bool:
        seen.append(data)
        return real(label, data, *args, **kwargs)

    monkeypatch.setattr(streamlit, "download_button", spy)
    return seen


def exported_rows(data: Any) -> list[dict[str, str]]:
    text = data() if callable(data) else data  # the page builds the CSV only when clicked
    return list(csv.DictReader(io.StringIO(text)))


def test_empty_database_lists_the_rule_set_load(empty_env: str) -> None:
    app = log_in().switch_page(PAGE).run()
    assert not app.exception
    assert app.title[0].value == "Audit"
    assert list(app.dataframe[0].value["action"]) == ["rules.save"]


def test_filters_narrow_the_rows_and_the_csv_holds_them(app_env: str, downloads: list[Any]) -> None:
    app = log_in()  # the first run loads the sample data
    items = two_decisions(app_env)
    store = Store.open(app_env)
    review.set_author_status(store, str(items[1].author), "blocked", moderator="bob")
    app.switch_page(PAGE).run()
    assert not app.exception
    everything = app.dataframe[0].value
    assert len(everything) == 4  # rules.save, approve, reject, block
    assert len(exported_rows(downloads[-1])) == 4

    app.selectbox(key="audit_actor").select("bob").run()
    by_bob = app.dataframe[0].value
    assert list(by_bob["action"]) == ["block", "reject"]
    rows = exported_rows(downloads[-1])
    assert [(r["actor"], r["action"]) for r in rows] == [("bob", "block"), ("bob", "reject")]
    assert "Download 2 rows" in app.get("download_button")[0].label

    app.selectbox(key="audit_target_type").select("author").run()
    assert list(app.dataframe[0].value["target_id"]) == [items[1].author]

    app.selectbox(key="audit_actor").select(None)
    app.selectbox(key="audit_target_type").select(None).run()
    today = datetime.now(UTC).date()
    app.date_input(key="audit_dates").set_value((today, today)).run()
    assert len(app.dataframe[0].value) == 4
    yesterday = today - timedelta(days=1)
    app.date_input(key="audit_dates").set_value((yesterday, yesterday)).run()
    assert not app.exception
    assert not app.dataframe
    assert any("No audit entries" in i.value for i in app.info)
