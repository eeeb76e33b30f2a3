"""The head of a markup file, read by scanning: what sniffers need to know before parsing.

Sniffers used to skip XML comments with patterns such as ``(?:<!--.*?-->\\s*)*``. A nested lazy
quantifier like that backtracks exponentially: ``"<!---->" * 26 + "<x>"`` (185 bytes) took 17 s
and, holding the GIL, froze every dashboard session. These helpers walk the text once with
``str.find``, so their cost is linear in the head whatever it holds. Comments end at the first
``-->``, as in HTML and XML (the old patterns could also end one at a later ``-->``).
"""

from __future__ import annotations

import re

# Anchored at a known position and free of nested quantifiers: linear.
_HTML_OPENING = re.compile(r"<!doctype\s+html|<(?:html|head|body)\b", re.IGNORECASE)


def skip_space(text: str, start: int) -> int:
    """The index of the first non-whitespace character at or after ``start``."""
    end = len(text)
    while start < end and text[start].isspace():
        start += 1
    return start


def after_prolog(head: str) -> int | None:
    """Where the first element may start: after leading space, an XML declaration (or other
    processing instruction) and comments. None when a comment or declaration is unterminated."""
    i = skip_space(head, 0)
    if head.startswith("<?", i):
        close = head.find("?>", i + 2)
        if close < 0:
            close = head.find(">", i + 2)  # a sloppy "<?xml …>" still counts, as it did
            if close < 0:
                return None
            i = skip_space(head, close + 1)
        else:
            i = skip_space(head, close + 2)
    while head.startswith("<!--", i):
        close = head.find("-->", i + 4)
        if close < 0:
            return None
        i = skip_space(head, close + 3)
    return i


def starts_html(head: str) -> bool:
    """True when, after the prolog, the text opens with a doctype, <html>, <head> or <body>."""
    start = after_prolog(head)
    return start is not None and _HTML_OPENING.match(head, start) is not None


def strip_comments(text: str) -> str:
    """``text`` without its ``<!-- … -->`` comments; an unterminated one is left as it is."""
    parts: list[str] = []
    position = 0
    while True:
        opening = text.find("<!--", position)
        if opening < 0:
            break
        close = text.find("-->", opening + 4)
        if close < 0:
            break
        parts.append(text[position:opening])
        position = close + 3
    parts.append(text[position:])
    return "".join(parts)
