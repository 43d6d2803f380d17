"""Teman's word cloud leaves out the code's own label words and keywords (and their inflections)."""
from export.word_cloud import cloud_text, code_words, without_words


def test_code_keywords_are_left_out_of_the_cloud_text():
    doc = {"categories": [{"id": "k", "codes": [{"id": "mobila_team", "label": "Mobila team",
                                                  "keywords": ["mobilt team", "hemsjukvårdsteam"]}]}]}
    words = code_words(doc, "mobila_team")
    assert {"mobila", "team", "mobilt", "hemsjukvårdsteam"} <= set(words)
    text = without_words("Mobila teamet besöker sköra äldre; hemsjukvårdsteamen och mobilt team i länet", words)
    assert text.split() == ["besöker", "sköra", "äldre", "och", "i", "länet"]
    assert code_words(doc, "annan") == ()


def test_markup_pasted_into_an_answer_is_not_words_of_the_cloud():
    text = cloud_text(("Teamet <script>alert('x')</script> gör hembesök på kvällar.",
                       "Vi har <b>mobila</b> team &lt; 3 dagar, 2 < 3 > 1."), ("team",))
    words = text.split()
    assert not {"script", "alert", "b"} & set(words), words
    assert {"gör", "hembesök", "kvällar", "mobila", "3"} <= set(words), words  # the answer's own words stay


def test_words_the_clouds_font_cannot_draw_are_left_out():
    # qa21: an answer with Arabic and Hebrew words (and emoji) drew rows of empty boxes in Teman's cloud: the
    # cloud's font has no glyphs for them, and the words are shown literally in the excerpts anyway
    from export.word_cloud import word_cloud_png

    words = cloud_text(("Mobila vårdcentraler 😀👍🏽 مرحبا بالعالم שלום café naïve",), ()).split()
    assert words == ["mobila", "vårdcentraler", "café", "naïve"], words
    assert word_cloud_png(("مرحبا بالعالم שלום 😀",)) is None  # nothing drawable: no cloud of boxes
