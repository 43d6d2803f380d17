"""models.clusters: clustering a project's excerpts and the analyst's review, stored and audited."""
from __future__ import annotations

import pytest

from models import clusters as C
from models.records import ParsedFile, RawAnswer, Respondent
from models.store import ProjectStore, StoreError
from tests.test_cluster_data import THEMES

RESPONDENTS = ["Region Dalarna", "Region Skåne", "Falu kommun", "Malmö stad", "Region Örebro län", "Borlänge kommun"]


def resolve(a: RawAnswer) -> Respondent:
    typ = "region" if a.respondent.startswith("Region") else "kommun"
    return Respondent(a.respondent, typ, None)


def _import(store: ProjectStore, sha: str, respondents: list[str], themes=("mobil", "egen", "kompetens"),
            questions=("13a", "6", "15a")) -> None:
    for ri, name in enumerate(respondents):
        answers = []
        for q, theme in zip(questions, themes):
            sents = THEMES[theme]
            # two sentences per answer, as a list, so segmentation makes the excerpts
            text = f"Insatser:\n• {sents[ri % 6]}\n• {sents[(ri + 3) % 6]}"
            answers.append(RawAnswer(name, q, text))
        store.import_parsed(ParsedFile(f"{name}.docx", "docx", f"{sha}-{ri}", 100, answers), resolve)


@pytest.fixture()
def path(tmp_path):
    p = tmp_path / "p.sqlite"
    s = ProjectStore(p)
    _import(s, "a", RESPONDENTS[:4])
    s.close()
    return p


def _theme_of(text: str) -> str:
    return next(t for t, sents in THEMES.items() if text in sents)


def test_run_stores_excerpts_with_answer_offsets_and_coverage(path):
    store = ProjectStore(path)
    summary = C.run_clustering(store, analyst="anna")
    views = C.clusters(store)
    assert summary.n_excerpts == 4 * 3 * 2 == sum(v.size for v in views)
    assert summary.n_clusters == len(views) >= 3 and summary.new and not summary.kept
    answers = {a.id: a.text for a in store.answers()}
    for v in views:
        themes = {_theme_of(m["text"]) for m in v.members}
        assert len(themes) == 1  # clusters follow the measure types
        for m in v.members:
            assert answers[m["answer_id"]][m["start"]:m["end"]] == m["text"]
        assert set(v.coverage) <= {"region", "kommun"} and sum(v.coverage.values()) >= 1
        assert 1 <= len(v.representatives) <= 3 and v.label
    assert store.audit(entity="cluster_run")[0]["action"] == "cluster_run"
    store.close()


def test_restricted_to_questions_and_to_a_code(path):
    store = ProjectStore(path)
    summary = C.run_clustering(store, question_ids=["6"])
    assert summary.n_excerpts == 8
    assert all(_theme_of(m["text"]) == "egen" for v in C.clusters(store) for m in v.members)
    aid = next(a.id for a in store.answers() if a.question == "13a")
    text = next(a.text for a in store.answers() if a.id == aid)
    start = text.index("•") + 2
    store.add_manual_coding(aid, "mobila_team", start, start + 10, "anna")
    summary = C.run_clustering(store, code_id="mobila_team")
    assert summary.n_excerpts == 1
    store.close()


