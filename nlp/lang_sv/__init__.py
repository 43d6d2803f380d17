"""Swedish language data for the Svarsanalys pipeline (stop words, lemma exceptions, abbreviations).

Kept as plain data modules, the way spaCy keeps its own language data.
"""
