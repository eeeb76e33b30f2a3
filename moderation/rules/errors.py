"""The error ``load_rules`` raises: every problem in the file, each with its rule id and line."""

from __future__ import annotations

from typing import NamedTuple

from moderation.errors import RuleConfigError


class Problem(NamedTuple):
    rule_id: str | None
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else ""
        rule = f"rule {self.rule_id}" if self.rule_id else ""
        place = " ".join(p for p in (where, rule) if p)
        return f"{place}: {self.message}" if place else self.message


_SHOWN = 10  # problems named in the one-line message


class RuleValidationError(RuleConfigError):
    """rules.yaml has one or more problems; ``problems`` lists all of them."""

    def __init__(self, problems: list[Problem], *, subject: str | None = None) -> None:
        self.problems = problems
        # One line, as every error's reason is (banners, logs); ``problems`` has them all.
        if len(problems) == 1:
            message = str(problems[0])
        else:
            shown = "; ".join(str(p) for p in problems[:_SHOWN])
            more = f"; and {len(problems) - _SHOWN} more" if len(problems) > _SHOWN else ""
            message = f"{len(problems)} problems: {shown}{more}"
        super().__init__(message, subject=subject)
