"""Untrusted XML -> ElementTree, refusing entity tricks; plus namespace-agnostic lookups.

Exports come from anyone, so XML goes through ``defusedxml``: a DTD is refused outright (no WXR
or Disqus export has one), which stops entity-expansion bombs ("billion laughs") and external
entities that would read local files or URLs, before any expansion happens.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from xml.etree.ElementTree import Element
from xml.etree.ElementTree import ParseError as XmlSyntaxError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from moderation.errors import ParseError
from moderation.parsing.markup_head import strip_comments

# The XML declaration names the file's original encoding; the text is already decoded.
# (Anchored, one quantifier per character class: linear.)
_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# The first '<' followed by a name always matches (attrs may be empty), so search stops there.
_ROOT = re.compile(r"<(?![?!/])(?P<name>[A-Za-z_][\w.:-]*)(?P<attrs>[^>]*)")


def parse_xml(text: str, *, subject: str) -> Element:
    """The root element of ``text``, or a one-line ParseError naming ``subject``."""
    try:
        return fromstring(_DECLARATION.sub("", text, count=1), forbid_dtd=True)
    except DefusedXmlException as exc:
        raise ParseError(
            f"unsafe XML refused ({type(exc).__name__}: DTDs and entities are not allowed)",
            subject=subject,
        ) from exc
    except XmlSyntaxError as exc:
        raise ParseError(f"malformed XML ({exc})", subject=subject) from exc


def root_tag(head: str) -> tuple[str, str] | None:
    """(name, attribute text) of the first element in ``head``, for sniffing without parsing."""
    match = _ROOT.search(strip_comments(head))
    if match is None:
        return None
    return match.group("name"), match.group("attrs")


def local(tag: str) -> str:
    """ "{http://wordpress.org/export/1.2/}comment" -> "comment"."""
    return tag.rsplit("}", 1)[-1]


def namespace(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def children(element: Element, name: str) -> Iterator[Element]:
    """Direct children called ``name``, whatever their namespace (versions differ in it)."""
    return (child for child in element if isinstance(child.tag, str) and local(child.tag) == name)


def child(element: Element, name: str) -> Element | None:
    return next(children(element, name), None)


def child_text(element: Element, name: str) -> str:
    """Stripped text of the first child called ``name``; "" when absent or empty."""
    found = child(element, name)
    return (found.text or "").strip() if found is not None else ""


def attribute(element: Element, name: str) -> str | None:
    """Attribute ``name`` in any namespace (Disqus writes ``dsq:id``)."""
    for key, value in element.attrib.items():
        if local(key) == name:
            return value
    return None
