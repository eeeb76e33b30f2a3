"""The frame around every page: settings, login, the sidebar, st.navigation over the pages.

Every page has its own URL (``/threads``, ``/rules``, …) that works as a deep link, a bookmark
and a reload, before and after logging in: while nobody is logged in, the navigation is still
resolved (hidden), so the address bar keeps the page and its query parameters and the login
leads straight there. Pages a role may not use are reachable by URL too, and say why instead of
silently showing another page. The sidebar's rule-set line is drawn after the page has run, so
it shows the state after whatever the page wrote.
"""

from __future__ import annotations

import importlib
import logging
import threading
from dataclasses import dataclass
from functools import partial

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from moderation.access.accounts import Role, User, load_accounts
from moderation.errors import ModerationError
from moderation.scoring import active_model
from moderation.settings import Settings
from moderation.ui import auth, banner, links, model_loader, state

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PageSpec:
    url_path: str
    title: str
    script: str  # file in moderation/ui/pages/
    role: Role = "moderator"
    module: str = ""  # the page's implementation, imported ahead of the first visit


PAGES: tuple[PageSpec, ...] = (
    PageSpec("queue", "Queue", "queue.py", module="queue_page"),
    PageSpec("threads", "Threads", "threads.py", module="threads_page"),
    PageSpec("authors", "Authors", "authors.py", module="authors_page"),
    PageSpec("stats", "Stats", "stats.py", module="stats_page"),
    PageSpec("audit", "Audit", "audit.py", module="audit_page"),
    PageSpec("rules", "Rules", "rules.py", module="rules_page"),
    PageSpec("import", "Import", "import_files.py", role="editor", module="import_page"),
)
REFUSALS = {
    "editor": "{title} is for editors and admins; you are signed in as {user}, role {role}. "
    "Ask an admin for the editor role if you need it.",
    "admin": "{title} is for admins; you are signed in as {user}, role {role}.",
}


def _refuse(spec: PageSpec, user: User) -> None:
    st.title(spec.title)
    st.warning(
        REFUSALS[spec.role].format(title=spec.title, user=user.username, role=user.role),
        icon="🔒",
    )


def pages_for(user: User | None) -> list[st.Page]:
    """Every page, for everyone: a page the user's role may not use is hidden from the menu
    and answers its URL with the reason (same url_path, so the same page identity)."""
    # The root URL shows the queue too. Streamlit gives the default page the path "" only,
    # so the queue's own page cannot be the default, or ``/queue?comment=…`` links (and the
    # menu's Queue link) would not find it. Its own script (home.py): ``st.switch_page`` by
    # path takes the first page with that script, which must be the queue's own page.
    out = [
        st.Page(
            f"{links.PAGES}/home.py",
            title="Queue",
            url_path="home",
            default=True,
            visibility="hidden",
        )
    ]
    for spec in PAGES:
        if user is None or user.can(spec.role):
            page = st.Page(f"{links.PAGES}/{spec.script}", title=spec.title, url_path=spec.url_path)
        else:
            page = st.Page(
                partial(_refuse, spec, user),
                title=spec.title,
                url_path=spec.url_path,
                visibility="hidden",
            )
        out.append(page)
    return out


_warmed: dict[str, threading.Event] = {}
_warm_lock = threading.Lock()


def warm_up(settings: Settings) -> None:
    """Start the process's background work once: the scoring model on one thread, and on
    another the imports and checks the first login and the first pages would otherwise pay
    for (so neither the login page nor the queue waits for them)."""
    model_loader.start(settings)
    key = settings.model_dump_json()
    with _warm_lock:
        if key in _warmed:
            return
        done = _warmed[key] = threading.Event()
    threading.Thread(
        target=_warm, args=(settings, done), name="threadwatch-warmup", daemon=True
    ).start()


def is_warm(settings: Settings) -> bool:
    """The background work of ``warm_up`` has finished (the model loaded, or failed to)."""
    done = _warmed.get(settings.model_dump_json())
    return done is not None and done.is_set() and model_loader.start(settings).done.is_set()


def _warm(settings: Settings, done: threading.Event) -> None:
    try:
        load_accounts(settings.auth_file).demo_accounts()
        for spec in PAGES:
            importlib.import_module(f"moderation.ui.{spec.module}")
        state.load_rules_once(settings, state.shared_store(settings.database_url))
    except Exception:  # only a head start: the pages do the same work themselves if need be
        log.debug("warm-up failed", exc_info=True)
    finally:
        done.set()


def run() -> None:
    """One script run. It ends by returning, never with ``st.stop()``: Streamlit forgets the
    fragments a run did not draw only when the run ends normally. After a stopped run a timer
    tick of the page before (the live queue's watcher) still ran, at that page's position, and
    on the login page that position did not exist: the tab went blank on "Log out"."""
    st.set_page_config(page_title="Threadwatch", layout="wide")
    cookie_slot = st.empty()  # on every run, so that the page below never moves
    try:
        run = state.begin_run()
        settings = run.settings
        warm_up(settings)
        login = auth.context(settings, run.store)
        user = auth.current_user(login, cookie_slot)
    except ModerationError as exc:
        st.error(f"Threadwatch cannot start: {exc}")
        return
    if user is None:
        # Resolve the page anyway (without running it): the URL and its parameters stay, and
        # the login form's callback leads to that page in the same run.
        st.navigation(pages_for(None), position="hidden")
        auth.login_form(login)
        return
    st.session_state["_user"] = user
    page = st.navigation(pages_for(user))
    with st.sidebar:
        auth.logout_button(login, user)
        status = st.container()
    try:
        rules = state.rules()
    except ModerationError as exc:
        st.error(f"Threadwatch cannot start: {exc}")
        return
    state.ensure_sample_data()
    loaded = state.model_loaded()
    banner.show_once(active_model() if loaded else None, rules.ruleset, auth.session_id())
    if rules.error:
        st.error(f"rules.yaml is invalid; rule set v{rules.version} stays active. {rules.error}")
    try:
        page.run()
    finally:
        _sidebar_status(status)


def _sidebar_status(slot: DeltaGenerator) -> None:
    """Drawn after the page: a save or rollback it made shows here in the same run."""
    try:
        # The run's data version: a write in the page refreshed it (state.invalidate).
        run = state.context()
        active, pending = run.version.active_rules, run.version.pending_rules
        version = active if active is not None else state.rules().version
        loading = not state.model_loaded()
        url = run.store.url
    except ModerationError as exc:
        slot.caption(f"Status unavailable: {exc}")
        return
    applying = f" (v{pending} being applied)" if pending not in (None, version) else ""
    slot.caption(
        f"Rule set v{version}{applying} · {banner.sidebar_note(active_model(), loading)}"
        f" · database {url}"
    )
