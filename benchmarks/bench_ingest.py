"""Ingest speed: comments stored per second, the ordinary ingest vs ``ingest --bulk``, side by side.

Both paths get the same parsed articles (100 reader comments each, nested replies, a few
thousand authors, texts from the seed comments and the Jigsaw subset when ../shared is there),
built before the clock starts (100 articles per source), so neither parsing nor generating is
timed. Scoring and flagging are off in both (the bulk path never scores;
flag_missing flags afterwards the same way for both). Each path writes to its own fresh
database: two SQLite files in a temp dir, or with ``--db URL`` (a PostgreSQL server URL whose
user may create databases) two fresh databases on that server, dropped afterwards.

``--keep PATH`` keeps the bulk SQLite database (benchmarks/bench_reflag.py re-uses it).
``--baseline-comments`` times the ordinary ingest on fewer comments (rates are compared).

    python benchmarks/bench_ingest.py [--comments 100000] [--db postgresql://…] [--keep /tmp/x.db]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from moderation.fingerprint import stable_id  # noqa: E402
from moderation.pipeline.bulk import ingest_sources_bulk  # noqa: E402
from moderation.pipeline.ingest import Source, ingest_sources  # noqa: E402
from moderation.records import Article, Comment, Policy  # noqa: E402
from moderation.store import Store  # noqa: E402

PER_ARTICLE = 100
ARTICLES_PER_SOURCE = 100


def log(message: str) -> None:
    print(f"[bench_ingest] {message}", file=sys.stderr, flush=True)


def seed_material() -> tuple[list[str], Policy | None]:
    from bench_dashboard import seed_material as dashboard_seeds  # same corpus as the dashboard

    texts, policy = dashboard_seeds()
    return texts, policy


def article(a: int, texts: list[str], policy: Policy | None, authors: list[str]) -> Article:
    """Article ``a``: the same every call (seeded by its number), like a re-read export."""
    rng = random.Random(a)
    article_id = stable_id("bench-ingest-article", a)
    thread: list[Comment] = []
    last: list[Comment | None] = [None, None]
    number = 0
    for position in range(PER_ARTICLE):
        roll = rng.random()
        depth = 0 if position == 0 or roll < 0.55 or last[0] is None else 1
        if depth and roll >= 0.85 and last[1] is not None:
            depth = 2
        parent = last[depth - 1] if depth else None
        number += depth == 0
        comment = Comment(
            id=stable_id(article_id, "comment", position),
            parent_id=parent.id if parent else None,
            number=str(number) if depth == 0 else None,
            author=authors[min(int(rng.paretovariate(0.8)) - 1, len(authors) - 1)],
            text=rng.choice(texts),
            depth=depth,
            posted_at=f"2024-01-{1 + a % 28:02d}T{position % 24:02d}:00:00+00:00",
            status="approved",
        )
        thread.append(comment)
        if depth < 2:
            last[depth] = comment
            if depth == 0:
                last[1] = None
    return Article(
        id=article_id,
        source=f"bench://ingest/{a}",
        title=f"Bench article {a:05d}",
        body=" ".join(rng.choice(texts) for _ in range(3)),
        policy=policy,
        comments=tuple(thread),
        url=f"https://news.example/bench/{a}",
        published_at="2024-01-01T08:00:00+00:00",
    )


def make_sources(n_comments: int) -> list[Source]:
    texts, policy = seed_material()
    authors = [f"reader_{i:04d}" for i in range(5000)]
    n_articles = max(1, n_comments // PER_ARTICLE)

    # Built before timing (generating costs as much as storing); a source hands its list over.
    built = [
        [
            article(a, texts, policy, authors)
            for a in range(first, min(first + ARTICLES_PER_SOURCE, n_articles))
        ]
        for first in range(0, n_articles, ARTICLES_PER_SOURCE)
    ]
    return [(f"bench-source-{i}", lambda chunk=chunk: chunk) for i, chunk in enumerate(built)]


@contextlib.contextmanager
def fresh_database(server: str | None, tmp: Path, name: str) -> Iterator[str]:
    if server is None:
        yield f"sqlite:///{tmp / (name + '.db')}"
        return
    url = make_url(server)
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    database = f"threadwatch_bench_{name}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{database}"'))
        conn.execute(text(f'CREATE DATABASE "{database}"'))
    try:
        yield url.set(database=database).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()


def timed(
    run: Callable[[list[Source], Store], Any], sources: list[Source], url: str
) -> dict[str, Any]:
    store = Store.open(url)
    try:
        started, cpu_started = time.perf_counter(), time.process_time()
        report = run(sources, store)
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu_started  # this process only (not a PostgreSQL server)
        if report.failed:
            raise SystemExit(f"ingest failed: {report.failed[:3]}")
        stored = store.counts()["comments"]
    finally:
        store.close()
    return {
        "comments": report.comments,
        "stored": stored,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "comments_per_s": round(report.comments / seconds),
        # Bulk on SQLite: the part of ``seconds`` spent building the indexes it set aside.
        "index_seconds": round(report.index_seconds, 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--baseline-comments", type=int, help="ordinary ingest on fewer comments")
    parser.add_argument("--db", help="PostgreSQL server URL (default: SQLite files in a temp dir)")
    parser.add_argument("--keep", type=Path, help="keep the bulk SQLite database at this path")
    args = parser.parse_args(argv)
    sources = make_sources(args.comments)
    baseline_n = min(args.baseline_comments or args.comments, args.comments)
    baseline = sources[: max(1, baseline_n // (PER_ARTICLE * ARTICLES_PER_SOURCE))]
    baseline_n = min(baseline_n, args.comments)
    out: dict[str, Any] = {
        "database": "postgresql" if args.db else "sqlite",
        "comments": args.comments,
        "scoring": "off",
        "flagging": "off (flag_missing runs after either path alike)",
        "parsing": "not timed (pre-built Article objects)",
    }
    with tempfile.TemporaryDirectory(prefix="threadwatch-bench-ingest-") as tmp_dir:
        tmp = Path(tmp_dir)
        with fresh_database(args.db, tmp, "bulk") as url:
            log(f"bulk ingest of {args.comments:,} comments")
            out["bulk"] = timed(lambda s, st: ingest_sources_bulk(s, st), sources, url)
            log(f"bulk: {out['bulk']}")
            log("bulk re-run (everything unchanged)")
            out["bulk_rerun_s"] = timed(lambda s, st: ingest_sources_bulk(s, st), sources, url)[
                "seconds"
            ]
            if args.keep and not args.db:
                shutil.copy(tmp / "bulk.db", args.keep)
        with fresh_database(args.db, tmp, "normal") as url:
            log(f"ordinary ingest of {baseline_n:,} comments")
            out["normal"] = timed(lambda s, st: ingest_sources(s, st), baseline, url)
            log(f"normal: {out['normal']}")
    out["speedup"] = round(out["bulk"]["comments_per_s"] / out["normal"]["comments_per_s"], 1)
    out["target_comments_per_s"] = 20_000
    out["meets_target"] = out["bulk"]["comments_per_s"] >= 20_000
    out["load_average"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
