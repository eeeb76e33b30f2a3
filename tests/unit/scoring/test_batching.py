"""Token-budget batching: every index once, budget respected, padding consistent; the CUDA
budget sized from a given free-memory figure (no GPU needed)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from moderation.scoring.batching import (
    MAX_GPU_BATCH_TOKENS,
    activation_bytes_per_token,
    gpu_token_budget,
    pad_batch,
    plan_batches,
)


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


@given(st.lists(st.lists(st.integers(0, 3), min_size=1, max_size=4), max_size=24), st.randoms())
def test_plan_batches_with_ties_depend_on_the_texts_not_their_order(
    encoded: list[list[int]], rng: random.Random
) -> None:
    # The int8 encoder quantises a batch together: the same texts must make the same batches.
    shuffled = list(range(len(encoded)))
    rng.shuffle(shuffled)
    again = [encoded[i] for i in shuffled]

    def plan(texts: list[list[int]]) -> list[list[tuple[int, ...]]]:
        batches = plan_batches([len(t) for t in texts], 8, ties=texts)
        return [[tuple(texts[i]) for i in batch] for batch in batches]

    assert plan(again) == plan(encoded)


def test_pad_batch() -> None:
    ids, mask = pad_batch([[1, 2, 3], [4]], pad_id=0)
    assert ids.tolist() == [[1, 2, 3], [4, 0, 0]]
    assert mask.tolist() == [[1, 1, 1], [1, 0, 0]]


class _BertBase:
    """The shape fields gpu_token_budget reads, as a transformers BertConfig has them."""

    hidden_size = 768
    intermediate_size = 3072
    num_attention_heads = 12


def test_gpu_token_budget_from_free_memory() -> None:
    # fp16, max 256 tokens: 2 * (6*768 + 2*3072 + 2*12*256) = 33,792 bytes per token.
    per_token = activation_bytes_per_token(_BertBase(), max_tokens=256, dtype_bytes=2)
    assert per_token == 33_792
    free = 8 * 1024**3  # an 8 GiB GPU with nothing else on it
    assert gpu_token_budget(free, _BertBase(), max_tokens=256) == (free // 2) // per_token
    # fp32 halves it.
    assert gpu_token_budget(free, _BertBase(), max_tokens=256, dtype_bytes=4) == (
        (free // 2) // (2 * per_token)
    )


def test_gpu_token_budget_bounds() -> None:
    # Almost no free memory still allows one full-length text; a huge GPU is capped.
    assert gpu_token_budget(1024, _BertBase(), max_tokens=256) == 256
    assert gpu_token_budget(141 * 1024**3, _BertBase(), max_tokens=256) == MAX_GPU_BATCH_TOKENS
    batches = plan_batches([256] * 5000, gpu_token_budget(8 * 1024**3, _BertBase(), max_tokens=256))
    assert len(batches) > 1 and max(len(b) for b in batches) * 256 <= 127_100
