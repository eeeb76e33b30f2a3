"""Reader text rendered through Markdown must come out exactly as typed."""

from __future__ import annotations

import pytest

from moderation.ui.text import WORD_JOINER, highlighted_markdown, literal_markdown

HOSTILE = [
    "<img src=x onerror=alert(1)> **bold** [link](http://example.com)",
    ":red[colour] $x^2$ `code` # heading",
    "    indented code block",
    "1. list\n- item\n> quote",
    "<script>alert(1)</script>",
    "www.example.org and mail@example.org",
]


def unescape(markdown: str) -> str:
    """What CommonMark shows for our escaped output: drop the backslash escapes."""
    out, i = [], 0
    while i < len(markdown):
        if markdown[i] == "\\" and i + 1 < len(markdown):
            out.append(markdown[i + 1])
            i += 2
        else:
            out.append(markdown[i])
            i += 1
    return "".join(out).replace("  \n", "\n").replace("\u00a0", " ").replace(WORD_JOINER, "")


@pytest.mark.parametrize("text", HOSTILE)
def test_every_punctuation_mark_is_escaped(text: str) -> None:
    markdown = literal_markdown(text)
    assert unescape(markdown) == text
    for ch in "*[]()<>`$#:":
        assert f"\\{ch}" in markdown or ch not in text


@pytest.mark.parametrize(
    ("text", "trigger"),
    [("see http://example.com", "://"), ("www.example.org", "www."), ("a@b.org", "@b")],
)
def test_autolink_triggers_are_broken(text: str, trigger: str) -> None:
    assert trigger not in literal_markdown(text).replace("\\", "")


def test_leading_spaces_cannot_start_a_code_block() -> None:
    assert literal_markdown("    code").startswith("\u00a0" * 4)


def test_highlight_wraps_exactly_the_spans() -> None:
    text = "you are an idiot, **really**"
    markdown = highlighted_markdown(text, [{"start": 11, "end": 16}, {"start": 13, "end": 16}])
    assert markdown.count(":red-background[") == 1
    assert ":red-background[**idiot**]" in markdown
    assert markdown.endswith("\\*\\*really\\*\\*")
