"""`moderation …` / `python -m moderation …`: parse, ingest, score, reflag, rules, check, bench.

Exit codes: 0 success, 2 bad input or configuration (with one line per problem on stderr).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import delete
from tqdm import tqdm

from moderation.audit_commands import register as register_audit
from moderation.errors import ModerationError
from moderation.flagging import (
    ActiveRules,
    apply_pending,
    complete,
    load_active_rules,
    load_version,
    reflag,
)
from moderation.importing import import_parser, parse_for_import
from moderation.parsing import ParseOptions
from moderation.parsing.tabular import parse_column_map
from moderation.parsing.worker import ParseBudget, ParseWorker
from moderation.pipeline import ingest, score_missing
from moderation.queue_commands import register as register_queue
from moderation.rules.commands import register as register_rules
from moderation.scoring import build_scorer
from moderation.scoring.commands import register as register_scoring
from moderation.scoring.model_commands import register as register_model
from moderation.settings import Settings, load_settings
from moderation.store import Store
from moderation.store.schema import scores

EXIT_OK = 0
EXIT_BAD_INPUT = 2


def _options(args: argparse.Namespace) -> ParseOptions:
    return ParseOptions(column_map=parse_column_map(args.map) if args.map else {})


def _cmd_parse(args: argparse.Namespace, settings: Settings) -> int:
    parsed: list[dict[str, Any]] = []
    failed = 0
    options = _options(args)
    # Each file is parsed in a worker process under the time and memory budget; whatever goes
    # wrong with one file is one "error:" line, and the batch goes on.
    with ParseWorker(ParseBudget.from_settings(settings)) as worker:
        for path in args.files:
            try:
                articles = parse_for_import(
                    path, worker=worker, max_bytes=settings.max_file_bytes, options=options
                ).articles
                parsed.extend(a.to_json() for a in articles)
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
            found_by = f", found by {article['extraction']}" if article["extraction"] else ""
            print(
                f"{article['source']}: {article['title']!r} — {readers} comments, "
                f"{pings} pingbacks, policy clauses: {clauses}{found_by}"
            )
            for warning in article["warnings"]:
                print(f"  warning: {warning}")
    return EXIT_BAD_INPUT if failed else EXIT_OK


@contextmanager
def _progress_bar(desc: str, unit: str) -> Iterator[Callable[[int, int], None]]:
    """A tqdm bar on stderr (hidden when stderr is not a terminal) fed by (done, total)."""
    bar = tqdm(total=0, unit=unit, disable=None, file=sys.stderr, desc=desc)

    def update(done: int, total: int) -> None:
        bar.total = total
        bar.update(done - bar.n)

    try:
        yield update
    finally:
        bar.close()


@contextmanager
def _open_store(settings: Settings) -> Iterator[Store]:
    store = Store.open(settings.database_url)
    try:
        yield store
    finally:
        store.close()


def _cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    with (
        _open_store(settings) as store,
        _progress_bar("ingest", "file") as files,
        _progress_bar("score", "text") as texts,
        ParseWorker(ParseBudget.from_settings(settings)) as worker,
    ):
        scorer = None if args.no_score else build_scorer(settings)
        rules = load_active_rules(store, settings.rules_path)
        if rules.error:
            print(
                f"warning: {rules.error}; rule set v{rules.version} stays active", file=sys.stderr
            )
        report = ingest(
            args.paths,
            store,
            max_bytes=settings.max_file_bytes,
            options=_options(args),
            progress=lambda done, total, _path: files(done, total),
            scorer=scorer,
            rules=rules,
            score_progress=texts,
            parse_path=import_parser(worker),
            learned_model=settings.learned_model,
        )
        # A rules.yaml edit (or a save whose re-flag was interrupted) is applied now.
        applied = apply_pending(
            store, settings.rules_path, model_id=scorer.model_id if scorer else None
        )
    for source, reason in report.failed:
        print(f"error: {source}: {reason}", file=sys.stderr)
    for line in report.shortened:
        print(f"warning: {line}", file=sys.stderr)
    print(report.summary())
    if applied is not None:
        print(f"pending rule set applied: {applied.summary()}")
    return EXIT_OK if report.ok else EXIT_BAD_INPUT


def _cmd_score(args: argparse.Namespace, settings: Settings) -> int:
    if args.ray is not None:
        from moderation.scoring.ray_backfill import require_ray, score_missing_on_ray

        require_ray()  # before loading a model: a missing extra fails in one line, at once
    with _open_store(settings) as store, _progress_bar("score", "text") as progress:
        scorer = build_scorer(settings)
        if args.rescore:
            with store.transaction() as conn:
                conn.execute(delete(scores).where(scores.c.model_id == scorer.model_id))
        started = time.perf_counter()
        if args.ray is not None:
            scored = score_missing_on_ray(
                store,
                settings,
                scorer.model_id,
                address=args.ray or None,
                workers=args.workers,
                progress=progress,
            ).scored
        else:
            scored = score_missing(store, scorer, progress=progress)
        seconds = time.perf_counter() - started
        rate = scored / seconds if scored and seconds > 0 else 0.0
        print(
            f"{scored} texts scored by {scorer.model_id} in {seconds:.1f}s ({rate:.1f} comments/s)"
        )
        rules = load_active_rules(store, settings.rules_path)
        if args.rescore:  # new values under the same model id: every evaluation is stale
            report = reflag(store, rules, model_id=scorer.model_id)
            report.add(complete(store, settings.rules_path, model_id=scorer.model_id))
        else:  # comments evaluated before their scores existed, and a pending version
            report = complete(store, settings.rules_path, model_id=scorer.model_id)
        if report.evaluated:
            print(f"re-flagged with rule set v{rules.version}: {report.summary()}")
    return EXIT_OK


def _cmd_reflag(args: argparse.Namespace, settings: Settings) -> int:
    with _open_store(settings) as store, _progress_bar("reflag", "comment") as progress:
        # The active model's id only: reflag reads cached scores and never runs the model.
        scorer = build_scorer(settings)
        rules = load_active_rules(store, settings.rules_path)
        if rules.error:
            print(
                f"warning: {rules.error}; rule set v{rules.version} stays active", file=sys.stderr
            )
        target: ActiveRules = rules
        if rules.pending is not None:  # a newer version waits: re-flag into it, then switch
            target = load_version(store, rules.pending, settings.rules_path)
        report = reflag(store, target, model_id=scorer.model_id, progress=progress)
    print(f"rule set v{target.version}, model {scorer.model_id}: {report.summary()}")
    for status, count in sorted(report.by_status.items()):
        print(f"  {status}: {count}")
    return EXIT_OK


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
    p.add_argument(
        "--map",
        metavar="FIELD=COLUMN,…",
        help="column mapping for CSV / JSON lines, e.g. text=body,author=user,parent=reply_to",
    )
    p.set_defaults(handler=_cmd_parse)

    p = sub.add_parser("ingest", help="parse files or folders (recursive) into the database")
    p.add_argument("paths", nargs="+", type=Path)
    p.add_argument("--no-score", action="store_true", help="store only; score later")
    p.add_argument(
        "--map",
        metavar="FIELD=COLUMN,…",
        help="column mapping for CSV / JSON lines, e.g. text=body,author=user,parent=reply_to",
    )
    p.set_defaults(handler=_cmd_ingest)

    p = sub.add_parser("score", help="score stored comments the active model has not scored")
    p.add_argument("--model", help="Detoxify variant or offline (default: settings)")
    p.add_argument("--rescore", action="store_true", help="score everything again")
    p.add_argument(
        "--ray",
        nargs="?",
        const="",
        metavar="ADDRESS",
        help="score on a Ray cluster: ADDRESS like auto or ray://head:10001; without one, a "
        "local Ray instance (needs: pip install -r requirements-ray.txt)",
    )
    p.add_argument("--workers", type=int, help="Ray actors (default: one per cluster CPU)")
    p.set_defaults(handler=_cmd_score)

    p = sub.add_parser("reflag", help="re-evaluate stored comments with the current rules")
    p.set_defaults(handler=_cmd_reflag)

    register_rules(sub)
    register_scoring(sub)
    register_queue(sub)
    register_audit(sub)
    register_model(sub)
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
            {
                "database_url": args.database_url,
                "max_file_bytes": args.max_file_bytes,
                "model": getattr(args, "model", None),
            }
        )
        return int(args.handler(args, settings))
    except ModerationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    raise SystemExit(main())
