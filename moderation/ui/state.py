"""Per-process resources for the dashboard (settings, store, scorer, rules) and per-session
facts (the logged-in user). Pages call these instead of building their own."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import streamlit as st

from moderation import jobs
from moderation.accounts import User
from moderation.flagging import ActiveRules, load_active_rules, load_version
from moderation.pipeline import IngestReport, ingest
from moderation.review import InForce, latest_rule_set_version
from moderation.scoring import Scorer
from moderation.settings import Settings, load_settings
from moderation.store import Store
from moderation.store.scores import latest_model
from moderation.ui import model_loader

STORED_MODEL_TTL = 30  # seconds; only asked while the scoring model is still loading


_stores: dict[str, Store] = {}
_stores_lock = threading.Lock()


def shared_store(url: str) -> Store:
    """One Store per database for the whole process, from any thread. Opened under a lock:
    two first opens of a new SQLite file at once would both try to create the tables."""
    with _stores_lock:
        if url not in _stores:
            _stores[url] = Store.open(url)
        return _stores[url]


def _store(url: str) -> Store:
    return shared_store(url)


@st.cache_data(ttl=STORED_MODEL_TTL, show_spinner=False)
def _stored_model(db_url: str) -> tuple[str, tuple[str, ...]] | None:
    return latest_model(store())


def settings() -> Settings:
    # Not cached: cheap, and tests change the environment between app runs.
    return load_settings()


def store() -> Store:
    return _store(settings().database_url)


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


def model_id() -> str | None:
    """The active model's id; while it is still loading, that of the newest stored scores
    (the queue and the charts work from those), or None when nothing is scored yet."""
    loaded = model_loader.ready(settings())
    if loaded is not None:
        return loaded.model_id
    stored = _stored_model(settings().database_url)
    return stored[0] if stored else None


def labels() -> list[str]:
    loaded = model_loader.ready(settings())
    if loaded is not None:
        return list(loaded.labels)
    stored = _stored_model(settings().database_url)
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
        return (current.database_url, _on_disk(current.rules_path), latest_rule_set_version(db))

    with _loaded_lock:
        found = _loaded_rules.get(key())
    if found is None:
        found = load_active_rules(db, current.rules_path)
        with _loaded_lock:
            _loaded_rules.clear()  # one entry: the newest
            # Keyed after loading: a changed rules.yaml has just become the latest version.
            _loaded_rules[key()] = found
    return found


def _load_rules() -> ActiveRules:
    return load_rules_once(settings(), store())


def rules() -> ActiveRules:
    """The active rule set: rules.yaml when valid (a new version when it changed on disk),
    else the last good version, with the error kept for the banner."""
    cached: ActiveRules | None = st.session_state.get("_rules")
    if cached is None:
        # A new session reads rules.yaml, so an edit on disk is picked up (or reported), and
        # finishes in the background what an interrupted run left (a pending version included);
        # the worker, not the session, waits for a model still loading.
        cached = _load_rules()
        current = settings()
        jobs.finish_interrupted_work(
            store(), current.rules_path, lambda: model_loader.wait(current)
        )
    else:
        # Another editor may have saved a version since: one cheap query per run.
        latest = latest_rule_set_version(store())
        if latest is not None and latest != cached.version:
            cached = load_version(store(), latest, settings().rules_path)
    st.session_state["_rules"] = cached
    return cached


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
    """Forget cached query results after a write, so every page shows the new state."""
    st.cache_data.clear()


def ensure_sample_data(target: Store, current: Settings) -> IngestReport | None:
    """First run on an empty database: load sample_data/ (parse, score, flag) with progress."""
    if target.counts()["articles"] or not current.sample_data.is_dir():
        return None
    with st.status("First run: loading sample articles…", expanded=True) as status:
        bar = st.progress(0.0, text="Reading files")
        scores = st.progress(0.0, text="Scoring comments")
        report = ingest(
            [current.sample_data],
            target,
            max_bytes=current.max_file_bytes,
            progress=lambda done, total, path: bar.progress(done / total, text=path),
            scorer=scorer(),
            rules=rules(),
            score_progress=lambda done, total: scores.progress(
                done / total if total else 1.0, text=f"Scored {done} of {total} comments"
            ),
        )
        status.update(label=f"Sample data loaded: {report.summary()}", state="complete")
    return report