def test_review_operations_survive_a_restart_and_are_audited(path):
    store = ProjectStore(path)
    C.run_clustering(store, analyst="anna")
    views = C.clusters(store)
    a, b = views[0], views[1]
    C.rename(store, a.id, "  Hembesök   med team ", "anna")
    member = b.members[0]
    C.move_excerpt(store, member["id"], a.id, "anna")
    excl = a.members[0]
    C.exclude_excerpt(store, excl["id"], "anna")
    store.close()

    store = ProjectStore(path)
    again = {v.id: v for v in C.clusters(store)}
    assert again[a.id].name == "Hembesök med team" and again[a.id].title == "Hembesök med team"
    assert member["id"] in {m["id"] for m in again[a.id].members}
    assert excl["id"] not in {m["id"] for m in again[a.id].members}
    assert again[a.id].size == a.size  # one in, one out
    assert excl["id"] in {m["id"] for m in C.cluster(store, a.id).members if m["excluded"]}
    actions = {r["action"] for r in store.audit()}
    assert {"cluster_rename", "cluster_move", "cluster_exclude"} <= actions
    C.exclude_excerpt(store, excl["id"], "anna", excluded=False)
    assert excl["id"] in {m["id"] for m in C.cluster(store, a.id, include_excluded=False).members}
    with pytest.raises(StoreError):
        C.rename(store, 999_999, "x", "anna")
    store.close()


def test_merge_then_split(path):
    store = ProjectStore(path)
    C.run_clustering(store, analyst="anna")
    views = C.clusters(store)
    total = sum(v.size for v in views)
    a, b = views[0], views[1]
    target = C.merge(store, [a.id, b.id], "anna", name="Sammanslaget")
    store.close()
    store = ProjectStore(path)
    after = C.clusters(store)
    assert b.id not in {v.id for v in after}
    merged = next(v for v in after if v.id == target)
    assert merged.size == a.size + b.size and merged.name == "Sammanslaget"
    assert sum(v.size for v in after) == total
    parts = C.split(store, target, "anna")
    assert len(parts) >= 2 and parts[0] == target
    split_views = [v for v in C.clusters(store) if v.id in parts]
    assert sum(v.size for v in split_views) == merged.size
    assert {"cluster_merge", "cluster_split"} <= {r["action"] for r in store.audit(entity="cluster")}
    with pytest.raises(StoreError):
        C.merge(store, [target], "anna")
    store.close()


def test_map_to_code_and_create_code(path):
    store = ProjectStore(path)
    C.run_clustering(store, analyst="anna")
    views = C.clusters(store)
    with pytest.raises(StoreError):
        C.map_to_code(store, views[0].id, "finns_inte", "anna")
    n = C.map_to_code(store, views[0].id, "mobila_team", "anna", code_excerpts=True)
    assert n == views[0].size
    assert len(store.codings(code_ids=["mobila_team"])) == n
    new_id = C.create_code(store, views[1].id, "anna", label="Ny insatstyp")
    store.close()

    store = ProjectStore(path)
    doc = store.codebook_doc()
    codes = {c["id"]: c for cat in doc["categories"] for c in cat["codes"]}
    assert new_id in codes and codes[new_id]["label"] == "Ny insatstyp"
    top = C.cluster(store, views[1].id).top_terms
    assert codes[new_id]["keywords"] and set(codes[new_id]["keywords"]) <= {t.lower() for t in top}
    coded = store.codings(code_ids=[new_id])
    assert len(coded) == views[1].size and {c.origin for c in coded} == {"cluster"}
    by_id = {v.id: v for v in C.clusters(store)}
    assert by_id[views[0].id].code_id == "mobila_team" and by_id[views[1].id].code_id == new_id
    from nlp.codebook import Codebook

    Codebook.from_doc(doc)  # still a valid codebook
    assert {"cluster_map", "cluster_create_code"} <= {r["action"] for r in store.audit(entity="cluster")}
    store.close()


