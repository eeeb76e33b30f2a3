"""Reader text is untrusted: these helpers turn it into Markdown that renders literally.

Streamlit never renders raw HTML unless asked to, but Markdown syntax (``**bold**``,
``[link](…)``, ``:red[…]``, ``$math$``, indented code) would still be interpreted. CommonMark lets
every ASCII punctuation character be backslash-escaped, so escaping all of them makes any text
render exactly as typed; evidence spans are then wrapped in a highlight we add ourselves.

Escaping does not stop GitHub-flavoured autolinks (``http://…``, ``www.…``, ``a@b.org``), which
would turn a reader's text into a clickable link; an invisible WORD JOINER inside each trigger
keeps every visible character while breaking the link.

Invisible characters would let a name pass for another ("\u202enimda" displays as "admin"):
``visible`` shows every bidi control and every other invisible format or control character as
``⟨U+202E⟩``, for names and titles wherever they are displayed (Markdown, tables, labels, charts).
Comment bodies keep joiners and line breaks, which languages and emoji need, but their bidi
controls, which reorder what follows them, are shown too (``visible_bidi``, applied by
``literal_markdown``).
"""

from __future__ import annotations

import functools
import re
import string
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

_ESCAPE = {ord(ch): "\\" + ch for ch in string.punctuation}
WORD_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)|(?<=@)", re.IGNORECASE)
# Embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), the marks (U+200E, U+200F)
# and the Arabic letter mark (U+061C).
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)
_BIDI = re.compile("[" + "".join(sorted(BIDI_CONTROLS)) + "]")
# Invisible in names: format (Cf: zero-width space/joiners, word joiner, BOM, soft hyphen, …),
# control (Cc), unassigned and private-use characters, line and paragraph separators, and the
# Hangul and Mongolian fillers that render as nothing.
_HIDDEN_CATEGORIES = frozenset({"Cf", "Cc", "Cs", "Co", "Cn", "Zl", "Zp"})
_FILLERS = frozenset("\u115f\u1160\u3164\uffa0\u180e\u034f")


# The hidden characters str.isprintable() lets through (bidi controls are Cf: not printable).
_PRINTABLE_HIDDEN = re.compile(
    "[" + "".join(sorted(ch for ch in BIDI_CONTROLS | _FILLERS if ch.isprintable())) + "]"
)


def _shown(char: str) -> str:
    return f"⟨U+{ord(char):04X}⟩"


def _hidden(char: str) -> bool:
    return (
        char in BIDI_CONTROLS
        or char in _FILLERS
        or unicodedata.category(char) in _HIDDEN_CATEGORIES
    )


def visible(text: str | None) -> str:
    """A name or title with every invisible or reordering character shown as ``⟨U+XXXX⟩``."""
    if not text:
        return text or ""
    if text.isprintable() and not _PRINTABLE_HIDDEN.search(text):
        return text  # the common case, checked at C speed (a queue filter lists 10,000 titles)
    return _marked(text)


@functools.lru_cache(maxsize=16_384)
def _marked(text: str) -> str:
    # Remembered: the same titles are shown on every run (a filter's options), and this loop
    # runs per character in Python.
    return "".join(_shown(ch) if _hidden(ch) else ch for ch in text)


def visible_bidi(text: str) -> str:
    """A comment body with its bidi controls shown as ``⟨U+XXXX⟩`` (everything else as is)."""
    return _BIDI.sub(lambda m: _shown(m.group()), text)


def name_markdown(text: str | None, *, missing: str = "anonymous") -> str:
    """A reader-supplied name or title as literal Markdown, invisible characters shown."""
    return literal_markdown(visible(text) if text else missing)


def literal_markdown(text: str) -> str:
    """Markdown that displays ``text`` verbatim, line breaks and leading spaces included (bidi
    controls shown as ``⟨U+XXXX⟩``: they would reorder the display)."""
    lines = []
    unlinked = _AUTOLINK.sub(WORD_JOINER, visible_bidi(text))
    for line in unlinked.translate(_ESCAPE).split("\n"):
        stripped = line.lstrip(" ")
        # Leading spaces would start a code block; non-breaking spaces keep the indentation.
        lines.append("\u00a0" * (len(line) - len(stripped)) + stripped)
    return "  \n".join(lines)


def highlighted_markdown(
    text: str, spans: Iterable[Mapping[str, Any]], *, colour: str = "red"
) -> str:
    """``text`` rendered literally with each evidence span (start, end) highlighted."""
    ordered = sorted(
        {(int(s["start"]), int(s["end"])) for s in spans if 0 <= s["start"] < s["end"]}
    )
    out: list[str] = []
    cursor = 0
    for start, end in ordered:
        if start < cursor:  # overlapping spans: extend the previous highlight instead
            start = cursor
        if start >= end:
            continue
        out.append(literal_markdown(text[cursor:start]))
        inner = literal_markdown(text[start:end]).replace("  \n", " ")
        out.append(f":{colour}-background[**{inner}**]")
        cursor = end
    out.append(literal_markdown(text[cursor:]))
    return "".join(out)
