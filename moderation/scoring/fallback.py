"""Offline fallback: the linear profanity model bundled in ``alt-profanity-check``.

It predicts one probability (profane or not), so it fills only the ``toxicity`` label; the other
Detoxify labels are absent rather than invented.
"""

from __future__ import annotations

from importlib import metadata

from moderation.errors import ScoringError
from moderation.scoring.base import CountingScorer
from moderation.scoring.types import Scores

FALLBACK_LABELS = ("toxicity",)


def fallback_model_id() -> str:
    try:
        version = metadata.version("alt-profanity-check")
    except metadata.PackageNotFoundError as exc:
        raise ScoringError(
            "alt-profanity-check is not installed", subject="alt-profanity-check"
        ) from exc
    return f"alt-profanity-check-{version}"


class ProfanityCheckScorer(CountingScorer):
    """Scorer over ``profanity_check.predict_prob`` (ships its weights; needs no network)."""

    backend = "alt-profanity-check"

    def __init__(self) -> None:
        super().__init__(fallback_model_id(), FALLBACK_LABELS)
        try:
            from profanity_check import predict_prob
        except Exception as exc:  # joblib/sklearn version mismatches surface as many types
            raise ScoringError(
                f"cannot load the bundled model: {exc}", subject=self._model_id
            ) from exc
        self._predict_prob = predict_prob

    def _score(self, texts: list[str]) -> list[Scores]:
        probs = self._predict_prob(texts)
        return [{"toxicity": float(p)} for p in probs]
