"""The queue's comment card: where the comment is, who wrote it, the text with the evidence
highlighted, the rules that fired with the policy clauses they cite, scores and versions."""

from __future__ import annotations

import streamlit as st

from moderation import review
from moderation.scoring import learned
from moderation.ui import blocking, state
from moderation.ui.site_conflict import show_push_conflict
from moderation.ui.text import highlighted_markdown, literal_markdown, name_markdown
from moderation.ui.words import likelihood_words, status_word


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _where(card: review.Card) -> str:
    """Article, position, reply, status and source-site status, in moderators' words."""
    item = card.item
    parts = [
        name_markdown(item.article_title),
        f"#{item.thread_position} of {card.thread_entries} in the thread",
    ]
    if item.parent_id is not None and card.parent_text is not None:
        parts.append(f"reply to {name_markdown(card.parent_author)}")
    status = f"status **{literal_markdown(status_word(item.status))}**"
    if item.decided_by:
        status += f" by {name_markdown(item.decided_by)}"
    parts.append(status)
    if item.platform_status:
        parts.append(f"{literal_markdown(item.platform_status)} on the source site")
    return " · ".join(parts)


def _likelihood(comment_id: str, learned_version: int | None) -> str | None:
    """The stored estimate of the learned version for this comment, if it made one (read
    only: a card never computes or stores a prediction)."""
    if learned_version is None:
        return None
    found = learned.reject_probability(state.store(), [comment_id]).get(comment_id)
    if found is None or found[1] != learned_version:
        return None
    return likelihood_words(*found)


def _hit_markdown(hit: review.CardHit, clause_text: dict[str, str]) -> str:
    """One rule that fired: its evidence, and the policy clause it cites (quoted)."""
    quote = hit.clause_text or clause_text.get(hit.clause_id, "")
    evidence = ", ".join(f"“{e['text']}”" for e in hit.evidence) or "model score"
    category = hit.category.replace("_", " ")
    return (
        f"- **{literal_markdown(hit.rule_id)}** ({literal_markdown(category)}, severity "
        f"{hit.severity}, suggests {literal_markdown(hit.action)}): "
        f"{literal_markdown(evidence)}"
        + (
            f"  \n  _Policy {literal_markdown(hit.clause_id)}: {literal_markdown(quote)}_"
            if quote
            else ""
        )
    )


def _footer(card: review.Card, learned_version: int | None) -> None:
    """Scores, the learned model's estimate and the versions the card is read under."""
    if card.scores:
        st.caption("Scores: " + ", ".join(f"{k} {v:.2f}" for k, v in sorted(card.scores.items())))
    likelihood = _likelihood(card.item.comment_id, learned_version)
    if likelihood:
        st.caption(likelihood)
    versions = []
    if card.model_id:
        versions.append(f"model {literal_markdown(card.model_id)}")
    if card.rule_set_version is not None:
        versions.append(f"rule set v{card.rule_set_version}")
    if versions:
        st.caption(capitalised(" · ".join(versions)))


def draw(
    card: review.Card, rule_clauses: list[tuple[str, str]], learned_version: int | None = None
) -> None:
    item = card.item
    spans = [span for hit in card.hits for span in hit.evidence]
    with st.container(border=True, key="queue_card"):
        st.caption(_where(card))
        show_push_conflict(state.store(), item.comment_id)  # a decision the site did not take
        with st.container(key="queue_card_author"):
            badge = blocking.status_badge(item.author_status, item.author_until)
            st.markdown(f"**{name_markdown(item.author)}**" + (f"  ·  {badge}" if badge else ""))
        if card.parent_text is not None:
            with st.expander(f"In reply to {name_markdown(card.parent_author)}"):
                st.markdown(literal_markdown(card.parent_text) or "*(empty comment)*")
        st.markdown(highlighted_markdown(item.text, spans) if item.text else "*(empty comment)*")
        clause_text = dict(rule_clauses)
        for hit in card.hits:
            st.markdown(_hit_markdown(hit, clause_text))
        _footer(card, learned_version)
