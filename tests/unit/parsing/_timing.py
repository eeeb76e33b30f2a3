"""Size-doubling checks: a parser's cost must grow linearly (or n log n) with its input.

Measured as CPU time of this process (``time.process_time``), not wall-clock time, so other
processes on a shared machine do not count, with the garbage collector paused (its passes scale
with the whole test process, not the parser); the best of three runs is kept, which drops one-off
pauses (a page fault). A linear parser takes about 2x as long on twice the
input, n log n slightly more, a quadratic one 4x: the bound of 3x separates them with room for
noise. Sizes are chosen so that the smaller run takes tens of milliseconds, well above the clock's
resolution. A run that is already over the absolute limit fails at once, so a quadratic parser
fails in seconds instead of running for minutes on the doubled input.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import TypeVar

from moderation.errors import ModerationError

T = TypeVar("T")
MAX_RATIO = 3.0
# Below this both runs are too quick for their ratio to mean anything (a sniffer that reads only
# the head of its input costs the same at any size): there is no growth to measure.
NEGLIGIBLE = 0.01


def cpu_seconds(run: Callable[[], object], *, repeat: int = 3, limit: float | None = None) -> float:
    """The best of ``repeat`` CPU times of ``run()``; stops early when one run exceeds
    ``limit`` (the caller's assertion then fails with that figure)."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        # The collector's passes scan the whole test process (by late in the suite, models and
        # thousands of records), and a bigger input triggers more of them: timed with it on, a
        # linear parser looked 3.4x slower on twice the input. The parser's own cost is what
        # is measured, so the collector waits until the run is over.
        gc.disable()
        try:
            started = time.process_time()
            run()
            best = min(best, time.process_time() - started)
        finally:
            gc.enable()
        if limit is not None and best > limit:
            break
    return best


def parse_or_refuse(parse: Callable[[T], object], value: T) -> Callable[[], object]:
    """``parse(value)`` as a thunk that accepts our own refusal as an outcome (a refusal must be
    just as quick as a parse); any other exception propagates and fails the test."""

    def run() -> object:
        try:
            return parse(value)
        except ModerationError as exc:
            return exc

    return run


def assert_linear(
    build: Callable[[int], T],
    parse: Callable[[T], object],
    n: int,
    *,
    limit: float = 5.0,
    label: str = "",
) -> tuple[float, float]:
    """time(2n) / time(n) <= MAX_RATIO, and each run under ``limit`` seconds; returns both."""
    small_input = build(n)
    small = cpu_seconds(parse_or_refuse(parse, small_input), limit=limit)
    assert small < limit, f"{label}: {small:.2f}s at n={n:,} (limit {limit}s)"
    large_input = build(2 * n)
    large = cpu_seconds(parse_or_refuse(parse, large_input), limit=limit)
    assert large < limit, f"{label}: {large:.2f}s at n={2 * n:,} (limit {limit}s)"
    if large < NEGLIGIBLE:
        return small, large
    ratio = large / max(small, 1e-3)
    assert ratio <= MAX_RATIO, (
        f"{label}: time grew {ratio:.1f}x when the input doubled "
        f"({small:.3f}s at n={n:,}, {large:.3f}s at n={2 * n:,})"
    )
    return small, large
