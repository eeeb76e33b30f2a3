"""POST /v1/comments over real HTTP: stored, scored and flagged; verdicts with evidence; all
or nothing; idempotent by the client's comment id."""

from __future__ import annotations

from sqlalchemy import func, select

from moderation.records import Status
from moderation.store import Store
from moderation.store.schema import articles, comments, evaluations
from moderation.store.schema_connect import api_comments
from tests.unit.api.conftest import Api, comment


def _count(store: Store, table) -> int:  # type: ignore[no-untyped-def]
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_a_comment_is_stored_scored_flagged_and_answered_with_evidence(api: Api) -> None:
    answer = api.post(comment("You are an idiot.", cid="c1", author="mallory"))
    assert answer.status == 201, answer.body
    (verdict,) = answer.body["comments"]
    assert verdict["id"] == "c1" and verdict["article_id"] == "a1" and verdict["created"]
    assert verdict["status"] == Status.PENDING
    hit = next(h for h in verdict["hits"] if h["rule_id"] == "personal-attack")
    assert hit["clause_id"] == "no-personal-attacks"
    assert {"start": 11, "end": 16, "text": "idiot"} in hit["evidence"]
    assert verdict["model_id"] == api.intake.scorer.model_id  # type: ignore[union-attr]
    assert set(verdict["scores"]) and all(0 <= v <= 1 for v in verdict["scores"].values())
    assert verdict["rule_set_version"] == api.intake.rules.version
    # The same rows the dashboard reads: a comment evaluated under the active version.
    with api.store.engine.connect() as conn:
        row = conn.execute(select(comments).where(comments.c.id == verdict["comment_id"])).one()
        evaluated = conn.execute(
            select(evaluations.c.status).where(evaluations.c.comment_id == row.id)
        ).scalar_one()
    assert (row.status, row.author, row.text, row.depth) == (
        "pending",
        "mallory",
        "You are an idiot.",
        0,
    )
    assert evaluated == Status.PENDING


def test_a_clean_comment_is_unmoderated_without_hits(api: Api) -> None:
    answer = api.post(comment("Thanks for the clear explanation of the budget."))
    assert answer.status == 201
    (verdict,) = answer.body["comments"]
    assert verdict["status"] == Status.UNMODERATED and verdict["hits"] == []
    assert verdict["id"] is None


def test_a_batch_keeps_the_thread_and_replies_to_stored_comments(api: Api) -> None:
    assert api.post(comment("First!", cid="root")).status == 201
    batch = {
        "comments": [
            comment("A reply to the first.", cid="r1", parent_id="root"),
            comment("A reply to the reply.", cid="r2", parent_id="r1"),
            comment("Elsewhere.", cid="b1", article="a2"),
        ]
    }
    answer = api.post(batch)
    assert answer.status == 201, answer.body
    assert [v["id"] for v in answer.body["comments"]] == ["r1", "r2", "b1"]
    ids = {v["id"]: v["comment_id"] for v in answer.body["comments"]}
    first = api.post(comment("First!", cid="root")).body["comments"][0]["comment_id"]
    article = api.store.load_article(_article_of(api.store, first))
    assert article is not None
    by_id = {c.id: c for c in article.comments}
    assert by_id[ids["r1"]].parent_id == first and by_id[ids["r1"]].depth == 1
    assert by_id[ids["r2"]].parent_id == ids["r1"] and by_id[ids["r2"]].depth == 2
    assert [c.id for c in article.comments] == [first, ids["r1"], ids["r2"]]
    assert _count(api.store, articles) == 2


def _article_of(store: Store, comment_id: str) -> str:
    with store.engine.connect() as conn:
        return str(
            conn.execute(
                select(comments.c.article_id).where(comments.c.id == comment_id)
            ).scalar_one()
        )


def test_a_repeated_post_answers_with_the_stored_verdict(api: Api) -> None:
    first = api.post(comment("You are an idiot.", cid="c1"))
    again = api.post(comment("You are an idiot.", cid="c1"))
    assert again.status == 200
    assert again.body["comments"][0]["created"] is False
    assert again.body["comments"][0]["comment_id"] == first.body["comments"][0]["comment_id"]
    assert again.body["comments"][0]["hits"] == first.body["comments"][0]["hits"]
    assert _count(api.store, comments) == 1


def test_a_reused_id_with_other_content_is_a_conflict_and_stores_nothing(api: Api) -> None:
    api.post(comment("Original text.", cid="c1"))
    answer = api.post({"comments": [comment("New one.", cid="c2"), comment("Edited!", cid="c1")]})
    assert answer.status == 409
    assert answer.body["error"]["code"] == "conflict" and "c1" in answer.body["error"]["reason"]
    assert _count(api.store, comments) == 1  # c2 was not stored either


def test_a_missing_parent_refuses_the_whole_batch(api: Api) -> None:
    answer = api.post(
        {"comments": [comment("Fine.", cid="ok"), comment("Orphan.", cid="o", parent_id="nope")]}
    )
    assert answer.status == 409
    assert "nope" in answer.body["error"]["reason"]
    assert _count(api.store, comments) == 0 and _count(api.store, articles) == 0


def test_a_parent_in_another_article_is_refused(api: Api) -> None:
    api.post(comment("Root.", cid="root", article="a1"))
    answer = api.post(comment("Cross.", cid="x", article="a2", parent_id="root"))
    assert answer.status == 409
    assert _count(api.store, comments) == 1


def test_a_batch_repeating_an_id_is_taken_in_order(api: Api) -> None:
    same = api.post({"comments": [comment("Twice.", cid="t"), comment("Twice.", cid="t")]})
    assert same.status == 201
    assert len({v["comment_id"] for v in same.body["comments"]}) == 1
    other = api.post({"comments": [comment("New.", cid="n"), comment("Other.", cid="n")]})
    assert other.status == 409
    assert _count(api.store, comments) == 1


def test_clients_do_not_share_ids(api: Api) -> None:
    mine = api.post(comment("Same id, site one.", cid="c1"))
    theirs = api.post(comment("Same id, site two.", cid="c1"), token=api.tokens["other"])
    assert mine.status == theirs.status == 201
    assert mine.body["comments"][0]["comment_id"] != theirs.body["comments"][0]["comment_id"]
    assert _count(api.store, api_comments) == 2
