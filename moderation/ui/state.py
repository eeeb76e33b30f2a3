"""Per-process resources for the dashboard: settings and the store, opened once."""

from __future__ import annotations

import streamlit as st

from moderation.pipeline import IngestReport, ingest
from moderation.settings import Settings, load_settings
from moderation.store import Store


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store:
    return Store.open(url)


def settings() -> Settings:
    # Not cached: cheap, and tests change the environment between app runs.
    return load_settings()


def store() -> Store:
    return _store(settings().database_url)


def ensure_sample_data(target: Store, current: Settings) -> IngestReport | None:
    """First run on an empty database: load sample_data/ so there is something to review."""
    if target.counts()["articles"] or not current.sample_data.is_dir():
        return None
    with st.status("First run: loading sample articles…", expanded=True) as status:
        bar = st.progress(0.0)
        report = ingest(
            [current.sample_data],
            target,
            max_bytes=current.max_file_bytes,
            progress=lambda done, total, path: bar.progress(done / total, text=path),
        )
        status.update(label=f"Sample data loaded: {report.summary()}", state="complete")
    return report
