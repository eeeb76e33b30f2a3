"""Imports: files checked before anything is written, then stored together with their audit row.

The flow is two steps so a person can look before anything is written: ``check_file`` (or
``check_upload`` for bytes) detects the format and parses, nothing stored; ``ingest_checked``
stores the parsed articles, then scores and flags what changed.

- Parsing runs in a worker process under a time and memory budget (``moderation.parsing.worker``)
  when a worker is given: the dashboard and the CLI always give one. A dashboard upload is
  streamed to a temporary file for that, never copied in memory; the upload's own name is the
  source (a temporary path would end up stored as the article's source, and the tabular formats
  derive article ids from the file name, so the same CSV uploaded twice, or once uploaded and once
  ingested with the CLI, must give the same ids).
- What is not an article is refused with a reason (``moderation.parsing.shape``), by the
  dashboard and the CLI alike.
- The import's articles and its audit row are written in one transaction: all of them, or none
  (issue 11: a failed import once left an article stored without its audit row). Scoring and
  flagging come after the commit; they only derive data, and a re-run completes them.
"""

from __future__ import annotations

import os
import tempfile
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any, Protocol

from moderation.errors import InputTooLargeError, ModerationError, ParseError, StoreError
from moderation.parsing import DEFAULT_MAX_BYTES, ParseOptions
from moderation.parsing.decoding import one_line
from moderation.parsing.shape import refusal
from moderation.parsing.worker import Parsed, ParseWorker, parse_source
from moderation.pipeline.ingest import IngestReport, Progress, predict_learned, score_missing
from moderation.pipeline.reflag import reflag
from moderation.pipeline.versions import ActiveRules
from moderation.records import Article, InForce
from moderation.scoring import Scorer
from moderation.store import Store, audit
from moderation.store.articles import save_article

AUDIT_ACTION = "import"
_MAX_NAME = 200
_MAX_TARGET_ID = 500
_CHUNK = 1024 * 1024
# The platform statuses of imported comments, as the preview words them.
_NO_STATUS = "not stated"


