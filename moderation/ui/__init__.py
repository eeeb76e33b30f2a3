"""Streamlit pages and widgets. The only package allowed to import streamlit."""
