"""The scoring model, loaded once per process on a background thread.

Loading takes seconds (torch, ONNX Runtime, an offline probe before the fallback). The router
starts the load when the server starts, so the login page never waits for it and the queue,
which works from stored scores, is usable at once; only what runs the model (the first-run
sample load, the Rules test box, imports) waits, with progress. The scorer itself comes from
``moderation.scoring.build_scorer``, whose factory is the one cache of built scorers: this module
only decides when and on which thread, and remembers how each load went.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field

from moderation.errors import ScoringError
from moderation.scoring import Scorer, build_scorer
from moderation.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class Load:
    """One model load: running, or finished (the scorer built, or an error)."""

    settings: Settings
    done: threading.Event = field(default_factory=threading.Event)
    error: str | None = None
    started: float = field(default_factory=time.monotonic)
    seconds: float | None = None

    def run(self) -> None:
        try:
            build_scorer(self.settings)
        except Exception as exc:  # the thread must always finish and say why
            self.error = f"{exc.__class__.__name__}: {exc}".splitlines()[0]
            log.exception("loading the scoring model failed")
        finally:
            self.seconds = time.monotonic() - self.started
            self.done.set()


_lock = threading.Lock()
_loads: dict[tuple[object, ...], Load] = {}


def start(settings: Settings) -> Load:
    """Start loading the model these settings ask for, unless it is loading or loaded."""
    key = settings.scoring_key()
    with _lock:
        load = _loads.get(key)
        if load is None:
            load = _loads[key] = Load(settings)
            threading.Thread(target=load.run, name="threadwatch-model", daemon=True).start()
    return load


def ready(settings: Settings) -> Scorer | None:
    """The scorer if it has finished loading, else None (never waits)."""
    load = start(settings)
    return _built(load) if load.done.is_set() else None


def wait(settings: Settings, timeout: float | None = None) -> Scorer:
    """The scorer, waiting for the load to finish; a ScoringError if it failed or timed out."""
    load = start(settings)
    if not load.done.wait(timeout):
        raise ScoringError(f"the scoring model is still loading after {timeout:.0f}s")
    scorer = _built(load)
    if scorer is None:
        raise ScoringError(f"the scoring model could not be loaded: {load.error}")
    return scorer


def _built(load: Load) -> Scorer | None:
    # A finished load without an error left its scorer in build_scorer's cache: asking again
    # is a dictionary lookup, not a second load.
    return None if load.error is not None else build_scorer(load.settings)
