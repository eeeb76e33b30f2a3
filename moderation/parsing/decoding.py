"""Turn a file's bytes into clean text, or refuse with a one-line reason.

Scraped files arrive in every encoding and line-ending convention; everything downstream works on
``str`` with ``\\n`` line ends and no tabs, so the parsers never see those differences.
"""

from __future__ import annotations

import re
from pathlib import Path

from charset_normalizer import from_bytes

from moderation.errors import InputTooLargeError, ParseError

# Share of control bytes above which a file is treated as binary rather than text.
_BINARY_CONTROL_SHARE = 0.05
_TEXT_CONTROLS = {9, 10, 12, 13, 27}
TAB_WIDTH = 4
# Code points no UTF-8 encoder or PostgreSQL text column accepts: lone surrogates (JSON "\\ud800"
# escapes, or a str handed to the parsers) and NUL (JSON "\\u0000", or past the binary check).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_MAX_REASON = 300


def read_source(path: Path, *, max_bytes: int) -> str:
    """Read ``path`` as text, enforcing the size limit before reading the content."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ParseError(f"cannot read file ({exc.strerror or exc})", subject=str(path)) from exc
    if size > max_bytes:
        raise InputTooLargeError(
            f"file is {size:,} bytes, over the {max_bytes:,}-byte limit", subject=str(path)
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError(f"cannot read file ({exc.strerror or exc})", subject=str(path)) from exc
    return decode_text(data, subject=str(path))


def scrub(text: str) -> str:
    """``text`` with lone surrogates and NUL replaced by U+FFFD, so it can be hashed and stored."""
    return _UNSTORABLE.sub("\ufffd", text)


def one_line(reason: str, *, limit: int = _MAX_REASON) -> str:
    """A reason fit for one line of a CLI or a page: whitespace runs as one space, storable
    characters only, and at most ``limit`` characters (a 12 KB CSV header is not a reason)."""
    flat = " ".join(scrub(reason).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def decode_text(data: bytes, *, subject: str) -> str:
    if not data.strip():
        raise ParseError("file is empty", subject=subject)
    text = _decode(data, subject)
    if _looks_binary(text):
        raise ParseError("file looks binary, not text", subject=subject)
    return normalise_newlines(scrub(text))


def normalise_newlines(text: str) -> str:
    """CRLF/CR -> LF and tabs -> spaces, so indentation can be compared as column counts."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    return "\n".join(line.expandtabs(TAB_WIDTH) for line in text.split("\n"))


def _decode(data: bytes, subject: str) -> str:
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ParseError("file looks binary, not text (NUL bytes)", subject=subject)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        raise ParseError("file looks binary, not text (no text encoding fits)", subject=subject)
    # Short Western texts fit several single-byte code pages equally well; break the tie towards
    # cp1252, the legacy encoding the web uses most (HTML5 even decodes latin-1 as cp1252).
    for match in matches:
        tie = (match.chaos, match.coherence) == (best.chaos, best.coherence)
        if tie and "cp1252" in match.could_be_from_charset:
            return data.decode("cp1252")
    return str(best)


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ord(ch) not in _TEXT_CONTROLS)
    return controls > _BINARY_CONTROL_SHARE * max(len(sample), 1)
