"""Audit: the append-only log of every decision, block and rule change, newest first; filter
by actor, action, target type and date, page through it, and export what the filters match.
Details are shown as readable fields (never raw ids, hashes or JSON), each comment's row links to
its card, and the state of the log's hash chain is shown above it."""

from __future__ import annotations

from dataclasses import astuple
from datetime import date
from functools import partial
from typing import Any
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from moderation.review import audit
from moderation.review.audit import AuditFilter, AuditOptions
from moderation.store.audit import ChainReport, verify_chain
from moderation.store.data_version import DataVersion
from moderation.ui import state
from moderation.ui.text import visible
from moderation.ui.words import status_word

PAGE_SIZE = 100
CACHE_TTL = 60  # seconds; a write moves the data version, so the next run misses at once


@state.cached(ttl=CACHE_TTL)
def _options() -> AuditOptions:
    return audit.audit_options(state.store())


@state.cached(ttl=CACHE_TTL)
def _page(
    actor: str | None,
    action: str | None,
    target_type: str | None,
    since: date | None,
    until: date | None,
    target_id: str | None,
    page: int,
) -> tuple[pd.DataFrame, int]:
    flt = AuditFilter(actor, action, target_type, since, until, target_id)
    return audit.audit_page(state.store(), flt, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)


# Queue page deep links (?article=…&comment=…), resolved by the dashboard's router.
QUEUE_URL = "queue"
# Detail keys that are ids, hashes or internals: never shown (the CSV export keeps them).
_HIDDEN_DETAILS = {"hash", "decision_id", "article_id", "comment_id"}


def _audit_seq(version: DataVersion) -> int | None:
    return version.audit_seq


# Keyed by the chain head alone: a new entry means a new check, otherwise the cached one stands
# (a re-flag or an ingest moves the data version but adds nothing to the chain).
@state.cached(
    ttl=600, max_entries=8, keyed_by=_audit_seq, show_spinner="Checking the audit log's hash chain…"
)
def _chain() -> ChainReport:
    return verify_chain(state.store())


def _target(row: Any) -> str:
    if row.target_type == "comment" and pd.notna(row.position):
        author = visible(row.author) if isinstance(row.author, str) else "anonymous"
        article = visible(row.article) if isinstance(row.article, str) else "an article"
        return f"#{int(row.position)} by {author} in “{article}”"
    if row.target_type == "rule_set":
        return f"rule set v{row.target_id}"
    return visible(str(row.target_id))


def _change(row: Any) -> str:
    if isinstance(row["from"], str) and isinstance(row["to"], str):
        return f"{status_word(row['from'])} → {status_word(row['to'])}"
    return ""


def _other(extra: Any) -> str:
    if not isinstance(extra, dict):
        return ""
    parts = []
    for key, value in sorted(extra.items()):
        if key in _HIDDEN_DETAILS or value in (None, "", [], {}):
            continue
        if isinstance(value, str) and key in ("from", "to", "undid"):
            value = status_word(value) if key != "undid" else value
        shown = visible(value) if isinstance(value, str) else str(value)
        parts.append(f"{key.replace('_', ' ')}: {shown}")
    return "; ".join(parts)


def _link(row: Any) -> str | None:
    if row.target_type != "comment" or not isinstance(row.article_id, str):
        return None
    return f"{QUEUE_URL}?{urlencode({'article': row.article_id, 'comment': row.target_id})}"


def _versions(row: Any) -> str:
    parts = []
    if pd.notna(row.rule_set_version):
        parts.append(f"rule set v{int(row.rule_set_version)}")
    if isinstance(row.model_id, str):
        parts.append(row.model_id)
    return " · ".join(parts)


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    """The page's rows as moderators read them: no raw ids, hashes, JSON or None."""
    rows = list(frame.itertuples(index=False))
    return pd.DataFrame(
        {
            "at": frame["at"],
            "actor": [visible(r.actor) for r in rows],
            "action": frame["action"],
            "target_type": frame["target_type"],
            "target_id": [_target(r) for r in rows],
            "change": [_change(r) for _, r in frame.iterrows()],
            "clause": [r.clause if isinstance(r.clause, str) else "" for r in rows],
            "note": [visible(r.note) if isinstance(r.note, str) else "" for r in rows],
            "details": [_other(r.extra) for r in rows],
            "versions": [_versions(r) for r in rows],
            "link": [_link(r) for r in rows],
        }
    )


