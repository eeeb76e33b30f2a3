"""The error ``load_rules`` raises: every problem in the file, each with its rule id and line."""

from __future__ import annotations

from typing import NamedTuple

from moderation.errors import RuleConfigError


class Problem(NamedTuple):
    rule_id: str | None
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "?"
        rule = f" rule {self.rule_id}" if self.rule_id else ""
        return f"{where}{rule}: {self.message}"


class RuleValidationError(RuleConfigError):
    """rules.yaml has one or more problems; ``problems`` lists all of them."""

    def __init__(self, problems: list[Problem], *, subject: str | None = None) -> None:
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s):\n{lines}", subject=subject)
