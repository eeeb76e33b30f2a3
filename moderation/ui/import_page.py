"""Import: editors and admins upload source files, see what each holds (format, articles,
comments, pingbacks, or why it cannot be read), then ingest them with progress. The work is in
moderation/importing.py; this page only reads widgets and shows results."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from moderation.errors import ConfigError
from moderation.importing import FileCheck, Upload, check_upload, ingest_checked
from moderation.parsing import ParseOptions
from moderation.parsing.tabular import parse_column_map
from moderation.pipeline import IngestReport
from moderation.ui import state
from moderation.ui.text import literal_markdown

REFUSAL = "Editors and admins only: ask an admin for the editor role to import files."
_FORMATS = (
    "WordPress WXR, Disqus XML, WordPress article pages (HTML), CSV / TSV / JSON lines, "
    "and the scraped-text articles of sample_data/. The format is detected from the content."
)


@st.cache_data(max_entries=64, show_spinner="Reading files…")
def _check(
    name: str, data: bytes, max_bytes: int, column_map: tuple[tuple[str, str], ...]
) -> FileCheck:
    # Cached per file content: every widget change reruns the page, and parsing a large export
    # again each time would make typing a column map sluggish.
    return check_upload(
        Upload(name, data), max_bytes=max_bytes, options=ParseOptions(column_map=dict(column_map))
    )


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


def _preview(checks: list[FileCheck]) -> None:
    table = pd.DataFrame([c.summary() for c in checks])
    table["format"] = table["format"].fillna("—")
    table["error"] = table["error"].fillna("")
    # st.dataframe shows cells as plain text, so file names from the browser are safe here.
    st.dataframe(table, hide_index=True, key="import_preview")
    for check in checks:
        if check.error is not None:
            st.error(literal_markdown(f"{check.name}: {check.error}"))


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
    st.caption(f"Formats: {_FORMATS} Up to {settings.max_file_bytes:,} bytes per file.")
    uploaded: list[UploadedFile] = (
        st.file_uploader("Source files", accept_multiple_files=True, key="import_files") or []
    )
    column_map = _column_map()
    if not uploaded:
        st.info("Upload one or more files to see what they hold before importing.")
    else:
        mapping = tuple(sorted((column_map or {}).items()))
        checks = [_check(f.name, f.getvalue(), settings.max_file_bytes, mapping) for f in uploaded]
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
    report: IngestReport | None = st.session_state.get("import_report")
    if report is not None:
        _show_report(report)