def _first_page() -> None:
    st.session_state["audit_page_no"] = 1


def _date_range(picked: object) -> tuple[date | None, date | None]:
    """st.date_input in range mode gives (), (start,) while picking, or (start, end)."""
    values = list(picked) if isinstance(picked, tuple | list) else [picked]
    days = [d for d in values if isinstance(d, date)]
    if not days:
        return None, None
    return days[0], days[-1]


def _filters(options: AuditOptions) -> AuditFilter:
    *columns, c4 = st.columns(4)
    fields = {"actor": "Actor", "action": "Action", "target_type": "Target type"}
    actor, action, target_type = (
        column.selectbox(
            label,
            [None, *getattr(options, field)],
            format_func=lambda value: value or "All",
            key=f"audit_{field}",
            on_change=_first_page,
        )
        for column, (field, label) in zip(columns, fields.items(), strict=True)
    )
    # value=(): range mode with no day picked yet (works; Streamlit's hints leave it out).
    picked = c4.date_input(
        "Dates (UTC)",
        value=(),  # type: ignore[arg-type]
        key="audit_dates",
        on_change=_first_page,
        format="YYYY-MM-DD",
    )
    return AuditFilter(actor, action, target_type, *_date_range(picked))


def _chain_status() -> None:
    report = _chain()
    if report.ok:
        st.success(
            f"Hash chain intact: {report.rows} entries, each linked to the one before.",
            icon=":material/verified:",
        )
    else:
        st.error(
            f"The audit log was tampered with: {visible(report.summary())}. "
            "Run `moderation audit verify` and restore from a backup.",
            icon=":material/gpp_bad:",
        )


def render() -> None:
    st.title("Audit")
    st.caption(
        "Every decision, undo, block and rule change, with who, when and the rule-set and "
        "model versions in force. The log is append-only: the database refuses edits, and each "
        "entry is chained to the one before by a hash, so an edit made past the database shows."
    )
    _chain_status()
    # The cached helpers take the filter's fields, plain values that key the cache.
    flt = _filters(_options())
    narrowed = any(value is not None for value in astuple(flt))
    page = int(st.session_state.get("audit_page_no", 1))
    rows, total = _page(
        flt.actor, flt.action, flt.target_type, flt.since, flt.until, flt.target_id, page
    )
    if not total:
        st.info("No audit entries match these filters." if narrowed else "No audit entries yet.")
        return
    first = (page - 1) * PAGE_SIZE + 1
    st.caption(f"Entries {first}–{first + len(rows) - 1} of {total}, newest first")
    st.dataframe(
        readable(rows),
        hide_index=True,
        key="audit_table",
        column_config={
            "at": st.column_config.DatetimeColumn("at (UTC)", format="YYYY-MM-DD HH:mm:ss"),
            "target_type": st.column_config.TextColumn("about"),
            "target_id": st.column_config.TextColumn("what"),
            "link": st.column_config.LinkColumn("comment", display_text="open card"),
        },
    )
    pages = max(1, -(-total // PAGE_SIZE))
    if pages > 1:
        st.number_input("Page", 1, pages, key="audit_page_no")
    exported = min(total, audit.EXPORT_LIMIT)
    st.download_button(
        f"Download {exported} rows as CSV",
        # Built only when clicked: a big log would otherwise be sent with every rerun. Streamlit
        # builds it outside any script run, so the callable touches no st.* (no cache, no
        # session): the store and the filter are bound now.
        data=partial(audit.audit_csv, state.store(), flt),
        file_name="threadwatch-audit.csv",
        mime="text/csv",
        key="audit_download",
        on_click="ignore",
    )
    if total > audit.EXPORT_LIMIT:
        st.caption(f"Only the newest {audit.EXPORT_LIMIT} rows are exported; narrow the filters.")
