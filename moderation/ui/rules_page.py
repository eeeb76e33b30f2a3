"""Rules: the editors' workspace. Everyone sees the rules in force, tests comments against them
and reads the history; editors and admins edit (drafts are validated in a separate process
under a time and memory budget), preview, save, roll back, calibrate thresholds and train the
site's learned model.

A save or rollback is a *pending* version until its background re-flag has written every flag;
then it becomes active in one transaction. After any write the whole page (header and sidebar
included) is drawn again, so every part shows the state after it."""

from __future__ import annotations

import hashlib

import plotly.graph_objects as go
import streamlit as st

from moderation.errors import ModerationError
from moderation.pipeline import jobs, rule_edits
from moderation.pipeline.versions import ActiveRules
from moderation.rules import CommentContext, RuleSet, RuleValidationError
from moderation.rules.safe_yaml import MAX_BYTES
from moderation.store.rulesets import RuleStats
from moderation.ui import drafts, learned_panel, state
from moderation.ui.text import highlighted_markdown, literal_markdown, name_markdown, visible_bidi

TEST_MAX_CHARS = 5_000  # a comment, not a corpus: the test box evaluates it in the server
CACHE_TTL = 120  # seconds; a write moves the data version, which the cache is keyed by
MIN_DECISIONS = 30  # below this, precision and recall move a lot with every decision
_FLASH = "rules_flash"
_DRAFT = "rules_draft_checked"  # (sha256 of the text, RuleSet | RuleValidationError)


def _problems(exc: RuleValidationError) -> None:
    lines = [
        f"line {p.line or '?'}" + (f" [rule {p.rule_id}]" if p.rule_id else "") + f": {p.message}"
        for p in exc.problems
    ]
    st.error(f"{len(lines)} problem(s):\n\n" + "\n".join(f"- {literal_markdown(x)}" for x in lines))


def _after_write(message: str) -> None:
    """Show ``message`` on a fresh run of the whole app: the header, the sidebar, the History
    table and every tab then read the state after the write."""
    st.session_state[_FLASH] = message
    st.rerun()  # the new run reads the data version the write moved


def _flash() -> None:
    message = st.session_state.pop(_FLASH, None)
    if message:
        st.success(message)


def _apply_in_background(saved: ActiveRules, active: ActiveRules) -> str:
    """Queue the re-flag of a saved version (it switches to active when done); the message."""
    if saved.version == active.version:
        return f"No rule changed, so rule set v{saved.version} stays active (its text is updated)."
    jobs.apply_rules_job(
        state.store(), saved.version, state.settings().rules_path, model_id=state.model_id()
    )
    return (
        f"Saved rule set v{saved.version}; re-flagging stored comments in the background. "
        f"v{active.version} stays in force until every comment is flagged under v{saved.version}."
    )


def _status(active: ActiveRules) -> None:
    line = f"Active rule set v{active.version} (rules.yaml version {active.ruleset.version})"
    # The run's data version says whether a version is pending: asked for its progress only then.
    rollout = rule_edits.rollout(state.store()) if state.context().version.pending_rules else None
    if rollout is not None:
        version, done, total = rollout
        line += f" · v{version} is being applied: {done} of {total} comments re-flagged"
    st.caption(line)


@st.fragment(run_every=1.0)
def _jobs() -> None:
    """Progress of background jobs (run by any worker: this server's or another process's,
    read from the database's queue); refreshes itself every second, and the whole page once
    one finishes (a new version may be active)."""
    all_jobs = jobs.recent(state.store())
    for job in all_jobs[:3]:
        if job.state in ("queued", "running"):
            text = f"{job.name}: {job.done} of {job.total or '…'}"
            if job.error:  # an attempt failed; it is retried after a pause
                text += f" (attempt {job.attempts} of {job.max_attempts} failed: {job.error})"
            st.progress(job.fraction, text=text)
        elif job.state == "failed":
            st.error(f"{job.name} failed after {job.attempts} attempts: {job.error}")
        else:
            st.caption(f"{job.name}: {job.result}")
    # When the latest job finished, not its id: a younger job may finish before an older one.
    latest = max((j.finished_at.timestamp() for j in all_jobs if j.finished_at), default=0.0)
    seen = st.session_state.get("rules_jobs_seen")
    st.session_state["rules_jobs_seen"] = latest
    if seen is not None and latest > seen:
        st.rerun()  # a new version may be active: the new run reads the moved data version


@state.cached(ttl=CACHE_TTL)
def _rule_stats(version: int) -> dict[str, RuleStats]:
    return rule_edits.rule_stats(state.store(), version)


