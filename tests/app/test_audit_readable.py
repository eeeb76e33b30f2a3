"""Audit page in AppTest, issue 10 points 9 and 14, issue 11 points 11-13: readable details with a
link to each comment, the hash chain's state, a CSV built without Streamlit's script context and
safe to open in a spreadsheet."""

from __future__ import annotations

import re
from typing import Any

import pytest
import streamlit
from sqlalchemy import text

from moderation import review
from moderation.store import Store
from tests.app.helpers import log_in, two_decisions

PAGE = "moderation/ui/pages/audit.py"
HEX_ID = re.compile(r"\b[0-9a-f]{16,}\b")


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    seen: list[Any] = []
    real = streamlit.download_button

    def spy(label: str, data: Any, *args: Any, **kwargs: Any) -> bool:
        seen.append(data)
        return real(label, data, *args, **kwargs)

    monkeypatch.setattr(streamlit, "download_button", spy)
    return seen


def test_rows_are_readable_and_link_to_their_comment(app_env: str) -> None:
    app = log_in()
    items = two_decisions(app_env)
    review.undo_last(Store.open(app_env), moderator="bob")
    app.switch_page(PAGE).run()
    assert not app.exception
    table = app.dataframe[0].value
    cells = " ".join(str(v) for v in table.drop(columns="link").to_numpy().ravel())
    assert "None" not in cells and "{" not in cells and not HEX_ID.search(cells)
    undo, reject, approve = (table.iloc[i] for i in range(3))
    assert (approve["action"], approve["change"]) == ("approve", "pending review → approved")
    assert (
        approve["target_id"]
        == f"#{items[0].position + 1} by {items[0].author} in “{items[0].article_title}”"
    )
    assert reject["clause"] == "no-personal-attacks"
    assert undo["change"] == "rejected → pending review" and "undid: reject" in undo["details"]
    assert approve["link"] == f"queue?article={items[0].article_id}&comment={items[0].comment_id}"
    assert table.iloc[-1]["action"] == "rules.save" and table.iloc[-1]["versions"] == "rule set v1"
    assert any("Hash chain intact" in s.value for s in app.success)


def test_a_tampered_log_is_reported_on_the_page(app_env: str) -> None:
    app = log_in()
    two_decisions(app_env)
    store = Store.open(app_env)
    with store.engine.begin() as conn:
        conn.execute(text("DROP TRIGGER audit_log_no_update"))
        conn.execute(text("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2"))
    app.switch_page(PAGE).run()
    assert not app.exception
    assert any("tampered" in e.value and "entry 2" in e.value for e in app.error)


def test_csv_download_runs_outside_the_script_without_warnings(
    app_env: str, downloads: list[Any], capfd: pytest.CaptureFixture[str]
) -> None:
    app = log_in()
    items = two_decisions(app_env)
    review.set_author_status(
        Store.open(app_env), str(items[0].author), "blocked", moderator="=cmd|' /C calc'!A0"
    )
    app.switch_page(PAGE).run()
    capfd.readouterr()
    csv_text = downloads[-1]()  # what Streamlit calls, outside any script run, on the click
    assert "ScriptRunContext" not in capfd.readouterr().err
    assert "\n=cmd" not in csv_text and ",=cmd" not in csv_text
    assert "'=cmd|' /C calc'!A0" in csv_text
