"""Text folding: each obfuscation case, and offsets that slice the original text exactly."""

from __future__ import annotations

import pytest

from moderation.rules.batch_fold import fold_batch
from moderation.rules.normalize import fold, fold_with_offsets, skeleton

CASES = [
    # (original, folded)
    ("Hello World", "hello world"),
    ("ＦＵＬＬＷＩＤＴＨ", "fullwidth"),  # NFKC
    ("ﬁne", "fine"),  # NFKC ligature
    ("fück", "fuck"),  # accent stripped
    ("fu\u0308ck", "fuck"),  # combining accent
    ("fаck", "fack"),  # Cyrillic а
    ("ѕhіt", "shit"),  # Cyrillic ѕ and і
    ("Fu\u200bck", "fuck"),  # zero-width space
    ("f\u00adu\u200dck", "fuck"),  # soft hyphen, zero-width joiner
    ("tab\tand\x07bell", "tab and bell"),  # control characters
    ("sh1t", "shit"),
    ("$h!t", "shit"),
    ("a$$hole", "asshole"),
    ("h0m3", "home"),
    ("he11", "heii"),  # 1 reads as i; lists add an l->i twin of every entry
    ("@ss", "ass"),
    ("wow!! hell!", "wow   hell "),  # ! only between letters
    ("455 people in 1993", "455 people in 1993"),  # numbers stay numbers
    ("f*ck", "f*ck"),  # a mask stays for the mask matcher
    ("*emphasis* **", " emphasis    "),  # stray stars are separators
    ("f u c k", "fuck"),
    ("f.u.c.k", "fuck"),
    ("f-u-c-k off", "fuck off"),
    ("f_u_c_k", "fuck"),
    ("f. u. c. k.", "fuck "),
    ("is a dog", "is a dog"),  # one single letter is not spacing
    ("fuuuuck", "fuuuuck"),  # stretching is undone by the skeleton, not the fold
    ("don't", "don t"),
    ("line\nbreak", "line break"),
    ("nul\x00byte", "nul byte"),  # the batch separator inside a comment
]


@pytest.mark.parametrize(("original", "folded"), CASES)
def test_fold(original: str, folded: str) -> None:
    assert fold(original) == folded


@pytest.mark.parametrize(("original", "folded"), CASES)
def test_offsets_and_batch_agree_with_fold(original: str, folded: str) -> None:
    doc = fold_with_offsets(original)
    assert doc.text == folded
    assert len(doc.src) == len(doc.text)
    assert all(0 <= i < len(original) for i in doc.src)
    assert fold_batch(["x", original, "y"]) == ["x", folded, "y"]


def test_batch_equals_one_by_one() -> None:
    texts = [original for original, _ in CASES] * 3 + ["", "é a b c", "x6$ y", "k|ck"]
    assert fold_batch(texts) == [fold(t) for t in texts]


@pytest.mark.parametrize(
    ("original", "word"),
    [
        ("Total а$$hole!", "а$$hole"),
        ("so f u c k it", "f u c k"),
        ("Fu\u200bck that", "Fu\u200bck"),
        ("ＳＨＩＴ happens", "ＳＨＩＴ"),
        ("ﬁlth", "ﬁlth"),
    ],
)
def test_span_maps_back_to_original(original: str, word: str) -> None:
    doc = fold_with_offsets(original)
    start = original.index(word)
    folded_word = fold(word)
    f_start = doc.text.index(folded_word)
    assert doc.original_span(f_start, f_start + len(folded_word)) == (start, start + len(word))


@pytest.mark.parametrize(
    ("text", "collapsed", "runs"),
    [
        ("fuuuck", "fuck", (1, 3, 1, 1)),
        ("ass", "as", (1, 2)),
        ("a  b", "a  b", (1, 1, 1, 1)),  # spaces are not letters: never collapsed
    ],
)
def test_skeleton(text: str, collapsed: str, runs: tuple[int, ...]) -> None:
    sk = skeleton(text)
    assert sk.text == collapsed
    assert sk.runs == runs
