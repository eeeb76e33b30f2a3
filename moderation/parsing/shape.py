"""Is what was parsed an article worth importing? (Issue 10: a README is not.)

Scraped text is the catch-all format: any text parses, its first line as the title. That is right
for ``moderation parse`` and for tests, but an import should refuse a file that is plainly not an
article (a README, notes, a code listing) instead of storing it as one with no comments. Other
formats carry their own structure (an export lists posts, a CSV has a text column): of those, only
a file with neither comments nor any text is refused (an HTML page that is all markup). Scraped
text is judged by what it holds:

- a comment thread: it is an article page, whatever else it holds;
- otherwise its text must read as an article: a headline that is not markup or code, at least one
  paragraph of prose, and few lines of Markdown or code (headings, lists, fences, tables, quotes,
  assignments, braces).
"""

from __future__ import annotations

from moderation.records import Article

SCRAPED_TEXT = "scraped-text article"
_MARKUP_STARTS = (
    # Markdown and reStructuredText
    "#", "```", "~~~", "|", ">", "- ", "* ", "+ ", "- [", "![", "<", "===", "---", ".. ",
    # shell sessions and code
    "$ ", ">>> ", "def ", "class ", "import ", "from ", "return ", "//", "/*", "@", "{", "}",
    '"""', "'''",
)  # fmt: skip
_CODE_ENDS = ("{", "}", ";", "(", "):", "[", "]", "=", ",")
_MARKUP_SHARE = 0.2
_PROSE_WORDS = 12
_SENTENCE_ENDS = (".", "!", "?", '."', ".”", "!”", "?”", ".’", ".)")


def refusal(format_name: str | None, articles: list[Article]) -> str | None:
    """The one-line reason these articles should not be imported, or None when they may be."""
    if not articles:
        return "no articles found"
    if format_name != SCRAPED_TEXT:
        if any(a.comments or a.body.strip() for a in articles):
            return None
        return "not an article: it holds no comments and no article text"
    for article in articles:
        if article.comments:
            continue
        reason = _not_an_article(article)
        if reason:
            return f"not an article: {reason}"
    return None


def _not_an_article(article: Article) -> str | None:
    if _is_markup(article.title):
        return (
            "no comment thread, and the first line reads like Markdown or code, not a headline "
            "(e.g. a README)"
        )
    lines = [line for line in article.body.split("\n") if line.strip()]
    markup = sum(1 for line in lines if _is_markup(line))
    if lines and markup / len(lines) >= _MARKUP_SHARE:
        return (
            "no comment thread, and the text reads like Markdown or code (e.g. a README): "
            f"{markup} of {len(lines)} lines are headings, lists, code, tables or quotes"
        )
    if not any(_is_prose(p) for p in article.body.split("\n\n")):
        return (
            "no comment thread and no paragraph of prose after the title "
            "(a scraped article has a title, its text, then comments such as '1. Name said:')"
        )
    return None


def _is_markup(line: str) -> bool:
    text = line.strip()
    return text.startswith(_MARKUP_STARTS) or text.endswith(_CODE_ENDS) or " = " in text


def _is_prose(paragraph: str) -> bool:
    words = paragraph.split()
    if len(words) < _PROSE_WORDS:
        return False
    alphabetic = sum(1 for word in words if any(ch.isalpha() for ch in word))
    return alphabetic >= 0.6 * len(words) and any(w.endswith(_SENTENCE_ENDS) for w in words)


__all__ = ["SCRAPED_TEXT", "refusal"]
