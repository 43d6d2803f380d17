"""perf52: the text model's word-column memo grown in place, the proposer's letter test and its rows' values through a
C array: the same numbers as before (run compiled and with SVARSANALYS_COMPILED=off)."""
import math
import random

import numpy as np

from nlp.disposer_text import TextModel, _TokenColumns, _word_ids, folded_lower
from nlp.proposer import Proposer, _column_values, _has_letter, _TF_WEIGHT, form_features


def _old_arrays(cols):
    return np.asarray(cols._word, dtype=np.intp), np.asarray(cols._stem, dtype=np.intp)


def test_token_columns_arrays_grow_as_a_full_conversion():
    voc = {"hemtjänst": 0, "hemtj~": 1, "team": 2, "läkare": 3, "läkare~": 4, "sjuksköterska": 5, "sjuksk~": 6}
    cols = _TokenColumns(voc)
    rng = random.Random(52)
    words = list(voc) + ["hemtjänsten", "teamet", "av", "och", "sjuksköterskor", "mobila", "läkarbesök", "xx"]
    seen = {}
    for step in range(60):
        for _ in range(rng.randrange(0, 4)):
            w = rng.choice(words) + ("" if rng.random() < 0.7 else str(rng.randrange(5)))
            k = cols.index.get(w)
            got = cols._add(w) if k is None else k
            assert seen.setdefault(w, got) == got
            assert cols._add(w) == got  # a word met before keeps its row
        if step % 3 == 0:
            a, b = cols.arrays()
            old_a, old_b = _old_arrays(cols)
            assert a.dtype == old_a.dtype == np.intp and b.dtype == old_b.dtype
            assert a.tolist() == old_a.tolist() and b.tolist() == old_b.tolist()
            assert cols.arrays()[0] is a  # nothing new: the same arrays
    assert len(cols._word) == len(cols._stem) == len(cols.index) == len(seen)


def _text_model():
    m = TextModel()
    m.codes_ = ["a", "b"]
    m.vocabulary_ = {w: i for i, w in enumerate(["hemtjanst", "hemtja~", "teamet", "lakare", "mobila", "mobilt~"])}
    m.idf_ = np.linspace(1.0, 2.0, len(m.vocabulary_))
    m.coef_ = np.arange(2 * len(m.vocabulary_), dtype=float).reshape(2, -1) / 7.0
    m.intercept_ = np.array([-0.5, 0.25])
    return m


def test_token_columns_rows_of_texts_unchanged():
    texts = ["Hemtjänsten har ett mobilt team med läkare.", "Läkare och teamet i hemtjänsten", "", "Mobila läkare!",
             "Ett nytt ord: hemtjänstteamet."]
    grown = _text_model()  # one memo, growing from text to text and then over the batch
    got = [grown.predict_proba([t])[0] for t in texts]
    batch = grown.predict_proba(texts)
    for t, g, b in zip(texts, got, batch):
        ref = _text_model().predict_proba([t])[0]  # a fresh memo
        assert list(g.items()) == list(ref.items()) == list(b.items())
    cols = grown._token_columns()
    ids = _word_ids(folded_lower(texts[0]), cols.index, cols._add)
    a, _ = cols.arrays()
    assert [int(a[i]) for i in ids] == [grown.vocabulary_.get(w, -1) if len(w) > 2 else -1
                                        for w in folded_lower(texts[0]).rstrip(".").split()]


def test_has_letter_is_any_isalpha_over_every_character():
    for cp in range(0x110000):
        c = chr(cp)
        assert _has_letter(c) == c.isalpha(), hex(cp)
    for text in ["", "12", "1a", "§§ö", "-–", "2024-års", "ⅻ", "٣٤", "_x_"]:
        assert _has_letter(text) == any(c.isalpha() for c in text)


def test_form_features_unchanged_for_numbers_and_words():
    assert form_features("2024", "2024") == ((), None)
    assert form_features("–", "–") == ((), None)
    assert form_features("Hemtjänsten", "hemtjänst") == (("w:hemtjänst", "s:hemtjä"), "hemtjänst")
    assert form_features("3D-skrivare", "3d-skrivare") == (("w:3d-skrivare", "s:3d-skr"), "3d-skrivare")


def test_proposer_rows_values_same_doubles_as_a_list_conversion():
    rng = random.Random(7)
    idf = [1.0 + rng.random() * 3 for _ in range(50)]
    column_lists = [[rng.randrange(50) for _ in range(rng.randrange(0, 80))] for _ in range(40)] + [[]]
    p = Proposer()
    p.idf_ = np.asarray(idf)
    cols, vals, offs = p._column_rows(column_lists)
    cols_all, vals_all, offs_all = [], [], [0]
    _column_values(column_lists, idf, _TF_WEIGHT, cols_all, vals_all, offs_all)
    ref = np.asarray(vals_all, dtype=float)
    assert vals.dtype == ref.dtype and vals.shape == ref.shape and vals.tobytes() == ref.tobytes()
    assert cols.tolist() == cols_all and offs.tolist() == offs_all
    assert all(math.isfinite(v) for v in vals.tolist())
    e_cols, e_vals, e_offs = p._column_rows([[], []])
    assert len(e_cols) == 0 and len(e_vals) == 0 and e_vals.dtype == np.float64 and e_offs.tolist() == [0, 0, 0]
