"""Page script run by st.navigation; the page itself lives in moderation/ui/rules_page.py."""

from moderation.ui.rules_page import render

render()
