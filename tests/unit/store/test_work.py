"""What is left to do is read from the database: scores missing for the model, evaluations
missing or made before the text had scores (issue 11, point 5)."""

from __future__ import annotations

from pathlib import Path

from moderation.parsing import parse_file
from moderation.pipeline.ingest import ingest, score_missing
from moderation.pipeline.versions import load_active_rules
from moderation.scoring import MiniLMHeadsScorer
from moderation.store import Store
from moderation.store.rulesets import active_version
from moderation.store.work import any_unevaluated, any_unscored, unevaluated_ids

LATER = """Later article

Body.

  1. ann said:

    A brand new comment nobody has scored.

  2. bo said:

    And another one, you idiot.
"""


def test_an_evaluation_without_scores_is_redone_once_its_text_is_scored(
    store: Store, seeds: list[Path], rules_path: Path, tmp_path: Path
) -> None:
    scorer = MiniLMHeadsScorer()
    rules = load_active_rules(store, rules_path)
    ingest(seeds, store, scorer=scorer, rules=rules)  # scored, then evaluated with scores
    later = tmp_path / "later.txt"
    later.write_text(LATER)
    ingest([later], store, rules=rules)  # stored and evaluated without scores
    version = active_version(store)
    assert version is not None
    with store.engine.connect() as conn:
        # Nothing to redo yet: the unscored texts were evaluated as they are.
        assert unevaluated_ids(conn, version, scorer.model_id) == []
        assert any_unscored(conn, scorer.model_id)
    score_missing(store, scorer)
    with store.engine.connect() as conn:
        waiting = unevaluated_ids(conn, version, scorer.model_id)
        assert any_unevaluated(conn, version, scorer.model_id)
    assert set(waiting) == {c.id for c in parse_file(later)[0].reader_comments}
    assert len(waiting) == 2
