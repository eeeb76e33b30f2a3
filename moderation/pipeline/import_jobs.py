"""Imports as background jobs: ``moderation ingest --enqueue FILE…`` queues one, a worker runs it.

The payload holds everything a worker in another process (or on another machine with the same
files) needs: each file's absolute path, the name it was given as (stored as the articles'
source, so the rows are those ``moderation ingest FILE`` would store from the same folder), its
size and sha256, and the ingest's options (column map, bulk or not, scoring or not, the size
limit and parse budget of the process that queued it, the rules path).

A worker checks every file against its size and sha256 before storing anything: a file that is
gone or changed since it was queued fails the job at once (JobRefusedError: no retry can bring the
queued file back). Then it does what ``moderation ingest`` does: parse each file in a parse
worker process under the budget, store it (one transaction per article, or per batch with
``bulk``), score and flag what the database lacks, apply a pending rule-set version. Every step
is driven by what the database holds, so a worker killed mid-import and a later one taking the
job over end with the rows of one uninterrupted run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from moderation.errors import JobError, JobRefusedError
from moderation.parsing import ParseOptions
from moderation.parsing.worker import ParseBudget, ParseWorker
from moderation.pipeline.bulk import ingest_sources_bulk
from moderation.pipeline.ingest import IngestReport, Source, ingest_sources
from moderation.pipeline.reflag import apply_pending
from moderation.pipeline.uploads import parse_for_import
from moderation.pipeline.versions import load_active_rules
from moderation.records import Article
from moderation.store import Store

if TYPE_CHECKING:
    from moderation.scoring import Scorer

KIND = "import"
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class ImportOptions:
    """How the files are ingested: ``moderation ingest``'s flags and the limits of the process
    that queued them (the worker's own settings may differ; the request is what counts)."""

    rules_path: Path
    column_map: Mapping[str, str]
    bulk: bool = False
    score: bool = True
    learned_model: bool = False
    max_bytes: int = 20 * 1024 * 1024
    budget: ParseBudget = field(default_factory=ParseBudget)


def fingerprint(path: Path) -> tuple[int, str]:
    """The file's size and sha256, read in chunks (never whole in memory)."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def payload(files: Sequence[Path], options: ImportOptions) -> dict[str, Any]:
    """The job's payload for ``files`` (each must exist now: OSError otherwise)."""
    entries = []
    for path in files:
        size, sha256 = fingerprint(path)
        entries.append(
            {"path": str(path.resolve()), "source": str(path), "size": size, "sha256": sha256}
        )
    return {
        "files": entries,
        "rules_path": str(options.rules_path.resolve()),
        "column_map": dict(options.column_map),
        "bulk": options.bulk,
        "score": options.score and not options.bulk,  # a bulk load never scores
        "learned_model": options.learned_model,
        "max_bytes": options.max_bytes,
        "parse_seconds": options.budget.seconds,
        "parse_memory_bytes": options.budget.memory_bytes,
    }


def describe(files: Sequence[Path]) -> str:
    """The job's name as the dashboard lists it."""
    if len(files) == 1:
        return f"import {files[0].name}"
    return f"import {len(files)} files ({files[0].name}, …)"


def dedupe_key(job_payload: Mapping[str, Any]) -> str:
    """One unfinished job per distinct request: the same call made twice is queued once."""
    text = repr(sorted((k, repr(v)) for k, v in job_payload.items()))
    return f"import-{hashlib.sha256(text.encode()).hexdigest()[:32]}"


def _files(job_payload: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    files = job_payload.get("files")
    if not isinstance(files, list) or not files:
        raise JobError("the job's payload lacks 'files'")
    return files


def verify(entry: Mapping[str, Any]) -> Path:
    """The queued file, if it is still there and unchanged; else JobRefusedError."""
    path = Path(entry["path"])
    try:
        size, sha256 = fingerprint(path)
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        gone = "no such file (it was there when the import was queued)"
        raise JobRefusedError(gone, subject=str(path)) from None
    except PermissionError:
        raise JobRefusedError("permission denied", subject=str(path)) from None
    if (size, sha256) != (entry["size"], entry["sha256"]):
        raise JobRefusedError(
            f"changed since it was queued ({entry['size']:,} bytes, sha256 "
            f"{str(entry['sha256'])[:12]}…; now {size:,} bytes, sha256 {sha256[:12]}…)",
            subject=str(path),
        )
    return path


def _sources(
    files: list[Mapping[str, Any]], worker: ParseWorker, job_payload: Mapping[str, Any]
) -> list[Source]:
    options = ParseOptions(column_map=dict(job_payload.get("column_map") or {}))
    max_bytes = int(job_payload["max_bytes"])

    def parse(path: Path, source: str) -> list[Article]:
        return parse_for_import(
            path, source=source, worker=worker, max_bytes=max_bytes, options=options
        ).articles

    return [(str(f["source"]), partial(parse, verify(f), str(f["source"]))) for f in files]


def run(
    store: Store,
    scorer: Callable[[], Scorer],
    progress: Callable[[int, int], None],
    job_payload: Mapping[str, Any],
) -> str:
    """Run an import job; its one-line result. Files are verified before anything is stored."""
    files = _files(job_payload)
    rules_path = Path(str(job_payload.get("rules_path") or ""))
    if not job_payload.get("rules_path") or "max_bytes" not in job_payload:
        raise JobError("the job's payload lacks 'rules_path' or 'max_bytes'")
    budget = ParseBudget(
        seconds=float(job_payload["parse_seconds"]),
        memory_bytes=int(job_payload["parse_memory_bytes"]),
    )
    with ParseWorker(budget) as worker:
        sources = _sources(files, worker, job_payload)  # every file verified first
        active = scorer() if job_payload.get("score") else None
        rules = load_active_rules(store, rules_path)

        def files_done(done: int, total: int, _name: str) -> None:
            progress(done, total)

        report: IngestReport
        if job_payload.get("bulk"):
            report = ingest_sources_bulk(sources, store, progress=files_done, rules=rules)
        else:
            report = ingest_sources(
                sources,
                store,
                progress=files_done,
                scorer=active,
                rules=rules,
                score_progress=progress,
                learned_model=bool(job_payload.get("learned_model")),
            )
    # A rules.yaml edit (or a save whose re-flag was interrupted) is applied now, as the CLI's
    # ingest does; which is why imports are among the queue's ordered kinds.
    applied = apply_pending(
        store, rules_path, model_id=active.model_id if active else None, progress=progress
    )
    return _result(report, applied.summary() if applied is not None else None)


def _result(report: IngestReport, applied: str | None) -> str:
    line = report.summary()
    if report.failed:
        source, reason = report.failed[0]
        line += f"; {source}: {reason}"
    if applied is not None:
        line += f"; pending rule set applied: {applied}"
    return line


__all__ = ["KIND", "ImportOptions", "dedupe_key", "describe", "fingerprint", "payload", "run"]
