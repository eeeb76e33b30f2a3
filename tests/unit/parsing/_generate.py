"""Documents with known comments, in every format Threadwatch reads, and byte mutations of real
files: the material of the fuzz tests (test_fuzz.py) and of benchmarks/fuzz_parsers.py.

A generated thread is a list of comments in document (pre-)order, each with a unique author, its
text and the index of its parent; every renderer writes markup the way its platform does
(WordPress's core walker, WXR 1.2, Disqus's export, the seeds' scraped text, CSV as written by
the csv module, JSON lines), so a parser that drops or re-parents a comment is caught.
"""

from __future__ import annotations

import csv
import html
import io
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = Path(__file__).parent / "fixtures"

# Words the comment text is made of: none ends in ":" (a "said:" header), none is a toolbar word
# ("Reply") or a date, so each line is plainly the author's.
_SENTENCE = (
    "the bridge reopened today after months of work and the city said traffic will return "
    "to normal soon but some readers disagree strongly über café naïve straße ciudad año "
    "мост город 橋 街 جسر"
)
WORDS = tuple(_SENTENCE.split())


@dataclass(frozen=True)
class Generated:
    author: str
    text: str  # lines separated by "\n"; paragraphs by "\n\n"
    parent: int | None  # index of the parent comment, earlier in the list


def _thread(depths: list[int], names: list[str], texts: list[str]) -> list[Generated]:
    comments: list[Generated] = []
    last_at_depth: dict[int, int] = {}
    for i, (depth, name, text) in enumerate(zip(depths, names, texts, strict=True)):
        parent = last_at_depth.get(depth - 1) if depth else None
        last_at_depth[depth] = i
        comments.append(Generated(f"{name} {i + 1}", text, parent))
    return comments


@st.composite
def threads(draw: st.DrawFn, max_comments: int = 12) -> list[Generated]:
    """A thread: depths form a pre-order (each at most one deeper than the one before)."""
    count = draw(st.integers(min_value=1, max_value=max_comments))
    depths = [0]
    for _ in range(count - 1):
        depths.append(draw(st.integers(min_value=0, max_value=min(depths[-1] + 1, 6))))
    name = st.text(st.characters(categories=("L",)), min_size=1, max_size=8)
    line = st.lists(st.sampled_from(WORDS), min_size=1, max_size=8).map(" ".join)
    paragraph = st.lists(line, min_size=1, max_size=3).map("\n".join)
    text = st.lists(paragraph, min_size=1, max_size=2).map("\n\n".join)
    names = [draw(name) for _ in range(count)]
    texts = [draw(text) for _ in range(count)]
    return _thread(depths, names, texts)


def sized_thread(count: int, *, seed: int = 0, max_depth: int = 4) -> list[Generated]:
    """A deterministic thread of ``count`` comments (for size-doubling and 1 MB checks)."""
    rng = random.Random(seed)
    depths = [0]
    for _ in range(count - 1):
        depths.append(rng.randint(0, min(depths[-1] + 1, max_depth)))
    names = [rng.choice(("Ann", "Bo", "Cy", "Dee", "Zoë", "Ivan")) for _ in range(count)]
    texts = [" ".join(rng.choices(WORDS, k=rng.randint(3, 20))) for _ in range(count)]
    return _thread(depths, names, texts)


def depth_of(comments: list[Generated], i: int) -> int:
    depth = 0
    while (parent := comments[i].parent) is not None:
        depth, i = depth + 1, parent
    return depth


# -- renderers ----------------------------------------------------------------------------------

TITLE = "Bridge reopens after repairs"
BODY = "The harbour bridge reopened on Monday after six months of repairs, the city said."


def scraped_text(comments: list[Generated]) -> str:
    out = [TITLE, "", BODY, "", ""]
    number = 0
    for i, comment in enumerate(comments):
        depth = depth_of(comments, i)
        indent = "  " + "    " * depth
        if depth == 0:
            number += 1
            out.append(f"{indent}{number}. {comment.author} said:")
        else:
            out.append(f"{indent}• {comment.author} said:")
        out.append("")
        out.extend(f"{indent}  {line}" if line else "" for line in comment.text.split("\n"))
        out.append("")
    out.append("Leave a Reply")
    return "\n".join(out) + "\n"


