"""A page for test_browser_names: each name of NAMES shown through ui.safe.md in the elements that read Markdown."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import streamlit as st  # noqa: E402

from tests.browser.names_data import NAMES  # noqa: E402
from ui.highlight import markdown  # noqa: E402
from ui.safe import md  # noqa: E402

for i, name in enumerate(NAMES):
    with st.container(key=f"name_md_{i}"):
        st.markdown(md(name))
    with st.container(key=f"name_caption_{i}"):
        st.caption(md(name))
    with st.container(key=f"name_success_{i}"):
        st.success(md(name))
    with st.container(key=f"name_button_{i}"):
        st.button(md(name), key=f"name_btn_{i}")
    with st.container(key=f"name_chip_{i}"):  # inside a coloured evidence mark, as answer text in Granska
        st.markdown(markdown(name, [(0, len(name), "blue")]))
