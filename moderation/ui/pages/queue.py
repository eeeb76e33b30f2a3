"""Page script run by st.navigation; the page itself lives in moderation/ui/queue_page.py."""

from moderation.ui.queue_page import render

render()
