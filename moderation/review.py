"""Moderators' work: queues, comment cards, decisions, undo, blocking, bulk actions.

Every change of a comment's status is one transaction that (1) updates the comment only if its
``version`` is the one the moderator saw, (2) appends a decision row and (3) appends an audit row.
A moderator who loses a race gets a ConflictError naming who decided first; nothing is written.
Every moderator action (a decision, a bulk decision, a block, an unblock, an undo) is also one
``moderator_actions`` row: "Undo my last" follows that order, whatever the action's kind.

Positions: a comment's number is its 1-based position among its thread's entries in thread order,
pingbacks included (``thread_position``), the same on the card, the Threads and Authors pages,
in the audit log and on the command line.
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
from moderation.reasons import Reason, reject_reasons, suggested_reason
from moderation.records import (
    ACTION_STATUS,
    BLOCK_CLAUSE,
    QUEUE_STATUS,
    Action,
    AuthorStatus,
    Queue,
    Status,
)
from moderation.store import Store, audit
from moderation.store import learned as learned_store
from moderation.store.authors import effective_status
from moderation.store.rulesets import read_pointer
from moderation.store.schema import (
    articles,
    audit_log,
    author_changes,
    authors,
    comments,
    decisions,
    flags,
    moderator_actions,
    policy_clauses,
    scores,
)

__all__ = [
    "LEARNED_SORT",
    "QUEUES",
    "BlockResult",
    "BulkResult",
    "Card",
    "DecisionResult",
    "Hit",
    "InForce",
    "LastAction",
    "QueueFilter",
    "QueueItem",
    "Reason",
    "UndoResult",
    "audit_entries",
    "block_author",
    "comment_card",
    "decide",
    "decide_many",
    "filter_options",
    "item_flags",
    "last_action",
    "latest_rule_set_version",
    "pending_of_author",
    "queue_counts",
    "queue_page",
    "queue_scores",
    "record_event",
    "reject_reasons",
    "set_author_status",
    "suggested_reason",
    "thread_position",
    "unblock_author",
    "undo_last",
]

QueueName = Literal["pending", "escalated", "approved", "rejected", "unflagged", "all"]
QUEUES: tuple[QueueName, ...] = tuple(q.value for q in Queue)  # type: ignore[assignment]
SORTS = ("severity", "newest", "oldest", "thread")
# By the site's learned model: most likely to be rejected first (needs a learned version).
LEARNED_SORT = "learned"


@dataclass(frozen=True)
class InForce:
    """The rule-set and model versions a decision is taken under (recorded with it)."""

    rule_set_version: int | None = None
    model_id: str | None = None


@dataclass(frozen=True)
class QueueFilter:
    queue: QueueName = "pending"
    article_id: str | None = None
    category: str | None = None
    rule_id: str | None = None
    author: str | None = None
    label: str | None = None  # score label for the range filter and score sort
    min_score: float = 0.0
    max_score: float = 1.0
    # One of SORTS, "score" (by ``label``, highest first) or LEARNED_SORT (by the predictions of
    # the learned version ``queue_page`` is given; severity without one).
    sort: str = "severity"


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
    kind: str = "comment"
    reject_probability: float | None = None  # the learned version's, on the learned sort
    parent_id: str | None = None
    platform_status: str | None = None  # the status on the site it was imported from
    author_status: str | None = None  # AuthorStatus now (an expired suspension reads active)
    author_until: datetime | None = None  # end of a suspension

    @property
    def thread_position(self) -> int:
        return thread_position(self.position)

    @property
    def author_restricted(self) -> bool:
        return self.author_status in (AuthorStatus.BLOCKED, AuthorStatus.SUSPENDED)


def thread_position(position: int) -> int:
    """The number moderators see for a comment: its 1-based position among the thread's entries
    in thread order, pingbacks included (stored positions are 0-based)."""
    return position + 1


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
    thread_entries: int = 0  # entries in the thread, pingbacks included (positions count them)
    author_until: datetime | None = None


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


# What a QueueItem is read from (see _item), shared by queue pages and comment cards; queries
# using it join articles, and authors (outer) on comments.author_id.
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
    comments.c.kind,
    comments.c.parent_id,
    comments.c.platform_status,
    authors.c.status.label("author_status"),
    authors.c.suspended_until.label("author_until"),
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
        conditions.append(comments.c.status == QUEUE_STATUS[Queue(flt.queue)])
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
    counts = {str(queue): by_status.get(status, 0) for queue, status in QUEUE_STATUS.items()}
    counts["all"] = sum(by_status.values())
    return counts


def queue_page(
    store: Store,
    flt: QueueFilter,
    *,
    model_id: str | None,
    rule_set_version: int | None,
    offset: int = 0,
    limit: int | None = 25,
    learned_version: int | None = None,
) -> tuple[list[QueueItem], int]:
    """One page of a queue, filtered, sorted and paged in SQL; plus the total matching.

    ``learned_version``: the learned model whose stored predictions the learned sort reads
    (comments without one follow, in severity order); it only reads them."""
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
    learned_col = (
        learned_store.probability_column(learned_version, comments.c.id).label("reject_probability")
        if flt.sort == LEARNED_SORT and learned_version is not None
        else None
    )
    columns = [*_ITEM_COLUMNS, severity]
    if score_col is not None:
        columns.append(score_col)
    if learned_col is not None:
        columns.append(learned_col)
    query = (
        select(*columns)
        .join(articles, articles.c.id == comments.c.article_id)
        .join(authors, authors.c.id == comments.c.author_id, isouter=True)
    )
    query = _filtered(query, flt, model_id=model_id, version=rule_set_version)
    order: list[Any]
    if flt.sort == "score" and score_col is not None:
        order = [score_col.desc().nulls_last(), comments.c.id]
    elif learned_col is not None:
        order = [
            learned_col.desc().nulls_last(),
            severity.desc().nulls_last(),
            articles.c.title,
            comments.c.position,
        ]
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


def _item(row: Any, now: datetime | None = None) -> QueueItem:
    until = row.author_until
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
        reject_probability=getattr(row, "reject_probability", None),
        kind=row.kind,
        parent_id=row.parent_id,
        platform_status=row.platform_status,
        author_status=effective_status(row.author_status, until, now or datetime.now(UTC)),
        author_until=until.replace(tzinfo=UTC) if until and until.tzinfo is None else until,
    )


def item_flags(
    store: Store, comment_ids: Sequence[str], *, rule_set_version: int | None
) -> dict[str, tuple[list[str], list[str]]]:
    """comment id -> (categories, rule ids) of its flags under ``rule_set_version``."""
    found: dict[str, tuple[list[str], list[str]]] = {}
    ids = list(dict.fromkeys(comment_ids))
    with store.engine.connect() as conn:
        for start in range(0, len(ids), 500):
            rows = conn.execute(
                select(flags.c.comment_id, flags.c.category, flags.c.rule_id)
                .where(
                    flags.c.comment_id.in_(ids[start : start + 500]),
                    flags.c.rule_set_version == rule_set_version,
                )
                .order_by(flags.c.comment_id, flags.c.severity.desc(), flags.c.rule_id)
            )
            for comment_id, category, rule_id in rows:
                categories, rules = found.setdefault(comment_id, ([], []))
                if category not in categories:
                    categories.append(category)
                rules.append(rule_id)
    return found


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
                comments.c.text_hash,
                _severity(rule_set_version).label("severity"),
                parent.c.author.label("parent_author"),
                parent.c.text.label("parent_text"),
                select(func.count())
                .where(comments.alias("entry").c.article_id == comments.c.article_id)
                .scalar_subquery()
                .label("thread_entries"),
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
    item = _item(row)
    return Card(
        item=item,
        kind=row.kind,
        parent_author=row.parent_author,
        parent_text=row.parent_text,
        hits=hits,
        scores=label_scores,
        model_id=model_id,
        rule_set_version=rule_set_version,
        author_status=item.author_status,
        history=history,
        policy_clauses=article_clauses,
        thread_entries=int(row.thread_entries),
        author_until=item.author_until,
    )


# -- decisions ------------------------------------------------------------------------------
# Every write below runs through Store.write (retried when the database was locked, never on a
# conflict) and takes the audit chain's lock first, so it cannot deadlock against another writer.

_DOING = {
    Action.APPROVE: "approving",
    Action.REJECT: "rejecting",
    Action.ESCALATE: "escalating",
    Action.BLOCK: "blocking",
    Action.UNBLOCK: "unblocking",
}
_DONE = {
    Action.APPROVE: "approved",
    Action.REJECT: "rejected",
    Action.ESCALATE: "escalated",
    Action.BLOCK: "blocked",
    Action.UNBLOCK: "unblocked",
}
_CHUNK = 200  # comments per transaction in bulk work: other writers get the lock in between


def _said(status: str | None) -> str:
    """A status in a message (the UI's words live in moderation/ui; only this one differs)."""
    return "new" if status == Status.UNMODERATED else str(status or "changed")


def _comment_words(position: int, author: str | None, title: str) -> str:
    return f"comment #{thread_position(position)} by {author or 'anonymous'} in “{title}”"


def _comment_ref(row: Any) -> dict[str, Any]:
    """What an audit row says about a comment besides its id: where it is and who wrote it."""
    return {
        "article_id": row.article_id,
        "article": row.title,
        "position": thread_position(row.position),
        "author": row.author,
    }


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
    audit.append(
        conn,
        at=now,
        actor=actor,
        action=action,
        target_type=target_type,
        target_id=target_id,
        details=details,
        rule_set_version=in_force.rule_set_version,
        model_id=in_force.model_id,
    )


def _new_action(
    conn: Connection,
    moderator: str,
    action: str,
    target_type: str,
    target_id: str | None,
    now: datetime,
    *,
    count: int = 0,
    undoes: int | None = None,
) -> int:
    result = conn.execute(
        moderator_actions.insert().values(
            moderator=moderator,
            action=action,
            target_type=target_type,
            target_id=target_id,
            count=count,
            undoes=undoes,
            created_at=now,
        )
    )
    return int(result.inserted_primary_key[0])


def _current(conn: Connection, comment_id: str) -> Any:
    return conn.execute(
        select(
            comments.c.status,
            comments.c.decided_by,
            comments.c.version,
            comments.c.article_id,
            comments.c.position,
            comments.c.author,
            articles.c.title,
        )
        .join(articles, articles.c.id == comments.c.article_id)
        .where(comments.c.id == comment_id)
    ).first()


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
    action_id: int | None = None,
) -> DecisionResult:
    if action not in ACTION_STATUS:
        raise ModerationError(f"unknown action {action!r}", subject=comment_id)
    if action == Action.REJECT and not clause_id:
        raise ModerationError("a rejection needs a reason (a policy clause)", subject=comment_id)
    current = _current(conn, comment_id)
    if current is None:
        raise ModerationError("no such comment", subject=comment_id)
    status = ACTION_STATUS[Action(action)]
    changed = conn.execute(
        update(comments)
        .where(comments.c.id == comment_id, comments.c.version == expected_version)
        .values(status=status, decided_by=moderator, decided_at=now, version=comments.c.version + 1)
    ).rowcount
    if changed != 1:
        who = current.decided_by or "the rules"
        raise ConflictError(
            f"already {_said(current.status)} by {who}; reload before deciding",
            subject=comment_id,
        )
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
            action_id=action_id,
        )
    )
    _audit(
        conn,
        actor=moderator,
        action=action,
        target_type="comment",
        target_id=comment_id,
        details={
            "from": current.status,
            "to": status,
            "clause": clause_id,
            "note": note,
            **_comment_ref(current),
        },
        in_force=in_force,
        now=now,
    )
    return DecisionResult(comment_id, action, status, expected_version + 1)


