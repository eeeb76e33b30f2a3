"""kill -9 at every phase of an ingest or a re-flag, then any re-run: the queue ends exactly as
after an uninterrupted run, on SQLite and PostgreSQL (issue 11, points 5 and 6).

Each killed run is a real ``moderation`` process that SIGKILLs itself at a chosen checkpoint
(moderation/pipeline/faults.py); the re-runs and the uninterrupted reference run the same CLI in
process.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from moderation import cli
from moderation.scoring import MiniLMHeadsScorer
from tests.conftest import ROOT, SAMPLE_DATA, WW3_RULE, fresh_postgres_database
from tests.resume_helpers import ARTICLES, Snapshot, env, run_cli, snapshot
from tests.resume_helpers import write_corpus as _write_corpus

MODEL_ID = MiniLMHeadsScorer().model_id
COMMENTS = ARTICLES * 30


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write_corpus(
        tmp_path_factory.mktemp("corpus") / "files", sorted(SAMPLE_DATA.glob("*.txt"))
    )


@pytest.fixture(scope="module")
def module_rules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("rules") / "rules.yaml"
    shutil.copy(ROOT / "rules.yaml", target)
    shutil.copytree(ROOT / "rule_lists", target.parent / "rule_lists")
    return target


@pytest.fixture
def cli_env(module_rules: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The in-process CLI sees what the killed processes saw (model, rules, batch size)."""
    for key, value in env(module_rules).items():
        if key.startswith("THREADWATCH_"):
            monkeypatch.setenv(key, value)
    return module_rules


def in_process(url: str, *args: str) -> None:
    assert cli.main(["--db", url, *args]) == 0


@pytest.fixture(scope="module")
def reference(
    corpus: Path, module_rules: Path, tmp_path_factory: pytest.TempPathFactory
) -> Snapshot:
    """One uninterrupted ingest (a real process, as the killed ones)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('ref') / 'ref.db'}"
    done = run_cli(url, module_rules, "ingest", str(corpus))
    assert done.returncode == 0, done.stderr
    found = snapshot(url, MODEL_ID)
    assert len(found.statuses) == COMMENTS and found.flags and not found.unscored
    assert found.unevaluated == 0 and found.pending_without_hits() == 0
    return found


def assert_same_queue(found: Snapshot, reference: Snapshot) -> None:
    assert found.active == reference.active and found.pending is None
    assert not found.unscored and found.unevaluated == 0
    lost = [c for c, s in reference.statuses.items() if s == "pending"]
    lost = [c for c in lost if found.statuses.get(c) != "pending"]
    assert not lost, f"{len(lost)} flagged comments missing from Pending"
    assert found.statuses == reference.statuses
    assert found.flags == reference.flags


def test_the_reference_is_the_same_on_postgresql(
    reference: Snapshot, corpus: Path, module_rules: Path, postgres_admin_url: str
) -> None:
    with fresh_postgres_database(postgres_admin_url) as url:
        done = run_cli(url, module_rules, "ingest", str(corpus))
        assert done.returncode == 0, done.stderr
        assert_same_queue(snapshot(url, MODEL_ID), reference)


# phase:n -> the n-th checkpoint of that phase; "store:8" is right after the last article.
KILLS = [
    ("store:5", "ingest"),  # mid-store: the rest is stored, everything scored and flagged
    (f"store:{ARTICLES}", "score"),  # all stored, nothing scored (see also the test below)
    ("score:2", "ingest"),  # mid-scoring
    ("flag:3", "ingest"),  # mid-flagging
    ("flag:3", "reflag"),
]


@pytest.mark.parametrize(("kill_at", "rerun"), KILLS)
def test_kill_9_then_rerun_gives_the_uninterrupted_queue(
    database_url: str,
    corpus: Path,
    cli_env: Path,
    reference: Snapshot,
    kill_at: str,
    rerun: str,
) -> None:
    killed = run_cli(database_url, cli_env, "ingest", str(corpus), kill_at=kill_at)
    assert killed.returncode == -9, (killed.returncode, killed.stderr[-2000:])
    before = snapshot(database_url, MODEL_ID)
    assert before.unscored or before.unevaluated, "the kill must leave work undone"
    if rerun == "ingest":
        in_process(database_url, "ingest", str(corpus))
    else:
        in_process(database_url, rerun)
    assert_same_queue(snapshot(database_url, MODEL_ID), reference)


def test_a_rerun_of_unchanged_files_still_finishes_the_work(
    database_url: str,
    corpus: Path,
    cli_env: Path,
    reference: Snapshot,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The reported case: killed after storing, the re-run says "unchanged" and used to stop."""
    killed = run_cli(database_url, cli_env, "ingest", str(corpus), kill_at=f"store:{ARTICLES}")
    assert killed.returncode == -9
    assert snapshot(database_url, MODEL_ID).flags == frozenset()
    in_process(database_url, "ingest", str(corpus))
    out = capsys.readouterr().out
    assert f"0 new, 0 updated, {ARTICLES} unchanged" in out
    assert f"{COMMENTS} texts scored" in out
    assert_same_queue(snapshot(database_url, MODEL_ID), reference)


