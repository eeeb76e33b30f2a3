"""The parse worker: the same articles as parsing in-process, under a time and memory budget;
whatever goes wrong is a one-line ParseError naming the file, and the next file still parses."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

import pytest

from moderation.errors import BudgetExceededError, ParseError
from moderation.parsing import parse_file
from moderation.parsing.worker import ParseBudget, ParseWorker, ParseWorkerPool


@pytest.fixture(scope="module")
def big_thread(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 10 MB scraped-text thread: well over any small budget, in time and in memory."""
    path = tmp_path_factory.mktemp("worker") / "big.txt"
    entries = "".join(
        f"  {i}. Reader {i} said:\n\n    Comment number {i}.\n\n" for i in range(1, 250_000)
    )
    path.write_text(f"Title\n\nBody.\n\n{entries}", encoding="utf-8")
    return path


def test_the_worker_gives_what_parse_file_gives(seed_000: Path) -> None:
    with ParseWorker() as worker:
        parsed = worker.parse(seed_000)
        again = worker.parse(seed_000)  # the same process serves the next file
    assert parsed.format == "scraped-text article"
    assert parsed.articles == parse_file(seed_000) == again.articles


def test_an_upload_keeps_its_own_name(seed_000: Path) -> None:
    with ParseWorker() as worker:
        parsed = worker.parse(seed_000, source="mine.txt")
        with pytest.raises(ParseError) as info:
            worker.parse(seed_000, source="mine.txt", max_bytes=10)
    assert parsed.articles[0].source == "mine.txt"
    assert str(info.value).startswith("mine.txt: file is")  # never the temporary path


def test_over_the_time_budget_is_reported_and_the_next_file_parses(
    big_thread: Path, seed_000: Path
) -> None:
    with ParseWorker(ParseBudget(seconds=0.05)) as worker:
        with pytest.raises(BudgetExceededError) as info:
            worker.parse(big_thread, max_bytes=1 << 30)
        assert str(info.value) == (
            f"{big_thread}: parsing took longer than the 0.05-second budget; the file was skipped"
        )
        worker.budget = ParseBudget(seconds=60)
        assert len(worker.parse(seed_000).articles[0].reader_comments) == 30


def test_over_the_memory_budget_is_reported_and_the_next_file_parses(
    big_thread: Path, seed_000: Path
) -> None:
    with ParseWorker(ParseBudget(memory_bytes=30 * 1024**2)) as worker:
        with pytest.raises(BudgetExceededError, match="more than the 30 MB memory budget"):
            worker.parse(big_thread, max_bytes=1 << 30)
        assert len(worker.parse(seed_000).articles[0].reader_comments) == 30


def test_a_worker_started_by_a_big_process_is_kept_for_the_next_file(seed_000: Path) -> None:
    """The worker retires once its own peak passes half the budget. The kernel hands a child
    its parent's peak RSS (ru_maxrss survives exec): measured that way, a worker started by a
    big process (the dashboard with its models, a test run) retired after every file."""
    ballast = bytearray(400 * 1024**2)  # this process's resident size grows past 400 MB
    ballast[::4096] = b"x" * len(ballast[::4096])
    with ParseWorker(ParseBudget(memory_bytes=512 * 1024**2)) as worker:
        worker.parse(seed_000)
        first = worker._process
        assert first is not None, "the worker retired after one small file"
        worker.parse(seed_000)
        assert worker._process is first
    del ballast


def test_a_killed_worker_is_one_line_and_replaced(big_thread: Path, seed_000: Path) -> None:
    with ParseWorker() as worker:
        worker.parse(seed_000)  # started
        process = worker._process
        assert process is not None
        # Kill it while it parses, as the kernel's OOM killer would.
        threading.Timer(0.2, os.kill, (process.pid, signal.SIGKILL)).start()
        with pytest.raises(ParseError, match=r"stopped by signal 9 .*; the file was skipped"):
            worker.parse(big_thread, max_bytes=1 << 30)
        assert len(worker.parse(seed_000).articles) == 1


def test_the_pool_lends_separate_workers_to_concurrent_callers(seed_000: Path) -> None:
    pool = ParseWorkerPool(ParseBudget(), keep=1)
    try:
        with pool.worker() as first, pool.worker() as second:
            assert first is not second
            assert first.parse(seed_000).articles == second.parse(seed_000).articles
        with pool.worker() as reused:
            assert reused in (first, second)  # one idle worker was kept warm
    finally:
        pool.close()
