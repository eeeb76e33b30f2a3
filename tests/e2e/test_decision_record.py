"""Issue 10 acceptance in a real browser: reject(A, clause, note) → next → reject(B) → approve(C)
→ block(author of D) → undo → undo. Every card shows its own reason and an empty note, and the
database and the audit log hold exactly the intended decisions afterwards. The audit CSV
download runs without Streamlit's "missing ScriptRunContext" warning."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from moderation.store import Store
from moderation.store.audit import verify_chain
from moderation.store.schema import audit_log, authors, comments, decisions
from tests.e2e.test_moderation_flow import log_in, shot, wait_idle

pytestmark = pytest.mark.browser


def card_author(page: Any) -> str:
    wait_idle(page)
    return str(page.locator(".st-key-queue_card_author strong").first.inner_text())


def next_author(page: Any, previous: str) -> str:
    """The author of the card that replaced ``previous``'s (waits for the card to change)."""
    expect(page.locator(".st-key-queue_card_author strong").first).not_to_have_text(previous)
    return card_author(page)


def reason_shown(page: Any) -> str:
    """The Reject form's chosen reason as displayed (the combobox's current text)."""
    return str(page.get_by_role("combobox", name="Reason (policy clause)").input_value())


def pick_reason(page: Any, label: str) -> None:
    box = page.get_by_role("combobox", name="Reason (policy clause)")
    box.click()
    # Typing filters the list and opens it, as a moderator searching the reasons would. A click
    # alone sometimes left the list closed here (the box focused, no options in the page).
    box.fill(label)
    page.get_by_role("option", name=label, exact=True).click()
    assert reason_shown(page) == label


def expect_form(page: Any, reason: str, note: str = "") -> None:
    """The Reject form shows ``reason`` and ``note`` (Playwright waits for the widgets to take
    the values the run sent; a value carried from another card never turns into these)."""
    expect(page.get_by_role("combobox", name="Reason (policy clause)")).to_have_value(reason)
    expect(page.get_by_label("Note (optional)")).to_have_value(note)


def flash(page: Any, text: str | re.Pattern[str]) -> None:
    page.get_by_test_id("stAlert").filter(has_text=text).first.wait_for()
    wait_idle(page)


def test_decision_sequence_leaves_exactly_the_intended_record(page: Any, tmp_path: Path) -> None:
    log_in(page)
    shot(page, "20-first-card")

    # A: its own suggestion and an empty note; reject it for profanity with a note.
    a = card_author(page)
    expect_form(page, "Other inappropriate material", "")
    pick_reason(page, "Profanity")
    page.get_by_label("Note (optional)").fill("e2e: swearing")
    page.get_by_role("button", name="Reject").click()
    flash(page, f"Rejected comment by {a}.")

    # next: B opens with its own reason and an empty note, not A's; `x` rejects it as shown.
    b = next_author(page, a)
    expect_form(page, "Other inappropriate material", "")
    shot(page, "21-second-card-own-reason")
    page.locator("body").press("x")
    flash(page, f"Rejected comment by {b}.")

    # C: a reason picked and a note typed, both left unsubmitted (C is approved), do not
    # survive to the next card either.
    c = next_author(page, b)
    expect_form(page, "Other inappropriate material", "")
    pick_reason(page, "Personal attacks")
    page.get_by_label("Note (optional)").fill("typed but never submitted")
    page.get_by_role("button", name="Approve").click()
    flash(page, f"Approved comment by {c}.")

    d = next_author(page, c)
    expect_form(page, "Other inappropriate material", "")  # D's own hit, not C's pick
    page.get_by_role("button", name="Block author").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_text("will wait in Pending").wait_for()
    shot(page, "22-block-dialog")
    dialog.get_by_role("button", name="Block author").click()
    flash(page, f"Blocked {d}")

    page.get_by_role("button", name="Undo my last").click()
    flash(page, f"Undone: blocking {d}.")
    page.get_by_role("button", name="Undo my last").click()
    flash(page, re.compile(rf"Nothing to undo: your last action, blocking {re.escape(d)}, is"))
    shot(page, "23-second-undo")
    assert not re.search(r"\b[0-9a-f]{16}\b", page.get_by_test_id("stAlert").first.inner_text())

    store = Store.open(f"sqlite:///{tmp_path / 'e2e.db'}")
    with store.engine.connect() as conn:
        decided = conn.execute(
            select(comments.c.author, decisions.c.action, decisions.c.clause_id, decisions.c.note)
            .join(comments, comments.c.id == decisions.c.comment_id)
            .order_by(decisions.c.id)
        ).all()
        logged = conn.execute(
            select(
                audit_log.c.actor,
                audit_log.c.action,
                audit_log.c.target_type,
                audit_log.c.details,
                audit_log.c.rule_set_version,
                audit_log.c.model_id,
            ).order_by(audit_log.c.id)
        ).all()
        blocked = conn.execute(select(authors.c.status).where(authors.c.name == d)).scalar_one()
        statuses = dict(
            conn.execute(
                select(comments.c.author, comments.c.status).where(comments.c.author.in_([a, b, c]))
            ).all()
        )
    assert [tuple(r) for r in decided] == [
        (a, "reject", "no-profanity", "e2e: swearing"),
        (b, "reject", "no-inappropriate-material", None),
        (c, "approve", None, None),
    ]
    assert statuses == {a: "rejected", b: "rejected", c: "approved"}
    assert blocked == "active"
    assert [(r.actor, r.action, r.target_type) for r in logged] == [
        ("rules.yaml", "rules.save", "rule_set"),
        ("moderator", "reject", "comment"),
        ("moderator", "reject", "comment"),
        ("moderator", "approve", "comment"),
        ("moderator", "block", "author"),
        ("moderator", "undo", "author"),
    ]
    reject_a, reject_b, approve_c, block_d, undo_d = (r.details for r in logged[1:])
    assert (reject_a["author"], reject_a["clause"], reject_a["note"]) == (
        a,
        "no-profanity",
        "e2e: swearing",
    )
    assert (reject_b["author"], reject_b["clause"], reject_b["note"]) == (
        b,
        "no-inappropriate-material",
        None,
    )
    assert (approve_c["author"], approve_c["note"]) == (c, None)
    assert all(
        isinstance(r["position"], int) and r["article"] for r in (reject_a, reject_b, approve_c)
    )
    assert block_d == {"clause": "may-block-violators", "note": None}
    assert undo_d == {"undid": "block", "from": "blocked", "to": "active"}
    assert all(r.rule_set_version == 1 and r.model_id for r in logged[1:])
    assert verify_chain(store).ok
    store.close()

    # The audit page links each comment row to its card; its CSV downloads without warnings.
    page.get_by_role("link", name="Audit").click()
    page.get_by_role("heading", name="Audit", exact=True).wait_for()
    page.get_by_text("Hash chain intact").wait_for()
    with page.expect_download() as download:
        page.get_by_role("button", name=re.compile(r"^Download \d+ rows as CSV$")).click()
    csv_path = download.value.path()
    assert "no-profanity" in Path(csv_path).read_text(encoding="utf-8")
    shot(page, "24-audit")
    wait_idle(page)
    assert "ScriptRunContext" not in (tmp_path / "streamlit.log").read_text()
