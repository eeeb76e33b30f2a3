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

``fold`` is the reference; ``batch_fold.fold_many`` folds a whole batch as one byte string with
C-level passes (same result, tested), and ``fold_with_offsets`` also records, for every folded
character, the index of the original character it came from, so evidence spans slice the
original text exactly.

Stretched letters are left to the matchers: ``skeleton`` collapses runs of a letter and keeps
their lengths, so a token ``asss`` matches ``ass`` while ``as`` does not.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

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


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def fold(text: str) -> str:
    """The folded form of one text (no offsets): what word lists and regexes are matched on."""
    return _fold_core(text.replace(BATCH_SEP, " "))


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
