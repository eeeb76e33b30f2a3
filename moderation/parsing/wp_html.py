"""Saved WordPress article pages: now read by the general HTML extractor.

``moderation.parsing.html`` reads WordPress's comment markup among many others; these names stay
so callers written against the WordPress-only parser keep working.
"""

from __future__ import annotations

from moderation.parsing.html import parse_html_article as parse_wp_html
from moderation.parsing.html import sniff_html as sniff_wp_html

__all__ = ["parse_wp_html", "sniff_wp_html"]
