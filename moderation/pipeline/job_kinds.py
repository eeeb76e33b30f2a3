"""What each kind of background job does, given its stored payload.

A handler gets only the payload (JSON, written by whichever process queued the job) and what the
worker's process provides: the store, a scorer built from *its* settings (called only by kinds
that run the model, so a re-flag never waits for a model load) and a progress callback. Every
handler reads what is left to do from the database, so running it again after a killed worker,
or twice, ends in the same state as running it once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from moderation.errors import JobError
from moderation.pipeline import import_jobs, ingest, reflag
from moderation.pipeline.versions import load_version
from moderation.scoring import learned
from moderation.store import Store, rulesets, work

if TYPE_CHECKING:
    from moderation.scoring import Scorer

Progress = Callable[[int, int], None]
T = TypeVar("T")


@dataclass(frozen=True)
class JobContext:
    store: Store
    scorer: Callable[[], Scorer]
    progress: Progress


Handler = Callable[[JobContext, Mapping[str, Any]], "str | None"]
_KINDS: dict[str, Handler] = {}


def kind(name: str) -> Callable[[Handler], Handler]:
    """Register ``handler`` for jobs of kind ``name`` (returns a one-line summary, or None when
    it found nothing to do: such a job is not listed once done)."""

    def register(handler: Handler) -> Handler:
        _KINDS[name] = handler
        return handler

    return register


def handler_for(name: str) -> Handler:
    try:
        return _KINDS[name]
    except KeyError:
        raise JobError(f"unknown job kind {name!r}") from None


def kinds() -> list[str]:
    return sorted(_KINDS)


def _get(payload: Mapping[str, Any], field: str, cast: Callable[[Any], T]) -> T:
    if payload.get(field) is None:
        raise JobError(f"the job's payload lacks {field!r}")
    return cast(payload[field])


@kind("reflag")
def _reflag(ctx: JobContext, payload: Mapping[str, Any]) -> str:
    """Re-flag into pending rule-set ``version`` and switch it to active (saves, rollbacks)."""
    version = _get(payload, "version", int)
    # Whatever is pending now: a later save may have superseded ``version`` meanwhile.
    report = reflag.apply_pending(
        ctx.store,
        _get(payload, "rules_path", Path),
        model_id=payload.get("model_id"),
        progress=ctx.progress,
    )
    active = rulesets.active_version(ctx.store)
    if active is not None and active > version:
        return f"rule set v{version} was superseded; v{active} is active"
    if report is None:
        return f"rule set v{version} is active"
    return report.summary()


@kind("finish-interrupted")
def _finish_interrupted(ctx: JobContext, payload: Mapping[str, Any]) -> str | None:
    """Whatever an interrupted run left: texts without scores, comments the active version has
    not evaluated, a pending version. None when there was nothing (a full scan on a big
    database, which is why it runs here and not in a dashboard session's start)."""
    rules_path = _get(payload, "rules_path", Path)
    active = ctx.scorer()
    model_id = active.model_id
    with ctx.store.engine.connect() as conn:
        pointer = rulesets.read_pointer(conn)
        unscored = work.any_unscored(conn, model_id)
        unevaluated = pointer.active is not None and work.any_unevaluated(
            conn, pointer.active, model_id
        )
    if not (unscored or unevaluated or pointer.pending is not None):
        return None
    scored = ingest.score_missing(ctx.store, active, progress=ctx.progress)
    report = reflag.complete(ctx.store, rules_path, model_id=model_id, progress=ctx.progress)
    return f"finished interrupted work: {scored} texts scored; {report.summary()}"


@kind("score")
def _score(ctx: JobContext, payload: Mapping[str, Any]) -> str:
    """A scoring backfill: every stored text the worker's model has not scored, then the flags
    that depend on the new scores (as ``moderation score`` does)."""
    active = ctx.scorer()
    scored = ingest.score_missing(ctx.store, active, progress=ctx.progress)
    report = reflag.complete(
        ctx.store,
        _get(payload, "rules_path", Path),
        model_id=active.model_id,
        progress=ctx.progress,
    )
    return f"{scored} texts scored by {active.model_id}; {report.summary()}"


@kind("learn")
def _learn(ctx: JobContext, payload: Mapping[str, Any]) -> str:
    """Train the site's learned model on the moderators' decisions, then its predictions for
    the queues, under the rule-set version in force when it was asked for."""
    version = _get(payload, "rule_set_version", int)
    rules_dir = _get(payload, "rules_dir", Path)
    rules = load_version(ctx.store, version, rules_dir / "rules.yaml")
    result = learned.learn(
        ctx.store,
        rules=rules.ruleset,
        rule_set_version=rules.version,
        scorer=learned.offline_for(ctx.scorer()),
        actor=_get(payload, "actor", str),
        enabled=bool(payload.get("enabled", True)),
    )
    return (
        f"Learned model v{result.version} trained on {result.decisions} human decisions "
        f"({result.rejections} rejections); {result.predicted} queued comments predicted"
    )


@kind(import_jobs.KIND)
def _import(ctx: JobContext, payload: Mapping[str, Any]) -> str:
    """``moderation ingest --enqueue``: parse, store, score and flag the queued files (refused
    at once when one is gone or changed since it was queued)."""
    return import_jobs.run(ctx.store, ctx.scorer, ctx.progress, payload)
