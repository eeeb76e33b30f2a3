"""Ray scaling: the same N comments scored by 1 and by 2 local Ray actors, 1 thread each.

Run: ``python benchmarks/bench_ray_scaling.py [--texts N] [--workers 1,2]`` (needs
``pip install -r requirements-ray.txt``; prints one JSON line last).

The model is the scoring benchmark's BERT-base ``original`` shape with int8 ONNX (see
``bench_scoring.py``); the texts are the seed comments repeated to N, each row
scored (no dedup: this measures the model, not the cache). Every run goes through
``ray_backfill.score_rows`` (Ray Data ``map_batches`` over a fixed actor pool), the path
``moderation score --ray`` uses, minus the database.

Two figures per run:
* ``steady_per_s``: texts finished inside the window where all actors were busy, over that
  window (from block start/end times the actors report). Actor start-up (process, imports,
  model load) is outside it: that is what a long backfill sees.
* ``end_to_end_per_s``: N over the wall time of the whole run, start-up included.
``scaling_efficiency`` = steady throughput with 2 actors / (2 x with 1 actor); the end-to-end
one is reported too.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_scoring import build_original_shaped_checkpoint, seed_comments  # beside this file

from moderation.scoring.detoxify_loading import load_local
from moderation.scoring.detoxify_scorer import DetoxifyScorer
from moderation.scoring.onnx_int8 import CACHE_ENV, default_cache_dir
from moderation.scoring.ray_backfill import job_runtime_env, require_ray, score_rows
from moderation.settings import Settings


def steady_window(blocks: list[dict[str, np.ndarray]]) -> tuple[int, float]:
    """(texts, seconds) while every actor was busy (between the last actor's first block start
    and the first actor's last block end); whole blocks inside the window count."""
    spans: dict[int, tuple[float, float]] = {}
    for b in blocks:
        worker = int(b["worker"][0])
        lo, hi = spans.get(worker, (float("inf"), 0.0))
        spans[worker] = (min(lo, float(b["started"][0])), max(hi, float(b["finished"][0])))
    window_start = max(lo for lo, _hi in spans.values())
    window_end = min(hi for _lo, hi in spans.values())
    inside = [
        b
        for b in blocks
        if float(b["started"][0]) >= window_start and float(b["finished"][0]) <= window_end
    ]
    if window_end <= window_start or not inside:
        return 0, 0.0
    first = min(float(b["started"][0]) for b in inside)
    last = max(float(b["finished"][0]) for b in inside)
    return sum(len(b["text_hash"]) for b in inside), last - first


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=192, help="comments per run")
    parser.add_argument("--workers", default="1,2", help="actor counts to compare")
    parser.add_argument("--block-texts", type=int, default=8, help="texts per Ray block")
    parser.add_argument(
        "--rounds", type=int, default=2, help="alternating rounds (1, 2, 1, 2, ...) per count"
    )
    args = parser.parse_args(argv)
    say = lambda m: print(m, file=sys.stderr)  # noqa: E731
    ray = require_ray()
    counts = [int(w) for w in args.workers.split(",")]

    cache = default_cache_dir()
    os.environ.setdefault(CACHE_ENV, str(cache))  # the actors read the same model cache
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    checkpoint, config_dir = build_original_shaped_checkpoint(cache / "bench")
    say("building/loading the int8 model once in the driver, so actors only load it")
    loaded = load_local(checkpoint, config_dir, "cpu")
    model_id = DetoxifyScorer(loaded, engine="onnx-int8", threads=1, cache_dir=cache).model_id
    del loaded
    settings = Settings(
        checkpoint=checkpoint, huggingface_config_path=config_dir, device="cpu", threads=1
    )
    texts = seed_comments(at_least=args.texts)[: args.texts]
    rows = [{"text_hash": f"{i:08d}", "text": t} for i, t in enumerate(texts)]

    ray.init(
        num_cpus=max(counts),
        runtime_env=job_runtime_env(),
        include_dashboard=False,
        logging_level="ERROR",
        log_to_driver=False,
    )
    # Alternating rounds: load from other processes then falls on both counts alike.
    totals = {w: {"steady_texts": 0, "steady_s": 0.0, "texts": 0, "wall_s": 0.0} for w in counts}
    loads: dict[int, list[float]] = {w: [] for w in counts}
    try:
        for r in range(args.rounds):
            for workers in counts:
                say(f"round {r + 1}: {workers} actor(s), 1 thread each, {len(rows)} texts")
                loads[workers].append(os.getloadavg()[0])
                start = time.perf_counter()
                blocks = list(
                    score_rows(
                        rows, settings, model_id, workers=workers, block_texts=args.block_texts
                    )
                )
                wall = time.perf_counter() - start
                assert sum(len(b["text_hash"]) for b in blocks) == len(rows)
                n, seconds = steady_window(blocks)
                t = totals[workers]
                t["steady_texts"] += n
                t["steady_s"] += seconds
                t["texts"] += len(rows)
                t["wall_s"] += wall
                loads[workers].append(os.getloadavg()[0])
                say(f"  steady {n / seconds if seconds else 0:.2f}/s, wall {wall:.1f}s")
    finally:
        ray.shutdown()
    runs: dict[int, dict[str, Any]] = {
        w: {
            "steady_per_s": round(t["steady_texts"] / t["steady_s"], 3) if t["steady_s"] else None,
            "end_to_end_per_s": round(t["texts"] / t["wall_s"], 3),
            "wall_s": round(t["wall_s"], 1),
            "loadavg_1m": [round(min(loads[w]), 2), round(max(loads[w]), 2)],
        }
        for w, t in totals.items()
    }

    result: dict[str, Any] = {
        "texts": len(rows),
        "rounds": args.rounds,
        "model_id": model_id,
        "cpus": os.cpu_count(),
    }
    result.update({f"workers_{w}": r for w, r in runs.items()})
    if 1 in runs and 2 in runs and runs[1]["steady_per_s"] and runs[2]["steady_per_s"]:
        one, two = runs[1], runs[2]
        result["scaling_efficiency"] = round(two["steady_per_s"] / (2 * one["steady_per_s"]), 3)
        result["scaling_efficiency_end_to_end"] = round(
            two["end_to_end_per_s"] / (2 * one["end_to_end_per_s"]), 3
        )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
