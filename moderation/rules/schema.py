"""The shape of rules.yaml (pydantic, ``extra="forbid"``: a typo is an error, never ignored)."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Action = Literal["flag", "hold", "reject", "approve"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


# Lengths of the columns these ids are stored in (flags.rule_id, clause_id, category).
MAX_ID = 128
MAX_CATEGORY = 64


class Clause(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=MAX_ID)
    text: str


class WordList(_Strict):
    """Literal entries: inline ``items``, a ``file`` next to rules.yaml, or a named ``list``."""

    file: str | None = None
    ref: str | None = Field(default=None, alias="list")
    items: list[str] = []
    exclude: list[str] = []
    source: str | None = None  # where a maintained list came from (shown by ``rules validate``)
    license: str | None = None


_MODEL_SHORTHAND = re.compile(r"^\s*([A-Za-z_][\w-]*)\s*(>=|>|<=|<)\s*([0-9]*\.?[0-9]+)\s*$")
_OPS = {">=": "gte", ">": "gt", "<=": "lte", "<": "lt"}


class ModelSpec(_Strict):
    """A threshold on one label of the active scorer, e.g. ``insult >= 0.8``."""

    label: str
    gte: float | None = Field(default=None, ge=0, le=1)
    gt: float | None = Field(default=None, ge=0, le=1)
    lte: float | None = Field(default=None, ge=0, le=1)
    lt: float | None = Field(default=None, ge=0, le=1)
    # Scores of different models are not on one scale: a threshold may name the models it is for.
    model_id: str | None = None  # glob the scorer's model_id must match
    not_model_id: str | None = None  # glob it must not match

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        if isinstance(value, str):
            match = _MODEL_SHORTHAND.match(value)
            if not match:
                raise ValueError(f"expected 'label >= 0.8', got {value!r}")
            label, op, number = match.groups()
            return {"label": label, _OPS[op]: float(number)}
        return value

    @model_validator(mode="after")
    def _one_comparison(self) -> ModelSpec:
        if sum(v is not None for v in (self.gte, self.gt, self.lte, self.lt)) != 1:
            raise ValueError("give exactly one of gte, gt, lte, lt")
        return self


class AuthorSpec(_Strict):
    min_prior_rejections: int = Field(ge=1)


LEAVES = ("words", "phrases", "regex", "model", "directed", "author")
COMBINATORS = ("all", "any", "not")


class Condition(_Strict):
    """Exactly one key: a leaf test or a combinator over nested conditions."""

    words: list[str] | WordList | None = None
    phrases: list[str] | WordList | None = None
    regex: str | list[str] | None = None
    model: ModelSpec | None = None
    directed: bool | None = None
    author: AuthorSpec | None = None
    all_: list[Condition] | None = Field(default=None, alias="all", min_length=1)
    any_: list[Condition] | None = Field(default=None, alias="any", min_length=1)
    not_: Condition | None = Field(default=None, alias="not")

    @model_validator(mode="after")
    def _exactly_one(self) -> Condition:
        given = [k for k in (*LEAVES, "all_", "any_", "not_") if getattr(self, k) is not None]
        if len(given) != 1:
            names = ", ".join((*LEAVES, *COMBINATORS))
            raise ValueError(f"a condition needs exactly one of {names} (got {len(given)})")
        return self


class Example(_Strict):
    text: str
    scores: dict[str, float] = {}
    author: str | None = None
    parent_author: str | None = None
    prior_rejections: int = 0
    model_id: str | None = None  # the scorer the scores are from (for model_id-specific rules)


class Examples(_Strict):
    should_flag: list[str | Example] = []
    should_pass: list[str | Example] = []


class Rule(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=MAX_ID)
    description: str
    category: str
    clause: str
    action: Action
    severity: int = Field(default=2, ge=1, le=5)
    priority: int = 0
    enabled: bool = True
    match: Condition
    reason: str | None = None  # template; ``{match}`` is the quoted evidence
    examples: Examples = Examples()


class RulesFile(_Strict):
    version: str
    clauses: list[Clause] = Field(min_length=1)
    categories: dict[str, str] = Field(min_length=1)  # id -> description
    lists: dict[str, WordList] = {}
    rules: list[Rule]

    @field_validator("categories")
    @classmethod
    def _category_ids(cls, value: dict[str, str]) -> dict[str, str]:
        too_long = [k for k in value if len(k) > MAX_CATEGORY]
        if too_long:
            raise ValueError(f"category ids are at most {MAX_CATEGORY} characters: {too_long[0]!r}")
        return value

    @field_validator("version", mode="before")
    @classmethod
    def _version_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int | float) else value
