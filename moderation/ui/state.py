"""Per-process resources for the dashboard (settings, store, scorer, rules) and per-session
facts (the logged-in user). Pages call these instead of building their own."""

from __future__ import annotations

import streamlit as st

from moderation import jobs
from moderation.flagging import ActiveRules, load_active_rules, load_version
from moderation.pipeline import IngestReport, ingest
from moderation.review import InForce, latest_rule_set_version
from moderation.scoring import Scorer, build_scorer
from moderation.settings import Settings, load_settings
from moderation.store import Store
from moderation.ui.auth import User


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store:
    return Store.open(url)


@st.cache_resource(show_spinner="Loading the toxicity model…")
def _scorer(settings_json: str) -> Scorer:
    return build_scorer(Settings.model_validate_json(settings_json))


def settings() -> Settings:
    # Not cached: cheap, and tests change the environment between app runs.
    return load_settings()


def store() -> Store:
    return _store(settings().database_url)


def scorer() -> Scorer:
    return _scorer(settings().model_dump_json())


def model_id() -> str:
    return scorer().model_id


def labels() -> list[str]:
    return list(scorer().labels)


def rules() -> ActiveRules:
    """The active rule set: rules.yaml when valid (a new version when it changed on disk),
    else the last good version, with the error kept for the banner."""
    cached: ActiveRules | None = st.session_state.get("_rules")
    if cached is None:
        # A new session reads rules.yaml, so an edit on disk is picked up (or reported), and
        # finishes in the background what an interrupted run left (a pending version included).
        cached = load_active_rules(store(), settings().rules_path)
        jobs.finish_interrupted_work(store(), settings().rules_path, scorer())
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
