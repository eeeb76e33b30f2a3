"""importing: uploads checked from bytes (nothing stored), then ingested with an audit row."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from moderation import review
from moderation.errors import InputTooLargeError
from moderation.parsing import parse_file
from moderation.parsing.worker import ParseBudget, ParseWorker
from moderation.pipeline.uploads import (
    AUDIT_ACTION,
    Upload,
    check_upload,
    check_uploads,
    ingest_checked,
    safe_name,
)
from moderation.store import Store

BINARY = bytes(range(256)) * 8
CSV_ODD_COLUMNS = b"body,user,thread\nFirst!,ann,t1\nWell said.,bob,t1\n"


def test_a_seed_article_is_detected_and_counted(seed_000: Path) -> None:
    check = check_upload(Upload(seed_000.name, seed_000.read_bytes()))
    expected = parse_file(seed_000)
    assert check.ok and check.error is None
    assert check.format == "scraped-text article"
    assert len(check.articles) == 1
    assert check.articles[0].id == expected[0].id
    assert check.articles[0].source == seed_000.name  # the upload's name, never a temp path
    assert check.comments == len(expected[0].reader_comments)
    assert check.summary()["articles"] == 1


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        pytest.param(BINARY, "file looks binary, not text", id="binary"),
        pytest.param(b"   \n", "file is empty", id="empty"),
    ],
)
def test_unreadable_uploads_get_a_one_line_reason(data: bytes, reason: str) -> None:
    check = check_upload(Upload("bad.txt", data))
    assert not check.ok
    assert check.error is not None and check.error.startswith(reason)
    assert check.articles == ()


def test_a_too_large_upload_is_refused_as_the_cli_refuses_it(tmp_path: Path) -> None:
    data = b"Title\n\nBody text long enough.\n" * 10
    on_disk = tmp_path / "big.txt"
    on_disk.write_bytes(data)
    with pytest.raises(InputTooLargeError) as cli:
        parse_file(on_disk, max_bytes=len(data) - 1)
    check = check_upload(Upload("big.txt", data), max_bytes=len(data) - 1)
    assert check.error == cli.value.reason
    assert check.format is None


def test_the_column_map_is_applied_to_csv() -> None:
    without = check_upload(Upload("odd.csv", CSV_ODD_COLUMNS))
    assert without.format is not None
    mapped = check_uploads(
        [Upload("odd.csv", CSV_ODD_COLUMNS)],
        column_map={"text": "body", "author": "user", "article": "thread"},
    )[0]
    assert mapped.ok, mapped.error
    assert mapped.comments == 2
    assert {c.author for a in mapped.articles for c in a.comments} == {"ann", "bob"}


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("article.txt", "article.txt"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\export.xml", "export.xml"),
        ("evil\x1b[31m.txt\n", "evil[31m.txt"),
        ("..", "upload"),
        ("", "upload"),
    ],
)
def test_upload_names_lose_folders_and_control_characters(name: str, safe: str) -> None:
    assert safe_name(name) == safe


def test_good_files_are_stored_and_bad_ones_reported(store: Store, seed_000: Path) -> None:
    checks = check_uploads(
        [Upload(seed_000.name, seed_000.read_bytes()), Upload("broken.bin", BINARY)]
    )
    seen: list[tuple[int, int, str]] = []
    report = ingest_checked(
        checks, store, actor="eve", progress=lambda d, t, n: seen.append((d, t, n))
    )
    assert report.new == 1
    assert [(name, reason[:27]) for name, reason in report.failed] == [
        ("broken.bin", "file looks binary, not text")
    ]
    assert seen == [(1, 2, seed_000.name), (2, 2, "broken.bin")]
    stored = store.load_article(checks[0].articles[0].id)
    assert stored is not None and stored.source == seed_000.name

    (entry,) = review.audit_entries(store, action=AUDIT_ACTION)
    assert entry.actor == "eve"
    details = entry.details
    details = json.loads(details) if isinstance(details, str) else details
    assert [f["file"] for f in details["files"]] == [seed_000.name, "broken.bin"]
    assert details["files"][0]["articles"] == 1
    assert details["new"] == 1
    assert [f["source"] for f in details["failed"]] == ["broken.bin"]


def test_importing_the_same_upload_twice_adds_nothing(store: Store, seed_000: Path) -> None:
    checks = check_uploads([Upload(seed_000.name, seed_000.read_bytes())])
    ingest_checked(checks, store, actor="eve")
    again = ingest_checked(checks, store, actor="eve")
    assert (again.new, again.updated, again.unchanged) == (0, 0, 1)
    assert store.counts()["articles"] == 1


# -- issue 11: the import's articles and its audit row together, or nothing -------------------


def _refuse_inserts(store: Store, table: str) -> None:
    """A database that refuses writes to ``table``: a real failure at that step, no mock."""
    with store.engine.begin() as conn:
        if store.dialect == "sqlite":
            conn.exec_driver_sql(
                f"CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
            )
        else:
            conn.exec_driver_sql(
                "CREATE FUNCTION refuse_insert() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'refused by the test'; END $$ LANGUAGE plpgsql"
            )
            conn.exec_driver_sql(
                f"CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION refuse_insert()"
            )


@pytest.mark.parametrize("refused", ["audit_log", "comments"])
def test_an_import_that_fails_to_write_stores_nothing(
    store: Store, seed_000: Path, refused: str
) -> None:
    checks = check_uploads([Upload(seed_000.name, seed_000.read_bytes())])
    _refuse_inserts(store, refused)
    report = ingest_checked(checks, store, actor="eve")
    assert not report.ok and report.new == 0
    [(name, reason)] = report.failed
    assert name == seed_000.name
    assert reason.startswith("nothing of this import was stored: database write failed")
    counts = store.counts()
    assert (counts["articles"], counts["comments"], counts["audit_log"]) == (0, 0, 0)


def test_several_files_are_stored_with_one_audit_row(store: Store, seeds: list[Path]) -> None:
    checks = check_uploads([Upload(p.name, p.read_bytes()) for p in seeds])
    report = ingest_checked(checks, store, actor="eve")
    assert (report.new, report.failed) == (len(seeds), [])
    (entry,) = review.audit_entries(store, action=AUDIT_ACTION)
    details = entry.details
    details = json.loads(details) if isinstance(details, str) else details
    assert details["new"] == len(seeds)
    assert store.counts()["articles"] == len(seeds)


# -- issue 10: what is not an article is refused; statuses on the site are shown --------------


def test_a_readme_is_refused_while_the_seeds_are_accepted(seeds: list[Path]) -> None:
    readme = Path(__file__).resolve().parents[3] / "README.md"
    checks = check_uploads(
        [Upload(readme.name, readme.read_bytes())] + [Upload(p.name, p.read_bytes()) for p in seeds]
    )
    refused, *accepted = checks
    assert refused.error is not None and refused.error.startswith("not an article:")
    assert "README" in refused.error and refused.articles == ()
    assert all(c.ok for c in accepted), [c.error for c in accepted]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("just a line\n", "no paragraph of prose"),
        ("# Notes\n\nSome words here.\n", "reads like Markdown or code"),
        ("Setup\n\n```\npip install x\n```\n\n- one\n- two\n- three\n", "Markdown or code"),
        ("def main():\n    return 1\n", "Markdown or code"),
    ],
)
def test_text_without_an_article_shape_is_refused(text: str, reason: str) -> None:
    check = check_upload(Upload("notes.txt", text.encode()))
    assert check.error is not None and reason in check.error


def test_the_preview_shows_each_comments_status_on_the_site() -> None:
    fixture = Path(__file__).parents[1] / "parsing" / "fixtures" / "wxr_1_2_https.xml"
    check = check_upload(Upload(fixture.name, fixture.read_bytes()))
    assert check.ok, check.error
    statuses = check.site_statuses
    assert sum(statuses.values()) == check.comments
    assert check.summary()["on the site"] == ", ".join(f"{s} {n}" for s, n in statuses.items())
    # Scraped text states no status: the column stays empty rather than saying "not stated 30".
    seed = Path(__file__).resolve().parents[3] / "sample_data" / "000_6c11dab985d08017.txt"
    assert check_upload(Upload(seed.name, seed.read_bytes())).summary()["on the site"] == ""


def test_a_worker_checks_an_upload_under_the_budget(seed_000: Path) -> None:
    budget = ParseBudget(seconds=0.01)
    big = "Title\n\nBody.\n\n" + "".join(f"  {i}. R said:\n\n    t\n\n" for i in range(1, 99_999))
    with ParseWorker(budget) as worker:
        slow = check_upload(Upload("big.txt", big.encode()), worker=worker)
        worker.budget = ParseBudget()
        good = check_upload(Upload(seed_000.name, seed_000.read_bytes()), worker=worker)
    assert slow.error == "parsing took longer than the 0.01-second budget; the file was skipped"
    assert good.ok and good.articles[0].source == seed_000.name
