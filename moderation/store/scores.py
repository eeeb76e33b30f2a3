"""Questions about the stored scores that do not need the model itself."""

from __future__ import annotations

from sqlalchemy import func, select

from moderation.store import Store
from moderation.store.schema import scores


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
