"""CLI: ``moderation bench scoring [--json] [--device cuda]``: runs the checkout's
``benchmarks/bench_scoring.py`` (the benchmark is a script beside the package, not part of it)."""

from __future__ import annotations

import argparse
import importlib.util
import sys
from enum import StrEnum
from pathlib import Path

from moderation.cli.shared import Subparsers
from moderation.errors import ConfigError
from moderation.settings import Settings

# The benchmarks folder of the checkout this package runs from (an editable install or
# ``python -m moderation`` in a clone); a wheel ships without it.
BENCHMARKS_DIR = Path(__file__).resolve().parents[2] / "benchmarks"


class Target(StrEnum):
    SCORING = "scoring"


class Device(StrEnum):
    CPU = "cpu"
    CUDA = "cuda"


def register(subparsers: Subparsers) -> None:
    """Add the ``bench`` subcommand to ``subparsers`` (from ``add_subparsers``)."""
    bench = subparsers.add_parser(
        "bench", help="measure scoring throughput against the naive Detoxify loop"
    )
    bench.add_argument("target", choices=list(Target), help="what to benchmark")
    bench.add_argument("--json", action="store_true", help="print only the JSON result line")
    bench.add_argument(
        "--device", choices=list(Device), default=Device.CPU, help="cuda: time the fp16 GPU path"
    )
    bench.set_defaults(handler=cmd_bench)


def cmd_bench(args: argparse.Namespace, settings: Settings) -> int:
    script = BENCHMARKS_DIR / f"bench_{args.target}.py"
    spec = importlib.util.spec_from_file_location(f"bench_{args.target}", script)
    if spec is None or spec.loader is None or not script.is_file():
        raise ConfigError(
            "the benchmarks are in a Threadwatch checkout, not in the installed package",
            subject=str(script),
        )
    module = importlib.util.module_from_spec(spec)
    # Registered before it runs: its dataclasses look their module up in sys.modules.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    argv = ["--device", str(args.device), *(["--json"] if args.json else [])]
    return int(module.main(argv))
