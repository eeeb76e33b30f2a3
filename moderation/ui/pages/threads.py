"""Page script run by st.navigation; the page itself lives in moderation/ui/threads_page.py."""

from moderation.ui.threads_page import render

render()
