"""Small helpers shared by the format tests."""

from __future__ import annotations

from pathlib import Path

from moderation.records import Article

FIXTURES = Path(__file__).parent / "fixtures"


def tree(article: Article) -> list[tuple[str | None, str | None, int]]:
    """(author, parent's author, depth) per comment, in order."""
    by_id = {c.id: c for c in article.comments}
    return [
        (c.author, by_id[c.parent_id].author if c.parent_id else None, c.depth)
        for c in article.comments
    ]


def assert_well_formed(articles: list[Article]) -> None:
    """Ids unique, parents earlier in the same article, depth = parent's depth + 1."""
    article_ids = [a.id for a in articles]
    assert len(set(article_ids)) == len(article_ids)
    for article in articles:
        seen: dict[str, int] = {}
        for comment in article.comments:
            assert comment.id not in seen
            if comment.parent_id is None:
                assert comment.depth == 0
            else:
                assert comment.parent_id in seen, "parent must come before its replies"
                assert comment.depth == seen[comment.parent_id] + 1
            seen[comment.id] = comment.depth
            if comment.posted_at is not None:
                assert comment.posted_at.endswith("+00:00") or len(comment.posted_at) == 10
