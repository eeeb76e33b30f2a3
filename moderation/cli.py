"""`moderation …` / `python -m moderation …`: parse, ingest, score, rules, check, bench.

Exit codes: 0 success, 2 bad input or configuration (with one line per problem on stderr).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from tqdm import tqdm

from moderation.errors import ModerationError
from moderation.parsing import parse_file
from moderation.pipeline import ingest
from moderation.settings import Settings, load_settings
from moderation.store import Store

EXIT_OK = 0
EXIT_BAD_INPUT = 2


def _cmd_parse(args: argparse.Namespace, settings: Settings) -> int:
    parsed, failed = [], 0
    for path in args.files:
        try:
            parsed.extend(a.to_json() for a in parse_file(path, max_bytes=settings.max_file_bytes))
        except ModerationError as exc:
            failed += 1
            print(f"error: {exc}", file=sys.stderr)
    if args.json:
        json.dump(parsed, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for article in parsed:
            readers = sum(1 for c in article["comments"] if c["kind"] == "comment")
            pings = len(article["comments"]) - readers
            clauses = len(article["policy"]["clauses"]) if article["policy"] else 0
            print(
                f"{article['source']}: {article['title']!r} — {readers} comments, "
                f"{pings} pingbacks, policy clauses: {clauses}"
            )
    return EXIT_BAD_INPUT if failed else EXIT_OK


def _cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    store = Store.open(settings.database_url)
    bar = tqdm(total=0, unit="file", disable=None, file=sys.stderr, desc="ingest")

    def progress(done: int, total: int, _path: str) -> None:
        bar.total = total
        bar.update(done - bar.n)

    try:
        report = ingest(args.paths, store, max_bytes=settings.max_file_bytes, progress=progress)
    finally:
        bar.close()
        store.close()
    for source, reason in report.failed:
        print(f"error: {source}: {reason}", file=sys.stderr)
    print(report.summary())
    return EXIT_OK if report.ok else EXIT_BAD_INPUT


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="moderation", description="Threadwatch: comment-thread moderation."
    )
    parser.add_argument("--db", dest="database_url", help="database URL (default: sqlite)")
    parser.add_argument(
        "--max-bytes",
        dest="max_file_bytes",
        type=int,
        help="refuse source files larger than this (default 20 MB)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log more detail")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("parse", help="parse article files and print what was found")
    p.add_argument("files", nargs="+", type=Path)
    p.add_argument("--json", action="store_true", help="print a JSON array, one object per article")
    p.set_defaults(handler=_cmd_parse)

    p = sub.add_parser("ingest", help="parse files or folders (recursive) into the database")
    p.add_argument("paths", nargs="+", type=Path)
    p.set_defaults(handler=_cmd_ingest)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        settings = load_settings(
            {"database_url": args.database_url, "max_file_bytes": args.max_file_bytes}
        )
        return int(args.handler(args, settings))
    except ModerationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    raise SystemExit(main())
