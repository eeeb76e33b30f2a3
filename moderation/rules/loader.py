"""rules.yaml -> RuleSet: validate everything, collect every problem with its rule id and line."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import re2
import yaml
from pydantic import ValidationError

from moderation.records import PolicyClause
from moderation.rules import safe_yaml
from moderation.rules.engine import CommentContext, CompiledRule, RuleSet
from moderation.rules.errors import Problem, RuleValidationError
from moderation.rules.lists import (
    MAX_ENTRIES,
    MAX_LIST_BYTES,
    MAX_TOTAL_LIST_BYTES,
    ListFileError,
    read_bounded,
    read_list_file,
)
from moderation.rules.matchers import Lexicon, compile_regex, re2_options
from moderation.rules.nodes import (
    AllNode,
    AnyNode,
    AuthorLeaf,
    DirectedLeaf,
    ModelLeaf,
    Node,
    NotNode,
    RegexLeaf,
    WordsLeaf,
)
from moderation.rules.schema import Condition, Example, Rule, RulesFile, WordList

Loc = tuple[str | int, ...]


def read_rules_text(path: Path) -> str:
    """rules.yaml as text, or a RuleValidationError with one problem saying why it cannot be read
    (missing, not a regular file, too large, not UTF-8)."""
    try:
        data = read_bounded(path, safe_yaml.MAX_BYTES)
    except ListFileError as exc:
        raise RuleValidationError(
            [Problem(None, None, f"cannot read: {exc}")], subject=str(path)
        ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        message = f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        raise RuleValidationError([Problem(None, None, message)], subject=str(path)) from None


def load_rules(path: Path) -> RuleSet:
    """Read and validate ``path``; raises RuleValidationError listing every problem."""
    return parse_rules(read_rules_text(path), base_dir=path.parent, name=str(path))


def parse_rules(text: str, *, base_dir: Path, name: str = "rules.yaml") -> RuleSet:
    """Validate rules.yaml ``text``; list files are resolved inside ``base_dir`` (the rules
    folder) only. Work and memory are bounded whatever the text (see safe_yaml and lists)."""
    try:
        data, root = safe_yaml.load(text)
    except safe_yaml.YamlBudgetError as exc:
        raise RuleValidationError([Problem(None, exc.line, str(exc))], subject=name) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = Problem(None, line, f"invalid YAML: {safe_yaml.one_line(exc)}")
        raise RuleValidationError([problem], subject=name) from None
    except (ValueError, OverflowError, UnicodeError) as exc:  # e.g. a date 2001-13-01
        message = f"invalid YAML value: {' '.join(str(exc).split())}"
        raise RuleValidationError([Problem(None, None, message)], subject=name) from None
    if not isinstance(data, dict):
        raise RuleValidationError([Problem(None, 1, "expected a mapping at the top")], subject=name)
    lines, duplicates = safe_yaml.line_map(root)
    # PyYAML keeps the last of two equal keys without a word: a rule with two `action:` lines
    # would silently do the second. Both are errors here.
    problems: list[Problem] = [
        Problem(
            _rule_id(data, d.path),
            d.line,
            f"duplicate key {d.key!r} (first given on line {d.first_line})",
        )
        for d in duplicates
    ]
    # The top level and each rule are validated on their own, so one bad rule does not hide the
    # problems of the others (schema errors in one, unknown clauses in another, ...).
    raw_rules = data.get("rules")
    spec: RulesFile | None = None
    try:
        spec = RulesFile.model_validate(
            {**data, "rules": []} if isinstance(raw_rules, list) else data
        )
    except ValidationError as exc:
        problems.extend(_pydantic_problems(exc, data, lines))
    indexed: list[tuple[int, Rule]] = []
    for i, raw in enumerate(raw_rules if isinstance(raw_rules, list) else []):
        try:
            indexed.append((i, Rule.model_validate(raw)))
        except ValidationError as exc:
            problems.extend(_pydantic_problems(exc, data, lines, prefix=("rules", i)))
    if spec is None:
        problems.sort(key=lambda p: p.line or 0)
        raise RuleValidationError(problems, subject=name)
    builder = _Builder(spec, indexed, data, lines, base_dir)
    ruleset = builder.build()
    problems.extend(builder.problems)
    if not problems:  # examples only mean something once every rule compiled
        problems = _check_examples(ruleset, indexed, builder)
    if problems:
        problems.sort(key=lambda p: p.line or 0)
        raise RuleValidationError(problems, subject=name)
    return ruleset


# --- line numbers --------------------------------------------------------------------------------
def _line_of(lines: dict[Loc, int], loc: Loc) -> int | None:
    # pydantic puts union branch names (``list[str]``, ``WordList``) in locations: skip them.
    path: Loc = ()
    best = lines.get(())
    for part in loc:
        candidate = (*path, part)
        if candidate in lines:
            path = candidate
            best = lines[path]
    return best


def _rule_id(data: Any, loc: Loc) -> str | None:
    if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
        rules = data.get("rules") if isinstance(data, dict) else None
        if isinstance(rules, list) and loc[1] < len(rules) and isinstance(rules[loc[1]], dict):
            rule_id = rules[loc[1]].get("id")
            return str(rule_id) if rule_id is not None else f"#{loc[1] + 1}"
    return None


def _pydantic_problems(
    exc: ValidationError, data: Any, lines: dict[Loc, int], prefix: Loc = ()
) -> list[Problem]:
    problems: dict[tuple[str | None, int | None, str], None] = {}
    for err in exc.errors():
        loc: Loc = (*prefix, *err["loc"])
        shown = ".".join(str(p) for p in loc if not str(p)[:1].isupper() and "[" not in str(p))
        if err["type"] == "extra_forbidden":
            message = f"unknown key {loc[-1]!r}"
        else:
            message = f"{shown}: {err['msg']}" if shown else err["msg"]
        problems[(_rule_id(data, loc), _line_of(lines, loc), message)] = None
    return [Problem(*key) for key in problems]


# --- compiling -----------------------------------------------------------------------------------
class _Builder:
    def __init__(
        self,
        spec: RulesFile,
        indexed: list[tuple[int, Rule]],
        data: dict[str, Any],
        lines: dict[Loc, int],
        base_dir: Path,
    ) -> None:
        self.spec, self.data, self.lines, self.base_dir = spec, data, lines, base_dir
        self.indexed = indexed  # (position in the file, rule) of the rules that validated
        self.problems: list[Problem] = []
        self.lists: dict[str, frozenset[str]] = {}
        self.sources: list[str] = []
        self._files: dict[str, list[str]] = {}  # list file name -> its entries, read once
        self._file_bytes = 0
        self._entries = 0
        self._named: dict[str, str] = {}  # named list -> list id
        self._rule_id: str | None = None

    def problem(self, loc: Loc, message: str) -> None:
        self.problems.append(Problem(self._rule_id, _line_of(self.lines, loc), message))

    def build(self) -> RuleSet:
        spec = self.spec
        clause_ids = {c.id for c in spec.clauses}
        for name, word_list in spec.lists.items():
            self._named[name] = self._add_list(word_list, ("lists", name), f"list:{name}")
        rules: list[CompiledRule] = []
        seen: set[str] = set()
        for i, rule in self.indexed:
            self._rule_id = rule.id
            loc: Loc = ("rules", i)
            if rule.id in seen:
                self.problem((*loc, "id"), f"duplicate rule id {rule.id!r}")
            seen.add(rule.id)
            if rule.category not in spec.categories:
                known = ", ".join(spec.categories)
                self.problem((*loc, "category"), f"unknown category {rule.category!r} ({known})")
            if rule.clause not in clause_ids:
                known = ", ".join(sorted(clause_ids))
                self.problem((*loc, "clause"), f"unknown clause {rule.clause!r} ({known})")
            condition = self._node(rule.match, (*loc, "match"))
            rules.append(
                CompiledRule(
                    id=rule.id,
                    description=rule.description,
                    category=rule.category,
                    clause=rule.clause,
                    action=rule.action,
                    severity=rule.severity,
                    priority=rule.priority,
                    enabled=rule.enabled,
                    condition=condition,
                    reason=rule.reason,
                    line=_line_of(self.lines, loc),
                    model_leaves=tuple(condition.model_leaves()),
                    has_spans=condition.has_spans(),
                )
            )
        self._rule_id = None
        return RuleSet(
            version=spec.version,
            content_hash=self.fingerprint(),
            clauses=tuple(PolicyClause(c.id, c.text) for c in spec.clauses),
            categories=dict(spec.categories),
            rules=tuple(rules),
            lexicon=Lexicon(self.lists),
            sources=tuple(self.sources),
        )

    def fingerprint(self) -> str:
        """sha256 of what the rules do, not of how the YAML spells it: the validated spec
        (comments, layout, quoting, key order and anchors are gone; examples are left out, they
        are checks, not rules) with every word list resolved (a list file's content counts, its
        order and duplicates do not). Equal fingerprints flag every comment the same way."""
        payload = {
            "spec": self.spec.model_dump(mode="json", by_alias=True, exclude={"rules"}),
            "rules": [
                rule.model_dump(mode="json", by_alias=True, exclude={"examples"})
                for _, rule in self.indexed
            ],
            "lists": {list_id: sorted(entries) for list_id, entries in sorted(self.lists.items())},
        }
        encoded = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(encoded.encode("utf-8", "surrogatepass")).hexdigest()

    def _add_list(self, word_list: WordList, loc: Loc, list_id: str) -> str:
        if word_list.ref is not None:
            if word_list.ref not in self._named:
                self.problem((*loc, "list"), f"unknown list {word_list.ref!r}")
                return list_id
            base = set(self.lists[self._named[word_list.ref]])
        else:
            base = set()
        base.update(word_list.items)
        if word_list.file is not None:
            base.update(self._read_list(word_list.file, (*loc, "file")))
            self.sources.append(
                f"{word_list.file}: {word_list.source or 'local'} ({word_list.license or '?'})"
            )
        excluded = {e.casefold().strip() for e in word_list.exclude}
        entries = frozenset(e for e in base if e.casefold().strip() not in excluded)
        self._entries += len(entries)
        if self._entries > MAX_ENTRIES:
            if self._entries - len(entries) <= MAX_ENTRIES:  # say it once
                self.problem(loc, f"the word lists hold more than {MAX_ENTRIES:,} entries")
            entries = frozenset()
        self.lists[list_id] = entries
        return list_id

    def _read_list(self, name: str, loc: Loc) -> list[str]:
        if name in self._files:
            return self._files[name]
        limit = min(MAX_LIST_BYTES, MAX_TOTAL_LIST_BYTES - self._file_bytes)
        try:
            content = read_list_file(self.base_dir, name, limit)
        except ListFileError as exc:
            self.problem(loc, f"cannot read list file {name!r}: {exc}")
            return []
        self._file_bytes += len(content)
        entries = []
        for line in content.decode("utf-8", "replace").splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                entries.append(line)
        self._files[name] = entries
        return entries

    def _node(self, cond: Condition, loc: Loc) -> Node:
        if cond.all_ is not None:
            return AllNode([self._node(c, (*loc, "all", i)) for i, c in enumerate(cond.all_)])
        if cond.any_ is not None:
            return AnyNode([self._node(c, (*loc, "any", i)) for i, c in enumerate(cond.any_)])
        if cond.not_ is not None:
            return NotNode(self._node(cond.not_, (*loc, "not")))
        for key in ("words", "phrases"):
            source = getattr(cond, key)
            if source is not None:
                word_list = WordList(items=source) if isinstance(source, list) else source
                list_id = f"{self._rule_id}:{'.'.join(str(p) for p in loc[2:])}"
                plain_ref = not (word_list.items or word_list.file or word_list.exclude)
                if word_list.ref in self._named and plain_ref:
                    return WordsLeaf(self._named[word_list.ref])
                return WordsLeaf(self._add_list(word_list, (*loc, key), list_id))
        if cond.regex is not None:
            patterns = [cond.regex] if isinstance(cond.regex, str) else cond.regex
            return self._regex(patterns, (*loc, "regex"))
        if cond.model is not None:
            m = cond.model
            op, value = next(
                (k, v) for k in ("gte", "gt", "lte", "lt") if (v := getattr(m, k)) is not None
            )
            return ModelLeaf(m.label, op, value, m.model_id, m.not_model_id)
        if cond.directed is not None:
            return DirectedLeaf(cond.directed)
        assert cond.author is not None
        return AuthorLeaf(cond.author.min_prior_rejections)

    def _regex(self, patterns: list[str], loc: Loc) -> Node:
        if not patterns:  # the empty alternation would match every comment
            self.problem(loc, "regex needs at least one pattern")
            return AnyNode([])
        for i, pattern in enumerate(patterns):
            try:
                re2.compile(pattern, re2_options())
            except re2.error as exc:
                where = loc if len(patterns) == 1 else (*loc, i)
                self.problem(
                    where,
                    f"regex {pattern!r} cannot run on RE2 (the linear-time engine; no "
                    f"lookarounds or backreferences): {_re2_message(exc)}",
                )
                return AnyNode([])
            if _matches_anything(pattern):
                where = loc if len(patterns) == 1 else (*loc, i)
                self.problem(
                    where,
                    f"regex {pattern!r} matches an empty text, so it would flag every comment",
                )
                return AnyNode([])
        pattern, batch_pattern = compile_regex(patterns)
        anchored = any(c in p for p in patterns for c in ("^", "$", r"\A", r"\z"))
        return RegexLeaf(pattern, batch_pattern, anchored)


# --- examples ------------------------------------------------------------------------------------
def _context(example: str | Example) -> CommentContext:
    if isinstance(example, str):
        return CommentContext(text=example)
    return CommentContext(
        text=example.text,
        author=example.author,
        parent_author=example.parent_author,
        scores=example.scores,
        prior_rejections=example.prior_rejections,
    )


def _examples(indexed: list[tuple[int, Rule]]) -> Iterator[tuple[int, str, int, str | Example]]:
    for i, rule in indexed:
        for kind in ("should_flag", "should_pass"):
            for j, example in enumerate(getattr(rule.examples, kind)):
                yield i, kind, j, example


def _check_examples(
    ruleset: RuleSet, indexed: list[tuple[int, Rule]], builder: _Builder
) -> list[Problem]:
    """Every rule must flag its should_flag texts and not its should_pass ones.

    Examples are plain texts with no model scores unless they give ``scores:``; a model condition
    without its label is *undecided*, which never counts as flagging. So a rule that needs the
    model to fire must give scores in its should_flag examples (the loader then checks the
    threshold logic too); should_pass texts pass when the rule is false or undecided.
    """
    listed = list(_examples(indexed))
    ids = {i: rule.id for i, rule in indexed}
    if not listed:
        return []
    rules = {rule.id: rule for rule in ruleset.rules}
    contexts = [_context(example) for _i, _k, _j, example in listed]
    one = RuleSet(ruleset.version, "", ruleset.clauses, ruleset.categories, (), ruleset.lexicon)
    problems = []
    # Evaluate each rule alone (a rule's examples say nothing about the others) in one batch.
    groups: dict[tuple[int, str | None], list[int]] = {}
    for n, (i, _k, _j, example) in enumerate(listed):
        model_id = example.model_id if isinstance(example, Example) else None
        groups.setdefault((i, model_id), []).append(n)
    for (i, model_id), indices in groups.items():
        rule = rules[ids[i]]
        single = RuleSet(
            one.version, "", one.clauses, one.categories, (_enabled(rule),), one.lexicon
        )
        verdicts = single.evaluate([contexts[n] for n in indices], model_id=model_id)
        for n, verdict in zip(indices, verdicts, strict=True):
            _i, kind, j, example = listed[n]
            fired = bool(verdict.hits)
            if fired != (kind == "should_flag"):
                text = example if isinstance(example, str) else example.text
                verb = "does not flag" if kind == "should_flag" else "flags"
                problems.append(
                    Problem(
                        rule.id,
                        _line_of(builder.lines, ("rules", i, "examples", kind, j)),
                        f"example {kind}[{j}] fails: the rule {verb} {text!r}",
                    )
                )
    return problems


def _enabled(rule: CompiledRule) -> CompiledRule:
    from dataclasses import replace

    return replace(rule, enabled=True)


def _matches_anything(pattern: str) -> bool:
    """True for '', 'x*', '.*', '^', 'a|' …: patterns that match somewhere in every text."""
    compiled = re2.compile(pattern, re2_options())
    return all(compiled.search(text) is not None for text in ("", "zq"))


def _re2_message(exc: Exception) -> str:
    detail = exc.args[0] if exc.args else exc
    return detail.decode("utf-8", "replace") if isinstance(detail, bytes) else str(detail)
