"""Text normalisation shared by every matcher, with a map back to the original offsets.

Readers dodge word filters with look-alike letters (Cyrillic а), invisible characters, leetspeak
(``sh1t``, ``$hit``), masking (``f*ck``), stretching (``fuuuck``) and spacing (``f u c k``).
Every matcher therefore runs on one *folded* form of the text:

* lower case, NFKC, accents stripped, homoglyphs mapped to Latin, zero-width characters dropped;
* leetspeak digits/symbols mapped to letters, but only inside tokens that also hold a letter
  (so ``455`` or ``1993`` stay numbers and never become words);
* ``*`` kept only inside a word (a mask such as ``f**k``), otherwise a separator;
* single letters separated by spaces, dots, dashes or underscores joined (``f.u.c.k`` -> ``fuck``);
* every other character a single space (1:1, so a phrase must be separated by one separator).

``fold`` is the reference; ``fold_many`` folds a whole batch as one byte string with C-level
passes (same result, tested), and ``fold_with_offsets`` also records, for every folded
character, the index of the original character it came from, so evidence spans slice the
original text exactly.

Stretched letters are left to the matchers: ``skeleton`` collapses runs of a letter and keeps
their lengths, so a token ``asss`` matches ``ass`` while ``as`` does not.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import overload

import numpy as np
import re2

# Separator of the comments in a batch while folding (a NUL inside a comment becomes a space).
# The batch haystack then separates comments by " \n " so RE2's ``.`` never crosses them.
BATCH_SEP = "\x00"

# Symbols kept by the first pass because a later pass gives them meaning (leet, masks, spacing).
_LEET_SYMBOLS = "$@!|+"
_SPACING = ".-_"
_KEEP = set(_LEET_SYMBOLS + _SPACING + "*" + BATCH_SEP)

# Look-alike letters that NFKC leaves alone (it folds fullwidth and mathematical letters already).
# Small on purpose: the Cyrillic and Greek letters that pass for Latin ones in lower or upper case.
_CONFUSABLES = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "з": "3", "і": "i", "ї": "i", "ј": "j", "к": "k",
    "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s",
    "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "l", "ү": "y", "ь": "b", "п": "n", "г": "r",
    # Greek
    "α": "a", "β": "b", "γ": "y", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o",
    "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "μ": "u", "ς": "s",
}  # fmt: skip

# Leetspeak digits and symbols -> letters. ``1`` and ``|`` read as ``i`` here; word lists add an
# l->i variant of every entry (see matchers), so ``he11`` still finds ``hell``.
_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g",
         "$": "s", "@": "a", "!": "i", "|": "i", "+": "t"}  # fmt: skip
_LEET_INNER = "!|+"  # only between letters: "sh!t" but not "hell!" or "!!!wow"
# Tokens holding a leet character (possessive quantifiers keep the scan linear); ``_leet`` leaves
# tokens without a letter (numbers) alone.
_LEET_TOKEN = re.compile(r"(?<![a-z0-9$@!|+])[a-z]*+[0-9$@!|+][a-z0-9$@!|+]*+")
_STRAY_STARS = re.compile(r"(?<![a-z*])\*+|\*+(?![a-z*]*[a-z])")
_SPACED = re.compile(r"(?<![a-z0-9*])[a-z](?:[ .\-_]{1,3}[a-z](?![a-z0-9*])){2,}")
_SPACED_SEP = re.compile(r"[ .\-_]+")
_FINAL = str.maketrans({c: " " for c in _LEET_SYMBOLS + _SPACING})


def _fold_char(char: str) -> str:
    """The first pass for one character (cached in ``_TABLE``)."""
    if char in _KEEP:
        return char
    category = unicodedata.category(char)
    if category == "Cf":  # zero-width space/joiners, soft hyphen, BOM, bidi controls
        return ""
    decomposed = unicodedata.normalize("NFKD", char)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    out = []
    for c in unicodedata.normalize("NFKC", stripped).casefold():
        c = _CONFUSABLES.get(c, c)
        if c in _KEEP or c.isalnum():
            out.append(c)
        elif unicodedata.category(c) == "Cf":
            continue
        else:
            out.append(" ")
    return "".join(out)


class _Table(dict[int, str]):
    """``str.translate`` table that computes and caches entries on first use."""

    def __missing__(self, key: int) -> str:
        value = _fold_char(chr(key))
        self[key] = value
        return value


_TABLE = _Table()
for _code in range(128):
    _TABLE[_code] = _fold_char(chr(_code))


def _leet(match: re.Match[str]) -> str:
    return _leet_token(match.group())


_LEET_ANYWHERE = str.maketrans({c: _LEET[c] for c in _LEET if c not in _LEET_INNER})
_LEET_BETWEEN = str.maketrans({c: _LEET[c] for c in _LEET_INNER})
_NOT_LETTERS = "0123456789$@!|+"


def _leet_token(token: str) -> str:
    """Leet -> letters in a token; ! | + only between its first and last letter."""
    first = len(token) - len(token.lstrip(_NOT_LETTERS))
    last = len(token.rstrip(_NOT_LETTERS))
    if first >= last:  # no letter: a number, not leetspeak
        return token
    token = token.translate(_LEET_ANYWHERE)
    if "!" in token or "|" in token or "+" in token:
        token = token[:first] + token[first:last].translate(_LEET_BETWEEN) + token[last:]
    return token


def _blank(match: re.Match[str]) -> str:
    return " " * (match.end() - match.start())


def _join_spaced(match: re.Match[str]) -> str:
    return _SPACED_SEP.sub("", match.group())


def _fold_core(text: str) -> str:
    return _fold_passes(text.translate(_TABLE))


def _fold_passes(text: str) -> str:
    """Every pass after the per-character one."""
    text = _LEET_TOKEN.sub(_leet, text)
    if "*" in text:
        text = _STRAY_STARS.sub(_blank, text)
    text = _SPACED.sub(_join_spaced, text)
    return text.translate(_FINAL)


def fold(text: str) -> str:
    """The folded form of one text (no offsets): what word lists and regexes are matched on."""
    return _fold_core(text.replace(BATCH_SEP, " "))


# --- batch folding -------------------------------------------------------------------------------
# Folding 100,000 comments one by one through Python regexes costs seconds, so a batch is folded
# as one UTF-8 byte string: ``bytes.translate`` does the per-character pass, linear-time RE2
# scans find the leet tokens and stars (both 1:1, patched in place), and a scan over a *class*
# string (letters -> a, ...) finds the few comments with spaced letters, which alone run the
# Python pass. The tests hold ``fold_batch(texts) == [fold(t) for t in texts]``.
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_ASCII_BYTES = bytes(ord(_TABLE[i]) for i in range(128)) + bytes(range(128, 256))
_FINAL_BYTES = bytes(range(256)).translate(bytes.maketrans(b"$@!|+.-_", b" " * 8))
_TOKEN_CHARS = rb"[a-z0-9$@!|+]"
# A token holding both a letter and a leet character, whole (leftmost start, greedy end).
# Tokens that _leet_token changes: a letter and a leet digit/symbol, or ! | + between letters.
_LEET_BYTES = re2.compile(
    rb"%(t)s*(?:[a-z]%(t)s*[01345789$@]|[01345789$@]%(t)s*[a-z]|[a-z]%(t)s*[!|+]%(t)s*[a-z])%(t)s*"
    % {b"t": _TOKEN_CHARS},
    re2.Options(),
)


_SPACED_BYTES = re2.compile(
    rb"(?:^|[^a-z0-9*])[a-z](?:[ .\-_]{1,3}[a-z]){2,}(?:[^a-z0-9*]|$)", re2.Options()
)
_LETTERS = frozenset(range(ord("a"), ord("z") + 1))


class FoldedBatch(Sequence[str]):
    """Folded comments, all of them as one padded byte string `` c0 \n c1 ... `` in which
    comment ``i`` ends before byte ``ends[i]`` (so a key `` word `` only matches whole words).

    Indexing gives comment ``i``'s folded text, decoded on first use: the matchers scan the
    byte string, and only the few comments they pick are ever needed as text.
    """

    __slots__ = ("_texts", "ends", "haystack", "starts")

    def __init__(self, haystack: bytes, ends: list[int]) -> None:
        self.haystack = haystack
        self.ends = ends
        # Byte offset where each comment's folded text starts (after the padding space).
        self.starts = [1, *(end + 1 for end in ends[:-1])]
        self._texts: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self.ends)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        text = self._texts.get(index)
        if text is None:
            start, end = self.text_span(index)  # raises IndexError past the end
            text = self._texts[index] = self.haystack[start:end].decode("utf-8", "surrogatepass")
        return text

    def text_span(self, index: int) -> tuple[int, int]:
        """Byte range of comment ``index``'s folded text in the haystack (without padding)."""
        if index < 0:
            index += len(self.ends)
        if not 0 <= index < len(self.ends):
            raise IndexError(index)
        return self.starts[index], self.ends[index] - 2

    @property
    def texts(self) -> list[str]:
        """Every folded text (no comment's text holds the separator " \n ")."""
        return self.haystack[1:-1].decode("utf-8", "surrogatepass").split(" \n ") if self else []

    def comment_at(self, position: int) -> int:
        return min(bisect.bisect_right(self.ends, position), len(self.ends) - 1)


