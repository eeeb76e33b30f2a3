"""Crash points for tests: make this process SIGKILL itself at a chosen point of its work.

Interrupted work must be completed by the next run; the tests prove it by killing a real
``moderation`` process mid-phase. ``THREADWATCH_TEST_KILL_AT=<phase>:<n>`` kills the process
at the n-th checkpoint of that phase ("store": after an article is committed, "score": after a
chunk of scores is stored, "flag": after a batch of flags is committed, "switch": before a
pending rule set is made active). It is honoured only inside a pytest run (pytest sets
PYTEST_CURRENT_TEST, which the child inherits), so a stray variable cannot hurt production;
``THREADWATCH_TEST_BATCH`` (same guard) shrinks the flag and score batches.
"""

from __future__ import annotations

import os
import signal
from collections import Counter

KILL_ENV = "THREADWATCH_TEST_KILL_AT"
# Smaller batches, so that a small test corpus still has several batches to be killed between.
BATCH_ENV = "THREADWATCH_TEST_BATCH"
_seen: Counter[str] = Counter()


def _in_tests() -> bool:
    return "PYTEST_CURRENT_TEST" in os.environ


def batch_size(default: int) -> int:
    value = os.environ.get(BATCH_ENV)
    return int(value) if value and _in_tests() else default


def checkpoint(phase: str) -> None:
    spec = os.environ.get(KILL_ENV)
    if not spec or not _in_tests():
        return
    wanted, _, count = spec.partition(":")
    if wanted != phase:
        return
    _seen[phase] += 1
    if _seen[phase] >= int(count or 1):
        os.kill(os.getpid(), signal.SIGKILL)
