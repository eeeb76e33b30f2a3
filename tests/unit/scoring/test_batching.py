"""Token-budget batching: every index once, budget respected, padding consistent."""

from __future__ import annotations

import pytest

from moderation.scoring.batching import pad_batch, plan_batches


@pytest.mark.parametrize(
    ("lengths", "budget"),
    [([], 64), ([5], 64), ([3, 50, 7, 7, 2, 49], 64), ([100, 1, 1], 64), ([8] * 20, 32)],
)
def test_plan_batches_covers_all_within_budget(lengths: list[int], budget: int) -> None:
    batches = plan_batches(lengths, budget)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    for batch in batches:
        longest = max(lengths[i] for i in batch)
        assert len(batch) == 1 or longest * len(batch) <= budget


def test_plan_batches_sorts_by_length() -> None:
    batches = plan_batches([9, 1, 5, 1], 1000)
    assert batches == [[1, 3, 2, 0]]


def test_pad_batch() -> None:
    ids, mask = pad_batch([[1, 2, 3], [4]], pad_id=0)
    assert ids.tolist() == [[1, 2, 3], [4, 0, 0]]
    assert mask.tolist() == [[1, 1, 1], [1, 0, 0]]
