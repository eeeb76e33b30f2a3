"""Page script run by st.navigation; the page itself lives in moderation/ui/import_page.py."""

from moderation.ui.import_page import render

render()
