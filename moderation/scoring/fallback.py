"""The offline model the factory falls back to (and ``model = "offline"`` asks for).

It used to be ``alt-profanity-check`` (one ``toxicity`` label from a bag-of-words SVM). That
package was trained on exactly the two labeled sets we evaluate on (Davidson and the Kaggle
Jigsaw challenge, by its own README), so nothing it adds can be measured honestly here: as a
feature next to the MiniLM embedding it lifted Jigsaw development AUC from 0.925 to 0.988, which
is memory of those rows, not skill. It is removed; ``profanity-check`` stays accepted in settings
as an alias of the bundled MiniLM model, so existing configurations keep starting.
"""

from __future__ import annotations

from pathlib import Path

from moderation.scoring.labeled_data import OFFLINE_LABELS
from moderation.scoring.offline import LACKS, MiniLMHeadsScorer
from moderation.settings import Settings

#: The labels the offline fallback fills (Detoxify's ``original`` set).
FALLBACK_LABELS: tuple[str, ...] = OFFLINE_LABELS
FALLBACK_LACKS: tuple[str, ...] = LACKS

#: Settings values that select the offline model, and what to tell the log about each alias.
OFFLINE_ALIASES: dict[str, str] = {
    "offline": "",
    "profanity-check": (
        "model 'profanity-check' now selects the bundled offline MiniLM model "
        "(alt-profanity-check was removed)"
    ),
}


def build_offline(settings: Settings, cache_dir: Path | None = None) -> MiniLMHeadsScorer:
    """The bundled offline scorer with the settings' thread count.

    Its int8 encoder is cached under THREADWATCH_MODEL_CACHE (default ~/.cache/threadwatch/
    models) unless ``cache_dir`` says otherwise: it is built once per machine (~20 s), never
    per Detoxify checkpoint cache.
    """
    return MiniLMHeadsScorer(threads=settings.threads, cache_dir=cache_dir)
