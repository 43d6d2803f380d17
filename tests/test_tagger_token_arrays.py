"""AnalysedText.from_doc from the token arrays analyse() hands over (nlp.components.annotate's token_arrays):
the same compact form as reading ORTH, LEMMA, IDX, LENGTH, SENT_START and IS_SPACE back from the Doc."""
import numpy as np

from nlp.pipeline import analyse
from nlp.tagger import AnalysedText, Tagger

TEXTS = [
    "Vi har infört mobila team i hemsjukvården. Det pågår sedan 2022-01-09!",
    "",
    "   \n ",
    "- SIP-samordnare\n- fast vårdkontakt, bl.a. för äldre\n\nPlanerar t.ex. digitala vårdbesök.",
    "a\u00a0b \u2003 c\t\r\nd 😀 e\u0301 1177:s www.exempel.se (hemtjänst)",
    "Hälsosamtal   genomförs\n\n\nEJ påbörjat",
]


def test_token_arrays_give_the_docs_own_arrays():
    arrays: list = []
    docs = analyse(TEXTS, token_arrays=arrays)
    assert len(arrays) == len(docs)
    for doc, text, a in zip(docs, TEXTS, arrays):
        want, got = AnalysedText.from_doc(doc, text), AnalysedText.from_doc(doc, text, a)
        for name in ("orth", "lemma", "idx", "length", "space"):
            w, g = getattr(want, name), getattr(got, name)
            assert w.dtype == g.dtype and np.array_equal(w, g), name
        assert (got.segments, got.breaks, got.text) == (want.segments, want.breaks, want.text)


def test_no_arrays_when_no_text_has_a_token():
    arrays: list = []
    docs = analyse(["", ""], token_arrays=arrays)
    assert len(docs) == 2 and arrays == []
    assert [r.codes for r in Tagger().tag_texts(["", ""])] == [[], []]


def test_tag_texts_equals_tagging_the_docs():
    tagger = Tagger()
    got = [r.to_json() for r in tagger.tag_texts(TEXTS)]
    want = [r.to_json() for r in Tagger().tag_docs(analyse(TEXTS), texts=TEXTS)]
    assert got == want


def test_set_docs_false_leaves_the_docs_unannotated_and_the_arrays_equal():
    arrays: list = []
    bare = analyse(TEXTS, token_arrays=arrays, set_docs=False)
    full = analyse(TEXTS)
    for b, f, text, a in zip(bare, full, TEXTS, arrays):
        assert [t.text for t in b] == [t.text for t in f]
        want, got = AnalysedText.from_doc(f, text), AnalysedText.from_doc(b, text, a)
        for name in ("orth", "lemma", "idx", "length", "space"):
            assert np.array_equal(getattr(want, name), getattr(got, name)), name
        assert got.segments == want.segments
    assert any(t.lemma for d in full for t in d) and not any(t.lemma for d in bare for t in d)
    # without token_arrays the Docs are annotated whatever set_docs says
    assert [t.lemma_ for t in analyse(TEXTS[:1], set_docs=False)[0]] == [t.lemma_ for t in full[0]]


def test_the_analysis_forms_are_the_ones_forms_of_finds():
    tagger = Tagger()
    tagger.tag_texts(TEXTS)
    kept = tagger._batch[1:]  # given by the analysis (nlp.components.annotate's forms)
    fresh = Tagger()._forms_of(tagger.analysed)  # numpy.unique of the texts' tokens
    assert kept[0] == fresh[0] and kept[1] == fresh[1]
    assert kept[2].dtype == fresh[2].dtype and np.array_equal(kept[2], fresh[2])
    assert np.array_equal(kept[3], fresh[3])
    assert all(np.array_equal(a, b) for a, b in zip(kept[4], fresh[4]))
