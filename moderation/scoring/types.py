"""The contracts of scoring: what a scorer, a score cache and the active-model banner look like.

Kept free of torch/onnx imports so that the store, the pipeline and the dashboard can depend on
these types without loading a model.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

#: The labels of Detoxify's ``original`` variant (trained on the Jigsaw toxic comments).
ORIGINAL_LABELS: tuple[str, ...] = (
    "toxicity",
    "severe_toxicity",
    "obscene",
    "identity_attack",
    "insult",
    "threat",
)
#: The labels of Detoxify's default variant, ``unbiased`` (trained on Civil Comments).
UNBIASED_LABELS: tuple[str, ...] = (*ORIGINAL_LABELS, "sexual_explicit")

#: One comment's scores: label -> probability in [0, 1].
Scores = dict[str, float]

#: Optional progress callback: ``progress(done, total)``.
ProgressFn = Callable[[int, int], object]


@runtime_checkable
class Scorer(Protocol):
    """A toxicity model. ``score`` returns one dict per text, in input order."""

    @property
    def labels(self) -> tuple[str, ...]: ...

    @property
    def model_id(self) -> str: ...

    #: Which implementation ("detoxify", "threadwatch-minilm"), for the banner and logs.
    backend: str
    #: Real counters (not mocks): how often the model ran and on how many texts.
    calls: int
    texts_scored: int

    def score(self, texts: Sequence[str]) -> list[Scores]: ...


@dataclass(frozen=True)
class ActiveModel:
    """What the dashboard banner shows: the scoring model, and why if not the preferred one."""

    model_id: str
    backend: str
    #: None when the preferred (configured) model is active; otherwise why the fallback took over.
    reason: str | None
    labels: tuple[str, ...]
    #: Labels of the preferred model (Detoxify ``unbiased``) this one does not predict, so the
    #: banner can say which rules cannot fire.
    lacks: tuple[str, ...] = ()


@runtime_checkable
class ScoreCache(Protocol):
    """Scores keyed by (model id, text hash), so identical text is scored once per model."""

    def get_many(self, model_id: str, text_hashes: Sequence[str]) -> dict[str, dict[str, float]]:
        """Return the cached scores of those hashes that are present (misses are left out)."""
        ...

    def put_many(self, model_id: str, scores: Mapping[str, Mapping[str, float]]) -> None:
        """Store scores by text hash."""
        ...