def decide(
    store: Store,
    comment_id: str,
    action: Action | str,
    *,
    moderator: str,
    expected_version: int,
    clause_id: str | None = None,
    note: str | None = None,
    in_force: InForce = InForce(),
) -> DecisionResult:
    """One moderator's decision on one comment, if it is still as they saw it."""

    def work(conn: Connection) -> DecisionResult:
        audit.lock_chain(conn)
        now = datetime.now(UTC)
        action_id = _new_action(conn, moderator, action, "comment", comment_id, now, count=1)
        return _decide(
            conn,
            comment_id,
            action,  # type: ignore[arg-type]
            moderator=moderator,
            expected_version=expected_version,
            clause_id=clause_id,
            note=note,
            in_force=in_force,
            now=now,
            action_id=action_id,
        )

    return store.write(work)


def decide_many(
    store: Store,
    targets: Sequence[tuple[str, int]],
    action: Action | str,
    *,
    moderator: str,
    clause_id: str | None = None,
    note: str | None = None,
    in_force: InForce = InForce(),
) -> BulkResult:
    """Bulk action over (comment id, version seen) pairs: one moderator action (one Undo), written
    a chunk at a time so other moderators' writes are not held up; comments another moderator
    changed meanwhile are skipped and listed, not overwritten."""
    if action == Action.REJECT and not clause_id:
        raise ModerationError("a rejection needs a reason (a policy clause)")
    result = BulkResult()
    action_id: int | None = None
    for start in range(0, len(targets), _CHUNK):
        chunk = targets[start : start + _CHUNK]

        def work(
            conn: Connection,
            chunk: Sequence[tuple[str, int]] = chunk,
            known: int | None = action_id,
        ) -> tuple[Any, ...]:
            audit.lock_chain(conn)
            now = datetime.now(UTC)
            own_id = known
            if own_id is None:
                own_id = _new_action(conn, moderator, action, "comments", None, now)
            done, conflicts = 0, []
            for comment_id, version in chunk:
                try:
                    with conn.begin_nested():
                        _decide(
                            conn,
                            comment_id,
                            action,  # type: ignore[arg-type]
                            moderator=moderator,
                            expected_version=version,
                            clause_id=clause_id,
                            note=note,
                            in_force=in_force,
                            now=now,
                            action_id=own_id,
                        )
                except ConflictError:
                    conflicts.append(comment_id)
                else:
                    done += 1
            conn.execute(
                update(moderator_actions)
                .where(moderator_actions.c.id == own_id)
                .values(count=moderator_actions.c.count + done)
            )
            return own_id, done, conflicts

        action_id, done, conflicts = store.write(work)
        result.done += done
        result.conflicts.extend(conflicts)
    if action_id is not None and result.done == 0:
        # Nothing was decided: leave no empty action for Undo to find.
        empty = moderator_actions.delete().where(moderator_actions.c.id == action_id)
        store.write(lambda conn: conn.execute(empty))
    return result


