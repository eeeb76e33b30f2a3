"""CLI wiring for scoring: ``moderation bench scoring [--json]``."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any

from moderation.settings import Settings


def register(subparsers: Any) -> None:
    """Add the ``bench`` subcommand to ``subparsers`` (from ``add_subparsers``)."""
    bench: argparse.ArgumentParser = subparsers.add_parser(
        "bench", help="measure scoring throughput against the naive Detoxify loop"
    )
    bench.add_argument("target", choices=["scoring"], help="what to benchmark")
    bench.add_argument("--json", action="store_true", help="print only the JSON result line")
    bench.add_argument(
        "--device", choices=["cpu", "cuda"], default="cpu", help="cuda: time the fp16 GPU path"
    )
    bench.set_defaults(handler=_bench)


def _bench(args: argparse.Namespace, settings: Settings) -> int:
    from moderation.scoring.benchmark import configure_logging, print_result, run_benchmark

    if not logging.getLogger().handlers:
        configure_logging()
    result = run_benchmark(settings, report=lambda m: print(m, file=sys.stderr), device=args.device)
    print_result(result, json_only=args.json)
    return 0
