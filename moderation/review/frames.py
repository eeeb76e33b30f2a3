"""Typed rows from the store as the DataFrames that charts and tables consume whole."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd


def frame(rows: Iterable[tuple[Any, ...]], columns: Sequence[str]) -> pd.DataFrame:
    """A frame of ``rows`` (named tuples or plain tuples in ``columns`` order); an empty list
    still gives the columns, so a page can select them before it checks for rows."""
    return pd.DataFrame([tuple(r) for r in rows], columns=list(columns))


def rate(part: pd.Series, whole: pd.Series) -> pd.Series:
    """``part / whole`` rounded to 4 places; 0 where ``whole`` is 0."""
    return (part / whole.where(whole > 0)).fillna(0.0).round(4)
