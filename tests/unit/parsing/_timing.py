"""Size-doubling checks: a parser's cost must grow linearly (or n log n) with its input.

Measured as CPU time of this process (``time.process_time``), not wall-clock time, so other
processes on a shared machine do not count, with the garbage collector paused (its passes scale
with the whole test process, not the parser); the two sizes are timed in turn, three rounds, and
the best of each kept, which drops one-off pauses (a page fault) and changes of load. A linear
parser takes about 2x as long on twice the input, n log n slightly more, a quadratic one 4x: the
bound of 3x separates them with room for noise. Sizes are chosen so that the smaller run takes
tens of milliseconds, well above the clock's resolution. A run that is already over the absolute
limit fails at once, so a quadratic parser fails in seconds instead of running for minutes on
the doubled input.
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
    rounds: int = 3,
) -> tuple[float, float]:
    """time(2n) / time(n) <= MAX_RATIO, and each run under ``limit`` seconds; returns both.

    The two sizes are timed in alternation (small, large, small, large, ...) and the best of
    each kept: CPU time still stretches when the machine is busy (a shared core, a contended
    memory bus), and timing the small input first and the large one seconds later made a
    linear sniffer look 3.5x slower on twice the input when the load rose in between."""
    small_input, large_input = build(n), build(2 * n)
    small = large = float("inf")
    for _ in range(rounds):
        small = min(small, cpu_seconds(parse_or_refuse(parse, small_input), repeat=1))
        assert small < limit, f"{label}: {small:.2f}s at n={n:,} (limit {limit}s)"
        large = min(large, cpu_seconds(parse_or_refuse(parse, large_input), repeat=1))
        assert large < limit, f"{label}: {large:.2f}s at n={2 * n:,} (limit {limit}s)"
    if large < NEGLIGIBLE:
        return small, large
    ratio = large / max(small, 1e-3)
    assert ratio <= MAX_RATIO, (
        f"{label}: time grew {ratio:.1f}x when the input doubled "
        f"({small:.3f}s at n={n:,}, {large:.3f}s at n={2 * n:,})"
    )
    return small, large
