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

Threads copied from other comment themes have neither numbers nor bullets::

    3 Responses to "Post"          <- a comments heading (optional when entries carry dates)
    John Smith says:               <- "Name says:", "Name said:", "Name wrote:"
    March 3, 2011 at 2:04 pm       <- a date on its own line: the comment's date
      text …
    Reply                          <- "Reply" / "Report" lines are dropped
      Jane on March 4, 2011 at 9:00 am said:   <- the date inline; deeper indentation: a reply

Such a thread is read only when it is unambiguous: it is used only if the file has no numbered
thread, and an unmarked "Name says:" line starts a comment only if it (or its next line) carries a
date, or, in a thread without dates, if it directly follows the comments heading or a "Reply" /
"Report" line. Ids follow the same rule in every style (article, position path, author).

Every pattern here is anchored and has no two quantifiers that can match the same characters, so
matching a line costs time linear in its length (``(?P<rest>\\S.*?)\\s*$`` used to be quadratic in a
run of inner spaces); the loops visit each line a bounded number of times.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from moderation.errors import ParseError
from moderation.fingerprint import stable_id
from moderation.parsing.dates import line_date
from moderation.parsing.policy import parse_policy
from moderation.records import Article, Comment, CommentKind, Policy

# Lines are right-stripped before matching (see _clean), so "rest" runs to the end of the line.
_NUMBERED = re.compile(r"^(?P<indent> *)(?P<number>\d{1,6})\.\s+(?P<rest>\S.*)$")
_BULLETED = re.compile(r"^(?P<indent> *)[•◦▪‣·*–—-]\s+(?P<rest>\S.*)$")
_SAID_VERBS = frozenset({"said", "says", "wrote"})
# Words of the comment toolbar a copy picks up ("Reply", "Report", "Reply ↓", "Reply · Report").
_TOOLBAR_WORDS = frozenset({"reply", "report", "share", "↓", "→", "›", "·", "•", "|"})
_PINGBACK = re.compile(r"^(?P<kind>pingback|trackback)\s*:\s*(?P<title>.*)$", re.IGNORECASE)
_POLICY_HEADING = re.compile(
    r"^(?:discussion|comment|commenting|community)\s+(?:policy|guidelines|rules)\s*:?$", re.I
)
_COMMENTS_HEADING = re.compile(
    r"^(?:\d+\s+)?(?:comments?|responses?|replies|reader comments)(?:\s+(?:to|on)\s+.+)?\s*:?$"
    r"|^(?:\d+|one)\s+thoughts?\s+on\s+.+$",
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
    posted_at: str | None = None
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


@dataclass(frozen=True)
class _Header:
    kind: CommentKind
    author: str | None
    title: str  # a pingback's linking title; empty for comments
    posted_at: str | None = None


def _entry_header(line: str) -> _Header | None:
    """What ``rest`` of an entry line announces: a comment by an author, or a ping."""
    ping = _PINGBACK.match(line)
    if ping:
        title = ping.group("title").strip()
        site = title.split(" » ")[0].strip() if " » " in title else None
        return _Header("pingback", site, title)
    return _said(line)


def _said(line: str) -> _Header | None:
    """ "Name said:", "Name says :", "Name wrote:", "Name on March 3, 2011 at 2:04 pm said:".

    The verb is the last word, so the author is greedy: "Said Ahmed said said:" -> "Said Ahmed
    said"; a line that is only "said:" has no author.
    """
    text = line.strip()
    if not text.endswith(":"):
        return None
    words = text[:-1].rstrip().rsplit(None, 1)
    if not words or words[-1].lower() not in _SAID_VERBS:
        return None
    author = words[0] if len(words) == 2 else None
    posted_at = None
    if author is not None:
        cut = author.lower().rfind(" on ")
        when = line_date(author[cut + 4 :]) if cut > 0 else None
        if when is not None:
            author, posted_at = author[:cut].rstrip(), when
    return _Header("comment", author, "", posted_at)


def _is_toolbar(stripped: str) -> bool:
    words = stripped.lower().split()
    return bool(words) and set(words) <= _TOOLBAR_WORDS and bool({"reply", "report"} & set(words))


def _find_entries(lines: list[str], start: int) -> tuple[list[_Entry], int, int]:
    """Entries of the thread, where the thread starts, and where it (and the page) ends."""
    entries, thread_start, end = _find_marked_entries(lines, start)
    if not entries:
        unmarked = _find_unmarked_entries(lines, start, end)
        if unmarked:
            entries, thread_start = unmarked, unmarked[0].start - 1
    for entry, following in pairwise(entries):
        entry.end = following.start - 1
    if entries:
        entries[-1].end = end
    return entries, thread_start, end


def _find_marked_entries(lines: list[str], start: int) -> tuple[list[_Entry], int, int]:
    """The numbered / bulleted thread of the seeds (entry ends are set by the caller)."""
    entries: list[_Entry] = []
    top_indent: int | None = None
    last_number = -1
    thread_start = len(lines)
    end = len(lines)
    for i in range(start, len(lines)):
        line = lines[i]
        if not line:
            continue  # (lines are right-stripped: a blank line is "")
        stripped = line.lstrip()
        if _END_CHROME.match(stripped) and (top_indent is None or _indent(line) <= top_indent):
            end = i
            break
        if i > start and lines[i - 1]:
            continue  # entries follow a blank line; this is a body line
        numbered = _NUMBERED.match(line)
        if numbered and (top_indent is None or len(numbered["indent"]) <= top_indent):
            header = _entry_header(numbered["rest"])
            if header and int(numbered["number"]) > last_number:
                if top_indent is None:
                    top_indent, thread_start = len(numbered["indent"]), i
                last_number = int(numbered["number"])
                entries.append(_entry(len(numbered["indent"]), header, numbered["number"], i))
                continue
        bulleted = _BULLETED.match(line)
        if bulleted and top_indent is not None and len(bulleted["indent"]) > top_indent:
            header = _entry_header(bulleted["rest"])
            if header:
                entries.append(_entry(len(bulleted["indent"]), header, None, i))
    return entries, thread_start, end


def _entry(indent: int, header: _Header, number: str | None, at: int) -> _Entry:
    return _Entry(
        indent, header.kind, header.author, number, header.title, at + 1, posted_at=header.posted_at
    )


def _find_unmarked_entries(lines: list[str], start: int, end: int) -> list[_Entry]:
    """A thread of unmarked "Name says:" headers (see the module docstring for when one counts)."""
    entries: list[_Entry] = []
    dated_thread: bool | None = None  # decided by the first entry
    after_heading = after_toolbar = False
    previous_blank = True
    for i in range(start, end):
        if not lines[i]:
            previous_blank = True
            continue
        stripped = lines[i].lstrip()
        at_boundary = previous_blank or after_heading or after_toolbar
        previous_blank = False
        if _COMMENTS_HEADING.match(stripped):
            after_heading, after_toolbar = True, False
            continue
        header = _said(stripped) if at_boundary else None
        if header is not None and header.author is not None:
            posted_at = header.posted_at or _date_after(lines, i, end)
            if dated_thread is None:
                accepted = posted_at is not None or after_heading
            else:
                accepted = posted_at is not None if dated_thread else after_heading or after_toolbar
            if accepted:
                if dated_thread is None:
                    dated_thread = posted_at is not None
                # Only an inline date goes on the entry; one on the next line is read (and
                # dropped from the text) with the comment's lines.
                entries.append(_entry(_indent(lines[i]), header, None, i))
                after_heading = after_toolbar = False
                continue
        after_toolbar = _is_toolbar(stripped)
        after_heading = False
    return entries


def _date_after(lines: list[str], at: int, end: int) -> str | None:
    """The date on the first non-blank line after ``at``, when that line is only a date."""
    for i in range(at + 1, end):
        if lines[i].strip():
            return line_date(lines[i])
    return None


def _body_end(lines: list[str], start: int, thread_start: int) -> int:
    for i in range(start, thread_start):
        stripped = lines[i].lstrip()
        if stripped and (
            _POLICY_HEADING.match(stripped)
            or _COMMENTS_HEADING.match(stripped)
            or _END_CHROME.match(stripped)
        ):
            return i
    return thread_start


def _find_policy(lines: list[str], start: int, stop: int) -> Policy | None:
    for i in range(start, stop):
        if lines[i] and _POLICY_HEADING.match(lines[i].lstrip()):
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
    stripped = (line.strip() for line in lines)
    kept = [line for line in stripped if not line or not _LINE_CHROME.match(line)]
    # Some scrapes repeat the headline as the first body line. (An index, not pop(0) in a loop:
    # that was quadratic in the number of blank lines after the title.)
    first = next((i for i, line in enumerate(kept) if line), len(kept))
    if first < len(kept) and kept[first] == title:
        first += 1
    return _squeeze_blank_lines(kept[first:])


def _squeeze_blank_lines(lines: list[str]) -> str:
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip("\n")


def _comment_text(lines: list[str], *, date_first: bool) -> tuple[str, str | None]:
    """The author's lines with the thread's indentation removed and inner blank lines kept,
    without toolbar lines ("Reply", "Report"); and the date when the first line is only a date
    (``date_first``: the header did not already give one)."""
    lines = [line for line in lines if not _is_toolbar(line.strip())]
    first = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    posted_at = None
    if date_first and first < len(lines):
        posted_at = line_date(lines[first])
        if posted_at is not None:
            first = next((i for i in range(first + 1, len(lines)) if lines[i].strip()), len(lines))
    last = next((i for i in range(len(lines) - 1, first - 1, -1) if lines[i].strip()), first - 1)
    kept = lines[first : last + 1]
    if not kept:
        return "", posted_at
    cut = min(_indent(line) for line in kept if line.strip())
    return "\n".join(line[cut:] for line in kept), posted_at


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

        text, dated = _comment_text(
            lines[entry.start : entry.end], date_first=entry.posted_at is None
        )
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
                posted_at=entry.posted_at or dated,
            )
        )
    return tuple(comments)
