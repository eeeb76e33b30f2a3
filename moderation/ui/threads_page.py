"""Threads: every article with its comment tree, reader text shown as plain text."""

from __future__ import annotations

import streamlit as st

from moderation.ui import state


def render() -> None:
    store = state.store()
    st.title("Threads")
    summaries = store.article_summaries()
    if not summaries:
        st.info("No articles yet. Load some with `moderation ingest PATH`.")
        return
    st.dataframe(
        [
            {"title": s["title"], "comments": s["comments"], "source": s["source"]}
            for s in summaries
        ],
        hide_index=True,
        key="threads_table",
    )
    titles = {s["id"]: str(s["title"]) for s in summaries}
    chosen = st.selectbox(
        "Article", list(titles), format_func=titles.__getitem__, key="threads_article"
    )
    article = store.load_article(chosen)
    if article is None:
        st.warning("That article is gone; pick another.")
        return
    st.subheader(article.title)
    with st.expander("Article text"):
        st.text(article.body)
    if article.policy:
        with st.expander("Discussion policy"):
            for clause in article.policy.clauses:
                st.text(f"[{clause.id}] {clause.text}")
    st.caption(f"{len(article.reader_comments)} comments")
    for comment in article.comments:
        # Indent replies by depth; reader text is untrusted, so st.text (never markdown).
        _, body = st.columns([min(comment.depth, 6) * 0.05 + 0.001, 1])
        with body.container(border=True):
            label = "Pingback" if comment.kind == "pingback" else f"#{comment.number or '↳'}"
            st.text(f"{label}  {comment.author or 'anonymous'}")
            st.text(comment.text or "(empty comment)")