def _rules_table(active: ActiveRules) -> None:
    stats = _rule_stats(active.version)
    rows = []
    for rule in active.ruleset.rules:
        s = stats.get(rule.id, RuleStats())
        ruled = s.upheld + s.overturned
        rows.append(
            {
                "rule": rule.id,
                "category": rule.category,
                "clause": rule.clause,
                "action": rule.action,
                "severity": rule.severity,
                "enabled": rule.enabled,
                "hits": s.hits,
                "upheld": f"{s.upheld / ruled:.0%}" if ruled else "—",
                "overturned": f"{s.overturned / ruled:.0%}" if ruled else "—",
            }
        )
    st.dataframe(rows, hide_index=True, key="rules_table")
    unavailable = active.ruleset.unavailable_rules(state.labels(), state.model_id())
    for rule_id, labels in unavailable:
        st.warning(
            f"Rule {rule_id} tests {', '.join(labels)}, which the active model "
            f"({state.model_id()}) does not provide: it cannot fire."
        )


def _test_box(active: ActiveRules, can_edit: bool) -> None:
    st.subheader("Test a comment")
    ruleset, label = active.ruleset, f"the rules in force (v{active.version})"
    draft = _valid_draft()
    if can_edit and draft is not None:
        choice = st.radio(
            "Test with",
            ["in force", "draft"],
            format_func=lambda c: (
                f"the rules in force (v{active.version})"
                if c == "in force"
                else "my draft in the editor"
            ),
            key="rules_test_with",
            horizontal=True,
        )
        if choice == "draft":
            ruleset, label = draft, "your draft"
    text = st.text_area("Comment text", key="rules_test_text", height=100, max_chars=TEST_MAX_CHARS)
    parent = st.text_input("Replying to (author, optional)", key="rules_test_parent", max_chars=255)
    if st.button("Test", key="rules_test") and text:
        scores = state.scorer().score([text[:TEST_MAX_CHARS]])[0]
        [verdict] = ruleset.evaluate(
            [
                CommentContext(
                    text=text[:TEST_MAX_CHARS], parent_author=parent or None, scores=scores
                )
            ],
            model_id=state.model_id(),
        )
        st.markdown(
            f"**{'Flagged' if verdict.flagged else 'Not flagged'}** by {label} — suggested "
            f"status **{verdict.status}**"
        )
        spans = [{"start": s.start, "end": s.end} for h in verdict.hits for s in h.evidence]
        st.markdown(highlighted_markdown(text, spans))
        for hit in verdict.hits:
            st.markdown(
                f"- **{hit.rule_id}** ({hit.category}, {hit.action}, clause "
                f"{hit.clause_id}): {literal_markdown(hit.reason)}"
            )
        st.caption("Scores: " + ", ".join(f"{k} {v:.2f}" for k, v in sorted(scores.items())))


def _checked(text: str) -> RuleSet | RuleValidationError:
    """The draft validated once per distinct text (in the sandbox, then compiled here)."""
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    cached = st.session_state.get(_DRAFT)
    if cached is not None and cached[0] == digest:
        result: RuleSet | RuleValidationError = cached[1]
        return result
    try:
        result = rule_edits.check_draft(text, state.settings().rules_path)
    except RuleValidationError as exc:
        result = exc
    st.session_state[_DRAFT] = (digest, result)
    return result


def _valid_draft() -> RuleSet | None:
    cached = st.session_state.get(_DRAFT)
    return cached[1] if cached is not None and isinstance(cached[1], RuleSet) else None


def _newest_text(active: ActiveRules) -> tuple[int, str]:
    """The version an edit starts from: the pending one when a save is being applied."""
    pending = state.context().version.pending_rules
    if pending is None:
        return active.version, active.content
    return pending, rule_edits.version_content(state.store(), pending)


def _read_only(active: ActiveRules) -> None:
    st.caption("The rules in force. Editors and admins can edit, preview and save new versions.")
    st.code(active.content, language="yaml")


def _editor(active: ActiveRules) -> None:
    base_version, base = _newest_text(active)
    drafts.restore("rules_editor", base_version, base)  # an unsaved draft survives a reload
    st.text_area("rules.yaml", key="rules_editor", height=420, max_chars=MAX_BYTES)
    drafts.keep("rules_editor", base_version, base)
    draft_text: str = st.session_state["rules_editor"]
    changed = draft_text != base
    draft: RuleSet | None = None
    if changed:
        # Validated once per change (when the text area loses focus), exactly as `moderation
        # rules validate` would report it, in a separate process with a time and memory budget.
        checked = _checked(draft_text)
        if isinstance(checked, RuleValidationError):
            _problems(checked)
        else:
            draft = checked
            st.success(f"Valid: {len(draft.rules)} rules.")
    else:
        st.session_state.pop(_DRAFT, None)
        st.caption(f"No changes from v{base_version} yet.")
    if (
        st.button("Preview impact", key="rules_preview", disabled=draft is None)
        and draft is not None
    ):
        _show_impact(rule_edits.preview(state.store(), draft, active, model_id=state.model_id()))
    message = st.text_input("What changed and why", key="rules_message", max_chars=500)
    if st.button("Save as new version", key="rules_save", type="primary", disabled=draft is None):
        try:
            saved = rule_edits.save_version(
                state.store(),
                draft_text,
                state.settings().rules_path,
                actor=state.current_user().username,
                message=message or "edited in dashboard",
                model_id=state.model_id(),
            )
        except ModerationError as exc:
            st.error(literal_markdown(str(exc)))
            return
        for key in ("rules_editor", "rules_message", _DRAFT):
            st.session_state.pop(key, None)
        _after_write(_apply_in_background(saved, active))


