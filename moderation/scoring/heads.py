"""The offline model's trained part: one linear head per label over the sentence embedding and
the hashed n-grams, each followed by its calibrator.

Stored as an ``.npz`` of plain arrays (read with ``allow_pickle=False``: loading runs no code)
written byte-for-byte reproducibly (fixed zip timestamps), so the same weights always give the
same file, and the file's SHA-256 is the model's version.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from moderation.errors import ScoringError
from moderation.scoring.calibration import Calibrator
from moderation.scoring.lexical import Hashed, hash_texts, linear_scores

# A heads file larger than this is refused before it is read (the shipped one is ~2 MB).
MAX_HEADS_BYTES = 64 * 1024 * 1024
FORMAT = "threadwatch-heads-v1"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Heads:
    labels: tuple[str, ...]
    encoder_id: str  # the embedding the heads were trained on (weights, engine, truncation)
    emb_weights: np.ndarray  # (384, labels)
    lex_weights: np.ndarray  # (buckets, labels)
    idf: np.ndarray  # (buckets,)
    bias: np.ndarray  # (labels,)
    calibrators: tuple[Calibrator, ...]

    @property
    def buckets(self) -> int:
        return int(self.idf.shape[0])

    def hash(self, texts: Sequence[str]) -> Hashed:
        return hash_texts(texts, self.buckets)

    def raw(self, embeddings: np.ndarray, hashed: Hashed) -> np.ndarray:
        """(rows, labels) decision values before calibration."""
        dense = embeddings.astype(np.float64) @ self.emb_weights.astype(np.float64)
        return dense + linear_scores(hashed, self.idf, self.lex_weights) + self.bias

    def probabilities(self, embeddings: np.ndarray, texts: Sequence[str]) -> np.ndarray:
        raw = self.raw(embeddings, self.hash(texts))
        return np.column_stack([cal(raw[:, j]) for j, cal in enumerate(self.calibrators)])


def _arrays(heads: Heads) -> dict[str, np.ndarray]:
    arrays: dict[str, np.ndarray] = {
        "format": np.array(FORMAT),
        "labels": np.array(heads.labels),
        "encoder_id": np.array(heads.encoder_id),
        "emb_weights": heads.emb_weights.astype(np.float32),
        # float16 halves the file; the rounding (~1e-3 relative) is far below the heads' noise.
        "lex_weights": heads.lex_weights.astype(np.float16),
        "idf": heads.idf.astype(np.float16),
        "bias": heads.bias.astype(np.float64),
        "calibration_methods": np.array([c.method for c in heads.calibrators]),
    }
    for j, cal in enumerate(heads.calibrators):
        arrays[f"calibration_x_{j}"] = cal.x.astype(np.float64)
        arrays[f"calibration_y_{j}"] = cal.y.astype(np.float64)
    return arrays


def heads_bytes(heads: Heads) -> bytes:
    """The ``.npz`` bytes: deterministic for the same arrays."""
    return npz_bytes(_arrays(heads))


def npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    """An ``.npz`` archive of plain arrays, byte-for-byte the same for the same arrays."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, array in arrays.items():
            info = zipfile.ZipInfo(f"{name}.npy", date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            payload = io.BytesIO()
            np.lib.format.write_array(payload, np.asarray(array, order="C"), allow_pickle=False)
            archive.writestr(info, payload.getvalue())
    return buffer.getvalue()


def save_heads(heads: Heads, path: Path) -> str:
    """Write atomically; return the file's SHA-256."""
    data = heads_bytes(heads)
    path.parent.mkdir(parents=True, exist_ok=True)
    staged = path.with_name(path.name + ".tmp")
    staged.write_bytes(data)
    staged.replace(path)
    return hashlib.sha256(data).hexdigest()


def load_heads(path: Path) -> tuple[Heads, str]:
    """(heads, SHA-256 of the file); a ScoringError names the file on any problem."""
    try:
        size = path.stat().st_size
        if size > MAX_HEADS_BYTES:
            raise ScoringError(f"heads file larger than {MAX_HEADS_BYTES} bytes", subject=str(path))
        data = path.read_bytes()
    except OSError as exc:
        raise ScoringError(
            f"cannot read the heads file: {exc.strerror}", subject=str(path)
        ) from exc
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            if str(npz["format"]) != FORMAT:
                raise ScoringError(f"not a {FORMAT} file", subject=str(path))
            labels = tuple(str(x) for x in npz["labels"])
            methods = [str(m) for m in npz["calibration_methods"]]
            calibrators = tuple(
                Calibrator(methods[j], npz[f"calibration_x_{j}"], npz[f"calibration_y_{j}"])  # type: ignore[arg-type]
                for j in range(len(labels))
            )
            heads = Heads(
                labels=labels,
                encoder_id=str(npz["encoder_id"]),
                emb_weights=npz["emb_weights"].astype(np.float32),
                lex_weights=npz["lex_weights"].astype(np.float32),
                idf=npz["idf"].astype(np.float32),
                bias=npz["bias"].astype(np.float64),
                calibrators=calibrators,
            )
    except ScoringError:
        raise
    except (KeyError, ValueError, zipfile.BadZipFile, OSError) as exc:
        raise ScoringError(f"damaged heads file: {exc}", subject=str(path)) from exc
    n = len(labels)
    if heads.emb_weights.shape[1] != n or heads.lex_weights.shape != (heads.buckets, n):
        raise ScoringError("heads file shapes do not match its labels", subject=str(path))
    return heads, hashlib.sha256(data).hexdigest()
