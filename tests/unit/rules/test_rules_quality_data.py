"""The default rules on labelled public data (../shared/data; those tests skip without it)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from moderation.rules import CommentContext, RuleSet
from tests.conftest import SHARED_DATA, skip_without_shared_data

ROOT = Path(__file__).resolve().parents[3]
JIGSAW = SHARED_DATA / "jigsaw_train_5k_predibase.csv"
needs_jigsaw = skip_without_shared_data(JIGSAW.name)


@pytest.fixture(scope="module")
def eval_quality() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "eval_quality", ROOT / "benchmarks" / "eval_quality.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["eval_quality"] = module
    spec.loader.exec_module(module)
    return module


@needs_jigsaw
def test_rules_alone_on_jigsaw(eval_quality: ModuleType, default_rules: RuleSet) -> None:
    data = eval_quality.load_jigsaw(JIGSAW, 1000)
    rules_only = eval_quality.split(default_rules)["rules"]
    verdicts = rules_only.evaluate([CommentContext(t) for t in data.texts])
    precision, recall, _f1 = eval_quality.prf([v.flagged for v in verdicts], data.truth["overall"])
    assert precision > 0.5
    assert recall > 0.5
    # Evidence always slices the original comment exactly, on real, messy text too.
    for text, verdict in zip(data.texts, verdicts, strict=True):
        for hit in verdict.hits:
            for span in hit.evidence:
                assert text[span.start : span.end] == span.text


@needs_jigsaw
def test_batch_fold_equals_single_fold_on_real_text(eval_quality: ModuleType) -> None:
    from moderation.rules.batch_fold import fold_batch
    from moderation.rules.normalize import fold, fold_with_offsets

    texts = eval_quality.load_jigsaw(JIGSAW, 1500).texts
    assert fold_batch(texts) == [fold(t) for t in texts]
    assert all(fold_with_offsets(t).text == fold(t) for t in texts[:300])


def test_exits_cleanly_without_data(
    tmp_path: Path,
    eval_quality: ModuleType,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(eval_quality, "SHARED", tmp_path)
    monkeypatch.setattr(sys, "argv", ["eval_quality.py"])
    assert eval_quality.main() == 0
    assert "nothing to do" in capsys.readouterr().out