def fold_batch(texts: Sequence[str]) -> list[str]:
    """Fold many texts at once; equal to ``[fold(t) for t in texts]``."""
    return fold_many(texts).texts


# Comments folded per chunk: each C-level pass then works on a few megabytes that stay in the
# CPU cache, instead of streaming a 40 MB batch from memory a dozen times.
_CHUNK = 5000


def fold_many(texts: Sequence[str]) -> FoldedBatch:
    if not texts:
        return FoldedBatch(b"", [])
    runs: dict[str, str] = {}
    leet: dict[bytes, bytes | None] = {}
    if len(texts) <= _CHUNK:
        return FoldedBatch(*_fold_chunk(texts, runs, leet))
    pieces: list[bytes] = []
    ends: list[int] = []
    offset = 0
    for first in range(0, len(texts), _CHUNK):
        haystack, chunk_ends = _fold_chunk(texts[first : first + _CHUNK], runs, leet)
        # Chunk haystacks joined by "\n" make the batch haystack `` c0 \n c1 ... ``: a chunk's
        # last end (its length + 1) falls on that "\n" + 1, as the ends inside the chunk do.
        ends.extend([end + offset for end in chunk_ends])
        pieces.append(haystack)
        offset += len(haystack) + 1
    return FoldedBatch(b"\n".join(pieces), ends)


