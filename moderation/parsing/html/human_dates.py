"""Dates as themes print them ("March 3, 2011 at 2:04 pm") -> ISO 8601 UTC, or None.

Machine-readable stamps (``datetime``, ``content``, ISO, RFC 2822, epoch seconds) go straight to
``moderation.parsing.dates.to_utc_iso``; this module reads the English wording WordPress, Drupal,
Blogger and similar systems put in the page when they give no machine-readable time. Like
``to_utc_iso``, a time without a zone is taken as UTC, and a date without a time stays a date.
Relative wording ("2 years ago") has no date in it and gives None.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from moderation.parsing.dates import MONTHS as _MONTHS
from moderation.parsing.dates import clock_hour, to_utc_iso

_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_TIME = (
    r"(?:(?:\s*,)?\s*(?:at|@|-|–)?\s*(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?::(?P<second>\d{2}))?"
    r"\s*(?P<ampm>[ap]\.?m\.?)?)?"
)
_PATTERNS = tuple(
    re.compile(pattern + _TIME + r"(?![\w:])", re.IGNORECASE)
    for pattern in (
        # March 3, 2011 / Mar 3rd 2011
        _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})",
        # 3 March 2011 / 3rd of March, 2011
        r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r",?\s+(?P<year>\d{4})",
        # 2011-03-03 14:04 (what some themes print)
        r"(?P<year>\d{4})-(?P<nmonth>\d{1,2})-(?P<day>\d{1,2})",
        # 03/03/2011 - 14:04 (Drupal 7's default medium format is US month/day/year)
        r"(?P<nmonth>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{4})",
    )
)
_MAX_CHARS = 200
# Stamps ``to_utc_iso`` reads exactly: ISO 8601, epoch seconds, RFC 2822 with its zone. Other
# wording goes to the patterns above (``email.utils`` would read "2:04 PM" as 02:04).
_MACHINE = re.compile(
    r"^(?:\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?|\d{9,13}(?:\.\d+)?"
    r"|(?:\w{3},\s*)?\d{1,2}\s+\w{3}\s+\d{4}\s+\d{2}:\d{2}(?::\d{2})?\s+(?:[+-]\d{4}|GMT|UTC))$",
    re.IGNORECASE,
)


def parse_date(value: str | None) -> str | None:
    """ISO 8601 UTC for a machine stamp or English date wording; None when there is no date."""
    text = " ".join((value or "").split())[:_MAX_CHARS]
    if not text:
        return None
    try:
        if _MACHINE.match(text):
            return to_utc_iso(text)
        for pattern in _PATTERNS:
            match = pattern.search(text)
            if match is not None:
                return _from_match(match)
    except (OverflowError, ValueError):  # year 1 or 9999 shifted out of range by a zone
        return None
    return None


def _from_match(match: re.Match[str]) -> str | None:
    parts = match.groupdict()
    month = _MONTHS[parts["month"].lower()] if parts.get("month") else int(parts["nmonth"])
    try:
        day = date(int(parts["year"]), month, int(parts["day"]))
    except ValueError:
        return None
    if parts["hour"] is None:
        return day.isoformat()
    hour = clock_hour(int(parts["hour"]), parts["ampm"])
    if hour is None:
        return None
    minute, second = int(parts["minute"]), int(parts["second"] or 0)
    try:
        stamp = datetime(day.year, day.month, day.day, hour, minute, second)
    except ValueError:
        return None
    return to_utc_iso(stamp.isoformat())
