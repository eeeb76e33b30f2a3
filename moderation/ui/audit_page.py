"""Audit: the append-only log of every decision, block and rule change, newest first; filter
by actor, action, target type and date, page through it, and export what the filters match."""

from __future__ import annotations

from dataclasses import astuple
from datetime import date
from functools import partial

import pandas as pd
import streamlit as st

from moderation import stats
from moderation.ui import state

PAGE_SIZE = 100
CACHE_TTL = 60  # seconds; writes clear the cache at once through state.invalidate()


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def _options(db_url: str) -> dict[str, list[str]]:
    return stats.audit_options(state.store())


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def _page(
    db_url: str,
    actor: str | None,
    action: str | None,
    target_type: str | None,
    since: date | None,
    until: date | None,
    page: int,
) -> tuple[pd.DataFrame, int]:
    flt = stats.AuditFilter(actor, action, target_type, since, until)
    return stats.audit_page(state.store(), flt, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)


@st.cache_data(ttl=CACHE_TTL, show_spinner="Preparing the CSV…", max_entries=4)
def _csv(
    db_url: str,
    actor: str | None,
    action: str | None,
    target_type: str | None,
    since: date | None,
    until: date | None,
) -> str:
    flt = stats.AuditFilter(actor, action, target_type, since, until)
    return stats.audit_csv(state.store(), flt)


def _first_page() -> None:
    st.session_state["audit_page_no"] = 1


def _date_range(picked: object) -> tuple[date | None, date | None]:
    """st.date_input in range mode gives (), (start,) while picking, or (start, end)."""
    days = list(picked) if isinstance(picked, tuple | list) else [picked]
    days = [d for d in days if isinstance(d, date)]
    if not days:
        return None, None
    return days[0], days[-1]


def _filters(options: dict[str, list[str]]) -> stats.AuditFilter:
    *columns, c4 = st.columns(4)
    fields = {"actor": "Actor", "action": "Action", "target_type": "Target type"}
    actor, action, target_type = (
        column.selectbox(
            label,
            [None, *options[field]],
            format_func=lambda value: value or "All",
            key=f"audit_{field}",
            on_change=_first_page,
        )
        for column, (field, label) in zip(columns, fields.items(), strict=True)
    )
    picked = c4.date_input(
        "Dates (UTC)", value=(), key="audit_dates", on_change=_first_page, format="YYYY-MM-DD"
    )
    return stats.AuditFilter(actor, action, target_type, *_date_range(picked))


def render() -> None:
    st.title("Audit")
    st.caption(
        "Every decision, undo, block and rule change, with who, when and the rule-set and "
        "model versions in force. The log is append-only: the database refuses edits."
    )
    db_url = state.settings().database_url
    # The cached helpers take the filter's fields, plain values that key the cache.
    fields = astuple(_filters(_options(db_url)))
    page = int(st.session_state.get("audit_page_no", 1))
    rows, total = _page(db_url, *fields, page)
    if not total:
        st.info("No audit entries match these filters.")
        return
    first = (page - 1) * PAGE_SIZE + 1
    st.caption(f"Entries {first}–{first + len(rows) - 1} of {total}, newest first")
    st.dataframe(rows, hide_index=True, key="audit_table")
    pages = max(1, -(-total // PAGE_SIZE))
    if pages > 1:
        st.number_input("Page", 1, pages, key="audit_page_no")
    exported = min(total, stats.EXPORT_LIMIT)
    st.download_button(
        f"Download {exported} rows as CSV",
        # Built only when clicked: a big log would otherwise be sent with every rerun.
        data=partial(_csv, db_url, *fields),
        file_name="threadwatch-audit.csv",
        mime="text/csv",
        key="audit_download",
        on_click="ignore",
    )
    if total > stats.EXPORT_LIMIT:
        st.caption(f"Only the newest {stats.EXPORT_LIMIT} rows are exported; narrow the filters.")
