"""Saved article pages (HTML) -> the article and its comment thread, whatever made the page.

One module per markup family, tried in order by ``extract`` (the first that finds comments
wins, and the article records which): ``plugins`` (wpDiscuz, Epoch), ``drupal``, ``wordpress``
(core walker, classic and block themes, Jetpack), ``microformats`` (h-entry/h-cite, hAtom),
``schema_org`` (microdata, JSON-LD), ``semantic`` (other CMSs' comment classes), ``structural``
(repeated blocks, no class names). ``article`` reads title, text and policy; ``embeds`` explains
comment sections whose comments are not in the markup. ``blocks`` is the shared linear reader.
"""

from moderation.parsing.html.extract import parse_html_article, sniff_html

__all__ = ["parse_html_article", "sniff_html"]