def wxr(comments: list[Generated]) -> str:
    items = "".join(
        "<wp:comment>"
        f"<wp:comment_id>{i + 1}</wp:comment_id>"
        f"<wp:comment_author>{xml_escape(c.author)}</wp:comment_author>"
        f"<wp:comment_date_gmt>2024-02-10 09:{i % 60:02d}:00</wp:comment_date_gmt>"
        f"<wp:comment_content>{xml_escape(c.text)}</wp:comment_content>"
        "<wp:comment_approved>1</wp:comment_approved><wp:comment_type>comment</wp:comment_type>"
        f"<wp:comment_parent>{0 if c.parent is None else c.parent + 1}</wp:comment_parent>"
        "</wp:comment>"
        for i, c in enumerate(comments)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Site</title>'
        "<link>https://site.example</link><wp:base_blog_url>https://site.example</wp:base_blog_url>"
        f"<item><title>{TITLE}</title><link>https://site.example/p/1</link>"
        f"<content:encoded><![CDATA[{BODY}]]></content:encoded><wp:post_id>1</wp:post_id>"
        f"{items}</item></channel></rss>\n"
    )


def disqus(comments: list[Generated]) -> str:
    dsq = 'xmlns:dsq="http://disqus.com/disqus-internals"'
    posts = "".join(
        f'<post dsq:id="{100 + i}" {dsq}><id/><message>'
        + xml_escape("".join(f"<p>{html.escape(p)}</p>" for p in c.text.split("\n\n")))
        + "</message><createdAt>2024-02-10T09:00:00Z</createdAt><isDeleted>false</isDeleted>"
        f"<isSpam>false</isSpam><author><name>{xml_escape(c.author)}</name></author>"
        f'<thread dsq:id="7" {dsq}/>'
        + ("" if c.parent is None else f'<parent dsq:id="{100 + c.parent}" {dsq}/>')
        + "</post>"
        for i, c in enumerate(comments)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" '
        f'{dsq}><thread dsq:id="7"><link>https://site.example/p/1</link>'
        f"<title>{TITLE}</title><message>{BODY}</message></thread>{posts}</disqus>\n"
    )


def wordpress_page(comments: list[Generated]) -> str:
    """WordPress core's html5 comment walker: li.comment > article.comment-body, replies in
    ol.children inside the parent's li."""
    children: dict[int | None, list[int]] = {}
    for i, c in enumerate(comments):
        children.setdefault(c.parent, []).append(i)
    parts: list[str] = []
    stack: list[tuple[int, bool]] = [(i, True) for i in reversed(children.get(None, []))]
    while stack:
        i, entering = stack.pop()
        if not entering:
            parts.append("</ol></li>" if children.get(i) else "</li>")
            continue
        c = comments[i]
        paragraphs = "".join(
            f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in c.text.split("\n\n")
        )
        parts.append(
            f'<li id="comment-{i + 1}" class="comment"><article id="div-comment-{i + 1}" '
            'class="comment-body"><footer class="comment-meta"><div class="comment-author '
            f'vcard"><b class="fn">{html.escape(c.author)}</b> <span class="says">says:</span>'
            f'</div><div class="comment-metadata"><a href="#comment-{i + 1}"><time '
            'datetime="2024-02-10T09:00:00+00:00">February 10, 2024</time></a></div></footer>'
            f'<div class="comment-content">{paragraphs}</div><div class="reply"><a '
            'class="comment-reply-link" href="#">Reply</a></div></article>'
        )
        stack.append((i, False))
        if children.get(i):
            parts.append('<ol class="children">')
            stack.extend((child, True) for child in reversed(children[i]))
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>'
        f'{TITLE}</title><link rel="canonical" href="https://site.example/p/1/"></head><body>'
        f'<article class="post"><h1 class="entry-title">{TITLE}</h1><div class="entry-content">'
        f'<p>{BODY}</p></div></article><div id="comments" class="comments-area">'
        f'<ol class="comment-list">{"".join(parts)}</ol></div></body></html>\n'
    )


