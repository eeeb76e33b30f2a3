"""ONNX Runtime int8: export once, fuse, quantize dynamically, cache on disk by checkpoint hash.

Chosen over torch's dynamic quantization (deprecated in torch 2.13) by measurement on a 2-core
AVX2 box, BERT-base shape, seed comments: torch int8 ~1.3x over fp32 eager, ORT fused + int8
~2.3x; the ONNX Runtime recipe against OpenVINO+NNCF and CTranslate2 is in benchmarks/README.md.
Weights are QInt8 per output channel with ``reduce_range`` (7-bit weights): that avoids the
u8*s8 pair-sum saturation of AVX2 kernels without VNNI, and the U8S8 kernels then beat the U8U8
ones used for QUInt8 weights (~5-20% less CPU time there, same max_abs_diff ~0.007 vs fp32).
"""

from __future__ import annotations

import logging
import os
import tempfile
import warnings
from pathlib import Path
from typing import Any

from moderation.errors import ScoringError

log = logging.getLogger(__name__)

# Bump when the export/optimise/quantise recipe changes so stale artefacts are not reused.
RECIPE = "v3-dynamo-fused-s8rr-pc"
CACHE_ENV = "THREADWATCH_MODEL_CACHE"


def default_cache_dir() -> Path:
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "threadwatch" / "models"


def artefact_path(cache_dir: Path, checkpoint_sha: str) -> Path:
    return cache_dir / f"{checkpoint_sha[:16]}-{RECIPE}" / "model.int8.onnx"


def ensure_int8_model(
    model: Any, input_names: list[str], checkpoint_sha: str, cache_dir: Path | None = None
) -> Path:
    """Return the cached int8 ONNX file for this checkpoint, building it on first use."""
    target = artefact_path(cache_dir or default_cache_dir(), checkpoint_sha)
    if target.is_file():
        log.info("Using cached int8 ONNX model %s", target)
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    log.info("Building int8 ONNX model (first use of this checkpoint) into %s", target)
    with tempfile.TemporaryDirectory(dir=target.parent) as work:
        fp32 = Path(work) / "model.fp32.onnx"
        _export(model, input_names, fp32)
        fused = _fuse(fp32, model.config, Path(work) / "model.fused.onnx")
        staged = Path(work) / "model.int8.onnx"
        quantize_int8(fused, staged)
        # Atomic publish: a concurrent start-up sees either no file or a complete one.
        os.replace(staged, target)
    return target


