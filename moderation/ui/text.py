"""Reader text is untrusted: these helpers turn it into Markdown that renders literally.

Streamlit never renders raw HTML unless asked to, but Markdown syntax (``**bold**``,
``[link](…)``, ``:red[…]``, ``$math$``, indented code) would still be interpreted. CommonMark lets
every ASCII punctuation character be backslash-escaped, so escaping all of them makes any text
render exactly as typed; evidence spans are then wrapped in a highlight we add ourselves.

Escaping does not stop GitHub-flavoured autolinks (``http://…``, ``www.…``, ``a@b.org``), which
would turn a reader's text into a clickable link; an invisible WORD JOINER inside each trigger
keeps every visible character while breaking the link.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping
from typing import Any

_ESCAPE = {ord(ch): "\\" + ch for ch in string.punctuation}
WORD_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)|(?<=@)", re.IGNORECASE)


def literal_markdown(text: str) -> str:
    """Markdown that displays ``text`` verbatim, line breaks and leading spaces included."""
    lines = []
    unlinked = _AUTOLINK.sub(WORD_JOINER, text)
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
