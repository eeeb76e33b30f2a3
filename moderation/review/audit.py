"""The audit log as moderators and operators read it: one page at a time with its details as
columns (the Audit page), the filter choices, the CSV download and the CLI's CSV/JSON export,
and plain entries for callers that check what was recorded. Every read goes through the one
reader in moderation/store/audit.py."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from itertools import islice
from typing import Any

import pandas as pd

from moderation.review.csv_cells import csv_text
from moderation.review.frames import frame
from moderation.store import Store
from moderation.store import audit as audit_store
from moderation.store.audit import AuditEntry, AuditFilter, AuditOptions

__all__ = [
    "AUDIT_FIELDS",
    "EXPORT_LIMIT",
    "AuditEntry",
    "AuditFilter",
    "AuditOptions",
    "audit_csv",
    "audit_entries",
    "audit_options",
    "audit_page",
    "audit_records",
]

EXPORT_LIMIT = 100_000  # rows in one audit CSV: beyond that, narrow the filters
_PAGE_COLUMNS = ["id", *audit_store.CONTENT_COLUMNS]
# Fields of ``details`` shown as columns of their own (the rest stays in ``extra``).
AUDIT_FIELDS = ["article_id", "article", "position", "author", "from", "to", "clause", "note"]
# The CSV export: the stored columns, the readable fields, and the chain (for outside checks).
_CSV_COLUMNS = [*_PAGE_COLUMNS, *AUDIT_FIELDS[1:], "seq", "row_hash"]


def _details_fields(details: Any) -> dict[str, Any]:
    details = details if isinstance(details, dict) else {}
    fields = {name: details.get(name) for name in AUDIT_FIELDS}
    fields["extra"] = {k: v for k, v in details.items() if k not in AUDIT_FIELDS}
    return fields


def _details_json(details: Any) -> str:
    return json.dumps(details, sort_keys=True, default=str)


def audit_options(store: Store) -> AuditOptions:
    """The actors, actions and target types present in the log, for the filter choices."""
    return audit_store.audit_options(store)


def audit_page(
    store: Store, flt: AuditFilter, *, offset: int = 0, limit: int = 100
) -> tuple[pd.DataFrame, int]:
    """One page of the audit log, newest first, with ``details`` as compact JSON text and its
    fields as columns (AUDIT_FIELDS, and ``extra`` for the rest); plus the number of matching
    rows."""
    total = audit_store.count_entries(store, flt)
    entries = audit_store.read_entries(store, flt, offset=offset, limit=limit)
    page = frame(
        (tuple(getattr(entry, name) for name in _PAGE_COLUMNS) for entry in entries), _PAGE_COLUMNS
    )
    fields = pd.DataFrame(
        [_details_fields(entry.details) for entry in entries], columns=[*AUDIT_FIELDS, "extra"]
    )
    page["details"] = [_details_json(entry.details) for entry in entries]
    page = pd.concat([page, fields], axis=1)
    # Nullable integers: a missing version must not turn the column into floats (1.0).
    page["rule_set_version"] = page["rule_set_version"].astype("Int64")
    page["position"] = page["position"].astype("Int64")
    return page, total


def _csv_row(entry: AuditEntry) -> list[Any]:
    fields = _details_fields(entry.details)
    at = entry.at
    return [
        entry.id,
        at.isoformat(sep=" ") if isinstance(at, datetime) else at,
        entry.actor,
        entry.action,
        entry.target_type,
        entry.target_id,
        _details_json(entry.details),
        entry.rule_set_version,
        entry.model_id,
        *[fields[name] for name in AUDIT_FIELDS[1:]],
        entry.seq,
        entry.row_hash,
    ]


def audit_csv(store: Store, flt: AuditFilter, *, limit: int | None = EXPORT_LIMIT) -> str:
    """The filtered audit log (newest first, at most ``limit`` rows; None: all) as CSV text.
    Every cell is neutralised against formula injection (moderation/review/csv_cells.py)."""
    entries: Iterator[AuditEntry] = audit_store.iter_entries(store, flt)
    if limit is not None:
        entries = islice(entries, limit)
    return csv_text(_CSV_COLUMNS, map(_csv_row, entries))


def audit_records(store: Store, flt: AuditFilter) -> Iterator[dict[str, Any]]:
    """The filtered audit log, newest first, as JSON-ready dicts (``details`` as an object,
    ``at`` as ISO 8601 text in UTC)."""
    for entry in audit_store.iter_entries(store, flt):
        at = entry.at
        record = {name: getattr(entry, name) for name in AuditEntry.__dataclass_fields__}
        record["at"] = (at.replace(tzinfo=UTC) if at.tzinfo is None else at).isoformat()
        yield record


def audit_entries(
    store: Store,
    *,
    actor: str | None = None,
    action: str | None = None,
    target_type: str | None = None,
    limit: int = 500,
) -> list[AuditEntry]:
    """The newest ``limit`` matching entries, as stored."""
    flt = AuditFilter(actor=actor, action=action, target_type=target_type)
    return audit_store.read_entries(store, flt, limit=limit)