def _show_impact(impact: rule_edits.Impact) -> None:
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
                    f"**{name_markdown(change.author)}** in "
                    f"{name_markdown(change.article_title)}: "
                    f"{', '.join(change.before) or '—'} → {', '.join(change.after) or '—'}"
                )
                st.text(visible_bidi(change.text[:400]))


def _history(active: ActiveRules, can_edit: bool) -> None:
    versions = rule_edits.versions(state.store())
    st.dataframe(
        [
            {
                "version": v.version,
                "state": v.state or "earlier",
                "saved": v.created_at,
                "by": v.created_by,
                "note": v.note or "",
            }
            for v in versions
        ],
        hide_index=True,
        key="rules_history_table",
    )
    numbers = [v.version for v in versions]
    if len(numbers) >= 2:
        c1, c2 = st.columns(2)
        old = c1.selectbox("From", numbers, index=1, key="rules_diff_old")
        new = c2.selectbox("To", numbers, index=0, key="rules_diff_new")
        st.code(rule_edits.diff(state.store(), old, new) or "(identical)", language="diff")
    targets = [v.version for v in versions if not v.state]
    if can_edit and targets:
        target = st.selectbox("Roll back to", targets, key="rules_rollback_version")
        if st.button(f"Roll back to v{target}", key="rules_rollback"):
            try:
                back = rule_edits.rollback(
                    state.store(),
                    target,
                    state.settings().rules_path,
                    actor=state.current_user().username,
                    model_id=state.model_id(),
                )
            except ModerationError as exc:
                st.error(literal_markdown(str(exc)))
                return
            for key in ("rules_editor", _DRAFT):
                st.session_state.pop(key, None)
            _apply_in_background(back, active)
            _after_write(
                f"Rule set v{back.version} = v{target}; re-flagging in the background "
                f"(v{active.version} stays in force until it is done)."
                if back.version != active.version
                else f"Rule set v{back.version} = v{target}, already in force."
            )


def _calibrate(active: ActiveRules, can_edit: bool) -> None:
    model_id = state.model_id()
    if model_id is None:  # no model loaded and nothing scored: no scores to calibrate against
        st.info("Nothing is scored yet, so there is nothing to calibrate a threshold against.")
        return
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
    points = rule_edits.labelled_scores(state.store(), label, model_id)
    curve = rule_edits.calibration_curve(points)
    [here] = rule_edits.calibration_curve(points, [threshold])
    decided = sum(1 for _, r in points if r is not None)
    if decided < MIN_DECISIONS:
        st.warning(
            f"Only {decided} moderator decision{'s' if decided != 1 else ''} so far: precision "
            f"and recall rest on fewer than {MIN_DECISIONS} and change a lot with each new one."
        )
    c = st.columns(3)
    c[0].metric("Would be flagged", here.flagged)
    c[1].metric("Precision", "—" if here.precision is None else f"{here.precision:.0%}")
    c[2].metric("Recall", "—" if here.recall is None else f"{here.recall:.0%}")
    st.caption(f"Against {decided} moderator decisions (rejected = should flag).")
    fig = go.Figure()
    xs = [p.threshold for p in curve]
    fig.add_scatter(x=xs, y=[p.precision for p in curve], name="precision")
    fig.add_scatter(x=xs, y=[p.recall for p in curve], name="recall")
    fig.add_vline(x=threshold, line_dash="dash")
    fig.update_layout(height=300, margin=dict(l=10, r=10, t=10, b=10), xaxis_title=label)
    st.plotly_chart(fig, key="rules_cal_curve")
    if can_edit and st.button("Apply this threshold in the editor", key="rules_cal_apply"):
        base = st.session_state.get("rules_editor", _newest_text(active)[1])
        try:
            st.session_state["rules_editor"] = rule_edits.set_threshold(
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
    _flash()
    _status(active)
    _jobs()
    rules_tab, edit_tab, history_tab, calibrate_tab = st.tabs(
        ["Rules", "Edit & preview" if can_edit else "rules.yaml", "History", "Calibrate"]
    )
    with edit_tab:  # first: the test box may use the draft validated here
        if can_edit:
            _editor(active)
        else:
            _read_only(active)
    with rules_tab:
        _rules_table(active)
        _test_box(active, can_edit)
    with history_tab:
        _history(active, can_edit)
    with calibrate_tab:
        _calibrate(active, can_edit)
        learned_panel.render(can_edit)
