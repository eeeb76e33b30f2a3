"""Parsing under a time and memory budget, in a worker process.

Why a process and not a thread with a deadline: the costly steps of parsing run in C while holding
the GIL (a regular expression match, ``json.loads`` of a large array, charset detection), so a
stalled parse in a thread stops every other thread too, the dashboard's event loop included: the
185-byte comment bomb of issue 11 held ``/_stcore/health`` for 26 s. A deadline checked by the
parser's own loops cannot interrupt such a call, and a thread cannot be killed or given its own
memory limit. A worker process has its own GIL, gets ``RLIMIT_AS`` (an address-space cap: a parse
that needs more gets MemoryError and reports it), and is killed when its time is up.

The worker is a fresh interpreter (``subprocess``, not ``multiprocessing``: its forkserver and
spawn methods re-import the parent's ``__main__``, i.e. all of Streamlit, in every worker). Its
start-up (importing the parsers) is paid once per batch of files, or once per idle worker kept by
``ParseWorkerPool`` in the dashboard; a worker is replaced only after it is killed, runs out of
memory, or has grown large (see ``benchmarks/fuzz_parsers.py --overhead`` for the figures).

Whatever happens in the worker (our ParseError, MemoryError, a bug that raises something else, a
crash or a kill) the caller gets a ``ParseError`` with a one-line reason naming the file, never a
traceback, and the next file gets a fresh worker if this one is gone.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import moderation
from moderation.errors import BudgetExceededError, InputTooLargeError, ModerationError, ParseError
from moderation.parsing import DEFAULT_MAX_BYTES, ParseOptions, parse_detected
from moderation.parsing.decoding import one_line, read_source
from moderation.records import Article

DEFAULT_SECONDS = 120.0
DEFAULT_MEMORY_BYTES = 2 * 1024**3
# Starting a worker is not parsing: it gets its own, generous, allowance.
_START_SECONDS = 60.0
_ERRORS: dict[str, type[ParseError]] = {
    "InputTooLargeError": InputTooLargeError,
    "BudgetExceededError": BudgetExceededError,
}


@dataclass(frozen=True)
class ParseBudget:
    """Wall-clock seconds and bytes of memory one file's parse may use."""

    seconds: float = DEFAULT_SECONDS
    memory_bytes: int = DEFAULT_MEMORY_BYTES

    @classmethod
    def from_settings(cls, settings: Any) -> ParseBudget:
        return cls(
            seconds=float(settings.parse_seconds),
            memory_bytes=int(settings.parse_memory_mb) * 1024**2,
        )

    def describe(self) -> str:
        return f"{self.seconds:g} s and {self.memory_bytes / 1024**2:,.0f} MB per file"


@dataclass(frozen=True)
class Parsed:
    """What a worker read from one file: the format's name and the articles."""

    format: str
    articles: list[Article]


def parse_source(
    path: Path,
    *,
    source: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    options: ParseOptions | None = None,
) -> Parsed:
    """Read and parse ``path`` in this process; ``source`` (default: the path) names the file in
    the articles and in errors, e.g. an upload's own name for its temporary copy."""
    name = source or str(path)
    try:
        text = read_source(path, max_bytes=max_bytes)
    except ModerationError as exc:
        if exc.subject == name:
            raise
        raise type(exc)(exc.reason, subject=name) from exc
    fmt, articles = parse_detected(text, source=name, options=options)
    return Parsed(fmt.name, articles)


