"""Re-flag speed: every stored reader comment evaluated again under rules.yaml, flags rewritten.

The database is built once and kept (default /tmp/threadwatch-reflag-<N>.db; ``--db URL`` for
PostgreSQL): N comments stored by the bulk ingest (bench_ingest.py's generator), synthetic
scores for every distinct text under a ``detoxify-*`` model id (seeded random draws skewed
towards clean, as bench_rules.py; so the model rules run), and rules.yaml as the active version,
applied once untimed (the first run moves most comments to their queues). Then ``reflag`` of the
active version is timed: the engine over N comments plus the rewrite of its flags and
evaluations and the status moves. ``--profile`` prints the top of a cProfile to stderr.

    python benchmarks/bench_reflag.py [--comments 1000000] [--db URL] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from sqlalchemy import func, select  # noqa: E402

from moderation.pipeline.bulk import ingest_sources_bulk  # noqa: E402
from moderation.pipeline.reflag import reflag  # noqa: E402
from moderation.pipeline.versions import load_active_rules  # noqa: E402
from moderation.scoring.types import UNBIASED_LABELS  # noqa: E402
from moderation.store import Store  # noqa: E402
from moderation.store.schema import comments, flags, scores  # noqa: E402

MODEL_ID = "detoxify-bench-synthetic"


def log(message: str) -> None:
    print(f"[bench_reflag] {message}", file=sys.stderr, flush=True)


def prepare(store: Store, n: int) -> None:
    with store.engine.connect() as conn:
        stored = conn.execute(select(func.count()).select_from(comments)).scalar_one()
        scored = conn.execute(
            select(func.count()).select_from(scores).where(scores.c.model_id == MODEL_ID)
        ).scalar_one()
    if stored < n:
        from bench_ingest import make_sources

        log(f"storing {n:,} comments (bulk ingest; kept for the next run)")
        started = time.perf_counter()
        ingest_sources_bulk(make_sources(n), store)
        log(f"stored in {time.perf_counter() - started:.1f}s")
    if not scored:
        with store.engine.connect() as conn:
            hashes = list(conn.execute(select(comments.c.text_hash).distinct()).scalars())
        rng = random.Random(7)
        store.put_many(
            MODEL_ID,
            {h: {label: rng.random() ** 20 for label in UNBIASED_LABELS} for h in sorted(hashes)},
        )
        log(f"synthetic scores for {len(hashes):,} distinct texts")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--db", help="database URL (default: a kept SQLite file under /tmp)")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)
    url = args.db or f"sqlite:////tmp/threadwatch-reflag-{args.comments}.db"
    store = Store.open(url)
    try:
        prepare(store, args.comments)
        active = load_active_rules(store, ROOT / "rules.yaml")
        with store.engine.connect() as conn:
            has_flags = conn.execute(
                select(func.count())
                .select_from(flags)
                .where(flags.c.rule_set_version == active.version)
            ).scalar_one()
        if not has_flags:
            log("first re-flag (untimed): comments move to their queues")
            reflag(store, active, model_id=MODEL_ID)
        profiler = cProfile.Profile() if args.profile else None
        log(f"timed re-flag of rule set v{active.version}")
        started, cpu_started = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        report = reflag(store, active, model_id=MODEL_ID)
        if profiler:
            profiler.disable()
            pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(25)
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu_started  # this process only (not a PostgreSQL server)
        with store.engine.connect() as conn:
            n_flags = conn.execute(
                select(func.count())
                .select_from(flags)
                .where(flags.c.rule_set_version == active.version)
            ).scalar_one()
    finally:
        store.close()
    print(
        json.dumps(
            {
                "database": store.dialect,
                "comments": report.evaluated,
                "flagged": report.flagged,
                "flag_rows": n_flags,
                "status_changed": report.status_changed,
                "reflag_seconds": round(seconds, 1),
                "reflag_cpu_seconds": round(cpu, 1),
                "comments_per_s": round(report.evaluated / seconds),
                "target_seconds_1m": 120,
                "scores": "synthetic (seeded random per Detoxify label)",
                "load_average": [round(x, 2) for x in os.getloadavg()],
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
