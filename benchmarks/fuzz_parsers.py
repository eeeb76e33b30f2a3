"""The long fuzz run of every parser entry point (the suite runs a short one: test_fuzz.py).

Three parts, for ``--seconds`` in all:

1. Byte mutation, atheris-style: start from the seeds and the format fixtures, mutate (bit flips,
   dictionary tokens, random bytes, deletions, duplications, splices), parse the decoded bytes
   (``parse_text(decode_text(...))``) under a rotating file name, and keep a mutant in the corpus
   when its outcome is new (format read, or first words of the refusal, and a bucket of the
   comment count), so the search spreads over the parsers' branches. A failure is any exception
   that is not our own error, or an input slower than 5 s per MB (1 s at least).
2. Generated threads in every format, from small to thousands of comments: every comment must come
   out with its author, text and parent (no dropped rows).
3. ``--overhead``: what the worker process costs (start, per file) next to parsing in-process.

Prints one JSON object last: {"inputs", "failures", "slow", "dropped", "corpus", "by_outcome",
"worst_seconds_per_mb", ...}; failing inputs are written to ``--save`` when given.

    python benchmarks/fuzz_parsers.py --seconds 600 --save /tmp/fuzz-failures
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import random
import re
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's moderation and tests, not an installed copy

from moderation.errors import ModerationError  # noqa: E402
from moderation.parsing import parse_file, parse_text  # noqa: E402
from moderation.parsing.decoding import decode_text  # noqa: E402
from moderation.parsing.worker import ParseWorker  # noqa: E402
from tests.unit.parsing._generate import (  # noqa: E402
    RENDERERS,
    corpus,
    depth_of,
    mutate,
    sized_thread,
)

SUFFIXES = ["txt", "html", "xml", "csv", "tsv", "json", "jsonl", ""]
SLOW_SECONDS_PER_MB = 5.0


def outcome(data: bytes, source: str) -> tuple[str, int]:
    """(what happened, comments read); raises whatever the parser raises that is not ours."""
    try:
        articles = parse_text(decode_text(data, subject=source), source=source)
    except ModerationError as exc:
        # Digits out: "line 12: …" and "line 13: …" are the same branch of the parser.
        return "refused: " + re.sub(r"\d+", "N", " ".join(exc.reason.split()[:5])), 0
    return "parsed", sum(len(a.comments) for a in articles)


def mutation_run(seconds: float, rng: random.Random, save: Path | None) -> dict[str, object]:
    pool = list(corpus())
    seen: set[tuple[str, int]] = set()
    outcomes: Counter[str] = Counter()
    failures: list[dict[str, object]] = []
    slow: list[dict[str, object]] = []
    worst = 0.0
    inputs = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        name, original = rng.choice(pool)
        data = mutate(original, rng, steps=rng.randint(1, 24))
        source = rng.choice([name, *(f"fuzz.{s}" for s in SUFFIXES)])
        inputs += 1
        started = time.process_time()
        try:
            kind, count = outcome(data, source)
        except Exception as exc:  # a foreign exception: what the fuzzing is for
            failures.append(_record(data, source, save, f"{type(exc).__name__}: {exc}"))
            traceback.print_exc(limit=3, file=sys.stderr)
            continue
        spent = time.process_time() - started
        per_mb = spent / max(len(data) / 1e6, 0.2)  # inputs under 200 KB count as 200 KB
        worst = max(worst, per_mb)
        if per_mb > SLOW_SECONDS_PER_MB:
            slow.append(_record(data, source, save, f"{spent:.2f}s for {len(data):,} bytes"))
        outcomes[kind.split(":")[0]] += 1
        signature = (kind, min(count, 1000).bit_length())
        if signature not in seen:
            seen.add(signature)
            pool.append((source, data))
    return {
        "inputs": inputs,
        "failures": failures,
        "slow": slow,
        "corpus": len(pool),
        "distinct_outcomes": len(seen),
        "by_outcome": dict(outcomes),
        "worst_seconds_per_mb": round(worst, 3),
    }


def _record(data: bytes, source: str, save: Path | None, what: str) -> dict[str, object]:
    digest = hashlib.sha256(data).hexdigest()[:16]
    if save is not None:
        save.mkdir(parents=True, exist_ok=True)
        (save / f"{digest}-{Path(source).name or 'input'}").write_bytes(data)
    return {"input": digest, "source": source, "bytes": len(data), "what": what}


def dropped_rows_run(rng: random.Random, rounds: int) -> dict[str, object]:
    checked = dropped = 0
    problems: list[str] = []
    for _ in range(rounds):
        count = rng.choice([1, 2, 5, 20, 100, 1_000, 5_000])
        thread = sized_thread(count, seed=rng.randrange(2**32), max_depth=rng.randint(0, 12))
        for renderer in RENDERERS:
            articles = parse_text(renderer.render(thread), source=renderer.source)
            comments = [c for a in articles for c in a.comments]
            by_id = {c.id: c for c in comments}
            got = [
                (c.author, by_id[c.parent_id].author if c.parent_id else None, c.depth)
                for c in comments
            ]
            wanted = [
                (
                    g.author,
                    thread[g.parent].author if g.parent is not None else None,
                    depth_of(thread, i),
                )
                for i, g in enumerate(thread)
            ]
            checked += len(thread)
            if got != wanted:
                missing = len(wanted) - len(got)
                dropped += max(missing, 0)
                problems.append(f"{renderer.name}: {count} comments, {missing} missing")
    return {"comments_checked": checked, "dropped": dropped, "problems": problems[:20]}


def overhead_run() -> dict[str, object]:
    """The worker's cost: starting it, and each file through it, next to parse_file."""
    seeds = sorted((ROOT / "sample_data").glob("*.txt"))
    started = time.perf_counter()
    for path in seeds:
        parse_file(path)
    in_process = time.perf_counter() - started
    with ParseWorker() as worker:
        started = time.perf_counter()
        worker.parse(seeds[0])
        first = time.perf_counter() - started
        started = time.perf_counter()
        for path in seeds:
            worker.parse(path)
        warm = time.perf_counter() - started
    return {
        "files": len(seeds),
        "in_process_s": round(in_process, 4),
        "worker_start_and_first_file_s": round(first, 3),
        "worker_warm_s": round(warm, 4),
        "worker_per_file_overhead_ms": round((warm - in_process) / len(seeds) * 1000, 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=300.0, help="mutation run length")
    parser.add_argument("--rounds", type=int, default=20, help="generated-thread rounds")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--save", type=Path, help="write failing and slow inputs here")
    parser.add_argument("--overhead", action="store_true", help="also measure the worker")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # the parsers' notes on odd threads, thousands of them
    rng = random.Random(args.seed)
    started = time.perf_counter()
    summary: dict[str, object] = {"seed": args.seed}
    summary.update(mutation_run(args.seconds, rng, args.save))
    summary.update(dropped_rows_run(rng, args.rounds))
    if args.overhead:
        summary["overhead"] = overhead_run()
    summary["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(summary, ensure_ascii=False))
    failed = summary["failures"] or summary["slow"] or summary["dropped"]
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
