"""Who may use the dashboard: accounts and roles, signed session cookies and their revocation,
the backoff after failed logins. No streamlit here: moderation/ui/auth.py draws the forms, and
moderation/ui/server.py checks the cookie on HTTP requests outside a script run."""
