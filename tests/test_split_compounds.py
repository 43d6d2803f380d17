"""Compounds written apart (issue 13): "hem sjukvård", "egen monitorering", "fast vård kontakt".

The tagger reads two (or three) adjacent words of one sentence as one compound when the joined form gives the
code index a hit the words do not give apart (``TermIndex.joined``, ``nlp.tagger._find_joins``); ordinary
pairs never join. The evidence covers the words written apart; negation reads as for any hit. ``Tagger.retag``
after an edit that creates or removes such a join equals tagging from scratch.
All sentences are written for these tests.
"""
from __future__ import annotations

import copy
import json

import pytest

from nlp.codebook import Codebook, default_codebook
from nlp.tagger import Tagger


def _dump(results) -> list[str]:
    return [json.dumps(r.to_json(), ensure_ascii=False, sort_keys=True) for r in results]


def _ev(result, code):
    return [e for e in result.evidence if e.code == code]


def _with_keyword(doc: dict, code_id: str, keyword: str) -> dict:
    doc = copy.deepcopy(doc)
    for cat in doc["categories"]:
        for code in cat["codes"]:
            if code["id"] == code_id:
                code["keywords"] = list(code.get("keywords") or []) + [keyword]
    return doc


@pytest.fixture(scope="module")
def tagger():
    return Tagger(default_codebook())


@pytest.mark.parametrize("apart, together, code", [
    ("Sjuksköterskorna arbetar med egen monitorering av blodtrycket.",
     "Sjuksköterskorna arbetar med egenmonitorering av blodtrycket.", "egenmonitorering"),
    ("Varje brukare har en fast vård kontakt på enheten.",
     "Varje brukare har en fast vårdkontakt på enheten.", "fast_kontakt"),
    ("Regionen startade ett mobilt när sjukvårds team i våras.",
     "Regionen startade ett mobilt närsjukvårdsteam i våras.", "mobila_team"),
])
def test_a_compound_written_apart_gets_the_code_of_the_compound(tagger, apart, together, code):
    a, b = tagger.tag_texts([apart, together])
    assert _ev(b, code), "premise: the compound written together has the code"
    got = _ev(a, code)
    assert got and not got[0].negated


def test_the_evidence_covers_both_words(tagger):
    text = "Sjuksköterskorna arbetar med egen monitorering av blodtrycket."
    (r,) = tagger.tag_texts([text])
    (e,) = _ev(r, "egenmonitorering")
    assert text[e.start:e.end] == "egen monitorering" == e.match


def test_three_words_join_when_two_do_not_give_the_hit(tagger):
    text = "Kommunen har ett mobilt när sjukvårds team för de äldre."
    (r,) = tagger.tag_texts([text])
    (e,) = _ev(r, "mobila_team")
    assert e.match == "mobilt när sjukvårds team"


def test_a_joined_hit_is_negated_like_any_hit(tagger):
    (r,) = tagger.tag_texts(["Vi har inte infört egen monitorering i kommunen ännu."])
    got = _ev(r, "egenmonitorering")
    assert got and all(e.negated for e in got)


@pytest.mark.parametrize("text", [
    "Planen tas fram av de små kommuner som har mobila enheter.",
    "Ett mobilt team besöker patienterna i hemmet.",
    "Vi vill ge god vård till alla, och samverkan sker med kommunen.",
])
def test_ordinary_pairs_do_not_join(tagger, text):
    """A pair joins only when the join creates a hit the words do not have: the tags equal those of the
    same words with the join switched off (no candidate pair)."""
    import nlp.tagger as tg

    (r,) = tagger.tag_texts([text])
    orig = tg._find_joins
    try:
        tg._find_joins = lambda *a, **k: None
        (plain,) = Tagger(default_codebook()).tag_texts([text])
    finally:
        tg._find_joins = orig
    assert _dump([r]) == _dump([plain])


