"""Engine comparison for the CPU scorer: same model, same texts, same run, fraction of peak each.

Run: ``python benchmarks/compare_engines.py [--rounds N] [--only NAME,...]`` (prints a Markdown
table, then one JSON line). The model is the benchmark's BERT-base ``original`` shape (seeded
random weights, real uncased vocabulary: see ``bench_scoring.py``); the texts are
the seed comments. Engines that need an optional package (``openvino`` + ``nncf``,
``ctranslate2``) are skipped with a note when it is missing; they are not project dependencies.

Every engine scores the same pre-tokenised texts (tokenisation costs the same for all of them and
is left out here; ``bench_scoring.py`` includes it), in rounds interleaved with the other engines
and with the GEMM peak samples, so machine load hits all alike. ``max_abs_diff`` is against torch
fp32 eager, one text at a time (the reference ``bench_scoring.py`` uses). Artefacts are built once
into the cache folder; ``load_s`` is the time to open an already built one.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_scoring import build_original_shaped_checkpoint, seed_comments  # beside this file

from moderation.scoring.batching import pad_batch, plan_batches
from moderation.scoring.detoxify_loading import load_local
from moderation.scoring.onnx_int8 import (
    _export,
    _fuse,
    default_cache_dir,
    open_session,
    quantize_int8,
)
from moderation.scoring.roofline import EncoderShape, PeakMeter, cpu_flags, encoder_flops

Encoded = list[list[int]]
ScoreFn = Callable[[Encoded], np.ndarray]


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x.astype(np.float64)))


def _feeds(ids: np.ndarray, mask: np.ndarray, names: Sequence[str]) -> dict[str, np.ndarray]:
    available = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
    return {n: available[n] for n in names}


def ort_runner(path: Path, threads: int, layout: str) -> ScoreFn:
    """layout: ``batched`` (512-token batches, pool of ``threads``), ``pool`` (one text per run,
    pool of ``threads``), ``side`` (one text per run, ``threads`` single-threaded runs at once)."""
    session = open_session(path, 1 if layout == "side" else threads)
    names = [i.name for i in session.get_inputs()]

    def one(e: list[int]) -> np.ndarray:
        ids = np.array([e], dtype=np.int64)
        return session.run(["logits"], _feeds(ids, np.ones_like(ids), names))[0][0]

    if layout == "batched":

        def score(enc: Encoded) -> np.ndarray:
            out: list[Any] = [None] * len(enc)
            for batch in plan_batches([len(e) for e in enc], 512):
                ids, mask = pad_batch([enc[i] for i in batch], 0)
                (logits,) = session.run(["logits"], _feeds(ids, mask, names))
                for row, i in enumerate(batch):
                    out[i] = logits[row]
            return sigmoid(np.array(out))

        return score
    if layout == "pool":
        return lambda enc: sigmoid(np.array([one(e) for e in enc]))
    pool = ThreadPoolExecutor(threads)

    def side(enc: Encoded) -> np.ndarray:
        order = sorted(range(len(enc)), key=lambda i: -len(enc[i]))  # longest first: balance
        out: list[Any] = [None] * len(enc)
        for i, logits in zip(order, pool.map(lambda i: one(enc[i]), order), strict=True):
            out[i] = logits
        return sigmoid(np.array(out))

    return side


def build_ort(model: Any, names: list[str], config: Any, work: Path) -> dict[str, Path]:
    """The scorer's recipe (``onnx_int8``: torch.export graph, ORT's default BERT fusions, QInt8
    per-channel reduce-range weights) and the variants it was chosen over: fp32 (no quantisation),
    full 8-bit weights (no reduce-range: VNNI has no pair-sum saturation), and fusions without
    SkipLayerNorm and with FastGelu (tanh) instead of exact GELU, on the same graph."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers.fusion_options import FusionOptions
    from onnxruntime.transformers.optimizer import optimize_model

    paths = {k: work / f"v4-{k}.onnx" for k in ("fp32", "int8", "int8-s8", "int8-ln-fastgelu")}
    if all(p.is_file() for p in paths.values()):
        return paths
    raw = work / "v4-raw.onnx"
    _export(model, names, raw)
    _fuse(raw, config, paths["fp32"])
    quantize_int8(paths["fp32"], paths["int8"])
    quantize_dynamic(
        str(paths["fp32"]),
        str(paths["int8-s8"]),
        weight_type=QuantType.QInt8,
        per_channel=True,
        reduce_range=False,
        extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
    )
    options = FusionOptions("bert")
    options.enable_skip_layer_norm = False
    options.enable_bias_skip_layer_norm = False
    options.enable_gelu_approximation = True
    variant = work / "v4-ln-fastgelu.fp32.onnx"
    optimize_model(
        str(raw),
        model_type="bert",
        num_heads=int(config.num_attention_heads),
        hidden_size=int(config.hidden_size),
        opt_level=1,
        optimization_options=options,
    ).save_model_to_file(str(variant))
    quantize_int8(variant, paths["int8-ln-fastgelu"])
    return paths


