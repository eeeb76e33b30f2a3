"""ingest(paths): parse -> store, one transaction per article, safe to run again and again."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from moderation.errors import ModerationError, StoreError
from moderation.parsing import DEFAULT_MAX_BYTES, ParseOptions, parse_file
from moderation.records import Article
from moderation.store import SaveOutcome, Store

# Suffixes picked up when a folder is ingested; files named explicitly are always tried.
SOURCE_SUFFIXES = frozenset({".txt", ".text"})

Progress = Callable[[int, int, str], None]


@dataclass
class IngestReport:
    # Counts of articles (a file may hold many).
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    comments: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        line = (
            f"{self.new} new, {self.updated} updated, {self.unchanged} unchanged, "
            f"{len(self.failed)} failed ({self.comments} comments seen, {self.seconds:.2f}s)"
        )
        if not (self.new or self.updated) and self.unchanged and not self.failed:
            line += "; nothing new to add"
        return line


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files to ingest (folders walked recursively, sorted) and paths that do not exist."""
    files: list[Path] = []
    missing: list[tuple[str, str]] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file()
                    and p.suffix.lower() in SOURCE_SUFFIXES
                    and not any(part.startswith(".") for part in p.relative_to(path).parts)
                )
            )
        elif path.is_file():
            files.append(path)
        else:
            missing.append((str(path), "no such file or folder"))
    return list(dict.fromkeys(files)), missing


def ingest(
    paths: Iterable[Path],
    store: Store,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    options: ParseOptions | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    """Parse and store every file; a bad file is reported and skipped, never half-written."""
    started = time.perf_counter()
    files, missing = discover(paths)
    report = IngestReport(failed=list(missing))
    for done, path in enumerate(files, start=1):
        try:
            parsed = parse_file(path, max_bytes=max_bytes, options=options)
        except ModerationError as exc:
            report.failed.append((str(path), exc.reason))
        else:
            for article in parsed:
                try:
                    outcome = _save_with_retry(store, article)
                except ModerationError as exc:
                    report.failed.append((f"{path} [{article.title}]", exc.reason))
                    continue
                report.comments += len(article.comments)
                setattr(report, outcome, getattr(report, outcome) + 1)
        if progress:
            progress(done, len(files), str(path))
    report.seconds = time.perf_counter() - started
    return report


def _save_with_retry(store: Store, article: Article) -> SaveOutcome:
    # Two ingests racing on the same new article: the loser's insert fails on the primary key;
    # once the winner has committed, a second attempt sees the article and updates or skips it.
    try:
        return store.save_article(article)
    except StoreError:
        return store.save_article(article)


__all__ = ["IngestReport", "discover", "ingest"]
