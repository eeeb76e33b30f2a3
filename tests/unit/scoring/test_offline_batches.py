"""The bundled offline model quantises each batch's activations together, so a text's scores
depend on the texts it is batched with: the same texts must get the same scores in any order,
or a resumed import stores other scores than an uninterrupted one (CI saw exactly that)."""

from __future__ import annotations

import random

from moderation.parsing import parse_file
from moderation.scoring import MiniLMHeadsScorer, score_cached
from moderation.scoring.cache import MemoryScoreCache
from tests.conftest import SAMPLE_DATA


def _texts(copies: int = 4) -> list[str]:
    seeds = sorted(SAMPLE_DATA.glob("*.txt"))
    told = [c.text for seed in seeds for c in parse_file(seed)[0].reader_comments]
    return [f"{text} [{a}]" for a in range(copies) for text in told]


def test_the_same_texts_get_the_same_scores_in_any_order(
    offline_scorer: MiniLMHeadsScorer,
) -> None:
    texts = _texts()
    shuffled = texts[:]
    random.Random(7).shuffle(shuffled)
    first = dict(zip(texts, offline_scorer.score(texts), strict=True))
    again = dict(zip(shuffled, offline_scorer.score(shuffled), strict=True))
    assert again == first  # exactly: the batches are the same, not merely similar


def test_the_cache_scores_the_same_misses_in_the_same_chunks_in_any_order(
    offline_scorer: MiniLMHeadsScorer,
) -> None:
    texts = _texts(10)  # 300 texts: more than one of the cache's chunks of 256
    shuffled = texts[::-1]
    first = score_cached(offline_scorer, texts, MemoryScoreCache())
    again = score_cached(offline_scorer, shuffled, MemoryScoreCache())
    assert dict(zip(shuffled, again, strict=True)) == dict(zip(texts, first, strict=True))