def openvino_runners(
    fp32_onnx: Path, calib: Encoded, threads: int, work: Path
) -> dict[str, Callable[[], ScoreFn]]:
    """OpenVINO: the fp32 graph, and NNCF post-training int8 (transformer preset) calibrated on
    the seed comments themselves (so its max_abs_diff is, if anything, flattered)."""
    import nncf
    import openvino as ov

    core = ov.Core()
    int8_xml = work / "ov-int8.xml"
    if not int8_xml.is_file():
        model = core.read_model(str(fp32_onnx))
        names = [p.get_any_name() for p in model.inputs]

        def transform(e: list[int]) -> dict[str, np.ndarray]:
            ids = np.array([e], dtype=np.int64)
            return _feeds(ids, np.ones_like(ids), names)

        quantized = nncf.quantize(
            model,
            nncf.Dataset(calib, transform),
            model_type=nncf.ModelType.TRANSFORMER,
            subset_size=len(calib),
        )
        ov.save_model(quantized, str(int8_xml))

    def make(path: Path, streams: int) -> ScoreFn:
        compiled = core.compile_model(
            str(path),
            "CPU",
            {
                "INFERENCE_NUM_THREADS": threads,
                "NUM_STREAMS": streams,
                "PERFORMANCE_HINT": "LATENCY" if streams == 1 else "THROUGHPUT",
            },
        )
        names = [p.get_any_name() for p in compiled.inputs]
        out_port = compiled.outputs[0]
        queue = ov.AsyncInferQueue(compiled, streams)
        results: dict[int, np.ndarray] = {}
        # Copy: the request's output buffer is reused by its next inference.
        queue.set_callback(
            lambda req, i: results.__setitem__(i, req.get_output_tensor(0).data[0].copy())
        )

        def score(enc: Encoded) -> np.ndarray:
            if streams == 1:
                request = compiled.create_infer_request()
                rows = []
                for e in enc:
                    ids = np.array([e], dtype=np.int64)
                    rows.append(request.infer(_feeds(ids, np.ones_like(ids), names))[out_port][0])
                return sigmoid(np.array(rows))
            results.clear()
            for i in sorted(range(len(enc)), key=lambda i: -len(enc[i])):
                ids = np.array([enc[i]], dtype=np.int64)
                queue.start_async(_feeds(ids, np.ones_like(ids), names), i)
            queue.wait_all()
            return sigmoid(np.array([results[i] for i in range(len(enc))]))

        return score

    return {
        "openvino fp32, 1 stream": lambda: make(fp32_onnx, 1),
        "openvino nncf-int8, 1 stream": lambda: make(int8_xml, 1),
        f"openvino nncf-int8, {threads} streams": lambda: make(int8_xml, threads),
    }


def ctranslate2_runner(model: Any, tokenizer: Any, threads: int, work: Path) -> ScoreFn:
    """CTranslate2's int8 encoder (BertModel + pooler), our classifier head in numpy."""
    import ctranslate2
    from ctranslate2.converters import TransformersConverter

    out = work / "ct2-int8"
    if not (out / "model.bin").is_file():
        hf = work / "hf-bert"
        # CTranslate2 4.8's BERT loader reads an attribute transformers 5 no longer sets.
        model.bert.config.position_embedding_type = "absolute"
        model.bert.save_pretrained(hf)
        tokenizer.save_pretrained(hf)
        TransformersConverter(str(hf)).convert(str(out), quantization="int8", force=True)
    encoder = ctranslate2.Encoder(
        str(out), device="cpu", compute_type="int8", intra_threads=threads, inter_threads=1
    )
    weight = model.classifier.weight.detach().numpy().astype(np.float64)
    bias = model.classifier.bias.detach().numpy().astype(np.float64)

    def score(enc: Encoded) -> np.ndarray:
        rows = []
        for e in enc:
            pooled = np.array(encoder.forward_batch([e]).pooler_output)[0].astype(np.float64)
            rows.append(pooled @ weight.T + bias)
        return sigmoid(np.array(rows))

    return score


