"""Hostile rules.yaml drafts are refused quickly, with one line each, and reach no file outside
the rules folder (issue 11, points 3, 8 and 15)."""

from __future__ import annotations

import os
import textwrap
import time
from pathlib import Path

import pytest

from moderation.errors import RuleConfigError
from moderation.rules import RuleValidationError, load_rules, parse_rules
from moderation.rules.lists import MAX_LIST_BYTES

ROOT = Path(__file__).resolve().parents[3]

HEADER = textwrap.dedent(
    """\
    version: 1
    clauses:
      - {id: no-profanity, text: No profanity.}
    categories: {profanity: Swearing}
    rules:
    """
)


def one_rule(match: str, examples: str = "") -> str:
    text = (
        HEADER
        + "  - id: r1\n    description: d\n    category: profanity\n    clause: no-profanity\n"
        + f"    action: flag\n    match: {match}\n"
    )
    return text + (f"    examples: {examples}\n" if examples else "")


def problems_of(text: str, base_dir: Path = Path(".")) -> list[str]:
    with pytest.raises(RuleValidationError) as caught:
        parse_rules(text, base_dir=base_dir)
    assert "\n" not in str(caught.value), "every error is one line"
    return [str(p) for p in caught.value.problems]


# A billion laughs (341 bytes here, 271 in the report) that expands to 9**9 strings for anything
# walking the tree.
ALIAS_BOMB = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [
        f"{c}: &{c} [{','.join(['*' + p] * 9)}]"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    ]
)


def test_alias_bomb_is_refused_at_once() -> None:
    started = time.perf_counter()
    [problem] = problems_of(ALIAS_BOMB)
    assert "more than 100,000 YAML values" in problem
    assert time.perf_counter() - started < 5  # 109 s and 3.3 GB before the fix


def test_an_alias_inside_its_own_value_is_refused() -> None:
    assert "refers to a value that contains it" in problems_of("a: &x [1, *x]\n")[0]


def test_a_few_aliases_still_work() -> None:
    text = one_rule("{words: &w [darn]}").replace("rules:\n", "rules:\n", 1)
    text += "  - id: r2\n    description: d\n    category: profanity\n"
    text += "    clause: no-profanity\n    action: flag\n    match: {phrases: *w}\n"
    assert [r.id for r in parse_rules(text, base_dir=Path(".")).rules] == ["r1", "r2"]


@pytest.mark.parametrize("opener", ["[", "{a: ", "- "])
def test_deep_nesting_is_one_problem_not_a_recursion_error(opener: str) -> None:
    depth = 5000 if opener != "- " else 500
    text = opener * depth if opener != "- " else "".join(" " * i + "-\n" for i in range(depth))
    [problem] = problems_of(text)
    assert "nested deeper than 64 levels" in problem


def test_non_utf8_rules_file_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_bytes(b"version: 1\nclauses: \xff\xfe\n")
    with pytest.raises(RuleConfigError) as caught:
        load_rules(path)
    assert str(caught.value) == f"{path}: not UTF-8 text (byte 0xff at offset 20)"


def test_a_huge_rules_file_is_refused_by_size() -> None:
    words = ", ".join(f"w{i}" for i in range(200_000))
    started = time.perf_counter()
    [problem] = problems_of(one_rule(f"{{words: [{words}]}}"))
    assert "over the 1,048,576-byte limit" in problem
    assert time.perf_counter() - started < 5  # 47 s before the fix


def test_too_many_inline_words_is_refused_by_count() -> None:
    words = ",".join(f"w{i % 10}" for i in range(150_000))  # under the byte limit
    started = time.perf_counter()
    [problem] = problems_of(one_rule(f"{{words: [{words}]}}"))
    assert "more than 100,000 YAML values" in problem and "list file" in problem
    assert time.perf_counter() - started < 10


def test_duplicate_keys_name_the_rule_and_line() -> None:
    text = one_rule("{words: [darn]}") + "    action: reject\n"
    problems = problems_of(text)
    assert problems == ["line 12 rule r1: duplicate key 'action' (first given on line 10)"]


def test_duplicate_top_level_keys_are_refused_too() -> None:
    text = one_rule("{words: [darn]}") + "version: 2\n"
    assert any("duplicate key 'version'" in p for p in problems_of(text))


@pytest.mark.parametrize("pattern", ["''", "'.*'", "'a*'", "'x|'", "'^'", "'(?:)'", "[]"])
def test_match_everything_regexes_are_refused(pattern: str) -> None:
    [problem] = problems_of(one_rule(f"{{regex: {pattern}}}"))
    assert "would flag every comment" in problem or "at least one pattern" in problem


