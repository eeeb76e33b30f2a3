"""importing: uploads checked from bytes (nothing stored), then ingested with an audit row."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from moderation import review
from moderation.errors import InputTooLargeError
from moderation.importing import (
    AUDIT_ACTION,
    Upload,
    check_upload,
    check_uploads,
    ingest_checked,
    safe_name,
)
from moderation.parsing import parse_file
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
    assert entry["actor"] == "eve"
    details = entry["details"]
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
