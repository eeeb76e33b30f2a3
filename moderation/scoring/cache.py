"""Score cache: run the model only for text it has not scored before."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from moderation.fingerprint import text_hash
from moderation.scoring.types import ProgressFn, ScoreCache, Scorer, Scores

# Misses are scored in chunks so that ``progress`` moves and each chunk is stored as soon as it is
# done (an interrupted ingest keeps what it already paid for).
_CHUNK = 256


class MemoryScoreCache:
    """In-process ScoreCache (tests, one-off CLI runs); the store provides the persistent one."""

    def __init__(self) -> None:
        self._data: dict[tuple[str, str], dict[str, float]] = {}

    def get_many(self, model_id: str, text_hashes: Sequence[str]) -> dict[str, dict[str, float]]:
        found: dict[str, dict[str, float]] = {}
        for h in text_hashes:
            scores = self._data.get((model_id, h))
            if scores is not None:
                found[h] = dict(scores)
        return found

    def put_many(self, model_id: str, scores: Mapping[str, Mapping[str, float]]) -> None:
        for h, s in scores.items():
            self._data[(model_id, h)] = {label: float(v) for label, v in s.items()}

    def __len__(self) -> int:
        return len(self._data)


def score_cached(
    scorer: Scorer,
    texts: Sequence[str],
    cache: ScoreCache,
    progress: ProgressFn | None = None,
) -> list[Scores]:
    """Score ``texts`` in input order, running ``scorer`` only on distinct texts the cache lacks."""
    hashes = [text_hash(t) for t in texts]
    # Distinct hashes in first-seen order, each with one representative text.
    distinct: dict[str, str] = {}
    for h, t in zip(hashes, texts, strict=True):
        distinct.setdefault(h, t)
    known = cache.get_many(scorer.model_id, list(distinct))
    # In hash order: the same misses make the same chunks (and batches) in any input order.
    misses = sorted(h for h in distinct if h not in known)
    total = len(misses)
    if progress is not None:
        progress(0, total)
    for start in range(0, total, _CHUNK):
        chunk = misses[start : start + _CHUNK]
        results = scorer.score([distinct[h] for h in chunk])
        fresh = dict(zip(chunk, results, strict=True))
        cache.put_many(scorer.model_id, fresh)
        known.update(fresh)
        if progress is not None:
            progress(start + len(chunk), total)
    return [dict(known[h]) for h in hashes]
