"""Issue 11, point 4: fuzzing every parser entry point, on a fixed budget that fits CI.

- Generated threads in every format: every comment comes out, with its author, text and parent.
- Byte mutations of the seeds and fixtures, under every file name: articles or our own error.
- Arbitrary text, dates, policies, HTML fragments: never a foreign exception.
- Cost: generated documents scale linearly; 1 MB inputs of every kind parse in under 5 s.

Hypothesis runs derandomized with no example database, so every run tries the same examples and
a failure reproduces; benchmarks/fuzz_parsers.py runs the long version (many more examples).
"""

from __future__ import annotations

import contextlib
import json
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moderation.errors import ModerationError
from moderation.parsing import detect, parse_text
from moderation.parsing.dates import human_date_to_iso, line_date, to_utc_iso
from moderation.parsing.decoding import decode_text
from moderation.parsing.html_text import html_to_text
from moderation.parsing.policy import parse_policy
from moderation.records import Article

from ._generate import (
    RENDERERS,
    Generated,
    Renderer,
    corpus,
    depth_of,
    mutate,
    sized_thread,
    threads,
)
from ._helpers import assert_well_formed
from ._timing import assert_linear, cpu_seconds, parse_or_refuse

FUZZ = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
CORPUS = corpus()
SUFFIXES = ["txt", "html", "xml", "csv", "tsv", "json", "jsonl", ""]
# Text with the characters that broke parsers: lone surrogates, NUL, bidi and line separators.
TRICKY = st.sampled_from(["\ud800", "\udfff", "\x00", "\u202e", "\u2028", "\r", "\t", "\ufeff"])
ANY_TEXT = st.text(st.one_of(st.characters(), TRICKY), max_size=3000)


def check_outcome(run: object) -> list[Article]:
    """What every entry point must give: articles that are well formed and storable, or our
    error with a one-line reason."""
    try:
        articles = run() if callable(run) else run
    except ModerationError as exc:
        assert "\n" not in str(exc) and str(exc).strip()
        return []
    assert_well_formed(articles)
    dumped = json.dumps([a.to_json() for a in articles], ensure_ascii=False)
    dumped.encode("utf-8")  # no lone surrogates
    assert "\x00" not in dumped
    return articles


def _normal(text: str) -> str:
    return " ".join(text.split())


def assert_all_comments_came_out(
    renderer: Renderer, thread: list[Generated], articles: list[Article]
) -> None:
    comments = [c for a in articles for c in a.comments]
    assert [c.author for c in comments] == [g.author for g in thread], renderer.name
    by_id = {c.id: c for c in comments}
    for got, wanted in zip(comments, thread, strict=True):
        parent = by_id[got.parent_id].author if got.parent_id else None
        wanted_parent = thread[wanted.parent].author if wanted.parent is not None else None
        assert parent == wanted_parent, (renderer.name, got.author)
        assert got.depth == depth_of(thread, thread.index(wanted))
        if renderer.keeps_lines:
            assert got.text == wanted.text, (renderer.name, got.author)
        else:
            assert _normal(got.text) == _normal(wanted.text), (renderer.name, got.author)


# -- no dropped rows ----------------------------------------------------------------------------


@pytest.mark.parametrize("renderer", RENDERERS, ids=lambda r: r.name)
@settings(FUZZ, max_examples=25)
@given(thread=threads())
def test_every_generated_comment_comes_out(renderer: Renderer, thread: list[Generated]) -> None:
    text = renderer.render(thread)
    articles = check_outcome(lambda: parse_text(text, source=renderer.source))
    assert_all_comments_came_out(renderer, thread, articles)


@pytest.mark.parametrize("renderer", RENDERERS, ids=lambda r: r.name)
def test_every_comment_of_a_large_thread_comes_out(renderer: Renderer) -> None:
    thread = sized_thread(3_000, seed=7, max_depth=8)
    articles = parse_text(renderer.render(thread), source=renderer.source)
    assert_all_comments_came_out(renderer, thread, articles)


# -- mutations and arbitrary input --------------------------------------------------------------


@settings(FUZZ, max_examples=250)
@given(
    original=st.sampled_from(CORPUS),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
    steps=st.integers(min_value=1, max_value=16),
    suffix=st.sampled_from([None, *SUFFIXES]),
)
def test_mutated_files_parse_or_are_refused(
    original: tuple[str, bytes], seed: int, steps: int, suffix: str | None
) -> None:
    name, data = original
    mutated = mutate(data, random.Random(seed), steps=steps)
    source = name if suffix is None else f"mutated.{suffix}"
    check_outcome(lambda: parse_text(decode_text(mutated, subject=source), source=source))


