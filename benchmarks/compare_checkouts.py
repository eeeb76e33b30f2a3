"""One benchmark script, two checkouts, side by side: baseline and candidate in turn (A B A B ...).

Each run is its own process started in its checkout's root with that checkout first on
``sys.path``, so each side runs its own code. The script's last JSON object on stdout is kept;
for every number in it the median per side and the ratio candidate / baseline are printed
(a time below 1.0 is faster). Alternating the two sides lets a change of machine load between
runs fall on both.

    python benchmarks/compare_checkouts.py --baseline ../old --candidate . --rounds 3 \\
        -- benchmarks/bench_rules.py --comments 100000

Prints one JSON line last: ``{"script", "rounds", "baseline": {...}, "candidate": {...},
"ratio": {...}, "load_average": [...]}``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any


def last_json_object(output: str) -> dict[str, Any]:
    """The last top-level JSON object printed, on one line or indented over several."""
    lines = output.splitlines()
    for start in range(len(lines) - 1, -1, -1):
        if lines[start].startswith("{"):
            try:
                found = json.loads("\n".join(lines[start:]))
            except json.JSONDecodeError:
                continue
            if isinstance(found, dict):
                return found
    raise SystemExit(f"no JSON object in the output:\n{output[-2000:]}")


def run_once(checkout: Path, script: list[str], timeout: float) -> dict[str, Any]:
    env = dict(os.environ, PYTHONPATH=str(checkout))
    done = subprocess.run(
        [sys.executable, *script],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{checkout}: exit {done.returncode}\n{done.stderr[-2000:]}")
    return last_json_object(done.stdout)


def numbers(results: list[dict[str, Any]]) -> dict[str, float]:
    """The median of each numeric figure (flags such as ``meets_target`` left out)."""

    def numeric(value: object) -> bool:
        return isinstance(value, int | float) and not isinstance(value, bool)

    keys = [k for k, v in results[0].items() if numeric(v)]
    return {k: statistics.median(float(r[k]) for r in results if numeric(r.get(k))) for k in keys}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", type=Path, required=True, help="the older checkout")
    parser.add_argument("--candidate", type=Path, default=Path("."), help="the newer checkout")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per run")
    parser.add_argument("script", nargs=argparse.REMAINDER, help="-- SCRIPT [ARGS ...]")
    args = parser.parse_args(argv)
    script = args.script[1:] if args.script[:1] == ["--"] else args.script
    if not script:
        parser.error("give the benchmark script after --")
    sides: dict[str, list[dict[str, Any]]] = {"baseline": [], "candidate": []}
    for round_number in range(1, args.rounds + 1):
        for side in sides:
            checkout = getattr(args, side).resolve()
            sides[side].append(run_once(checkout, script, args.timeout))
            print(f"round {round_number}: {side} done", file=sys.stderr)
    medians = {side: numbers(results) for side, results in sides.items()}
    ratio = {
        k: round(medians["candidate"][k] / v, 3)
        for k, v in medians["baseline"].items()
        if k in medians["candidate"] and v
    }
    print(
        json.dumps(
            {
                "script": " ".join(script),
                "rounds": args.rounds,
                "baseline": medians["baseline"],
                "candidate": medians["candidate"],
                "ratio": ratio,
                "load_average": [round(x, 2) for x in os.getloadavg()],
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
