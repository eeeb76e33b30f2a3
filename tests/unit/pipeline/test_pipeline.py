"""ingest(): idempotent, per-article transactions, bad files reported and skipped."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from moderation.parsing import parse_file
from moderation.pipeline.ingest import ingest
from moderation.store import Store
from moderation.store.schema import articles, comments


def test_ingest_twice_adds_nothing_the_second_time(store: Store, seeds: list[Path]) -> None:
    first = ingest(seeds, store)
    assert (first.new, first.updated, first.unchanged, first.failed) == (5, 0, 0, [])
    assert first.comments == 31
    second = ingest(seeds, store)
    assert (second.new, second.updated, second.unchanged) == (0, 0, 5)
    assert "nothing new to add" in second.summary()
    assert store.counts()["comments"] == 31


def test_folders_are_walked_recursively(store: Store, seeds: list[Path], tmp_path: Path) -> None:
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    shutil.copy(seeds[0], nested / seeds[0].name)
    shutil.copy(seeds[1], tmp_path / seeds[1].name)
    (tmp_path / "a" / "notes.md").write_text("not an article")
    (tmp_path / ".hidden").mkdir()
    shutil.copy(seeds[2], tmp_path / ".hidden" / "x.txt")
    report = ingest([tmp_path], store)
    assert report.new == 2 and report.ok


def test_bad_files_are_reported_and_the_rest_still_stored(
    store: Store, seeds: list[Path], tmp_path: Path
) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "big.txt").write_text("T\n\n" + "x" * 20_000)
    for seed in seeds:
        shutil.copy(seed, tmp_path / seed.name)
    report = ingest([tmp_path, tmp_path / "missing.txt"], store, max_bytes=15_000)
    assert report.new == 5
    failed = {Path(source).name: reason for source, reason in report.failed}
    assert failed == {
        "missing.txt": "no such file or folder",
        "empty.txt": "file is empty",
        "binary.txt": "file looks binary, not text (NUL bytes)",
        "big.txt": "file is 20,003 bytes, over the 15,000-byte limit",
    }
    assert store.counts()["articles"] == 5


def test_size_limit_applies_during_ingest(store: Store, seeds: list[Path]) -> None:
    report = ingest([seeds[0]], store, max_bytes=1024)
    assert report.new == 0
    assert "over the 1,024-byte limit" in report.failed[0][1]
    assert store.counts()["articles"] == 0


def test_progress_is_reported_per_file(store: Store, seeds: list[Path]) -> None:
    seen: list[tuple[int, int]] = []
    ingest(seeds, store, progress=lambda done, total, _p: seen.append((done, total)))
    assert seen == [(i, 5) for i in range(1, 6)]


def test_a_crash_mid_ingest_leaves_only_whole_articles(seed_000: Path, tmp_path: Path) -> None:
    """SIGKILL an ingest of many articles: every stored article has all of its comments."""
    source = seed_000.read_text(encoding="utf-8")
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(400):
        (folder / f"{i:03}.txt").write_text(f"Article {i}\n" + source, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'crash.db'}"
    Store.open(url).close()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3])}
    proc = subprocess.Popen(
        [sys.executable, "-m", "moderation", "--db", url, "ingest", str(folder)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    store = Store.open(url)
    deadline = time.monotonic() + 60
    while store.counts()["articles"] < 20 and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with store.engine.connect() as conn:
        per_article = conn.execute(
            select(articles.c.id, func.count(comments.c.id))
            .join(comments, comments.c.article_id == articles.c.id, isouter=True)
            .group_by(articles.c.id)
        ).all()
    assert 20 <= len(per_article) < 400, "the kill should land mid-run"
    assert {count for _, count in per_article} == {31}
    # Running again completes the job without duplicating what was stored.
    report = ingest([folder], store)
    assert report.unchanged == len(per_article)
    assert report.new == 400 - len(per_article)
    assert store.counts()["comments"] == 400 * 31
    assert parse_file(folder / "000.txt")[0].id in store.article_ids()
    store.close()


def test_a_comment_edited_at_the_source_is_evaluated_again(
    store: Store, seed_000: Path, tmp_path: Path, rules_path: Path
) -> None:
    from moderation.pipeline.versions import load_active_rules
    from moderation.scoring import MiniLMHeadsScorer

    scorer = MiniLMHeadsScorer()
    rules = load_active_rules(store, rules_path)
    copy = tmp_path / "article.txt"
    copy.write_text(seed_000.read_text(encoding="utf-8"), encoding="utf-8")
    ingest([copy], store, scorer=scorer, rules=rules)
    with store.engine.connect() as conn:
        statuses = dict(conn.execute(select(comments.c.text, comments.c.status)).all())
    clean = next(t for t, s in statuses.items() if s == "unmoderated" and len(t) > 40)
    copy.write_text(
        copy.read_text(encoding="utf-8").replace(clean, "You are a fucking idiot."),
        encoding="utf-8",
    )
    report = ingest([copy], store, scorer=scorer, rules=rules)
    assert report.updated == 1
    with store.engine.connect() as conn:
        after = dict(conn.execute(select(comments.c.text, comments.c.status)).all())
    assert after["You are a fucking idiot."] == "pending"