def csv_rows(comments: list[Generated], delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(["id", "parent_id", "author", "text", "date"])
    for i, c in enumerate(comments):
        parent = "" if c.parent is None else f"c{c.parent + 1}"
        writer.writerow([f"c{i + 1}", parent, c.author, c.text, "2024-02-10T09:00:00Z"])
    return out.getvalue()


def json_lines(comments: list[Generated]) -> str:
    return "".join(
        json.dumps(
            {
                "id": f"c{i + 1}",
                "parent_id": None if c.parent is None else f"c{c.parent + 1}",
                "author": c.author,
                "text": c.text,
            },
            ensure_ascii=False,
        )
        + "\n"
        for i, c in enumerate(comments)
    )


def json_array(comments: list[Generated]) -> str:
    return "[" + ",".join(line for line in json_lines(comments).splitlines()) + "]"


@dataclass(frozen=True)
class Renderer:
    name: str
    source: str  # the file name it is parsed under
    render: Callable[[list[Generated]], str]
    # Whether line breaks inside a comment survive the format (HTML makes them whitespace).
    keeps_lines: bool = True


RENDERERS = [
    Renderer("scraped-text", "thread.txt", scraped_text),
    Renderer("wxr", "export.xml", wxr),
    Renderer("disqus", "disqus.xml", disqus, keeps_lines=False),
    Renderer("wordpress-page", "page.html", wordpress_page, keeps_lines=False),
    Renderer("csv", "rows.csv", csv_rows),
    Renderer("tsv", "rows.tsv", lambda c: csv_rows(c, "\t")),
    Renderer("json-lines", "rows.jsonl", json_lines),
    Renderer("json-array", "rows.json", json_array),
]


# -- mutation -----------------------------------------------------------------------------------

# Fragments that steer a mutated file into the parsers' corners (atheris-style dictionary).
TOKENS = (
    b"<!--", b"-->", b"<!---->", b"<", b">", b"</", b'"', b"'", b"&", b"&#0;", b"&amp;",
    b"<![CDATA[", b"]]>", b"<!DOCTYPE html>", b"<html>", b"<li class='comment' id='comment-9'>",
    b"<ol class='children'>", b"</ol></li>", b"<div>" * 50, b"[" * 64, b"{" * 64, b"\\ud800",
    b"\\u0000", b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"\r", b"\t", b"\n\n",
    b"\n\n  1. x said:\n\n",
    b"\n    \xe2\x80\xa2 y said:\n\n", b"Pingback: ", b"Discussion Policy\n\n", b"with " * 20,
    b"ban users ", b"0001-01-01T00:00:00+01:00", b"9999-12-31T23:59:59-01:00", b'"a,"b,"c',
    b",", b";", b"|", b" " * 200, b"said:", b"Reply\n", b"March 3, 2011 at 2:04 pm\n",
)  # fmt: skip


def corpus() -> list[tuple[str, bytes]]:
    """The seeds and the format fixtures: real shapes to mutate."""
    files = sorted((ROOT / "sample_data").glob("*.txt")) + sorted(FIXTURES.iterdir())
    return [(path.name, path.read_bytes()) for path in files if path.is_file()]


def mutate(data: bytes, rng: random.Random, *, steps: int) -> bytes:
    """``steps`` random edits: flip, insert a token or random bytes, delete, duplicate, splice."""
    buffer = bytearray(data)
    for _ in range(steps):
        at = rng.randint(0, len(buffer))
        op = rng.randrange(6)
        if op == 0 and buffer:
            buffer[min(at, len(buffer) - 1)] ^= 1 << rng.randrange(8)
        elif op == 1:
            buffer[at:at] = rng.choice(TOKENS)
        elif op == 2:
            buffer[at:at] = rng.randbytes(rng.randint(1, 16))
        elif op == 3:
            del buffer[at : at + rng.randint(1, 64)]
        elif op == 4:
            piece = bytes(buffer[at : at + rng.randint(1, 256)])
            buffer[at:at] = piece * rng.randint(1, 8)
        else:
            other = rng.randint(0, len(buffer))
            buffer[at:at] = bytes(buffer[other : other + rng.randint(1, 512)])
    return bytes(buffer)
