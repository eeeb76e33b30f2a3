"""Which parser reads a file: decided by content first, the file name only as a hint.

Each format registers a sniffer and a parser; a file no sniffer claims gets an error naming the
formats Threadwatch reads. Sniffers see the head of the text and the lower-case suffix; the XML
formats look at the root element, not the suffix, so an export saved as .txt still reads.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from moderation.errors import ParseError
from moderation.parsing.disqus import parse_disqus, sniff_disqus
from moderation.parsing.html import parse_html_article, sniff_html
from moderation.parsing.tabular import parse_csv, parse_json_rows, sniff_csv, sniff_json_rows
from moderation.parsing.text_article import parse_text_article
from moderation.parsing.wxr import parse_wxr, sniff_wxr
from moderation.records import Article

# Enough to get past an XML prolog, comments and a long list of namespace declarations.
HEAD_CHARS = 16384


@dataclass(frozen=True)
class ParseOptions:
    """Per-run choices, e.g. the column mapping of CSV / JSON-lines files."""

    column_map: Mapping[str, str] = field(default_factory=dict)


Sniffer = Callable[[str, str], bool]  # (head of the text, lower-case file suffix) -> claims it
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


def _parse_wxr(text: str, source: str, _options: ParseOptions) -> list[Article]:
    return parse_wxr(text, source=source)


def _parse_disqus(text: str, source: str, _options: ParseOptions) -> list[Article]:
    return parse_disqus(text, source=source)


def _parse_html(text: str, source: str, _options: ParseOptions) -> list[Article]:
    return [parse_html_article(text, source=source)]


def _parse_csv(text: str, source: str, options: ParseOptions) -> list[Article]:
    return parse_csv(text, source=source, column_map=options.column_map)


def _parse_json_rows(text: str, source: str, options: ParseOptions) -> list[Article]:
    return parse_json_rows(text, source=source, column_map=options.column_map)


# Most specific first; scraped text is the catch-all and stays last. The XML exports precede HTML
# (an XHTML page also starts with "<?xml"), and CSV precedes scraped text (both are plain text).
FORMATS: list[Format] = [
    Format("WordPress WXR export", sniff_wxr, _parse_wxr),
    Format("Disqus XML export", sniff_disqus, _parse_disqus),
    Format("WordPress article page (HTML)", sniff_html, _parse_html),
    Format("JSON lines / JSON array of comments", sniff_json_rows, _parse_json_rows),
    Format("CSV / TSV of comments", sniff_csv, _parse_csv),
    Format("scraped-text article", _is_scraped_text, _parse_scraped_text),
]


def detect(text: str, *, source: str) -> Format:
    head = text[:HEAD_CHARS]
    name = source.replace("\\", "/").rsplit("/", 1)[-1]
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    for fmt in FORMATS:
        if fmt.sniff(head, suffix):
            return fmt
    supported = ", ".join(f.name for f in FORMATS)
    raise ParseError(f"unrecognised format; supported: {supported}", subject=source)
