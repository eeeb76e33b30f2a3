"""Train the offline model's heads: ``moderation model train --data ../shared/data``.

1. Load the labeled sets and split them by text hash (``labeled_data``): 20 % test, untouched
   here except for the final metrics written into the model card.
2. Embed every text with the engine the scorer runs (int8 ONNX MiniLM), cached on disk by encoder
   and data file hash, so a retrain costs seconds after the first.
3. Per label, logistic regression (liblinear, L2) on [embedding, hashed tf-idf n-grams], trained
   only on the rows where that label is known. Five-fold cross-fitting on the development part
   gives out-of-fold scores; the calibrators (isotonic, or Platt for rare labels) are fitted on
   those, then the final heads on the whole development part.
4. Write the heads (``.npz``) and a JSON card: data hashes, split, settings, seed, calibration
   method per label and the test metrics the saved heads (after float16 rounding) reach.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from moderation.scoring.calibration import (
    Calibrator,
    fit_calibrator,
)
from moderation.scoring.heads import Heads, heads_bytes, load_heads, save_heads
from moderation.scoring.labeled_data import (
    OFFLINE_LABELS,
    SPLIT_SALT,
    TEST_PERCENT,
    LabeledSet,
    fold_of,
    load_labeled_dir,
    split_rows,
)
from moderation.scoring.lexical import DEFAULT_BUCKETS, Hashed, fit_idf, hash_texts, sparse_matrix
from moderation.scoring.minilm import MiniLMEncoder, default_cache_dir
from moderation.scoring.model_card import CARD_FILE, HEADS_FILE, model_card

log = logging.getLogger(__name__)

MODELS_DIR = Path(__file__).resolve().parent / "models"
MODEL_ID_PREFIX = "threadwatch-minilm-heads-"

Report = Callable[[str], object]


def model_id_for(heads_sha256: str) -> str:
    return f"{MODEL_ID_PREFIX}{heads_sha256[:12]}"


@dataclass(frozen=True)
class TrainConfig:
    seed: int = 0
    folds: int = 5
    # Inverse L2 strength of the heads; chosen on out-of-fold F1 of the development part
    # (4, 16, 32 tried; 16 best for `toxicity`, equal within noise elsewhere).
    c: float = 16.0
    buckets: int = DEFAULT_BUCKETS
    max_iter: int = 500
    # Each data set weighs the same in a head's loss, whatever its size: Davidson's 20k tweets
    # would otherwise drown Jigsaw's 4k comments, the closer kin of news-site comments.
    # Measured on out-of-fold development scores (any-label head): Jigsaw AUC 0.941 -> 0.947,
    # best F1 0.719 -> 0.732; Davidson AUC 0.982 -> 0.981.
    balance_sets: bool = True
    datasets: tuple[str, ...] = ("jigsaw", "davidson")
    #: First N rows of each set (tests and quick runs); None = all.
    limit: int | None = None


@dataclass
class Pool:
    """Rows of one or more sets, with their features."""

    texts: list[str]
    source: np.ndarray  # data set name per row
    labels: dict[str, np.ndarray]  # 1/0/NaN per row
    bad: np.ndarray
    embeddings: np.ndarray
    hashed: Hashed | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.texts)

    def hashed_rows(self, buckets: int) -> Hashed:
        if self.hashed is None:
            self.hashed = hash_texts(self.texts, buckets)
        return self.hashed


def embedding_cache_dir(cache_dir: Path | None = None) -> Path:
    return (cache_dir or default_cache_dir()) / "embeddings"


def embed_cached(
    encoder: MiniLMEncoder, data: LabeledSet, cache_dir: Path | None = None
) -> np.ndarray:
    """The set's embeddings, computed once per (encoder, file contents, rows) and cached."""
    digest = hashlib.sha256(
        "\x00".join([encoder.encoder_id, data.sha256, *data.texts]).encode()
    ).hexdigest()[:20]
    path = embedding_cache_dir(cache_dir) / encoder.encoder_id / f"{data.name}-{digest}.npy"
    if path.is_file():
        cached = np.load(path, allow_pickle=False)
        if cached.shape == (len(data), 384):
            return cached
    vectors = encoder.encode(data.texts)
    path.parent.mkdir(parents=True, exist_ok=True)
    staged = path.with_name(path.name + f".{os.getpid()}.tmp.npy")
    np.save(staged, vectors, allow_pickle=False)
    staged.replace(path)
    return vectors


