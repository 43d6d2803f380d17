"""Svarsanalys: the Streamlit app. Run with `streamlit run app.py`.

A router only: every page is a script in ui/pages/ (an st.Page file) over the `ui` package.
"""
from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="Svarsanalys", page_icon="💬", layout="wide")  # an emoji: no request leaves the machine

from ui import auth, shell, streamlit_texts  # noqa: E402  (after set_page_config)

streamlit_texts.apply()  # Swedish for Streamlit's own English words (the uploader, an empty list)

signed_in = auth.allowed_to_continue()
navigation = st.navigation(shell.pages(), position="sidebar" if signed_in else "hidden")
if not signed_in:
    auth.sign_in_screen()  # team server: only "Logga in" until signed in; stops here
shell.sidebar(shell.open_current())
shell.not_found_note()  # an address no page has led here: say so in Swedish
navigation.run()