# -- authors --------------------------------------------------------------------------------


@dataclass(frozen=True)
class BlockResult:
    author: str
    status: str  # AuthorStatus
    until: datetime | None
    rejected: int = 0
    conflicts: list[str] = field(default_factory=list)


def _author_row(conn: Connection, name: str) -> Any:
    row = conn.execute(
        select(authors.c.id, authors.c.status, authors.c.suspended_until).where(
            authors.c.name == name
        )
    ).first()
    if row is None:
        raise ModerationError("no such author", subject=name)
    return row


def pending_of_author(store: Store, author: str) -> list[tuple[str, int]]:
    """(comment id, version) of the author's comments waiting in Pending, for the block dialog's
    "also reject them" (the moderator confirms this very list)."""
    with store.engine.connect() as conn:
        return [
            (r.id, r.version)
            for r in conn.execute(
                select(comments.c.id, comments.c.version)
                .join(authors, authors.c.id == comments.c.author_id)
                .where(
                    authors.c.name == author,
                    comments.c.kind == "comment",
                    comments.c.status == Status.PENDING,
                )
                .order_by(comments.c.article_id, comments.c.position)
            )
        ]


def _change_author(
    conn: Connection,
    row: Any,
    *,
    action_id: int,
    status: str,
    until: datetime | None,
    now: datetime,
) -> None:
    conn.execute(
        update(authors).where(authors.c.id == row.id).values(status=status, suspended_until=until)
    )
    conn.execute(
        author_changes.insert().values(
            action_id=action_id,
            author_id=row.id,
            previous_status=row.status,
            previous_until=row.suspended_until,
            status=status,
            until=until,
            created_at=now,
        )
    )


