"""The offline model's stored heads and lexical features: safe to load, exact to apply."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from moderation.errors import ScoringError
from moderation.scoring.calibration import fit_isotonic, fit_platt
from moderation.scoring.heads import Heads, heads_bytes, load_heads, save_heads
from moderation.scoring.lexical import fit_idf, hash_texts, linear_scores, sparse_matrix

TEXTS = ["You are an idiot", "f*ck this", "fuuuuck this", "Thanks for the article", ""]


def _heads(buckets: int = 512) -> Heads:
    rng = np.random.default_rng(0)
    raw = rng.normal(size=200)
    truth = (raw > 0).astype(float)
    return Heads(
        labels=("toxicity", "threat"),
        encoder_id="minilm-l6-000000000000+onnx-int8-t128",
        emb_weights=rng.normal(size=(384, 2)).astype(np.float32),
        lex_weights=rng.normal(size=(buckets, 2)).astype(np.float32),
        idf=np.ones(buckets, dtype=np.float32),
        bias=np.array([0.1, -0.2]),
        calibrators=(fit_isotonic(raw, truth), fit_platt(raw, truth)),
    )


def test_linear_scores_equal_the_sparse_product() -> None:
    hashed = hash_texts(TEXTS, 256)
    idf = fit_idf(hashed, 256)
    weights = np.random.default_rng(1).normal(size=(256, 3))
    dense = np.asarray(sparse_matrix(hashed, idf) @ weights)  # type: ignore[operator]
    assert np.allclose(linear_scores(hashed, idf, weights), dense)
    assert np.allclose(linear_scores(hashed, idf, weights)[-1], 0.0)  # empty text: no features


def test_obfuscations_share_the_plain_words_features() -> None:
    rows = hash_texts(["fuuuuck this", "fuuck this", "sh1t", "shit"], 2**16)

    def features(i: int) -> set[int]:
        return set(rows.indices[rows.indptr[i] : rows.indptr[i + 1]].tolist())

    assert features(0) == features(1)  # stretched letters collapse
    assert features(2) == features(3)  # leetspeak folds


def test_heads_round_trip_is_exact_and_deterministic(tmp_path: Path) -> None:
    heads = _heads()
    first = save_heads(heads, tmp_path / "a.npz")
    second = save_heads(heads, tmp_path / "b.npz")
    assert first == second  # same weights, same bytes, same model id
    assert (tmp_path / "a.npz").read_bytes() == heads_bytes(heads)
    loaded, sha = load_heads(tmp_path / "a.npz")
    assert sha == first and loaded.labels == heads.labels
    embeddings = np.random.default_rng(2).normal(size=(len(TEXTS), 384)).astype(np.float32)
    expected = heads.probabilities(embeddings, TEXTS)
    got = loaded.probabilities(embeddings, TEXTS)
    assert np.abs(expected - got).max() < 2e-3  # float16 storage of the n-gram weights


def test_damaged_or_foreign_files_are_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a zip")
    with pytest.raises(ScoringError, match="damaged"):
        load_heads(bad)
    pickled = tmp_path / "pickled.npz"
    np.savez(pickled, format=np.array(["x", None], dtype=object))
    with pytest.raises(ScoringError):
        load_heads(pickled)  # object arrays need pickle: never loaded
    with pytest.raises(ScoringError, match="cannot read"):
        load_heads(tmp_path / "missing.npz")
