"""CLI: ``moderation score [--rescore] [--ray [ADDRESS]]`` and ``moderation reflag``: what is
stored per comment, recomputed: the model's scores, and the flags the rules derive from them."""

from __future__ import annotations

import argparse
import time

from moderation.cli.shared import (
    ExitCode,
    Subparsers,
    open_store,
    progress_bar,
    warn_if_rules_invalid,
)
from moderation.pipeline.ingest import score_missing
from moderation.pipeline.reflag import complete, reflag
from moderation.pipeline.versions import ActiveRules, load_active_rules, load_version
from moderation.scoring import Scorer, build_scorer
from moderation.settings import Settings
from moderation.store import Store
from moderation.store.scores import delete_model_scores


def register(subparsers: Subparsers) -> None:
    p = subparsers.add_parser("score", help="score stored comments the active model has not scored")
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
    p.set_defaults(handler=cmd_score)

    p = subparsers.add_parser("reflag", help="re-evaluate stored comments with the current rules")
    p.set_defaults(handler=cmd_reflag)


def cmd_score(args: argparse.Namespace, settings: Settings) -> int:
    if args.ray is not None:
        from moderation.scoring.ray_backfill import require_ray

        require_ray()  # before loading a model: a missing extra fails in one line, at once
    with open_store(settings) as store:
        scorer = build_scorer(settings)
        if args.rescore:
            with store.transaction() as conn:
                delete_model_scores(conn, scorer.model_id)
        started = time.perf_counter()
        scored = _score(args, store, settings, scorer)
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
    return ExitCode.OK


def _score(args: argparse.Namespace, store: Store, settings: Settings, scorer: Scorer) -> int:
    """How many texts were scored: here, or on Ray with ``--ray``."""
    with progress_bar("score", "text") as progress:
        if args.ray is None:
            return score_missing(store, scorer, progress=progress)
        from moderation.scoring.ray_backfill import score_missing_on_ray

        return score_missing_on_ray(
            store,
            settings,
            scorer.model_id,
            address=args.ray or None,
            workers=args.workers,
            progress=progress,
        ).scored


def cmd_reflag(args: argparse.Namespace, settings: Settings) -> int:
    with open_store(settings) as store, progress_bar("reflag", "comment") as progress:
        # The active model's id only: reflag reads cached scores and never runs the model.
        scorer = build_scorer(settings)
        rules = load_active_rules(store, settings.rules_path)
        warn_if_rules_invalid(rules)
        target: ActiveRules = rules
        if rules.pending is not None:  # a newer version waits: re-flag into it, then switch
            target = load_version(store, rules.pending, settings.rules_path)
        report = reflag(store, target, model_id=scorer.model_id, progress=progress)
    print(f"rule set v{target.version}, model {scorer.model_id}: {report.summary()}")
    for status, count in sorted(report.by_status.items()):
        print(f"  {status}: {count}")
    return ExitCode.OK
