"""Ingest files that arrive as bytes (dashboard uploads) instead of as paths on disk.

Uploads are parsed straight from memory with the upload's own name as the source, never written
to a temporary folder: a temporary path would end up stored as the article's source, and the
tabular formats derive article ids from the file name, so the same CSV uploaded twice (or once
uploaded and once ingested with the CLI) must give the same ids.

The flow is two steps so a person can look before anything is written: ``check_upload`` detects
the format and parses (nothing stored), ``ingest_checked`` stores the parsed articles, scores and
flags what changed, and appends one audit row.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

from moderation.errors import InputTooLargeError, ModerationError, ParseError
from moderation.flagging import ActiveRules
from moderation.parsing import DEFAULT_MAX_BYTES, ParseOptions, detect
from moderation.parsing.decoding import decode_text
from moderation.pipeline import IngestReport, Progress, ingest_sources
from moderation.records import Article
from moderation.review import InForce, record_event
from moderation.scoring import Scorer
from moderation.store import Store

AUDIT_ACTION = "import"
_MAX_NAME = 200
_MAX_TARGET_ID = 500


@dataclass(frozen=True, slots=True)
class Upload:
    """One uploaded file: the name the browser sent and its bytes."""

    name: str
    data: bytes


@dataclass(frozen=True, slots=True)
class FileCheck:
    """What one upload holds, or the one-line reason it cannot be read."""

    name: str
    size: int
    format: str | None = None
    articles: tuple[Article, ...] = field(default=())
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def comments(self) -> int:
        return sum(len(a.reader_comments) for a in self.articles)

    @property
    def pingbacks(self) -> int:
        return sum(len(a.comments) - len(a.reader_comments) for a in self.articles)

    def summary(self) -> dict[str, Any]:
        """The row shown in the preview table and kept in the audit details."""
        return {
            "file": self.name,
            "format": self.format,
            "articles": len(self.articles),
            "comments": self.comments,
            "pingbacks": self.pingbacks,
            "error": self.error,
        }


def safe_name(name: str) -> str:
    """The upload's base name without folders or control characters, never empty.

    Browsers send a base name, but a crafted request can send anything; the name is shown on
    screen and stored as the article's source, so it must not carry a path or terminal escapes.
    """
    base = PureWindowsPath(PurePosixPath(name).name).name
    cleaned = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    if cleaned in {"", ".", ".."}:
        return "upload"
    return cleaned[:_MAX_NAME]


def too_large_error(size: int, max_bytes: int, subject: str) -> InputTooLargeError:
    # Same wording as parsing.decoding.read_source, so the CLI and the dashboard refuse alike.
    return InputTooLargeError(
        f"file is {size:,} bytes, over the {max_bytes:,}-byte limit", subject=subject
    )


def check_upload(
    upload: Upload,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    options: ParseOptions | None = None,
) -> FileCheck:
    """Detect and parse one upload without storing anything; errors become ``error``."""
    name = safe_name(upload.name)
    size = len(upload.data)
    format_name: str | None = None
    try:
        if size > max_bytes:
            raise too_large_error(size, max_bytes, name)
        text = decode_text(upload.data, subject=name)
        fmt = detect(text, source=name)
        format_name = fmt.name
        articles = fmt.parse(text, name, options or ParseOptions())
    except ModerationError as exc:
        return FileCheck(name=name, size=size, format=format_name, error=exc.reason)
    if not articles:
        return FileCheck(name=name, size=size, format=format_name, error="no articles found")
    return FileCheck(name=name, size=size, format=format_name, articles=tuple(articles))


def check_uploads(
    uploads: Iterable[Upload],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    column_map: Mapping[str, str] | None = None,
) -> list[FileCheck]:
    options = ParseOptions(column_map=dict(column_map or {}))
    return [check_upload(u, max_bytes=max_bytes, options=options) for u in uploads]


def ingest_checked(
    checks: Sequence[FileCheck],
    store: Store,
    *,
    actor: str,
    in_force: InForce | None = None,
    progress: Progress | None = None,
    scorer: Scorer | None = None,
    rules: ActiveRules | None = None,
    score_progress: Callable[[int, int], object] | None = None,
    learned_model: bool = False,
) -> IngestReport:
    """Store what ``check_upload`` parsed (files with errors are reported, the others still
    stored), score and flag the articles that changed, and append one audit row.

    Goes through ``pipeline.ingest_sources`` so the summary reads the same as the CLI's."""
    report = ingest_sources(
        [(check.name, partial(_articles, check)) for check in checks],
        store,
        progress=progress,
        scorer=scorer,
        rules=rules,
        score_progress=score_progress,
        learned_model=learned_model,
    )
    names = [c.name for c in checks]
    record_event(
        store,
        actor=actor,
        action=AUDIT_ACTION,
        target_type="files",
        target_id=", ".join(names)[:_MAX_TARGET_ID],
        details={
            "files": [c.summary() for c in checks],
            "new": report.new,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "comments": report.comments,
            "failed": [{"source": s, "reason": r} for s, r in report.failed],
            "scored": report.scored,
            "flagged": report.flagged,
        },
        in_force=in_force or InForce(),
    )
    return report


def _articles(check: FileCheck) -> list[Article]:
    if check.error is not None:
        raise ParseError(check.error, subject=check.name)
    return list(check.articles)


__all__ = [
    "AUDIT_ACTION",
    "FileCheck",
    "Upload",
    "check_upload",
    "check_uploads",
    "ingest_checked",
    "safe_name",
    "too_large_error",
]
