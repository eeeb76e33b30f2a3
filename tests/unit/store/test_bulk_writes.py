"""The re-flag's driver-level writes (COPY / executemany) store what Core inserts stored."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from moderation.pipeline.ingest import ingest
from moderation.pipeline.reflag import reflag
from moderation.pipeline.versions import load_active_rules
from moderation.records import Status
from moderation.store import Store
from moderation.store import flags as flags_store
from moderation.store.flags import EvaluationRow, FlagRow
from moderation.store.schema import comments, evaluations, flags


def _read(store: Store) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    with store.engine.connect() as conn:
        f = conn.execute(select(*[c for c in flags.c if c.name != "id"])).all()
        e = conn.execute(select(evaluations)).all()
    return sorted(map(tuple, f), key=repr), sorted(map(tuple, e), key=repr)


def test_flag_and_evaluation_rows_equal_core_inserts(
    store: Store, seeds: list[Path], rules_path: Path
) -> None:
    ingest(seeds, store)
    version = load_active_rules(store, rules_path).version
    with store.engine.connect() as conn:
        ids = list(
            conn.execute(select(comments.c.id).where(comments.c.kind == "comment")).scalars()
        )
    now = datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=UTC)
    hits = [
        FlagRow(
            ids[0],
            "r1",
            "cat",
            "clause",
            "flag",
            2,
            [{"start": 0, "end": 3, "text": 'a\tb\\\n"é'}],
            {"toxicity": 0.8125},
        ),
        FlagRow(ids[1], "r2", "cat", "clause", "hold", 0, [], {}),
    ]
    evaluated = [
        EvaluationRow(ids[0], "m", Status.PENDING),
        EvaluationRow(ids[1], None, Status.UNMODERATED),
    ]
    with store.transaction() as conn:
        flags_store.write(conn, version, "m", hits, evaluated, now)
    fast = _read(store)
    with store.transaction() as conn:
        flags_store.clear(conn, version, ids)
        # The previous implementation: Core inserts through SQLAlchemy's type processing.
        conn.execute(
            flags.insert(),
            [
                {**h._asdict(), "rule_set_version": version, "model_id": "m", "created_at": now}
                for h in hits
            ],
        )
        conn.execute(
            evaluations.insert(),
            [{**e._asdict(), "rule_set_version": version, "evaluated_at": now} for e in evaluated],
        )
    assert _read(store) == fast
    assert next(r for r in fast[0] if r[2] == "r1")[7] == [
        {"start": 0, "end": 3, "text": 'a\tb\\\n"é'}
    ]


@pytest.mark.parametrize("batch", ["3"])
def test_reflag_in_small_batches_equals_one_batch(
    store: Store, seeds: list[Path], rules_path: Path, batch: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batches of any size give the same flags, evaluations and statuses."""
    ingest(seeds, store)
    active = load_active_rules(store, rules_path)
    reflag(store, active, model_id=None)
    whole = _read(store)
    with store.engine.connect() as conn:
        statuses = sorted(conn.execute(select(comments.c.id, comments.c.status)).all())
    monkeypatch.setenv("THREADWATCH_TEST_BATCH", batch)
    reflag(store, active, model_id=None)
    strip = lambda rows: [r[:-1] for r in rows]  # noqa: E731  (created_at / evaluated_at differ)
    assert strip(_read(store)[0]) == strip(whole[0]) != []
    assert strip(_read(store)[1]) == strip(whole[1])
    with store.engine.connect() as conn:
        assert sorted(conn.execute(select(comments.c.id, comments.c.status)).all()) == statuses