def main(argv: list[str] | None = None) -> int:
    import torch

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds per engine")
    parser.add_argument("--repeat", type=int, default=2, help="copies of the seed texts a round")
    parser.add_argument("--threads", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--only", default="", help="comma-separated substrings of engine names")
    args = parser.parse_args(argv)
    threads = args.threads
    cache = default_cache_dir()
    work = cache / "engines"
    work.mkdir(parents=True, exist_ok=True)
    say = lambda m: print(m, file=sys.stderr)  # noqa: E731

    checkpoint, config_dir = build_original_shaped_checkpoint(cache / "bench")
    torch.set_num_threads(threads)
    loaded = load_local(checkpoint, config_dir, "cpu")
    model, tokenizer = loaded.detox.model.eval(), loaded.detox.tokenizer
    distinct = list(dict.fromkeys(seed_comments()))
    enc: Encoded = tokenizer(distinct, truncation=True, max_length=256)["input_ids"]
    texts = enc * args.repeat
    shape = EncoderShape.of(model.config)
    flops = sum(encoder_flops(len(e), shape) for e in texts)

    say("reference: torch fp32 eager, one text at a time")
    with torch.inference_mode():
        reference = np.array(
            [torch.sigmoid(model(input_ids=torch.tensor([e]))[0][0]).numpy() for e in enc]
        )
    reference = np.concatenate([reference] * args.repeat)

    say(f"building artefacts (cached in {work})")
    paths = build_ort(model, list(tokenizer.model_input_names), model.config, work)
    makers: dict[str, Callable[[], ScoreFn]] = {
        "ort fp32 fused, per text": lambda: ort_runner(paths["fp32"], threads, "pool"),
        "ort int8 (recipe), per text": lambda: ort_runner(paths["int8"], threads, "pool"),
        f"ort int8 (recipe), per text, {threads}x1 side by side": lambda: ort_runner(
            paths["int8"], threads, "side"
        ),
        "ort int8 (recipe), batched 512 tokens": lambda: ort_runner(
            paths["int8"], threads, "batched"
        ),
        "ort int8 8-bit weights (no reduce-range), per text": lambda: ort_runner(
            paths["int8-s8"], threads, "pool"
        ),
        "ort int8 without SkipLayerNorm, FastGelu, per text": (
            lambda: ort_runner(paths["int8-ln-fastgelu"], threads, "pool")
        ),
    }
    notes: list[str] = []
    try:
        makers.update(openvino_runners(paths["fp32"], enc, threads, work))
    except ImportError as exc:
        notes.append(f"openvino/nncf skipped: {exc}")
    try:
        import ctranslate2  # noqa: F401

        makers["ctranslate2 int8 encoder, per text"] = lambda: ctranslate2_runner(
            model, tokenizer, threads, work
        )
    except ImportError as exc:
        notes.append(f"ctranslate2 skipped: {exc}")
    wanted = [w for w in args.only.split(",") if w]
    if wanted:
        makers = {k: v for k, v in makers.items() if any(w in k for w in wanted)}

    runners: dict[str, ScoreFn] = {}
    load_s: dict[str, float] = {}
    for name, make in makers.items():
        say(f"opening {name}")
        start = time.perf_counter()
        try:
            runners[name] = make()
        except Exception as exc:  # an optional engine that cannot take the model is a finding
            notes.append(f"{name} failed: {type(exc).__name__}: {str(exc).splitlines()[0]}")
            continue
        load_s[name] = time.perf_counter() - start
        runners[name](enc[:2])  # warm-up

    meter = PeakMeter(threads=threads, hidden=shape.hidden, intermediate=shape.intermediate)
    seconds = dict.fromkeys(runners, 0.0)
    diffs = dict.fromkeys(runners, 0.0)
    loads: list[float] = []
    for r in range(args.rounds):
        for name, run in runners.items():
            start = time.perf_counter()
            got = run(texts)
            seconds[name] += time.perf_counter() - start
            diffs[name] = max(diffs[name], float(np.abs(got - reference).max()))
        meter.sample(0.3)
        loads.append(os.getloadavg()[0])
        say(f"round {r + 1}/{args.rounds} done, load {loads[-1]:.2f}")
    int8_peak, fp32_peak = meter.peak("int8"), meter.peak("fp32")
    meter.close()

    rows = []
    for name in runners:
        per_s = args.rounds * len(texts) / seconds[name]
        achieved = args.rounds * flops / seconds[name]
        rows.append(
            {
                "engine": name,
                "comments_per_s": round(per_s, 2),
                "fraction_of_int8_peak": round(achieved / int8_peak, 3),
                "max_abs_diff": round(diffs[name], 4),
                "load_s": round(load_s[name], 2),
            }
        )
    load = f"{min(loads):.2f}-{max(loads):.2f}"
    print(
        f"\nfp32 peak {fp32_peak / 1e9:.1f} GFLOP/s, int8 peak {int8_peak / 1e9:.1f} GOP/s, "
        f"{threads} threads, cpu {cpu_flags()}, load {load}, "
        f"{len(texts)} texts x {args.rounds} rounds, {flops / len(texts) / 1e9:.2f} GFLOP/comment\n"
    )
    print("| engine | comments/s | fraction of int8 peak | max_abs_diff | load_s |")
    print("|---|---:|---:|---:|---:|")
    for row in sorted(rows, key=lambda r: -r["comments_per_s"]):
        print(
            f"| {row['engine']} | {row['comments_per_s']} | {row['fraction_of_int8_peak']} | "
            f"{row['max_abs_diff']} | {row['load_s']} |"
        )
    for note in notes:
        print(f"\nnote: {note}")
    summary = {
        "fp32_peak_gflops": round(fp32_peak / 1e9, 1),
        "int8_peak_gops": round(int8_peak / 1e9, 1),
        "loadavg_1m": load,
        "threads": threads,
        "engines": rows,
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