@settings(FUZZ, max_examples=150)
@given(text=ANY_TEXT, suffix=st.sampled_from(SUFFIXES))
def test_any_text_parses_or_is_refused(text: str, suffix: str) -> None:
    check_outcome(lambda: parse_text(text, source=f"any.{suffix}"))


@settings(FUZZ, max_examples=100)
@given(data=st.binary(max_size=3000))
def test_any_bytes_decode_or_are_refused(data: bytes) -> None:
    try:
        text = decode_text(data, subject="bytes.bin")
    except ModerationError:
        return
    text.encode("utf-8")
    with contextlib.suppress(ModerationError):  # a format, or our error: both fine
        detect(text, source="bytes.bin")


@settings(FUZZ, max_examples=100)
@given(value=ANY_TEXT)
def test_dates_read_or_are_none(value: str) -> None:
    for read in (to_utc_iso, human_date_to_iso, line_date):
        result = read(value)
        assert result is None or isinstance(result, str)


@settings(FUZZ, max_examples=100)
@given(text=ANY_TEXT)
def test_any_policy_text_splits_into_clauses(text: str) -> None:
    policy = parse_policy(text)
    assert all(clause.id for clause in policy.clauses)


@settings(FUZZ, max_examples=100)
@given(fragment=ANY_TEXT, newlines=st.booleans())
def test_any_html_fragment_becomes_text(fragment: str, newlines: bool) -> None:
    assert isinstance(html_to_text(fragment, newlines_are_breaks=newlines), str)


# -- cost ----------------------------------------------------------------------------------------

# Comments per generated document for the doubling check: the smaller run takes tens of ms.
DOUBLING_COUNTS = {"wordpress-page": 500, "disqus": 1_000, "wxr": 2_000}


@pytest.mark.timed
@pytest.mark.parametrize("renderer", RENDERERS, ids=lambda r: r.name)
def test_generated_documents_scale_linearly(renderer: Renderer) -> None:
    assert_linear(
        lambda n: renderer.render(sized_thread(n, seed=3)),
        lambda text: parse_text(text, source=renderer.source),
        DOUBLING_COUNTS.get(renderer.name, 4_000),
        label=renderer.name,
    )


MB = 1_000_000
ONE_MB_INPUTS = {
    "html-nested-divs": ("page.html", "<html><body>" + "<div>" * (MB // 5)),
    "html-flat-paragraphs": ("page.html", "<html><body>" + "<p>a b</p>" * (MB // 10)),
    "html-attributes": ("page.html", "<html><body><p " + "a=b " * (MB // 4) + ">"),
    "xml-nested": (
        "export.xml",
        '<rss xmlns:wp="http://wordpress.org/export/1.2/">' + "<x>" * (MB // 3),
    ),
    "text-one-line": ("a.txt", "Title\n\n  1. a" + " " * MB + "b said:\n"),
    "text-said-lines": ("a.txt", "Title\n\nBody.\n\n" + "x said:\n\n" * (MB // 10)),
    "csv-one-field": ("rows.csv", 'text\n"' + "x" * MB + '"\n'),
    "csv-many-columns": ("rows.csv", ",".join(f"c{i}" for i in range(MB // 7)) + ",text\n"),
    "json-string": ("rows.jsonl", '{"text": "' + "x" * MB + '"}'),
    "policy": ("a.txt", "T\n\nB.\n\nDiscussion Policy\n\n" + "with ban users " * (MB // 15)),
}


@pytest.mark.timed
@pytest.mark.parametrize("name", ONE_MB_INPUTS)
def test_a_one_megabyte_input_parses_in_under_five_seconds(name: str) -> None:
    source, text = ONE_MB_INPUTS[name]
    seconds = cpu_seconds(parse_or_refuse(lambda t: parse_text(t, source=source), text), repeat=1)
    assert seconds < 5.0, f"{name}: {seconds:.1f}s"


@pytest.mark.timed
@pytest.mark.parametrize("renderer", RENDERERS, ids=lambda r: r.name)
def test_a_one_megabyte_export_parses_in_under_five_seconds(renderer: Renderer) -> None:
    per_comment = len(renderer.render(sized_thread(200, seed=5))) / 200
    text = renderer.render(sized_thread(int(MB / per_comment), seed=5))
    seconds = cpu_seconds(lambda: parse_text(text, source=renderer.source), repeat=1)
    assert seconds < 5.0, f"{renderer.name}: {seconds:.1f}s for {len(text):,} characters"
