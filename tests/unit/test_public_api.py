"""The package's public API: every name it promises exists, and importing it stays light."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import moderation

ROOT = Path(__file__).resolve().parents[2]


def test_every_public_name_resolves() -> None:
    missing = [name for name in moderation.__all__ if getattr(moderation, name, None) is None]
    assert missing == []


def test_an_unknown_name_is_an_attribute_error() -> None:
    assert not hasattr(moderation, "parse_bytes")  # removed: parse_text(decode_text(...))


def test_import_moderation_loads_no_database_or_model_code() -> None:
    probe = "import sys, moderation; print(sorted(m for m in ('sqlalchemy', 'torch', "
    probe += "'onnxruntime', 'moderation.store', 'moderation.rules') if m in sys.modules))"
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"


def test_the_public_api_parses_stores_and_flags_a_seed_article(tmp_path: Path) -> None:
    seed = ROOT / "sample_data" / "000_6c11dab985d08017.txt"
    [article] = moderation.parse_file(seed)
    assert article.reader_comments
    rules = moderation.load_rules(ROOT / "rules.yaml")
    assert rules.rules
    store = moderation.Store.open(f"sqlite:///{tmp_path / 'api.db'}")
    try:
        store.save_article(article)
    finally:
        store.close()
