"""Speed of the rules engine: 100,000 comments through the default rules.yaml on one core.

Baseline, measured in the same run: the naive approach, one compiled ``\\bword\\b`` regex per
list entry, looped over every comment (on a slice, since it is ~1000x slower; rates compared).
Model conditions get synthetic scores (a seeded random draw per label): the model's own speed is
benchmarked with the scorer, not here.

    python benchmarks/bench_rules.py [--comments 100000] [--baseline 2000]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from moderation.rules import CommentContext, RuleSet, load_rules  # noqa: E402
from moderation.scoring.types import UNBIASED_LABELS  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
DETOXIFY_LABELS = UNBIASED_LABELS


def corpus() -> list[str]:
    """Seed comments plus the Jigsaw subset when ../shared is there."""
    texts: list[str] = []
    try:
        from moderation.parsing import parse_file

        for path in sorted((ROOT / "sample_data").glob("*.txt")):
            for article in parse_file(path):
                texts.extend(c.text for c in article.reader_comments if c.text.strip())
    except Exception as exc:  # the parser is another module's; the bench must still run
        print(f"note: seed comments unavailable ({exc})", file=sys.stderr)
    jigsaw = SHARED / "jigsaw_train_5k_predibase.csv"
    if jigsaw.is_file():
        with jigsaw.open(encoding="utf-8", newline="") as handle:
            texts.extend(row["comment_text"] for row in csv.DictReader(handle))
    if not texts:
        sys.exit("no comments to benchmark (sample_data and ../shared/data are both missing)")
    return texts


def build_items(texts: list[str], n: int) -> list[CommentContext]:
    rng = random.Random(7)
    items = []
    for i in range(n):
        # Skewed towards clean like real scores: ~1% cross 0.8 and ~3% cross 0.5 per label.
        scores = {label: rng.random() ** 20 for label in DETOXIFY_LABELS}
        prior = 3 if rng.random() < 0.05 else 0
        items.append(CommentContext(texts[i % len(texts)], scores=scores, prior_rejections=prior))
    return items


def naive_patterns(rules: RuleSet) -> list[re.Pattern[str]]:
    entries = sorted({e for entries in rules.lexicon.lists.values() for e in entries})
    return [re.compile(rf"\b{re.escape(e)}\b", re.IGNORECASE) for e in entries]


def naive(patterns: list[re.Pattern[str]], texts: list[str]) -> int:
    flagged = 0
    for text in texts:
        for pattern in patterns:
            if pattern.search(text):
                flagged += 1
                break
    return flagged


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--baseline", type=int, default=2_000, help="comments for the naive loop")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    rules = load_rules(ROOT / "rules.yaml")
    texts = corpus()
    items = build_items(texts, args.comments)
    chars = sum(len(item.text) for item in items)

    rules.evaluate(items[:1000], model_id="detoxify-synthetic")  # warm caches
    start, cpu_start = time.perf_counter(), time.process_time()
    verdicts = rules.evaluate(items, model_id="detoxify-synthetic")
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start

    patterns = naive_patterns(rules)
    sample = [item.text for item in items[: args.baseline]]
    start = time.process_time()
    naive(patterns, sample)
    naive_elapsed = time.process_time() - start  # CPU time, as for the engine's rate

    rate = len(items) / cpu
    naive_rate = len(sample) / naive_elapsed
    print(
        json.dumps(
            {
                "comments": len(items),
                "mean_chars": round(chars / len(items), 1),
                "rules": len(rules.rules),
                "list_entries": len(patterns),
                "scores": "synthetic (seeded random per Detoxify label)",
                "engine_seconds": round(elapsed, 3),
                "engine_cpu_seconds": round(cpu, 3),  # wall time suffers on a shared machine
                "engine_comments_per_cpu_s": round(rate),
                "flagged": sum(v.flagged for v in verdicts),
                "naive_comments": len(sample),
                "naive_seconds": round(naive_elapsed, 3),
                "naive_comments_per_cpu_s": round(naive_rate, 1),
                "speedup": round(rate / naive_rate, 1),
                "target_seconds": 3.0,
                "meets_target": cpu <= 3.0,
                "load_average": round(os.getloadavg()[0], 2),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
