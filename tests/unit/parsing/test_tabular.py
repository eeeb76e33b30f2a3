"""CSV / TSV and JSON lines with a column mapping."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from moderation.errors import ConfigError, ParseError
from moderation.parsing import ParseOptions, parse_file, parse_text
from moderation.parsing.tabular import parse_column_map

from ._helpers import FIXTURES, assert_well_formed, tree

CSV_MAP = (
    "id=comment_id, article=article_id, title=article_title, author=user, text=body, "
    "parent=reply_to, date=created, status=state"
)


def test_parse_column_map() -> None:
    assert parse_column_map("text=body, author = user ,parent=reply_to") == {
        "text": "body",
        "author": "user",
        "parent": "reply_to",
    }


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        ("", "is empty"),
        ("text", "'text' is not FIELD=COLUMN"),
        ("text=", "'text=' is not FIELD=COLUMN"),
        ("body=text", "unknown field 'body'"),
        ("text=a,text=b", "mapped twice"),
    ],
)
def test_bad_column_maps_name_the_problem_and_the_fields(spec: str, problem: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_column_map(spec)
    message = str(info.value)
    assert message.startswith("--map: ")
    assert problem in message
    assert "text, author, id, parent, article, title, date, status" in message


def test_mapped_csv_groups_rows_into_articles(caplog: pytest.LogCaptureFixture) -> None:
    options = ParseOptions(column_map=parse_column_map(CSV_MAP))
    with caplog.at_level(logging.WARNING):
        articles = parse_file(FIXTURES / "comments.csv", options=options)
    assert_well_formed(articles)
    assert [a.title for a in articles] == ["Bridge closes", "Budget"]
    bridge, budget = articles
    assert tree(bridge) == [("ann", None, 0), ("bo", "ann", 1), ("cy", "bo", 2), ("eve", None, 0)]
    assert bridge.comments[1].text == "Reply, with a comma\nand a second line"
    assert [c.posted_at for c in bridge.comments] == [
        "2024-02-10T10:00:00+00:00",
        "2024-02-10T11:00:00+00:00",
        "2024-02-10T12:00:00+00:00",  # epoch seconds
        None,
    ]
    assert [c.status for c in bridge.comments] == ["approved", "pending", "spam", "approved"]
    assert tree(budget) == [("dee", None, 0)]  # parent c99 is not in the file
    assert budget.comments[0].posted_at is None and budget.comments[0].status is None
    assert "replies to c99" in caplog.text
    assert "1 date(s) in column 'created' could not be read" in caplog.text


def test_ids_come_from_the_id_and_article_columns() -> None:
    options = ParseOptions(column_map=parse_column_map(CSV_MAP))
    first = parse_file(FIXTURES / "comments.csv", options=options)
    text = (FIXTURES / "comments.csv").read_text(encoding="utf-8")
    # Reordered rows (parents still first) keep their ids.
    header, *rows = text.strip().split("\n")
    moved = "\n".join([header, rows[-1], *rows[:-1]]) + "\n"
    again = parse_text(moved, source="elsewhere/comments.csv", options=options)
    assert {a.id for a in first} == {a.id for a in again}
    assert {c.id for a in first for c in a.comments} == {c.id for a in again for c in a.comments}


def test_default_column_names_need_no_map() -> None:
    text = "id,parent_id,author,text\n1,,ann,Hello\n2,1,bo,Hi ann\n3,2,cy,Deeper\n"
    [article] = parse_text(text, source="plain.csv")
    assert tree(article) == [("ann", None, 0), ("bo", "ann", 1), ("cy", "bo", 2)]
    assert article.title == "plain.csv"


def test_json_lines_with_defaults_blank_lines_and_numbers() -> None:
    [article] = parse_file(FIXTURES / "comments.jsonl")
    assert article.title == "Story nine"
    assert tree(article) == [("ann", None, 0), ("bo", "ann", 1), ("cy", "bo", 2)]
    assert article.comments[0].posted_at == "2024-01-01T00:00:00+00:00"
    assert article.comments[1].status == "approved"


def test_json_array_and_dotted_paths() -> None:
    text = '[{"msg": {"body": "nested"}, "user": {"name": "Zed"}}, {"msg": {"body": "two"}}]'
    options = ParseOptions(column_map={"text": "msg.body", "author": "user.name"})
    [article] = parse_text(text, source="dump.json", options=options)
    assert [(c.author, c.text) for c in article.comments] == [("Zed", "nested"), (None, "two")]


def test_tsv_and_semicolon_csv() -> None:
    [tsv] = parse_text("text\tauthor\nHello, world\tann\n", source="x.tsv")
    assert [(c.author, c.text) for c in tsv.comments] == [("ann", "Hello, world")]
    [semi] = parse_text('text;author\n"a;b";c\n', source="x.csv")
    assert [(c.author, c.text) for c in semi.comments] == [("c", "a;b")]


@pytest.mark.parametrize(
    ("text", "source", "options", "reason"),
    [
        (
            "a,b\n1,2\n",
            "x.csv",
            {},
            "no text column: name it with --map text=COLUMN; columns are a, b",
        ),
        ("text,b\n1,2\n", "x.csv", {"author": "who"}, "--map author=who: no such column"),
        ("text,b\n1,2,3\n", "x.csv", {}, "line 2: 3 cells for 2 columns"),
        ('{"text": "a"}\nnot json\n', "x.jsonl", {}, "line 2: malformed JSON"),
        ('{"text": "a"}\n[1]\n', "x.jsonl", {}, "line 2: not a JSON object"),
        ("[1, 2]", "x.json", {}, "item 1 is not a JSON object"),
        ("text\n", "x.csv", {}, "file has no rows"),
    ],
)
def test_bad_tabular_files_get_one_line_errors(
    text: str, source: str, options: dict[str, str], reason: str
) -> None:
    with pytest.raises(ParseError) as info:
        parse_text(text, source=source, options=ParseOptions(column_map=options))
    assert str(info.value).startswith(f"{source}: ")
    assert reason in str(info.value)


def test_unknown_field_in_options_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown field 'body'"):
        parse_text("text\nx\n", source="x.csv", options=ParseOptions(column_map={"body": "text"}))


def test_real_jigsaw_csv_reads_with_default_columns(shared_data: Path) -> None:
    [article] = parse_file(shared_data / "jigsaw_train_5k_predibase.csv")
    assert len(article.comments) == 5000
    assert article.comments[0].text.startswith("2006\n\nAll tags are off")
    assert len({c.id for c in article.comments}) == 5000
