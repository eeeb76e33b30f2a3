"""A real WordPress site for the connector tests, started once per session (see
wordpress_server.py); tests skip and say why where Debian's packages are absent."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from moderation.pipeline.versions import ActiveRules, load_active_rules
from moderation.records import Action
from moderation.review import decide
from moderation.scoring import Scorer
from moderation.sites.records import PasswordSource, RejectAs, Site, SiteKind
from moderation.sites.sync import SyncReport, comment_id, sync
from moderation.sites.wordpress import WordPressClient
from moderation.store import Store
from moderation.store.schema import comments
from moderation.store.sites import add_site, get_site
from tests.unit.sites.wordpress_server import WordPressServer, missing_parts


@pytest.fixture(scope="session")
def wordpress() -> Iterator[WordPressServer]:
    reason = missing_parts()
    if reason:
        pytest.skip(reason)
    server = WordPressServer().start()
    try:
        yield server
    finally:
        server.stop()


@dataclass
class WordPressSite:
    """One test's view of the site: the WordPress server, a Threadwatch store connected to it,
    and helpers that act as the site's own users (through WordPress's API, not ours)."""

    server: WordPressServer
    store: Store
    site: Site
    scorer: Scorer
    rules: ActiveRules

    def sync(self, client: WordPressClient | None = None) -> SyncReport:
        site = get_site(self.store, self.site.name)  # cursors as the last sync left them
        with client or WordPressClient.for_site(site) as wp:
            return sync(self.store, site, wp, scorer=self.scorer, rules=self.rules)

    def post(self, title: str) -> int:
        with self.server.client() as wp:
            made = wp.post(
                "/posts", json={"title": title, "content": f"<p>{title}</p>", "status": "publish"}
            )
        assert made.status_code == 201, made.text
        return int(made.json()["id"])

    def comment(
        self,
        post: int,
        text: str,
        *,
        parent: int = 0,
        status: str = "approved",
        author: str = "Reader",
    ) -> int:
        with self.server.client() as wp:
            made = wp.post(
                "/comments",
                json={
                    "post": post,
                    "parent": parent,
                    "content": text,
                    "author_name": author,
                    "author_email": "reader@example.test",
                    "status": status,
                },
            )
        assert made.status_code == 201, made.text
        return int(made.json()["id"])

    def edit(self, remote_id: int, **fields: str) -> None:
        with self.server.client() as wp:
            done = wp.post(f"/comments/{remote_id}", json=fields)
        assert done.status_code == 200, done.text

    def remote(self, remote_id: int) -> dict[str, Any]:
        with self.server.client() as wp:
            found = wp.get(f"/comments/{remote_id}", params={"context": "edit"})
        assert found.status_code == 200, found.text
        return dict(found.json())

    def comment_id(self, remote_id: int) -> str:
        return comment_id(self.site, remote_id)

    def row(self, remote_id: int) -> Any:
        with self.store.engine.connect() as conn:
            return conn.execute(
                select(comments).where(comments.c.id == self.comment_id(remote_id))
            ).one()

    def decide(self, remote_id: int, action: Action, **kwargs: Any) -> None:
        if action == Action.REJECT:
            kwargs.setdefault("clause_id", "no-spam")
        decide(
            self.store,
            self.comment_id(remote_id),
            action,
            moderator="maria",
            expected_version=self.row(remote_id).version,
            **kwargs,
        )


@pytest.fixture
def make_site(
    wordpress: WordPressServer, store: Store, offline_scorer: Scorer, rules_path: Path
) -> Callable[..., WordPressSite]:
    counter = iter(range(1, 1000))

    def make(
        *, reject_as: RejectAs = RejectAs.SPAM, premoderate: bool = False, extra_rules: str = ""
    ) -> WordPressSite:
        if extra_rules:
            rules_path.write_text(rules_path.read_text() + extra_rules)
        moderator = wordpress.accounts["moderator"]
        site = add_site(
            store,
            name=f"test-site-{next(counter)}",
            kind=SiteKind.WORDPRESS,
            url=wordpress.url,
            username=moderator.username,
            password_source=PasswordSource.FILE,
            password_ref=str(moderator.password_file),
            reject_as=reject_as,
            premoderate=premoderate,
        )
        return WordPressSite(
            wordpress, store, site, offline_scorer, load_active_rules(store, rules_path)
        )

    return make
