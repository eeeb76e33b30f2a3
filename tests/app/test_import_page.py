"""Import page in AppTest: an editor uploads, previews and ingests; a moderator is kept out.

Streamlit 1.67's AppTest drives st.file_uploader (``set_value`` with (name, bytes, mime)
tuples), so the upload itself is exercised here, not only the domain helper.
"""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from moderation import review
from moderation.store import Store
from moderation.ui.auth import User
from moderation.ui.import_page import REFUSAL
from tests.app.helpers import ROOT, log_in

PAGE = "moderation/ui/pages/import_files.py"
TITLE = "Harbour **Bridge** Reopens After Repairs"
ARTICLE = f"""{TITLE}

Jane Writer

The harbour bridge reopened on Monday after six months of repairs, the city said.

Traffic is expected to return to normal by the end of the week.


  1. gary said:

    Finally! The detour added twenty minutes to my commute.

    • Avery said:

      Same here, glad it is over.
""".encode()
BINARY = bytes(range(256)) * 4


def errors(app: AppTest) -> list[str]:
    # File names and reasons are drawn with literal_markdown: drop its escapes to compare.
    return [e.value.replace("\\", "") for e in app.error]


def test_editor_previews_and_ingests_a_good_and_a_broken_file(empty_env: str) -> None:
    app = log_in("editor").switch_page(PAGE).run()
    assert not app.exception
    assert app.title[0].value == "Import"
    assert "import_ingest" not in _keys(app)  # nothing to ingest before an upload

    app.file_uploader(key="import_files").set_value(
        [("harbour.txt", ARTICLE, "text/plain"), ("broken.bin", BINARY, "application/octet-stream")]
    ).run()
    assert not app.exception
    preview = app.dataframe[0].value
    assert list(preview["file"]) == ["harbour.txt", "broken.bin"]
    good, bad = preview.iloc[0], preview.iloc[1]
    assert (good["format"], good["articles"], good["comments"], good["error"]) == (
        "scraped-text article",
        1,
        2,
        "",
    )
    assert bad["articles"] == 0 and "binary" in bad["error"]
    assert any("broken.bin: file looks binary" in e for e in errors(app))

    button = app.button(key="import_ingest")
    assert button.label == "Ingest 2 files" and not button.disabled
    button.click().run()
    assert not app.exception
    assert any("1 new" in w.value and "1 failed" in w.value for w in app.warning)
    assert any("broken.bin: file looks binary" in e for e in errors(app))

    store = Store.open(empty_env)
    try:
        titles = [a.title for a in map(store.load_article, store.article_ids()) if a]
        assert titles == [TITLE]
        (entry,) = review.audit_entries(store, action="import")
    finally:
        store.close()
    assert entry.actor == "editor"
    details = entry.details
    details = json.loads(details) if isinstance(details, str) else details
    assert [f["file"] for f in details["files"]] == ["harbour.txt", "broken.bin"]
    assert details["new"] == 1 and details["comments"] == 2


def test_a_bad_column_map_is_explained_and_blocks_the_ingest(empty_env: str) -> None:
    app = log_in("editor").switch_page(PAGE).run()
    app.file_uploader(key="import_files").set_value(("harbour.txt", ARTICLE, "text/plain"))
    app.text_input(key="import_map").input("text=body, colour=red").run()
    assert not app.exception
    assert any("Column mapping" in e and "colour" in e for e in errors(app))
    assert app.button(key="import_ingest").disabled


def test_a_moderator_has_no_import_page(empty_env: str) -> None:
    app = log_in("moderator")
    assert not app.exception
    assert "import_files" not in _keys(app)
    # The navigation does not register the page for a moderator...
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app.switch_page(PAGE)
    # ...and the page script, reached directly anyway, refuses.
    direct = AppTest.from_file(str(ROOT / PAGE), default_timeout=60)
    direct.session_state["_user"] = User("moderator", "Moderator", ("moderator",))
    direct.run()
    assert not direct.exception
    assert [e.value for e in direct.error] == [REFUSAL]
    assert not direct.file_uploader


def _keys(app: AppTest) -> set[str]:
    return {str(w.key) for w in [*app.file_uploader, *app.button] if w.key}


def test_a_readme_is_refused_in_the_preview_and_hostile_files_get_one_line_errors(
    empty_env: str,
) -> None:
    readme = (ROOT / "README.md").read_bytes()
    app = log_in("editor").switch_page(PAGE).run()
    app.file_uploader(key="import_files").set_value(
        [
            ("README.md", readme, "text/markdown"),
            ("bomb.html", b"<!---->" * 26 + b"<x>", "text/html"),
            ("deep.json", b"[" * 100_000 + b"]" * 100_000, "application/json"),
            ("harbour.txt", ARTICLE, "text/plain"),
        ]
    ).run()
    assert not app.exception
    preview = app.dataframe[0].value
    assert list(preview["articles"]) == [0, 0, 0, 1]
    shown = errors(app)
    assert any(e.startswith("README.md: not an article: no comment thread") for e in shown)
    # Read as an HTML page (by its name), instantly: all markup, no comments, no text.
    assert "bomb.html: not an article: it holds no comments and no article text" in shown
    assert any(e == "deep.json: JSON nested too deeply to read" for e in shown)
    assert all("\n" not in e and "Traceback" not in e for e in shown)
    assert app.button(key="import_ingest").label == "Ingest 4 files"


def test_the_preview_shows_the_comments_status_on_the_source_site(empty_env: str) -> None:
    export = (ROOT / "tests" / "unit" / "parsing" / "fixtures" / "wxr_1_2_https.xml").read_bytes()
    app = log_in("editor").switch_page(PAGE).run()
    app.file_uploader(key="import_files").set_value(("export.xml", export, "text/xml")).run()
    assert not app.exception
    row = app.dataframe[0].value.iloc[0]
    assert "approved" in row["on the site"]
    comments = app.dataframe[1].value  # the file's comments, in the expander
    assert list(comments.columns) == ["article", "author", "on the site", "posted", "reply", "text"]
    assert set(comments["on the site"]) >= {"approved"}
    assert len(comments) == row["comments"]


@pytest.mark.parametrize("user", [None, "moderator"])
def test_no_file_uploader_is_ever_rendered_to_a_non_editor(
    empty_env: str, user: str | None
) -> None:
    # The upload endpoint refuses such sessions (tests/e2e/test_import_uploads.py); the page must
    # not offer what the server would refuse.
    app = log_in(user)
    assert not app.exception and not app.file_uploader
    if user is None:
        return
    for page in sorted((ROOT / "moderation" / "ui" / "pages").glob("*.py")):
        if page.stem == "import_files":
            continue  # not registered for a moderator (see test_a_moderator_has_no_import_page)
        app.switch_page(f"moderation/ui/pages/{page.name}").run()
        assert not app.exception, page.name
        assert not app.file_uploader, page.name
