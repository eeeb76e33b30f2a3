"""`moderation parse` / `ingest` on hostile and non-article files (issues 10 and 11): one error
line per bad file, the rest of the batch still done, exit 2, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from moderation.store import Store

ROOT = Path(__file__).resolve().parents[3]
DEEP_JSON = "[" * 100_000 + "]" * 100_000
COMMENT_BOMB = "<!---->" * 26 + "<x>"


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "moderation", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        env={**os.environ, **env},
        timeout=300,
    )


@pytest.fixture
def batch(tmp_path: Path, seed_000: Path) -> list[Path]:
    files = {
        "deep.json": DEEP_JSON,
        "bomb.txt": COMMENT_BOMB,
        "surrogate.jsonl": '{"text": "x", "id": "\\ud800", "author": "\\udc00"}',
        "README.md": (ROOT / "README.md").read_text(encoding="utf-8"),
    }
    paths = []
    for name, text in files.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return [*paths, seed_000]


def test_parse_reports_each_bad_file_on_one_line_and_prints_the_good_ones(
    batch: list[Path],
) -> None:
    result = run("parse", "--json", *map(str, batch))
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    errors = result.stderr.strip().splitlines()
    deep, bomb, _surrogate, readme, _seed = batch
    assert errors == [
        f"error: {deep}: JSON nested too deeply to read",
        f"error: {bomb}: unrecognised format; supported: " + errors[1].split("supported: ")[1],
        f"error: {readme}: not an article: no comment thread, and the first line reads like "
        "Markdown or code, not a headline (e.g. a README)",
    ]
    parsed = json.loads(result.stdout)
    assert [a["source"] for a in parsed] == [str(batch[2]), str(batch[4])]
    assert parsed[0]["comments"][0]["author"] == "\ufffd"


def test_ingest_stores_the_good_files_of_a_hostile_batch(tmp_path: Path, batch: list[Path]) -> None:
    db = f"sqlite:///{tmp_path / 'tw.db'}"
    result = run("--db", db, "ingest", "--no-score", *map(str, batch))
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.startswith("2 new, 0 updated, 0 unchanged, 3 failed")
    store = Store.open(db)
    try:
        assert store.counts()["articles"] == 2
    finally:
        store.close()


def test_a_file_over_the_time_budget_is_skipped_and_the_batch_goes_on(
    tmp_path: Path, seed_000: Path
) -> None:
    big = tmp_path / "big.txt"
    big.write_text(
        "Title\n\nBody.\n\n"
        + "".join(f"  {i}. R{i} said:\n\n    Text {i}.\n\n" for i in range(1, 200_000)),
        encoding="utf-8",
    )
    result = run("parse", str(big), str(seed_000), THREADWATCH_PARSE_SECONDS="0.05")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"error: {big}: parsing took longer than the 0.05-second budget; the file was skipped"
    )
    assert "30 comments, 1 pingbacks" in result.stdout
