"""`moderation api token …` and `moderation api webhook …`: tokens printed once and stored
hashed, scopes checked, secrets only referenced."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from moderation.api.tokens import authenticate
from moderation.cli import main
from moderation.store import Store
from moderation.store.schema_connect import api_clients, api_tokens


def test_token_add_list_revoke_and_webhook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    assert (
        main(
            [
                "--db",
                db,
                "api",
                "token",
                "add",
                "mysite",
                "--scopes",
                "comments:write,decisions:read",
            ]
        )
        == 0
    )
    token = capsys.readouterr().out.strip()
    assert token.startswith("tw_") and len(token) > 40
    assert main(["--db", db, "api", "token", "list"]) == 0
    listed = capsys.readouterr().out
    assert "mysite" in listed and token[:10] in listed and token not in listed
    assert "comments:write decisions:read" in listed and "active" in listed

    assert main(["--db", db, "api", "token", "add", "mysite", "--scopes", "comments:delete"]) == 2
    assert "unknown scope" in capsys.readouterr().err

    secret = tmp_path / "hook.secret"
    secret.write_text("very-secret-value\n")
    assert (
        main(
            [
                "--db",
                db,
                "api",
                "webhook",
                "set",
                "mysite",
                "https://example.com/h",
                "--secret-file",
                str(secret),
            ]
        )
        == 0
    )
    assert (
        main(
            [
                "--db",
                db,
                "api",
                "webhook",
                "set",
                "nobody",
                "https://example.com/h",
                "--secret-file",
                str(secret),
            ]
        )
        == 2
    )
    capsys.readouterr()

    store = Store.open(db)
    try:
        assert authenticate(store, token).client.name == "mysite"
        with store.engine.connect() as conn:
            dump = repr([tuple(r) for r in conn.execute(select(api_tokens))])
            dump += repr([tuple(r) for r in conn.execute(select(api_clients))])
        assert token not in dump and "very-secret-value" not in dump
        assert f"file:{secret}" in dump
    finally:
        store.close()
    assert main(["--db", db, "api", "token", "revoke", "1"]) == 0
    assert main(["--db", db, "api", "token", "revoke", "1"]) == 2
    assert "already revoked" in capsys.readouterr().err
