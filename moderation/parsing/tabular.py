"""CSV / TSV and JSON lines (or a JSON array of objects): one comment per row.

A column mapping says which column holds which field (``--map text=body,author=user``); fields
left unmapped are looked up under their usual names (``text``, ``comment_text``, ``author``,
``parent_id`` …), case-insensitively. Rows with the same ``article`` value form one Article, in
order of first appearance; without an ``article`` column the whole file is one Article.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
from collections.abc import Iterator, Mapping
from pathlib import PurePath
from typing import Any

from moderation.errors import ConfigError, ParseError
from moderation.fingerprint import stable_id
from moderation.parsing.dates import to_utc_iso
from moderation.parsing.decoding import scrub
from moderation.parsing.threads import RawComment, build_thread
from moderation.records import Article, CommentKind

log = logging.getLogger(__name__)

# Field -> the column names looked for when the mapping does not name one (first present wins).
DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "comment_text", "comment", "message", "content", "tweet"),
    "author": ("author", "author_name", "user", "username", "user_name", "name"),
    "id": ("id", "comment_id"),
    "parent": ("parent_id", "parent", "reply_to", "in_reply_to", "parent_comment_id"),
    "article": ("article", "article_id", "thread", "thread_id", "post_id"),
    "title": ("title", "article_title", "thread_title"),
    "date": ("date", "posted_at", "created_at", "timestamp", "time"),
    "status": ("status", "comment_status"),
    "url": ("url", "link", "article_url"),
    "kind": ("kind", "type", "comment_type"),
}
FIELDS = tuple(DEFAULT_COLUMNS)
_PING_KINDS = {"pingback", "trackback"}
_CSV_SUFFIXES = {"csv", "tsv", "tab"}
_JSON_SUFFIXES = {"jsonl", "ndjson", "json"}
# Names that, as a header cell, mark a CSV that has no .csv suffix.
_TEXT_HEADERS = frozenset(DEFAULT_COLUMNS["text"])
_DELIMITERS = ",;\t|"
# When two delimiters are equally frequent in the header: the order csv.Sniffer prefers.
_DELIMITER_PREFERENCE = ",\t;|"
_MAX_HEADER_CHARS = 64
# Columns named in an error message; a 12 KB header must not become a 12 KB message.
_MAX_NAMED_COLUMNS = 12


# -- the mapping ----------------------------------------------------------------------------


def parse_column_map(spec: str) -> dict[str, str]:
    """``"text=body, author=user"`` -> ``{"text": "body", "author": "user"}``.

    Raises ConfigError (subject ``--map``) naming the bad item and the fields there are.
    """
    mapping: dict[str, str] = {}
    items = [item.strip() for item in spec.split(",")]
    if not any(items):
        raise ConfigError(_map_help("is empty"), subject="--map")
    for item in items:
        if not item:
            continue
        field, sep, column = (part.strip() for part in item.partition("="))
        if not sep or not field or not column:
            raise ConfigError(_map_help(f"{item!r} is not FIELD=COLUMN"), subject="--map")
        if field in mapping:
            raise ConfigError(_map_help(f"field {field!r} is mapped twice"), subject="--map")
        mapping[field] = column
    validate_column_map(mapping)
    return mapping


def validate_column_map(mapping: Mapping[str, str]) -> None:
    unknown = [f for f in mapping if f not in DEFAULT_COLUMNS]
    if unknown:
        raise ConfigError(_map_help(f"unknown field {unknown[0]!r}"), subject="--map")


def _map_help(problem: str) -> str:
    return f"{problem}; expected FIELD=COLUMN[,FIELD=COLUMN…] with FIELD one of {', '.join(FIELDS)}"


# -- sniffing -------------------------------------------------------------------------------


def sniff_csv(head: str, suffix: str) -> bool:
    if suffix in _CSV_SUFFIXES:
        return True
    # No suffix to go by: a header naming a usual text column, then a record of as many cells
    # (a headline like "Comment, analysis" is followed by a blank line or prose, not a record).
    for delimiter in _DELIMITERS:
        records = csv.reader(io.StringIO(head.lstrip("\ufeff"), newline=""), delimiter=delimiter)
        try:
            header = next(records, [])
            second = next(records, [])
        except csv.Error:
            continue
        cells = {c.strip().lower() for c in header}
        if (
            len(header) >= 2
            and len(second) == len(header)
            and _TEXT_HEADERS & cells
            and all(0 < len(c.strip()) <= _MAX_HEADER_CHARS for c in header[1:])
        ):
            return True
    return False


def sniff_json_rows(head: str, suffix: str) -> bool:
    stripped = head.lstrip()
    if suffix in _JSON_SUFFIXES and stripped.startswith(("{", "[")):
        return True
    # A JSON array of objects, or a first line that is a whole JSON object.
    if re.match(r"\[\s*\{", stripped):
        return True
    first = stripped.split("\n", 1)[0].strip()
    if first.startswith("{") and first.endswith("}"):
        try:
            return isinstance(json.loads(first), dict)
        except (ValueError, RecursionError):
            return False
    return False


# -- parsing --------------------------------------------------------------------------------


def parse_csv(text: str, *, source: str, column_map: Mapping[str, str]) -> list[Article]:
    return _with_subject(_articles, _csv_rows(text, source), source, column_map)


def parse_json_rows(text: str, *, source: str, column_map: Mapping[str, str]) -> list[Article]:
    return _with_subject(_articles, _json_rows(text, source), source, column_map)


def _with_subject(
    build: Any, rows: Iterator[Row], source: str, column_map: Mapping[str, str]
) -> list[Article]:
    # Cell helpers do not know the file; their errors get it here.
    try:
        result: list[Article] = build(rows, source=source, column_map=column_map)
    except ParseError as exc:
        if exc.subject is not None:
            raise
        raise ParseError(exc.reason, subject=source) from exc
    return result


Row = tuple[int, dict[str, Any]]  # (line number, the row's cells by column name)


def _csv_rows(text: str, source: str) -> Iterator[Row]:
    # Only the delimiter is sniffed, from the header; quoting stays RFC 4180 (doubled quotes),
    # which is what spreadsheets and pandas write and what the Sniffer often guesses wrong.
    default = "\t" if PurePath(source).suffix.lower() in {".tsv", ".tab"} else ","
    header = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = _header_delimiter(header) or default
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        if not reader.fieldnames:
            raise ParseError("CSV file has no header row", subject=source)
        for row in reader:
            # Extra cells land under the None key: a row longer than the header.
            if None in row:
                raise ParseError(
                    f"line {reader.line_num}: {len(reader.fieldnames) + len(row[None])} cells "
                    f"for {len(reader.fieldnames)} columns",
                    subject=source,
                )
            yield reader.line_num, row
    except csv.Error as exc:
        raise ParseError(f"line {reader.line_num}: malformed CSV ({exc})", subject=source) from exc


def _header_delimiter(header: str) -> str | None:
    """The delimiter of a header line: the candidate found most often outside quotes.

    csv.Sniffer did this with regular expressions that backtrack: a 12 KB header of ',"a' took
    five times longer per doubling. One pass over the line counts each candidate instead.
    """
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    for char in header:
        if char == '"':
            quoted = not quoted  # a doubled quote toggles twice: still inside
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(_DELIMITER_PREFERENCE, key=lambda d: (counts[d], -_DELIMITER_PREFERENCE.index(d)))
    return best if counts[best] else None


def _load_json(text: str, source: str, where: str = "") -> Any:
    try:
        return json.loads(text)
    except RecursionError as exc:
        raise ParseError(f"{where}JSON nested too deeply to read", subject=source) from exc
    except ValueError as exc:
        detail = exc.args[0] if where else str(exc)
        raise ParseError(f"{where}malformed JSON ({detail})", subject=source) from exc


def _scrubbed_keys(row: dict[str, Any]) -> dict[str, Any]:
    # Keys become column names in messages and lookups: no lone surrogates there either.
    return {scrub(key): value for key, value in row.items()}


def _json_rows(text: str, source: str) -> Iterator[Row]:
    stripped = text.lstrip()
    if stripped.startswith("["):
        data = _load_json(stripped, source)
        if not isinstance(data, list):
            raise ParseError("JSON file is not an array of objects", subject=source)
        for number, row in enumerate(data, start=1):
            if not isinstance(row, dict):
                raise ParseError(f"item {number} is not a JSON object", subject=source)
            yield number, _scrubbed_keys(row)
        return
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        row = _load_json(line, source, f"line {number}: ")
        if not isinstance(row, dict):
            raise ParseError(f"line {number}: not a JSON object", subject=source)
        yield number, _scrubbed_keys(row)


def _resolve_columns(
    columns: list[str], column_map: Mapping[str, str], source: str
) -> dict[str, str]:
    """Field -> the column it is read from; a mapped column must exist (dotted JSON paths aside)."""
    validate_column_map(column_map)
    by_lower = {c.lower().strip(): c for c in columns}
    resolved: dict[str, str] = {}
    for field in FIELDS:
        wanted = column_map.get(field)
        if wanted is not None:
            found = by_lower.get(wanted.lower().strip())
            if found is None and "." not in wanted:
                raise ParseError(
                    f"--map {field}={wanted}: no such column; columns are {_named(columns)}",
                    subject=source,
                )
            resolved[field] = found if found is not None else wanted
            continue
        for name in DEFAULT_COLUMNS[field]:
            if name in by_lower:
                resolved[field] = by_lower[name]
                break
    if "text" not in resolved:
        raise ParseError(
            "no text column: name it with --map text=COLUMN; columns are " + _named(columns),
            subject=source,
        )
    return resolved


def _named(columns: list[str]) -> str:
    shown = ", ".join(" ".join(c.split())[:_MAX_HEADER_CHARS] for c in columns[:_MAX_NAMED_COLUMNS])
    more = len(columns) - _MAX_NAMED_COLUMNS
    return shown + (f" … and {more:,} more" if more > 0 else "")


def _cell(row: Mapping[str, Any], column: str | None) -> str:
    return scrub(_raw_cell(row, column))


def _raw_cell(row: Mapping[str, Any], column: str | None) -> str:
    if column is None:
        return ""
    value: Any = row.get(column)
    if value is None and "." in column:
        value = row
        for part in column.split("."):
            value = value.get(part) if isinstance(value, Mapping) else None
    if value is None or isinstance(value, dict | list):
        # What json.loads could nest, json.dumps can fail to (the stack is deeper here).
        try:
            return "" if value is None else json.dumps(value, ensure_ascii=False)
        except RecursionError as exc:
            raise ParseError(f"column {column!r} holds JSON nested too deeply to read") from exc
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # JSON ids written as 12.0
    return str(value).strip() if not isinstance(value, str) else value


def _articles(rows: Iterator[Row], *, source: str, column_map: Mapping[str, str]) -> list[Article]:
    rows_read = list(rows)
    if not rows_read:
        raise ParseError("file has no rows", subject=source)
    # JSON rows may each carry different keys: a field's column is looked up among all of them.
    names = list(dict.fromkeys(name for _number, row in rows_read for name in row))
    columns = _resolve_columns(names, column_map, source)
    groups: dict[str, list[Row]] = {}
    for number, row in rows_read:
        groups.setdefault(_cell(row, columns.get("article")).strip(), []).append((number, row))

    articles = []
    unreadable_dates = 0
    name = PurePath(source).name
    for key, members in groups.items():
        # The article column's value is the key; without one (or in rows that leave it empty) the
        # file name stands in, so re-parsing the same file (wherever it lies) gives the same ids.
        article_id = stable_id("tabular", key or name)
        raws = []
        for number, row in members:
            raw, unreadable_date = _raw_comment(number, row, columns)
            raws.append(raw)
            unreadable_dates += unreadable_date
        first = members[0][1]
        title = _first(members, columns.get("title")) or (f"{name} — {key}" if key else name)
        articles.append(
            Article(
                id=article_id,
                source=f"{source}#{key}" if key else source,
                title=title,
                body="",
                policy=None,
                comments=build_thread(raws, article_id=article_id, subject=source),
                url=_cell(first, columns.get("url")).strip() or None,
            )
        )
    if unreadable_dates:
        log.warning(
            "%s: %d date(s) in column %r could not be read; those comments have no date",
            source,
            unreadable_dates,
            columns.get("date"),
        )
    return articles


def _raw_comment(
    number: int, row: Mapping[str, Any], columns: Mapping[str, str]
) -> tuple[RawComment, bool]:
    """The row's comment, and whether it had a date that could not be read."""
    raw_date = _cell(row, columns.get("date")).strip()
    posted_at = to_utc_iso(raw_date)
    kind: CommentKind = (
        "pingback" if _cell(row, columns.get("kind")).strip().lower() in _PING_KINDS else "comment"
    )
    raw = RawComment(
        # Without an id column the line number keys the row: stable while the file is only
        # appended to.
        key=_cell(row, columns.get("id")).strip() or f"line-{number}",
        parent_key=_cell(row, columns.get("parent")).strip() or None,
        author=_cell(row, columns.get("author")).strip() or None,
        text=_cell(row, columns["text"]).replace("\r\n", "\n").strip(),
        kind=kind,
        posted_at=posted_at,
        status=_cell(row, columns.get("status")).strip() or None,
    )
    return raw, bool(raw_date) and posted_at is None


def _first(members: list[Row], column: str | None) -> str:
    for _number, row in members:
        value = _cell(row, column).strip()
        if value:
            return value
    return ""
