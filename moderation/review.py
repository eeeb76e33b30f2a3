"""Moderators' work: queues, comment cards, decisions, undo, blocking, bulk actions.

Every change of a comment's status is one transaction that (1) updates the comment only if its
``version`` is the one the moderator saw, (2) appends a decision row and (3) appends an audit row.
A moderator who loses a race gets a ConflictError naming who decided first; nothing is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    exists,
    func,
    select,
    update,
)

from moderation.errors import ConflictError, ModerationError
from moderation.store import Store
from moderation.store.rulesets import read_pointer
from moderation.store.schema import (
    articles,
    audit_log,
    authors,
    comments,
    decisions,
    flags,
    policy_clauses,
    scores,
)

Queue = Literal["pending", "escalated", "approved", "rejected", "unflagged", "all"]
QUEUES: tuple[Queue, ...] = ("pending", "escalated", "approved", "rejected", "unflagged", "all")
_QUEUE_STATUS: dict[str, str] = {
    "pending": "pending",
    "escalated": "escalated",
    "approved": "approved",
    "rejected": "rejected",
    "unflagged": "unmoderated",
}
Action = Literal["approve", "reject", "escalate"]
_ACTION_STATUS: dict[str, str] = {
    "approve": "approved",
    "reject": "rejected",
    "escalate": "escalated",
}
SORTS = ("severity", "newest", "oldest", "thread")


@dataclass(frozen=True)
class InForce:
    """The rule-set and model versions a decision is taken under (recorded with it)."""

    rule_set_version: int | None = None
    model_id: str | None = None


@dataclass(frozen=True)
class QueueFilter:
    queue: Queue = "pending"
    article_id: str | None = None
    category: str | None = None
    rule_id: str | None = None
    author: str | None = None
    label: str | None = None  # score label for the range filter and score sort
    min_score: float = 0.0
    max_score: float = 1.0
    sort: str = "severity"  # one of SORTS, or "score" (by ``label``, highest first)


@dataclass(frozen=True)
class QueueItem:
    comment_id: str
    article_id: str
    article_title: str
    position: int
    number: str | None
    author: str | None
    text: str
    depth: int
    status: str
    version: int
    decided_by: str | None
    posted_at: str | None
    severity: int | None
    score: float | None


@dataclass(frozen=True)
class Hit:
    rule_id: str
    category: str
    clause_id: str
    clause_text: str | None
    action: str
    severity: int
    evidence: list[dict[str, Any]]
    scores: dict[str, float]


@dataclass(frozen=True)
class Card:
    """Everything a moderator needs to decide one comment."""

    item: QueueItem
    kind: str
    parent_author: str | None
    parent_text: str | None
    hits: list[Hit]
    scores: dict[str, float]
    model_id: str | None
    rule_set_version: int | None
    author_status: str | None
    history: list[dict[str, Any]] = field(default_factory=list)
    policy_clauses: list[tuple[str, str]] = field(default_factory=list)  # the article's policy


@dataclass(frozen=True)
class DecisionResult:
    comment_id: str
    action: str
    status: str
    version: int


@dataclass
class BulkResult:
    done: int = 0
    conflicts: list[str] = field(default_factory=list)


def latest_rule_set_version(store: Store) -> int | None:
    """The rule-set version in force: the pointer, not max(version) (a newer version is
    pending until its flags exist)."""
    with store.engine.connect() as conn:
        return read_pointer(conn).active


# -- queues ---------------------------------------------------------------------------------


# What a QueueItem is read from (see _item), shared by queue pages and comment cards.
_ITEM_COLUMNS = (
    comments.c.id,
    comments.c.article_id,
    articles.c.title,
    comments.c.position,
    comments.c.number,
    comments.c.author,
    comments.c.text,
    comments.c.depth,
    comments.c.status,
    comments.c.version,
    comments.c.decided_by,
    comments.c.posted_at,
)


def _severity(version: int | None) -> ColumnElement[Any]:
    return (
        select(func.max(flags.c.severity))
        .where(flags.c.comment_id == comments.c.id, flags.c.rule_set_version == version)
        .scalar_subquery()
    )


def _filtered(
    query: Select[Any], flt: QueueFilter, *, model_id: str | None, version: int | None
) -> Select[Any]:
    conditions: list[ColumnElement[bool]] = [comments.c.kind == "comment"]
    if flt.queue != "all":
        conditions.append(comments.c.status == _QUEUE_STATUS[flt.queue])
    if flt.article_id:
        conditions.append(comments.c.article_id == flt.article_id)
    if flt.author:
        conditions.append(comments.c.author == flt.author)
    for column, value in ((flags.c.category, flt.category), (flags.c.rule_id, flt.rule_id)):
        if value:
            conditions.append(
                exists().where(
                    flags.c.comment_id == comments.c.id,
                    flags.c.rule_set_version == version,
                    column == value,
                )
            )
    if flt.label and (flt.min_score > 0.0 or flt.max_score < 1.0):
        conditions.append(
            exists().where(
                scores.c.text_hash == comments.c.text_hash,
                scores.c.model_id == model_id,
                scores.c.label == flt.label,
                scores.c.value >= flt.min_score,
                scores.c.value <= flt.max_score,
            )
        )
    return query.where(and_(*conditions))


def queue_counts(
    store: Store, *, article_id: str | None = None, author: str | None = None
) -> dict[str, int]:
    """Comments per queue (reader comments only), one GROUP BY query."""
    query = select(comments.c.status, func.count()).where(comments.c.kind == "comment")
    if article_id:
        query = query.where(comments.c.article_id == article_id)
    if author:
        query = query.where(comments.c.author == author)
    with store.engine.connect() as conn:
        by_status: dict[str, int] = dict(conn.execute(query.group_by(comments.c.status)).all())
    counts = {queue: by_status.get(status, 0) for queue, status in _QUEUE_STATUS.items()}
    counts["all"] = sum(by_status.values())
    return counts


def queue_page(
    store: Store,
    flt: QueueFilter,
    *,
    model_id: str | None,
    rule_set_version: int | None,
    offset: int = 0,
    limit: int = 25,
) -> tuple[list[QueueItem], int]:
    """One page of a queue, filtered, sorted and paged in SQL; plus the total matching."""
    severity = _severity(rule_set_version).label("severity")
    score_col = (
        select(scores.c.value)
        .where(
            scores.c.text_hash == comments.c.text_hash,
            scores.c.model_id == model_id,
            scores.c.label == flt.label,
        )
        .scalar_subquery()
        .label("score")
        if flt.label
        else None
    )
    columns = [*_ITEM_COLUMNS, severity]
    if score_col is not None:
        columns.append(score_col)
    query = select(*columns).join(articles, articles.c.id == comments.c.article_id)
    query = _filtered(query, flt, model_id=model_id, version=rule_set_version)
    order: list[Any]
    if flt.sort == "score" and score_col is not None:
        order = [score_col.desc().nulls_last(), comments.c.id]
    elif flt.sort == "newest":
        order = [comments.c.posted_at.desc().nulls_last(), comments.c.created_at.desc()]
    elif flt.sort == "oldest":
        order = [comments.c.posted_at.asc().nulls_last(), comments.c.created_at.asc()]
    elif flt.sort == "thread":
        order = [articles.c.title, comments.c.position]
    else:
        order = [severity.desc().nulls_last(), articles.c.title, comments.c.position]
    total_query = _filtered(
        select(func.count()).select_from(comments), flt, model_id=model_id, version=rule_set_version
    )
    with store.engine.connect() as conn:
        total = conn.execute(total_query).scalar_one()
        rows = conn.execute(query.order_by(*order).offset(offset).limit(limit)).all()
    return [_item(row) for row in rows], total


def _item(row: Any) -> QueueItem:
    return QueueItem(
        comment_id=row.id,
        article_id=row.article_id,
        article_title=row.title,
        position=row.position,
        number=row.number,
        author=row.author,
        text=row.text,
        depth=row.depth,
        status=row.status,
        version=row.version,
        decided_by=row.decided_by,
        posted_at=row.posted_at,
        severity=row.severity,
        score=getattr(row, "score", None),
    )


def queue_scores(
    store: Store,
    flt: QueueFilter,
    *,
    label: str,
    model_id: str | None,
    rule_set_version: int | None,
) -> list[tuple[str, int, float]]:
    """(comment id, version, score) of every comment in the filtered queue, for the histogram
    and bulk actions by score band."""
    query = select(comments.c.id, comments.c.version, scores.c.value).join(
        scores,
        and_(
            scores.c.text_hash == comments.c.text_hash,
            scores.c.model_id == model_id,
            scores.c.label == label,
        ),
    )
    query = _filtered(query, flt, model_id=model_id, version=rule_set_version)
    with store.engine.connect() as conn:
        return [(r.id, r.version, float(r.value)) for r in conn.execute(query)]


def filter_options(store: Store, *, rule_set_version: int | None) -> dict[str, list[Any]]:
    """Choices for the queue filters: articles (id, title), categories and rules in force."""
    with store.engine.connect() as conn:
        return {
            "articles": [
                (r.id, r.title)
                for r in conn.execute(
                    select(articles.c.id, articles.c.title).order_by(articles.c.title)
                )
            ],
            "categories": list(
                conn.execute(
                    select(flags.c.category)
                    .where(flags.c.rule_set_version == rule_set_version)
                    .distinct()
                    .order_by(flags.c.category)
                ).scalars()
            ),
            "rules": list(
                conn.execute(
                    select(flags.c.rule_id)
                    .where(flags.c.rule_set_version == rule_set_version)
                    .distinct()
                    .order_by(flags.c.rule_id)
                ).scalars()
            ),
        }


# -- one comment ----------------------------------------------------------------------------


def comment_card(
    store: Store, comment_id: str, *, model_id: str | None, rule_set_version: int | None
) -> Card | None:
    parent = comments.alias("parent")
    with store.engine.connect() as conn:
        row = conn.execute(
            select(
                *_ITEM_COLUMNS,
                comments.c.kind,
                comments.c.text_hash,
                _severity(rule_set_version).label("severity"),
                parent.c.author.label("parent_author"),
                parent.c.text.label("parent_text"),
                authors.c.status.label("author_status"),
            )
            .join(articles, articles.c.id == comments.c.article_id)
            .join(parent, parent.c.id == comments.c.parent_id, isouter=True)
            .join(authors, authors.c.id == comments.c.author_id, isouter=True)
            .where(comments.c.id == comment_id)
        ).first()
        if row is None:
            return None
        article_clauses = [
            (r.clause_id, r.text)
            for r in conn.execute(
                select(policy_clauses.c.clause_id, policy_clauses.c.text)
                .where(policy_clauses.c.article_id == row.article_id)
                .order_by(policy_clauses.c.position)
            )
        ]
        clause_text = dict(article_clauses)
        hits = [
            Hit(
                rule_id=f.rule_id,
                category=f.category,
                clause_id=f.clause_id,
                clause_text=clause_text.get(f.clause_id),
                action=f.action,
                severity=f.severity,
                evidence=list(f.evidence or []),
                scores=dict(f.scores or {}),
            )
            for f in conn.execute(
                select(flags)
                .where(
                    flags.c.comment_id == comment_id, flags.c.rule_set_version == rule_set_version
                )
                .order_by(flags.c.severity.desc(), flags.c.rule_id)
            )
        ]
        label_scores = dict(
            conn.execute(
                select(scores.c.label, scores.c.value).where(
                    scores.c.text_hash == row.text_hash, scores.c.model_id == model_id
                )
            ).all()
        )
        history = [
            dict(r)
            for r in conn.execute(
                select(
                    decisions.c.created_at,
                    decisions.c.moderator,
                    decisions.c.action,
                    decisions.c.clause_id,
                    decisions.c.note,
                    decisions.c.undone_at,
                )
                .where(decisions.c.comment_id == comment_id)
                .order_by(decisions.c.id)
            ).mappings()
        ]
    return Card(
        item=_item(row),
        kind=row.kind,
        parent_author=row.parent_author,
        parent_text=row.parent_text,
        hits=hits,
        scores=label_scores,
        model_id=model_id,
        rule_set_version=rule_set_version,
        author_status=row.author_status,
        history=history,
        policy_clauses=article_clauses,
    )


# -- decisions ------------------------------------------------------------------------------


def _audit(
    conn: Connection,
    *,
    actor: str,
    action: str,
    target_type: str,
    target_id: str,
    details: dict[str, Any],
    in_force: InForce,
    now: datetime,
) -> None:
    conn.execute(
        audit_log.insert().values(
            at=now,
            actor=actor,
            action=action,
            target_type=target_type,
            target_id=target_id,
            details=details,
            rule_set_version=in_force.rule_set_version,
            model_id=in_force.model_id,
        )
    )


def _decide(
    conn: Connection,
    comment_id: str,
    action: Action,
    *,
    moderator: str,
    expected_version: int,
    clause_id: str | None,
    note: str | None,
    in_force: InForce,
    now: datetime,
) -> DecisionResult:
    if action not in _ACTION_STATUS:
        raise ModerationError(f"unknown action {action!r}", subject=comment_id)
    if action == "reject" and not clause_id:
        raise ModerationError("a rejection needs a reason (a policy clause)", subject=comment_id)
    current = conn.execute(
        select(comments.c.status, comments.c.decided_by, comments.c.version).where(
            comments.c.id == comment_id
        )
    ).first()
    if current is None:
        raise ModerationError("no such comment", subject=comment_id)
    status = _ACTION_STATUS[action]
    changed = conn.execute(
        update(comments)
        .where(comments.c.id == comment_id, comments.c.version == expected_version)
        .values(status=status, decided_by=moderator, decided_at=now, version=comments.c.version + 1)
    ).rowcount
    if changed != 1:
        latest = conn.execute(
            select(comments.c.status, comments.c.decided_by).where(comments.c.id == comment_id)
        ).first()
        who = latest.decided_by if latest and latest.decided_by else "the rules"
        state = latest.status if latest else "changed"
        raise ConflictError(f"already {state} by {who}; reload before deciding", subject=comment_id)
    conn.execute(
        decisions.insert().values(
            comment_id=comment_id,
            action=action,
            clause_id=clause_id,
            note=note,
            moderator=moderator,
            previous_status=current.status,
            previous_decided_by=current.decided_by,
            resulting_version=expected_version + 1,
            rule_set_version=in_force.rule_set_version,
            model_id=in_force.model_id,
            created_at=now,
        )
    )
    _audit(
        conn,
        actor=moderator,
        action=action,
        target_type="comment",
        target_id=comment_id,
        details={"from": current.status, "to": status, "clause": clause_id, "note": note},
        in_force=in_force,
        now=now,
    )
    return DecisionResult(comment_id, action, status, expected_version + 1)


def decide(
    store: Store,
    comment_id: str,
    action: Action,
    *,
    moderator: str,
    expected_version: int,
    clause_id: str | None = None,
    note: str | None = None,
    in_force: InForce = InForce(),
) -> DecisionResult:
    with store.transaction() as conn:
        return _decide(
            conn,
            comment_id,
            action,
            moderator=moderator,
            expected_version=expected_version,
            clause_id=clause_id,
            note=note,
            in_force=in_force,
            now=datetime.now(UTC),
        )


def decide_many(
    store: Store,
    targets: Sequence[tuple[str, int]],
    action: Action,
    *,
    moderator: str,
    clause_id: str | None = None,
    note: str | None = None,
    in_force: InForce = InForce(),
) -> BulkResult:
    """Bulk action over (comment id, version seen) pairs, in one transaction; comments another
    moderator changed meanwhile are skipped and listed, not overwritten."""
    result = BulkResult()
    now = datetime.now(UTC)
    with store.transaction() as conn:
        for comment_id, version in targets:
            try:
                with conn.begin_nested():
                    _decide(
                        conn,
                        comment_id,
                        action,
                        moderator=moderator,
                        expected_version=version,
                        clause_id=clause_id,
                        note=note,
                        in_force=in_force,
                        now=now,
                    )
            except ConflictError:
                result.conflicts.append(comment_id)
            else:
                result.done += 1
    return result


def undo_last(store: Store, *, moderator: str, in_force: InForce = InForce()) -> DecisionResult:
    """Revert ``moderator``'s most recent decision that has not been undone, if nobody has
    changed the comment since."""
    now = datetime.now(UTC)
    with store.transaction() as conn:
        last = conn.execute(
            select(decisions)
            .where(
                decisions.c.moderator == moderator,
                decisions.c.undone_at.is_(None),
                decisions.c.action != "undo",
            )
            .order_by(decisions.c.id.desc())
            .limit(1)
        ).first()
        if last is None:
            raise ModerationError("nothing to undo", subject=moderator)
        changed = conn.execute(
            update(comments)
            .where(comments.c.id == last.comment_id, comments.c.version == last.resulting_version)
            .values(
                status=last.previous_status,
                decided_by=last.previous_decided_by,
                decided_at=now,
                version=comments.c.version + 1,
            )
        ).rowcount
        if changed != 1:
            raise ConflictError(
                "the comment changed after your decision; undo is no longer possible",
                subject=last.comment_id,
            )
        conn.execute(update(decisions).where(decisions.c.id == last.id).values(undone_at=now))
        _audit(
            conn,
            actor=moderator,
            action="undo",
            target_type="comment",
            target_id=last.comment_id,
            details={"undid": last.action, "decision_id": last.id, "to": last.previous_status},
            in_force=in_force,
            now=now,
        )
        return DecisionResult(
            last.comment_id, "undo", last.previous_status, last.resulting_version + 1
        )


def set_author_status(
    store: Store,
    author: str,
    status: Literal["active", "blocked"],
    *,
    moderator: str,
    clause_id: str | None = "may-block-violators",
    note: str | None = None,
    in_force: InForce = InForce(),
) -> None:
    """Block (or unblock) an author; blocking cites the policy clause that allows it."""
    now = datetime.now(UTC)
    with store.transaction() as conn:
        changed = conn.execute(
            update(authors).where(authors.c.name == author).values(status=status)
        ).rowcount
        if changed != 1:
            raise ModerationError("no such author", subject=author)
        _audit(
            conn,
            actor=moderator,
            action="block" if status == "blocked" else "unblock",
            target_type="author",
            target_id=author,
            details={"clause": clause_id, "note": note},
            in_force=in_force,
            now=now,
        )


# -- audit ----------------------------------------------------------------------------------


def audit_entries(
    store: Store,
    *,
    actor: str | None = None,
    action: str | None = None,
    target_type: str | None = None,
    since: datetime | None = None,
    limit: int = 500,
) -> list[dict[str, Any]]:
    query = select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
    if actor:
        query = query.where(audit_log.c.actor == actor)
    if action:
        query = query.where(audit_log.c.action == action)
    if target_type:
        query = query.where(audit_log.c.target_type == target_type)
    if since:
        query = query.where(audit_log.c.at >= since)
    with store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]


def record_event(
    store: Store,
    *,
    actor: str,
    action: str,
    target_type: str,
    target_id: str,
    details: dict[str, Any],
    in_force: InForce = InForce(),
) -> None:
    """Append an audit row for a change that is not a comment decision (rules, imports)."""
    with store.transaction() as conn:
        _audit(
            conn,
            actor=actor,
            action=action,
            target_type=target_type,
            target_id=target_id,
            details=details,
            in_force=in_force,
            now=datetime.now(UTC),
        )