def pools(sets: Sequence[LabeledSet], embeddings: Sequence[np.ndarray]) -> tuple[Pool, Pool]:
    """(development, test) pools over all sets."""
    parts: dict[str, list[tuple[LabeledSet, np.ndarray, np.ndarray]]] = {"dev": [], "test": []}
    for data, vectors in zip(sets, embeddings, strict=True):
        dev, test = split_rows(data)
        parts["dev"].append((data, vectors, dev))
        parts["test"].append((data, vectors, test))
    out = []
    for name in ("dev", "test"):
        chosen = parts[name]
        out.append(
            Pool(
                texts=[d.texts[i] for d, _, rows in chosen for i in rows],
                source=np.concatenate(
                    [np.full(len(rows), d.name, dtype=object) for d, _, rows in chosen]
                ),
                labels={
                    label: np.concatenate([d.labels[label][rows] for d, _, rows in chosen])
                    for label in OFFLINE_LABELS
                },
                bad=np.concatenate([d.bad[rows] for d, _, rows in chosen]),
                embeddings=np.vstack([v[rows] for _, v, rows in chosen]),
            )
        )
    return out[0], out[1]


def _design(pool: Pool, rows: np.ndarray, idf: np.ndarray, buckets: int) -> Any:
    from scipy.sparse import csr_matrix, hstack

    hashed = pool.hashed_rows(buckets)
    lexical = sparse_matrix(_take(hashed, rows), idf)
    return hstack([csr_matrix(pool.embeddings[rows]), lexical], format="csr")


def _take(hashed: Hashed, rows: np.ndarray) -> Hashed:
    starts, ends = hashed.indptr[rows], hashed.indptr[rows + 1]
    lengths = ends - starts
    picks = np.concatenate(
        [np.arange(s, e) for s, e in zip(starts, ends, strict=True)]
        or [np.empty(0, dtype=np.int64)]
    )
    picks = picks.astype(np.int64)
    return Hashed(
        np.r_[0, np.cumsum(lengths)].astype(np.int64), hashed.indices[picks], hashed.counts[picks]
    )


def _weights(sources: np.ndarray, config: TrainConfig) -> np.ndarray | None:
    """Per-row weights that give every data set the same total weight (None: all equal)."""
    names, counts = np.unique(sources, return_counts=True)
    if not config.balance_sets or len(names) < 2:
        return None
    per_set = len(sources) / (len(names) * counts)
    return per_set[np.searchsorted(names, sources)]


def _fit_label(
    x: Any, y: np.ndarray, config: TrainConfig, weights: np.ndarray | None = None
) -> tuple[np.ndarray, float]:
    """(weights, bias) of one label's head; a constant head where the rows hold one class."""
    from sklearn.linear_model import LogisticRegression

    if y.min() == y.max():
        # Only small samples (--limit) lack a class; the head then predicts the base rate and
        # the card lists it under "constant_heads".
        rate = float(np.clip(y.mean(), 1e-4, 1 - 1e-4))
        return np.zeros(x.shape[1]), float(np.log(rate / (1 - rate)))
    model = LogisticRegression(
        C=config.c, solver="liblinear", max_iter=config.max_iter, random_state=config.seed
    )
    model.fit(x, y, sample_weight=weights)
    return model.coef_[0].astype(np.float64), float(model.intercept_[0])


def cross_fit(
    pool: Pool,
    config: TrainConfig,
    report: Report | None = None,
    cache: Path | None = None,
) -> np.ndarray:
    """Out-of-fold raw scores (rows, labels) of the development pool.

    With ``cache`` (a folder), each finished fold is kept there, so a run interrupted at any
    point resumes where it stopped and a rerun with the same data and settings costs nothing.
    """
    folds = np.array([fold_of(t, config.folds) for t in pool.texts])
    raw = np.zeros((len(pool), len(OFFLINE_LABELS)))
    hashed = pool.hashed_rows(config.buckets)
    for k in range(config.folds):
        train = np.flatnonzero(folds != k)
        held = np.flatnonzero(folds == k)
        if not len(held):
            continue
        saved = cache / f"fold-{k}.npy" if cache is not None else None
        if saved is not None and saved.is_file():
            part = np.load(saved, allow_pickle=False)
            if part.shape == (len(held), len(OFFLINE_LABELS)):
                raw[held] = part
                continue
        idf = fit_idf(_take(hashed, train), config.buckets)
        x_held = _design(pool, held, idf, config.buckets)
        for j, label in enumerate(OFFLINE_LABELS):
            known = train[~np.isnan(pool.labels[label][train])]
            x = _design(pool, known, idf, config.buckets)
            w, b = _fit_label(
                x, pool.labels[label][known], config, _weights(pool.source[known], config)
            )
            raw[held, j] = x_held @ w + b
        if saved is not None:
            saved.parent.mkdir(parents=True, exist_ok=True)
            staged = saved.with_name(f"{saved.stem}.{os.getpid()}.tmp.npy")
            np.save(staged, raw[held], allow_pickle=False)
            staged.replace(saved)
        if report:
            report(f"fold {k + 1}/{config.folds} done")
    return raw


