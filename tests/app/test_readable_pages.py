"""Numbers and words a moderator can trust on Threads, Stats and Authors (AppTest): one entry
numbering, statuses in words, no None or ids on screen, one colour per category on every
chart, whole-number axes for counts, and no delta arrows on plain rates."""

from __future__ import annotations

import json
import re
from typing import Any

from streamlit.testing.v1 import AppTest

from moderation.ui.charts import CATEGORY_COLOURS
from moderation.ui.words import POSITION_RULE
from tests.app.helpers import log_in, two_decisions

THREADS = "moderation/ui/pages/threads.py"
STATS = "moderation/ui/pages/stats.py"
AUTHORS = "moderation/ui/pages/authors.py"
INTERNAL = re.compile(r"\bunmoderated\b")
HEX_ID = re.compile(r"\b[0-9a-f]{16,64}\b")


def charts(app: AppTest) -> dict[str, dict[str, Any]]:
    return {
        c.proto.id.rsplit("-", 1)[-1]: json.loads(c.proto.spec) for c in app.get("plotly_chart")
    }


def trace_colours(spec: dict[str, Any]) -> dict[str, str]:
    return {t["name"]: t["marker"]["color"] for t in spec["data"] if t.get("name")}


def on_screen(app: AppTest) -> list[str]:
    texts = [*app.text, *app.caption, *app.markdown, *app.info, *app.warning, *app.subheader]
    return [str(t.value) for t in texts]


def assert_count_axis(spec: dict[str, Any], name: str) -> None:
    axis = spec["layout"]["yaxis"]
    assert axis.get("tickformat") == ",d", f"{name}: counts need whole-number ticks"
    assert float(axis["dtick"]).is_integer(), name


def test_thread_view_numbers_entries_and_speaks_words(app_env: str) -> None:
    app = log_in(page=THREADS)
    assert not app.exception
    headers = json.loads(app.dataframe[0].proto.columns)
    assert headers["unmoderated"]["label"] == "new"
    assert headers["pending"]["label"] == "pending review"
    tree = [t.value for t in app.text if t.value.startswith(("Entry ", "#", "Pingback"))]
    assert tree and all(t.startswith("Entry ") for t in tree)
    assert tree[0].startswith("Entry 1 ")
    assert any(POSITION_RULE in c.value for c in app.caption)  # the numbering, said on screen
    shown = on_screen(app)
    assert not any(INTERNAL.search(t) for t in shown)
    assert not any(HEX_ID.search(t) for t in shown)
    assert not any("None" in t for t in shown)
    assert all(m.proto.delta == "" for m in app.metric), "a rate shown as a delta arrow"
    scores = charts(app)["threads_scores_chart"]
    assert scores["layout"]["xaxis"]["title"]["text"].startswith("entry in thread order")


def test_one_colour_per_category_on_every_chart_and_count_axes(app_env: str) -> None:
    app = log_in(page=THREADS)
    two_decisions(app_env)
    thread = charts(app)
    seen: dict[str, str] = {}
    for name in ("threads_scores_chart", "threads_depth_chart"):
        for category, colour in trace_colours(thread[name]).items():
            assert colour == CATEGORY_COLOURS[category], (name, category)
            seen[category] = colour
    assert_count_axis(thread["threads_depth_chart"], "flags by depth")
    assert_count_axis(thread["threads_label_hist"], "label distribution")
    app.switch_page(STATS).run()
    assert not app.exception
    stats = charts(app)
    for category, colour in trace_colours(stats["stats_rule_hits"]).items():
        assert colour == CATEGORY_COLOURS[category]
        assert seen.get(category, colour) == colour
    for name in ("stats_rule_hits", "stats_label_hist", "stats_decisions_time"):
        assert_count_axis(stats[name], name)
    per_day = trace_colours(stats["stats_decisions_time"])
    assert per_day == trace_colours(stats["stats_decisions_moderator"])  # same action, same colour
    assert set(per_day) == {"approved", "rejected"}  # words, not "approve"


def test_stats_rates_are_not_deltas_and_statuses_are_words(app_env: str) -> None:
    app = log_in()
    app.switch_page(STATS).run()
    assert not app.exception
    assert all(m.proto.delta == "" for m in app.metric)
    assert any(re.fullmatch(r"\d+\.\d% of reader comments", c.value) for c in app.caption)
    headers = json.loads(app.dataframe[0].proto.columns)
    assert headers["unmoderated"]["label"] == "new"


def test_author_tables_use_the_entry_numbering_and_no_none(app_env: str) -> None:
    app = log_in(page=AUTHORS)
    two_decisions(app_env)
    app.run()
    assert not app.exception
    assert all(m.proto.delta == "" for m in app.metric)
    comments = app.dataframe[1].value  # after the authors table: the author's comments
    assert "entry" in comments and "position" not in comments
    assert comments["entry"].min() >= 1
    for table in app.dataframe:
        frame = table.value
        assert not frame.isna().any().any(), "None on screen"
        for column in ("status", "action"):
            if column in frame:
                assert not frame[column].isin(["unmoderated", "approve", "reject"]).any()
    assert any(POSITION_RULE in c.value for c in app.caption)
