"""Backfills on a Ray cluster: score what the active model lacks with a Ray Data actor pool.

The driver reads the texts that lack scores for the active model from the store, a page at a time
(``store.scores.missing_texts``), hands each page to Ray Data as one dataset, and
``map_batches`` runs it through a fixed pool of actors, each holding one scorer (the model is
loaded once per actor, in its constructor). Results stream back to the driver, which writes each
block through the store as soon as it arrives, in its own transaction, inserting only hashes that
have no scores yet: a block scored twice writes nothing new, and a run stopped anywhere is
completed by running it again (it reads only what is still missing).

Fault tolerance is Ray's: actors restart (``max_restarts``) and a block whose actor died is run
again on the restarted actor (``max_task_retries``); Ray Data sets both to unlimited for actor
pools. Only the driver touches the database, so
workers need no database access (a SQLite file on the driver's disk works with a remote cluster).

Exactness: on CPU the Detoxify scorer computes each text on its own (see ``detoxify_scorer``), so
a text's scores do not depend on which block or actor it lands in, nor on the thread count: the
Ray run writes the same floats as ``moderation score`` in one process, on the same CPU type.
Nodes with a different instruction set (AVX2 vs AVX-512 VNNI) run different int8 kernels and
agree only to the int8 tolerance; the CUDA engine batches, and agrees to its fp16 tolerance.

``ray`` is an optional extra (``pip install -r requirements-ray.txt``).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from moderation.errors import ScoringError
from moderation.settings import Settings

#: Test hook: when set to a path that does not exist yet, the first actor to get a block creates
#: it and dies (``os._exit``) before scoring, as a killed worker would; Ray must retry the block.
CRASH_ONCE_ENV = "THREADWATCH_RAY_TEST_CRASH_ONCE"
#: Driver environment forwarded to the actors, so they build the scorer the driver built.
_FORWARDED_ENV_PREFIXES = ("THREADWATCH_", "HF_", "TRANSFORMERS_", "XDG_CACHE_HOME")
_SCORE_PREFIX = "score:"


def require_ray() -> ModuleType:
    """The ``ray`` module (with Ray Data), or a one-line ScoringError saying how to get it."""
    try:
        import ray
        import ray.data
    except ImportError as exc:
        raise ScoringError(
            f"ray is not installed ({exc.msg}); pip install -r requirements-ray.txt",
            subject="--ray",
        ) from exc
    return ray


class ScoreBlocks:
    """The ``map_batches`` callable class: one scorer per Ray actor, built once, used per block."""

    def __init__(self, settings: Settings, model_id: str, threads: int) -> None:
        from moderation.scoring.factory import build_scorer

        self.scorer = build_scorer(settings.model_copy(update={"threads": threads}))
        if self.scorer.model_id != model_id:
            # E.g. a node without the weights fell back to another model: its scores must not be
            # written under the driver's model id.
            raise ScoringError(
                f"this worker built {self.scorer.model_id}, the driver scores with {model_id}",
                subject=os.uname().nodename,
            )
        self.labels = tuple(self.scorer.labels)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        _crash_once_for_tests()
        started = time.time()
        scored = self.scorer.score([str(t) for t in batch["text"]])
        out: dict[str, np.ndarray] = {"text_hash": batch["text_hash"]}
        for label in self.labels:
            out[_SCORE_PREFIX + label] = np.array([s[label] for s in scored], dtype=np.float64)
        # Per-block timing for the scaling benchmark (steady-state throughput without start-up).
        out["started"] = np.full(len(scored), started)
        out["finished"] = np.full(len(scored), time.time())
        out["worker"] = np.full(len(scored), os.getpid())
        return out


def _crash_once_for_tests() -> None:
    marker = os.environ.get(CRASH_ONCE_ENV)
    if not marker:
        return
    try:
        fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return
    os.close(fd)
    os._exit(1)  # as abrupt as a killed process: no cleanup, no exception to Ray


@dataclass
class RayReport:
    scored: int = 0  # texts the actors scored
    written: int = 0  # texts whose scores were new in the store
    seconds: float = 0.0
    workers: int = 0
    #: wall time from the first block's start to the last block's end, over all actors
    busy_seconds: float = 0.0


def forwarded_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k.startswith(_FORWARDED_ENV_PREFIXES)}


def job_runtime_env() -> dict[str, Any]:
    """For ``ray.init``: ship this checkout's ``moderation`` package and the settings environment
    to every worker of the job.

    The workers need the same third-party packages installed (same image); our own code travels
    with the job, so driver and actors never run different scoring code (Ray accepts local
    packages only at the job level).
    """
    import moderation

    return {"py_modules": [str(Path(moderation.__file__).parent)], "env_vars": forwarded_env()}


def connect(address: str | None) -> tuple[ModuleType, bool]:
    """Connect to ``address`` (``auto``, ``ray://host:10001``, ``host:6379``) or, when None, start
    a local Ray instance (or join ``RAY_ADDRESS`` if set). Returns (ray, whether we started it).
    An already initialised Ray (a caller's own ``ray.init``) is used as it is."""
    ray = require_ray()
    if ray.is_initialized():
        return ray, False
    try:
        ray.init(
            address=address or None,
            runtime_env=job_runtime_env(),
            logging_level="WARNING",
            log_to_driver=False,
        )
    except Exception as exc:  # ConnectionError, RuntimeError, ValueError by Ray version
        raise ScoringError(
            f"cannot connect to Ray: {str(exc).splitlines()[0]}", subject=address or "local"
        ) from exc
    return ray, True


def score_rows(
    rows: list[dict[str, str]],
    settings: Settings,
    model_id: str,
    *,
    workers: int,
    threads_per_worker: int = 1,
    block_texts: int = 64,
) -> Iterator[dict[str, np.ndarray]]:
    """Score ``rows`` ({"text_hash", "text"}) on the connected cluster; yields result blocks in
    completion order."""
    ray = require_ray()
    dataset = ray.data.from_items(rows, override_num_blocks=max(1, -(-len(rows) // block_texts)))
    scored = dataset.map_batches(
        ScoreBlocks,
        fn_constructor_kwargs={
            "settings": settings,
            "model_id": model_id,
            "threads": threads_per_worker,
        },
        batch_size=block_texts,
        batch_format="numpy",
        compute=ray.data.ActorPoolStrategy(size=workers),
        num_cpus=threads_per_worker,
        # Fault tolerance is Ray Data's default for actor pools (checked in ray 2.60's
        # ActorPoolMapOperator): max_restarts=-1 and max_task_retries=-1, so a dead actor is
        # restarted and its block retried. (Passing them explicitly is deprecated there.)
        # Environment set after ray.init (e.g. the test hook) travels per run.
        runtime_env={"env_vars": forwarded_env()},
    )
    yield from scored.iter_batches(batch_size=None, batch_format="numpy")


def block_scores(block: dict[str, np.ndarray]) -> dict[str, dict[str, float]]:
    """A result block as {text hash: {label: value}} (floats exactly as the actor computed)."""
    labels = [k[len(_SCORE_PREFIX) :] for k in block if k.startswith(_SCORE_PREFIX)]
    return {
        str(h): {label: float(block[_SCORE_PREFIX + label][i]) for label in labels}
        for i, h in enumerate(block["text_hash"])
    }


def write_block(store: Any, model_id: str, block: dict[str, np.ndarray]) -> int:
    """Write one result block in its own transaction; returns how many texts were new (hashes
    that already have scores for ``model_id`` are skipped, so a block written twice adds
    nothing)."""
    from moderation.store.scores import insert_new_scores

    with store.transaction() as conn:
        return insert_new_scores(conn, model_id, block_scores(block))


def score_missing_on_ray(
    store: Any,
    settings: Settings,
    model_id: str,
    *,
    address: str | None = None,
    workers: int | None = None,
    threads_per_worker: int = 1,
    block_texts: int = 64,
    page_texts: int = 20_000,
    progress: Callable[[int, int], object] | None = None,
) -> RayReport:
    """Score every reader-comment text that lacks scores for ``model_id``, on Ray; idempotent.

    ``page_texts`` bounds the driver's memory: texts are read and shipped a page at a time (each
    page is one Ray Data run, so actors are started once per page).
    """
    from moderation.store.scores import count_missing, missing_texts

    ray, started_here = connect(address)
    report = RayReport()
    start = time.perf_counter()
    first_start, last_end = float("inf"), 0.0
    try:
        cpus = int(ray.cluster_resources().get("CPU", 1))
        report.workers = workers or max(1, cpus // threads_per_worker)
        with store.engine.connect() as conn:
            total = count_missing(conn, model_id)
        if progress is not None:
            progress(0, total)
        after = ""
        while True:
            with store.engine.connect() as conn:
                page = missing_texts(conn, model_id, after=after, limit=page_texts)
            if not page:
                break
            after = page[-1][0]
            rows = [{"text_hash": h, "text": t} for h, t in page]
            for block in score_rows(
                rows,
                settings,
                model_id,
                workers=report.workers,
                threads_per_worker=threads_per_worker,
                block_texts=block_texts,
            ):
                report.written += write_block(store, model_id, block)
                report.scored += len(block["text_hash"])
                first_start = min(first_start, float(block["started"].min()))
                last_end = max(last_end, float(block["finished"].max()))
                if progress is not None:
                    progress(min(report.scored, total), total)
    finally:
        if started_here:
            ray.shutdown()
    report.seconds = time.perf_counter() - start
    report.busy_seconds = max(0.0, last_end - first_start) if report.scored else 0.0
    return report