def block_author(
    store: Store,
    author: str,
    *,
    moderator: str,
    until: datetime | None = None,
    note: str | None = None,
    reject_clause: str | None = None,
    reject: Sequence[tuple[str, int]] = (),
    in_force: InForce = InForce(),
) -> BlockResult:
    """Block ``author`` (suspend them when ``until`` is given), citing the policy clause that
    allows it; optionally reject the pending comments the moderator was shown, ``reject``
    as (id, version) pairs, for ``reject_clause``. One action: one Undo reverts all of it."""
    if reject and not reject_clause:
        raise ModerationError("rejecting their comments needs a reason (a policy clause)")

    def work(conn: Connection) -> BlockResult:
        audit.lock_chain(conn)
        now = datetime.now(UTC)
        if until is not None and until <= now:
            raise ModerationError("a suspension must end in the future", subject=author)
        row = _author_row(conn, author)
        status = AuthorStatus.SUSPENDED if until else AuthorStatus.BLOCKED
        if effective_status(row.status, row.suspended_until, now) == status and (
            status == AuthorStatus.BLOCKED or row.suspended_until == until
        ):
            raise ModerationError(f"{author} is already {status}")
        action_id = _new_action(conn, moderator, Action.BLOCK, "author", author, now)
        _change_author(conn, row, action_id=action_id, status=status, until=until, now=now)
        details: dict[str, Any] = {"clause": BLOCK_CLAUSE, "note": note}
        if until is not None:
            details["until"] = until.astimezone(UTC).isoformat(timespec="seconds")
        if reject:
            details["reject_clause"] = reject_clause
            details["rejecting"] = len(reject)
        _audit(
            conn,
            actor=moderator,
            action=Action.BLOCK,
            target_type="author",
            target_id=author,
            details=details,
            in_force=in_force,
            now=now,
        )
        rejected, conflicts = 0, []
        for comment_id, version in reject:
            try:
                with conn.begin_nested():
                    _decide(
                        conn,
                        comment_id,
                        Action.REJECT,
                        moderator=moderator,
                        expected_version=version,
                        clause_id=reject_clause,
                        note=note,
                        in_force=in_force,
                        now=now,
                        action_id=action_id,
                    )
            except ConflictError:
                conflicts.append(comment_id)
            else:
                rejected += 1
        conn.execute(
            update(moderator_actions)
            .where(moderator_actions.c.id == action_id)
            .values(count=rejected)
        )
        return BlockResult(author, status, until, rejected, conflicts)

    return store.write(work)


