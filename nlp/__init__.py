"""Swedish NLP and tagging (pure functions, no Streamlit)."""
from nlp.compiled import install as _install_compiled

_install_compiled()
