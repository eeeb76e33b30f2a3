"""`moderation sites add|list` and `moderation sync` against the real site; the application
password never reaches the database, a log line or an error message."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from moderation.cli import main
from moderation.store import Store
from moderation.store.schema import metadata
from moderation.store.schema_connect import sites
from tests.unit.sites.wordpress_server import WordPressServer


def _everything_stored(database_url: str) -> str:
    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            return "\n".join(
                repr(row) for table in metadata.sorted_tables for row in conn.execute(select(table))
            )
    finally:
        engine.dispose()


def test_add_list_sync_and_the_password_is_never_stored_or_logged(
    wordpress: WordPressServer,
    database_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caplog.set_level(logging.DEBUG)
    moderator = wordpress.accounts["moderator"]
    password = moderator.password_file.read_text().strip()
    with wordpress.client() as wp:
        post = wp.post("/posts", json={"title": "CLI", "content": "x", "status": "publish"})
        made = wp.post(
            "/comments",
            json={
                "post": post.json()["id"],
                "content": "Posted for the command line test.",
                "author_name": "Reader",
                "author_email": "reader@example.test",
            },
        )
        assert made.status_code == 201, made.text
    db = ["-v", "--db", database_url]

    assert main([*db, "sites", "add", "wordpress", wordpress.url, "--user", "moderator",
                 "--password-file", str(moderator.password_file), "--name", "blog",
                 "--reject-as", "trash"]) == 0  # fmt: skip
    monkeypatch.setenv("TW_TEST_WP_PASSWORD", password)
    assert main([*db, "sites", "add", "wordpress", wordpress.url, "--user", "moderator",
                 "--password-env", "TW_TEST_WP_PASSWORD", "--name", "blog-env",
                 "--premoderate"]) == 0  # fmt: skip
    assert main([*db, "sites", "list"]) == 0
    listed = capsys.readouterr().out
    assert "blog\twordpress" in listed and "reject as trash" in listed
    assert "blog-env\twordpress" in listed and "pre-moderation on" in listed

    assert main([*db, "sync", "blog", "--no-score"]) == 0
    summary = capsys.readouterr().out.strip().splitlines()
    assert len(summary) == 1 and summary[0].startswith("blog: pulled ")
    assert main([*db, "sync", "--no-score"]) == 0  # every site

    store = Store.open(database_url)
    try:
        with store.engine.connect() as conn:
            refs = dict(conn.execute(select(sites.c.name, sites.c.password_ref)).all())
    finally:
        store.close()
    assert refs == {"blog": str(moderator.password_file), "blog-env": "TW_TEST_WP_PASSWORD"}
    assert password not in _everything_stored(database_url)
    if database_url.startswith("sqlite:///"):
        raw = Path(database_url.removeprefix("sqlite:///")).read_bytes()
        assert password.encode() not in raw
    out = capsys.readouterr()
    assert password not in caplog.text + out.out + out.err
    assert password.replace(" ", "") not in caplog.text


def test_a_wrong_password_is_one_line_that_names_the_role_not_the_password(
    wordpress: WordPressServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = tmp_path / "wrong.password"
    wrong.write_text("abcd efgh ijkl mnop qrst uvwx\n")
    code = main(["--db", f"sqlite:///{tmp_path / 'tw.db'}", "sites", "add", "wordpress",
                 wordpress.url, "--user", "moderator", "--password-file", str(wrong)])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert "application password" in err and "Editor" in err
    assert "abcd" not in err
    assert not (tmp_path / "tw.db").exists()  # refused before the database was opened


def test_a_missing_password_file_is_refused_before_anything_is_stored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--db", f"sqlite:///{tmp_path / 'tw.db'}", "sites", "add", "wordpress",
                 "https://example.org", "--user", "u", "--password-file",
                 str(tmp_path / "absent")])  # fmt: skip
    assert code == 2
    assert "cannot read the password file" in capsys.readouterr().err
