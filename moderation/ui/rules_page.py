"""Rules: the editors' workspace. View and test for everyone; edit, preview, save, roll back and
calibrate thresholds for editors and admins."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from moderation import editing, jobs
from moderation.errors import ModerationError
from moderation.flagging import ActiveRules
from moderation.rules import CommentContext, RuleSet, RuleValidationError
from moderation.ui import state
from moderation.ui.text import highlighted_markdown, literal_markdown


def _problems(exc: RuleValidationError) -> None:
    lines = [
        f"line {p.line or '?'}" + (f" [rule {p.rule_id}]" if p.rule_id else "") + f": {p.message}"
        for p in exc.problems
    ]
    st.error(f"{len(lines)} problem(s):\n\n" + "\n".join(f"- {literal_markdown(x)}" for x in lines))


def _reflag_in_background(saved: ActiveRules) -> None:
    """Apply a saved version on the background worker: its flags are written first, then it
    becomes active in one transaction; the page stays usable and shows progress (_jobs)."""
    jobs.apply_rules_job(
        state.store(), saved.version, state.settings().rules_path, model_id=state.model_id()
    )
    state.invalidate()


@st.fragment(run_every=1.0)
def _jobs() -> None:
    """Progress of background re-flags; refreshes itself every second while one runs."""
    recent = jobs.runner.jobs()[:3]
    for job in recent:
        if job.state in ("queued", "running"):
            st.progress(job.fraction, text=f"{job.name}: {job.done} of {job.total or '…'}")
        elif job.state == "failed":
            st.error(f"{job.name} failed: {job.error}")
        else:
            st.caption(f"{job.name}: {job.result}")
    seen = st.session_state.get("rules_jobs_seen")
    finished = sum(1 for j in recent if j.finished)
    if seen is not None and finished > seen:
        state.invalidate()  # queues changed under the cached queries
    st.session_state["rules_jobs_seen"] = finished


def _rules_table(active: ActiveRules) -> None:
    stats = editing.rule_stats(state.store(), active.version)
    rows = []
    for rule in active.ruleset.rules:
        s = stats.get(rule.id, {"hits": 0, "upheld": 0, "overturned": 0})
        ruled = s["upheld"] + s["overturned"]
        rows.append(
            {
                "rule": rule.id,
                "category": rule.category,
                "clause": rule.clause,
                "action": rule.action,
                "severity": rule.severity,
                "enabled": rule.enabled,
                "hits": s["hits"],
                "upheld": f"{s['upheld'] / ruled:.0%}" if ruled else "—",
                "overturned": f"{s['overturned'] / ruled:.0%}" if ruled else "—",
            }
        )
    st.dataframe(rows, hide_index=True, key="rules_table")
    unavailable = active.ruleset.unavailable_rules(state.labels(), state.model_id())
    for rule_id, labels in unavailable:
        st.warning(
            f"Rule {rule_id} tests {', '.join(labels)}, which the active model "
            f"({state.model_id()}) does not provide: it cannot fire."
        )


def _test_box(active: ActiveRules) -> None:
    st.subheader("Test a comment")
    text = st.text_area("Comment text", key="rules_test_text", height=100)
    parent = st.text_input("Replying to (author, optional)", key="rules_test_parent")
    if st.button("Test", key="rules_test") and text:
        scores = state.scorer().score([text])[0]
        [verdict] = active.ruleset.evaluate(
            [CommentContext(text=text, parent_author=parent or None, scores=scores)],
            model_id=state.model_id(),
        )
        st.markdown(
            f"**{'Flagged' if verdict.flagged else 'Not flagged'}** — suggested status "
            f"**{verdict.status}**"
        )
        spans = [{"start": s.start, "end": s.end} for h in verdict.hits for s in h.evidence]
        st.markdown(highlighted_markdown(text, spans))
        for hit in verdict.hits:
            st.markdown(
                f"- **{hit.rule_id}** ({hit.category}, {hit.action}, clause "
                f"{hit.clause_id}): {literal_markdown(hit.reason)}"
            )
        st.caption("Scores: " + ", ".join(f"{k} {v:.2f}" for k, v in sorted(scores.items())))


def _editor(active: ActiveRules, can_edit: bool) -> None:
    if "rules_editor" not in st.session_state:
        st.session_state["rules_editor"] = active.content
    st.text_area("rules.yaml", key="rules_editor", height=420)
    draft_text: str = st.session_state["rules_editor"]
    changed = draft_text != active.content
    draft: RuleSet | None = active.ruleset
    if changed:
        # Validated on every change (as they type, once the text area loses focus), exactly
        # as `moderation rules validate` would report it.
        try:
            draft = editing.parse_draft(draft_text, state.settings().rules_path)
        except RuleValidationError as exc:
            _problems(exc)
            draft = None
        else:
            st.success(f"Valid: {len(draft.rules)} rules.")
    else:
        st.caption("No changes from the active version yet.")
    if (
        st.button("Preview impact", key="rules_preview", disabled=draft is None or not changed)
        and draft is not None
    ):
        _show_impact(editing.preview(state.store(), draft, active, model_id=state.model_id()))
    if not can_edit:
        st.caption("Editors and admins can save new versions.")
        return
    message = st.text_input("What changed and why", key="rules_message")
    if st.button(
        "Save as new version",
        key="rules_save",
        type="primary",
        disabled=draft is None or not changed,
    ):
        saved = editing.save_version(
            state.store(),
            draft_text,
            state.settings().rules_path,
            actor=state.current_user().username,
            message=message or "edited in dashboard",
            model_id=state.model_id(),
        )
        _reflag_in_background(saved)
        st.success(
            f"Saved rule set v{saved.version}; re-flagging stored comments in the background."
        )


def _show_impact(impact: editing.Impact) -> None:
    m = st.columns(4)
    m[0].metric("Newly flagged", impact.newly_flagged)
    m[1].metric("Newly cleared", impact.newly_cleared)
    m[2].metric("Changed category / action", impact.changed)
    m[3].metric(
        "Flagged after", impact.flagged_after, delta=impact.flagged_after - impact.flagged_before
    )
    st.caption(
        f"{impact.evaluated} stored comments evaluated with cached scores in "
        f"{impact.seconds:.2f}s; human decisions are kept."
    )
    if impact.drift:
        st.caption(
            f"{impact.drift} comments' stored flags are stale (moderators' rejections since the "
            "last re-flag change repeat-offender rules); they are not counted as changes by "
            "this edit, and saving re-flags them too."
        )
    if impact.queue_moves:
        st.dataframe(
            [{"queue move": k, "comments": v} for k, v in impact.queue_moves.items()],
            hide_index=True,
            key="rules_preview_moves",
        )
    if impact.per_thread:
        st.dataframe(
            [{"thread": t, **dict(c)} for t, c in sorted(impact.per_thread.items())],
            hide_index=True,
            key="rules_preview_threads",
        )
    for kind, changes in impact.examples.items():
        with st.expander(f"Examples: {kind}"):
            for change in changes:
                st.markdown(
                    f"**{literal_markdown(change.author or 'anonymous')}** in "
                    f"{literal_markdown(change.article_title)}: "
                    f"{', '.join(change.before) or '—'} → {', '.join(change.after) or '—'}"
                )
                st.text(change.text[:400])


def _history(active: ActiveRules, can_edit: bool) -> None:
    versions = editing.versions(state.store())
    st.dataframe(versions, hide_index=True, key="rules_history_table")
    numbers = [v["version"] for v in versions]
    if len(numbers) >= 2:
        c1, c2 = st.columns(2)
        old = c1.selectbox("From", numbers, index=1, key="rules_diff_old")
        new = c2.selectbox("To", numbers, index=0, key="rules_diff_new")
        st.code(editing.diff(state.store(), old, new) or "(identical)", language="diff")
    if can_edit and len(numbers) >= 2:
        target = st.selectbox("Roll back to", numbers[1:], key="rules_rollback_version")
        if st.button(f"Roll back to v{target}", key="rules_rollback"):
            try:
                back = editing.rollback(
                    state.store(),
                    target,
                    state.settings().rules_path,
                    actor=state.current_user().username,
                    model_id=state.model_id(),
                )
            except ModerationError as exc:
                st.error(str(exc))
                return
            st.session_state.pop("rules_editor", None)
            _reflag_in_background(back)
            st.success(f"Rule set v{back.version} = v{target}; re-flagging in the background.")


def _calibrate(active: ActiveRules) -> None:
    model_id = state.model_id()
    choices = [
        (rule.id, leaf.label, leaf.threshold)
        for rule in active.ruleset.rules
        if rule.enabled
        for leaf in rule.model_leaves
        if leaf.applies_to(model_id)
    ]
    if not choices:
        st.info(f"No enabled rule tests a label of the active model ({model_id}).")
        return
    rule_id, label, current = st.selectbox(
        "Rule and label",
        choices,
        format_func=lambda c: f"{c[0]}: {c[1]} (now {c[2]:g})",
        key="rules_cal_rule",
    )
    threshold = st.slider("Threshold", 0.0, 1.0, float(current), 0.01, key="rules_cal_threshold")
    points = editing.labelled_scores(state.store(), label, model_id)
    curve = editing.calibration_curve(points)
    [here] = editing.calibration_curve(points, [threshold])
    c = st.columns(3)
    c[0].metric("Would be flagged", here.flagged)
    c[1].metric("Precision", "—" if here.precision is None else f"{here.precision:.0%}")
    c[2].metric("Recall", "—" if here.recall is None else f"{here.recall:.0%}")
    decided = sum(1 for _, r in points if r is not None)
    st.caption(f"Against {decided} moderator decisions (rejected = should flag).")
    fig = go.Figure()
    xs = [p.threshold for p in curve]
    fig.add_scatter(x=xs, y=[p.precision for p in curve], name="precision")
    fig.add_scatter(x=xs, y=[p.recall for p in curve], name="recall")
    fig.add_vline(x=threshold, line_dash="dash")
    fig.update_layout(height=300, margin=dict(l=10, r=10, t=10, b=10), xaxis_title=label)
    st.plotly_chart(fig, key="rules_cal_curve")
    if st.button("Apply this threshold in the editor", key="rules_cal_apply"):
        base = st.session_state.get("rules_editor", active.content)
        try:
            st.session_state["rules_editor"] = editing.set_threshold(
                base, rule_id, label, threshold
            )
        except ModerationError as exc:
            st.error(str(exc))
            return
        st.success("Applied in the editor: preview and save it on the Edit tab.")


def render() -> None:
    active = state.rules()
    can_edit = state.current_user().can("editor")
    st.title("Rules")
    st.caption(f"Active rule set v{active.version} (rules.yaml version {active.ruleset.version})")
    _jobs()
    rules_tab, edit_tab, history_tab, calibrate_tab = st.tabs(
        ["Rules", "Edit & preview", "History", "Calibrate"]
    )
    with rules_tab:
        _rules_table(active)
        _test_box(active)
    with edit_tab:
        _editor(active, can_edit)
    with history_tab:
        _history(active, can_edit)
    with calibrate_tab:
        _calibrate(active)
