"""What every concrete scorer shares: its id and labels, and real counters of model runs."""

from __future__ import annotations

from collections.abc import Sequence

from moderation.scoring.types import Scores


class CountingScorer:
    """Implements the Scorer protocol around ``_score``; the counters let tests and the CLI see
    how often the model really ran (the score cache's promise is "zero times for known text")."""

    backend: str

    def __init__(self, model_id: str, labels: tuple[str, ...]) -> None:
        self._model_id = model_id
        self._labels = labels
        self.calls = 0
        self.texts_scored = 0

    @property
    def labels(self) -> tuple[str, ...]:
        return self._labels

    @property
    def model_id(self) -> str:
        return self._model_id

    def score(self, texts: Sequence[str]) -> list[Scores]:
        if not texts:
            return []
        self.calls += 1
        self.texts_scored += len(texts)
        return self._score(list(texts))

    def _score(self, texts: list[str]) -> list[Scores]:
        raise NotImplementedError
