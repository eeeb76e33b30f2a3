"""Source files -> Article records. One module per source format, chosen by ``detect``.

A file may hold several articles (platform exports do), so every entry point returns a list.
"""

from __future__ import annotations

from pathlib import Path

from moderation.parsing.decoding import decode_text, read_source
from moderation.parsing.detect import FORMATS, Format, ParseOptions, detect
from moderation.records import Article

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def parse_text(text: str, *, source: str, options: ParseOptions | None = None) -> list[Article]:
    return detect(text, source=source).parse(text, source, options or ParseOptions())


def parse_file(
    path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, options: ParseOptions | None = None
) -> list[Article]:
    return parse_text(read_source(path, max_bytes=max_bytes), source=str(path), options=options)


def parse_bytes(data: bytes, *, source: str, options: ParseOptions | None = None) -> list[Article]:
    return parse_text(decode_text(data, subject=source), source=source, options=options)


__all__ = [
    "DEFAULT_MAX_BYTES",
    "FORMATS",
    "Format",
    "ParseOptions",
    "detect",
    "parse_bytes",
    "parse_file",
    "parse_text",
]
