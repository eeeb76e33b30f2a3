"""The offline model's training pipeline end to end on a small sample of the labeled data."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from moderation.scoring import MiniLMHeadsScorer
from moderation.scoring.labeled_data import (
    DAVIDSON_FILE as DAVIDSON,
)
from moderation.scoring.labeled_data import (
    JIGSAW_FILE as JIGSAW,
)
from moderation.scoring.labeled_data import (
    OFFLINE_LABELS,
    TEST_PERCENT,
    is_test,
    load_davidson,
    load_jigsaw,
    split_bucket,
)
from moderation.scoring.training import TrainConfig, train
from tests.conftest import SHARED_DATA, SHARED_DATA_MISSING

SMALL = TrainConfig(folds=2, buckets=2**12, limit=240, max_iter=200)


@pytest.fixture(scope="module")
def trained(
    tmp_path_factory: pytest.TempPathFactory, offline_scorer: MiniLMHeadsScorer
) -> tuple[Path, dict[str, object]]:
    data = SHARED_DATA
    if not data.is_dir():
        pytest.skip(SHARED_DATA_MISSING)
    out = tmp_path_factory.mktemp("model")
    cache = tmp_path_factory.mktemp("cache")
    result = train(data, out, config=SMALL, encoder=offline_scorer.encoder, cache_dir=cache)
    return out, result.card


def test_training_writes_loadable_heads_and_a_card(
    trained: tuple[Path, dict[str, object]], offline_scorer: MiniLMHeadsScorer
) -> None:
    out, card = trained
    heads = out / "minilm_heads.npz"
    sha = hashlib.sha256(heads.read_bytes()).hexdigest()
    assert card["model_id"] == f"threadwatch-minilm-heads-{sha[:12]}"
    assert card["heads_sha256"] == sha
    assert json.loads((out / "minilm_heads.json").read_text())["heads_sha256"] == sha
    data = {d["name"]: d for d in card["data"]}  # type: ignore[attr-defined]
    assert data["jigsaw"]["sha256"] == load_jigsaw(_shared(JIGSAW)).sha256
    assert data["davidson"]["sha256"] == load_davidson(_shared(DAVIDSON)).sha256
    assert data["jigsaw"]["rows"] == SMALL.limit
    assert card["split"]["test_percent"] == TEST_PERCENT  # type: ignore[index]
    test_metrics = card["metrics"]["test"]  # type: ignore[index]
    assert set(test_metrics) == set(OFFLINE_LABELS)
    assert test_metrics["toxicity"]["all"]["auc"] > 0.7  # even 240 rows per set learn something

    scorer = MiniLMHeadsScorer(heads_path=heads, encoder=offline_scorer.encoder)
    assert scorer.model_id == card["model_id"]
    rude, clean = scorer.score(["fuck you, you stupid idiot", "Thank you for the article."])
    assert set(rude) == set(OFFLINE_LABELS)
    assert rude["toxicity"] > clean["toxicity"]
    assert all(0.0 < v < 1.0 for v in (*rude.values(), *clean.values()))


def test_retraining_is_reproducible(
    trained: tuple[Path, dict[str, object]],
    offline_scorer: MiniLMHeadsScorer,
    tmp_path: Path,
) -> None:
    _, card = trained
    data = _shared(JIGSAW).parent
    # Same data, settings and seed, nothing cached: byte-identical heads, so the same model id.
    again = train(
        data, tmp_path / "out", config=SMALL, encoder=offline_scorer.encoder, cache_dir=tmp_path
    )
    assert again.card["heads_sha256"] == card["heads_sha256"]


def test_split_is_fixed_by_text() -> None:
    assert split_bucket("Hello  WORLD") == split_bucket("hello world")  # normalised text
    buckets = [split_bucket(f"comment number {i}") for i in range(4000)]
    share = np.mean([b < TEST_PERCENT for b in buckets])
    assert abs(share - TEST_PERCENT / 100) < 0.03
    assert is_test("comment number 0") == (split_bucket("comment number 0") < TEST_PERCENT)


def _shared(name: str) -> Path:
    return SHARED_DATA / name
