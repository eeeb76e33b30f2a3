"""The long version of tests/unit/rules/test_rules_fuzz.py: random (not derandomised) examples,
many more of them, for the rules loader and the draft sandbox.

    python benchmarks/fuzz_rules.py [--examples 2000] [--sandbox 50]

Prints the slowest input of each family; any exception other than RuleValidationError, a
multi-line error or an input over the time bound fails with hypothesis's shrunk example.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from moderation.rules import RuleValidationError  # noqa: E402
from moderation.rules.sandbox import check_draft  # noqa: E402
from tests.unit.rules import test_rules_fuzz as fuzz  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--examples", type=int, default=2000)
    parser.add_argument("--sandbox", type=int, default=50, help="drafts through the sandbox")
    args = parser.parse_args()
    slowest: dict[str, tuple[float, int]] = {}

    def timed(family: str, text: str) -> None:
        started = time.perf_counter()
        fuzz.check(text)
        seconds = time.perf_counter() - started
        if seconds > slowest.get(family, (0.0, 0))[0]:
            slowest[family] = (seconds, len(text))

    run = settings(
        max_examples=args.examples,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    given(fuzz.mutated_rules())(run(lambda text: timed("mutated rules.yaml", text)))()
    given(fuzz.trees())(run(lambda tree: timed("random YAML trees", yaml.safe_dump(tree))))()
    alphabet = st.sampled_from([*fuzz.SPECIAL, *"abcxyz019"])
    given(st.text(alphabet=alphabet, max_size=2000))(run(lambda t: timed("random text", t)))()

    def sandboxed(text: str) -> None:
        started = time.perf_counter()
        try:
            check_draft(text, ROOT)
        except RuleValidationError as exc:
            assert "\n" not in str(exc)
        seconds = time.perf_counter() - started
        if seconds > slowest.get("sandbox", (0.0, 0))[0]:
            slowest["sandbox"] = (seconds, len(text))

    given(fuzz.mutated_rules())(
        settings(max_examples=args.sandbox, deadline=None, database=None)(sandboxed)
    )()
    for family, (seconds, size) in slowest.items():
        print(f"{family}: slowest input {seconds:.3f}s ({size:,} characters)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
