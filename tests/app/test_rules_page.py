"""Rules page in AppTest: roles, validation with line numbers, preview == reflag, save, rollback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from moderation.pipeline import jobs, rule_edits
from moderation.store import Store
from moderation.store.schema import flags
from tests.app.helpers import ROOT, log_in


def button_keys(app: AppTest) -> set[str]:
    return {b.key for b in app.button if b.key}


def test_moderator_can_view_and_test_but_not_save(app_env: str, rules_path: Path) -> None:
    app = log_in("moderator", "rules")
    assert not app.exception
    assert "rules_save" not in button_keys(app)
    assert "rules_rollback" not in button_keys(app)
    app.text_area(key="rules_test_text").input("you are an idiot")
    app.text_input(key="rules_test_parent").input("gary")
    app.button(key="rules_test").click().run()
    assert any("personal-attack" in m.value for m in app.markdown)


def test_invalid_edit_shows_the_line_and_cannot_be_saved(app_env: str, rules_path: Path) -> None:
    app = log_in("editor", "rules")
    original = rules_path.read_text()
    app.text_area(key="rules_editor").input(original + "\n  - id: broken\n    colour: red\n")
    app.run()
    assert any("line" in e.value and "colour" in e.value for e in app.error)
    assert app.button(key="rules_save").disabled
    assert app.button(key="rules_preview").disabled
    store = Store.open(app_env)
    assert [v.version for v in rule_edits.versions(store)] == [1]
    assert rules_path.read_text() == original


def test_preview_matches_reflag_on_a_copy_then_save_and_rollback(
    app_env: str, rules_path: Path, tmp_path: Path, ww3_rule: str
) -> None:
    app = log_in("editor", "rules")
    rules = rules_path
    draft = rules.read_text() + ww3_rule
    app.text_area(key="rules_editor").input(draft).run()
    app.button(key="rules_preview").click().run()
    assert not app.exception
    metrics = {m.label: m.value for m in app.metric}
    assert int(metrics["Newly flagged"]) >= 3

    # The same draft through `moderation reflag` on a copy of the database.
    db = app_env.removeprefix("sqlite:///")
    copy_db, copy_rules = tmp_path / "copy.db", rules.parent / "draft.yaml"
    store = Store.open(app_env)
    with store.engine.connect() as conn:  # a consistent copy, WAL included
        conn.exec_driver_sql(f"VACUUM INTO '{copy_db}'")
    copy_rules.write_text(draft)
    cli = subprocess.run(
        [sys.executable, "-m", "moderation", "--db", f"sqlite:///{copy_db}", "reflag"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        env={**os.environ, "THREADWATCH_RULES_PATH": str(copy_rules)},
    )
    assert f"{int(metrics['Flagged after'])} flagged" in cli.stdout
    assert Path(db).exists()

    before = {(r.comment_id, r.rule_id, str(r.evidence)) for r in _flags(store, 1)}
    app.text_input(key="rules_message").input("ww3 talk")
    app.button(key="rules_save").click().run()
    assert any("Saved rule set v2" in s.value for s in app.success)
    assert rules.read_text() == draft
    jobs.runner.wait()  # the re-flag runs in the background
    assert any("ww3-talk" in r.rule_id for r in _flags(store, 2))
    app.run()
    app.selectbox(key="rules_rollback_version").select(1)
    app.button(key="rules_rollback").click().run()
    assert any("v3 = v1" in s.value for s in app.success)
    jobs.runner.wait()
    after = {(r.comment_id, r.rule_id, str(r.evidence)) for r in _flags(store, 3)}
    assert after == before


def _flags(store: Store, version: int) -> list:  # type: ignore[type-arg]
    with store.engine.connect() as conn:
        return list(conn.execute(select(flags).where(flags.c.rule_set_version == version)))


def test_calibration_applies_a_threshold_to_the_editor(app_env: str, rules_path: Path) -> None:
    app = log_in("editor", "rules")
    app.slider(key="rules_cal_threshold").set_value(0.7).run()
    assert any(m.label == "Would be flagged" for m in app.metric)
    app.button(key="rules_cal_apply").click().run()
    assert "gte: 0.7," in app.text_area(key="rules_editor").value


# -- issue 11 point 8: drafts, roles and budgets; issue 10 points 5 and 9 ----------------------


def test_a_moderator_cannot_submit_drafts_at_all(app_env: str, rules_path: Path) -> None:
    app = log_in("moderator", "rules")
    assert not app.exception
    assert not [t for t in app.text_area if t.key == "rules_editor"]
    keys = button_keys(app)
    assert not keys & {"rules_preview", "rules_save", "rules_rollback", "rules_cal_apply"}
    assert any("clauses:" in c.value for c in app.code)  # the rules in force, read-only
    assert not [r for r in app.radio if r.key == "rules_test_with"]  # published rules only


def test_an_alias_bomb_in_the_editor_is_refused_without_stalling(
    app_env: str, rules_path: Path
) -> None:
    from tests.unit.rules.test_rules_limits import ALIAS_BOMB

    app = log_in("editor", "rules")
    app.text_area(key="rules_editor").input(ALIAS_BOMB).run()
    assert not app.exception
    assert any("YAML values" in e.value and "aliases" in e.value for e in app.error)
    assert app.button(key="rules_save").disabled


def test_a_list_file_outside_the_rules_folder_is_refused_in_the_editor(
    app_env: str, rules_path: Path
) -> None:
    app = log_in("editor", "rules")
    draft = rules_path.read_text().replace(
        "file: rule_lists/better_profanity_wordlist.txt", "file: /etc/passwd", 1
    )
    app.text_area(key="rules_editor").input(draft).run()
    assert any("not absolute" in e.value for e in app.error)
    assert app.button(key="rules_save").disabled


def test_the_test_box_runs_the_editors_own_draft(
    app_env: str, rules_path: Path, ww3_rule: str
) -> None:
    app = log_in("editor", "rules")
    app.text_area(key="rules_editor").input(rules_path.read_text() + ww3_rule).run()
    app.text_area(key="rules_test_text").input("ww3 is coming")
    app.button(key="rules_test").click().run()
    assert any("Not flagged" in m.value for m in app.markdown)  # the rules in force
    app.radio(key="rules_test_with").set_value("draft")
    app.button(key="rules_test").click().run()
    assert any("ww3-talk" in m.value for m in app.markdown)
    assert any("Flagged** by your draft" in m.value for m in app.markdown)


def _history(app: AppTest) -> dict[int, str]:
    # AppTest's dataframes carry no key: the History table is the one with a version column.
    table = next(d.value for d in app.dataframe if "version" in d.value.columns)
    states = table["state"] if "state" in table.columns else [""] * len(table)
    return dict(zip(table["version"], states, strict=True))


def _caption(app: AppTest) -> str:
    return next(c.value for c in app.caption if c.value.startswith("Active rule set"))


def test_every_part_of_the_page_shows_the_state_after_a_save_and_a_rollback(
    app_env: str, rules_path: Path, ww3_rule: str
) -> None:
    app = log_in("editor", "rules")
    app.text_area(key="rules_editor").input(rules_path.read_text() + ww3_rule).run()
    app.button(key="rules_save").click().run()
    assert not app.exception
    # Straight after the save: the new version is listed, and the header says it is applied.
    assert "v2" in _caption(app)  # stale on main: "Active rule set v1" after v2 was in force
    assert _history(app)[2] in ("pending", "active")
    jobs.runner.wait()
    app.run()
    assert _history(app) == {2: "active", 1: "earlier"}
    assert _caption(app).startswith("Active rule set v2")
    assert any("Rule set v2" in c.value for c in app.sidebar.caption)
    app.selectbox(key="rules_rollback_version").select(1)
    app.button(key="rules_rollback").click().run()
    assert 3 in _history(app)  # the History table is not one write behind
    jobs.runner.wait()
    app.run()
    assert _history(app)[3] == "active"
    assert _caption(app).startswith("Active rule set v3")


def test_a_comment_only_edit_is_no_new_version(app_env: str, rules_path: Path) -> None:
    app = log_in("editor", "rules")
    app.text_area(key="rules_editor").input("# tidied up\n" + rules_path.read_text()).run()
    app.button(key="rules_save").click().run()
    assert any("No rule changed" in s.value for s in app.success)
    store = Store.open(app_env)
    assert [v.version for v in rule_edits.versions(store)] == [1]
    assert rule_edits.version_content(store, 1).startswith("# tidied up")


def test_calibration_warns_when_it_rests_on_few_decisions(app_env: str, rules_path: Path) -> None:
    app = log_in("editor", "rules")
    assert any("fewer than 30" in w.value for w in app.warning)
