"""Scores in the database: which texts the active model still lacks, writing new ones, and which
model wrote the newest (pages show stored scores under it while the scoring model loads).

Scores are keyed by (text hash, model id, label), so "missing for this model" is a property of the
text, not of the comment: identical texts are read, scored and written once.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Select, case, delete, exists, func, select

from moderation.records import Status
from moderation.store.schema import comments, scores

if TYPE_CHECKING:
    from moderation.store import Store

# Rows per IN (...) batch: stays under SQLite's bound-parameter limit on old builds.
_BATCH = 500


def _missing(model_id: str) -> Select[str, str]:
    scored = (
        select(scores.c.text_hash)
        .where(scores.c.text_hash == comments.c.text_hash)
        .where(scores.c.model_id == model_id)
    )
    return (
        select(comments.c.text_hash, comments.c.text)
        .where(comments.c.kind == "comment")
        .where(~exists(scored))
        .distinct()
    )


def count_missing(conn: Connection, model_id: str) -> int:
    """How many distinct reader-comment texts have no scores for ``model_id``."""
    return int(
        conn.execute(select(func.count()).select_from(_missing(model_id).subquery())).scalar_one()
    )


def missing_texts(
    conn: Connection, model_id: str, *, after: str = "", limit: int = 10_000
) -> list[tuple[str, str]]:
    """One page of (text hash, text) lacking scores for ``model_id``, by hash, after ``after``.

    Keyset pagination: pass the last hash of a page as ``after`` for the next; texts scored
    between two pages simply drop out of the later ones.
    """
    query = (
        _missing(model_id)
        .where(comments.c.text_hash > after)
        .order_by(comments.c.text_hash)
        .limit(limit)
    )
    return [(h, t) for h, t in conn.execute(query)]


def insert_new_scores(
    conn: Connection, model_id: str, new: Mapping[str, Mapping[str, float]]
) -> int:
    """Insert the scores of hashes that have none for ``model_id`` yet; returns how many hashes
    were written. Hashes already scored are left as they are (first write wins), so writing the
    same block twice writes nothing the second time."""
    keys = list(new)
    present: set[str] = set()
    for start in range(0, len(keys), _BATCH):
        present.update(
            conn.execute(
                select(scores.c.text_hash)
                .where(scores.c.model_id == model_id)
                .where(scores.c.text_hash.in_(keys[start : start + _BATCH]))
                .distinct()
            ).scalars()
        )
    now = datetime.now(UTC)
    fresh = [h for h in keys if h not in present]
    rows = [
        {"text_hash": h, "model_id": model_id, "label": label, "value": float(v), "created_at": now}
        for h in fresh
        for label, v in new[h].items()
    ]
    if rows:
        conn.execute(scores.insert(), rows)
    return len(fresh)


def delete_model_scores(conn: Connection, model_id: str) -> int:
    """Delete every score ``model_id`` wrote (``score --rescore``); returns how many rows went.
    Other models' scores stay: their ids name other weights, and the pages may still show them."""
    return int(conn.execute(delete(scores).where(scores.c.model_id == model_id)).rowcount or 0)


def labelled_scores(conn: Connection, label: str, model_id: str) -> list[tuple[float, bool | None]]:
    """(score on ``label``, moderators' ruling) per reader comment: True rejected, False
    approved, None undecided."""
    ruling = case(
        (comments.c.decided_by.is_(None), None),
        (comments.c.status == Status.REJECTED, True),
        (comments.c.status == Status.APPROVED, False),
        else_=None,
    )
    query = (
        select(scores.c.value, ruling)
        .join(comments, comments.c.text_hash == scores.c.text_hash)
        .where(scores.c.model_id == model_id, scores.c.label == label, comments.c.kind == "comment")
    )
    return [(float(v), r if r is None else bool(r)) for v, r in conn.execute(query)]


def latest_model(store: Store) -> tuple[str, tuple[str, ...]] | None:
    """The model that wrote the newest scores, with the labels stored for it; None when
    nothing is scored. Pages show stored scores under this model id while the scoring model
    is still loading."""
    query = select(scores.c.model_id, scores.c.label, func.max(scores.c.created_at)).group_by(
        scores.c.model_id, scores.c.label
    )
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    if not rows:
        return None
    newest = max(rows, key=lambda r: r[2])[0]
    return newest, tuple(sorted(label for model, label, _ in rows if model == newest))
