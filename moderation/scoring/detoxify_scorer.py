"""The Detoxify scorer: tokenise once, sort by length, batch by token budget, run an engine.

Engines: ONNX Runtime int8 on CPU (the fast path), torch fp32 on CUDA (or on CPU when asked, e.g.
as the reference the int8 scores are checked against).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

import numpy as np

from moderation.errors import ScoringError
from moderation.scoring.base import CountingScorer
from moderation.scoring.batching import pad_batch, plan_batches
from moderation.scoring.detoxify_loading import LoadedDetoxify
from moderation.scoring.types import Scores

Engine = Literal["onnx-int8", "torch-fp32"]


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
        self.batch_tokens = batch_tokens
        self.threads = threads or default_threads()
        self._input_names = list(self._tokenizer.model_input_names)
        self._pad_id = int(self._tokenizer.pad_token_id or 0)
        self._session: Any = None
        self._model: Any = None
        if engine == "onnx-int8":
            from moderation.scoring.onnx_int8 import ensure_int8_model, open_session

            path = ensure_int8_model(
                detox.model, self._input_names, loaded.checkpoint_sha, cache_dir
            )
            self._session = open_session(path, self.threads)
            self.artefact_path: Path | None = path
        else:
            import torch

            torch.set_num_threads(self.threads)
            self._model = detox.model.eval()
            self.artefact_path = None

    def _score(self, texts: list[str]) -> list[Scores]:
        encoded: list[list[int]] = self._tokenizer(
            texts, truncation=True, max_length=self.max_tokens
        )["input_ids"]
        results: list[Scores | None] = [None] * len(texts)
        for batch in plan_batches([len(e) for e in encoded], self.batch_tokens):
            ids, mask = pad_batch([encoded[i] for i in batch], self._pad_id)
            probs = self._run(ids, mask)
            for row, i in enumerate(batch):
                results[i] = {
                    label: float(p) for label, p in zip(self._labels, probs[row], strict=True)
                }
        missing = [i for i, r in enumerate(results) if r is None]
        if missing:  # pragma: no cover - plan_batches covers every index
            raise ScoringError(f"batching lost {len(missing)} texts", subject=self._model_id)
        return results  # type: ignore[return-value]

    def _feeds(self, ids: np.ndarray, mask: np.ndarray) -> dict[str, np.ndarray]:
        available = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        return {name: available[name] for name in self._input_names}

    def _run(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        if self._session is not None:
            (logits,) = self._session.run(["logits"], self._feeds(ids, mask))
            return 1.0 / (1.0 + np.exp(-logits.astype(np.float64)))
        import torch

        device = self._model.device
        inputs = {k: torch.from_numpy(v).to(device) for k, v in self._feeds(ids, mask).items()}
        with torch.inference_mode():
            logits = self._model(**inputs)[0]
            return torch.sigmoid(logits.float()).cpu().numpy()
