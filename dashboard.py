"""Threadwatch dashboard. Run with: streamlit run dashboard.py

Streamlit runs this file as the app script on every interaction; the router (settings, login,
sidebar, st.navigation over moderation/ui/pages) does the work. ``streamlit run`` also finds
the ``st.App`` below and serves the app through it, which adds our HTTP guards (metrics, media
downloads) and starts loading the scoring model when the server starts (moderation/ui/server.py).
"""

from __future__ import annotations

import streamlit as st

if __name__ == "__main__":  # a script run (the browser, AppTest)
    from moderation.ui import router

    router.run()
else:  # imported by `streamlit run` (through uvicorn): the server around the script
    from moderation.ui import server

    app = st.App(
        __file__, routes=server.routes(), middleware=server.middleware(), lifespan=server.lifespan
    )
