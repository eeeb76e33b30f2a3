"""Discussion-policy text -> clauses with stable ids.

Rules cite clauses by id (``no-profanity``), so ids must not change when a site rewords its policy
slightly: well-known prohibitions map to canonical ids, anything else gets a slug of its words.
"""

from __future__ import annotations

import re

from moderation.records import Policy, PolicyClause

# Canonical ids for the prohibitions news sites commonly list (first match wins).
_CANONICAL: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), clause_id)
    for pattern, clause_id in (
        (r"profan|obscen|swear|vulgar|curs(e|ing)", "no-profanity"),
        (r"personal attack|insult|name[- ]calling|harass|abus", "no-personal-attacks"),
        (r"hate|racis|bigot|discriminat", "no-hate-speech"),
        (r"threat|violen", "no-threats"),
        (r"spam|advertis|promot", "no-spam"),
        (r"off[- ]topic", "no-off-topic"),
        (r"inappropriate|offensive|objectionable", "no-inappropriate-material"),
    )
)
# "comments that include X, Y or Z will not be permitted" and its common variants.
_PROHIBITION = re.compile(
    r"(?P<lead>\b(?:that|which|who)?\s*(?:include|includes|including|contain|contains|containing"
    r"|with)\s+)(?P<items>[^.;:]+?)(?P<tail>\s+(?:will|shall|are|is|may)\s+(?:not|never)\s+be"
    r"\s+(?:permitted|allowed|tolerated|accepted|published)|\s+(?:will|shall)\s+be\s+"
    r"(?:removed|deleted))",
    re.IGNORECASE,
)
_BLOCKING = re.compile(r"\b(block|ban|suspend)\w*\b.*\b(users?|commenters?|accounts?)\b", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")
_LIST_SPLIT = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|and/or)\s+")


def parse_policy(text: str) -> Policy:
    """Split ``text`` into clauses: one per prohibited kind of content, one per other sentence."""
    clauses: list[PolicyClause] = []
    seen: dict[str, int] = {}

    def add(clause_id: str, clause_text: str) -> None:
        count = seen.get(clause_id, 0) + 1
        seen[clause_id] = count
        clauses.append(
            PolicyClause(clause_id if count == 1 else f"{clause_id}-{count}", clause_text)
        )

    for sentence in _sentences(text):
        match = _PROHIBITION.search(sentence)
        if match:
            before, after = sentence[: match.start("items")], sentence[match.end("items") :]
            for item in _LIST_SPLIT.split(match.group("items")):
                item = item.strip()
                if item:
                    add(_prohibition_id(item), f"{before}{item}{after}")
        elif _BLOCKING.search(sentence):
            add("may-block-violators", sentence)
        else:
            add(slug(sentence), sentence)
    return Policy(text=text, clauses=tuple(clauses))


def _sentences(text: str) -> list[str]:
    flat = " ".join(text.split())
    return [s.strip() for s in _SENTENCE_END.split(flat) if s.strip()]


def _prohibition_id(item: str) -> str:
    for pattern, clause_id in _CANONICAL:
        if pattern.search(item):
            return clause_id
    return "no-" + slug(re.sub(r"^(other|any)\s+", "", item, flags=re.I))


def slug(text: str, *, max_words: int = 6) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())[:max_words]
    return "-".join(words) or "clause"
