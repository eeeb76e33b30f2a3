"""Source files -> Article records. One module per source format, chosen by ``detect``."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from moderation.errors import ParseError
from moderation.parsing.decoding import decode_text, read_source
from moderation.parsing.text_article import parse_text_article
from moderation.records import Article

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

Parser = Callable[[str, str], Article]

# Structured formats we do not parse yet: refusing them beats ingesting markup as an article.
_UNSUPPORTED = (
    (re.compile(r"^\s*<\?xml|^\s*<rss\b|^\s*<disqus\b", re.I), "XML export"),
    (re.compile(r"^\s*<!doctype html|^\s*<html\b", re.I), "HTML page"),
    (re.compile(r"^\s*[\[{]\s*[\"{\[]"), "JSON"),
)


def _text(text: str, source: str) -> Article:
    return parse_text_article(text, source=source)


def detect(text: str, *, source: str) -> Parser:
    """The parser for ``text``; a clear ParseError for formats Threadwatch cannot read yet."""
    head = text[:2048]
    for pattern, name in _UNSUPPORTED:
        if pattern.search(head):
            raise ParseError(
                f"unrecognised format ({name}); supported: scraped-text articles", subject=source
            )
    return _text


def parse_text(text: str, *, source: str) -> Article:
    return detect(text, source=source)(text, source)


def parse_file(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Article:
    return parse_text(read_source(path, max_bytes=max_bytes), source=str(path))


def parse_bytes(data: bytes, *, source: str) -> Article:
    return parse_text(decode_text(data, subject=source), source=source)


__all__ = ["DEFAULT_MAX_BYTES", "detect", "parse_bytes", "parse_file", "parse_text"]