def test_a_compound_written_with_a_hyphen_reads_as_the_compound(tagger):
    (r,) = tagger.tag_texts(["Kommunen öppnade en familje-central i höstas."])
    (e,) = _ev(r, "familjecentral")
    assert e.match == "familje-central"


def test_an_abbreviation_joins_with_a_hyphen(tagger):
    (r,) = tagger.tag_texts(["En SIP samordnare finns nu i varje område."])
    got = _ev(r, "vardkoordinator_samordnare")
    assert got and got[0].match == "SIP samordnare" and got[0].rule.startswith("keyword:")


def test_an_adjective_and_a_noun_stay_a_phrase(tagger):
    """"geriatriska team" is a noun phrase (an inflected adjective is no compound's first part): the phrase
    hit over the three words stays as it is."""
    (r,) = tagger.tag_texts(["Mobila geriatriska team finns i hela länet."])
    (e,) = _ev(r, "mobila_team")
    assert e.match == "Mobila geriatriska team"


def test_an_ordinary_pair_reads_no_joined_form(tagger):
    ix = tagger.compiled.index
    f = ix.features
    for a, b in (("mobilt", "team"), ("små", "kommuner"), ("mobila", "enheter"), ("plan", "tas")):
        assert ix.joined((a, b), (f(a, a), f(b, b))) is None, (a, b)
    assert ix.joined(("egen", "monitorering"), (f("egen", "egen"), f("monitorering", "monitorering"))) is not None


TEXTS = ["Personalen gör natt patrull hos de äldre varje vecka.",
         "Ett nattpatrull-liknande arbete pågår inte.",
         "Inget om detta här.",
         "Sjuksköterskorna arbetar med egen monitorering av blodtrycket."]


def test_retag_after_an_edit_that_creates_a_join_equals_a_fresh_tag():
    doc = default_codebook().to_doc()
    t = Tagger(Codebook.from_doc(doc))
    before = t.tag_texts(TEXTS)
    assert not _ev(before[0], "mobila_team")
    cb = Codebook.from_doc(_with_keyword(doc, "mobila_team", "nattpatrull"))
    got = t.retag(cb)
    assert _dump(got) == _dump(Tagger(cb).tag_texts(TEXTS))
    assert [e.match for e in _ev(got[0], "mobila_team")] == ["natt patrull"]
    assert 0 in t.touched and 2 not in t.touched
    # and back: the keyword removed, the join goes
    cb = Codebook.from_doc(doc)
    got = t.retag(cb)
    assert _dump(got) == _dump(Tagger(cb).tag_texts(TEXTS))
    assert 0 in t.touched and not _ev(got[0], "mobila_team")


def test_retag_after_an_edit_that_removes_a_join_equals_a_fresh_tag():
    doc = default_codebook().to_doc()
    cb0 = Codebook.from_doc(_with_keyword(doc, "mobila_team", "nattpatrull"))
    t = Tagger(cb0)
    assert [e.match for e in _ev(t.tag_texts(TEXTS)[0], "mobila_team")] == ["natt patrull"]
    # the edit gives the first word a hit of its own: the join then adds nothing and is not read
    cb = Codebook.from_doc(_with_keyword(_with_keyword(doc, "mobila_team", "nattpatrull"), "mobila_team", "natt"))
    got = t.retag(cb)
    assert _dump(got) == _dump(Tagger(cb).tag_texts(TEXTS))
    assert 0 in t.touched


def test_retag_after_an_edit_of_another_code_leaves_the_joined_text_alone():
    doc = default_codebook().to_doc()
    t = Tagger(Codebook.from_doc(doc))
    t.tag_texts(TEXTS)
    cb = Codebook.from_doc(_with_keyword(doc, "mobila_team", "kvällspatrullering"))
    got = t.retag(cb)
    assert _dump(got) == _dump(Tagger(cb).tag_texts(TEXTS))
    assert 3 not in t.touched


def _plain(text: str) -> list[str]:
    """The tags of ``text`` with joins switched off (no candidate pair)."""
    import nlp.tagger as tg

    orig = tg._find_joins
    try:
        tg._find_joins = lambda *a, **k: None
        return _dump(Tagger(default_codebook()).tag_texts([text]))
    finally:
        tg._find_joins = orig