def test_recluster_after_import_keeps_names_codes_and_decisions(path):
    store = ProjectStore(path)
    C.run_clustering(store, analyst="anna")
    views = C.clusters(store)
    named = views[0]
    C.rename(store, named.id, "Mitt namn", "anna")
    C.map_to_code(store, named.id, "mobila_team", "anna")
    excluded = named.members[-1]
    C.exclude_excerpt(store, excluded["id"], "anna")
    key = (excluded["answer_id"], excluded["start"], excluded["end"])
    _import(store, "b", RESPONDENTS[4:])
    store.close()

    store = ProjectStore(path)
    summary = C.run_clustering(store, analyst="anna")
    assert summary.n_excerpts == 6 * 3 * 2
    assert any(k["previous_id"] == named.id and k["name"] == "Mitt namn" for k in summary.kept)
    new = {v.id: v for v in C.clusters(store, include_excluded=True)}
    carried = next(v for v in new.values() if v.name == "Mitt namn")
    assert carried.code_id == "mobila_team" and carried.run_id == summary.run_id
    assert summary.kept_exclusions == 1
    ex = [m for v in new.values() for m in v.members if (m["answer_id"], m["start"], m["end"]) == key]
    assert len(ex) == 1 and ex[0]["excluded"]
    assert "känns igen" in summary.text_sv()
    assert C.runs(store)[0]["summary"]["run_id"] == summary.run_id
    store.close()


def test_create_code_leaves_out_generic_words_of_the_cluster(path):
    """A cluster whose typical words include 'region', 'kommun', 'använda' (a merged cluster often has them)
    does not make a code that every answer mentioning 'kommunen' is suggested for."""
    store = ProjectStore(path)
    C.run_clustering(store, analyst="anna")
    views = C.clusters(store)
    store.write(lambda con: con.execute(
        "UPDATE clusters SET top_terms = ? WHERE id = ?",
        ('["region", "kommun", "hembesök", "använda", "primärvård", "SIP"]', views[0].id)))
    new_id = C.create_code(store, views[0].id, "anna", label="Hembesök")
    doc = store.codebook_doc()
    store.close()
    code = next(c for cat in doc["categories"] for c in cat["codes"] if c["id"] == new_id)
    assert code["keywords"] == ["hembesök"] and code["abbreviations"] == ["SIP"], code


def test_one_undo_takes_back_a_code_made_from_a_cluster_with_all_its_codings(path):
    """"Skapa kod av klustret" wrote one 'manual' row per excerpt, and "Ångra" took back only the last of
    them: the code, the cluster's mapping and the other codings stayed. Now one undo restores all of it,
    and the next undo goes on with the analyst's decision before it."""
    store = ProjectStore(path)
    C.run_clustering(store, analyst="anna")
    views = C.clusters(store)
    before_doc = C._project_codebook_doc(store)
    n = C.map_to_code(store, views[0].id, "mobila_team", "anna", code_excerpts=True)
    new_id = C.create_code(store, views[1].id, "anna", label="Ny insatstyp")
    assert n >= 2 and len(store.codings(code_ids=[new_id])) == views[1].size >= 2

    row = store.undo_last("anna")
    assert row["action"] == "cluster_create_code" and row["undone_codings"] == views[1].size and row["code_removed"]
    assert store.codings(code_ids=[new_id]) == []
    assert C.cluster(store, views[1].id).code_id is None
    codes = {c["id"] for cat in store.codebook_doc()["categories"] for c in cat["codes"]}
    assert new_id not in codes and codes == {c["id"] for cat in before_doc["categories"] for c in cat["codes"]}

    row = store.undo_last("anna")  # the mapping before it, with its codings
    assert row["action"] == "cluster_map" and row["undone_codings"] == n and not row["code_removed"]
    assert store.codings(code_ids=["mobila_team"], decisions=["manual"]) == []
    assert C.cluster(store, views[0].id).code_id is None
    assert store.undo_last("anna") is None
    store.close()


def test_undo_of_a_cluster_code_is_phrased_in_swedish():
    from ui import texts

    row = {"action": "cluster_create_code", "entity": "cluster", "entity_id": "3",
           "after": {"code_id": "ny_insatstyp", "code": {"label": "Ny insatstyp"}}}
    assert texts.audit_phrase(row, {}) == "skapade koden Ny insatstyp av klustret"
    row = {"action": "cluster_map", "entity": "cluster", "entity_id": "3", "after": {"code_id": "mobila_team"}}
    assert texts.audit_phrase(row, {"mobila_team": "Mobila team"}) == "kopplade klustret till koden Mobila team"


