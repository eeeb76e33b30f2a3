"""Source files -> Article records. One module per source format, chosen by ``detect``.

A file may hold several articles (platform exports do), so every entry point returns a list.
Every entry point returns its articles or raises a ``ParseError`` with a one-line reason, for any
input; ``moderation.parsing.worker`` runs them under a time and memory budget.
"""

from __future__ import annotations

from pathlib import Path

from moderation.parsing.decoding import read_source, scrub
from moderation.parsing.detect import FORMATS, Format, ParseOptions, detect
from moderation.records import Article

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def parse_detected(
    text: str, *, source: str, options: ParseOptions | None = None
) -> tuple[Format, list[Article]]:
    """The format ``text`` was read as, and its articles."""
    # A str can arrive with lone surrogates (a caller's own decoding): they would fail at the
    # first hash or database write, far from here.
    text = scrub(text)
    fmt = detect(text, source=source)
    return fmt, fmt.parse(text, source, options or ParseOptions())


def parse_text(text: str, *, source: str, options: ParseOptions | None = None) -> list[Article]:
    return parse_detected(text, source=source, options=options)[1]


def parse_file(
    path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, options: ParseOptions | None = None
) -> list[Article]:
    return parse_text(read_source(path, max_bytes=max_bytes), source=str(path), options=options)


__all__ = [
    "DEFAULT_MAX_BYTES",
    "FORMATS",
    "Format",
    "ParseOptions",
    "detect",
    "parse_detected",
    "parse_file",
    "parse_text",
]
