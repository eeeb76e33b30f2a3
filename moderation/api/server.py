"""The app as `moderation serve` runs it: the configured database, scorer and rules."""

from __future__ import annotations

import sys

from fastapi import FastAPI

from moderation.api.app import create_app
from moderation.api.config import ApiConfig
from moderation.api.intake import Intake
from moderation.api.webhooks import WebhookSender
from moderation.pipeline.reflag import apply_pending
from moderation.pipeline.versions import load_active_rules
from moderation.scoring import build_scorer
from moderation.settings import Settings
from moderation.store import Store


def build_app(settings: Settings, config: ApiConfig, *, webhooks: bool) -> tuple[FastAPI, Store]:
    store = Store.open(settings.database_url)
    scorer = build_scorer(settings)
    rules = load_active_rules(store, settings.rules_path)
    if rules.error:
        print(f"warning: {rules.error}; rule set v{rules.version} stays active", file=sys.stderr)
    # A rules.yaml edit (or an interrupted re-flag) is finished before comments come in.
    if apply_pending(store, settings.rules_path, model_id=scorer.model_id) is not None:
        rules = load_active_rules(store, settings.rules_path)
    intake = Intake(store, scorer, rules, learned_model=settings.learned_model)
    sender = WebhookSender(store, config) if webhooks else None
    return create_app(intake, config, webhooks=sender), store
