"""Content hashes and stable ids: the same input always yields the same id."""

from __future__ import annotations

import hashlib


def text_hash(text: str) -> str:
    """Key of the score cache: identical comment text is scored once per model."""
    return encoded_text_hash(text.encode("utf-8"))


def encoded_text_hash(encoded: bytes) -> str:
    """``text_hash`` of the text whose UTF-8 encoding is ``encoded`` (for a caller that has
    encoded it already)."""
    return hashlib.sha256(encoded).hexdigest()


def stable_id(*parts: str | int | None, length: int = 16) -> str:
    """A short id derived from ``parts``; the unit separator keeps ("a","bc") != ("ab","c")."""
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:length]
