"""Import: editors and admins upload source files, see what each holds (format, articles,
comments, pingbacks, the comments' status on the source site, or why it cannot be read), then
ingest them with progress. The work is in moderation/pipeline/uploads.py; this page only reads
widgets and shows results.

Each upload is streamed to a temporary file and parsed in a worker process under the parse
budget (moderation/parsing/worker.py), so neither a hostile file nor a large one can stall or
swell the dashboard's own process: other sessions keep being served while it is read.
"""

from __future__ import annotations

import logging
import math

import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from moderation.errors import ConfigError
from moderation.parsing import ParseOptions
from moderation.parsing.decoding import one_line
from moderation.parsing.tabular import parse_column_map
from moderation.parsing.worker import ParseBudget, ParseWorker, ParseWorkerPool
from moderation.pipeline.ingest import IngestReport
from moderation.pipeline.uploads import (
    FileCheck,
    check_file,
    ingest_checked,
    safe_name,
    spooled,
    too_large_error,
)
from moderation.ui import state
from moderation.ui.text import literal_markdown

log = logging.getLogger(__name__)

REFUSAL = "Editors and admins only: ask an admin for the editor role to import files."
_FORMATS = (
    "WordPress WXR, Disqus XML, WordPress article pages (HTML), CSV / TSV / JSON lines, "
    "and the scraped-text articles of sample_data/. The format is detected from the content."
)
_CHECKS = "_import_checks"
_PREVIEW_ROWS = 200
_EXCERPT = 120


@st.cache_resource(show_spinner=False)
def _workers(seconds: float, memory_mb: int) -> ParseWorkerPool:
    # One pool per server process: each check borrows a worker of its own, and one idle worker
    # stays warm so the next upload does not wait for a worker to start.
    return ParseWorkerPool(ParseBudget(seconds=seconds, memory_bytes=memory_mb * 1024**2))


def _column_map() -> dict[str, str] | None:
    """The mapping typed in, {} when none, or None (error shown) when it is invalid."""
    spec = st.text_input(
        "Column mapping for CSV / JSON lines (optional)",
        key="import_map",
        placeholder="text=body, author=user, parent=reply_to, article=thread",
        help="Only needed when the columns have unusual names; other formats ignore it.",
    ).strip()
    if not spec:
        return {}
    try:
        return parse_column_map(spec)
    except ConfigError as exc:
        # exc.reason quotes what was typed: shown literally.
        st.error("Column mapping: " + literal_markdown(exc.reason))
        return None


def _checks(uploaded: list[UploadedFile], mapping: tuple[tuple[str, str], ...]) -> list[FileCheck]:
    """One check per upload, kept in this session while the file stays uploaded: every widget
    change reruns the page, and a large export is not parsed again each time."""
    settings = state.settings()
    cached: dict[tuple[str, int, tuple[tuple[str, str], ...]], FileCheck] = st.session_state.get(
        _CHECKS, {}
    )
    keys = [(f.file_id, f.size, mapping) for f in uploaded]
    missing = [(key, f) for key, f in zip(keys, uploaded, strict=True) if key not in cached]
    if missing:
        pool = _workers(settings.parse_seconds, settings.parse_memory_mb)
        options = ParseOptions(column_map=dict(mapping))
        with st.spinner(f"Reading {len(missing)} file(s)…"), pool.worker() as worker:
            for key, upload in missing:
                cached[key] = _check(upload, worker, settings.max_file_bytes, options)
    # Forget the files that were removed from the uploader.
    st.session_state[_CHECKS] = {key: cached[key] for key in keys}
    return [cached[key] for key in keys]


def _check(
    upload: UploadedFile, worker: ParseWorker, max_bytes: int, options: ParseOptions
) -> FileCheck:
    name = safe_name(upload.name)
    if upload.size > max_bytes:
        error = too_large_error(upload.size, max_bytes, name)
        return FileCheck(name=name, size=upload.size, error=error.reason)
    upload.seek(0)
    with spooled(upload, max_bytes=max_bytes) as path:
        return check_file(path, name=name, worker=worker, max_bytes=max_bytes, options=options)