def _fold_chunk(
    texts: Sequence[str], runs: dict[str, str], leet: dict[bytes, bytes | None]
) -> tuple[bytes, list[int]]:
    """Haystack and ends of a non-empty ``fold_many``; ``runs`` and ``leet`` cache folds."""

    # The per-character pass for non-ASCII runs, ASCII left to bytes.translate. A batch holds
    # tens of thousands of runs but only a few hundred distinct ones (curly quotes, accents).
    def fold_run(match: re.Match[str]) -> str:
        run = match.group()
        out = runs.get(run)
        if out is None:
            out = runs[run] = run.translate(_TABLE)
        return out

    parts = [t if t.isascii() else _NON_ASCII.sub(fold_run, t) for t in texts]
    raw = BATCH_SEP.join(parts).encode("utf-8", "surrogatepass")
    if raw.count(BATCH_SEP.encode()) != len(texts) - 1:  # a text holds the separator itself
        parts = [part.replace(BATCH_SEP, " ") for part in parts]
        raw = BATCH_SEP.join(parts).encode("utf-8", "surrogatepass")
    del parts
    raw = raw.translate(_ASCII_BYTES)
    buf = bytearray(raw)
    # The same few leet tokens ("f4ck", "sh1t", "2nd") recur all over a batch: fold each once.
    for start, end in byte_spans(_LEET_BYTES, raw):  # 1:1, so patched in place
        token = raw[start:end]
        if token in leet:
            changed = leet[token]
        else:
            text = token.decode("ascii")
            folded = _leet_token(text)
            changed = leet[token] = folded.encode("ascii") if folded != text else None
        if changed is not None:
            buf[start:end] = changed
    if b"*" in raw:
        patched = bytes(buf)
        for start, end in _runs_of(patched, ord("*")):
            inside = (
                start > 0 and patched[start - 1] in _LETTERS
                and end < len(patched) and patched[end] in _LETTERS
            )  # fmt: skip
            if not inside:
                buf[start:end] = b" " * (end - start)
    patched = bytes(buf)
    del buf
    final = patched.translate(_FINAL_BYTES)
    matches = byte_spans(_SPACED_BYTES, patched)
    if matches:  # rare: join spaced letters comment by comment, splice the results in
        seps = _positions(patched, 0)
        touched = {bisect.bisect_right(seps, p) for span in matches for p in (span[0], span[1] - 1)}
        segments: list[bytes | memoryview] = []
        kept = memoryview(final)  # slices without copying: the join below copies once
        last = 0
        for i in sorted(touched):
            start = seps[i - 1] + 1 if i > 0 else 0
            end = seps[i] if i < len(seps) else len(patched)
            text = _SPACED.sub(_join_spaced, patched[start:end].decode("utf-8", "surrogatepass"))
            segments += [kept[last:start], text.translate(_FINAL).encode("utf-8", "surrogatepass")]
            last = end
        segments.append(kept[last:])
        final = b"".join(segments)
        kept.release()
    haystack = b"".join((b" ", final.replace(BATCH_SEP.encode(), b" \n "), b" "))
    ends = [p + 1 for p in _positions(haystack, ord("\n"))]
    ends.append(len(haystack) + 1)
    return haystack, ends