def test_a_later_file_failing_leaves_nothing_unscored_or_unflagged(
    database_url: str,
    corpus: Path,
    cli_env: Path,
    reference: Snapshot,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The other reported case: a file after the stored ones fails; the run reports it (exit 2)
    and still scores and flags everything stored, and a re-run has nothing left to do."""
    broken = tmp_path / "zz_last.xml"  # sorted after the corpus' files
    broken.write_text('<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item>')
    assert cli.main(["--db", database_url, "ingest", str(corpus), str(broken)]) == 2
    said = capsys.readouterr()
    assert "1 failed" in said.out and "zz_last.xml: malformed XML" in said.err
    assert_same_queue(snapshot(database_url, MODEL_ID), reference)
    in_process(database_url, "ingest", str(corpus))
    out = capsys.readouterr().out
    assert f"0 new, 0 updated, {ARTICLES} unchanged" in out and "0 texts scored" in out


# -- rule-set versions: re-flag into a new version, killed at every phase ---------------------


@pytest.fixture(scope="module")
def edited_reference(
    corpus: Path, module_rules: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Snapshot, Path]:
    """Ingest under v1, then edit rules.yaml and re-flag without interruption."""
    folder = tmp_path_factory.mktemp("edited-rules")
    rules = folder / "rules.yaml"
    rules.write_text(module_rules.read_text() + WW3_RULE)
    shutil.copytree(module_rules.parent / "rule_lists", folder / "rule_lists")
    url = f"sqlite:///{tmp_path_factory.mktemp('edited') / 'ref.db'}"
    assert run_cli(url, module_rules, "ingest", str(corpus)).returncode == 0
    assert run_cli(url, rules, "reflag").returncode == 0
    found = snapshot(url, MODEL_ID)
    assert found.active == 2 and found.pending is None
    return found, rules


@pytest.mark.parametrize(
    ("kill_at", "rerun"),
    [("flag:1", "reflag"), ("flag:5", "ingest"), ("switch:1", "reflag")],
)
def test_a_killed_reflag_never_half_applies_and_resumes(
    database_url: str,
    corpus: Path,
    cli_env: Path,
    reference: Snapshot,
    edited_reference: tuple[Snapshot, Path],
    kill_at: str,
    rerun: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    edited, edited_rules = edited_reference
    in_process(database_url, "ingest", str(corpus))
    killed = run_cli(database_url, edited_rules, "reflag", kill_at=kill_at)
    assert killed.returncode == -9, killed.stderr[-2000:]
    # The queue still shows v1, whole: every flagged comment in Pending with its hits.
    interrupted = snapshot(database_url, MODEL_ID)
    assert interrupted.pending == 2
    assert_same_queue_but_pending(interrupted, reference)
    monkeypatch.setenv("THREADWATCH_RULES_PATH", str(edited_rules))
    if rerun == "ingest":  # says "unchanged" for every file, and applies v2
        in_process(database_url, "ingest", str(corpus))
    else:
        in_process(database_url, rerun)
    assert_same_queue(snapshot(database_url, MODEL_ID), edited)


def assert_same_queue_but_pending(found: Snapshot, reference: Snapshot) -> None:
    assert found.active == reference.active
    assert found.statuses == reference.statuses
    assert found.flags == reference.flags
    assert found.pending_without_hits() == 0
