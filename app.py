"""Svarsanalys: the Streamlit app. Run with `streamlit run app.py`.

A router only: the pages live in ui/pages/ (thin modules) over the `ui` package.
"""
from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="Svarsanalys", page_icon=":material/forum:", layout="wide")

from ui import shell  # noqa: E402  (after set_page_config)

navigation = st.navigation(shell.pages())
shell.sidebar(shell.open_current())
navigation.run()