def unblock_author(
    store: Store,
    author: str,
    *,
    moderator: str,
    note: str | None = None,
    in_force: InForce = InForce(),
) -> None:
    """Lift a block or a suspension (the author's comments then follow the rules again)."""

    def work(conn: Connection) -> None:
        audit.lock_chain(conn)
        now = datetime.now(UTC)
        row = _author_row(conn, author)
        if effective_status(row.status, row.suspended_until, now) == AuthorStatus.ACTIVE:
            raise ModerationError(f"{author} is not blocked")
        action_id = _new_action(conn, moderator, Action.UNBLOCK, "author", author, now)
        _change_author(
            conn, row, action_id=action_id, status=AuthorStatus.ACTIVE, until=None, now=now
        )
        _audit(
            conn,
            actor=moderator,
            action=Action.UNBLOCK,
            target_type="author",
            target_id=author,
            details={"note": note},
            in_force=in_force,
            now=now,
        )

    store.write(work)


def set_author_status(
    store: Store,
    author: str,
    status: Literal["active", "blocked"],
    *,
    moderator: str,
    clause_id: str | None = BLOCK_CLAUSE,
    note: str | None = None,
    in_force: InForce = InForce(),
) -> None:
    """Block (or unblock) an author; blocking cites the policy clause that allows it."""
    if status == AuthorStatus.BLOCKED:
        block_author(store, author, moderator=moderator, note=note, in_force=in_force)
    else:
        unblock_author(store, author, moderator=moderator, note=note, in_force=in_force)


