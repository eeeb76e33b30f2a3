"""The `moderation` command: parse --json shape, exit codes, ingest summaries."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from moderation.cli import main

ROOT = Path(__file__).resolve().parents[3]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "moderation", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def test_parse_json_of_seed_000_has_the_documented_shape() -> None:
    result = run("parse", "sample_data/000_6c11dab985d08017.txt", "--json")
    assert result.returncode == 0, result.stderr
    [article] = json.loads(result.stdout)
    assert {"source", "title", "body", "policy", "comments"} <= article.keys()
    assert {c["id"] for c in article["policy"]["clauses"]} >= {
        "no-profanity",
        "no-personal-attacks",
    }
    comments = article["comments"]
    assert sum(c["kind"] == "comment" for c in comments) == 30
    assert sum(c["kind"] == "pingback" for c in comments) == 1
    for comment in comments:
        assert set(comment) >= {"id", "parent_id", "number", "author", "text", "kind", "depth"}
    by_id = {c["id"]: c for c in comments}
    replies = {c["author"]: by_id[c["parent_id"]]["author"] for c in comments if c["parent_id"]}
    assert replies == {"Avery": "gary", "Aram": "gary", ".......": "Danoog", "yavuz": "Mihran"}


def test_parse_other_seeds_give_zero_comments(
    seeds: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["parse", "--json", *map(str, seeds[1:])]) == 0
    parsed = json.loads(capsys.readouterr().out)
    assert [len(a["comments"]) for a in parsed] == [0, 0, 0, 0]
    assert all(a["title"] and a["body"] and a["policy"] is None for a in parsed)


def test_parse_reports_bad_files_with_exit_2_and_still_prints_good_ones(
    seed_000: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert main(["parse", "--json", str(empty), str(seed_000)]) == 2
    out, err = capsys.readouterr()
    assert len(json.loads(out)) == 1
    assert err.strip() == f"error: {empty}: file is empty"


def test_max_bytes_flag(seed_000: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--max-bytes", "100", "parse", str(seed_000)]) == 2
    assert "over the 100-byte limit" in capsys.readouterr().err


def test_ingest_twice_says_nothing_new(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'tw.db'}"
    first = run("--db", db, "ingest", "sample_data")
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("5 new, 0 updated, 0 unchanged, 0 failed")
    second = run("--db", db, "ingest", "sample_data")
    assert second.stdout.startswith("0 new, 0 updated, 5 unchanged, 0 failed")
    assert "nothing new to add" in second.stdout


def test_ingest_with_a_bad_file_exits_2_but_stores_the_rest(tmp_path: Path, seed_000: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02" * 50)
    db = f"sqlite:///{tmp_path / 'tw.db'}"
    result = run("--db", db, "ingest", str(bad), str(seed_000))
    assert result.returncode == 2
    assert f"error: {bad}: file looks binary" in result.stderr
    assert result.stdout.startswith("1 new, 0 updated, 0 unchanged, 1 failed")


def test_database_url_from_environment(tmp_path: Path, seed_000: Path) -> None:
    db = tmp_path / "env.db"
    result = subprocess.run(
        [sys.executable, "-m", "moderation", "ingest", str(seed_000)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{db}", "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr
    assert db.exists()


def test_bad_database_url_is_one_clear_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", "mysql://x@y/z", "ingest", "sample_data"]) == 2
    assert capsys.readouterr().err.strip().startswith("error: mysql://x@y/z: unsupported database")
