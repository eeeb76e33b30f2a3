"""Fitting parsed values into the columns they are written to, the same on every database.

SQLite stores a 300-character author in VARCHAR(255); PostgreSQL refuses it and the article's
whole transaction with it. So before writing, every bounded column written from parsed input is
checked against its declared length and shortened with a visible mark ("…"), and the caller is
told. Values that name something (an author, a clause id) also keep a short hash of the full
value, so two long names that share a prefix stay two names. Characters no database stores
(NUL; lone surrogates, which are not UTF-8) become U+FFFD on both, instead of failing on one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from sqlalchemy import String, Table

from moderation.fingerprint import stable_id

MARK = "…"
REPLACEMENT = "\ufffd"
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable(text: str) -> str:
    """``text`` with NUL and lone surrogates replaced by U+FFFD (``text`` itself when none)."""
    # At C speed first (a bulk ingest checks every value): ASCII has no surrogates, and a text
    # that encodes as UTF-8 has none either; the regex (slow on long texts) only for the rest.
    if "\x00" not in text:
        if text.isascii():
            return text
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            pass
        else:
            return text
    return _UNSTORABLE.sub(REPLACEMENT, text)


def storable_utf8(text: str) -> bytes | None:
    """``text``'s UTF-8 encoding when ``storable`` would keep it as it is (no NUL, no lone
    surrogate), else None: for a caller that needs the bytes anyway (the bulk ingest hashes
    them), one encoding both checks and gives them."""
    if "\x00" in text:
        return None
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return None


def fit(value: str, length: int, *, identity: bool = False) -> str:
    """``value`` within ``length`` characters: unchanged when it fits, else cut and marked."""
    if len(value) <= length:
        return value
    if identity and length > 16:
        suffix = MARK + stable_id(value, length=8)
        return value[: length - len(suffix)] + suffix
    return value[: length - len(MARK)] + MARK


def column_length(table: Table, column: str) -> int | None:
    return _lengths(table).get(column)


@cache
def _lengths(table: Table) -> dict[str, int]:
    # Read for every value of every row a bulk ingest writes: looked up once per table.
    return {
        c.name: c.type.length for c in table.columns if isinstance(c.type, String) and c.type.length
    }


def fit_row(
    table: Table,
    row: Mapping[str, Any],
    *,
    identity: Iterable[str] = (),
    where: str,
    shortened: list[str] | None,
) -> dict[str, Any]:
    """``row`` with every string made storable and fitted to its column; each value shortened
    is reported in ``shortened`` as one line naming ``where`` and the column."""
    names = set(identity)
    lengths = _lengths(table)
    fitted: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, str):
            value = storable(value)
            length = lengths.get(key)
            if length is not None and len(value) > length:
                if shortened is not None:
                    shortened.append(
                        f"{where}: {table.name}.{key} shortened from {len(value):,} to "
                        f"{length} characters"
                    )
                value = fit(value, length, identity=key in names)
        fitted[key] = value
    return fitted
