"""Throughput of the bundled offline scorer (MiniLM int8 ONNX + heads) on the 2-core machine.

Scores real comments, no deduplication: the seed thread's comments and, when ../shared/data is
there, 2,000 Jigsaw comments (long Wikipedia talk posts, truncated to 128 tokens like every
text). Side by side in the same run: the same scorer on the torch fp32 encoder (the reference
engine), so the ratio survives machine load better than the absolute rate.

Reports comments/s (wall), CPU-seconds per 100 comments (less distorted by a shared machine's
load), peak RSS, load averages before and after, and load time with a warm artefact cache.

    python benchmarks/bench_offline.py [--rounds 3] [--threads 2] [--skip-fp32]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from moderation.parsing import parse_file  # noqa: E402
from moderation.scoring.minilm import MiniLMEncoder  # noqa: E402
from moderation.scoring.offline import MiniLMHeadsScorer  # noqa: E402

JIGSAW = ROOT.parent / "shared" / "data" / "jigsaw_train_5k_predibase.csv"


def corpus() -> list[str]:
    texts = [
        c.text
        for path in sorted((ROOT / "sample_data").glob("*.txt"))
        for a in parse_file(path)
        for c in a.reader_comments
    ]
    if JIGSAW.is_file():
        import csv

        with JIGSAW.open(encoding="utf-8", newline="") as fh:
            texts += [row["comment_text"] for row in csv.DictReader(fh)][:2000]
    else:
        texts *= 40
    return texts


def measure(scorer: MiniLMHeadsScorer, texts: list[str], rounds: int) -> dict[str, float]:
    scorer.score(texts[:16])  # warm up the session
    walls, cpus = [], []
    for _ in range(rounds):
        wall, cpu = time.perf_counter(), time.process_time()
        scorer.score(texts)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    wall_s = sorted(walls)[len(walls) // 2]
    cpu_s = sorted(cpus)[len(cpus) // 2]
    return {
        "comments_per_s": round(len(texts) / wall_s, 1),
        "cpu_s_per_100": round(100 * cpu_s / len(texts), 3),
        "wall_s": round(wall_s, 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--skip-fp32", action="store_true", help="only the int8 engine")
    args = parser.parse_args()
    texts = corpus()
    load_before = os.getloadavg()
    started = time.perf_counter()
    int8 = MiniLMHeadsScorer(threads=args.threads)
    load_s = time.perf_counter() - started
    ours = measure(int8, texts, args.rounds)
    rss_int8 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result: dict[str, object] = {
        "model_id": int8.model_id,
        "comments": len(texts),
        "mean_tokens": round(
            sum(min(n, 128) for n in int8.encoder.token_lengths(texts)) / len(texts), 1
        ),
        "threads": args.threads,
        "load_s": round(load_s, 2),
        "int8": ours,
        "peak_rss_mb_int8": round(rss_int8),
    }
    if not args.skip_fp32:
        fp32 = MiniLMHeadsScorer(
            threads=args.threads, encoder=MiniLMEncoder(engine="torch-fp32", threads=args.threads)
        )
        base = measure(fp32, texts, args.rounds)
        result["fp32"] = base
        result["ratio_cpu"] = round(base["cpu_s_per_100"] / ours["cpu_s_per_100"], 2)
        result["peak_rss_mb_with_fp32"] = round(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        )
    result["load_before"] = [round(x, 2) for x in load_before]
    result["load_after"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
