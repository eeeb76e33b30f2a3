"""CLI: ``moderation model info | train | learn | learned | evaluate-learned``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from moderation.cli.shared import ExitCode, Subparsers, open_store
from moderation.errors import ConfigError
from moderation.settings import Settings

T = TypeVar("T")


def register(subparsers: Subparsers) -> None:
    model = subparsers.add_parser(
        "model", help="the bundled offline model and the site's model learned from decisions"
    )
    sub = model.add_subparsers(dest="model_command", required=True, metavar="COMMAND")

    p = sub.add_parser("info", help="the active scoring model, its labels and its model card")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_cmd_info)

    p = sub.add_parser("train", help="retrain the offline model's heads on labeled data")
    p.add_argument("--data", type=Path, required=True, help="folder with the labeled CSV files")
    p.add_argument(
        "--out",
        type=Path,
        help="where to write the heads and card (default: the package's models folder)",
    )
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--folds", type=int, default=5)
    p.add_argument("--limit", type=int, help="first N rows of each set (quick runs)")
    p.add_argument(
        "--datasets", default="jigsaw,davidson", help="comma-separated: jigsaw, davidson"
    )
    p.set_defaults(handler=_cmd_train)

    p = sub.add_parser(
        "learn", help="train the site's model on its moderators' decisions (a new version)"
    )
    p.add_argument("--actor", default="cli", help="who trains it (recorded in the audit log)")
    p.set_defaults(handler=_cmd_learn)

    p = sub.add_parser("learned", help="list the site's learned model versions")
    p.set_defaults(handler=_cmd_learned)

    p = sub.add_parser(
        "evaluate-learned",
        help="replay decisions in time order: train on the past, predict the next N",
    )
    p.add_argument("--window", type=int, default=100, help="decisions predicted per step")
    p.add_argument("--start", type=int, default=200, help="decisions before the first step")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_cmd_evaluate_learned)


def _offline_scorer(settings: Settings) -> Any:
    from moderation.scoring.fallback import build_offline

    return build_offline(settings)


def _cmd_info(args: argparse.Namespace, settings: Settings) -> int:
    from moderation.scoring import active_model, build_scorer
    from moderation.scoring.offline import model_card

    scorer = build_scorer(settings)
    active = active_model()
    card = model_card()
    labels, lacks = list(scorer.labels), list(active.lacks) if active else []
    reason = active.reason if active else None
    info = {
        "model_id": scorer.model_id,
        "backend": scorer.backend,
        "labels": labels,
        "lacks": lacks,
        "reason": reason,
        "offline_card": card,
    }
    if args.json:
        print(json.dumps(info, indent=2, ensure_ascii=False))
        return ExitCode.OK
    print(f"active model: {scorer.model_id} ({scorer.backend})")
    print(f"labels: {', '.join(labels)}")
    if lacks:
        print(f"lacks: {', '.join(lacks)}")
    if reason:
        print(f"why: {reason}")
    if card:
        print(f"offline model card: {card.get('model_id')} trained {card.get('trained_at')}")
        for label, entry in card.get("metrics", {}).get("test", {}).items():
            whole = entry.get("all", {})
            print(
                f"  {label}: test AUC {whole.get('auc')}, ECE {whole.get('ece')}, "
                f"{whole.get('positives')}/{whole.get('rows')} positives"
            )
    return ExitCode.OK


def _cmd_train(args: argparse.Namespace, settings: Settings) -> int:
    from moderation.scoring.training import MODELS_DIR, TrainConfig, train

    datasets = tuple(d.strip() for d in args.datasets.split(",") if d.strip())
    config = TrainConfig(seed=args.seed, folds=args.folds, limit=args.limit, datasets=datasets)
    if config.folds < 2:
        raise ConfigError("--folds must be at least 2")
    result = train(
        args.data,
        args.out or MODELS_DIR,
        config=config,
        report=lambda m: print(m, file=sys.stderr),
    )
    print(f"{result.model_id}: {result.heads_path}, card {result.card_path}")
    for label, entry in result.card["metrics"]["test"].items():
        whole = entry.get("all", {})
        print(f"  {label}: test AUC {whole.get('auc')} ECE {whole.get('ece')}")
    return ExitCode.OK


def _on_decisions(settings: Settings, run: Callable[..., T], **options: Any) -> T:
    """``run`` (learn or replay) over the stored decisions, with the rule set in force and the
    offline model as the base the learned heads sit on."""
    from moderation.pipeline.versions import load_active_rules

    with open_store(settings) as store:
        rules = load_active_rules(store, settings.rules_path)
        return run(
            store,
            rules=rules.ruleset,
            rule_set_version=rules.version,
            scorer=_offline_scorer(settings),
            **options,
        )


def _cmd_learn(args: argparse.Namespace, settings: Settings) -> int:
    from moderation.scoring.learned import learn

    result = _on_decisions(settings, learn, actor=args.actor, enabled=settings.learned_model)
    print(result.summary())
    return ExitCode.OK


def _cmd_learned(args: argparse.Namespace, settings: Settings) -> int:
    from moderation.store.learned import list_models

    with open_store(settings) as store, store.engine.connect() as conn:
        rows = list_models(conn)
    if not rows:
        print("no learned model yet (moderation model learn)")
    for row in rows:
        print(
            f"v{row.version} {row.created_at:%Y-%m-%d %H:%M} by {row.created_by}: "
            f"{row.decisions} decisions ({row.rejections} rejections), base {row.base_model_id}, "
            f"heads {', '.join(row.metrics.get('heads', {}))}"
        )
    return ExitCode.OK


def _cmd_evaluate_learned(args: argparse.Namespace, settings: Settings) -> int:
    from moderation.scoring.learned_eval import replay

    report = _on_decisions(settings, replay, start=args.start, window=args.window)
    if args.json:
        print(json.dumps(report.as_dict(), indent=2))
    else:
        print(report.summary())
    return ExitCode.OK