def _runs_of(data: bytes, byte: int) -> list[tuple[int, int]]:
    """Spans of the runs of ``byte`` in ``data`` (``bytes.find`` skips the rest at C speed)."""
    spans = []
    size = len(data)
    pos = data.find(byte)
    while pos >= 0:
        end = pos + 1
        while end < size and data[end] == byte:
            end += 1
        spans.append((pos, end))
        pos = data.find(byte, end)
    return spans


def byte_spans(pattern: re2._Regexp, data: bytes) -> list[tuple[int, int]]:
    """Spans of non-empty matches in bytes, driving RE2 directly: ``finditer`` builds a match
    object per hit, which costs more than the scan on a batch with 20,000 leet tokens."""
    regexp = getattr(pattern, "_regexp", None)
    if regexp is None or not hasattr(regexp, "Match"):  # another google-re2 layout
        return [m.span() for m in pattern.finditer(data) if m.end() > m.start()]
    spans = []
    pos, size = 0, len(data)
    unanchored = re2._Anchor.UNANCHORED
    while pos < size:
        start, end = regexp.Match(unanchored, data, pos, size)[0]
        if start < 0:
            break
        if end > start:
            spans.append((start, end))
        pos = end if end > pos else pos + 1
    return spans


def _positions(data: bytes, byte: int) -> list[int]:
    """Offsets of ``byte`` in ``data`` (numpy: one C pass instead of a Python loop)."""
    return np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == byte).tolist()  # type: ignore[no-any-return]


