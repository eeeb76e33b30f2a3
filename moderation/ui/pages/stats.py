"""Page script run by st.navigation; the page itself lives in moderation/ui/stats_page.py."""

from moderation.ui.stats_page import render

render()
