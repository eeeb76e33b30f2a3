"""Discussion-policy text -> clauses with stable ids.

Rules cite clauses by id (``no-profanity``), so ids must not change when a site rewords its policy
slightly: well-known prohibitions map to canonical ids, anything else gets a slug of its words.

Policy text comes from untrusted pages, so matching must stay linear in its length. The
prohibition pattern is a search with a lazy middle ("with … will not be permitted"): Python's
backtracking engine retried it from every "with", which made 25 KB of "with " take 14 s. It runs
on RE2 instead (google-re2: linear time by construction, same leftmost-first match). The blocking
check is a scan over words. The other patterns are anchored or run over single-spaced text, where
no two quantifiers compete for the same characters.
"""

from __future__ import annotations

import re

import re2

from moderation.parsing.decoding import scrub
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
# "comments that include X, Y or Z will not be permitted" and its common variants. RE2 knows no
# lookbehind and its \b is ASCII-only, so "a word starts here" is spelled as "the start, or a
# character that is not a letter, digit or underscore" (Python's Unicode \b), consumed.
_PROHIBITION = re2.compile(
    r"(?i)(?:^|[^\pL\pN_])(?:(?:that|which|who)\s*)?"
    r"(?:include|includes|including|contain|contains|containing|with)\s+"
    r"(?P<items>[^.;:]+?)(?P<tail>\s+(?:will|shall|are|is|may)\s+(?:not|never)\s+be"
    r"\s+(?:permitted|allowed|tolerated|accepted|published)|\s+(?:will|shall)\s+be\s+"
    r"(?:removed|deleted))"
)
_ITEMS = _PROHIBITION.groupindex["items"]
_WORDS = re.compile(r"\w+")
_BLOCK_VERBS = ("block", "ban", "suspend")
_BLOCK_OBJECTS = frozenset({"user", "users", "commenter", "commenters", "account", "accounts"})
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")
_LIST_SPLIT = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|and/or)\s+")


def parse_policy(text: str) -> Policy:
    """Split ``text`` into clauses: one per prohibited kind of content, one per other sentence."""
    text = scrub(text)  # RE2 matches UTF-8: a lone surrogate cannot be encoded
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
            start, end = match.start(_ITEMS), match.end(_ITEMS)
            before, after = sentence[:start], sentence[end:]
            for item in _LIST_SPLIT.split(sentence[start:end]):
                item = item.strip()
                if item:
                    add(_prohibition_id(item), f"{before}{item}{after}")
        elif _mentions_blocking(sentence):
            add("may-block-violators", sentence)
        else:
            add(slug(sentence), sentence)
    return Policy(text=text, clauses=tuple(clauses))


def _mentions_blocking(sentence: str) -> bool:
    """A word starting with block/ban/suspend, later followed by the word user(s), commenter(s)
    or account(s), found in one pass over the words (the regular expression it replaces
    rescanned the rest of the sentence from every "ban")."""
    seen_verb = False
    for word in _WORDS.findall(sentence.lower()):
        if seen_verb and word in _BLOCK_OBJECTS:
            return True
        seen_verb = seen_verb or word.startswith(_BLOCK_VERBS)
    return False


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
