"""The labeled data the offline model is trained and evaluated on, and the fixed split.

Two public sets (``../shared/data``; not shipped with the repository):

* ``jigsaw_train_5k_predibase.csv``: Wikipedia talk comments with Jigsaw's six labels, which are
  Detoxify's ``original`` labels under older names: toxic -> toxicity, severe_toxic ->
  severe_toxicity, obscene, threat, insult, identity_hate -> identity_attack.
* ``davidson_labeled_data.csv``: tweets whose CrowdFlower annotators chose hate speech (class 0),
  offensive language (1) or neither (2), by majority. Mapped as: toxicity = class 0 or 1 (both
  are what Detoxify calls toxic: rude or disrespectful); identity_attack = class 0 (the paper's
  hate speech is "language used to express hatred towards a targeted group"). The other four
  labels are *unknown* for Davidson, not negative: "offensive" tweets mix profanity, insults and
  slurs without saying which, so those heads neither train nor calibrate on Davidson rows.

The split is fixed by a hash of the normalised text (not the row number), so a text repeated in
a set, or shared by both sets, always falls on the same side: 20 % test, never trained, tuned or
calibrated on; the rest is the development part (training heads, out-of-fold calibration and
threshold tuning).
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from moderation.errors import ModerationError
from moderation.scoring.detoxify_loading import file_sha256
from moderation.scoring.types import ORIGINAL_LABELS

#: Detoxify's ``original`` labels: what the offline model predicts.
OFFLINE_LABELS: tuple[str, ...] = ORIGINAL_LABELS
SPLIT_SALT = "threadwatch-split-v1"
TEST_PERCENT = 20
JIGSAW_FILE = "jigsaw_train_5k_predibase.csv"
DAVIDSON_FILE = "davidson_labeled_data.csv"
# A labeled file larger than this is refused (the shipped ones are ~2.5 MB).
MAX_DATA_BYTES = 200 * 1024 * 1024

_JIGSAW_COLUMNS = {
    "toxicity": "toxic",
    "severe_toxicity": "severe_toxic",
    "obscene": "obscene",
    "identity_attack": "identity_hate",
    "insult": "insult",
    "threat": "threat",
}


class DataError(ModerationError):
    """A labeled data file is missing, too large or not in the expected shape."""


@dataclass(frozen=True)
class LabeledSet:
    """One data file: texts and, per label, 1.0 / 0.0 / NaN (unknown) for every text."""

    name: str
    path: Path
    sha256: str
    texts: list[str]
    labels: dict[str, np.ndarray]
    #: Any-label truth ("would a moderator of a strict site reject it"): Jigsaw's is_bad,
    #: Davidson's hate-or-offensive.
    bad: np.ndarray

    def __len__(self) -> int:
        return len(self.texts)

    def subset(self, rows: np.ndarray) -> LabeledSet:
        return LabeledSet(
            self.name,
            self.path,
            self.sha256,
            [self.texts[i] for i in rows],
            {label: values[rows] for label, values in self.labels.items()},
            self.bad[rows],
        )


def normalised(text: str) -> str:
    return " ".join(text.lower().split())


def split_bucket(text: str) -> int:
    """0-99, fixed by the text: buckets below TEST_PERCENT are the test split."""
    digest = hashlib.sha256(f"{SPLIT_SALT}\x00{normalised(text)}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % 100


def is_test(text: str) -> bool:
    return split_bucket(text) < TEST_PERCENT


def fold_of(text: str, folds: int) -> int:
    """The cross-fitting fold of a development text (independent of the split bucket)."""
    digest = hashlib.sha256(f"{SPLIT_SALT}-fold\x00{normalised(text)}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % folds


def _rows(path: Path, required: set[str]) -> list[dict[str, str]]:
    if not path.is_file():
        raise DataError("labeled data file not found", subject=str(path))
    if path.stat().st_size > MAX_DATA_BYTES:
        raise DataError(f"larger than {MAX_DATA_BYTES // 2**20} MB", subject=str(path))
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = required - set(reader.fieldnames or ())
            if missing:
                raise DataError(f"missing columns {sorted(missing)}", subject=str(path))
            return list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DataError(f"cannot read: {exc}", subject=str(path)) from exc


def _flag(value: str) -> float:
    return 1.0 if value.strip() in ("1", "True", "true") else 0.0


def load_jigsaw(path: Path) -> LabeledSet:
    rows = _rows(path, {"comment_text", *_JIGSAW_COLUMNS.values()})
    labels = {
        label: np.array([_flag(r[col]) for r in rows]) for label, col in _JIGSAW_COLUMNS.items()
    }
    any_label = np.max(np.vstack(list(labels.values())), axis=0) if rows else np.zeros(0)
    if rows and "is_bad" in rows[0]:
        bad = np.array([_flag(r["is_bad"]) for r in rows])
    else:
        bad = any_label
    return LabeledSet(
        "jigsaw", path, file_sha256(path), [r["comment_text"] for r in rows], labels, bad
    )


def load_davidson(path: Path) -> LabeledSet:
    rows = _rows(path, {"tweet", "class"})
    classes = np.array([int(r["class"]) for r in rows])
    unknown = np.full(len(rows), np.nan)
    labels = {label: unknown.copy() for label in OFFLINE_LABELS}
    labels["toxicity"] = (classes <= 1).astype(float)
    labels["identity_attack"] = (classes == 0).astype(float)
    return LabeledSet(
        "davidson",
        path,
        file_sha256(path),
        [r["tweet"] for r in rows],
        labels,
        (classes <= 1).astype(float),
    )


LOADERS: dict[str, tuple[str, Callable[[Path], LabeledSet]]] = {
    "jigsaw": (JIGSAW_FILE, load_jigsaw),
    "davidson": (DAVIDSON_FILE, load_davidson),
}


def load_labeled_dir(
    data_dir: Path, names: tuple[str, ...] = ("jigsaw", "davidson")
) -> list[LabeledSet]:
    """The named sets from ``data_dir`` (each file under its usual name)."""
    out = []
    for name in names:
        if name not in LOADERS:
            raise DataError(f"unknown data set {name!r}; known: {', '.join(LOADERS)}")
        filename, loader = LOADERS[name]
        out.append(loader(data_dir / filename))
    return out


def split_rows(data: LabeledSet) -> tuple[np.ndarray, np.ndarray]:
    """(development row indices, test row indices) of one set."""
    test = np.array([is_test(t) for t in data.texts], dtype=bool)
    return np.flatnonzero(~test), np.flatnonzero(test)