def test_a_merged_cluster_shows_the_typical_words_of_both_parts_and_undo_restores_them(path):
    """After "Slå ihop" the typical words (shown in the table and made the keywords by "Skapa kod av klustret")
    were still those of the first cluster alone."""
    store = ProjectStore(path)
    try:
        C.run_clustering(store, analyst="anna")
        views = C.clusters(store)
        a, b = views[0], views[1]
        own_b = [t for t in b.top_terms if t not in a.top_terms]
        assert own_b, (a.top_terms, b.top_terms)
        target = C.merge(store, [a.id, b.id], "anna")
        merged = next(v for v in C.clusters(store) if v.id == target)
        assert merged.top_terms[0] == a.top_terms[0]  # the larger cluster's first word leads
        assert own_b[0] in merged.top_terms, (merged.top_terms, a.top_terms, b.top_terms)
        assert len(merged.top_terms) == len(a.top_terms)
        assert C.undo_last(store, "anna") == "sammanslagningen av kluster"
        assert next(v for v in C.clusters(store) if v.id == a.id).top_terms == a.top_terms
    finally:
        store.close()


def test_merged_top_terms_weighs_each_clusters_words_by_its_size_and_rank():
    assert C.merged_top_terms([["a", "b", "c"], ["x", "b"]], [10, 10], 3) == ["a", "b", "x"]  # b: 5 + 5, as much as x
    assert C.merged_top_terms([["a", "b", "c"], ["x"]], [90, 10], 3) == ["a", "b", "c"]
    assert C.merged_top_terms([["a"], ["x", "y"]], [1, 30], 2) == ["x", "y"]


# --- "Skapa kod av klustret" proposes distinctive keywords (qa33) ---------------------------------------------------
# Sentences written for the kind of cluster whose typical words include the material's common words: every
# excerpt names "personalen", so it says nothing about which cluster an answer belongs to.
STAFF = {
    "mobil": ["Personalen i det mobila teamet gör hembesök hos äldre.", "Personalen kör ut till äldre på kvällar med bil.",
              "Teamets personal når äldre i glesbygden.", "Personalen gör gemensamma hembesök med läkaren.",
              "Mobila teamet och personalen besöker sköra äldre i hemmet.", "Personalen åker på hembesök till sköra äldre."],
    "egen": ["Personalen lär patienter att mäta blodtryck i en app.", "Personalen följer mätvärden i appen varje dag.",
             "Patienterna skickar mätvärden via appen till personalen.", "Personalen granskar mätvärden från appen.",
             "En app för blodsocker används av personalen.", "Personalen får larm när mätvärden i appen avviker."],
    "kompetens": ["Personalen får utbildning till undersköterska.", "Rekrytering av personalen till hemtjänsten är svår.",
                  "Personalen erbjuds betald utbildning till undersköterska.",
                  "En plan för rekrytering av personalen är framtagen.",
                  "Rekrytering och introduktion av ny personal.", "Personalen går en utbildning i rekrytering."],
}


@pytest.fixture()
def staff_store(tmp_path):
    store = ProjectStore(tmp_path / "staff.sqlite")
    for ri, name in enumerate(RESPONDENTS):
        answers = [RawAnswer(name, q, f"Insatser:\n• {STAFF[t][ri % 6]}\n• {STAFF[t][(ri + 3) % 6]}")
                   for q, t in zip(("13a", "6", "15a"), STAFF)]
        store.import_parsed(ParsedFile(f"{name}.docx", "docx", f"staff-{ri}", 100, answers), resolve)
    C.run_clustering(store, analyst="anna")
    yield store
    store.close()


def _share(view, word: str) -> float:
    return sum(word in m["text"] for m in view.members) / max(1, len(view.members))


def _set_terms(store, cluster_id: int, terms: list[str]) -> None:
    import json

    store.write(lambda con: con.execute("UPDATE clusters SET top_terms = ? WHERE id = ?",
                                        (json.dumps(terms, ensure_ascii=False), cluster_id)))


