"""The disposer's text model reads å/ä/ö folded: an answer typed without the Swedish letters (an English
keyboard, a phone, an export that lost them) is read as the same answer typed with them."""
from __future__ import annotations

from nlp.disposer_text import FOLD, folded_lower, text_tokens

WITH = "Läkare från vårdcentralen gör hembesök hos äldre i hemsjukvården tillsammans med sjuksköterskan."
WITHOUT = WITH.translate(str.maketrans("åäöÅÄÖ", "aaoAAO"))


def test_tokens_are_the_same_with_and_without_swedish_letters():
    assert WITHOUT != WITH
    assert text_tokens(WITHOUT) == text_tokens(WITH)
    assert "lakare" in text_tokens(WITH) and "hemsjukvarden" in text_tokens(WITH)


def test_folding_keeps_the_positions_of_the_lower_cased_text():
    text = "Ökad SIP-användning på ÄBO; Ünal och Émile i mötet"
    low = folded_lower(text)
    assert len(low) == len(text.lower())
    assert low == text.lower().translate(FOLD)
    assert "å" not in low and "ä" not in low and "ö" not in low


def test_bundled_text_model_gives_one_probability_to_both_spellings():
    from models.tagging import default_disposer

    model = default_disposer().text_model_
    assert model is not None
    p_with, p_without = model.predict_proba([WITH, WITHOUT])
    assert p_with and p_with == p_without  # every code's probability, to the last bit
