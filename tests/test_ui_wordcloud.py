"""Teman's word cloud leaves out the code's own label words and keywords (and their inflections)."""
from export.word_cloud import code_words, without_words


def test_code_keywords_are_left_out_of_the_cloud_text():
    doc = {"categories": [{"id": "k", "codes": [{"id": "mobila_team", "label": "Mobila team",
                                                  "keywords": ["mobilt team", "hemsjukvårdsteam"]}]}]}
    words = code_words(doc, "mobila_team")
    assert {"mobila", "team", "mobilt", "hemsjukvårdsteam"} <= set(words)
    text = without_words("Mobila teamet besöker sköra äldre; hemsjukvårdsteamen och mobilt team i länet", words)
    assert text.split() == ["besöker", "sköra", "äldre", "och", "i", "länet"]
    assert code_words(doc, "annan") == ()