def test_keywords_of_a_new_code_leave_out_common_generic_and_weak_words(staff_store):
    store = staff_store
    views = C.clusters(store)
    assert len(views) >= 3 and sum(v.size for v in views) >= C.KEYWORD_MIN_EXCERPTS
    home = max(views, key=lambda v: _share(v, "hembesök"))
    others = [v for v in views if v.id != home.id]
    for i, v in enumerate(others):  # "team" is a typical word of two other clusters too, "hembesök" of none
        _set_terms(store, v.id, ["team"] * (i < 2) + [t for t in v.top_terms if t not in ("team", "hembesök")])
    _set_terms(store, home.id, ["arbete", "kommunen", "insatser", "samverkan", "personalen", "och", "team",
                                "hembesök", "SIP"])
    proposal = C.proposed_keywords(store, home.id)
    assert proposal.keywords == ["hembesök", "SIP"], proposal
    reasons = dict(proposal.left_out)
    assert reasons == {"arbete": "generic", "kommunen": "generic", "insatser": "generic", "samverkan": "weak",
                       "personalen": "common", "och": "stop", "team": "other_clusters"}, reasons
    assert "personalen (vanligt i hela materialet)" in proposal.left_out_sv()

    new_id = C.create_code(store, home.id, "anna", label="Hembesök")  # the proposal by default
    code = next(c for cat in store.codebook_doc()["categories"] for c in cat["codes"] if c["id"] == new_id)
    assert code["keywords"] == ["hembesök"] and code["abbreviations"] == ["SIP"], code


def test_the_analyst_edits_the_keywords_before_creating_the_code(staff_store):
    store = staff_store
    view = C.clusters(store)[0]
    new_id = C.create_code(store, view.id, "anna", label="Egen kod",
                           keywords=["  Hembesök ", "kvällsbesök", "hembesök", "", "KOL"])
    code = next(c for cat in store.codebook_doc()["categories"] for c in cat["codes"] if c["id"] == new_id)
    assert code["keywords"] == ["hembesök", "kvällsbesök"] and code["abbreviations"] == ["KOL"], code
    assert len(store.codings(code_ids=[new_id])) == view.size


def test_a_word_as_common_in_other_excerpts_is_not_distinctive(staff_store):
    """'patienter' occurs in the app cluster's excerpts no more often than elsewhere: left out of another
    cluster's keywords; the app cluster's own 'mätvärden' stays."""
    store = staff_store
    views = C.clusters(store)
    app = max(views, key=lambda v: _share(v, "mätvärden"))
    home = max(views, key=lambda v: _share(v, "hembesök"))
    assert app.id != home.id
    _set_terms(store, app.id, ["mätvärden"])
    assert C.proposed_keywords(store, app.id).keywords == ["mätvärden"]
    _set_terms(store, home.id, ["mätvärden", "hembesök"])
    proposal = C.proposed_keywords(store, home.id)
    assert proposal.keywords == ["hembesök"] and dict(proposal.left_out) == {"mätvärden": "not_distinctive"}, proposal


# --- qa45: the questionnaire's own vocabulary and the corpus's filler are no keywords of a new code --------------
def test_the_forms_recurring_vocabulary_is_computed_from_the_form_definitions():
    filler = C.form_filler_stems()
    for word in ("områden", "arbete", "arbeta", "verksamheter", "insatser", "utveckling"):
        assert C._stem(word) in filler, word
    for word in ("hembesök", "patientkontrakt", "ambulans", "läkemedel", "egenmonitorering"):
        assert C._stem(word) not in filler and word not in filler, word
    assert "patient" in filler  # the stem of the form's "patienter" (a lemma the clustering gives as it is)


