"""The queue's "Filter and sort" panel, and the table of the page of the queue it selects."""

from __future__ import annotations

from typing import Any

import streamlit as st

from moderation import review
from moderation.review import LEARNED_SORT, QueueFilter
from moderation.ui.text import visible, visible_bidi
from moderation.ui.words import SORT_WORDS, status_word


def _narrowing(options: review.FilterOptions) -> tuple[str | None, str | None, str | None]:
    """The article, category and rule picked (None: all)."""
    c1, c2, c3 = st.columns(3)
    articles = dict(options.articles)
    article = c1.selectbox(
        "Article",
        [None, *articles],
        format_func=lambda a: "All" if a is None else visible(articles[a]),
        key="queue_article",
    )
    category = c2.selectbox(
        "Category",
        [None, *options.categories],
        format_func=lambda c: c or "All",
        key="queue_category",
    )
    rule = c3.selectbox(
        "Rule", [None, *options.rules], format_func=lambda r: r or "All", key="queue_rule"
    )
    return article, category, rule


def _sort(learned_version: int | None) -> Any:
    sorts = [s for s in SORT_WORDS if s != LEARNED_SORT or learned_version is not None]
    if st.session_state.get("queue_sort") not in sorts:
        st.session_state.pop("queue_sort", None)  # the learned model was turned off
    return st.selectbox("Sort by", sorts, format_func=SORT_WORDS.__getitem__, key="queue_sort")


def filters(
    options: review.FilterOptions, labels: list[str], learned_version: int | None
) -> tuple[QueueFilter, bool]:
    """The filter, and whether any filter narrows the queue."""
    with st.expander("Filter and sort", expanded=False):
        article, category, rule = _narrowing(options)
        c4, c5, c6 = st.columns(3)
        author = c4.text_input("Author (exact name)", key="queue_author").strip() or None
        label = c5.selectbox(
            "Score label", [None, *labels], format_func=lambda x: x or "—", key="queue_label"
        )
        low, high = c6.slider(
            "Score range",
            0.0,
            1.0,
            (0.0, 1.0),
            0.01,
            key="queue_score_range",
            disabled=label is None,
        )
        sort = _sort(learned_version)
    if sort == "score" and label is None:
        st.caption("Pick a score label to sort by it; sorting by severity meanwhile.")
        sort = "severity"
    if sort == LEARNED_SORT:
        st.caption(
            f"Sorted by learned model v{learned_version}'s estimate that a moderator rejects "
            "the comment (it never decides); comments it has not estimated follow by severity."
        )
    ranged = label is not None and (low > 0.0 or high < 1.0)
    flt = QueueFilter(
        # Clicking the selected segment again deselects it (None): stay on Pending then.
        queue=st.session_state.get("queue_name") or "pending",
        article_id=article,
        category=category,
        rule_id=rule,
        author=author,
        label=label,
        min_score=low,
        max_score=high,
        sort=sort,
    )
    return flt, any((article, category, rule, author)) or ranged


def table(
    items: list[review.QueueItem], first: int, *, scored: bool, learned_sort: bool = False
) -> None:
    """The page of the queue; selecting a row opens that card (read back in picked_row)."""
    rows = [
        {
            "#": first + i,
            "author": visible(it.author or "anonymous")
            + (f" ({it.author_status})" if it.author_restricted else ""),
            "article": visible(it.article_title),
            "comment": f"#{it.thread_position}",
            "severity": "" if it.severity is None else str(it.severity),
            "score": "" if it.score is None else f"{it.score:.2f}",
            "status": status_word(it.status),
            "text": visible_bidi(" ".join(it.text[:120].split())),
        }
        for i, it in enumerate(items)
    ]
    if not scored:  # no label picked: no score to show
        for row in rows:
            row.pop("score")
    if learned_sort:  # the column the rows are sorted by
        for row, it in zip(rows, items, strict=True):
            p = it.reject_probability
            row["rejection likelihood"] = "" if p is None else f"{p:.2f}"
    st.dataframe(
        rows,
        hide_index=True,
        key="queue_table",
        on_select="rerun",
        selection_mode="single-row",
    )


def picked_row(context: tuple[Any, ...]) -> int | None:
    """The row newly selected in the queue table, if any: a selection counts once, so moving
    on with Next and Previous is not undone by the row still being highlighted."""
    selection = st.session_state.get("queue_table")
    rows = list(selection["selection"]["rows"]) if selection else []
    picked = (context, tuple(rows))
    if st.session_state.get("queue_table_seen") == picked:
        return None
    st.session_state["queue_table_seen"] = picked
    return rows[0] if rows else None
