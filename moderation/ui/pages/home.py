"""The root URL's page: the queue, under a script of its own.

Streamlit gives the default page the empty path only, so the queue's own page (``queue.py`` at
``/queue``, which shared links name) cannot be the default. A separate script keeps
``st.switch_page("…/queue.py")`` pointing at the queue's own page alone.
"""

from moderation.ui.queue_page import render

render()
