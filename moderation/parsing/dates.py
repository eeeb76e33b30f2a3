"""Platform time stamps -> ISO 8601 in UTC ("2013-01-05T12:34:56+00:00"), or None.

Exports write times in many ways (WXR: "2014-01-14 17:31:03" in UTC plus an RFC 2822 pubDate;
Disqus: "2013-10-10T19:20:29Z"; HTML: the ``datetime`` attribute; CSV: whatever the tool wrote).
One function reads them all so every format stores the same shape.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime

_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_EPOCH = re.compile(r"^\d{9,13}(?:\.\d+)?$")
# WordPress writes this for drafts and for comments it never dated.
_ZERO_DATES = {"0000-00-00 00:00:00", "0000-00-00T00:00:00", "0000-00-00"}


def to_utc_iso(value: str | None) -> str | None:
    """``value`` as ISO 8601 UTC; None when empty or unreadable.

    A time without an offset is taken as UTC: the fields read here are UTC by definition
    (``comment_date_gmt``) or, where a site wrote local time, there is no zone to convert from.
    A date without a time stays a bare date ("2020-12-24"), rather than inventing midnight.
    """
    text = (value or "").strip()
    if not text or text in _ZERO_DATES:
        return None
    if _DATE_ONLY.match(text):
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            return None
    parsed = _parse(text)
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).isoformat(timespec="seconds")


def _parse(text: str) -> datetime | None:
    if _EPOCH.match(text):
        seconds = float(text)
        if seconds > 1e11:  # milliseconds, as JavaScript tools write them
            seconds /= 1000
        return datetime.fromtimestamp(seconds, UTC)
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
