"""The test run's own output stays readable: no stray prints, one reason for every skip that
lacks ../shared/data, and deprecation warnings from our own code fail the run (pyproject)."""

from __future__ import annotations

import ast
import re
import tomllib
import warnings
from pathlib import Path

import pytest

from tests.conftest import ROOT, SHARED_DATA_MISSING

TESTS = ROOT / "tests"


def _test_sources() -> list[Path]:
    return sorted(p for p in TESTS.rglob("*.py") if p.name != Path(__file__).name)


def test_no_test_prints_into_the_output() -> None:
    offenders = []
    for path in _test_sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name in ("print", "disabled"):  # print(), capsys.disabled()
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offenders, f"stray output in the test run: {offenders}"


def test_every_skip_for_missing_shared_data_gives_the_same_reason() -> None:
    offenders = []
    for path in _test_sources():
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"(skip\w*)\((?P<args>[^()]*(\([^()]*\)[^()]*)*)\)", text):
            args = match["args"]
            mentions_shared = "shared" in args.lower()
            if mentions_shared and "SHARED_DATA_MISSING" not in args:
                line = text.count("\n", 0, match.start()) + 1
                offenders.append(f"{path.relative_to(ROOT)}:{line}")
    assert not offenders, f"skips for ../shared/data with their own wording: {offenders}"
    assert "../shared/data" in SHARED_DATA_MISSING


def test_deprecation_warnings_from_our_code_fail_the_run() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    filters = config["tool"]["pytest"]["ini_options"]["filterwarnings"]
    assert "error::DeprecationWarning:moderation" in filters
    # And the filter is in force in this very run:
    with pytest.raises(DeprecationWarning):
        warnings.warn_explicit(
            "an outdated call", DeprecationWarning, "moderation/x.py", 1, module="moderation.x"
        )
