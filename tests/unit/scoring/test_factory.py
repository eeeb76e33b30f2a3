"""Backend choice from Settings, and the offline fallback with its one log line and banner."""

from __future__ import annotations

import hashlib
import logging
import time
from pathlib import Path

import pytest

from moderation.scoring import (
    FALLBACK_LABELS,
    DetoxifyScorer,
    LoadedDetoxify,
    MiniLMHeadsScorer,
    Scorer,
    ScorerFactory,
)
from moderation.scoring.detoxify_loading import network_reachable
from moderation.scoring.offline import HEADS_PATH
from moderation.settings import Settings


def test_local_checkpoint_builds_detoxify(
    tiny_model: tuple[Path, Path],
    model_cache: Path,
    loaded: LoadedDetoxify,
    classes: tuple[str, ...],
) -> None:
    checkpoint, config_dir = tiny_model
    factory = ScorerFactory(cache_dir=model_cache)
    scorer = factory.build(
        Settings(checkpoint=checkpoint, huggingface_config_path=config_dir, device="cpu", threads=2)
    )
    assert isinstance(scorer, DetoxifyScorer) and isinstance(scorer, Scorer)
    active = factory.active_model()
    assert active is not None
    assert active.model_id == f"detoxify-custom-{loaded.checkpoint_sha[:12]}+onnx-int8"
    assert (active.backend, active.reason, active.labels) == ("detoxify", None, classes)


def test_missing_checkpoint_falls_back_and_logs_once(
    tmp_path: Path, model_cache: Path, caplog: pytest.LogCaptureFixture
) -> None:
    factory = ScorerFactory(cache_dir=model_cache)
    settings = Settings(checkpoint=tmp_path / "missing.ckpt", device="cpu")
    with caplog.at_level(logging.WARNING, logger="moderation.scoring"):
        first = factory.build(settings)
        second = factory.build(settings)
    assert isinstance(first, MiniLMHeadsScorer)
    assert second is first  # same configuration: built once
    fallback_lines = [r for r in caplog.records if "Scoring fallback" in r.getMessage()]
    assert len(fallback_lines) == 1
    assert "missing.ckpt" in fallback_lines[0].getMessage()
    assert first.model_id in fallback_lines[0].getMessage()

    active = factory.active_model()
    assert active is not None
    sha12 = hashlib.sha256(HEADS_PATH.read_bytes()).hexdigest()[:12]
    assert active.model_id == f"threadwatch-minilm-heads-{sha12}"
    assert active.backend == "threadwatch-minilm"
    assert (
        active.labels
        == FALLBACK_LABELS
        == (
            "toxicity",
            "severe_toxicity",
            "obscene",
            "identity_attack",
            "insult",
            "threat",
        )
    )
    assert active.lacks == ("sexual_explicit",)
    assert active.reason is not None and "checkpoint file not found" in active.reason
    assert "lacks sexual_explicit" in active.reason


def test_fallback_scores_the_six_offline_labels() -> None:
    scorer = MiniLMHeadsScorer()
    assert isinstance(scorer, Scorer)
    clean, rude, empty = scorer.score(["thank you for the article", "fuck you idiot", ""])
    assert set(clean) == set(rude) == set(empty) == set(FALLBACK_LABELS)
    assert rude["toxicity"] > 0.5 > clean["toxicity"]
    assert rude["obscene"] > 0.5 > clean["obscene"]
    assert all(0.0 <= v <= 1.0 for s in (clean, rude, empty) for v in s.values())
    assert scorer.calls == 1 and scorer.texts_scored == 3


@pytest.mark.parametrize("choice", ["offline", "profanity-check"])
def test_explicit_offline_model_is_not_a_fallback(choice: str) -> None:
    # "profanity-check" is the old name of the offline choice: existing settings keep working.
    factory = ScorerFactory()
    scorer = factory.build(Settings(model=choice))
    assert isinstance(scorer, MiniLMHeadsScorer)
    active = factory.active_model()
    assert active is not None and active.reason is None
    assert active.lacks == ("sexual_explicit",)


def test_uncached_variant_offline_falls_back_fast(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if network_reachable("github.com"):
        pytest.skip("network available: this test is about the offline path")
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch-home"))  # empty hub cache
    factory = ScorerFactory(cache_dir=tmp_path)
    started = time.monotonic()
    scorer = factory.build(Settings(model="unbiased", device="cpu"))
    assert time.monotonic() - started < 15
    assert isinstance(scorer, MiniLMHeadsScorer)
    active = factory.active_model()
    assert active is not None and active.reason is not None
    assert "not cached" in active.reason
