"""Speed of the dashboard with 100,000 reader comments: each page's script run, timed in AppTest.

Fills a fresh database (a temporary SQLite file unless ``--db URL``) with 1,000 articles x 100
reader comments written straight through SQLAlchemy Core (executemany; the parser is not
involved): nested replies (depth 0-2, real parent ids), a few thousand authors, texts drawn from
the seed comments in sample_data/ and, when present, ../shared/data/jigsaw_train_5k_predibase.csv.
Every distinct text is scored for real with the offline model (MiniLM + calibrated heads, the
one the dashboard uses with THREADWATCH_MODEL=offline), rules.yaml is registered as a
rule-set version and ``reflag`` writes real flags and statuses; then some approvals, rejections
and escalations (``review.decide_many``) and a few blocked authors, so every queue has rows.

Then, logged in as the demo moderator (untimed), each page is run once to warm it and three
more times; the median of the three is reported:

- ``queue_page_s``: the queue page (default Pending queue), rerun.
- ``threads_page_s``: the threads page (the table and the default, busiest thread), rerun.
- ``thread_view_s``: picking another article in the threads page's ``threads_article``
  selectbox, a different article each run (so its per-thread queries are not cached yet).
- ``stats_page_s``: the stats page, rerun.
- ``queue_all_page_s`` (extra): the queue page on its largest queue, All (every comment).

- ``peak_rss_mb``: the peak resident memory of this process while the pages run. AppTest runs
  the dashboard's scripts in this process, so it is the dashboard server's memory (its scoring
  model included) for one session. The kernel's high-water mark (VmHWM) is reset just before
  the page runs (``/proc/self/clear_refs``), so the fill does not count; where that is not
  possible it is ``ru_maxrss`` of the whole run (``peak_rss_source`` says which).

Progress goes to stderr; the last line on stdout is one JSON object.

Building a large database takes minutes; build it once into a file and time it again later:

    python benchmarks/bench_dashboard.py --comments 1000000 --articles 10000 \
        --db sqlite:////tmp/bench-1m.db --build-only
    python benchmarks/bench_dashboard.py --db sqlite:////tmp/bench-1m.db --reuse

    python benchmarks/bench_dashboard.py [--comments 100000] [--articles 1000] [--db URL]
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import itertools
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from moderation.fingerprint import stable_id, text_hash  # noqa: E402
from moderation.store import Store  # noqa: E402
from moderation.store.schema import (  # noqa: E402
    articles,
    authors,
    comments,
    policy_clauses,
)

SHARED = ROOT.parent / "shared" / "data"
JIGSAW = SHARED / "jigsaw_train_5k_predibase.csv"
PAGES = "moderation/ui/pages"
RUNS = 3
CHUNK = 10_000  # rows per executemany


def log(message: str) -> None:
    print(f"[bench_dashboard] {message}", file=sys.stderr, flush=True)


# -- corpus -----------------------------------------------------------------------------------


def seed_material() -> tuple[list[str], Any]:
    """Reader-comment texts (seeds + Jigsaw subset when ../shared is there) and the first
    discussion policy found in the seed articles (or None)."""
    texts: list[str] = []
    policy = None
    try:
        from moderation.parsing import parse_file

        for path in sorted((ROOT / "sample_data").glob("*.txt")):
            for article in parse_file(path):
                texts.extend(c.text for c in article.reader_comments if c.text.strip())
                if policy is None and article.policy is not None:
                    policy = article.policy
    except Exception as exc:  # the parser is another module's; keep going
        log(f"note: seed comments unavailable ({exc})")
    if JIGSAW.is_file():
        with JIGSAW.open(encoding="utf-8", newline="") as handle:
            texts.extend(
                row["comment_text"] for row in csv.DictReader(handle) if row["comment_text"].strip()
            )
    else:
        log(f"note: {JIGSAW} not found; using the seed comments only")
    if not texts:
        sys.exit("no comment texts (sample_data and ../shared/data are both missing)")
    return texts, policy


# -- fill -------------------------------------------------------------------------------------


def fill(store: Store, *, n_comments: int, n_articles: int, n_authors: int, seed: int) -> dict:
    rng = random.Random(seed)
    texts, policy = seed_material()
    log(f"{len(texts)} source texts ({len(set(texts))} distinct); policy: {policy is not None}")
    now = datetime.now(UTC)
    base = datetime(2024, 1, 1, 8, 0, tzinfo=UTC)
    per_article = [n_comments // n_articles] * n_articles
    for i in range(n_comments % n_articles):
        per_article[i] += 1

    author_names = [f"reader_{i:04d}" for i in range(n_authors)]
    # Skewed activity: a few regulars write much of the discussion.
    cum_weights = list(itertools.accumulate(1.0 / (1 + i) ** 0.8 for i in range(n_authors)))

    with store.transaction() as conn:
        conn.execute(
            authors.insert(),
            [{"name": name, "status": "active", "created_at": now} for name in author_names],
        )
        author_ids = dict(conn.execute(select(authors.c.name, authors.c.id)).all())
        article_rows, clause_rows = [], []
        for a in range(n_articles):
            article_id = stable_id("bench-article", a)
            article_rows.append(
                {
                    "id": article_id,
                    "source": f"bench://article/{a}",
                    "title": f"Bench article {a:04d}: {rng.choice(texts)[:60].strip()}",
                    "body": " ".join(rng.choice(texts) for _ in range(5)),
                    "policy_text": policy.text if policy else None,
                    "url": f"https://news.example/bench/{a}",
                    "published_at": (base + timedelta(hours=6 * a)).isoformat(timespec="seconds"),
                    "content_hash": text_hash(f"bench-article-{a}"),
                    "created_at": now,
                    "updated_at": now,
                }
            )
            if policy:
                clause_rows.extend(
                    {"article_id": article_id, "clause_id": c.id, "position": i, "text": c.text}
                    for i, c in enumerate(policy.clauses)
                )
        conn.execute(articles.insert(), article_rows)
        if clause_rows:
            conn.execute(policy_clauses.insert(), clause_rows)

    rows: list[dict[str, Any]] = []
    depth_counts = [0, 0, 0]
    written = 0

    def flush() -> None:
        nonlocal rows, written
        if rows:
            with store.transaction() as conn:
                conn.execute(comments.insert(), rows)
            written += len(rows)
            rows = []

    for a, count in enumerate(per_article):
        article_id = article_rows[a]["id"]
        posted = base + timedelta(hours=6 * a, minutes=5)
        last_at_depth: list[str | None] = [None, None]  # latest comment id at depth 0 and 1
        authors_at: list[str | None] = [None, None]
        number = 0
        for position in range(count):
            roll = rng.random()
            if position == 0 or roll < 0.55 or last_at_depth[0] is None:
                depth = 0
            elif roll < 0.85 or last_at_depth[1] is None:
                depth = 1
            else:
                depth = 2
            author = rng.choices(author_names, cum_weights=cum_weights)[0]
            if depth and rng.random() < 0.1 and authors_at[depth - 1]:
                author = authors_at[depth - 1] or author  # the thread's author answers back
            comment_id = stable_id("bench-comment", a, position)
            text = rng.choice(texts)
            if depth == 0:
                number += 1
            posted += timedelta(minutes=rng.randint(1, 40))
            rows.append(
                {
                    "id": comment_id,
                    "article_id": article_id,
                    "parent_id": None if depth == 0 else last_at_depth[depth - 1],
                    "position": position,
                    "number": str(number) if depth == 0 else None,
                    "author": author,
                    "author_id": author_ids[author],
                    "kind": "comment",
                    "depth": depth,
                    "text": text,
                    "text_hash": text_hash(text),
                    "posted_at": posted.isoformat(timespec="seconds"),
                    "platform_status": "approved",
                    "status": "unmoderated",
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            depth_counts[depth] += 1
            if depth < 2:
                last_at_depth[depth] = comment_id
                authors_at[depth] = author
                if depth == 0:
                    last_at_depth[1] = None
                    authors_at[1] = None
            if len(rows) >= CHUNK:
                flush()
        if (a + 1) % 200 == 0:
            log(f"  {written + len(rows):,} comments in {a + 1} articles")
    flush()
    return {"texts": texts, "depths": depth_counts}


def score_texts(store: Store, texts: list[str]) -> str:
    """Real scores for every distinct text with the offline fallback scorer; returns its id."""
    from moderation.scoring import MiniLMHeadsScorer

    scorer = MiniLMHeadsScorer()
    distinct = list(dict.fromkeys(texts))
    results = scorer.score(distinct)
    store.put_many(
        scorer.model_id, {text_hash(t): s for t, s in zip(distinct, results, strict=True)}
    )
    return scorer.model_id


def flag_and_decide(store: Store, model_id: str, seed: int) -> dict[str, Any]:
    from moderation import review
    from moderation.pipeline.reflag import reflag
    from moderation.pipeline.versions import load_active_rules
    from moderation.records import InForce

    active = load_active_rules(store, ROOT / "rules.yaml")
    started = time.perf_counter()
    report = reflag(store, active, model_id=model_id)
    log(f"reflag: {report.summary()} in {time.perf_counter() - started:.1f}s")
    in_force = InForce(rule_set_version=active.version, model_id=model_id)
    rng = random.Random(seed + 1)
    with store.engine.connect() as conn:
        pending = conn.execute(
            select(comments.c.id, comments.c.version)
            .where(comments.c.status == "pending", comments.c.kind == "comment")
            .order_by(comments.c.id)
        ).all()
        unflagged = conn.execute(
            select(comments.c.id, comments.c.version)
            .where(comments.c.status == "unmoderated", comments.c.kind == "comment")
            .order_by(comments.c.id)
        ).all()
    pending = [tuple(r) for r in pending]
    rng.shuffle(pending)
    # A day's worth of moderation: most of the pending queue stays to be done.
    share = max(1, len(pending) // 10)
    plan = [
        ("approve", pending[:share], "moderator", None),
        ("reject", pending[share : 2 * share], "editor", "no-profanity"),
        ("escalate", pending[2 * share : 2 * share + share // 5], "moderator", None),
        ("reject", [tuple(r) for r in unflagged[:200]], "admin", "no-personal-attacks"),
    ]
    done: dict[str, int] = {}
    for action, targets, moderator, clause in plan:
        if not targets:
            continue
        result = review.decide_many(
            store, targets, action, moderator=moderator, clause_id=clause, in_force=in_force
        )
        done[action] = done.get(action, 0) + result.done
    for name in ("reader_0001", "reader_0007", "reader_0042"):
        review.set_author_status(store, name, "blocked", moderator="admin", in_force=in_force)
    log(f"decisions: {done}; 3 authors blocked")
    return {"rule_set_version": active.version, "decisions": done}


# -- timing -----------------------------------------------------------------------------------


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def check(app: Any, what: str) -> None:
    if app.exception:
        raise SystemExit(f"{what}: the app raised: {[e.message for e in app.exception]}")


def time_pages(timeout: float) -> dict[str, Any]:
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=timeout)
    first_run, _ = timed(app.run)
    app.text_input[0].input("moderator")
    app.text_input[1].input("moderator-demo")
    login_s, _ = timed(lambda: app.button[0].click().run())  # lands on the queue (default)
    check(app, "login")
    if not app.title or app.title[0].value != "Queue":
        raise SystemExit("login did not reach the queue page")
    log(f"login form {first_run:.2f}s, login + first queue run {login_s:.2f}s (untimed)")
    out: dict[str, Any] = {"first_run_s": {}}

    def measure(name: str, warm: Callable[[], Any], runs: list[Callable[[], Any]]) -> float:
        warm_s, _ = timed(warm)
        check(app, f"{name} (warm)")
        out["first_run_s"][name] = round(warm_s, 3)
        times = []
        for run in runs:
            seconds, _ = timed(run)
            check(app, name)
            times.append(seconds)
        median = statistics.median(times)
        shown = [round(t, 3) for t in times]
        log(f"{name}: warm {warm_s:.3f}s, runs {shown}, median {median:.3f}s")
        out.setdefault("runs_s", {})[name] = [round(t, 3) for t in times]
        return median

    # Queue: the default Pending queue. The warm-up is its first run after login's.
    out["queue_page_s"] = measure("queue_page", app.run, [app.run] * RUNS)
    pending_caption = next((c.value for c in app.caption if c.value.startswith("Comment ")), "")
    log(f"queue shows: {pending_caption!r}")

    # Extra: the largest queue, "All" (every reader comment), the way the segmented control
    # sets it. Not part of the figure (that is the default Pending queue).
    def all_queue() -> Any:
        app.session_state["queue_name"] = "all"
        return app.run()

    out["queue_all_page_s"] = measure("queue_all_page", all_queue, [app.run] * RUNS)
    app.session_state["queue_name"] = "pending"

    # Threads page: table + the default (busiest) thread.
    out["threads_page_s"] = measure(
        "threads_page", lambda: app.switch_page(f"{PAGES}/threads.py").run(), [app.run] * RUNS
    )
    if app.title[0].value != "Threads":
        raise SystemExit("switch_page did not reach the threads page")

    # Thread view: pick another article each run (its per-thread queries are not cached yet).
    options = list(app.selectbox(key="threads_article").options)
    picks = options[len(options) // 2 : len(options) // 2 + RUNS + 1]

    def pick(title: str) -> Callable[[], Any]:
        return lambda: app.selectbox(key="threads_article").select(title).run()

    out["thread_view_s"] = measure("thread_view", pick(picks[0]), [pick(t) for t in picks[1:]])

    out["stats_page_s"] = measure(
        "stats_page", lambda: app.switch_page(f"{PAGES}/stats.py").run(), [app.run] * RUNS
    )
    if app.title[0].value != "Stats":
        raise SystemExit("switch_page did not reach the stats page")
    return out


def reset_peak_rss() -> bool:
    """Reset the kernel's peak-RSS mark of this process (Linux 4.0+); False where it cannot."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def peak_rss_mb(reset: bool) -> tuple[float, str]:
    """This process's peak resident memory in MiB, and what it measures."""
    if reset:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024, "VmHWM since the page runs began"
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "ru_maxrss of the run"


