"""Authors: who writes what gets flagged. A paged, searchable table of authors with flag and
rejection rates; one author's comments across threads, the decisions on them, and block/unblock
(blocking asks for a confirmation, cites the policy clause that allows it and is written to the
audit log). Names are reader text: shown literally, invisible characters made visible."""

from __future__ import annotations

from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from moderation import review, stats
from moderation.records import BLOCK_CLAUSE, AuthorStatus
from moderation.ui import blocking, state
from moderation.ui.text import name_markdown, visible, visible_bidi
from moderation.ui.words import AUTHOR_STATUS_WORDS, status_word

PAGE_SIZE = 50
CACHE_TTL = 60  # seconds; writes clear the cache at once through state.invalidate()
FLASH = "authors_flash"
_SORT_LABELS = {
    "flagged": "Most flagged",
    "rejected": "Most rejected",
    "comments": "Most comments",
    "name": "Name",
}


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def _overview(
    db_url: str,
    version: int | None,
    search: str,
    blocked_only: bool,
    sort: stats.AuthorSort,
    page: int,
) -> tuple[pd.DataFrame, int]:
    return stats.authors_overview(
        state.store(),
        rule_set_version=version,
        search=search or None,
        blocked_only=blocked_only,
        sort=sort,
        offset=(page - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
    )


def _shown(value: object) -> str:
    """A cell of reader text: invisible characters visible, nothing for a missing value."""
    return visible(value) if isinstance(value, str) else ""


def _open_block(author: str) -> None:
    """Block button callback: the confirmation dialog, with the note typed here."""
    clauses = state.rule_clauses()
    reasons = [(r.clause_id, r.label) for r in review.reject_reasons(clauses)]
    blocking.open_dialog(
        author, FLASH, note=st.session_state.get("authors_note") or "", reasons=reasons
    )
    st.session_state["authors_note"] = ""


def _pick_from_table(names: list[str]) -> None:
    rows = st.session_state["authors_table"]["selection"]["rows"]
    if rows:
        st.session_state["authors_name"] = names[rows[0]]
        _reset_comments_page()


def _first_page() -> None:
    st.session_state["authors_page_no"] = 1


def _overview_table(db_url: str, version: int | None) -> list[str]:
    """The filtered, paged table of authors; returns the names on this page."""
    c1, c2, c3 = st.columns([3, 2, 1])
    search = c1.text_input("Search names", key="authors_search", on_change=_first_page)
    sort = c2.selectbox(
        "Sort by",
        list(_SORT_LABELS),
        format_func=_SORT_LABELS.__getitem__,
        key="authors_sort",
        on_change=_first_page,
    )
    blocked_only = c3.checkbox("Blocked only", key="authors_blocked_only", on_change=_first_page)
    page = int(st.session_state.get("authors_page_no", 1))
    table, total = _overview(db_url, version, search.strip(), blocked_only, sort, page)
    if not total:
        st.info("No authors match." if search or blocked_only else "No authors yet.")
        return []
    names = list(table["author"])
    shown = table.assign(
        author=table["author"].map(visible),
        status=table["status"].map(lambda s: AUTHOR_STATUS_WORDS.get(s, s)),
    )
    st.dataframe(
        shown,
        hide_index=True,
        key="authors_table",
        # st.dataframe takes no callback args: bind them with partial.
        on_select=partial(_pick_from_table, names),
        selection_mode="single-row",
        column_config={
            "flag_rate": st.column_config.NumberColumn("flag rate", format="percent"),
            "rejection_rate": st.column_config.NumberColumn("rejection rate", format="percent"),
        },
    )
    pages = max(1, -(-total // PAGE_SIZE))
    first = (page - 1) * PAGE_SIZE + 1
    st.caption(f"Authors {first}–{first + len(names) - 1} of {total}")
    if pages > 1:
        st.number_input("Page", 1, pages, key="authors_page_no")
    return names


def _profile(profile: dict[str, Any]) -> None:
    name = str(profile["author"])
    status = profile["status"]
    blocked = status in (AuthorStatus.BLOCKED, AuthorStatus.SUSPENDED)
    badge = {"blocked": "  :red-badge[blocked]", "suspended": "  :orange-badge[suspended]"}
    st.subheader(name_markdown(name) + badge.get(status, ""))
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Comments", int(profile["comments"]))
    c2.metric("Threads", int(profile["threads"]))
    c3.metric("Flagged", int(profile["flagged"]), f"{profile['flag_rate']:.0%}", delta_color="off")
    c4.metric(
        "Rejected",
        int(profile["rejected"]),
        f"{profile['rejection_rate']:.0%}",
        delta_color="off",
    )
    decided = profile["decisions"]
    st.caption(
        "Decisions on their comments: "
        + (", ".join(f"{action} {count}" for action, count in sorted(decided.items())) or "none")
    )
    _block_controls(name, blocked)


def _block_controls(name: str, blocked: bool) -> None:
    c1, c2 = st.columns([3, 1])
    c1.text_input("Note for the audit log (optional)", key="authors_note")
    if blocked:
        c2.button(
            "Unblock author",
            key="authors_unblock",
            width="stretch",
            on_click=blocking.unblock,
            args=(name, FLASH, "authors_note"),
        )
    else:
        c2.button(
            "Block author",
            key="authors_block",
            type="primary",
            width="stretch",
            on_click=_open_block,
            args=(name,),
            help=f"Asks first. Cites policy clause {BLOCK_CLAUSE}; recorded in the audit log.",
        )


def _activity(name: str, version: int | None) -> None:
    store = state.store()
    page = int(st.session_state.get("authors_comments_page", 1))
    comments, total = stats.author_comments(
        store, name, rule_set_version=version, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE
    )
    st.subheader("Comments across threads")
    if total:
        # st.dataframe shows cell text as plain text; invisible characters are made visible.
        shown = pd.DataFrame(
            {
                "article": comments["article"].map(_shown),
                # The position numbering of every page: 1-based, pingbacks counted.
                "comment": comments["position"].map(lambda p: f"#{review.thread_position(p)}"),
                "status": comments["status"].map(status_word),
                "decided by": comments["decided_by"].map(_shown),
                "category": comments["category"].map(lambda c: str(c).replace("_", " ")),
                "severity": comments["severity"].map(lambda v: "" if pd.isna(v) else str(int(v))),
                "text": comments["text"].map(lambda t: visible_bidi(str(t))),
            }
        )
        st.dataframe(shown, hide_index=True, key="authors_comments")
        pages = max(1, -(-total // PAGE_SIZE))
        if pages > 1:
            st.number_input("Comments page", 1, pages, key="authors_comments_page")
    else:
        st.caption("No reader comments.")
    decisions = stats.author_decisions(store, name)
    st.subheader("Decisions")
    if decisions.empty:
        st.caption("No decisions on this author's comments yet.")
    else:
        shown = decisions.assign(
            article=decisions["article"].map(_shown),
            clause=decisions["clause"].fillna(""),
            note=decisions["note"].map(_shown),
        )
        st.dataframe(shown, hide_index=True, key="authors_decisions")
    history = stats.author_status_history(store, name)
    if not history.empty:
        st.subheader("Block history")
        shown = history.assign(
            clause=history["clause"].fillna(""),
            note=history["note"].map(_shown),
            until=history["until"].fillna(""),
        )
        st.dataframe(shown, hide_index=True, key="authors_history")


def _reset_comments_page() -> None:
    st.session_state["authors_comments_page"] = 1


def render() -> None:
    st.title("Authors")
    flash_slot = st.container()  # always there, so the elements below keep their place
    flash = st.session_state.pop(FLASH, None)
    if flash:  # Markdown built with the author's name escaped (name_markdown)
        getattr(flash_slot, flash[0])(flash[1])
    blocking.render()
    db_url = state.settings().database_url
    version = state.rule_set_version()
    names = _overview_table(db_url, version)
    if not names:
        return
    if st.session_state.get("authors_name") not in names:
        # Searching or paging moved away from the chosen author: show this page's first.
        st.session_state.pop("authors_name", None)
        _reset_comments_page()
    name = st.selectbox(
        "Author", names, format_func=visible, key="authors_name", on_change=_reset_comments_page
    )
    profile = stats.author_profile(state.store(), name, rule_set_version=version)
    if profile is None:
        st.warning("That author is gone; pick another.")
        return
    _profile(profile)
    _activity(name, version)
