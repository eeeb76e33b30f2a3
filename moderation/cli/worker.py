"""CLI: ``moderation worker`` runs background jobs from the database's queue (re-flags after a
rules change, scoring backfills, trainings, interrupted work) and ``moderation jobs`` lists them.

Start as many workers as you like on PostgreSQL (claims never overlap); on SQLite they take
turns. A worker builds its scorer from its own settings, and only when a job needs one. SIGTERM
or Ctrl-C stops it after the running job's current step; that job goes back to the queue.
"""

from __future__ import annotations

import argparse
import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from types import FrameType

from moderation.cli.shared import ExitCode, Subparsers, open_store
from moderation.errors import ConfigError
from moderation.pipeline import jobs
from moderation.pipeline.worker import LEASE, Worker
from moderation.scoring import Scorer, build_scorer
from moderation.settings import Settings

log = logging.getLogger("moderation.worker")


def register(subparsers: Subparsers) -> None:
    p = subparsers.add_parser("worker", help="run background jobs queued in the database")
    p.add_argument("--once", action="store_true", help="run until nothing is claimable, then exit")
    p.add_argument(
        "--poll", type=float, default=2.0, metavar="SECONDS", help="wait when idle (default 2)"
    )
    p.add_argument("--max-jobs", type=int, metavar="N", help="exit after N jobs")
    p.add_argument(
        "--lease",
        type=float,
        default=LEASE.total_seconds(),
        metavar="SECONDS",
        help="how long a job stays this worker's without a heartbeat: after that, another "
        f"worker takes over a job whose worker died (default {LEASE.total_seconds():.0f})",
    )
    p.set_defaults(handler=cmd_worker)

    p = subparsers.add_parser("jobs", help="list the background jobs, newest first")
    p.add_argument("--limit", type=int, default=20)
    p.set_defaults(handler=cmd_jobs)


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    if args.poll <= 0 or args.lease < 3 or (args.max_jobs is not None and args.max_jobs < 1):
        raise ConfigError("--poll must be > 0, --lease >= 3 seconds, --max-jobs >= 1")

    def scorer() -> Scorer:
        return build_scorer(settings)  # built once, on the first job that runs the model

    with open_store(settings) as store, _stop_on_signals() as stop:
        worker = Worker(store, scorer, lease=timedelta(seconds=args.lease), stop=stop)
        log.info("worker %s on %s", worker.id, store.url)
        ran = worker.serve(once=args.once, poll=args.poll, max_jobs=args.max_jobs)
        log.info("worker %s: %s jobs run; exiting", worker.id, ran)
    return ExitCode.OK


def cmd_jobs(args: argparse.Namespace, settings: Settings) -> int:
    with open_store(settings) as store:
        for job in jobs.recent(store, limit=args.limit):
            line = (
                f"{job.id:>6}  {job.state:<8} {job.name}  {job.done}/{job.total}  "
                f"attempts {job.attempts}/{job.max_attempts}"
            )
            if job.claimed_by and job.state == "running":
                line += f"  on {job.claimed_by}"
            if job.result:
                line += f"  {job.result}"
            if job.error:
                line += f"  error: {job.error}"
            print(line)
    return ExitCode.OK


@contextmanager
def _stop_on_signals() -> Iterator[threading.Event]:
    stop = threading.Event()

    def handle(signum: int, _frame: FrameType | None) -> None:
        log.info("%s: stopping after the current step", signal.Signals(signum).name)
        stop.set()

    previous = {s: signal.signal(s, handle) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield stop
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