# -- main -------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--articles", type=int, default=1_000)
    parser.add_argument("--authors", type=int, default=3_000)
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file in a temp dir)")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="with --db: time an already filled database instead of refusing it",
    )
    parser.add_argument(
        "--build-only",
        action="store_true",
        help="fill the database (give --db to keep it) and stop without timing the pages",
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--timeout", type=float, default=300.0, help="AppTest timeout per run")
    args = parser.parse_args(argv)

    tmp = tempfile.TemporaryDirectory(prefix="threadwatch-bench-")
    url = args.db or f"sqlite:///{Path(tmp.name) / 'bench.db'}"
    store = Store.open(url)
    with store.engine.connect() as conn:
        existing = conn.execute(select(func.count()).select_from(comments)).scalar_one()
    extra: dict[str, Any] = {}
    if existing and not args.reuse:
        sys.exit(f"{store.url} already has {existing} comments: give an empty database or --reuse")
    if existing:
        log(f"reusing {store.url} with {existing:,} comments")
        fill_s = 0.0
    else:
        log(f"filling {store.url}: {args.comments:,} comments in {args.articles:,} articles")
        started = time.perf_counter()
        filled = fill(
            store,
            n_comments=args.comments,
            n_articles=args.articles,
            n_authors=args.authors,
            seed=args.seed,
        )
        log(f"comments written in {time.perf_counter() - started:.1f}s; depths {filled['depths']}")
        model_id = score_texts(store, filled["texts"])
        log(f"scored {len(set(filled['texts'])):,} distinct texts under {model_id}")
        extra.update(flag_and_decide(store, model_id, args.seed))
        fill_s = time.perf_counter() - started
        log(f"fill done in {fill_s:.1f}s")
    with store.engine.connect() as conn:
        n_comments = conn.execute(
            select(func.count()).where(comments.c.kind == "comment")
        ).scalar_one()
    if args.build_only:
        store.close()
        print(json.dumps({"comments": int(n_comments), **extra, "fill_s": round(fill_s, 1)}))
        return 0
    from moderation import review

    counts = review.queue_counts(store)
    log(f"queues: {counts}")
    store.close()

    empty_samples = Path(tmp.name) / "no-samples"
    empty_samples.mkdir(exist_ok=True)
    os.environ["DATABASE_URL"] = url
    os.environ["THREADWATCH_SAMPLE_DATA"] = str(empty_samples)
    os.environ["THREADWATCH_MODEL"] = "offline"
    os.chdir(ROOT)
    load_before = os.getloadavg()
    rss_reset = reset_peak_rss()
    # Libraries print to stdout during the runs; keep stdout for the result line.
    with contextlib.redirect_stdout(sys.stderr):
        timings = time_pages(args.timeout)
    load_after = os.getloadavg()
    rss_mb, rss_source = peak_rss_mb(rss_reset)

    result = {
        "comments": int(n_comments),
        "queue_page_s": round(timings["queue_page_s"], 3),
        "threads_page_s": round(timings["threads_page_s"], 3),
        "thread_view_s": round(timings["thread_view_s"], 3),
        "stats_page_s": round(timings["stats_page_s"], 3),
        "queue_all_page_s": round(timings["queue_all_page_s"], 3),
        "statistic": f"median of {RUNS} runs after one warm-up run",
        "runs": RUNS,
        "runs_s": timings["runs_s"],
        "first_run_s": timings["first_run_s"],
        "peak_rss_mb": round(rss_mb, 1),
        "peak_rss_source": rss_source,
        "queues": counts,
        **extra,
        "fill_s": round(fill_s, 1),
        "database": "postgresql" if url.startswith("postgresql") else url.split(":", 1)[0],
        "load_average": {
            "before": [round(x, 2) for x in load_before],
            "after": [round(x, 2) for x in load_after],
        },
        "cpus": os.cpu_count(),
        # Issue 16's bounds at 1,000,000 comments.
        "targets": {
            "queue_page_s": 1.0,
            "threads_page_s": 1.0,
            "thread_view_s": 1.0,
            "stats_page_s": 1.5,
            "peak_rss_mb": 1024,
        },
    }
    tmp.cleanup()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