@dataclass(frozen=True, slots=True)
class Folded:
    """A folded text; ``src[i]`` is the index in ``original`` of folded character ``i``."""

    original: str
    text: str
    src: Sequence[int]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map folded ``[start, end)`` to the original text (end extended over trailing marks)."""
        if end <= start:
            at = self.src[start] if start < len(self.src) else len(self.original)
            return at, at
        begin = self.src[start]
        stop = self.src[end - 1] + 1
        original = self.original
        # Combining accents and zero-width characters dropped by the fold belong to the word.
        while stop < len(original) and (
            unicodedata.combining(original[stop]) or unicodedata.category(original[stop]) == "Cf"
        ):
            stop += 1
        return begin, stop

    def original_spans(self, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
        """``original_span`` of each span."""
        if type(self.src) is range and self.original.isascii():
            # Folded 1:1 from ASCII (the common case): offsets are the same, and no combining or
            # zero-width mark can follow, so only empty spans need the general mapping.
            return [span if span[1] > span[0] else self.original_span(*span) for span in spans]
        return [self.original_span(*span) for span in spans]


def fold_with_offsets(text: str, folded: str | None = None) -> Folded:
    """``fold(text)`` plus the original index of every folded character.

    ``folded`` (from ``fold_batch``) saves the work for ASCII text folded 1:1, the common case.
    """
    if folded is not None and len(folded) == len(text) and text.isascii():
        return Folded(text, folded, range(len(text)))
    given = folded
    work = text.replace(BATCH_SEP, " ")
    src: list[int] = []
    if work.isascii():  # the first pass maps ASCII 1:1
        folded = work.translate(_TABLE)
        src.extend(range(len(work)))
    else:
        # ASCII stretches map 1:1 (C-level range), only non-ASCII runs go char by char.
        parts: list[str] = []
        last = 0
        for match in _NON_ASCII.finditer(work):
            parts.append(work[last : match.start()].translate(_TABLE))
            src.extend(range(last, match.start()))
            for i in range(match.start(), match.end()):
                out = _TABLE[ord(work[i])]
                if out:
                    parts.append(out)
                    src.extend([i] * len(out))
            last = match.end()
        parts.append(work[last:].translate(_TABLE))
        src.extend(range(last, len(work)))
        folded = "".join(parts)
    if given is not None and len(given) == len(src):
        # Only joining spaced letters changes the length after the first pass (leet, stars and
        # the final pass are 1:1), so with no join the offsets are already those of ``given``.
        return Folded(text, given, tuple(src))
    folded = _LEET_TOKEN.sub(_leet, folded)  # 1:1
    if "*" in folded:
        folded = _STRAY_STARS.sub(_blank, folded)  # 1:1
    pieces: list[str] = []
    new_src: list[int] = []
    last = 0
    for match in _SPACED.finditer(folded):  # drops the separators between single letters
        pieces.append(folded[last : match.start()])
        new_src.extend(src[last : match.start()])
        for i in range(match.start(), match.end()):
            if folded[i] not in " .-_":
                pieces.append(folded[i])
                new_src.append(src[i])
        last = match.end()
    if last:
        pieces.append(folded[last:])
        new_src.extend(src[last:])
        folded = "".join(pieces)
        src = new_src
    return Folded(text, folded.translate(_FINAL), tuple(src))


@dataclass(frozen=True, slots=True)
class Skeleton:
    """Folded text with runs of one letter collapsed; ``runs[i]`` is the run's length and
    ``pos[i]`` its first index in the folded text."""

    text: str
    pos: tuple[int, ...]
    runs: tuple[int, ...]


_RUN = re.compile(r"([^\W\d_])\1+")


def skeleton(folded: str) -> Skeleton:
    """Collapse runs of a letter; Python work per run, C-level copies in between."""
    chars: list[str] = []
    pos: list[int] = []
    runs: list[int] = []
    last = 0
    for match in _RUN.finditer(folded):
        start, end = match.span()
        chars.append(folded[last : start + 1])
        pos.extend(range(last, start + 1))
        runs.extend([1] * (start - last))
        runs.append(end - start)
        last = end
    chars.append(folded[last:])
    pos.extend(range(last, len(folded)))
    runs.extend([1] * (len(folded) - last))
    return Skeleton("".join(chars), tuple(pos), tuple(runs))


def word_skeleton(word: str) -> tuple[str, tuple[int, ...]]:
    """Skeleton text and run lengths of a folded list entry."""
    sk = skeleton(word)
    return sk.text, sk.runs