class Readable(Protocol):
    """A binary stream read in chunks (an open file, a Streamlit upload, bytes in memory)."""

    def read(self, size: int = -1, /) -> bytes: ...


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

    @property
    def site_statuses(self) -> dict[str, int]:
        """Reader comments by their status on the source site (approved, pending, spam …)."""
        counts = Counter(c.status or _NO_STATUS for a in self.articles for c in a.reader_comments)
        return dict(counts.most_common())

    def summary(self) -> dict[str, Any]:
        """The row shown in the preview table and kept in the audit details."""
        statuses = self.site_statuses
        on_site = ", ".join(f"{status} {count}" for status, count in statuses.items())
        return {
            "file": self.name,
            "format": self.format,
            "articles": len(self.articles),
            "comments": self.comments,
            "pingbacks": self.pingbacks,
            "on the site": on_site if set(statuses) - {_NO_STATUS} else "",
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


def parse_for_import(
    path: Path,
    *,
    source: str | None = None,
    worker: ParseWorker | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    options: ParseOptions | None = None,
) -> Parsed:
    """Parse ``path`` (in ``worker`` when given) and refuse what is not an article; raises
    ParseError with a one-line reason."""
    name = source or str(path)
    if worker is not None:
        parsed = worker.parse(path, source=name, max_bytes=max_bytes, options=options)
    else:
        parsed = parse_source(path, source=name, max_bytes=max_bytes, options=options)
    reason = refusal(parsed.format, parsed.articles)
    if reason is not None:
        raise ParseError(reason, subject=name)
    return parsed


def import_parser(worker: ParseWorker) -> Callable[..., list[Article]]:
    """``parse_file``'s signature for ``pipeline.ingest``: in ``worker``, refusing non-articles."""

    def parse(path: Path, *, max_bytes: int, options: ParseOptions | None) -> list[Article]:
        return parse_for_import(path, worker=worker, max_bytes=max_bytes, options=options).articles

    return parse


def check_file(
    path: Path,
    *,
    name: str,
    worker: ParseWorker | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    options: ParseOptions | None = None,
) -> FileCheck:
    """Detect and parse a file on disk (e.g. an upload's temporary copy) named ``name``;
    nothing is stored and every failure becomes ``error``."""
    name = safe_name(name)
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    parsed: Parsed | None = None
    try:
        if size > max_bytes:
            raise too_large_error(size, max_bytes, name)
        parsed = parse_for_import(
            path, source=name, worker=worker, max_bytes=max_bytes, options=options
        )
    except ModerationError as exc:
        # No format for a file that fails: what a refused file was read as is not what it is.
        return FileCheck(name=name, size=size, error=one_line(exc.reason))
    return FileCheck(name=name, size=size, format=parsed.format, articles=tuple(parsed.articles))


def check_upload(
    upload: Upload,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    options: ParseOptions | None = None,
    worker: ParseWorker | None = None,
) -> FileCheck:
    """``check_file`` for bytes in memory (they are written to a temporary file first)."""
    name = safe_name(upload.name)
    if len(upload.data) > max_bytes:
        error = too_large_error(len(upload.data), max_bytes, name)
        return FileCheck(name=name, size=len(upload.data), error=error.reason)
    with spooled(_BytesReader(upload.data)) as path:
        return check_file(path, name=name, worker=worker, max_bytes=max_bytes, options=options)


def check_uploads(
    uploads: Iterable[Upload],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    column_map: Mapping[str, str] | None = None,
    worker: ParseWorker | None = None,
) -> list[FileCheck]:
    options = ParseOptions(column_map=dict(column_map or {}))
    return [check_upload(u, max_bytes=max_bytes, options=options, worker=worker) for u in uploads]


@contextmanager
def spooled(stream: Readable, *, max_bytes: int | None = None) -> Iterator[Path]:
    """``stream`` copied to a private temporary file, chunk by chunk (never whole in memory);
    the file is removed on exit. Stops copying past ``max_bytes`` (the check refuses it then)."""
    handle, name = tempfile.mkstemp(prefix="threadwatch-upload-")
    path = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            copied = 0
            while chunk := stream.read(_CHUNK):
                out.write(chunk)
                copied += len(chunk)
                if max_bytes is not None and copied > max_bytes:
                    break
        yield path
    finally:
        path.unlink(missing_ok=True)


class _BytesReader:
    def __init__(self, data: bytes) -> None:
        self._view = memoryview(data)
        self._at = 0

    def read(self, size: int = -1) -> bytes:
        end = len(self._view) if size < 0 else self._at + size
        chunk = bytes(self._view[self._at : end])
        self._at += len(chunk)
        return chunk


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
    """Store what the checks parsed (files with errors are reported) and the audit row, in one
    transaction; then score and flag the articles that changed.

    If the database refuses any part, nothing of the import is stored and every file is reported
    as failed with the reason. The summary reads as the CLI's (pipeline.IngestReport)."""
    started = time.perf_counter()
    try:
        report, touched = _store_with_audit(checks, store, actor, in_force or InForce(), progress)
    except StoreError as exc:
        reason = f"nothing of this import was stored: {exc.reason}"
        report = IngestReport(failed=[(c.name, c.error or reason) for c in checks])
        report.seconds = time.perf_counter() - started
        return report
    try:
        if scorer is not None:
            report.model_id = scorer.model_id
            # Every stored text still unscored, this import's and any an interrupted run left.
            report.scored = score_missing(store, scorer, progress=score_progress)
        if rules is not None:
            report.rule_set_version = rules.version
            if touched:
                model_id = scorer.model_id if scorer else None
                report.flagged = reflag(
                    store, rules, model_id=model_id, article_ids=touched
                ).flagged
        if learned_model and scorer is not None and rules is not None:
            predict_learned(store, scorer, report)
    except ModerationError as exc:
        # Stored and audited; the derived scores and flags are completed by the next run.
        report.failed.append(("scoring and flagging", one_line(exc.reason)))
    report.seconds = time.perf_counter() - started
    return report


def _store_with_audit(
    checks: Sequence[FileCheck],
    store: Store,
    actor: str,
    in_force: InForce,
    progress: Progress | None,
) -> tuple[IngestReport, list[str]]:
    # Two imports racing on the same new article: the loser's insert fails on the primary key;
    # once the winner has committed, a second attempt sees the article and updates or skips it.
    try:
        return _store_once(checks, store, actor, in_force, progress)
    except StoreError:
        return _store_once(checks, store, actor, in_force, None)


def _store_once(
    checks: Sequence[FileCheck],
    store: Store,
    actor: str,
    in_force: InForce,
    progress: Progress | None,
) -> tuple[IngestReport, list[str]]:
    report = IngestReport()
    touched: list[str] = []
    with store.transaction() as conn:
        for done, check in enumerate(checks, start=1):
            if check.error is not None:
                report.failed.append((check.name, check.error))
            for article in check.articles:
                outcome = save_article(conn, article)
                report.comments += len(article.comments)
                setattr(report, outcome, getattr(report, outcome) + 1)
                if outcome != "unchanged":
                    touched.append(article.id)
            if progress:
                progress(done, len(checks), check.name)
        # audit.append writes the row on this connection, inside this transaction; record_event
        # would open a transaction of its own, committed separately from the articles.
        audit.append(
            conn,
            actor=actor,
            action=AUDIT_ACTION,
            target_type="files",
            target_id=", ".join(c.name for c in checks)[:_MAX_TARGET_ID],
            details={
                "files": [c.summary() for c in checks],
                "new": report.new,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "comments": report.comments,
                "failed": [{"source": s, "reason": r} for s, r in report.failed],
            },
            in_force=in_force,
            at=datetime.now(UTC),
        )
    return report, touched


__all__ = [
    "AUDIT_ACTION",
    "FileCheck",
    "Upload",
    "check_file",
    "check_upload",
    "check_uploads",
    "import_parser",
    "ingest_checked",
    "parse_for_import",
    "safe_name",
    "spooled",
    "too_large_error",
]
