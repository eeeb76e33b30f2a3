"""Stats page in AppTest: headline numbers and every chart, on an empty and a seeded database."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app.helpers import log_in, two_decisions

PAGE = "moderation/ui/pages/stats.py"


def chart_keys(app: AppTest) -> set[str]:
    return {c.proto.id.rsplit("-", 1)[-1] for c in app.get("plotly_chart")}


def test_empty_database_shows_zeros_and_no_charts(empty_env: str) -> None:
    app = log_in().switch_page(PAGE).run()
    assert not app.exception
    assert app.title[0].value == "Stats"
    assert [m.value for m in app.metric] == ["0", "0", "0", "0"]
    assert any("No articles yet" in i.value for i in app.info)
    assert not app.get("plotly_chart")


def test_seeded_database_shows_every_chart(app_env: str) -> None:
    app = log_in()  # the first run loads the sample data
    two_decisions(app_env)
    app.switch_page(PAGE).run()
    assert not app.exception
    assert app.title[0].value == "Stats"
    metrics = {m.label: m.value for m in app.metric}
    # 9 seed comments flagged by rules.yaml (see tests/unit/rules/test_rules_default_rules.py)
    assert metrics["Reader comments"] == "30" and metrics["Flagged"] == "9"
    assert metrics["Decisions standing"] == "2"
    assert chart_keys(app) == {
        "stats_flagged_rate",
        "stats_rule_hits",
        "stats_label_hist",
        "stats_decisions_time",
        "stats_decisions_moderator",
    }
    assert len(app.dataframe[0].value) == 5  # every thread, with its flagged rate
