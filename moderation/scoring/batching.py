"""Dynamic batching: sort by token length and cap each batch by its padded token count.

Sorting keeps padding small (similar lengths share a batch); a token budget rather than a fixed
batch size keeps memory and latency flat whether comments are one-liners or essays.

Used on CUDA, where big batches are what keeps the GPU busy: the budget comes from the GPU's free
memory (``gpu_token_budget``). On CPU the Detoxify scorer runs one text at a time instead (see
``detoxify_scorer``): batches of ~8192 padded tokens there cost 2-2.5x the CPU time of the same
texts in batches of <= 1024 tokens, and <= 512-token batches measured no faster than single texts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

#: Share of the free GPU memory the activations may take: the rest absorbs allocator
#: fragmentation, cuBLAS workspaces and whatever else shares the GPU.
GPU_MEMORY_SHARE = 0.5
#: No batch beyond this many padded tokens: past a few hundred thousand a BERT-sized model is
#: long compute-bound, and a bigger batch only delays the first results.
MAX_GPU_BATCH_TOKENS = 262_144


def plan_batches(
    lengths: Sequence[int], batch_tokens: int, *, ties: Sequence[Sequence[int]] | None = None
) -> list[list[int]]:
    """Group indices into batches whose ``rows * longest`` stays within ``batch_tokens``.

    A single text longer than the budget still gets its own batch (truncation bounds it).
    ``ties`` (each text's token ids) orders texts of equal length by content instead of by
    position, so that the same texts make the same batches in whatever order they come: an int8
    encoder quantises each batch's activations with one scale, so a text's score depends on the
    texts it shares a batch with, and a resumed run must batch exactly as an uninterrupted one.
    """
    if ties is None:
        order = sorted(range(len(lengths)), key=lambda i: (lengths[i], i))
    else:
        order = sorted(range(len(lengths)), key=lambda i: (lengths[i], ties[i], i))
    batches: list[list[int]] = []
    current: list[int] = []
    for i in order:
        # Sorted ascending, so the newcomer is the longest in the batch.
        if current and lengths[i] * (len(current) + 1) > batch_tokens:
            batches.append(current)
            current = []
        current.append(i)
    if current:
        batches.append(current)
    return batches


def pad_batch(encoded: Sequence[Sequence[int]], pad_id: int) -> tuple[np.ndarray, np.ndarray]:
    """Right-pad token id lists into (input_ids, attention_mask) int64 arrays."""
    width = max((len(e) for e in encoded), default=0)
    ids = np.full((len(encoded), width), pad_id, dtype=np.int64)
    mask = np.zeros((len(encoded), width), dtype=np.int64)
    for row, e in enumerate(encoded):
        ids[row, : len(e)] = e
        mask[row, : len(e)] = 1
    return ids, mask


def activation_bytes_per_token(config: Any, *, max_tokens: int, dtype_bytes: int) -> int:
    """Peak activation memory per padded token of one encoder layer at inference (no autograd
    keeps earlier layers): the hidden state and its residual copy, Q/K/V and the attention
    output (6·d), the FFN's intermediate and its GELU output (2·d_ff), and one row of attention
    scores and probabilities per head (2·heads·max_tokens) in case the attention kernel
    materialises them."""
    d, d_ff = int(config.hidden_size), int(config.intermediate_size)
    heads = int(config.num_attention_heads)
    return dtype_bytes * (6 * d + 2 * d_ff + 2 * heads * max_tokens)


def gpu_token_budget(
    free_bytes: int,
    config: Any,
    *,
    max_tokens: int,
    dtype_bytes: int = 2,
    share: float = GPU_MEMORY_SHARE,
) -> int:
    """Padded tokens per CUDA batch that fit ``share`` of ``free_bytes`` (from
    ``torch.cuda.mem_get_info``); at least one full-length text, at most MAX_GPU_BATCH_TOKENS."""
    per_token = activation_bytes_per_token(config, max_tokens=max_tokens, dtype_bytes=dtype_bytes)
    budget = int(free_bytes * share) // per_token
    return max(max_tokens, min(MAX_GPU_BATCH_TOKENS, budget))
