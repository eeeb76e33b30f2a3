"""Backfills on a local Ray instance: same floats as one process, retried blocks, no duplicates.

A real Ray instance (``ray.init(num_cpus=2)``) and real actors, each building the tiny Detoxify
checkpoint's int8 scorer through the factory, as a cluster node would.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from moderation.cli import main as cli_main
from moderation.fingerprint import text_hash
from moderation.pipeline.ingest import score_missing
from moderation.records import Article, Comment
from moderation.scoring import DetoxifyScorer, LoadedDetoxify
from moderation.scoring.ray_backfill import (
    CRASH_ONCE_ENV,
    block_scores,
    job_runtime_env,
    score_missing_on_ray,
    write_block,
)
from moderation.scoring.ray_backfill import score_rows as score_rows_on_ray
from moderation.settings import Settings
from moderation.store import Store
from moderation.store.schema import scores

ray = pytest.importorskip(
    "ray", reason="ray is an optional extra: pip install -r requirements-ray.txt"
)

N_TEXTS = 120
# Words of the tiny checkpoint's vocabulary (conftest.WORDS), so texts tokenise to real ids.
WORDS = [
    *("you", "are", "an", "idiot", "stupid", "great", "article", "thanks"),
    *("i", "think", "turkey", "war", "not", "good", "bad", "hate"),
]


def texts() -> list[str]:
    """Distinct texts of 1 to ~40 words, so lengths (and any batching effect) vary."""
    words = itertools.cycle(WORDS)
    return [
        " ".join(next(words) for _ in range(1 + (i * 7) % 40)) + f" {i}" for i in range(N_TEXTS)
    ]


def fill(store: Store, items: list[str]) -> None:
    comments = [
        Comment(id=f"c{i}", parent_id=None, number=str(i), author=f"a{i % 9}", text=t)
        for i, t in enumerate(items)
    ]
    # A repeated text is one text to score; a pingback is not scored at all.
    comments.append(Comment(id="dup", parent_id=None, number="d", author="x", text=items[0]))
    comments.append(
        Comment(id="p", parent_id=None, number=None, author=None, text="pinged", kind="pingback")
    )
    store.save_article(
        Article(id="a1", source="test", title="T", body="B", policy=None, comments=tuple(comments))
    )


@pytest.fixture(scope="module")
def ray_local(model_cache: Path) -> Iterator[None]:
    # The actors build their scorer from the environment the driver forwards: the test's model
    # cache (where the driver's build already put the int8 artefact) and offline Hugging Face.
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("THREADWATCH_MODEL_CACHE", str(model_cache))
        mp.setenv("HF_HUB_OFFLINE", "1")
        ray.init(
            num_cpus=2,
            runtime_env=job_runtime_env(),
            include_dashboard=False,
            logging_level="ERROR",
            log_to_driver=False,
        )
        try:
            yield
        finally:
            ray.shutdown()


@pytest.fixture
def settings(tiny_model: tuple[Path, Path], tmp_path: Path) -> Settings:
    checkpoint, config_dir = tiny_model
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'ray.db'}",
        checkpoint=checkpoint,
        huggingface_config_path=config_dir,
        device="cpu",
        max_tokens=64,
    )


@pytest.fixture
def scorer(loaded: LoadedDetoxify, model_cache: Path) -> DetoxifyScorer:
    # The single-process reference: two threads, where each actor runs one.
    return DetoxifyScorer(
        loaded, engine="onnx-int8", max_tokens=64, threads=2, cache_dir=model_cache
    )


def stored(store: Store, model_id: str) -> dict[str, dict[str, float]]:
    return store.get_many(model_id, [text_hash(t) for t in texts()])


def score_rows(store: Store) -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(scores)).scalar_one()


def test_ray_scores_equal_the_single_process_run_exactly_even_when_an_actor_is_killed(
    ray_local: None, settings: Settings, scorer: DetoxifyScorer, tmp_path: Path
) -> None:
    single = Store.open(f"sqlite:///{tmp_path / 'single.db'}")
    fill(single, texts())
    assert score_missing(single, scorer) == N_TEXTS
    on_ray = Store.open(settings.database_url)
    fill(on_ray, texts())
    marker = tmp_path / "crashed"
    with pytest.MonkeyPatch.context() as mp:
        # The first actor to receive a block dies with os._exit before scoring it; Ray restarts
        # it and runs that block again.
        mp.setenv(CRASH_ONCE_ENV, str(marker))
        report = score_missing_on_ray(on_ray, settings, scorer.model_id, workers=2, block_texts=16)
    assert marker.exists(), "no actor was killed: the test proved nothing"
    assert (report.scored, report.written, report.workers) == (N_TEXTS, N_TEXTS, 2)
    expected = stored(single, scorer.model_id)
    assert len(expected) == N_TEXTS
    # Exactly: same texts, same float values, not approximately; one row per (text, label).
    assert stored(on_ray, scorer.model_id) == expected
    assert score_rows(on_ray) == score_rows(single) == N_TEXTS * len(scorer.labels)


def test_scoring_twice_writes_nothing_new_and_a_rerun_completes_a_partial_one(
    ray_local: None, settings: Settings, scorer: DetoxifyScorer
) -> None:
    store = Store.open(settings.database_url)
    fill(store, texts())
    # A run that stopped after some blocks: a third of the texts already have scores.
    done = texts()[: N_TEXTS // 3]
    store.put_many(
        scorer.model_id, {text_hash(t): s for t, s in zip(done, scorer.score(done), strict=True)}
    )
    rows_before = score_rows(store)
    report = score_missing_on_ray(store, settings, scorer.model_id, workers=1, block_texts=16)
    assert report.scored == report.written == N_TEXTS - len(done)
    assert score_rows(store) == rows_before + report.written * len(scorer.labels)
    full = stored(store, scorer.model_id)
    assert full == {text_hash(t): s for t, s in zip(texts(), scorer.score(texts()), strict=True)}
    again = score_missing_on_ray(store, settings, scorer.model_id, workers=1)
    assert (again.scored, again.written) == (0, 0)
    # A block scored a second time (as when a retried block's first result did arrive): the
    # same floats again, and writing it adds nothing.
    rows = [{"text_hash": text_hash(t), "text": t} for t in done]
    blocks = list(score_rows_on_ray(rows, settings, scorer.model_id, workers=1, block_texts=16))
    assert all(block_scores(b).items() <= full.items() for b in blocks)
    assert sum(write_block(store, scorer.model_id, b) for b in blocks) == 0
    assert stored(store, scorer.model_id) == full
    assert score_rows(store) == N_TEXTS * len(scorer.labels)


def test_cli_score_on_ray(
    ray_local: None, settings: Settings, scorer: DetoxifyScorer, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store.open(settings.database_url)
    fill(store, texts())
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("THREADWATCH_CHECKPOINT", str(settings.checkpoint))
        mp.setenv("THREADWATCH_HUGGINGFACE_CONFIG_PATH", str(settings.huggingface_config_path))
        mp.setenv("THREADWATCH_MAX_TOKENS", "64")
        mp.setenv("THREADWATCH_DEVICE", "cpu")
        code = cli_main(["--db", settings.database_url, "score", "--ray", "--workers", "1"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert f"{N_TEXTS} texts scored by {scorer.model_id}" in out
    assert len(stored(store, scorer.model_id)) == N_TEXTS
