"""The scraped-text article format of the seeds: title, body, optional policy, comment thread.

Layout it understands (see sample_data/000_…txt)::

    Title line
    body paragraphs …
    Discussion Policy
    policy paragraphs …
      1. gary said:            <- numbered entry: a top-level comment
        body …
        • Avery said:          <- bulleted entry: reply to the nearest comment above it
          body …               <-    at a smaller indentation (any depth)
      17. Pingback: Site » Post
    Leave a Reply …            <- page footer: the thread and the article end here

A line is an entry only if it follows a blank line (or the start of the thread); a numbered entry
must also sit at the thread's top-level indentation with a number above the previous one, and a
bulleted entry must be indented deeper than top level. That keeps body lines that happen to end in
"said:" (quotes, dash lists) inside their comment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from moderation.errors import ParseError
from moderation.fingerprint import stable_id
from moderation.policy import parse_policy
from moderation.records import Article, Comment, CommentKind, Policy

_NUMBERED = re.compile(r"^(?P<indent> *)(?P<number>\d{1,6})\.\s+(?P<rest>\S.*?)\s*$")
_BULLETED = re.compile(r"^(?P<indent> *)[•◦▪‣·*–—-]\s+(?P<rest>\S.*?)\s*$")
# Greedy author: "Said Ahmed said said:" -> author "Said Ahmed said".
_SAID = re.compile(r"^(?:(?P<author>.*\S)\s+)?(?:said|says|wrote)\s*:$", re.IGNORECASE)
_PINGBACK = re.compile(r"^(?P<kind>pingback|trackback)\s*:\s*(?P<title>.*)$", re.IGNORECASE)
_POLICY_HEADING = re.compile(
    r"^(?:discussion|comment|commenting|community)\s+(?:policy|guidelines|rules)\s*:?$", re.I
)
_COMMENTS_HEADING = re.compile(
    r"^(?:\d+\s+)?(?:comments?|responses?|replies|reader comments)(?:\s+(?:to|on)\s+.+)?\s*:?$",
    re.IGNORECASE,
)
# Site chrome after which nothing belongs to the article or its thread (reply form, sign-ups,
# link lists).
_END_CHROME = re.compile(
    r"^(?:leave a (?:reply|comment)\b|cancel reply$|post a comment\b|add a comment\b"
    r"|your email address will not be published|sign up for (?:our|the) newsletters?"
    r"|subscribe to (?:our|the) newsletters?|you (?:may|might) also like$"
    r"|related (?:posts|articles|stories)$|more (?:posts|articles|stories)$)",
    re.IGNORECASE,
)
# Chrome lines that can sit inside an article body; only the line itself is dropped.
_LINE_CHROME = re.compile(
    r"^(?:\[click to enlarge\]|read more\s*:|follow us on\b|share this:?$|click to share\b)",
    re.IGNORECASE,
)


@dataclass
class _Entry:
    indent: int
    kind: CommentKind
    author: str | None
    number: str | None
    header_text: str  # a pingback's linking title; empty for comments
    start: int  # index of the first body line
    end: int = 0
    parent: _Entry | None = None
    path: str = ""
    children: int = 0
    depth: int = 0
    lines: list[str] = field(default_factory=list)


def parse_text_article(text: str, *, source: str) -> Article:
    lines = [_clean(line) for line in text.split("\n")]
    title_at = next((i for i, line in enumerate(lines) if line.strip()), None)
    if title_at is None:
        raise ParseError("file has no text", subject=source)
    title = lines[title_at].strip()

    entries, thread_start, thread_end = _find_entries(lines, title_at + 1)
    body_end = _body_end(lines, title_at + 1, thread_start)
    policy = _find_policy(lines, title_at + 1, thread_start if entries else thread_end)
    body = _body(lines[title_at + 1 : body_end], title)

    article_id = stable_id("text-article", title, body)
    comments = _build_comments(entries, lines, article_id)
    return Article(
        id=article_id, source=source, title=title, body=body, policy=policy, comments=comments
    )


def _clean(line: str) -> str:
    # Non-breaking spaces are layout, not content: they would hide chrome and indentation.
    return line.replace("\u00a0", " ").rstrip()


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _entry_header(line: str) -> tuple[CommentKind, str | None, str] | None:
    """(kind, author, pingback title) when ``rest`` of an entry line names an author or a ping."""
    ping = _PINGBACK.match(line)
    if ping:
        title = ping.group("title").strip()
        site = title.split(" » ")[0].strip() if " » " in title else None
        return "pingback", site, title
    said = _SAID.match(line)
    if said:
        return "comment", said.group("author"), ""
    return None


def _find_entries(lines: list[str], start: int) -> tuple[list[_Entry], int, int]:
    """Entries of the thread, where the thread starts, and where it (and the page) ends."""
    entries: list[_Entry] = []
    top_indent: int | None = None
    last_number = -1
    thread_start = len(lines)
    end = len(lines)
    for i in range(start, len(lines)):
        line = lines[i]
        stripped = line.strip()
        if _END_CHROME.match(stripped) and (top_indent is None or _indent(line) <= top_indent):
            end = i
            break
        if i > start and lines[i - 1].strip():
            continue  # entries follow a blank line; this is a body line
        numbered = _NUMBERED.match(line)
        if numbered and (top_indent is None or len(numbered["indent"]) <= top_indent):
            header = _entry_header(numbered["rest"])
            if header and int(numbered["number"]) > last_number:
                if top_indent is None:
                    top_indent, thread_start = len(numbered["indent"]), i
                last_number = int(numbered["number"])
                kind, author, title = header
                entries.append(
                    _Entry(len(numbered["indent"]), kind, author, numbered["number"], title, i + 1)
                )
                continue
        bulleted = _BULLETED.match(line)
        if bulleted and top_indent is not None and len(bulleted["indent"]) > top_indent:
            header = _entry_header(bulleted["rest"])
            if header:
                kind, author, title = header
                entries.append(_Entry(len(bulleted["indent"]), kind, author, None, title, i + 1))
    for entry, following in pairwise(entries):
        entry.end = following.start - 1
    if entries:
        entries[-1].end = end
    return entries, thread_start, end


def _body_end(lines: list[str], start: int, thread_start: int) -> int:
    for i in range(start, thread_start):
        stripped = lines[i].strip()
        if (
            _POLICY_HEADING.match(stripped)
            or _COMMENTS_HEADING.match(stripped)
            or _END_CHROME.match(stripped)
        ):
            return i
    return thread_start


def _find_policy(lines: list[str], start: int, stop: int) -> Policy | None:
    for i in range(start, stop):
        if _POLICY_HEADING.match(lines[i].strip()):
            paragraphs: list[str] = []
            current: list[str] = []
            for line in lines[i + 1 : stop]:
                stripped = line.strip()
                if _COMMENTS_HEADING.match(stripped) or _END_CHROME.match(stripped):
                    break
                if stripped:
                    current.append(stripped)
                elif current:
                    paragraphs.append(" ".join(current))
                    current = []
            if current:
                paragraphs.append(" ".join(current))
            text = "\n\n".join(paragraphs)
            return parse_policy(text) if text else None
    return None


def _body(lines: list[str], title: str) -> str:
    kept = [line.strip() for line in lines if not _LINE_CHROME.match(line.strip())]
    # Some scrapes repeat the headline as the first body line.
    while kept and not kept[0]:
        kept.pop(0)
    if kept and kept[0] == title:
        kept.pop(0)
    return _squeeze_blank_lines(kept)


def _squeeze_blank_lines(lines: list[str]) -> str:
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip("\n")


def _comment_text(lines: list[str]) -> str:
    """The author's lines with the thread's indentation removed; inner blank lines kept."""
    while lines and not lines[0].strip():
        lines = lines[1:]
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    if not lines:
        return ""
    cut = min(_indent(line) for line in lines if line.strip())
    return "\n".join(line[cut:] for line in lines)


def _build_comments(
    entries: list[_Entry], lines: list[str], article_id: str
) -> tuple[Comment, ...]:
    comments: list[Comment] = []
    ids: dict[int, str] = {}
    open_entries: list[_Entry] = []
    top_count = 0
    for entry in entries:
        if entry.number is not None:
            open_entries.clear()
        else:
            while open_entries and open_entries[-1].indent >= entry.indent:
                open_entries.pop()
            entry.parent = open_entries[-1] if open_entries else None
        if entry.parent is None:
            top_count += 1
            entry.path = entry.number or f"t{top_count}"
        else:
            entry.parent.children += 1
            entry.path = f"{entry.parent.path}.{entry.parent.children}"
            entry.depth = entry.parent.depth + 1
        open_entries.append(entry)

        text = _comment_text(lines[entry.start : entry.end])
        if entry.kind == "pingback":
            text = f"{entry.header_text}\n\n{text}" if text else entry.header_text
        comment_id = stable_id(article_id, entry.path, entry.author)
        ids[id(entry)] = comment_id
        comments.append(
            Comment(
                id=comment_id,
                parent_id=ids[id(entry.parent)] if entry.parent else None,
                number=entry.number,
                author=entry.author,
                text=text,
                kind=entry.kind,
                depth=entry.depth,
            )
        )
    return tuple(comments)
