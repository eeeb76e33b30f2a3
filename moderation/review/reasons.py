"""Reasons for a rejection: the policy clauses that forbid something, with short labels.

A clause forbids something when the policy parser named it as a prohibition (``no-…``, as
moderation/parsing/policy.py and rules.yaml do) or its sentence says so ("… will not be permitted").
The welcome sentence is not a reason, and neither is the blocking clause: that one is a sanction
(cited by blocks), not something a comment can be guilty of.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from moderation.records import BLOCK_CLAUSE

# Clause sentences are short; reading only their start keeps these searches cheap on any input.
_SCAN = 400
_NOT_ALLOWED = re.compile(
    r"\b(?:will|shall|are|is|may)\s+(?:not|never)\s+be\s+"
    r"(?:permitted|allowed|tolerated|accepted|published)\b|\b(?:prohibited|forbidden)\b",
    re.IGNORECASE,
)
# "comments that include <the thing> will not be permitted" -> the thing.
_THING = re.compile(
    r"\b(?:include|includes|including|contain|contains|containing|with)\s+"
    r"(?P<thing>[^.;:,]{1,80}?)\s+(?:will|shall|are|is|may)\s+(?:not|never)\s+be\b",
    re.IGNORECASE,
)
FALLBACK_REASON = "no-inappropriate-material"


@dataclass(frozen=True)
class Reason:
    clause_id: str
    label: str  # the distinguishing words: "Profanity", "Personal attacks"
    text: str  # the clause as the policy words it


def forbids(clause_id: str, text: str) -> bool:
    if clause_id == BLOCK_CLAUSE or clause_id.startswith(BLOCK_CLAUSE + "-"):
        return False
    return clause_id.startswith("no-") or bool(_NOT_ALLOWED.search(text[:_SCAN]))


def label(clause_id: str, text: str) -> str:
    """What the clause forbids, in the policy's own words where it says them."""
    match = _THING.search(text[:_SCAN])
    if match:
        thing = " ".join(match.group("thing").split())
    else:
        thing = clause_id.removeprefix("no-").replace("-", " ")
    return thing[:1].upper() + thing[1:]


def reject_reasons(clauses: Sequence[tuple[str, str]]) -> list[Reason]:
    """The clauses a comment can be rejected for, in policy order, each with a label that is
    unique in the list (a clause id is added where two would read the same)."""
    reasons = [Reason(cid, label(cid, text), text) for cid, text in clauses if forbids(cid, text)]
    seen: dict[str, int] = {}
    for reason in reasons:
        seen[reason.label] = seen.get(reason.label, 0) + 1
    return [
        Reason(r.clause_id, f"{r.label} ({r.clause_id})", r.text) if seen[r.label] > 1 else r
        for r in reasons
    ]


def suggested_reason(hit_clauses: Sequence[str], reasons: Sequence[Reason]) -> str | None:
    """The reason a card opens with: its most severe hit's clause when that is a reason, else
    "other inappropriate material" where the policy has it, else the first reason."""
    ids = [r.clause_id for r in reasons]
    for clause_id in hit_clauses:
        if clause_id in ids:
            return clause_id
    if FALLBACK_REASON in ids:
        return FALLBACK_REASON
    return ids[0] if ids else None