def _pair(tagger, a: str, b: str, link: str = ""):
    ix = tagger.compiled.index
    la, lb = ix._lemma(a), ix._lemma(b)
    return ix.joined((a, b), (ix.features(a, la), ix.features(b, lb)), link)


# False joins on clean text, by kind (sentences written for these tests): each text tags as with joins off.
@pytest.mark.parametrize("text", [
    # an uninflected adjective (or participle) and a noun: a noun phrase, no compound's head rule
    "Regionen betalar en särskild ersättning för varje hembesök.",
    "Patienten remitterades till psykiatrisk mottagning i staden.",
    "Länet tog fram en regional handlingsplan för arbetet.",
    "Kommunen provar digital tillsyn under natten.",
    "Förslaget innebär en ny ersättning och en ökad ersättning för läkarinsatser.",
    # a keyword that would end inside the second word ("egenvård" in "egenvårdcentral")
    "Byn saknar egen vårdcentral sedan flera år.",
    # a preposition or other function word never joins ("omfördelning", "förnya", "vården")
    "Beslutet om fördelning av medlen fattas i maj.",
    "Vi tar fram rutiner för nya medarbetare och all vård en gång i veckan.",
    # a verb or an adjective is no compound's last word
    "Träning i grupp erbjuds på tre orter.",
    "Arbetet bygger på hela länets gemensamma plan.",
    # an adjective after a possessive is attributive ("egenrapportering" is a keyword)
    "Siffrorna bygger på kommunernas egen rapportering till regionen.",
])
def test_a_clean_text_makes_no_false_join(tagger, text):
    (r,) = tagger.tag_texts([text])
    assert _dump([r]) == _plain(text)


@pytest.mark.parametrize("a, b, link", [
    ("särskild", "ersättning", ""), ("psykiatrisk", "mottagning", ""), ("regional", "handlingsplan", ""),
    ("digital", "tillsyn", ""), ("ny", "ersättning", ""), ("ökad", "ersättning", "s"),
    ("egen", "vårdcentral", ""), ("om", "fördelning", ""), ("för", "nya", ""), ("vård", "en", ""),
    ("grupp", "erbjuds", ""), ("läns", "gemensamma", ""), ("del", "ar", ""),
])
def test_a_false_join_reads_no_joined_form(tagger, a, b, link):
    assert _pair(tagger, a, b, link) is None


@pytest.mark.parametrize("a, b, link", [
    ("egen", "monitorering", ""),  # a keyword of the whole after an adjective
    ("hemsjukvård", "team", "s"),  # the -s- link after a bare noun
    ("trygghets", "team", ""),  # a head rule after a linked first word
    ("SIP", "samordnare", "-"),  # an abbreviation
])
def test_a_real_compound_written_apart_still_joins(tagger, a, b, link):
    assert _pair(tagger, a, b, link) is not None


def test_a_hyphen_is_dropped_only_before_a_word():
    from nlp.termmatch import dehyphenated

    assert dehyphenated("familje-central") == "familjecentral"
    assert dehyphenated("Patient-er") is None  # an inflection ending after the hyphen
    assert dehyphenated("vård-en") is None
    assert dehyphenated("hem-rehab") == "hemrehab"
    assert dehyphenated("vc-ab") is None  # two letters


# The cheap test of word pairs (nlp.tagger._join_candidates) asks the word-class tests only of the forms of the pairs
# that pass its letters' test; the candidates equal those of the test with every form's word classes asked first.
CANDIDATE_TEXTS = [
    "Personalen gör natt patrull hos de äldre varje vecka och en vård kontakt finns.",
    "Regionen startade ett mobilt när sjukvårds team och ett trygghets team i våras.",
    "En SIP samordnare och en hälso samtal grupp träffas om fördelning av medlen.",
    "Kommunernas egen rapportering visar att egen monitorering och läkemedels genomgångar ökar.",
    "Barnen går till mödra vård och distrikts sköterska efter hem gång från sjukhuset.",
    "Vi tar fram rutiner för nya medarbetare och all vård en gång i veckan, del ar och grupp erbjuds.",
]


