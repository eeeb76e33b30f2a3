"""Tests marked ``timed`` run alone, while the suite runs on several workers (pytest-xdist).

A timed test measures time (CPU or wall clock) against a bound; another worker's test on the
same cores would stretch it (two workers on this machine's two cores share caches and memory
bandwidth). Every test holds a lock shared among the workers, from its setup (module fixtures
included) to its teardown; a timed test holds it alone. A gate in front of the lock makes a
waiting timed test go next instead of waiting for a gap between the other workers' tests.
Without xdist (one process) nothing is locked.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest

TIMED = "timed"
_files: dict[str, IO[bytes]] = {}


def _lock_file(name: str) -> IO[bytes] | None:
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if not run:
        return None
    if name not in _files:
        path = Path(tempfile.gettempdir()) / f"threadwatch-tests-{run}.{name}"
        _files[name] = path.open("ab")
    return _files[name]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    lock, gate = _lock_file("lock"), _lock_file("gate")
    if lock is None or gate is None:
        yield
        return
    alone = item.get_closest_marker(TIMED) is not None
    fcntl.flock(gate, fcntl.LOCK_EX)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX if alone else fcntl.LOCK_SH)
    finally:
        fcntl.flock(gate, fcntl.LOCK_UN)
    try:
        yield
    finally:
        fcntl.flock(lock, fcntl.LOCK_UN)