def _preview(checks: list[FileCheck]) -> None:
    table = pd.DataFrame([c.summary() for c in checks])
    table["format"] = table["format"].fillna("—")
    table["error"] = table["error"].fillna("")
    # st.dataframe shows cells as plain text, so file names from the browser are safe here.
    st.dataframe(table, hide_index=True, key="import_preview")
    for check in checks:
        if check.error is not None:
            st.error(literal_markdown(f"{check.name}: {check.error}"))
    for i, check in enumerate(checks):
        if check.comments:
            with st.expander(f"Comments in file {i + 1} ({check.comments:,})"):
                st.dataframe(_comment_rows(check), hide_index=True, key=f"import_comments_{i}")


def _comment_rows(check: FileCheck) -> pd.DataFrame:
    """The first comments of a file as the preview lists them: who, when, their status on the
    source site (approved, pending, spam, … as the export states it) and the start of the text."""
    rows: list[dict[str, str]] = []
    for article in check.articles:
        for comment in article.reader_comments:
            if len(rows) == _PREVIEW_ROWS:
                break
            text = " ".join(comment.text.split())
            rows.append(
                {
                    "article": article.title,
                    "author": comment.author or "—",
                    "on the site": comment.status or "not stated",
                    "posted": comment.posted_at or "—",
                    "reply": "yes" if comment.parent_id else "",
                    "text": text if len(text) <= _EXCERPT else text[: _EXCERPT - 1] + "…",
                }
            )
    return pd.DataFrame(rows)


def _ingest(checks: list[FileCheck]) -> IngestReport:
    with st.status(f"Importing {len(checks)} files…", expanded=True) as status:
        files = st.progress(0.0, text="Storing articles")
        scores = st.progress(0.0, text="Scoring comments")

        def stored(done: int, total: int, name: str) -> None:
            # Upload names are untrusted and the bar's text is Markdown: escape it.
            files.progress(done / total, text=literal_markdown(name))

        def scored(done: int, total: int) -> None:
            scores.progress(
                done / total if total else 1.0, text=f"Scored {done} of {total} comments"
            )

        report = ingest_checked(
            checks,
            state.store(),
            actor=state.current_user().username,
            in_force=state.in_force(),
            progress=stored,
            scorer=state.scorer(),
            rules=state.rules(),
            score_progress=scored,
            learned_model=state.settings().learned_model,
        )
        status.update(
            label=f"Import finished: {report.summary()}",
            state="complete" if report.ok else "error",
        )
    state.invalidate()
    return report


def _show_report(report: IngestReport) -> None:
    st.subheader("Last import")
    (st.success if report.ok else st.warning)(report.summary())
    for source, reason in report.failed:
        st.error(literal_markdown(f"{source}: {reason}"))


def render() -> None:
    st.title("Import")
    if not state.current_user().can("editor"):
        # Navigation hides the page from moderators; this guards a direct visit to the script.
        st.error(REFUSAL)
        return
    settings = state.settings()
    budget = ParseBudget.from_settings(settings)
    st.caption(
        f"Formats: {_FORMATS} Up to {settings.max_file_bytes:,} bytes per file, read within "
        f"{budget.describe()}."
    )
    uploaded: list[UploadedFile] = (
        st.file_uploader(
            "Source files",
            accept_multiple_files=True,
            key="import_files",
            # The browser refuses larger files up front; the server's hard cap is
            # server.maxUploadSize in .streamlit/config.toml.
            max_upload_size=max(1, math.ceil(settings.max_file_bytes / 1024**2)),
        )
        or []
    )
    column_map = _column_map()
    try:
        _upload_section(uploaded, column_map)
    except Exception as exc:  # never a traceback with server paths in the browser
        log.exception("import page failed")
        st.error(literal_markdown(f"The import could not be completed: {one_line(str(exc))}"))
    report: IngestReport | None = st.session_state.get("import_report")
    if report is not None:
        _show_report(report)


def _upload_section(uploaded: list[UploadedFile], column_map: dict[str, str] | None) -> None:
    if not uploaded:
        st.info("Upload one or more files to see what they hold before importing.")
        return
    checks = _checks(uploaded, tuple(sorted((column_map or {}).items())))
    _preview(checks)
    readable = sum(c.ok for c in checks)
    count = f"{len(checks)} file" + ("s" if len(checks) != 1 else "")
    if st.button(
        f"Ingest {count}",
        key="import_ingest",
        type="primary",
        disabled=column_map is None or not readable,
        help="Stores, scores and flags the readable files; the others are reported.",
    ):
        st.session_state["import_report"] = _ingest(checks)
