"""Authors: who writes what gets flagged. A paged, searchable table of authors with flag and
rejection rates; one author's comments across threads, the decisions on them, and block/unblock
(blocking asks for a confirmation, cites the policy clause that allows it and is written to the
audit log). Names are reader text: shown literally, invisible characters made visible."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from moderation import review
from moderation.records import BLOCK_CLAUSE, AuthorStatus
from moderation.review import authors
from moderation.review.authors import AuthorProfile, AuthorSort
from moderation.ui import blocking, state
from moderation.ui.tables import readable
from moderation.ui.text import name_markdown, visible
from moderation.ui.words import ACTION_WORDS, POSITION_RULE

PAGE_SIZE = 50
CACHE_TTL = 60  # seconds; a write moves the data version, so the next run misses at once
FLASH = "authors_flash"
_SORT_LABELS: dict[AuthorSort, str] = {
    "flagged": "Most flagged",
    "rejected": "Most rejected",
    "comments": "Most comments",
    "name": "Name",
}


@state.cached(ttl=CACHE_TTL)
def _overview(
    version: int | None,
    search: str,
    blocked_only: bool,
    sort: AuthorSort,
    page: int,
) -> tuple[pd.DataFrame, int]:
    return authors.authors_overview(
        state.store(),
        rule_set_version=version,
        search=search or None,
        blocked_only=blocked_only,
        sort=sort,
        offset=(page - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
    )


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


def _overview_table(version: int | None) -> list[str]:
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
    table, total = _overview(version, search.strip(), blocked_only, sort, page)
    if not total:
        st.info("No authors match." if search or blocked_only else "No authors yet.")
        return []
    names = list(table["author"])
    st.dataframe(
        readable(table, author_status=True),
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


def _profile(profile: AuthorProfile) -> None:
    name = profile.author
    status = profile.status
    blocked = status in (AuthorStatus.BLOCKED, AuthorStatus.SUSPENDED)
    badge: dict[str, str] = {
        AuthorStatus.BLOCKED: "  :red-badge[blocked]",
        AuthorStatus.SUSPENDED: "  :orange-badge[suspended]",
    }
    st.subheader(name_markdown(name) + badge.get(status, ""))
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Comments", profile.comments)
    c2.metric("Threads", profile.threads)
    # Shares, not changes: no delta arrows.
    c3.metric("Flagged", profile.flagged)
    c3.caption(f"{profile.flag_rate:.0%} of their comments")
    c4.metric("Rejected", profile.rejected)
    c4.caption(f"{profile.rejection_rate:.0%} of their comments")
    decided = profile.decisions
    st.caption(
        "Decisions on their comments: "
        + (
            ", ".join(
                f"{ACTION_WORDS.get(action, action)} {count}"
                for action, count in sorted(decided.items())
            )
            or "none"
        )
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
    comments, total = authors.author_comments(
        store, name, rule_set_version=version, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE
    )
    st.subheader("Comments across threads")
    if total:
        # st.dataframe shows cell text as plain text, so reader text is safe here.
        st.dataframe(
            readable(comments.drop(columns="comment_id")), hide_index=True, key="authors_comments"
        )
        st.caption(f"Entry: the comment's place in its thread ({POSITION_RULE}).")
        pages = max(1, -(-total // PAGE_SIZE))
        if pages > 1:
            st.number_input("Comments page", 1, pages, key="authors_comments_page")
    else:
        st.caption("No reader comments.")
    decisions = authors.author_decisions(store, name)
    st.subheader("Decisions")
    if decisions.empty:
        st.caption("No decisions on this author's comments yet.")
    else:
        st.dataframe(readable(decisions), hide_index=True, key="authors_decisions")
    history = authors.author_status_history(store, name)
    if not history.empty:
        st.subheader("Block history")
        st.dataframe(readable(history), hide_index=True, key="authors_history")


def _reset_comments_page() -> None:
    st.session_state["authors_comments_page"] = 1


def render() -> None:
    st.title("Authors")
    flash_slot = st.container()  # always there, so the elements below keep their place
    flash = st.session_state.pop(FLASH, None)
    if flash:  # Markdown built with the author's name escaped (name_markdown)
        getattr(flash_slot, flash[0])(flash[1])
    blocking.render()
    version = state.rule_set_version()
    names = _overview_table(version)
    if not names:
        return
    if st.session_state.get("authors_name") not in names:
        # Searching or paging moved away from the chosen author: show this page's first.
        st.session_state.pop("authors_name", None)
        _reset_comments_page()
    name = st.selectbox(
        "Author", names, format_func=visible, key="authors_name", on_change=_reset_comments_page
    )
    profile = authors.author_profile(state.store(), name, rule_set_version=version)
    if profile is None:
        st.warning("That author is gone; pick another.")
        return
    _profile(profile)
    _activity(name, version)