# -- undo -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class UndoResult:
    undid: str  # the action undone (records.Action)
    description: str  # what was undone, in words ("rejecting comment #4 by Fred in “…”")
    status: str | None  # the status put back (of the comment, or the author)
    count: int  # comments put back
    comment_id: str | None = None


def _undo_target(conn: Connection, action: Any) -> tuple[str, Any, list[Any]]:
    """(description, author change or None, decisions) of one moderator action."""
    change = conn.execute(
        select(author_changes, authors.c.name)
        .join(authors, authors.c.id == author_changes.c.author_id)
        .where(author_changes.c.action_id == action.id)
    ).first()
    decided = conn.execute(
        select(
            decisions,
            comments.c.version.label("current_version"),
            comments.c.status.label("current_status"),
            comments.c.decided_by.label("current_by"),
            comments.c.article_id,
            comments.c.position,
            comments.c.author,
            articles.c.title,
        )
        .join(comments, comments.c.id == decisions.c.comment_id)
        .join(articles, articles.c.id == comments.c.article_id)
        .where(decisions.c.action_id == action.id)
        .order_by(decisions.c.id)
    ).all()
    return _describe(action, change, decided), change, decided


def _describe(action: Any, change: Any, decided: Sequence[Any]) -> str:
    verb = _DOING.get(action.action, str(action.action))
    if change is not None:
        if change.status == AuthorStatus.SUSPENDED and change.until is not None:
            until = change.until.strftime("%Y-%m-%d %H:%M UTC")
            words = f"suspending {change.name} until {until}"
        else:
            words = f"{verb} {change.name}"
        if decided:
            plural = "comment" if len(decided) == 1 else "comments"
            words += f" and rejecting {len(decided)} pending {plural}"
        return words
    if action.target_type == "comment" and decided:
        d = decided[0]
        return f"{verb} {_comment_words(d.position, d.author, d.title)}"
    count = len(decided)
    return f"{verb} {count} {'comment' if count == 1 else 'comments'} at once"


@dataclass(frozen=True)
class LastAction:
    description: str  # in words: "blocking Fred", "rejecting comment #4 by Fred in “…”"
    undoable: bool  # False when it is an undo (only the most recent action can be undone)


def last_action(store: Store, moderator: str) -> LastAction | None:
    """What "Undo my last" would undo; None when the moderator has done nothing yet. After an
    undo, the action it undid, marked not undoable."""
    with store.engine.connect() as conn:
        action = _last_action(conn, moderator)
        if action is None:
            return None
        if action.action == Action.UNDO:
            undone = conn.execute(
                select(moderator_actions).where(moderator_actions.c.id == action.undoes)
            ).first()
            what = _undo_target(conn, undone)[0] if undone else "your last action"
            return LastAction(what, undoable=False)
        return LastAction(_undo_target(conn, action)[0], undoable=True)


def _last_action(conn: Connection, moderator: str) -> Any:
    return conn.execute(
        select(moderator_actions)
        .where(moderator_actions.c.moderator == moderator)
        .order_by(moderator_actions.c.id.desc())
        .limit(1)
    ).first()


def _later_author_change(conn: Connection, change: Any) -> Any:
    """A change to the same author after ``change`` that still stands (not undone)."""
    return conn.execute(
        select(moderator_actions.c.moderator, moderator_actions.c.action)
        .select_from(author_changes)
        .join(moderator_actions, moderator_actions.c.id == author_changes.c.action_id)
        .where(
            author_changes.c.author_id == change.author_id,
            author_changes.c.id > change.id,
            moderator_actions.c.undone_at.is_(None),
        )
        .order_by(author_changes.c.id.desc())
        .limit(1)
    ).first()