def _logits_module(model: Any, input_names: list[str]) -> Any:
    """Wrap ``model`` in a positional forward returning only the logits, as the exporter needs."""
    import torch

    class LogitsOnly(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.inner = model

        def forward(self, *tensors: torch.Tensor) -> torch.Tensor:
            return self.inner(**dict(zip(input_names, tensors, strict=True)))[0]

    return LogitsOnly().eval()


def _export(model: Any, input_names: list[str], dest: Path) -> None:
    """torch's ``torch.export``-based ONNX exporter (the default since torch 2.9; the TorchScript
    one is deprecated). Needs ``onnxscript``. Its graph runs as fast as the TorchScript one's
    here once quantised (benchmarks/README.md) and matches torch to ~1e-8 in fp32."""
    import torch

    # Eager attention exports as plain MatMul/Softmax, which quantises and runs well; SDPA
    # exports as one op our quantiser leaves in fp32. Restored afterwards.
    previous = model.config._attn_implementation
    model.config._attn_implementation = "eager"
    dummy = tuple(torch.ones(2, 8, dtype=torch.long) for _ in input_names)
    dynamic = torch.export.Dim.DYNAMIC
    # The module's forward takes *tensors: one dynamic (batch, sequence) spec per tensor.
    shapes = (tuple({0: dynamic, 1: dynamic} for _ in input_names),)
    try:
        export_onnx(
            _logits_module(model.cpu(), input_names),
            dummy,
            dest,
            input_names=input_names,
            output_name="logits",
            dynamic_shapes=shapes,
            subject="onnx-export",
        )
    finally:
        model.config._attn_implementation = previous


def export_onnx(
    module: Any,
    dummy: tuple[Any, ...],
    dest: Path,
    *,
    input_names: list[str],
    output_name: str,
    dynamic_shapes: Any,
    subject: str,
) -> None:
    """``module`` to ONNX with torch's ``torch.export``-based exporter (opset 18), quietly; any
    exporter failure is one ScoringError line. Shared by every Threadwatch encoder build."""
    import torch

    exporter_log = logging.getLogger("torch.onnx")
    level = exporter_log.level
    try:
        with torch.inference_mode(False), torch.no_grad(), warnings.catch_warnings():
            # torch 2.13's exporter trips its own pytree deprecation (a FutureWarning raised
            # inside torch, not by our call); nothing we pass can avoid it.
            warnings.filterwarnings(
                "ignore", message=r"`isinstance\(treespec, LeafSpec\)` is deprecated"
            )
            # One "torchvision is not installed" line per vision op: irrelevant for a text model.
            exporter_log.setLevel(logging.ERROR)
            torch.onnx.export(
                module,
                dummy,
                str(dest),
                input_names=input_names,
                output_names=[output_name],
                dynamic_shapes=dynamic_shapes,
                opset_version=18,
                dynamo=True,
                verbose=False,
            )
    except Exception as exc:  # exporter errors come in many types
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ScoringError(f"ONNX export failed: {first}", subject=subject) from exc
    finally:
        exporter_log.setLevel(level)


def _fuse(src: Path, config: Any, dest: Path) -> Path:
    return fuse_bert(
        src, dest, num_heads=int(config.num_attention_heads), hidden_size=int(config.hidden_size)
    )


def fuse_bert(src: Path, dest: Path, *, num_heads: int, hidden_size: int) -> Path:
    """Fuse LayerNorm/GELU (and attention where ORT recognises it; the torch.export graph's
    attention stays unfused and its projections quantise as plain MatMuls); on failure keep the
    plain graph (slower, still correct). ORT's default fusion set: in the engine comparison
    (benchmarks/README.md) it beat a variant without SkipLayerNorm and with FastGelu."""
    try:
        from onnxruntime.transformers.optimizer import optimize_model

        # model_type "bert" covers BERT, RoBERTa, XLM-R and ALBERT encoders.
        optimized = optimize_model(
            str(src),
            model_type="bert",
            num_heads=num_heads,
            hidden_size=hidden_size,
            opt_level=1,
        )
        optimized.save_model_to_file(str(dest))
        return dest
    except Exception as exc:  # optimizer is best-effort by design
        log.warning("ONNX graph fusion failed (%s); quantizing the unfused graph", exc)
        return src


def quantize_int8(src: Path, dest: Path) -> None:
    """Dynamic int8 (per-channel weights, reduced range: what runs exactly on CPUs without
    VNNI), the one recipe of every Threadwatch encoder."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    try:
        quantize_dynamic(
            str(src),
            str(dest),
            weight_type=QuantType.QInt8,
            per_channel=True,
            reduce_range=True,
            # Fused contrib ops defeat shape inference; their outputs are float.
            extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
        )
    except Exception as exc:  # quantizer errors come in many types
        raise ScoringError(f"int8 quantization failed: {exc}", subject=str(src)) from exc


def session_options(threads: int) -> Any:
    """The CPU session options every Threadwatch ONNX session uses (scorer and roofline alike)."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    # One op at a time: encoder graphs are sequential, and a second pool would fight the first
    # for the same cores.
    options.inter_op_num_threads = 1
    # No busy-waiting between ops: on a shared (or oversubscribed) box spinning workers burn
    # cycles other processes, or the next op, need; measured 2x slower with spinning at load 5.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return options


def open_session(path: Path, threads: int) -> Any:
    import onnxruntime as ort

    return ort.InferenceSession(
        str(path), session_options(threads), providers=["CPUExecutionProvider"]
    )
