"""The scoring-model banner: one line naming the model and what it lacks, the details (paths,
reasons) folded in an expander, shown once per login session (a reload or another page does
not bring it back); the sidebar keeps a short note for the rest of the session."""

from __future__ import annotations

import threading
from collections import OrderedDict

import streamlit as st

from moderation.rules import RuleSet
from moderation.scoring import ActiveModel

_SHOWN = "_banner_shown"
# Login sessions that have seen the banner (a reload is a new Streamlit session but the same
# login). Process memory: after a restart each login sees it once more, which is fine.
_seen: OrderedDict[str, None] = OrderedDict()
_seen_lock = threading.Lock()
_SEEN_MAX = 10_000


def lacks(model: ActiveModel, ruleset: RuleSet) -> dict[str, list[str]]:
    """Label -> ids of the enabled rules that test it, for the labels the rules use and this
    model does not give (whether or not a rule also names the model it applies to)."""
    have = set(model.labels)
    missing: dict[str, list[str]] = {}
    for rule in ruleset.rules:
        if rule.enabled:
            for leaf in rule.model_leaves:
                if leaf.label not in have and rule.id not in missing.get(leaf.label, []):
                    missing.setdefault(leaf.label, []).append(rule.id)
    return dict(sorted(missing.items()))


def headline(model: ActiveModel, ruleset: RuleSet) -> str:
    """The banner's one line (Markdown of our own words and model ids only)."""
    missing = list(lacks(model, ruleset))
    kind = "Offline fallback" if model.reason else "Model"
    line = f"{kind} **{model.model_id}**: {', '.join(model.labels)} only"
    if len(missing) == 1:
        line += f", lacks {missing[0]}"
    elif missing:  # short enough for one line; the details name them
        line += f", lacks {len(missing)} labels the rules use"
    return line + "."


def _first_time(session_key: str | None) -> bool:
    if st.session_state.get(_SHOWN):
        return False
    st.session_state[_SHOWN] = True
    if session_key is None:
        return True
    with _seen_lock:
        if session_key in _seen:
            return False
        _seen[session_key] = None
        while len(_seen) > _SEEN_MAX:
            _seen.popitem(last=False)
    return True


def show_once(model: ActiveModel | None, ruleset: RuleSet, session_key: str | None) -> None:
    """The banner on the first page of the login session that knows the model; not after.
    Its container is drawn on every run, empty after the first: were it to come and go, every
    element below would move, and the browser would reset open tabs and expanders."""
    slot = st.container(key="model_banner")
    if model is None or not _first_time(session_key):
        return
    missing = lacks(model, ruleset)
    with slot:
        if not model.reason and not missing:  # the configured model, complete for these rules
            st.caption(headline(model, ruleset))
            return
        (st.warning if model.reason else st.info)(headline(model, ruleset), icon="⚠️")
        with st.expander("Details"):
            if model.reason:
                st.text(f"Why: {model.reason}")
            st.text(f"Labels it gives: {', '.join(model.labels)}.")
            if missing:
                st.text(f"Labels it lacks: {', '.join(missing)}.")
            for label, rule_ids in missing.items():
                st.text(f"No {label} scores: rules {', '.join(rule_ids)} cannot use them.")


def sidebar_note(model: ActiveModel | None, loading: bool) -> str:
    if loading or model is None:
        return "Model: loading… (pages show stored scores meanwhile)"
    return f"Model {model.model_id}" + (" (offline fallback)" if model.reason else "")
