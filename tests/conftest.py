"""Fixtures shared by every test: seed files, ../shared data, and both real databases.

PostgreSQL: THREADWATCH_TEST_POSTGRES_URL (an admin URL allowed to CREATE DATABASE) when set, as
.ci/run does with Debian's packaged cluster; otherwise the tests start a throwaway server from
Debian's `postgresql` binaries; with neither, PostgreSQL tests skip and say why.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import create_engine, text

from moderation.scoring import MiniLMHeadsScorer
from moderation.store import Store
from tests.workers import pytest_runtest_protocol  # noqa: F401  (a hook: timed tests run alone)

# The suite's property tests draw the same examples on every run (a red CI is reproducible
# and never depends on luck); the randomised long runs are benchmarks/fuzz_*.py.
settings.register_profile("suite", derandomize=True, database=None, print_blob=True)
settings.load_profile("suite")

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DATA = ROOT / "sample_data"
SEED_000 = SAMPLE_DATA / "000_6c11dab985d08017.txt"
SHARED = ROOT.parent / "shared"
SHARED_DATA = SHARED / "data"
PG_URL_ENV = "THREADWATCH_TEST_POSTGRES_URL"
# The one reason every test that needs ../shared/data gives when it skips (see README, Tests).
SHARED_DATA_MISSING = (
    "../shared/data is absent: real-export parsing and labelled-data quality tests are skipped"
)


def skip_without_shared_data(*files: str) -> pytest.MarkDecorator:
    """Mark tests that read these files of ../shared/data (or the folder itself)."""
    present = SHARED_DATA.is_dir() and all((SHARED_DATA / f).is_file() for f in files)
    return pytest.mark.skipif(not present, reason=SHARED_DATA_MISSING)


@pytest.fixture
def seed_000() -> Path:
    return SEED_000


@pytest.fixture
def seeds() -> list[Path]:
    return sorted(SAMPLE_DATA.glob("*.txt"))


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(SHARED_DATA_MISSING)
    return SHARED_DATA


@pytest.fixture(scope="session")
def offline_scorer() -> MiniLMHeadsScorer:
    """The bundled offline model, loaded once per session (its int8 encoder is built once per
    machine, into THREADWATCH_MODEL_CACHE or ~/.cache/threadwatch/models)."""
    return MiniLMHeadsScorer()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_postgres_user(cmd: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root; CI runs as root.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    if os.environ.get(PG_URL_ENV):
        yield os.environ[PG_URL_ENV]
        return
    initdbs = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not initdbs:
        pytest.skip(f"no PostgreSQL: set {PG_URL_ENV} or apt-get install postgresql")
    bindir = Path(initdbs[-1]).parent
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        pytest.skip("PostgreSQL cannot run as root and runuser is missing")
    workdir = Path(tempfile.mkdtemp(prefix="threadwatch-pg-"))
    datadir = workdir / "data"
    datadir.mkdir()
    if os.geteuid() == 0:
        workdir.chmod(0o755)
        shutil.chown(datadir, "postgres", "postgres")
        shutil.chown(workdir, "postgres", "postgres")
    port = _free_port()
    subprocess.run(
        _as_postgres_user(
            [
                str(bindir / "initdb"),
                "-D",
                str(datadir),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
            ]
        ),
        check=True,
        capture_output=True,
    )
    log = workdir / "server.log"
    started = subprocess.run(
        _as_postgres_user(
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(datadir),
                "-l",
                str(log),
                "-w",
                "-t",
                "60",
                "-o",
                f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync=off",
                "start",
            ]
        ),
        capture_output=True,
        text=True,
    )
    if started.returncode != 0:
        detail = log.read_text() if log.exists() else started.stderr
        pytest.fail(f"could not start PostgreSQL:\n{detail}")
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as_postgres_user([str(bindir / "pg_ctl"), "-D", str(datadir), "-m", "fast", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(workdir, ignore_errors=True)


@contextlib.contextmanager
def fresh_postgres_database(admin_url: str) -> Iterator[str]:
    name = f"tw_{uuid.uuid4().hex[:12]}"
    admin = create_engine(
        admin_url.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    base, _, _ = admin_url.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Each test that takes this runs twice: on SQLite and on a real PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'threadwatch.db'}"
        return
    with fresh_postgres_database(request.getfixturevalue("postgres_admin_url")) as url:
        yield url


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    opened = Store.open(database_url)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def rules_path(tmp_path: Path) -> Path:
    """A private copy of rules.yaml and its lists: saving rules must never touch the repo's."""
    target = tmp_path / "rules" / "rules.yaml"
    target.parent.mkdir()
    shutil.copy(ROOT / "rules.yaml", target)
    shutil.copytree(ROOT / "rule_lists", target.parent / "rule_lists")
    return target


# A rule to append to rules.yaml: it flags several seed comments that mention WW3.
WW3_RULE = """
  - id: ww3-talk
    description: Talk of world war three
    category: other
    clause: no-inappropriate-material
    action: flag
    severity: 1
    match:
      words: [ww3]
    examples:
      should_flag: [ww3 is coming]
      should_pass: [peace in our time]
"""


@pytest.fixture
def ww3_rule() -> str:
    return WW3_RULE
