"""Which parser reads a file: decided by content first, the file name only as a hint.

Each format registers a sniffer and a parser; a file no sniffer claims gets an error naming the
formats Threadwatch reads.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from moderation.errors import ParseError
from moderation.parsing.text_article import parse_text_article
from moderation.records import Article


@dataclass(frozen=True)
class ParseOptions:
    """Per-run choices, e.g. the column mapping of CSV / JSON-lines files."""

    column_map: Mapping[str, str] = field(default_factory=dict)


Sniffer = Callable[[str, str], bool]  # (first KiB of text, lower-case file suffix) -> claims it
FormatParser = Callable[[str, str, ParseOptions], list[Article]]


@dataclass(frozen=True)
class Format:
    name: str
    sniff: Sniffer
    parse: FormatParser


def _is_scraped_text(head: str, _suffix: str) -> bool:
    # The fallback format: anything that is not markup or structured data.
    stripped = head.lstrip()
    return not stripped.startswith(("<", "{", "["))


def _parse_scraped_text(text: str, source: str, _options: ParseOptions) -> list[Article]:
    return [parse_text_article(text, source=source)]


# Most specific first; scraped text is the catch-all and stays last.
FORMATS: list[Format] = [
    Format("scraped-text article", _is_scraped_text, _parse_scraped_text),
]


def detect(text: str, *, source: str) -> Format:
    head = text[:4096]
    suffix = source.rsplit(".", 1)[-1].lower() if "." in source else ""
    for fmt in FORMATS:
        if fmt.sniff(head, suffix):
            return fmt
    supported = ", ".join(f.name for f in FORMATS)
    raise ParseError(f"unrecognised format; supported: {supported}", subject=source)
