"""Property: the batch folding equals the reference folding, on any Unicode text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moderation.rules.batch_fold import fold_batch, fold_many
from moderation.rules.normalize import BATCH_SEP, fold

PROPERTY = settings(
    deadline=None,
    derandomize=True,
    database=None,
    max_examples=300,
    suppress_health_check=[HealthCheck.too_slow],
)
# What the batch passes treat specially, drawn often so examples hit them: leet digits and
# symbols, masks, spacing separators, the batch separator itself, the "\n" the haystack joins
# comments with, look-alikes, zero-width and bidi characters, lone surrogates, accents.
SPECIAL = st.sampled_from(
    [*"0134578 9$@!|+*.-_ab", BATCH_SEP, "\n", "а", "е", "ο", "\u200b", "\u202e", "\ud800",
     "\udfff", "é", "ß", "ﬁ", "Ｓ", "İ", "\u0301", "\u2028"]
)  # fmt: skip
TEXT = st.text(st.one_of(st.characters(), SPECIAL, SPECIAL), max_size=80)


@PROPERTY
@given(texts=st.lists(TEXT, max_size=12))
def test_batch_folding_equals_reference_folding(texts: list[str]) -> None:
    assert fold_batch(texts) == [fold(t) for t in texts]


@PROPERTY
@given(texts=st.lists(TEXT, min_size=1, max_size=12))
def test_each_comment_of_a_folded_batch_is_its_reference_folding(texts: list[str]) -> None:
    batch = fold_many(texts)
    assert len(batch) == len(texts)
    for i, text in enumerate(texts):
        start, end = batch.text_span(i)
        assert batch[i] == fold(text)
        assert batch.haystack[start:end].decode("utf-8", "surrogatepass") == fold(text)
        assert batch.comment_at(start) == i
