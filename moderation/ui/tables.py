"""Tables as moderators read them: the same entry numbering as the card and the thread view,
statuses and actions in words, a dash instead of ``None`` or an empty cell, and reader text with
its invisible characters shown (names and titles: every one; comment text: bidi controls)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from moderation.review.threads import NO_CATEGORY, STATUSES
from moderation.ui.text import visible, visible_bidi
from moderation.ui.words import ACTION_WORDS, AUTHOR_STATUS_WORDS, STATUS_WORDS, status_word

DASH = "—"
# Columns of reader text that are not names or titles: only reordering characters are shown there.
_BODY_COLUMNS = frozenset({"text", "note"})


def readable(frame: pd.DataFrame, *, author_status: bool = False) -> pd.DataFrame:
    """A copy of ``frame`` for display. Known columns: ``position`` (0-based) becomes
    ``entry`` (1-based, pingbacks counted), ``status`` and ``action`` read as words,
    ``category`` "none" as a dash, booleans as yes/no; missing values show as a dash."""
    out = frame.copy()
    if "position" in out:
        out.insert(out.columns.get_loc("position"), "entry", out.pop("position") + 1)
    if "status" in out:
        words = AUTHOR_STATUS_WORDS if author_status else None
        out["status"] = [
            (words.get(s, s) if words else status_word(s)) if s is not None else DASH
            for s in out["status"]
        ]
    if "action" in out:
        out["action"] = [ACTION_WORDS.get(a, a) if a is not None else DASH for a in out["action"]]
    if "category" in out:
        out["category"] = [DASH if c in (None, NO_CATEGORY) else c for c in out["category"]]
    for column in out.columns:
        if out[column].dtype == bool:
            out[column] = out[column].map({True: "yes", False: "no"})
        elif out[column].dtype == object or str(out[column].dtype).startswith(("str", "string")):
            shown = visible_bidi if column in _BODY_COLUMNS else visible
            out[column] = [
                DASH if _missing(v) else shown(v) if isinstance(v, str) else v for v in out[column]
            ]
        elif out[column].isna().any():  # e.g. a severity column with unflagged comments
            out[column] = [DASH if _missing(v) else _whole(v) for v in out[column]]
    return out


def _whole(value: object) -> object:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _missing(value: object) -> bool:
    if value is None or value == "":
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def status_columns() -> dict[str, Any]:
    """Column headers in moderators' words for the per-status count columns."""
    return {status: st.column_config.NumberColumn(STATUS_WORDS[status]) for status in STATUSES}
