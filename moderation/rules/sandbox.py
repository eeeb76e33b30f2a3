"""Validating a draft typed in the Rules editor in a separate process, under a time and a memory
budget, so that no draft can stall or exhaust the dashboard's server.

The loader's own bounds (safe_yaml, lists) already make validation cheap for every input we
know of; this is the second wall for the ones we do not: the child process sets RLIMIT_AS (its
own size plus ``memory`` bytes) and RLIMIT_CPU before it reads the draft, and the parent kills it
when ``seconds`` have passed. Only the verdict comes back (valid, or the list of problems); the
caller then compiles the draft in-process, which the child has just shown to be within budget.

Run as ``python -m moderation.rules.sandbox``: a JSON request on stdin, a JSON answer on stdout.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from moderation.rules.errors import Problem, RuleValidationError

DRAFT_SECONDS = 15.0  # wall clock, including the child's start (~0.5 s on an idle machine)
DRAFT_MEMORY = 512 * 1024 * 1024  # bytes of address space beyond the child's own start-up size
_PACKAGE_ROOT = Path(__file__).resolve().parents[2]


def check_draft(
    text: str,
    base_dir: Path,
    *,
    name: str = "rules.yaml",
    seconds: float = DRAFT_SECONDS,
    memory: int = DRAFT_MEMORY,
) -> None:
    """Return when ``text`` is valid; raise RuleValidationError with its problems, or with one
    problem saying which budget it went over."""
    request = json.dumps(
        {"text": text, "base_dir": str(base_dir), "name": name, "memory": memory},
        ensure_ascii=True,  # lone surrogates travel escaped
    )
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(_PACKAGE_ROOT),
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONIOENCODING": "utf-8",
    }
    try:
        done = subprocess.run(
            [sys.executable, "-m", "moderation.rules.sandbox", str(int(seconds) + 1)],
            input=request,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=seconds,
            env=env,
            cwd=str(_PACKAGE_ROOT),
        )
    except subprocess.TimeoutExpired:
        raise _over(f"validating the draft took longer than {seconds:g} s", name) from None
    answer = _answer(done.stdout)
    if answer is None:
        if -done.returncode in (signal.SIGXCPU, signal.SIGKILL):  # the CPU limit
            raise _over(f"validating the draft used more than {seconds:g} s of CPU", name)
        if done.returncode < 0:  # native code (Rust, C++) aborts when an allocation fails
            answer = {"budget": "memory"}
    if answer is None:
        detail = (done.stderr.strip().splitlines() or ["no answer"])[-1][:200]
        raise _over(f"the draft could not be validated ({detail})", name)
    if answer.get("budget") == "memory":
        raise _over(f"validating the draft needed more than {memory // 2**20} MB", name)
    problems = [Problem(p[0], p[1], p[2]) for p in answer.get("problems", [])]
    if problems:
        raise RuleValidationError(problems, subject=name)


def _over(message: str, name: str) -> RuleValidationError:
    return RuleValidationError([Problem(None, None, message)], subject=name)


def _answer(stdout: str) -> dict[str, Any] | None:
    try:
        answer = json.loads(stdout.strip().splitlines()[-1]) if stdout.strip() else None
    except (ValueError, IndexError):
        return None
    return answer if isinstance(answer, dict) else None


# -- the child ----------------------------------------------------------------------------------


def _limit(memory: int, cpu_seconds: int) -> None:
    import resource

    with open("/proc/self/statm", encoding="ascii") as handle:
        size = int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    limit = size + memory
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))


def _child(cpu_seconds: int) -> int:
    from moderation.rules.loader import parse_rules  # imported before the limits apply

    request = json.loads(sys.stdin.read())
    _limit(int(request["memory"]), cpu_seconds)
    try:
        parse_rules(request["text"], base_dir=Path(request["base_dir"]), name=request["name"])
    except RuleValidationError as exc:
        answer: dict[str, Any] = {"problems": [list(p) for p in exc.problems]}
    except MemoryError:
        answer = {"budget": "memory"}
    else:
        answer = {"problems": []}
    sys.stdout.write(json.dumps(answer, ensure_ascii=True) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(_child(int(sys.argv[1]) if len(sys.argv) > 1 else int(DRAFT_SECONDS)))
