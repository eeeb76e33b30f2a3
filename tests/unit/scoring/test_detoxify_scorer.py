"""The Detoxify backend against the real detoxify.Detoxify predictions of the same checkpoint."""

from __future__ import annotations

import logging
import math
from pathlib import Path
from typing import Any

import pytest

from moderation.errors import ScoringError
from moderation.scoring import DetoxifyScorer, LoadedDetoxify, detoxify_model_id

# Dynamic int8 is an approximation of fp32; the acceptance bound is 0.05.
INT8_TOLERANCE = 0.05
TEXTS = [
    "you are an idiot",
    "great article , thanks",
    "the",
    "i think turkey and armenia are not at war , this is good news for people who love peace "
    "and hate war and bad comments",
    "stupid stupid stupid",
    "this comment is great",
    "",
    "hate hate",
]


def naive(loaded: LoadedDetoxify, text: str) -> dict[str, float]:
    return {k: float(v) for k, v in loaded.detox.predict(text).items()}


def max_diff(a: list[dict[str, float]], b: list[dict[str, float]]) -> float:
    return max(abs(x[k] - y[k]) for x, y in zip(a, b, strict=True) for k in x)


def test_labels_and_model_id(
    int8_scorer: DetoxifyScorer, loaded: LoadedDetoxify, classes: tuple[str, ...]
) -> None:
    assert int8_scorer.labels == classes
    assert int8_scorer.model_id == f"detoxify-custom-{loaded.checkpoint_sha[:12]}+onnx-int8"
    assert detoxify_model_id(loaded, "torch-fp32").endswith("+torch-fp32")


def test_fp32_batches_equal_one_at_a_time(
    fp32_scorer: DetoxifyScorer, loaded: LoadedDetoxify
) -> None:
    # Exact engine: any reordering bug would show as a mismatch far above float noise.
    expected = [naive(loaded, t) for t in TEXTS]
    assert max_diff(fp32_scorer.score(TEXTS), expected) < 1e-4


def test_int8_order_preserved_across_sorted_batches(
    int8_scorer: DetoxifyScorer, loaded: LoadedDetoxify, classes: tuple[str, ...]
) -> None:
    expected = [naive(loaded, t) for t in TEXTS]
    got = int8_scorer.score(TEXTS)
    assert [set(s) for s in got] == [set(classes)] * len(TEXTS)
    assert max_diff(got, expected) <= INT8_TOLERANCE


def test_int8_agrees_with_fp32(
    int8_scorer: DetoxifyScorer, fp32_scorer: DetoxifyScorer, record_property: Any
) -> None:
    texts = TEXTS * 3 + [f"word {i} " * (i % 40) for i in range(60)]
    diff = max_diff(int8_scorer.score(texts), fp32_scorer.score(texts))
    # Reported in the JUnit XML (--junitxml) rather than printed into the test output.
    record_property("int8_vs_fp32_max_abs_diff", round(diff, 5))
    assert diff <= INT8_TOLERANCE


def test_empty_inputs(int8_scorer: DetoxifyScorer) -> None:
    assert int8_scorer.score([]) == []
    got = int8_scorer.score(["", "you", ""])
    assert len(got) == 3
    assert got[0] == pytest.approx(got[2])
    assert all(0.0 <= v <= 1.0 for s in got for v in s.values())


def test_ten_thousand_word_comment_is_truncated(int8_scorer: DetoxifyScorer) -> None:
    words = ["you", "are", "an", "idiot", "great", "article"]
    huge = " ".join(words[i % len(words)] for i in range(10_000))
    prefix = " ".join(huge.split()[:500])  # far more than max_tokens=64 tokens
    long_scores, prefix_scores = int8_scorer.score([huge, prefix])
    # Both are cut to the same first 64 tokens, so they score the same.
    assert long_scores == pytest.approx(prefix_scores, abs=1e-6)


@pytest.mark.parametrize("text", ["ты дурак", "日本語 中文 好 坏", "مرحبا", "🙂🙃 ☃", "Ωμέγα"])
def test_non_latin_text(int8_scorer: DetoxifyScorer, loaded: LoadedDetoxify, text: str) -> None:
    (got,) = int8_scorer.score([text])
    assert all(0.0 <= v <= 1.0 and not math.isnan(v) for v in got.values())
    assert max_diff([got], [naive(loaded, text)]) <= INT8_TOLERANCE


def test_int8_artefact_is_cached_on_disk(
    int8_scorer: DetoxifyScorer, loaded: LoadedDetoxify, caplog: pytest.LogCaptureFixture
) -> None:
    # Layout: <cache>/<sha16>-<recipe>/model.int8.onnx
    path = int8_scorer.artefact_path
    assert path is not None and path.is_file()
    assert loaded.checkpoint_sha[:16] in str(path)
    built_at = path.stat().st_mtime_ns
    with caplog.at_level(logging.INFO, logger="moderation.scoring"):
        again = DetoxifyScorer(loaded, engine="onnx-int8", cache_dir=path.parent.parent)
    assert again.artefact_path == path
    assert path.stat().st_mtime_ns == built_at
    assert "Using cached int8 ONNX model" in caplog.text


def test_counters_are_real(int8_scorer: DetoxifyScorer) -> None:
    calls, scored = int8_scorer.calls, int8_scorer.texts_scored
    int8_scorer.score(["a", "b", "c"])
    assert (int8_scorer.calls, int8_scorer.texts_scored) == (calls + 1, scored + 3)


def test_plain_detoxify_cannot_load_offline_without_our_patch(
    tiny_model: tuple[Path, Path],
) -> None:
    # Canary for the workaround in detoxify_loading: if a detoxify release stops fetching the
    # checkpoint's model_type config when given a local folder, this fails and the patch can go.
    from detoxify import Detoxify

    checkpoint, config_dir = tiny_model
    with pytest.raises(OSError):
        Detoxify(checkpoint=str(checkpoint), huggingface_config_path=str(config_dir))


def test_int8_scores_do_not_depend_on_batch_mates_order_or_threads(
    int8_scorer: DetoxifyScorer, loaded: LoadedDetoxify, model_cache: Path
) -> None:
    # What makes a Ray backfill write exactly what one process writes: each text's floats are
    # the same alone, among others, in reverse order, and with one thread instead of two.
    together = int8_scorer.score(TEXTS)
    alone = [int8_scorer.score([t])[0] for t in TEXTS]
    reverse = int8_scorer.score(TEXTS[::-1])[::-1]
    one_thread = DetoxifyScorer(
        loaded, engine="onnx-int8", max_tokens=64, threads=1, cache_dir=model_cache
    ).score(TEXTS)
    assert together == alone == reverse == one_thread


def test_fp16_engine_needs_cuda(loaded: LoadedDetoxify) -> None:
    with pytest.raises(ScoringError, match="CUDA only"):
        DetoxifyScorer(loaded, engine="torch-fp16")
