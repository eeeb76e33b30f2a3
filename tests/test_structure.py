"""The layout's rules, checked on every run so a later change cannot quietly undo them:
module and function sizes, the store as the only place of SQL tables, streamlit only in the UI,
and rules/ and parsing/ writing nothing."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from tests.conftest import ROOT

PACKAGE = ROOT / "moderation"
MAX_MODULE_LINES = 450
MAX_FUNCTION_LINES = 60
# Migration revisions are history, written once (the first by Alembic's autogenerate: one
# create_table per table) and never edited: the size limits are for code that changes.
REVISIONS = "moderation/store/migrations/versions/"


def _modules() -> Iterator[tuple[str, ast.Module, int]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        yield path.relative_to(ROOT).as_posix(), ast.parse(source), source.count("\n")


def _imports(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_no_module_over_450_lines_and_no_function_over_60() -> None:
    offenders = []
    for name, tree, lines in _modules():
        if name.startswith(REVISIONS):
            continue
        if lines > MAX_MODULE_LINES:
            offenders.append(f"{name}: {lines} lines")
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    offenders.append(f"{name}:{node.lineno} {node.name}: {length} lines")
    assert offenders == []


def test_only_the_store_imports_the_tables() -> None:
    schema = ("moderation.store.schema", "moderation.store.schema_connect")
    offenders = [
        name
        for name, tree, _ in _modules()
        if not name.startswith("moderation/store/")
        and any(i == s or i.startswith(s + ".") for i in _imports(tree) for s in schema)
    ]
    assert offenders == []


def test_only_the_ui_imports_streamlit() -> None:
    offenders = [
        name
        for name, tree, _ in _modules()
        if not name.startswith("moderation/ui/")
        and any(i == "streamlit" or i.startswith("streamlit.") for i in _imports(tree))
    ]
    assert offenders == []


def test_rules_and_parsing_write_nothing() -> None:
    # They read text and return records: no store, no pipeline, nothing that writes.
    forbidden = ("moderation.store", "moderation.pipeline", "moderation.review", "sqlalchemy")
    offenders = [
        f"{name}: {i}"
        for name, tree, _ in _modules()
        if name.startswith(("moderation/rules/", "moderation/parsing/"))
        for i in sorted(_imports(tree))
        if i.startswith(forbidden)
    ]
    assert offenders == []
