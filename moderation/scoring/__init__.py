"""Toxicity scoring: Scorer protocol, Detoxify backend (ONNX int8 on CPU), the bundled offline
model (MiniLM + calibrated heads), dynamic batching and the score cache.

Heavy libraries (torch, onnxruntime, detoxify) load only when a scorer is built.
"""

from moderation.scoring.cache import MemoryScoreCache, score_cached
from moderation.scoring.detoxify_loading import LoadedDetoxify, load_local, load_variant
from moderation.scoring.detoxify_scorer import DetoxifyScorer, detoxify_model_id
from moderation.scoring.factory import ScorerFactory, active_model, build_scorer
from moderation.scoring.fallback import FALLBACK_LABELS
from moderation.scoring.offline import MiniLMHeadsScorer
from moderation.scoring.types import (
    UNBIASED_LABELS,
    ActiveModel,
    ProgressFn,
    ScoreCache,
    Scorer,
    Scores,
)

__all__ = [
    "FALLBACK_LABELS",
    "UNBIASED_LABELS",
    "ActiveModel",
    "DetoxifyScorer",
    "LoadedDetoxify",
    "MemoryScoreCache",
    "MiniLMHeadsScorer",
    "ProgressFn",
    "ScoreCache",
    "Scorer",
    "ScorerFactory",
    "Scores",
    "active_model",
    "build_scorer",
    "detoxify_model_id",
    "load_local",
    "load_variant",
    "score_cached",
]
