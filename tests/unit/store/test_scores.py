"""The store's score queries: what the active model still lacks, and first-write-wins inserts."""

from __future__ import annotations

from moderation.fingerprint import text_hash
from moderation.records import Article, Comment
from moderation.store import Store
from moderation.store.scores import count_missing, insert_new_scores, missing_texts

MODEL = "detoxify-custom-abc+onnx-int8"


def article(texts: list[str], *, pingback: str = "") -> Article:
    comments = [
        Comment(id=f"c{i}", parent_id=None, number=str(i), author=f"a{i}", text=t)
        for i, t in enumerate(texts)
    ]
    if pingback:
        comments.append(
            Comment(
                id="p", parent_id=None, number=None, author=None, text=pingback, kind="pingback"
            )
        )
    return Article(
        id="art1", source="t", title="T", body="B", policy=None, comments=tuple(comments)
    )


def test_missing_texts_are_distinct_reader_texts_by_hash_and_page(store: Store) -> None:
    store.save_article(article(["one", "two", "two", "three"], pingback="a pingback"))
    with store.engine.connect() as conn:
        assert count_missing(conn, MODEL) == 3
        first = missing_texts(conn, MODEL, limit=2)
        rest = missing_texts(conn, MODEL, after=first[-1][0], limit=2)
    pages = first + rest
    assert len(first) == 2 and len(rest) == 1
    assert sorted(t for _h, t in pages) == ["one", "three", "two"]
    assert [h for h, _t in pages] == sorted(text_hash(t) for t in ("one", "two", "three"))
    assert all(h == text_hash(t) for h, t in pages)


def test_insert_new_scores_writes_each_hash_once(store: Store) -> None:
    store.save_article(article(["one", "two"]))
    block = {text_hash("one"): {"toxicity": 0.25, "insult": 0.5}}
    with store.transaction() as conn:
        assert insert_new_scores(conn, MODEL, block) == 1
    with store.transaction() as conn:
        # The same block again, and a different value for it: nothing new, first write wins.
        assert insert_new_scores(conn, MODEL, {text_hash("one"): {"toxicity": 0.9}}) == 0
    assert store.get_many(MODEL, [text_hash("one")]) == {
        text_hash("one"): {"toxicity": 0.25, "insult": 0.5}
    }
    with store.engine.connect() as conn:
        assert missing_texts(conn, MODEL) == [(text_hash("two"), "two")]
        # Another model's scores do not count as this model's.
        assert count_missing(conn, "other-model") == 2
