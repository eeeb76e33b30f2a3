"""CLI: ``moderation queue [pending|escalated|approved|rejected|unflagged|all] [--json]``: the
queue as the dashboard shows it (same filters, same order, same position numbering)."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from dataclasses import dataclass

from moderation import review
from moderation.cli.shared import ExitCode, Subparsers, open_store
from moderation.records import AuthorStatus, Queue, Status
from moderation.settings import Settings
from moderation.store import Store
from moderation.store.rulesets import active_version


@dataclass(frozen=True)
class QueueRow:
    """One listed comment; ``--json`` prints these fields as the keys of each object."""

    comment_id: str
    status: Status
    article_id: str
    article: str
    position: int
    author: str | None
    author_status: AuthorStatus | None
    categories: list[str]
    rule_ids: list[str]
    severity: int | None
    decided_by: str | None
    text: str


def register(subparsers: Subparsers) -> None:
    queue = subparsers.add_parser("queue", help="list the comments of a moderation queue")
    queue.add_argument("name", nargs="?", default=Queue.PENDING, choices=list(Queue))
    queue.add_argument("--json", action="store_true", help="print a JSON array of comments")
    queue.add_argument("--article", help="only this article (its id)")
    queue.add_argument("--author", help="only this author (exact name)")
    queue.add_argument("--category", help="only comments with a flag of this category")
    queue.add_argument("--rule", dest="rule_id", help="only comments flagged by this rule")
    queue.add_argument("--sort", choices=review.SORTS, default="severity")
    queue.add_argument("--limit", type=int, default=100, help="at most this many (0: all)")
    queue.add_argument("--offset", type=int, default=0, help="skip this many first")
    queue.set_defaults(handler=cmd_queue)


def rows(store: Store, args: argparse.Namespace) -> tuple[list[QueueRow], int]:
    version = active_version(store)
    flt = review.QueueFilter(
        queue=args.name,
        article_id=args.article,
        author=args.author,
        category=args.category,
        rule_id=args.rule_id,
        sort=args.sort,
    )
    limit = args.limit if args.limit > 0 else None
    items, total = review.queue_page(
        store,
        flt,
        model_id=None,
        rule_set_version=version,
        offset=max(0, args.offset),
        limit=limit,
    )
    flagged = review.item_flags(store, [i.comment_id for i in items], rule_set_version=version)
    listed = []
    for item in items:
        categories, rule_ids = flagged.get(item.comment_id, ([], []))
        listed.append(
            QueueRow(
                comment_id=item.comment_id,
                status=Status(item.status),
                article_id=item.article_id,
                article=item.article_title,
                position=item.thread_position,
                author=item.author,
                author_status=AuthorStatus(item.author_status) if item.author_status else None,
                categories=categories,
                rule_ids=rule_ids,
                severity=item.severity,
                decided_by=item.decided_by,
                text=item.text,
            )
        )
    return listed, total


def cmd_queue(args: argparse.Namespace, settings: Settings) -> int:
    with open_store(settings) as store:
        listed, total = rows(store, args)
    if args.json:
        json.dump([dataclasses.asdict(r) for r in listed], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return ExitCode.OK
    for row in listed:
        # repr() of reader text: a name or title cannot move the cursor or fake a line.
        print(
            f"{row.comment_id}  {row.status:<11}  #{row.position:<4} "
            f"{row.article!r}  by {row.author!r}"
            f"  severity {row.severity if row.severity is not None else '-'}"
            f"  {','.join(row.categories) or '-'}  {','.join(row.rule_ids) or '-'}"
        )
    shown = f"{args.offset + 1}–{args.offset + len(listed)} of " if len(listed) < total else ""
    noun = "comment" if total == 1 else "comments"
    print(f"{args.name}: {shown}{total} {noun}", file=sys.stdout)
    return ExitCode.OK