def fold_cache_dir(
    sets: Sequence[LabeledSet], encoder_id: str, config: TrainConfig, cache_dir: Path | None
) -> Path:
    """Where cross-fitting keeps its finished folds: named by data, encoder and settings."""
    key = json.dumps(
        {
            "encoder": encoder_id,
            "data": [(s.name, s.sha256, len(s)) for s in sets],
            "config": {k: v for k, v in asdict(config).items()},
            "split": [SPLIT_SALT, TEST_PERCENT],
            "recipe": "folds-v1",
        },
        sort_keys=True,
    )
    digest = hashlib.sha256(key.encode()).hexdigest()[:20]
    return (cache_dir or default_cache_dir()) / "training" / digest


def fit_heads(pool: Pool, oof_raw: np.ndarray, config: TrainConfig, encoder_id: str) -> Heads:
    """Final heads on the whole development pool, calibrated on the out-of-fold scores."""
    rows = np.arange(len(pool))
    idf = fit_idf(pool.hashed_rows(config.buckets), config.buckets)
    weights, biases, calibrators = [], [], []
    for j, label in enumerate(OFFLINE_LABELS):
        known = rows[~np.isnan(pool.labels[label])]
        w, b = _fit_label(
            _design(pool, known, idf, config.buckets),
            pool.labels[label][known],
            config,
            _weights(pool.source[known], config),
        )
        weights.append(w)
        biases.append(b)
        calibrators.append(fit_calibrator(oof_raw[known, j], pool.labels[label][known]))
    stacked = np.column_stack(weights)
    return Heads(
        labels=OFFLINE_LABELS,
        encoder_id=encoder_id,
        emb_weights=stacked[:384].astype(np.float32),
        lex_weights=stacked[384:].astype(np.float32),
        idf=idf,
        bias=np.asarray(biases),
        calibrators=tuple(calibrators),
    )


def calibrated(raw: np.ndarray, calibrators: Sequence[Calibrator]) -> np.ndarray:
    return np.column_stack([cal(raw[:, j]) for j, cal in enumerate(calibrators)])


@dataclass(frozen=True)
class TrainResult:
    heads_path: Path
    card_path: Path
    model_id: str
    card: dict[str, Any]


def train(
    data_dir: Path,
    out_dir: Path = MODELS_DIR,
    *,
    config: TrainConfig = TrainConfig(),
    encoder: MiniLMEncoder | None = None,
    cache_dir: Path | None = None,
    report: Report | None = None,
) -> TrainResult:
    """Train, calibrate, measure on the test split and write heads + card into ``out_dir``."""
    say = report or (lambda _m: None)
    sets = load_labeled_dir(data_dir, config.datasets)
    if config.limit is not None:
        sets = [s.subset(np.arange(min(config.limit, len(s)))) for s in sets]
    encoder = encoder or MiniLMEncoder()
    embeddings = []
    for data in sets:
        say(f"embedding {data.name} ({len(data)} texts, {encoder.encoder_id}) ...")
        embeddings.append(embed_cached(encoder, data, cache_dir))
    dev, test = pools(sets, embeddings)
    say(f"development rows {len(dev)}, test rows {len(test)}; cross-fitting {config.folds} folds")
    np.random.seed(config.seed)
    oof = cross_fit(dev, config, say, fold_cache_dir(sets, encoder.encoder_id, config, cache_dir))
    heads = fit_heads(dev, oof, config, encoder.encoder_id)
    # Measure what is shipped: the heads as stored (float16 rounding included).
    staged = out_dir / (HEADS_FILE + ".staged")
    out_dir.mkdir(parents=True, exist_ok=True)
    staged.write_bytes(heads_bytes(heads))
    shipped, _ = load_heads(staged)
    staged.unlink()
    test_probs = shipped.probabilities(test.embeddings, test.texts)
    oof_probs = calibrated(oof, heads.calibrators)
    heads_path = out_dir / HEADS_FILE
    sha = save_heads(heads, heads_path)
    model_id = model_id_for(sha)
    card = model_card(
        model_id=model_id,
        sha=sha,
        encoder=encoder,
        sets=sets,
        pools=(dev, test),
        config=config,
        heads=heads,
        probabilities=(test_probs, oof_probs),
        data_dir=data_dir,
    )
    card_path = out_dir / CARD_FILE
    staged_card = card_path.with_name(card_path.name + ".tmp")
    staged_card.write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    staged_card.replace(card_path)
    say(f"wrote {heads_path} ({heads_path.stat().st_size // 1024} KiB) and {card_path}: {model_id}")
    return TrainResult(heads_path, card_path, model_id, card)
