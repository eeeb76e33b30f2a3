"""The scoring model loads once per process on a background thread; asking never blocks."""

from __future__ import annotations

from moderation.scoring import MiniLMHeadsScorer
from moderation.settings import Settings
from moderation.ui import model_loader


def test_one_load_per_configuration_and_waiting_returns_the_scorer() -> None:
    settings = Settings(model="offline", max_tokens=17)  # a key no other test uses
    first = model_loader.start(settings)
    assert model_loader.start(settings) is first  # started once, however often asked
    scorer = model_loader.wait(settings, timeout=120)
    assert isinstance(scorer, MiniLMHeadsScorer)
    assert first.done.is_set() and first.error is None and first.seconds is not None
    assert model_loader.ready(settings) is scorer
    other = Settings(model="offline", max_tokens=18)
    assert model_loader.start(other) is not first
    model_loader.wait(other, timeout=120)
