"""Bulk ingest for large exports: many articles per transaction, no scoring.

``ingest --bulk`` stores the same rows as the ordinary ingest (store/bulk.py keeps ids, hashes
and author ids identical), but commits a batch of articles (about ``BATCH_COMMENTS`` comments)
at a time instead of one article per transaction, and leaves scoring to ``moderation score``
(score_missing finds the texts without scores). Each batch is all-or-nothing: a run killed
mid-batch leaves the batches before it, and re-running skips those (their articles are
unchanged) and stores the rest. A batch the database refuses (a comment id that another article
already holds, say) is stored again one article at a time, so the bad article is reported and
skipped exactly as the ordinary ingest would, and the others are stored.

With rules, the comments are flagged afterwards by ``flag_missing``, as the ordinary ingest
does: it evaluates whatever has no current evaluation, however it was stored.

On SQLite, a load whose own comments come to outnumber the table's sets the comments' secondary
indexes aside and builds them when it ends (store/deferred_indexes.py).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from moderation.collector import collector_paused
from moderation.errors import ModerationError
from moderation.parsing import DEFAULT_MAX_BYTES, ParseOptions, parse_file
from moderation.pipeline import faults
from moderation.pipeline.ingest import (
    IngestReport,
    Progress,
    Source,
    _save_with_retry,
    discover,
    loaded,
)
from moderation.pipeline.reflag import flag_missing
from moderation.pipeline.versions import ActiveRules, in_force
from moderation.records import Article
from moderation.store import Store
from moderation.store.bulk import save_articles
from moderation.store.deferred_indexes import DeferredIndexes
from moderation.store.sqlite_bulk import Checkpointer

# Comments per transaction. Each batch rewrites every index page its random keys (comment ids,
# text hashes) land on, and at a million stored comments that is most of those indexes whatever
# the batch's size: with every index kept, 100,000 a batch stored 1M comments at 15.5k/s against
# 11.7k/s with 20,000, side by side (equal within noise at 100k). With the secondary indexes set
# aside, 250,000 a batch was no faster (23.2k/s against 25.0k/s). A killed run loses at most
# one batch (~5 s), and a batch's rows are a few tens of megabytes.
BATCH_COMMENTS = 100_000


def ingest_bulk(
    paths: Iterable[Path],
    store: Store,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    options: ParseOptions | None = None,
    progress: Progress | None = None,
    rules: ActiveRules | None = None,
    parse_path: Callable[..., list[Article]] = parse_file,
    batch_comments: int = BATCH_COMMENTS,
) -> IngestReport:
    """``ingest``'s bulk twin: parse every file, store in batches, flag with ``rules``."""
    files, missing = discover(paths)
    sources: list[Source] = [
        (str(path), partial(parse_path, path, max_bytes=max_bytes, options=options))
        for path in files
    ]
    return ingest_sources_bulk(
        sources,
        store,
        progress=progress,
        rules=rules,
        failed=missing,
        batch_comments=batch_comments,
    )


def ingest_sources_bulk(
    sources: Sequence[Source],
    store: Store,
    *,
    progress: Progress | None = None,
    rules: ActiveRules | None = None,
    failed: Iterable[tuple[str, str]] = (),
    batch_comments: int = BATCH_COMMENTS,
) -> IngestReport:
    """Store every source's articles, ``batch_comments`` comments per transaction; then flag
    what lacks an evaluation under ``rules``."""
    started = time.perf_counter()
    report = IngestReport(failed=list(failed))
    pending: list[tuple[str, Article]] = []
    size = 0
    # SQLite: each committed batch is checkpointed in the background while the next is built,
    # and a load that fills most of the table builds its secondary indexes once at the end.
    indexes = DeferredIndexes(store.engine)
    with Checkpointer(store.engine) as checkpoints:
        try:
            for done, name, parsed in loaded(sources, report):
                for article in parsed:
                    pending.append((name, article))
                    size += len(article.comments) + 1
                    if size >= batch_comments:
                        _store_batch(store, pending, report, indexes)
                        checkpoints.committed()
                        pending, size = [], 0
                if progress:
                    progress(done, len(sources), name)
            _store_batch(store, pending, report, indexes)
        except Exception:
            # Leave the table indexed if the database still answers; if not, the next bulk
            # ingest (or `db upgrade`) builds them, and the first error is the one reported.
            with contextlib.suppress(ModerationError):
                indexes.finish()
            raise
        report.index_seconds = indexes.finish()
    if rules is not None:
        active = in_force(store, rules)
        report.rule_set_version = active.version
        report.flagged = flag_missing(store, active, model_id=None).flagged
    report.seconds = time.perf_counter() - started
    return report


def _store_batch(
    store: Store,
    batch: list[tuple[str, Article]],
    report: IngestReport,
    indexes: DeferredIndexes,
) -> None:
    if not batch:
        return
    shortened: list[str] = []
    incoming = sum(len(a.comments) for _n, a in batch)
    try:
        with collector_paused(), store.transaction(bulk=True) as conn:
            indexes.batch(conn, incoming)
            outcomes = save_articles(conn, [a for _n, a in batch], datetime.now(UTC), shortened)
    except ModerationError:
        # Refused as a whole: one article at a time, so only the bad one is reported.
        for name, article in batch:
            try:
                outcome = _save_with_retry(store, article, report.shortened)
            except ModerationError as exc:
                report.failed.append((f"{name} [{article.title}]", exc.reason))
                continue
            report.comments += len(article.comments)
            setattr(report, outcome, getattr(report, outcome) + 1)
        faults.checkpoint("store")
        return
    report.shortened.extend(shortened)
    for (_name, article), outcome in zip(batch, outcomes, strict=True):
        report.comments += len(article.comments)
        setattr(report, outcome, getattr(report, outcome) + 1)
        if outcome != "unchanged":
            indexes.written += len(article.comments)
    faults.checkpoint("store")


__all__ = ["BATCH_COMMENTS", "ingest_bulk", "ingest_sources_bulk"]