def undo_last(store: Store, *, moderator: str, in_force: InForce = InForce()) -> UndoResult:
    """Undo exactly ``moderator``'s most recent action, whatever its kind (a decision, a bulk
    decision, a block with the rejections it made, an unblock), all of it or nothing: when
    anybody changed what it touched since, say so and write nothing. Only the most recent
    action can be undone: a second Undo explains what it would undo and why it cannot."""

    def work(conn: Connection) -> UndoResult:
        audit.lock_chain(conn)
        now = datetime.now(UTC)
        action = _last_action(conn, moderator)
        if action is None:
            raise ModerationError("nothing to undo: you have not decided or blocked anything yet")
        if action.action == Action.UNDO:
            undone = conn.execute(
                select(moderator_actions).where(moderator_actions.c.id == action.undoes)
            ).first()
            what = _undo_target(conn, undone)[0] if undone else "your last action"
            raise ModerationError(
                f"nothing to undo: your last action, {what}, is already undone "
                "(Undo reverts only your most recent action)"
            )
        description, change, decided = _undo_target(conn, action)
        if change is not None:
            later = _later_author_change(conn, change)
            if later is not None:
                raise ConflictError(
                    f"cannot undo {description}: {later.moderator} "
                    f"{_DONE.get(later.action, later.action)} {change.name} since"
                )
        moved = [d for d in decided if d.current_version != d.resulting_version]
        if moved:
            first = moved[0]
            some = "the comment" if len(decided) == 1 else f"{len(moved)} of the comments"
            raise ConflictError(
                f"cannot undo {description}: {some} changed after your decision "
                f"(now {_said(first.current_status)} by {first.current_by or 'the rules'})"
            )
        undo_id = _new_action(
            conn,
            moderator,
            Action.UNDO,
            action.target_type,
            action.target_id,
            now,
            count=len(decided),
            undoes=action.id,
        )
        restored: str | None = None
        if change is not None:
            conn.execute(
                update(authors)
                .where(authors.c.id == change.author_id)
                .values(status=change.previous_status, suspended_until=change.previous_until)
            )
            conn.execute(
                author_changes.insert().values(
                    action_id=undo_id,
                    author_id=change.author_id,
                    previous_status=change.status,
                    previous_until=change.until,
                    status=change.previous_status,
                    until=change.previous_until,
                    created_at=now,
                )
            )
            restored = change.previous_status
            _audit(
                conn,
                actor=moderator,
                action=Action.UNDO,
                target_type="author",
                target_id=change.name,
                details={"undid": action.action, "from": change.status, "to": restored},
                in_force=in_force,
                now=now,
            )
        for d in decided:
            changed = conn.execute(
                update(comments)
                .where(comments.c.id == d.comment_id, comments.c.version == d.resulting_version)
                .values(
                    status=d.previous_status,
                    decided_by=d.previous_decided_by,
                    decided_at=now,
                    version=comments.c.version + 1,
                )
            ).rowcount
            if changed != 1:  # cannot happen under the chain lock; never undo half
                raise ConflictError(f"cannot undo {description}: a comment changed meanwhile")
            conn.execute(update(decisions).where(decisions.c.id == d.id).values(undone_at=now))
            _audit(
                conn,
                actor=moderator,
                action=Action.UNDO,
                target_type="comment",
                target_id=d.comment_id,
                details={
                    "undid": d.action,
                    "from": d.current_status,
                    "to": d.previous_status,
                    **_comment_ref(d),
                },
                in_force=in_force,
                now=now,
            )
            if change is None:
                restored = d.previous_status
        conn.execute(
            update(moderator_actions)
            .where(moderator_actions.c.id == action.id)
            .values(undone_at=now)
        )
        single = decided[0].comment_id if len(decided) == 1 and change is None else None
        return UndoResult(action.action, description, restored, len(decided), single)

    return store.write(work)


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

    def work(conn: Connection) -> None:
        audit.lock_chain(conn)
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

    store.write(work)
