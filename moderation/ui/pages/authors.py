"""Page script run by st.navigation; the page itself lives in moderation/ui/authors_page.py."""

from moderation.ui.authors_page import render

render()
