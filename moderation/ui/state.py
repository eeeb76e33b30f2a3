"""What a dashboard script run works from, read once per run: the settings, the store, the data
version (moderation/store/data_version.py) and the rules in force; and per-session facts (the
logged-in user). The router starts each run's context (``begin_run``); pages call the functions
below instead of building their own.

Caches: ``cached`` keys a page's query results by the store and the data version, so a write
(by any session, server or the CLI) makes every session's next run miss the old entries, with no
clearing. Per process: one Store per database (``shared_store``) and one scorer per scoring
configuration (built once by moderation.scoring, loaded in the background by model_loader).
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import streamlit as st

from moderation.access.accounts import User
from moderation.pipeline import jobs
from moderation.pipeline.ingest import IngestReport, ingest
from moderation.pipeline.versions import ActiveRules, load_active_rules, load_version
from moderation.records import InForce
from moderation.scoring import Scorer
from moderation.settings import Settings, load_settings
from moderation.store import Store
from moderation.store.data_version import DataVersion, data_version
from moderation.store.rulesets import active_version
from moderation.store.scores import latest_model
from moderation.ui import model_loader

STORED_MODEL_TTL = 30  # seconds; only asked while the scoring model is still loading
CACHE_ENTRIES = 64  # per cached function: entries of older data versions age out
_RUN = "_run"

P = ParamSpec("P")
R = TypeVar("R")


_stores: dict[str, Store] = {}
_stores_lock = threading.Lock()


def shared_store(url: str) -> Store:
    """One Store per database for the whole process, from any thread. Opened under a lock:
    two first opens of a new SQLite file at once would both try to create the tables."""
    with _stores_lock:
        if url not in _stores:
            _stores[url] = Store.open(url)
        return _stores[url]


@dataclass
class Run:
    """One script run's view: settings read once (tests change the environment between runs,
    so never kept longer), the store, and the data version read in one query at the start."""

    settings: Settings
    store: Store
    version: DataVersion
    rules: ActiveRules | None = None  # the rules in force, once asked for in this run

    def refresh(self) -> None:
        """After a write in this run: what it wrote is what the rest of the run reads."""
        self.version = data_version(self.store)
        self.rules = None


def begin_run() -> Run:
    """The context of a new script run (the router calls it first)."""
    current = load_settings()
    db = shared_store(current.database_url)
    # Read per run like every setting: with "external", this server only queues jobs.
    jobs.runner.external = current.workers == "external"
    run = Run(current, db, data_version(db))
    st.session_state[_RUN] = run
    return run


def context() -> Run:
    """This run's context; a callback (run before the script) gets the previous run's."""
    run: Run | None = st.session_state.get(_RUN)
    return run if run is not None else begin_run()


def _whole(version: DataVersion) -> Hashable:
    return version


def cached(
    ttl: float | None = None,
    max_entries: int = CACHE_ENTRIES,
    *,
    keyed_by: Callable[[DataVersion], Hashable] = _whole,
    show_spinner: bool | str = False,
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """``st.cache_data`` keyed also by this run's store URL and data version: a write anywhere
    moves the version, and the next run misses the old entries. Shared by every session (the
    results do not depend on who asks); ``ttl`` bounds staleness for writes that move no part
    of the version (see moderation/store/data_version.py). ``keyed_by`` narrows the key to the
    part of the version a costly result depends on (the audit chain's check: its head)."""

    def decorate(fn: Callable[P, R]) -> Callable[P, R]:
        def keyed(store_url: str, version: Hashable, /, *args: Any, **kwargs: Any) -> R:
            return fn(*args, **kwargs)

        # st.cache_data names a cache after its function's module and qualified name.
        keyed.__module__, keyed.__qualname__ = fn.__module__, fn.__qualname__
        cache = st.cache_data(ttl=ttl, max_entries=max_entries, show_spinner=show_spinner)(keyed)

        @functools.wraps(fn)
        def call(*args: P.args, **kwargs: P.kwargs) -> R:
            run = context()
            return cache(run.store.url, keyed_by(run.version), *args, **kwargs)

        return call

    return decorate


def settings() -> Settings:
    return context().settings


def store() -> Store:
    return context().store


def scorer() -> Scorer:
    """The scoring model, for code that runs it: waits (with a spinner) while it loads."""
    current = settings()
    loaded = model_loader.ready(current)
    if loaded is not None:
        return loaded
    with st.spinner("Loading the toxicity model…", show_time=True):
        return model_loader.wait(current)


def model_loaded() -> bool:
    return model_loader.ready(settings()) is not None


@cached(ttl=STORED_MODEL_TTL)
def _stored_model() -> tuple[str, tuple[str, ...]] | None:
    return latest_model(store())


def model_id() -> str | None:
    """The active model's id; while it is still loading, that of the newest stored scores
    (the queue and the charts work from those), or None when nothing is scored yet."""
    loaded = model_loader.ready(settings())
    if loaded is not None:
        return loaded.model_id
    stored = _stored_model()
    return stored[0] if stored else None


def labels() -> list[str]:
    loaded = model_loader.ready(settings())
    if loaded is not None:
        return list(loaded.labels)
    stored = _stored_model()
    return list(stored[1]) if stored else []


_LIST_FILE = re.compile(r"^\s*file:\s*['\"]?([^'\"#\s]+)", re.MULTILINE)
_loaded_rules: dict[tuple[object, ...], ActiveRules] = {}
_loaded_lock = threading.Lock()


def _on_disk(path: Path) -> tuple[object, ...]:
    """What identifies the rules on disk: rules.yaml's and its list files' stat."""
    try:
        stat = path.stat()
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return (str(path), None)
    lists = []
    for name in _LIST_FILE.findall(text):
        try:
            listed = (path.parent / name).stat()
            lists.append((name, listed.st_mtime_ns, listed.st_size))
        except OSError:
            lists.append((name, None, None))
    return (str(path), stat.st_mtime_ns, stat.st_size, *lists)


def load_rules_once(current: Settings, db: Store) -> ActiveRules:
    """load_active_rules, once per version of the files and of the database: parsing and
    compiling rules.yaml costs a few hundred milliseconds, and every login is a new session.
    Safe from any thread (the router's warm-up calls it at server start)."""

    def key() -> tuple[object, ...]:
        return (current.database_url, _on_disk(current.rules_path), active_version(db))

    with _loaded_lock:
        found = _loaded_rules.get(key())
    if found is None:
        found = load_active_rules(db, current.rules_path)
        with _loaded_lock:
            _loaded_rules.clear()  # one entry: the newest
            # Keyed after loading: a changed rules.yaml has just become the latest version.
            _loaded_rules[key()] = found
    return found


def rules() -> ActiveRules:
    """The active rule set: rules.yaml when valid (a new version when it changed on disk),
    else the last good version, with the error kept for the banner. Once per run."""
    run = context()
    if run.rules is not None:
        return run.rules
    cached_rules: ActiveRules | None = st.session_state.get("_rules")
    if cached_rules is None:
        # A new session reads rules.yaml, so an edit on disk is picked up (or reported), and
        # finishes in the background what an interrupted run left (a pending version included);
        # the worker, not the session, waits for a model still loading.
        cached_rules = load_rules_once(run.settings, run.store)
        current = run.settings
        jobs.finish_interrupted_work(
            run.store, current.rules_path, lambda: model_loader.wait(current)
        )
        run.refresh()  # reading rules.yaml may have saved a new version
    else:
        # Another editor may have saved a version since: the run's data version says.
        latest = run.version.active_rules
        if latest is not None and latest != cached_rules.version:
            cached_rules = load_version(run.store, latest, run.settings.rules_path)
    st.session_state["_rules"] = run.rules = cached_rules
    return cached_rules


def rule_set_version() -> int:
    return rules().version


def rule_clauses() -> list[tuple[str, str]]:
    return [(c.id, c.text) for c in rules().ruleset.clauses]


def in_force() -> InForce:
    return InForce(rule_set_version=rule_set_version(), model_id=model_id())


def current_user() -> User:
    user: User = st.session_state["_user"]
    return user


def invalidate() -> None:
    """After a write: the rest of this run reads the new state (the data version moved, so
    caches keyed by it miss), and every other session's next run does too."""
    context().refresh()


def ensure_sample_data() -> IngestReport | None:
    """First run on an empty database: load sample_data/ (parse, score, flag) with progress."""
    run = context()
    if run.version.articles or not run.settings.sample_data.is_dir():
        return None
    with st.status("First run: loading sample articles…", expanded=True) as status:
        bar = st.progress(0.0, text="Reading files")
        scores = st.progress(0.0, text="Scoring comments")
        report = ingest(
            [run.settings.sample_data],
            run.store,
            max_bytes=run.settings.max_file_bytes,
            progress=lambda done, total, path: bar.progress(done / total, text=path),
            scorer=scorer(),
            rules=rules(),
            score_progress=lambda done, total: scores.progress(
                done / total if total else 1.0, text=f"Scored {done} of {total} comments"
            ),
        )
        status.update(label=f"Sample data loaded: {report.summary()}", state="complete")
    invalidate()
    return report
