"""The scoring model, loaded once per process on a background thread.

Loading takes seconds (torch, ONNX Runtime, an offline probe before the fallback). The router
starts the load when the server starts, so the login page never waits for it and the queue,
which works from stored scores, is usable at once; only what runs the model (the first-run
sample load, the Rules test box, imports) waits, with progress. The scorer itself comes from
``moderation.scoring.build_scorer``: this module only decides when and on which thread.
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
    """One model load: running, or finished with a scorer or an error."""

    settings: Settings
    done: threading.Event = field(default_factory=threading.Event)
    scorer: Scorer | None = None
    error: str | None = None
    started: float = field(default_factory=time.monotonic)
    seconds: float | None = None

    def run(self) -> None:
        try:
            self.scorer = build_scorer(self.settings)
        except Exception as exc:  # the thread must always finish and say why
            self.error = f"{exc.__class__.__name__}: {exc}".splitlines()[0]
            log.exception("loading the scoring model failed")
        finally:
            self.seconds = time.monotonic() - self.started
            self.done.set()


_lock = threading.Lock()
_loads: dict[tuple[object, ...], Load] = {}


def _key(settings: Settings) -> tuple[object, ...]:
    # The fields build_scorer's choice depends on: one load per distinct scoring configuration.
    return (
        settings.model,
        settings.checkpoint,
        settings.huggingface_config_path,
        settings.device,
        settings.max_tokens,
        settings.batch_tokens,
        settings.threads,
    )


def start(settings: Settings) -> Load:
    """Start loading the model these settings ask for, unless it is loading or loaded."""
    key = _key(settings)
    with _lock:
        load = _loads.get(key)
        if load is None:
            load = _loads[key] = Load(settings)
            threading.Thread(target=load.run, name="threadwatch-model", daemon=True).start()
    return load


def ready(settings: Settings) -> Scorer | None:
    """The scorer if it has finished loading, else None (never waits)."""
    return start(settings).scorer


def wait(settings: Settings, timeout: float | None = None) -> Scorer:
    """The scorer, waiting for the load to finish; a ScoringError if it failed or timed out."""
    load = start(settings)
    if not load.done.wait(timeout):
        raise ScoringError(f"the scoring model is still loading after {timeout:.0f}s")
    if load.scorer is None:
        raise ScoringError(f"the scoring model could not be loaded: {load.error}")
    return load.scorer
