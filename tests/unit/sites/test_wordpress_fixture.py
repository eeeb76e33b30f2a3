"""The test site itself: a real WordPress that knows the moderator's application password."""

from __future__ import annotations

from tests.unit.sites.wordpress_server import WordPressServer


def test_the_site_authenticates_the_moderator_as_an_editor(wordpress: WordPressServer) -> None:
    with wordpress.client("moderator") as client:
        me = client.get("/users/me", params={"context": "edit"})
    assert me.status_code == 200, me.text
    assert me.json()["roles"] == ["editor"]
    assert me.json()["capabilities"]["moderate_comments"] is True
