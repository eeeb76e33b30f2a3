"""Every setting in one place: defaults < settings file < environment < CLI flags.

Validated once at start-up (pydantic) so a typo fails with a clear message instead of deep inside
a page or an ingest.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from moderation.errors import ConfigError

ModelChoice = Literal[
    "original",
    "unbiased",
    "multilingual",
    "original-small",
    "unbiased-small",
    "offline",  # the bundled offline model (MiniLM + calibrated heads), chosen explicitly
    "profanity-check",  # old name of the offline choice, kept so existing configs still start
]

ENV_PREFIX = "THREADWATCH_"
SETTINGS_FILE_ENV = "THREADWATCH_SETTINGS"
DEFAULT_SETTINGS_FILE = "threadwatch.toml"


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    database_url: str = "sqlite:///threadwatch.db"
    max_file_bytes: int = Field(default=20 * 1024 * 1024, gt=0)
    # The budget of parsing one source file (CLI parse/ingest, dashboard uploads): wall-clock
    # seconds and memory of the worker process that parses it (moderation/parsing/worker.py).
    parse_seconds: float = Field(default=120.0, gt=0)
    parse_memory_mb: int = Field(default=2048, ge=64)
    rules_path: Path = Path("rules.yaml")
    sample_data: Path = Path("sample_data")
    auth_file: Path = Path("auth.yaml")
    # Scoring: a Detoxify variant (default ``unbiased``: trained on Civil Comments, i.e. news-site
    # reader comments); when its weights cannot be had, the offline fallback takes over.
    # ``offline`` asks for the bundled offline model directly (``profanity-check`` is its old name).
    model: ModelChoice = "unbiased"
    checkpoint: Path | None = None
    huggingface_config_path: Path | None = None
    device: Literal["auto", "cpu", "cuda"] = "auto"
    max_tokens: int = Field(default=256, ge=8, le=512)
    batch_tokens: int = Field(default=512, ge=64)
    threads: int | None = Field(default=None, ge=1)
    # Dashboard deployment. Demo mode (the embedded default) lets the quick start work as it
    # is: the login page shows the demo accounts (with a warning) and, without a cookie key,
    # each server signs logins with its own random key. Outside demo mode ``cookie_key`` is
    # required: one secret shared by every server of the deployment, so that logins survive
    # restarts and a login on one server is valid on the others.
    demo_mode: bool = True
    cookie_key: SecretStr | None = None
    # /_stcore/metrics answers only requests that carry this bearer token (off when unset).
    metrics_token: SecretStr | None = None
    # The site's own model, learned from moderators' decisions (sorting and display only; it
    # never decides). False turns it off: `moderation model learn` refuses, nothing is predicted.
    learned_model: bool = True
    # Who runs background jobs (re-flags, training, backfills) queued in the database: "thread"
    # (default) a thread of each dashboard server as well as any `moderation worker`; "external"
    # only `moderation worker` processes (a team deployment: dashboards queue, workers run).
    workers: Literal["thread", "external"] = "thread"

    def scoring_key(self) -> tuple[object, ...]:
        """The fields the choice and build of the scorer depend on: one scorer (and one load of
        it in the dashboard) per distinct value."""
        return (
            self.model,
            self.checkpoint,
            self.huggingface_config_path,
            self.device,
            self.max_tokens,
            self.batch_tokens,
            self.threads,
        )


# Environment variables that do not follow the THREADWATCH_ prefix but are conventional.
_ALIASES = {"DATABASE_URL": "database_url"}


def load_settings(overrides: dict[str, Any] | None = None, *, file: Path | None = None) -> Settings:
    """Merge the settings file, the environment and ``overrides`` (CLI flags) into Settings."""
    values: dict[str, Any] = {}
    path = file or Path(os.environ.get(SETTINGS_FILE_ENV, DEFAULT_SETTINGS_FILE))
    if path.is_file():
        try:
            values.update(tomllib.loads(path.read_text(encoding="utf-8")))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read settings file: {exc}", subject=str(path)) from exc
    fields = Settings.model_fields
    for env, field_name in _ALIASES.items():
        if env in os.environ:
            values[field_name] = os.environ[env]
    for name in fields:
        env = ENV_PREFIX + name.upper()
        if env in os.environ:
            values[name] = os.environ[env]
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})
    try:
        return Settings(**values)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"invalid settings: {problems}") from exc
