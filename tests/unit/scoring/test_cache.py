"""score_cached: dedupe, misses only, input order, progress, and zero model runs when warm."""

from __future__ import annotations

from moderation.fingerprint import text_hash
from moderation.scoring import DetoxifyScorer, MemoryScoreCache, ScoreCache, score_cached


def test_memory_cache_roundtrip_is_per_model() -> None:
    cache = MemoryScoreCache()
    assert isinstance(cache, ScoreCache)
    cache.put_many("m1", {"h1": {"toxicity": 0.25}})
    assert cache.get_many("m1", ["h1", "h2"]) == {"h1": {"toxicity": 0.25}}
    assert cache.get_many("m2", ["h1"]) == {}


def test_second_call_runs_the_model_zero_times(int8_scorer: DetoxifyScorer) -> None:
    cache = MemoryScoreCache()
    texts = ["you are an idiot", "great article", "you are an idiot", "", "thanks"]
    calls, scored = int8_scorer.calls, int8_scorer.texts_scored
    progress: list[tuple[int, int]] = []

    first = score_cached(int8_scorer, texts, cache, progress=lambda d, t: progress.append((d, t)))
    # Duplicates are scored once: 4 distinct texts, one model call.
    assert int8_scorer.texts_scored - scored == 4
    assert int8_scorer.calls - calls == 1
    assert progress[0] == (0, 4) and progress[-1] == (4, 4)
    assert first[0] == first[2]
    assert first == int8_scorer.score(texts)  # same order as direct scoring

    calls, scored = int8_scorer.calls, int8_scorer.texts_scored
    second = score_cached(int8_scorer, list(reversed(texts)), cache)
    assert (int8_scorer.calls, int8_scorer.texts_scored) == (calls, scored)
    assert second == list(reversed(first))


def test_only_misses_are_scored(int8_scorer: DetoxifyScorer) -> None:
    cache = MemoryScoreCache()
    score_cached(int8_scorer, ["thanks"], cache)
    scored = int8_scorer.texts_scored
    result = score_cached(int8_scorer, ["thanks", "bad news"], cache)
    assert int8_scorer.texts_scored - scored == 1
    stored = cache.get_many(int8_scorer.model_id, [text_hash("bad news")])
    assert stored[text_hash("bad news")] == result[1]


def test_empty_input_scores_nothing(int8_scorer: DetoxifyScorer) -> None:
    calls = int8_scorer.calls
    assert score_cached(int8_scorer, [], MemoryScoreCache()) == []
    assert int8_scorer.calls == calls