# -- list files ----------------------------------------------------------------------------------


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    rules = tmp_path / "rules"
    (rules / "lists").mkdir(parents=True)
    (rules / "lists" / "ok.txt").write_text("darn\n")
    (tmp_path / "secret.txt").write_text("root:x:0:0\n")
    return rules


def list_problem(folder: Path, name: str, example: str = "darn") -> str:
    text = one_rule(f"{{words: {{file: '{name}'}}}}", f"{{should_flag: ['{example}']}}")
    [problem] = problems_of(text, base_dir=folder)
    return problem


def test_a_list_file_inside_the_folder_is_read(folder: Path) -> None:
    text = one_rule("{words: {file: lists/ok.txt}}", "{should_flag: [darn]}")
    assert parse_rules(text, base_dir=folder).rules[0].id == "r1"


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("/dev/zero", "not absolute"),
        ("/etc/passwd", "not absolute"),
        ("../secret.txt", "'..' is not allowed"),
        ("lists/../../secret.txt", "'..' is not allowed"),
        ("~/secret.txt", "not absolute"),
        ("", "empty"),
    ],
)
def test_list_files_outside_the_folder_are_refused_before_any_read(
    folder: Path, name: str, words: str
) -> None:
    problem = list_problem(folder, name)
    assert words in problem


def test_refusals_do_not_tell_whether_a_server_file_exists(folder: Path) -> None:
    """`file: /some/path` + an example was an oracle for lines of any server file."""
    assert list_problem(folder, "/etc/passwd", "root:x:0:0") == list_problem(
        folder, "/etc/no-such-file", "root:x:0:0"
    ).replace("no-such-file", "passwd")


def test_symbolic_links_are_refused(folder: Path) -> None:
    (folder / "link.txt").symlink_to(folder.parent / "secret.txt")
    (folder / "dir-link").symlink_to(folder.parent)
    assert "symbolic link" in list_problem(folder, "link.txt")
    assert "symbolic link" in list_problem(folder, "dir-link/secret.txt")


def test_a_fifo_is_refused_without_blocking(folder: Path) -> None:
    os.mkfifo(folder / "pipe.txt")
    started = time.perf_counter()
    assert "not a regular file" in list_problem(folder, "pipe.txt")
    assert time.perf_counter() - started < 5  # blocked for over 120 s before the fix


def test_a_folder_is_not_a_list_file(folder: Path) -> None:
    assert "not a regular file" in list_problem(folder, "lists")


def test_an_oversized_list_file_is_refused(folder: Path) -> None:
    with open(folder / "big.txt", "wb") as handle:
        handle.truncate(MAX_LIST_BYTES + 1)  # sparse: no disk needed
    assert "over the 4,194,304-byte limit" in list_problem(folder, "big.txt")


# -- the fingerprint: what the rules do, not how the YAML spells it ------------------------------


def default_text() -> str:
    return (ROOT / "rules.yaml").read_text(encoding="utf-8")


def fingerprint(text: str, base_dir: Path = ROOT) -> str:
    return parse_rules(text, base_dir=base_dir).content_hash


def test_comments_and_layout_do_not_change_the_fingerprint() -> None:
    text = default_text()
    commented = "# a new comment line\n" + text.replace("\nclauses:", "\n\n\nclauses:  # c", 1)
    assert fingerprint(commented) == fingerprint(text)


def test_examples_do_not_change_the_fingerprint() -> None:
    text = default_text()
    marker = "should_pass: ["
    assert marker in text
    edited = text.replace(marker, marker + "'an extra clean example', ", 1)
    assert fingerprint(edited) == fingerprint(text)


def test_a_rule_change_changes_the_fingerprint() -> None:
    text = default_text()
    assert fingerprint(text.replace("severity: 2", "severity: 3", 1)) != fingerprint(text)


def test_a_list_file_change_changes_the_fingerprint(rules_path: Path) -> None:
    before = fingerprint(rules_path.read_text(), rules_path.parent)
    listed = rules_path.parent / "rule_lists" / "better_profanity_wordlist.txt"
    listed.write_text(listed.read_text() + "zzyzx\n")
    assert fingerprint(rules_path.read_text(), rules_path.parent) != before


def test_the_default_rules_load_fast_and_unchanged() -> None:
    started = time.perf_counter()
    rules = load_rules(ROOT / "rules.yaml")
    assert rules.rules and time.perf_counter() - started < 5


def test_ids_longer_than_their_columns_are_refused() -> None:
    long_id = "r" * 129
    problems = problems_of(one_rule("{words: [darn]}").replace("id: r1", f"id: {long_id}"))
    assert any("at most 128 characters" in p for p in problems)
