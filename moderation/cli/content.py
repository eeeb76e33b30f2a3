"""CLI: ``moderation parse FILE…`` (print what the parsers find) and ``moderation ingest PATH…``
(parse into the database, score and flag; with ``--enqueue``, queue that as a background job
for ``moderation worker`` instead)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from moderation.cli.shared import (
    ExitCode,
    Subparsers,
    add_column_map,
    open_store,
    parse_options,
    progress_bar,
    warn_if_rules_invalid,
)
from moderation.errors import ModerationError
from moderation.parsing.worker import ParseBudget, ParseWorker
from moderation.pipeline import jobs
from moderation.pipeline.bulk import ingest_bulk
from moderation.pipeline.import_jobs import ImportOptions
from moderation.pipeline.ingest import discover, ingest
from moderation.pipeline.reflag import apply_pending
from moderation.pipeline.uploads import import_parser, parse_for_import
from moderation.pipeline.versions import load_active_rules
from moderation.records import Article
from moderation.scoring import build_scorer
from moderation.settings import Settings


def register(subparsers: Subparsers) -> None:
    p = subparsers.add_parser("parse", help="parse article files and print what was found")
    p.add_argument("files", nargs="+", type=Path)
    p.add_argument("--json", action="store_true", help="print a JSON array, one object per article")
    add_column_map(p)
    p.set_defaults(handler=cmd_parse)

    p = subparsers.add_parser("ingest", help="parse files or folders (recursive) into the database")
    p.add_argument("paths", nargs="+", type=Path)
    p.add_argument("--no-score", action="store_true", help="store only; score later")
    p.add_argument(
        "--bulk",
        action="store_true",
        help="large exports: many articles per transaction, no scoring (run `score` later)",
    )
    p.add_argument(
        "--enqueue",
        action="store_true",
        help="queue the import as a background job (run by `moderation worker`) and exit",
    )
    add_column_map(p)
    p.set_defaults(handler=cmd_ingest)


def cmd_parse(args: argparse.Namespace, settings: Settings) -> int:
    parsed: list[Article] = []
    failed = 0
    options = parse_options(args)
    # Each file is parsed in a worker process under the time and memory budget; whatever goes
    # wrong with one file is one "error:" line, and the batch goes on.
    with ParseWorker(ParseBudget.from_settings(settings)) as worker:
        for path in args.files:
            try:
                articles = parse_for_import(
                    path, worker=worker, max_bytes=settings.max_file_bytes, options=options
                ).articles
                parsed.extend(articles)
            except ModerationError as exc:
                failed += 1
                print(f"error: {exc}", file=sys.stderr)
    if args.json:
        json.dump([a.to_json() for a in parsed], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for article in parsed:
            _print_article(article)
    return ExitCode.FAILED if failed else ExitCode.OK


def _print_article(article: Article) -> None:
    readers = len(article.reader_comments)
    pings = len(article.comments) - readers
    clauses = len(article.policy.clauses) if article.policy else 0
    found_by = f", found by {article.extraction}" if article.extraction else ""
    print(
        f"{article.source}: {article.title!r} — {readers} comments, "
        f"{pings} pingbacks, policy clauses: {clauses}{found_by}"
    )
    for warning in article.warnings:
        print(f"  warning: {warning}")


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    if args.enqueue:
        return cmd_enqueue(args, settings)
    with (
        open_store(settings) as store,
        progress_bar("ingest", "file") as files,
        progress_bar("score", "text") as texts,
        ParseWorker(ParseBudget.from_settings(settings)) as worker,
    ):
        # A bulk load never scores: the model is what would bound its speed.
        scorer = None if args.no_score or args.bulk else build_scorer(settings)
        rules = load_active_rules(store, settings.rules_path)
        warn_if_rules_invalid(rules)
        if args.bulk:
            report = ingest_bulk(
                args.paths,
                store,
                max_bytes=settings.max_file_bytes,
                options=parse_options(args),
                progress=lambda done, total, _path: files(done, total),
                rules=rules,
                parse_path=import_parser(worker),
            )
        else:
            report = ingest(
                args.paths,
                store,
                max_bytes=settings.max_file_bytes,
                options=parse_options(args),
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
    return ExitCode.OK if report.ok else ExitCode.FAILED


def cmd_enqueue(args: argparse.Namespace, settings: Settings) -> int:
    """Queue one import job for every file found (folders walked as ingest does); nothing is
    queued when a path is missing, so the job is the import that was asked for."""
    files, missing = discover(args.paths)
    for source, reason in missing:
        print(f"error: {source}: {reason}", file=sys.stderr)
    if missing or not files:
        if not missing:
            print("error: no files to import", file=sys.stderr)
        return ExitCode.FAILED
    options = ImportOptions(
        rules_path=settings.rules_path,
        column_map=parse_options(args).column_map,
        bulk=args.bulk,
        score=not args.no_score,
        learned_model=settings.learned_model,
        max_bytes=settings.max_file_bytes,
        budget=ParseBudget.from_settings(settings),
    )
    with open_store(settings) as store:
        # This process only queues: a `moderation worker` runs the job.
        job = jobs.import_job(store, files, options, jobs=jobs.JobRunner(external=True))
    print(f"job {job.id} {job.state}: {job.name} ({len(files)} files)")
    return ExitCode.OK
