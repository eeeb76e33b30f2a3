"""A YAML reader for rules.yaml with size, depth and alias budgets.

``yaml.safe_load`` is safe from code execution but not from cost: aliases share nodes, so a
271-byte "billion laughs" document is cheap to load and exponential for anything that walks it
(line numbers, pydantic); deep nesting raises RecursionError in PyYAML's recursive composer;
and the pure-Python scanner needs ~40 s for 200,000 inline words. Here libyaml (C) parses the
events and a loop without recursion composes the nodes, counting every value (an alias counts
as the whole value it repeats), so work and memory are bounded by ``MAX_VALUES`` whatever the
bytes. PyYAML's own resolver and SafeConstructor then build the data, so the result is exactly
what ``yaml.safe_load`` gives for every document within the budgets.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

MAX_BYTES = 1024 * 1024  # rules.yaml is ~20 KB; lists longer than a page belong in list files
MAX_DEPTH = 64
MAX_VALUES = 100_000  # scalars and collections, aliases expanded
MAX_ALIASES = 100

# libyaml when available (several times faster); the pure-Python parser gives the same events.
_Parser: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlBudgetError(ValueError):
    """The document is over a budget, or uses YAML in a way rules.yaml may not."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class DuplicateKey:
    """A key given twice in one mapping (PyYAML silently keeps the last)."""

    path: tuple[str | int, ...]  # of the mapping that holds it
    key: str
    line: int
    first_line: int


@dataclass
class _Open:
    node: yaml.Node
    children: list[yaml.Node]
    anchor: str | None
    size: int = 1


def compose(text: str) -> yaml.Node | None:
    """The document's node graph, within the budgets (YamlBudgetError) or yaml.YAMLError."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise YamlBudgetError(f"the file is {size:,} bytes, over the {MAX_BYTES:,}-byte limit", 1)
    composer = _Composer()
    loader = _Parser(text)
    try:
        while loader.check_event():
            composer.feed(loader.get_event())
    finally:
        loader.dispose()
    return composer.root


def _line_of(event: yaml.Event) -> int | None:
    mark = getattr(event, "start_mark", None)
    return mark.line + 1 if mark is not None else None


class _Composer:
    """Events -> nodes, one event at a time with an explicit stack (no recursion)."""

    def __init__(self) -> None:
        self.resolver = Resolver()
        self.anchors: dict[str, tuple[yaml.Node, int]] = {}  # anchor -> (node, expanded size)
        self.opening: set[str] = set()  # anchors of collections not closed yet
        self.stack: list[_Open] = []
        self.root: yaml.Node | None = None
        self.documents = self.values = self.aliases = 0

    def feed(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise YamlBudgetError("expected one YAML document, found several", _line_of(event))
        elif isinstance(event, yaml.AliasEvent):
            self._alias(event)
        elif isinstance(event, yaml.ScalarEvent):
            self._scalar(event)
        elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            self._start(event)
        elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
            self._end(event)

    def _count(self, event: yaml.Event, n: int) -> None:
        self.values += n
        if self.values > MAX_VALUES:
            raise YamlBudgetError(
                f"more than {MAX_VALUES:,} YAML values (aliases counted in full); "
                "put long word lists in a list file",
                _line_of(event),
            )

    def _add(self, node: yaml.Node, node_size: int) -> None:
        if self.stack:
            self.stack[-1].children.append(node)
            self.stack[-1].size += node_size
        else:
            self.root = node

    def _alias(self, event: yaml.AliasEvent) -> None:
        self.aliases += 1
        if self.aliases > MAX_ALIASES:
            raise YamlBudgetError(f"more than {MAX_ALIASES} YAML aliases", _line_of(event))
        if event.anchor in self.opening:
            raise YamlBudgetError(
                f"alias *{event.anchor} refers to a value that contains it", _line_of(event)
            )
        if event.anchor not in self.anchors:
            raise YamlBudgetError(f"undefined alias *{event.anchor}", _line_of(event))
        node, node_size = self.anchors[event.anchor]
        self._count(event, node_size)
        self._add(node, node_size)

    def _scalar(self, event: yaml.ScalarEvent) -> None:
        self._count(event, 1)
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
        scalar = yaml.ScalarNode(
            tag, event.value, event.start_mark, event.end_mark, style=event.style
        )
        if event.anchor is not None:
            self.anchors[event.anchor] = (scalar, 1)
        self._add(scalar, 1)

    def _start(self, event: yaml.SequenceStartEvent | yaml.MappingStartEvent) -> None:
        self._count(event, 1)
        if len(self.stack) >= MAX_DEPTH:
            raise YamlBudgetError(f"nested deeper than {MAX_DEPTH} levels", _line_of(event))
        is_seq = isinstance(event, yaml.SequenceStartEvent)
        kind: Any = yaml.SequenceNode if is_seq else yaml.MappingNode
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.resolver.resolve(kind, None, event.implicit)
        node = kind(tag, [], event.start_mark, None, flow_style=event.flow_style)
        if event.anchor is not None:
            self.opening.add(event.anchor)
        self.stack.append(_Open(node, [], event.anchor))

    def _end(self, event: yaml.SequenceEndEvent | yaml.MappingEndEvent) -> None:
        done = self.stack.pop()
        node = done.node
        node.end_mark = event.end_mark
        if isinstance(node, yaml.MappingNode):
            items = done.children
            node.value = list(zip(items[0::2], items[1::2], strict=True))
        else:
            node.value = done.children
        if done.anchor is not None:
            self.opening.discard(done.anchor)
            self.anchors[done.anchor] = (node, done.size)
        self._add(node, done.size)


def load(text: str) -> tuple[Any, yaml.Node | None]:
    """(data, node graph) of ``text``: what ``yaml.safe_load`` returns, within the budgets."""
    node = compose(text)
    if node is None:
        return None, None
    constructor = SafeConstructor()
    return constructor.construct_document(node), node


def line_map(
    node: yaml.Node | None,
) -> tuple[dict[tuple[str | int, ...], int], list[DuplicateKey]]:
    """Path in the document (keys and list indices) -> 1-based line where that value starts,
    and the keys given twice in one mapping. No recursion: depth is bounded by ``compose`` but
    the walk stays a loop so that no budget depends on the interpreter's recursion limit."""
    lines: dict[tuple[str | int, ...], int] = {}
    duplicates: list[DuplicateKey] = []
    todo: list[tuple[yaml.Node, tuple[str | int, ...]]] = [(node, ())] if node is not None else []
    while todo:
        n, path = todo.pop()
        lines.setdefault(path, n.start_mark.line + 1)
        if isinstance(n, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key, value in n.value:
                name = str(key.value) if isinstance(key, yaml.ScalarNode) else repr(key.value)
                line = key.start_mark.line + 1
                if name in seen and name != "<<":
                    duplicates.append(DuplicateKey(path, name, line, seen[name]))
                seen.setdefault(name, line)
                child = (*path, name)
                lines[child] = line
                todo.append((value, child))
        elif isinstance(n, yaml.SequenceNode):
            for i, value in enumerate(n.value):
                todo.append((value, (*path, i)))
    return lines, duplicates


def one_line(exc: yaml.YAMLError) -> str:
    """PyYAML's multi-line messages ("while parsing … in <unicode string> …") as one line."""
    problem = getattr(exc, "problem", None)
    context = getattr(exc, "context", None)
    if problem:
        return f"{context}: {problem}" if context else str(problem)
    return " ".join(str(exc).split())
