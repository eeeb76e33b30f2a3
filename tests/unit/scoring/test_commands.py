"""The CLI hook: `bench scoring --json` parses to our handler."""

from __future__ import annotations

import argparse

from moderation.scoring.commands import register


def test_bench_scoring_parses() -> None:
    parser = argparse.ArgumentParser(prog="moderation")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["bench", "scoring", "--json"])
    assert args.target == "scoring" and args.json is True
    assert callable(args.handler)