def _eager_candidates(cc, uniq_l, lem_l, inv, seg_tab, strings):
    """The cheap test pair by pair, with both word-class tests asked of every form (the reference)."""
    from nlp import termmatch as tm

    tab = cc.index.join_table()
    seg_s, seg_e = seg_tab[0].tolist(), seg_tab[1].tolist()
    links = tm.JOIN_LINKS
    s_bit = 1 << links.index("s")
    M = tm.JOIN_PIECES_MAX

    def info(u):
        orth = strings[uniq_l[u]]
        low, lem = orth.lower(), strings[lem_l[u]].lower()
        r = list(tm.join_form_info(tab, orth, low, lem))
        if not tm.join_second(low, lem):
            r[6:9] = [-1, -1, 0]
        if r[9] & s_bit and not tm.join_s_link(low):
            r[2:4] = [-1, -1]
            r[9] &= ~s_bit
        return r

    pos, bits = [], []
    for p in range(inv.size - 1):
        k = max((j for j, s in enumerate(seg_s) if s <= p), default=-1)
        if k < 0 or p + 1 >= seg_e[k]:
            continue
        ra, rb = info(int(inv[p])), info(int(inv[p + 1]))
        b = 0
        for j in range(len(links)):
            ok = any(lv >= 0 and rv >= 0 and lv * M + rv in tab[2]
                     for lv in ra[2 * j:2 * j + 2] for rv in rb[6:8])
            if ok or (rb[8] and ra[9] >> j & 1):
                b |= 1 << j
        if b:
            pos.append(p)
            bits.append(b)
    return pos, bits


def test_the_word_classes_are_asked_only_of_candidate_pairs_and_give_the_eager_candidates(monkeypatch):
    import nlp.tagger as tg
    from nlp import termmatch as tm
    from nlp.lang_sv.word_class import is_function_word
    from nlp.pipeline import analyse, get_nlp
    from nlp.tagger import AnalysedText

    t = Tagger(default_codebook())
    analysed = [AnalysedText.from_doc(d, x) for d, x in zip(analyse(CANDIDATE_TEXTS), CANDIDATE_TEXTS)]
    uniq_l, lem_l, inv, _, seg_tab = t._forms_of(analysed)
    strings = get_nlp().vocab.strings
    want = _eager_candidates(t.compiled, uniq_l, lem_l, inv, seg_tab, strings)
    asked = []
    orig = tm.join_second
    monkeypatch.setattr(tm, "join_second", lambda low, lem: asked.append(low) or orig(low, lem))
    got = tg._join_candidates(t.compiled, uniq_l, lem_l, inv, seg_tab, strings)
    n_asked = len(asked)
    assert n_asked == len(set(asked)) < len(uniq_l)  # once per form, not for every form
    # the eager candidates less the pairs opened by a function word that cannot open three words joined: none
    # of those is ever read joined
    at = dict(zip(*want))
    fw = [p for p, b in zip(*want) if is_function_word(strings[uniq_l[int(inv[p])]].lower())
          and not (b & 1 and at.get(p + 1, 0) & 1)]
    assert fw, "premise: some pairs open with a function word"
    F = t.compiled.code_features(uniq_l, lem_l, strings)
    for p in fw:
        assert tg._decide_join(t.compiled, p, at[p], at.get(p + 1, 0), inv, uniq_l, strings, F) is None
    assert (list(got[0]), list(got[1])) == ([p for p in want[0] if p not in fw],
                                            [b for p, b in zip(*want) if p not in fw])
    assert want[0], "premise: some pairs pass"
    # asked again (the forms' classes kept): no new question
    del asked[:]
    assert tg._join_candidates(t.compiled, uniq_l, lem_l, inv, seg_tab, strings) == got
    assert not asked
