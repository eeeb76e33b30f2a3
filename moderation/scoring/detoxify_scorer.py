"""The Detoxify scorer: tokenise once, then run an engine, on CPU one text at a time, on CUDA in
length-sorted batches under a token budget sized to the GPU's free memory.

Engines: ONNX Runtime int8 on CPU (the fast path), torch fp16 on CUDA, torch fp32 (the exact
reference, and the CPU fallback when the int8 build fails).

Why one text per run on CPU: the int8 model quantises activations dynamically, with one scale per
tensor, so in a padded batch a text's scores would depend on its batch-mates (up to 0.02 in logits
here). Alone, each text gets the same floats whatever else is scored with it, in any order, with
any thread count, so a backfill split over Ray actors writes exactly what one process writes. It
also costs nothing: no padding, and on the 2-core box batches of ~512 tokens measured no faster
than single texts (see ``benchmarks/README.md``). On a GPU batching is the whole point, so the CUDA
engine batches and agrees with fp32 to its fp16 tolerance instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Literal

import numpy as np

from moderation.errors import ScoringError
from moderation.scoring.base import CountingScorer
from moderation.scoring.batching import gpu_token_budget, pad_batch, plan_batches
from moderation.scoring.detoxify_loading import LoadedDetoxify
from moderation.scoring.types import Scores

Engine = Literal["onnx-int8", "torch-fp32", "torch-fp16"]


def detoxify_model_id(loaded: LoadedDetoxify, engine: Engine) -> str:
    """E.g. ``detoxify-unbiased+onnx-int8`` or ``detoxify-custom-<sha12>+onnx-int8``."""
    name = loaded.variant if loaded.variant != "custom" else f"custom-{loaded.checkpoint_sha[:12]}"
    return f"detoxify-{name}+{engine}"


def default_threads() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class DetoxifyScorer(CountingScorer):
    """Scores texts with a Detoxify model; results in input order whatever the batching."""

    backend = "detoxify"

    def __init__(
        self,
        loaded: LoadedDetoxify,
        *,
        engine: Engine = "onnx-int8",
        max_tokens: int = 256,
        batch_tokens: int = 512,
        threads: int | None = None,
        cache_dir: Path | None = None,
    ) -> None:
        detox = loaded.detox
        super().__init__(detoxify_model_id(loaded, engine), tuple(detox.class_names))
        self._tokenizer = detox.tokenizer
        self.engine: Engine = engine
        self.max_tokens = max_tokens
        self.threads = threads or default_threads()
        self._input_names = list(self._tokenizer.model_input_names)
        self._pad_id = int(self._tokenizer.pad_token_id or 0)
        self._session: Any = None
        # int8 on several cores: one single-threaded session run per core, side by side, for
        # calls with several texts (no barrier between each op's threads; measured 15-25 % more
        # throughput on the loaded 2-core box). A single text still gets every core.
        self._solo_session: Any = None
        self._side_by_side: ThreadPoolExecutor | None = None
        self._model: Any = None
        self.artefact_path: Path | None = None
        #: Token budget per batch on CUDA; None on CPU, where every text runs alone.
        self.batch_tokens: int | None = None
        if engine == "onnx-int8":
            from moderation.scoring.onnx_int8 import ensure_int8_model, open_session

            self.artefact_path = ensure_int8_model(
                detox.model, self._input_names, loaded.checkpoint_sha, cache_dir
            )
            self._session = open_session(self.artefact_path, self.threads)
            if self.threads > 1:
                self._solo_session = open_session(self.artefact_path, 1)
                self._side_by_side = ThreadPoolExecutor(
                    self.threads, thread_name_prefix="threadwatch-int8"
                )
            return
        import torch

        torch.set_num_threads(self.threads)
        model = detox.model.eval()
        if engine == "torch-fp16":
            if model.device.type != "cuda":
                raise ScoringError("the fp16 engine runs on CUDA only", subject=self._model_id)
            model = model.half()
        self._model = model
        if model.device.type == "cuda":
            free, _total = torch.cuda.mem_get_info(model.device)
            self.batch_tokens = gpu_token_budget(
                free,
                model.config,
                max_tokens=max_tokens,
                dtype_bytes=2 if engine == "torch-fp16" else 4,
            )

    def _score(self, texts: list[str]) -> list[Scores]:
        encoded: list[list[int]] = self._tokenizer(
            texts, truncation=True, max_length=self.max_tokens
        )["input_ids"]
        if self.batch_tokens is None:
            batches = [[i] for i in range(len(encoded))]
        else:
            batches = plan_batches([len(e) for e in encoded], self.batch_tokens, ties=encoded)
        results: list[Scores | None] = [None] * len(texts)
        for batch, probs in self._run_all(batches, encoded):
            for row, i in enumerate(batch):
                results[i] = {
                    label: float(p) for label, p in zip(self._labels, probs[row], strict=True)
                }
        missing = [i for i, r in enumerate(results) if r is None]
        if missing:  # pragma: no cover - every plan covers every index
            raise ScoringError(f"batching lost {len(missing)} texts", subject=self._model_id)
        return results  # type: ignore[return-value]

    def _run_all(
        self, batches: list[list[int]], encoded: list[list[int]]
    ) -> Iterator[tuple[list[int], np.ndarray]]:
        def run(batch: list[int], session: Any = None) -> tuple[list[int], np.ndarray]:
            ids, mask = pad_batch([encoded[i] for i in batch], self._pad_id)
            return batch, self._run(ids, mask, session)

        if self._side_by_side is None or len(batches) < 2:
            return (run(b) for b in batches)
        # Longest first, so the last runs are short ones and the cores finish together.
        order = sorted(batches, key=lambda b: -max(len(encoded[i]) for i in b))
        return self._side_by_side.map(lambda b: run(b, self._solo_session), order)

    def _feeds(self, ids: np.ndarray, mask: np.ndarray) -> dict[str, np.ndarray]:
        available = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        return {name: available[name] for name in self._input_names}

    def _run(self, ids: np.ndarray, mask: np.ndarray, session: Any = None) -> np.ndarray:
        if self._session is not None:
            # ORT sessions are thread-safe for run(); the GIL is released inside it.
            (logits,) = (session or self._session).run(["logits"], self._feeds(ids, mask))
            return sigmoid(logits)
        import torch

        device = self._model.device
        inputs = {
            k: torch.from_numpy(v).to(device, non_blocking=True)
            for k, v in self._feeds(ids, mask).items()
        }
        with torch.inference_mode():
            logits = self._model(**inputs)[0]
            return sigmoid(logits.float().cpu().numpy())


def sigmoid(logits: Sequence[Any] | np.ndarray) -> np.ndarray:
    """In float64, the same function for every engine (torch's float32 sigmoid would differ)."""
    return 1.0 / (1.0 + np.exp(-np.asarray(logits, dtype=np.float64)))
