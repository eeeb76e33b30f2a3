"""Pick the scoring backend from Settings, in one place, and remember which one is active.

A missing preferred model never fails the run: the factory falls back to the bundled offline
model (MiniLM embeddings + calibrated heads, six Detoxify-named labels), logs why once, and
``active_model()`` tells the dashboard banner which model and labels are active and what the
fallback lacks.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from moderation.errors import ScoringError
from moderation.scoring.detoxify_loading import (
    LoadedDetoxify,
    load_local,
    load_variant,
    resolve_device,
)
from moderation.scoring.detoxify_scorer import DetoxifyScorer, Engine
from moderation.scoring.fallback import OFFLINE_ALIASES, build_offline
from moderation.scoring.types import ActiveModel, Scorer
from moderation.settings import Settings

log = logging.getLogger(__name__)


def load_detoxify(settings: Settings, device: str) -> LoadedDetoxify:
    """The Detoxify weights the settings ask for: a local checkpoint if given, else the variant."""
    if settings.checkpoint is not None:
        return load_local(settings.checkpoint, settings.huggingface_config_path, device)
    return load_variant(settings.model, device)


class ScorerFactory:
    """Builds scorers and tracks the active model; one per process (see ``default_factory``)."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        self.cache_dir = cache_dir
        self._active: ActiveModel | None = None
        self._logged: set[str] = set()
        self._built: dict[tuple[object, ...], tuple[Scorer, str | None]] = {}
        self._lock = threading.Lock()

    def active_model(self) -> ActiveModel | None:
        return self._active

    def build(self, settings: Settings) -> Scorer:
        """The scorer for ``settings``; built once per distinct scoring configuration.

        Reused because loading a model (and probing the network when offline) takes seconds and
        the dashboard asks on every rerun.
        """
        key = settings.scoring_key()
        with self._lock:
            if key not in self._built:
                self._built[key] = self._build(settings)
            scorer, reason = self._built[key]
            self._active = ActiveModel(
                model_id=scorer.model_id,
                backend=scorer.backend,
                reason=reason,
                labels=tuple(scorer.labels),
                lacks=tuple(getattr(scorer, "lacks", ())),
            )
            return scorer

    def _build(self, settings: Settings) -> tuple[Scorer, str | None]:
        if settings.model in OFFLINE_ALIASES:
            if settings.model != "offline":
                self._log_once(
                    OFFLINE_ALIASES[settings.model], level=logging.INFO, prefix="Scoring"
                )
            return build_offline(settings), None
        try:
            device = resolve_device(settings.device)
            loaded = load_detoxify(settings, device)
            # int8 ONNX is the CPU fast path; on CUDA, fp16 batches (within 0.05 of fp32).
            engine: Engine = "onnx-int8" if device == "cpu" else "torch-fp16"
            return self._detoxify_scorer(loaded, engine, settings), None
        except ScoringError as exc:
            try:
                fallback = build_offline(settings)
            except ScoringError as offline_exc:
                raise ScoringError(
                    f"Detoxify '{settings.model}' unavailable ({exc}) and the offline model "
                    f"failed too ({offline_exc})"
                ) from offline_exc
            labels = ", ".join(fallback.labels)
            lacks = ", ".join(fallback.lacks) or "nothing"
            reason = (
                f"Detoxify '{settings.model}' unavailable ({exc}); using {fallback.model_id}"
                f" (offline MiniLM model; labels: {labels}; lacks {lacks})"
            )
            self._log_once(reason)
            return fallback, reason

    def _detoxify_scorer(
        self, loaded: LoadedDetoxify, engine: Engine, settings: Settings
    ) -> DetoxifyScorer:
        def make(engine: Engine) -> DetoxifyScorer:
            return DetoxifyScorer(
                loaded,
                engine=engine,
                max_tokens=settings.max_tokens,
                batch_tokens=settings.batch_tokens,
                threads=settings.threads,
                cache_dir=self.cache_dir,
            )

        try:
            return make(engine)
        except ScoringError as exc:
            if engine != "onnx-int8":
                raise
            # The weights are fine; only the int8 build failed. Slower exact scores beat the
            # fallback model.
            self._log_once(f"int8 ONNX build failed ({exc}); scoring with torch fp32")
            return make("torch-fp32")

    def _log_once(
        self, reason: str, level: int = logging.WARNING, prefix: str = "Scoring fallback"
    ) -> None:
        # Once per process and reason: the dashboard rebuilds scorers on every rerun.
        if reason not in self._logged:
            self._logged.add(reason)
            log.log(level, "%s: %s", prefix, reason)


default_factory = ScorerFactory()


def build_scorer(settings: Settings) -> Scorer:
    """The scorer the settings ask for, or the offline fallback when its weights are missing."""
    return default_factory.build(settings)


def active_model() -> ActiveModel | None:
    """The model the last ``build_scorer`` call chose (None before any was built)."""
    return default_factory.active_model()
