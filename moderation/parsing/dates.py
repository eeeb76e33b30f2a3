"""Platform time stamps -> ISO 8601 in UTC ("2013-01-05T12:34:56+00:00"), or None.

Exports write times in many ways (WXR: "2014-01-14 17:31:03" in UTC plus an RFC 2822 pubDate;
Disqus: "2013-10-10T19:20:29Z"; HTML: the ``datetime`` attribute; CSV: whatever the tool wrote;
copied comment threads: "March 3, 2011 at 2:04 pm"). One function reads them all so every format
stores the same shape, and none of them ever raises: an unreadable or out-of-range time is None.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime

_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_EPOCH = re.compile(r"^\d{9,13}(?:\.\d+)?$")
# WordPress writes this for drafts and for comments it never dated.
_ZERO_DATES = {"0000-00-00 00:00:00", "0000-00-00T00:00:00", "0000-00-00"}
# Longer than any time stamp: a cell holding a paragraph is not worth the parsers' time.
_MAX_CHARS = 64

# Month names and their English abbreviations, as comment themes print them.
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = "(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_TIME = r"(?:,?\s+(?:at\s+)?(?P<hour>\d{1,2})[:.](?P<minute>\d{2})\s*(?P<ampm>[ap]\.?m\.?)?)?"
# The shapes comment themes print: "March 3, 2011 at 2:04 pm", "3 March 2011 at 14:04",
# "Mar 3, 2011", "Thursday, March 3, 2011 at 2:04 pm". Anchored at both ends on a string of at
# most _MAX_CHARS characters, so matching is cheap whatever the input.
_HUMAN = re.compile(
    r"^(?:[a-z]+day,?\s+)?(?:"
    rf"{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})"
    rf"|(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH.replace('month', 'month2')},?\s+"
    r"(?P<year2>\d{4})"
    rf"){_TIME}$",
    re.IGNORECASE,
)


def to_utc_iso(value: str | None) -> str | None:
    """``value`` as ISO 8601 UTC; None when empty, unreadable or out of range.

    A time without an offset is taken as UTC: the fields read here are UTC by definition
    (``comment_date_gmt``) or, where a site wrote local time, there is no zone to convert from.
    A date without a time stays a bare date ("2020-12-24"), rather than inventing midnight.
    """
    text = (value or "").strip()
    if not text or text in _ZERO_DATES or len(text) > _MAX_CHARS:
        return None
    if _DATE_ONLY.match(text):
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            return None
    try:
        parsed = _parse(text)
        if parsed is None:
            return None
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        # Year 1 or 9999 with an offset moves out of datetime's range here (OverflowError).
        return parsed.astimezone(UTC).isoformat(timespec="seconds")
    except (ValueError, OverflowError, OSError):
        return None


def human_date_to_iso(value: str) -> str | None:
    """A date as comment themes print it ("March 3, 2011 at 2:04 pm") as ISO UTC, else None.

    Only the whole string counts, so a sentence that merely mentions a date is not a date.
    """
    text = " ".join(value.split())
    if not text or len(text) > _MAX_CHARS:
        return None
    match = _HUMAN.match(text)
    if match is None:
        return None
    month = MONTHS[(match["month"] or match["month2"]).lower()]
    day = int(match["day"] or match["day2"])
    year = int(match["year"] or match["year2"])
    try:
        if match["hour"] is None:
            return date(year, month, day).isoformat()
        hour = clock_hour(int(match["hour"]), match["ampm"])
        if hour is None:
            return None
        stamp = datetime(year, month, day, hour, int(match["minute"]), tzinfo=UTC)
        return stamp.isoformat(timespec="seconds")
    except ValueError:
        return None


def clock_hour(hour: int, ampm: str | None) -> int | None:
    """The 24-hour hour of ``hour`` read with its "am" or "pm" ("p.m." too; none: already 24-hour);
    None for an hour a 12-hour clock does not have ("0 am", "13 pm")."""
    suffix = (ampm or "").replace(".", "").lower()
    if not suffix:
        return hour
    if not 1 <= hour <= 12:
        return None
    return hour % 12 + (12 if suffix == "pm" else 0)


_ISO_LINE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?$")


def line_date(value: str) -> str | None:
    """A line of copied text that is only a date: a theme's ("March 3, 2011 at 2:04 pm") or an
    ISO one ("2011-03-03 14:04"); never a bare number (a comment may well be "1234567890")."""
    text = value.strip()
    if _ISO_LINE.match(text):
        return to_utc_iso(text)
    return human_date_to_iso(text)


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
