"""Fuzzing the rules loader and `moderation rules validate` (issue 11, points 3, 4 and 8): for any
text, parse_rules returns a RuleSet or raises our RuleValidationError with a one-line message,
within a bounded time. A fixed, derandomised example budget keeps this to well under a minute;
benchmarks/fuzz_rules.py runs the long, random version."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moderation import cli
from moderation.rules import RuleSet, RuleValidationError, parse_rules

ROOT = Path(__file__).resolve().parents[3]
RULES_TEXT = (ROOT / "rules.yaml").read_text(encoding="utf-8")
SECONDS = 10.0  # per input, generous: the loader's budgets make each one far cheaper

CI = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Bytes that mean something to YAML or to the rules schema, and some that mean trouble.
SPECIAL = [*"&*[]{}:-!|>'\"#%@,?\n\t ", "\x00", "\ufeff", "\u202e", "\ud800", "\x85"]
KEYS = [
    "version", "clauses", "categories", "lists", "rules", "id", "text", "description",
    "category", "clause", "action", "severity", "priority", "enabled", "match", "reason",
    "examples", "should_flag", "should_pass", "words", "phrases", "regex", "model", "directed",
    "author", "all", "any", "not", "file", "list", "items", "exclude", "label", "gte", "lt",
    "min_prior_rejections", "scores", "<<",
]  # fmt: skip


def check(text: str) -> RuleSet | None:
    """parse_rules ``text``: a RuleSet, or None after our own one-line error, in bounded time."""
    started = time.perf_counter()
    try:
        result: RuleSet | None = parse_rules(text, base_dir=ROOT)
    except RuleValidationError as exc:
        assert exc.problems, "an error names at least one problem"
        assert "\n" not in str(exc), str(exc)[:200]
        result = None
    assert time.perf_counter() - started < SECONDS
    return result


@st.composite
def mutated_rules(draw: st.DrawFn) -> str:
    """The real rules.yaml with a few spans deleted, duplicated, swapped or filled with YAML
    punctuation: close to valid, so the deep parts of the loader are reached."""
    text = RULES_TEXT
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, len(text)))
        end = min(len(text), start + draw(st.integers(0, 200)))
        kind = draw(st.sampled_from(["delete", "duplicate", "insert", "lines"]))
        if kind == "delete":
            text = text[:start] + text[end:]
        elif kind == "duplicate":
            text = text[:end] + text[start:end] * draw(st.integers(1, 3)) + text[end:]
        elif kind == "insert":
            noise = draw(st.lists(st.sampled_from(SPECIAL + KEYS), max_size=8))
            text = text[:start] + "".join(noise) + text[start:]
        else:
            lines = text.splitlines(keepends=True)
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            text = "".join(lines)
    return text


def trees() -> st.SearchStrategy[Any]:
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**70), 2**70),
        st.floats(allow_nan=True),
        st.sampled_from([*KEYS, "flag", "reject", "no-profanity", "profanity", "", ".*"]),
        st.text(max_size=20),
    )
    return st.recursive(
        scalars,
        lambda children: st.one_of(
            st.lists(children, max_size=5),
            st.dictionaries(st.sampled_from(KEYS), children, max_size=6),
        ),
        max_leaves=40,
    )


@CI
@given(mutated_rules())
def test_mutated_rules_files(text: str) -> None:
    check(text)


@CI
@given(trees())
def test_random_yaml_trees(tree: Any) -> None:
    check(yaml.safe_dump(tree, allow_unicode=True))
    check(yaml.safe_dump({"version": 1, "rules": [tree]}, allow_unicode=True))


@CI
@given(st.text(alphabet=st.sampled_from(SPECIAL + list("abcxyz019")), max_size=300))
def test_random_text(text: str) -> None:
    check(text)


@settings(max_examples=15, deadline=None, derandomize=True)
@given(mutated_rules())
def test_rules_validate_exits_0_or_2(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    folder = tmp_path_factory.mktemp("validate")
    path = folder / "rules.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    assert cli.main(["rules", "validate", str(path)]) in (0, 2)


def test_the_default_rules_survive_the_fuzzer_unchanged() -> None:
    assert check(RULES_TEXT) is not None


def _fastest(text: str, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        check(text)
        best = min(best, time.perf_counter() - started)
    return best


@pytest.mark.timed
def test_validation_time_grows_linearly_with_inline_words() -> None:
    """Doubling the words about doubles the time (47 s for 200,000 words before; refused now)."""

    def doc(n: int) -> str:
        words = ", ".join(f"w{i}" for i in range(n))
        return RULES_TEXT.replace(
            "rules:\n",
            "rules:\n  - id: big\n    description: d\n    category: other\n"
            f"    clause: no-inappropriate-material\n    action: flag\n    match:\n"
            f"      words: [{words}]\n",
            1,
        )

    small, large = _fastest(doc(10_000)), _fastest(doc(20_000))
    assert large < 4 * small, (small, large)