def test_words_said_whatever_the_question_are_left_out(tmp_path):
    """'upplever' occurs in the answers to every question: a filler of the corpus, not a cluster's keyword; the
    form's own 'områden', 'verksamheten', 'arbetar' are left out as its wording; 'hembesök' stays."""
    store = ProjectStore(tmp_path / "filler.sqlite")
    questions = ("1", "3", "6", "8", "13a", "15a")
    for ri, name in enumerate(RESPONDENTS):
        answers = [RawAnswer(name, q, f"Vi upplever att {STAFF[t][(ri + qi) % 6].lower()}")
                   for qi, (q, t) in enumerate(zip(questions, list(STAFF) * 2))]
        store.import_parsed(ParsedFile(f"{name}.docx", "docx", f"filler-{ri}", 100, answers), resolve)
    try:
        assert C._stem("upplever") in C.corpus_filler_stems(store)
        assert C._stem("hembesök") not in C.corpus_filler_stems(store)
        C.run_clustering(store, analyst="anna")
        views = C.clusters(store)
        home = max(views, key=lambda v: _share(v, "hembesök"))
        _set_terms(store, home.id, ["uppleva", "områden", "verksamheten", "arbetar", "hembesök"])
        proposal = C.proposed_keywords(store, home.id)
        assert proposal.keywords == ["hembesök"], proposal
        reasons = dict(proposal.left_out)
        assert reasons == {"uppleva": "filler", "områden": "form", "verksamheten": "generic", "arbetar": "form"}, reasons
        assert "uppleva (förekommer i svaren på de flesta frågor)" in proposal.left_out_sv()
    finally:
        store.close()


def test_distinctive_against_the_other_clusters_also_in_a_small_run(staff_store):
    """Fewer than KEYWORD_MIN_EXCERPTS excerpts in a cluster's view still judge distinctiveness against the other
    clusters: 'personalen' (in every cluster) is left out, 'hembesök' kept."""
    store = staff_store
    views = C.clusters(store)
    home = max(views, key=lambda v: _share(v, "hembesök"))
    _set_terms(store, home.id, ["personalen", "hembesök"])
    others = [v for v in views if v.id != home.id]
    # the view of two clusters only: fewer excerpts than the share against the whole run needs
    assert home.size + others[0].size < C.KEYWORD_MIN_EXCERPTS
    proposal = C.proposed_keywords(store, home.id, views=[C.cluster(store, home.id, include_excluded=False),
                                                            others[0]])
    assert proposal.keywords == ["hembesök"], proposal
    assert dict(proposal.left_out) == {"personalen": "not_distinctive"}, proposal


def test_a_word_used_only_as_a_verb_is_no_keyword():
    """'börja' ("har börjat") and 'erbjuda' ("erbjuds") say what someone does; 'sjuksköterska' (a noun in -a),
    'samlokalisera' (only the participle "samlokaliserad") and 'vidareutbildning' are kept as keywords."""
    texts = ["Två sjuksköterskor har börjat en vidareutbildning till distriktssköterska.",
             "Patienter erbjuds hälsosamtal på den samlokaliserade vårdcentralen.",
             "Mottagningen är samlokaliserad med hemsjukvården."]
    assert C._is_verb_in("börja", texts) and C._is_verb_in("erbjuda", texts)
    for word in ("sjuksköterska", "distriktssköterska", "samlokalisera", "vidareutbildning", "hälsosamtal", "SIP"):
        assert not C._is_verb_in(word, texts), word


def test_a_verb_among_the_typical_words_is_left_out(staff_store):
    store = staff_store
    views = C.clusters(store)
    home = max(views, key=lambda v: _share(v, "åker"))
    assert any("åker" in m["text"] for m in home.members)  # "Personalen åker på hembesök till sköra äldre."
    _set_terms(store, home.id, ["åka"])
    proposal = C.proposed_keywords(store, home.id)
    assert proposal.keywords == [] and dict(proposal.left_out) == {"åka": "verb"}, proposal
    assert "åka (ett verb" in proposal.left_out_sv()
