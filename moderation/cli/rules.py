"""CLI: ``moderation rules validate [FILE]`` and ``moderation check`` (wired in cli/main.py)."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any, TextIO

from moderation.cli.shared import ExitCode, Subparsers
from moderation.errors import InvalidRequestError, ModerationError
from moderation.rules.engine import CommentContext, RuleSet, Verdict
from moderation.rules.errors import RuleValidationError
from moderation.rules.loader import load_rules
from moderation.settings import Settings

NO_MODEL = "none"


def register(subparsers: Subparsers) -> None:
    rules = subparsers.add_parser("rules", help="work with rules.yaml")
    rules_sub = rules.add_subparsers(dest="rules_command", required=True, metavar="COMMAND")
    validate = rules_sub.add_parser("validate", help="check rules.yaml and its examples")
    validate.add_argument("file", nargs="?", type=Path, help="default: the configured rules_path")
    validate.set_defaults(handler=cmd_validate)

    check = subparsers.add_parser(
        "check", help="score and flag comments from stdin (one per line), print JSON lines"
    )
    check.add_argument("--rules", type=Path, help="default: the configured rules_path")
    check.add_argument(
        "--json", action="store_true", help='input lines are JSON objects with a "text" key'
    )
    check.set_defaults(handler=cmd_check)


def _load_or_report(path: Path, out: TextIO) -> RuleSet | None:
    """The rule set at ``path``, or None after printing every problem in it to ``out``."""
    try:
        return load_rules(path)
    except RuleValidationError as exc:
        print(f"{path}: {len(exc.problems)} problem(s)", file=out)
        for problem in exc.problems:
            line = f"line {problem.line}" if problem.line else "line ?"
            rule = f" [rule {problem.rule_id}]" if problem.rule_id else ""
            print(f"  {path}:{line}{rule}: {problem.message}", file=out)
        return None


def cmd_validate(args: argparse.Namespace, settings: Settings) -> int:
    path: Path = args.file or settings.rules_path
    ruleset = _load_or_report(path, sys.stdout)
    if ruleset is None:
        return ExitCode.FAILED
    print(summary(ruleset, path))
    return ExitCode.OK


def summary(ruleset: RuleSet, path: Path) -> str:
    enabled = [r for r in ruleset.rules if r.enabled]
    by_category = Counter(r.category for r in enabled)
    examples = "all examples pass"
    lines = [
        f"{path}: valid (version {ruleset.version}, sha256 {ruleset.content_hash[:12]})",
        f"  {len(enabled)} enabled of {len(ruleset.rules)} rules; {examples}",
        "  by category: " + ", ".join(f"{c} {n}" for c, n in sorted(by_category.items())),
        "  clauses: " + ", ".join(c.id for c in ruleset.clauses),
        "  model labels used: " + (", ".join(sorted(ruleset.labels_used)) or "none"),
    ]
    lines.extend(f"  list {source}" for source in ruleset.sources)
    return "\n".join(lines)


def _read_items(stream: TextIO, as_json: bool) -> list[CommentContext]:
    items = []
    for number, raw in enumerate(stream, start=1):
        line = raw.rstrip("\n")
        if not as_json:
            items.append(CommentContext(text=line))
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InvalidRequestError(
                f"line {number}: not JSON ({exc.msg})", subject="stdin"
            ) from exc
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            raise InvalidRequestError(f'line {number}: expected an object with a "text" string')
        items.append(
            CommentContext(
                text=obj["text"],
                author=obj.get("author"),
                parent_author=obj.get("parent_author"),
                prior_rejections=int(obj.get("prior_rejections") or 0),
                human_status=obj.get("human_status"),
            )
        )
    return items


def _score(
    texts: list[str], settings: Settings
) -> tuple[list[dict[str, float]], str, tuple[str, ...]]:
    """Scores from the configured scorer; without one, rules still run (model rules undecided)."""
    try:
        from moderation.scoring import build_scorer

        scorer = build_scorer(settings)
        scores = scorer.score(texts) if texts else []
        return [dict(s) for s in scores], scorer.model_id, tuple(scorer.labels)
    except (ImportError, ModerationError) as exc:
        print(f"warning: no scorer ({exc}); model rules are undecided", file=sys.stderr)
        return [{} for _ in texts], NO_MODEL, ()


def verdict_json(item: CommentContext, verdict: Verdict, model: str) -> dict[str, Any]:
    return {
        "text": item.text,
        "flagged": verdict.flagged,
        "status": verdict.status,
        "categories": list(verdict.categories),
        "hits": [
            {
                "rule": hit.rule_id,
                "category": hit.category,
                "clause": hit.clause_id,
                "action": hit.action,
                "reason": hit.reason,
                "evidence": [
                    {"start": s.start, "end": s.end, "text": s.text} for s in hit.evidence
                ],
            }
            for hit in verdict.hits
        ],
        "scores": dict(item.scores),
        "model": model,
    }


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    path: Path = args.rules or settings.rules_path
    ruleset = _load_or_report(path, sys.stderr)
    if ruleset is None:
        return ExitCode.FAILED
    items = _read_items(sys.stdin, args.json)
    scores, model_id, labels = _score([item.text for item in items], settings)
    for rule_id, missing in ruleset.unavailable_rules(labels, model_id):
        print(
            f"warning: rule {rule_id} needs {', '.join(missing)}, which {model_id} lacks",
            file=sys.stderr,
        )
    items = [
        CommentContext(
            text=item.text,
            author=item.author,
            parent_author=item.parent_author,
            scores=score,
            prior_rejections=item.prior_rejections,
            human_status=item.human_status,
        )
        for item, score in zip(items, scores, strict=True)
    ]
    verdicts = ruleset.evaluate(items, model_id=None if model_id == NO_MODEL else model_id)
    out = sys.stdout
    for item, verdict in zip(items, verdicts, strict=True):
        out.write(json.dumps(verdict_json(item, verdict, model_id), ensure_ascii=False) + "\n")
    return ExitCode.OK
