"""Hashed word and character n-grams of the folded text: the offline model's lexical features.

Sentence embeddings see meaning but blur the exact words that make a comment obscene (measured on
the development split: obscene best-F1 0.64 from the embedding alone, 0.75 from n-grams alone);
n-grams of the *folded* text (the rules engine's normalisation: homoglyphs, leetspeak, masks and
spacing undone) keep them, and ``f*ck``/``fuuuck`` land on the same features as the plain word.

Features, hashed (CRC-32) into ``buckets`` slots: word unigrams and bigrams, and character 2-5
grams inside each space-padded word (sklearn's ``char_wb``). Values are sublinear tf times idf,
each row L2-normalised; idf is learned on the training rows and stored with the heads. The same
function builds the training matrix and the inference features, so they cannot drift apart.
"""

from __future__ import annotations

import itertools
import re
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from moderation.rules.batch_fold import fold_batch

DEFAULT_BUCKETS = 2**17
CHAR_NGRAMS = (2, 3, 4, 5)
# Stretched letters: "fuuuuck" and "fuuck" share features (two letters kept: "good" stays).
_STRETCH = re.compile(r"(.)\1{2,}")
_WORD = re.compile(r"[a-z0-9*]+")
# Bound the work per comment: a 100 kB paste costs no more than its first 4,000 characters.
MAX_CHARS = 4000


@dataclass(frozen=True)
class Hashed:
    """A batch of rows in CSR form: row i holds indices[indptr[i]:indptr[i+1]] with counts."""

    indptr: np.ndarray
    indices: np.ndarray
    counts: np.ndarray


def _grams(folded: str) -> Counter[str]:
    words = _WORD.findall(_STRETCH.sub(r"\1\1", folded[:MAX_CHARS]))
    grams: Counter[str] = Counter()
    for w in words:
        grams["w " + w] += 1
        padded = f" {w} "
        for n in CHAR_NGRAMS:
            for i in range(len(padded) - n + 1):
                grams["c" + padded[i : i + n]] += 1
    for a, b in itertools.pairwise(words):
        grams[f"b {a} {b}"] += 1
    return grams


def hash_texts(texts: Sequence[str], buckets: int) -> Hashed:
    """Raw n-gram counts per bucket, one CSR row per text (colliding grams add up)."""
    indptr = [0]
    indices: list[int] = []
    counts: list[float] = []
    for folded in fold_batch(list(texts)):
        row: dict[int, float] = {}
        for gram, count in _grams(folded).items():
            slot = zlib.crc32(gram.encode()) % buckets
            row[slot] = row.get(slot, 0.0) + count
        indices.extend(row)
        counts.extend(row.values())
        indptr.append(len(indices))
    return Hashed(
        np.asarray(indptr, dtype=np.int64),
        np.asarray(indices, dtype=np.int64),
        np.asarray(counts, dtype=np.float64),
    )


def fit_idf(hashed: Hashed, buckets: int) -> np.ndarray:
    """Smoothed idf, ln((1 + n) / (1 + df)) + 1, over the rows given (the training rows)."""
    rows = len(hashed.indptr) - 1
    df = np.bincount(hashed.indices, minlength=buckets).astype(np.float64)
    return (np.log((1 + rows) / (1 + df)) + 1).astype(np.float32)


def tfidf_values(hashed: Hashed, idf: np.ndarray) -> np.ndarray:
    """The CSR values: (1 + ln tf) * idf, each row scaled to unit length."""
    values = (1 + np.log(hashed.counts)) * idf[hashed.indices]
    rows = np.repeat(np.arange(len(hashed.indptr) - 1), np.diff(hashed.indptr))
    norms = np.sqrt(np.bincount(rows, weights=values**2, minlength=len(hashed.indptr) - 1))
    return values / np.maximum(norms, 1e-12)[rows]


def sparse_matrix(hashed: Hashed, idf: np.ndarray) -> object:
    """A scipy CSR matrix (training only; inference uses ``linear_scores``)."""
    from scipy.sparse import csr_matrix

    return csr_matrix(
        (tfidf_values(hashed, idf), hashed.indices, hashed.indptr),
        shape=(len(hashed.indptr) - 1, len(idf)),
    )


def linear_scores(hashed: Hashed, idf: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """(rows, labels) = tf-idf rows times ``weights`` (buckets, labels), without scipy."""
    rows = len(hashed.indptr) - 1
    out = np.zeros((rows, weights.shape[1]), dtype=np.float64)
    if not len(hashed.indices):
        return out
    values = tfidf_values(hashed, idf)
    picked = weights[hashed.indices].astype(np.float64)
    row_of = np.repeat(np.arange(rows), np.diff(hashed.indptr))
    for label in range(weights.shape[1]):
        out[:, label] = np.bincount(row_of, weights=picked[:, label] * values, minlength=rows)
    return out
