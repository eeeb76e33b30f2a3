"""What every chart shares: one colour per category (the same on every chart and page), the
words for the axes, and whole-number axes for counts.

Colours are fixed for the categories of the default rules and derived from the name for any
other (an editor may add categories), so a category never changes colour between charts, pages
or sessions. Model labels and moderators' actions get their own fixed colours the same way.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable

from plotly.graph_objects import Figure

from moderation.stats import NO_CATEGORY

CATEGORY_COLOURS: dict[str, str] = {
    "profanity": "#d62728",
    "personal_attack": "#ff7f0e",
    "identity_attack": "#9467bd",
    "threat": "#8c564b",
    "sexual": "#e377c2",
    "other": "#17becf",
    NO_CATEGORY: "#b0b0b0",  # unflagged stays grey so flagged comments stand out
}
LABEL_COLOURS: dict[str, str] = {
    "toxicity": "#1f77b4",
    "severe_toxicity": "#d62728",
    "obscene": "#e377c2",
    "identity_attack": "#9467bd",
    "insult": "#ff7f0e",
    "threat": "#8c564b",
    "sexual_explicit": "#bcbd22",
}
ACTION_COLOURS: dict[str, str] = {
    "approve": "#2ca02c",
    "reject": "#d62728",
    "escalate": "#ff7f0e",
    "undo": "#7f7f7f",
    "block": "#9467bd",
    "unblock": "#17becf",
}
# For names none of the maps knows: picked by a hash of the name, never by position.
_SPARE = ("#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd", "#31a354")


def _colour(known: dict[str, str], name: str) -> str:
    if name in known:
        return known[name]
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).digest()
    return _SPARE[digest[0] % len(_SPARE)]


def colours(kind: str, names: Iterable[object]) -> dict[str, str]:
    """``color_discrete_map`` for a column of categories, labels or actions."""
    known = {"category": CATEGORY_COLOURS, "label": LABEL_COLOURS, "action": ACTION_COLOURS}[kind]
    return {str(n): _colour(known, str(n)) for n in names}


def count_axis(fig: Figure, largest: float, axis: str = "y") -> None:
    """A whole-number axis for counts: ticks on integers only (no 0.5 comments), from 0."""
    step = max(1, math.ceil(largest / 8)) if largest > 0 else 1
    if step > 1:  # round the step to 1, 2 or 5 times a power of ten
        power = 10 ** (len(str(step)) - 1)
        step = next(m * power for m in (1, 2, 5, 10) if m * power >= step)
    update = fig.update_yaxes if axis == "y" else fig.update_xaxes
    update(dtick=step, tick0=0, tickformat=",d", rangemode="tozero")
