"""ingest(paths): parse -> store -> score -> flag; one transaction per article, safe to repeat.

Scoring and flagging are driven by what the database lacks, not by what this run inserted:
every reader comment whose text the model has not scored is scored, and every one the active
rule-set version has not evaluated is flagged. So a run killed at any point (or a file that
fails) leaves work that the next run of anything (ingest, score, reflag, dashboard start)
completes, and re-running is always safe.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from moderation.errors import ModerationError, StoreError
from moderation.parsing import DEFAULT_MAX_BYTES, ParseOptions, parse_file
from moderation.pipeline import faults
from moderation.pipeline.reflag import flag_missing
from moderation.pipeline.versions import ActiveRules, in_force
from moderation.records import Article
from moderation.scoring import Scorer, learned, score_cached
from moderation.store import SaveOutcome, Store
from moderation.store.work import unscored_texts

# Suffixes picked up when a folder is ingested; files named explicitly are always tried.
SOURCE_SUFFIXES = frozenset(
    {".txt", ".text", ".xml", ".html", ".htm", ".csv", ".tsv", ".json", ".jsonl", ".ndjson"}
)

# Callbacks may return anything (a Streamlit progress bar returns itself); it is ignored.
Progress = Callable[[int, int, str], object]


@dataclass
class IngestReport:
    # Counts of articles (a file may hold many).
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    comments: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    scored: int = 0  # texts the model actually ran on (cache misses)
    flagged: int = 0
    model_id: str | None = None
    rule_set_version: int | None = None
    predicted: int = 0  # queued comments the site's learned model predicted (sorting only)
    learned_version: int | None = None
    # Values shortened to fit their column (one line each, see store/bounds.py).
    shortened: list[str] = field(default_factory=list)
    # Bulk ingest on SQLite: seconds spent building the indexes it set aside (0.0: none).
    index_seconds: float = 0.0

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
        if self.model_id:
            line += f"; {self.scored} texts scored by {self.model_id}"
        if self.rule_set_version is not None:
            line += f"; {self.flagged} comments flagged by rule set v{self.rule_set_version}"
        if self.learned_version is not None:
            line += (
                f"; {self.predicted} comments predicted by learned model v{self.learned_version}"
            )
        if self.shortened:
            line += f"; {len(self.shortened)} values shortened to fit (marked …)"
        if self.index_seconds:
            line += f"; comment indexes built after the load in {self.index_seconds:.2f}s"
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


# A named unit of input and how to parse it; parsing may raise a ModerationError.
Source = tuple[str, Callable[[], list[Article]]]


def ingest(
    paths: Iterable[Path],
    store: Store,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    options: ParseOptions | None = None,
    progress: Progress | None = None,
    scorer: Scorer | None = None,
    rules: ActiveRules | None = None,
    score_progress: Callable[[int, int], object] | None = None,
    parse_path: Callable[..., list[Article]] = parse_file,
    learned_model: bool = False,
) -> IngestReport:
    """Parse and store every file; a bad file is reported and skipped, never half-written.
    With a scorer, new comments are scored; with rules, they are flagged; with
    ``learned_model`` (the setting) too, the site's learned model predicts the queued ones.
    ``parse_path`` reads one file (``parse_file``'s signature); the CLI passes one that runs
    under a time and memory budget."""
    files, missing = discover(paths)
    sources: list[Source] = [
        (str(path), partial(parse_path, path, max_bytes=max_bytes, options=options))
        for path in files
    ]
    return ingest_sources(
        sources,
        store,
        progress=progress,
        scorer=scorer,
        rules=rules,
        score_progress=score_progress,
        failed=missing,
        learned_model=learned_model,
    )


def ingest_sources(
    sources: Sequence[Source],
    store: Store,
    *,
    progress: Progress | None = None,
    scorer: Scorer | None = None,
    rules: ActiveRules | None = None,
    score_progress: Callable[[int, int], object] | None = None,
    failed: Iterable[tuple[str, str]] = (),
    learned_model: bool = False,
) -> IngestReport:
    """Store every source's articles (one transaction each), then score and flag whatever
    the database lacks (this run's comments and any an interrupted run left). Shared by file
    ingest (CLI, first run) and dashboard uploads."""
    started = time.perf_counter()
    report = IngestReport(failed=list(failed))
    for done, name, parsed in loaded(sources, report):
        for article in parsed:
            try:
                outcome = _save_with_retry(store, article, report.shortened)
            except ModerationError as exc:
                report.failed.append((f"{name} [{article.title}]", exc.reason))
                continue
            report.comments += len(article.comments)
            setattr(report, outcome, getattr(report, outcome) + 1)
            faults.checkpoint("store")
        if progress:
            progress(done, len(sources), name)
    if scorer is not None:
        report.model_id = scorer.model_id
        report.scored = score_missing(store, scorer, progress=score_progress)
    if rules is not None:
        model_id = scorer.model_id if scorer else None
        active = in_force(store, rules)
        report.rule_set_version = active.version
        report.flagged = flag_missing(store, active, model_id=model_id).flagged
    if learned_model and scorer is not None and rules is not None:
        predict_learned(store, scorer, report)
    report.seconds = time.perf_counter() - started
    return report


# Texts per scoring round: each round's scores are committed before the next starts.
_SCORE_CHUNK = 1024


def predict_learned(store: Store, scorer: Scorer, report: IngestReport) -> None:
    """The site's learned model predicts the queued comments it has not seen. Called after
    flagging: the queues (and the rule hits the predictions read) are final then. Predictions
    only sort and annotate the queue; nothing reads them to decide."""
    report.learned_version = learned.active_version(store)
    if report.learned_version is not None:
        report.predicted = learned.predict_missing(store, scorer)


def loaded(
    sources: Sequence[Source], report: IngestReport
) -> Iterator[tuple[int, str, list[Article]]]:
    """(1-based count, name, articles) of each source in order; a source that fails to load
    gives no articles, and its reason goes to ``report.failed``."""
    for done, (name, load) in enumerate(sources, start=1):
        try:
            parsed = load()
        except ModerationError as exc:
            report.failed.append((name, exc.reason))
            parsed = []
        yield done, name, parsed


def score_missing(
    store: Store,
    scorer: Scorer,
    *,
    progress: Callable[[int, int], object] | None = None,
) -> int:
    """Score every stored reader comment text the model has not scored yet (whichever run
    stored it); returns how many texts the model ran on."""
    with store.engine.connect() as conn:
        texts = [text for _hash, text in unscored_texts(conn, scorer.model_id)]
    before = scorer.texts_scored
    total = len(texts)
    if progress is not None:
        progress(0, total)
    size = faults.batch_size(_SCORE_CHUNK)
    for start in range(0, total, size):
        chunk = texts[start : start + size]
        score_cached(scorer, chunk, store)
        faults.checkpoint("score")
        if progress is not None:
            progress(start + len(chunk), total)
    return scorer.texts_scored - before


def _save_with_retry(store: Store, article: Article, shortened: list[str]) -> SaveOutcome:
    # Two ingests racing on the same new article: the loser's insert fails on the primary key;
    # once the winner has committed, a second attempt sees the article and updates or skips it.
    attempt: list[str] = []
    try:
        outcome = store.save_article(article, attempt)
    except StoreError:
        attempt = []
        outcome = store.save_article(article, attempt)
    shortened.extend(attempt)
    return outcome


__all__ = [
    "IngestReport",
    "Source",
    "discover",
    "ingest",
    "ingest_sources",
    "loaded",
    "score_missing",
]
