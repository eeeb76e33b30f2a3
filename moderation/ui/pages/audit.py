"""Page script run by st.navigation; the page itself lives in moderation/ui/audit_page.py."""

from moderation.ui.audit_page import render

render()