class ParseWorker:
    """A worker process that parses files one at a time under ``budget``; reused across files,
    replaced when a parse kills it. Use as a context manager, or call ``close()``."""

    def __init__(self, budget: ParseBudget | None = None) -> None:
        self.budget = budget or ParseBudget()
        self._process: subprocess.Popen[bytes] | None = None
        self._conn: Connection | None = None

    def __enter__(self) -> ParseWorker:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def parse(
        self,
        path: Path,
        *,
        source: str | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
        options: ParseOptions | None = None,
    ) -> Parsed:
        """As ``parse_source``, in the worker; raises only ParseError (and its subclasses)."""
        name = source or str(path)
        conn = self._ready(name)
        try:
            conn.send((str(path), name, max_bytes, options or ParseOptions()))
        except (OSError, ValueError) as exc:  # the worker died since the last file
            self._discard()
            raise ParseError("the parser process stopped unexpectedly", subject=name) from exc
        if not conn.poll(self.budget.seconds):
            self._discard()
            raise BudgetExceededError(
                f"parsing took longer than the {self.budget.seconds:g}-second budget; "
                "the file was skipped",
                subject=name,
            )
        try:
            status, payload, retiring = conn.recv()
        except (EOFError, OSError) as exc:
            code = self._exit_code()
            self._discard()
            raise ParseError(_death_reason(code, self.budget), subject=name) from exc
        if retiring:
            self._discard(grace=5.0)
        return _result(status, payload, name, self.budget)

    def parse_file(
        self, path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, options: ParseOptions | None = None
    ) -> list[Article]:
        """``moderation.parsing.parse_file``, under the budget."""
        return self.parse(path, max_bytes=max_bytes, options=options).articles

    def close(self) -> None:
        if self._conn is not None:
            with suppress(OSError, ValueError):
                self._conn.send(None)
        self._discard(grace=2.0)

    # -- the process ----------------------------------------------------------------------

    def _ready(self, name: str) -> Connection:
        if self._process is not None and self._process.poll() is None and self._conn is not None:
            return self._conn
        self._discard()
        ours, theirs = socket.socketpair()
        try:
            process = subprocess.Popen(
                [sys.executable, "-c", _ENTRY, str(theirs.fileno()), str(self.budget.memory_bytes)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,  # a library's stray print must not reach our output
                pass_fds=(theirs.fileno(),),
                env=_child_environment(),
            )
        except OSError as exc:
            ours.close()
            raise ParseError(f"the parser process did not start ({exc})", subject=name) from exc
        finally:
            theirs.close()
        self._process, self._conn = process, Connection(ours.detach())
        try:
            started = self._conn.poll(_START_SECONDS) and self._conn.recv() == "ready"
        except (EOFError, OSError):
            started = False
        if not started:
            code = self._exit_code()
            self._discard()
            raise ParseError(f"the parser process did not start (exit code {code})", subject=name)
        return self._conn

    def _exit_code(self) -> int | None:
        if self._process is None:
            return None
        try:
            return self._process.wait(timeout=1.0)
        except subprocess.TimeoutExpired:
            return None

    def _discard(self, grace: float = 0.0) -> None:
        process, conn = self._process, self._conn
        self._process = self._conn = None
        if conn is not None:
            conn.close()
        if process is not None:
            with suppress(subprocess.TimeoutExpired):
                process.wait(timeout=grace)
            if process.poll() is None:
                process.kill()
                process.wait()


class ParseWorkerPool:
    """Workers shared by the threads of one process (the dashboard's sessions): each parse gets
    a worker of its own, and up to ``keep`` idle ones are kept warm for the next request."""

    def __init__(self, budget: ParseBudget, *, keep: int = 1) -> None:
        self.budget = budget
        self.keep = keep
        self._idle: list[ParseWorker] = []
        self._lock = threading.Lock()

    @contextmanager
    def worker(self) -> Iterator[ParseWorker]:
        with self._lock:
            worker = self._idle.pop() if self._idle else ParseWorker(self.budget)
        try:
            yield worker
        finally:
            with self._lock:
                if len(self._idle) < self.keep:
                    self._idle.append(worker)
                    worker = None  # type: ignore[assignment]
            if worker is not None:
                worker.close()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.close()


@contextmanager
def parse_worker(budget: ParseBudget | None = None) -> Iterator[ParseWorker]:
    worker = ParseWorker(budget)
    try:
        yield worker
    finally:
        worker.close()


def _result(status: str, payload: Any, name: str, budget: ParseBudget) -> Parsed:
    if status == "ok":
        assert isinstance(payload, Parsed)
        return payload
    if status == "error":
        kind, reason, subject = payload
        error = _ERRORS.get(kind, ParseError)
        raise error(one_line(reason), subject=subject or name)
    if status == "memory":
        raise BudgetExceededError(
            f"parsing needed more than the {budget.memory_bytes / 1024**2:,.0f} MB memory budget; "
            "the file was skipped",
            subject=name,
        )
    raise ParseError(
        f"could not be read: the parser failed ({one_line(str(payload), limit=160)})",
        subject=name,
    )


def _death_reason(code: int | None, budget: ParseBudget) -> str:
    if code is not None and code < 0:
        # Killed by a signal: SIGKILL is what the kernel's OOM killer sends; SIGSEGV a crash.
        return (
            f"the parser process was stopped by signal {-code} (out of memory or a crash; "
            f"budget {budget.describe()}); the file was skipped"
        )
    return f"the parser process stopped unexpectedly (exit code {code}); the file was skipped"


# -- in the worker ------------------------------------------------------------------------------


# The worker's entry: imported from its module (not run as __main__), so that the classes it
# pickles are the ones the parent unpickles.
_ENTRY = "import sys; from moderation.parsing.worker import serve; serve(sys.argv[1:])"


def _child_environment() -> dict[str, str]:
    """This environment, with the folder holding the ``moderation`` package this process runs
    first on the path: a worktree's copy, not whatever else is installed."""
    root = str(Path(moderation.__file__).resolve().parent.parent)
    path = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": root + (os.pathsep + path if path else "")}


def serve(argv: list[str]) -> None:
    """The worker process: ``serve([socket fd, memory budget in bytes])``."""
    _serve(Connection(int(argv[0])), int(argv[1]))


def _limit_memory(budget_bytes: int) -> None:
    """Cap this process's address space at what it maps now plus ``budget_bytes``."""
    try:
        import resource
    except ImportError:  # Windows: no rlimits; the time budget still holds
        return
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    current = _mapped_bytes()
    if current is None or not hasattr(resource, "RLIMIT_AS"):
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = current + budget_bytes
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _mapped_bytes() -> int | None:
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    return None


def _serve(conn: Connection, memory_bytes: int) -> None:
    _limit_memory(memory_bytes)
    conn.send("ready")
    retiring = False
    while not retiring:
        try:
            request = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if request is None:
            return
        path, name, max_bytes, options = request
        status: str
        payload: Any
        try:
            status = "ok"
            payload = parse_source(Path(path), source=name, max_bytes=max_bytes, options=options)
        except ModerationError as exc:
            status, payload = "error", (type(exc).__name__, exc.reason, exc.subject)
        except MemoryError:
            status, payload = "memory", None
        except BaseException as exc:  # a bug: reported to the caller as one line
            status, payload = "failed", f"{type(exc).__name__}: {exc}"
            print(f"threadwatch parse worker: {name}: {status} {payload}", file=sys.stderr)
        # After MemoryError or a bug the process is not to be trusted; after a big file it keeps
        # memory it will not give back, which would count against the next file's budget.
        retiring = status in {"memory", "failed"} or _peak_bytes() > memory_bytes // 2
        try:
            conn.send((status, payload, retiring))
        except MemoryError:
            _send_quietly(conn, ("memory", None, True))
            return
        except Exception as exc:  # e.g. a result that cannot be pickled
            _send_quietly(conn, ("failed", f"{type(exc).__name__} sending the result", True))
            return
        del payload


def _peak_bytes() -> int:
    """This process's peak resident memory. Linux: VmHWM, the high-water mark of this
    program's own memory; ``ru_maxrss`` would also count the parent's size at fork (the kernel
    keeps it across exec), so a worker started by a big dashboard or test process would look
    over budget after every file."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        import resource
    except ImportError:
        return 0
    # ru_maxrss is in kilobytes on Linux (bytes on macOS, where this is only an estimate).
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _send_quietly(conn: Connection, message: tuple[str, Any, bool]) -> None:
    with suppress(Exception):
        conn.send(message)


__all__ = [
    "DEFAULT_MEMORY_BYTES",
    "DEFAULT_SECONDS",
    "ParseBudget",
    "ParseWorker",
    "ParseWorkerPool",
    "Parsed",
    "parse_source",
    "parse_worker",
]
