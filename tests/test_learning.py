"""Learning from the analyst: decisions retrain the project's disposer, which re-decides unreviewed answers."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from models.learning import after_decision, decision_labels, learned_from, project_disposer, wait_for_training
from models.records import ParsedFile, RawAnswer, Respondent
from models.store import ProjectStore, StoreError
from models.tagging import tag_project

ROOT = Path(__file__).resolve().parents[1]

# The analyst of this project says that a mobile team named as the place where staff work is no
# mobila_team measure; the rules propose it every time.
PASSING = [
    "Personalen i det mobila teamet har fått nya arbetstelefoner.",
    "I det mobila teamets lokaler har ventilationen byggts om.",
    "Sjuksköterskorna i mobila teamet har bytt schema till dagtid.",
    "I mobila teamet har två undersköterskor gått i pension.",
    "Bilarna i det mobila teamet har bytts ut mot elbilar.",
    "Chefen för mobila teamet har gått vidare till ett nytt jobb.",
    "Telefonerna i det mobila teamet har bytts ut under våren.",
    "I mobila teamet har sjukfrånvaron varit låg under året.",
    "Det mobila teamets kontor har flyttat till en annan våning.",
    "Schemat i mobila teamet har lagts om inför sommaren.",
    "I det mobila teamet har en ny kaffemaskin köpts in.",
    "Medarbetarna i mobila teamet har fått nya uniformer.",
    "Det mobila teamets parkeringsplatser har flyttats till gården.",
    "I mobila teamet har två sjuksköterskor gått ner i arbetstid.",
    "Lokalerna för det mobila teamet har målats om under hösten.",
    "I det mobila teamet har semesterplaneringen blivit klar i tid.",
]
UNREVIEWED = "I det mobila teamet har arbetstiderna ändrats under hösten."


def _store(path: Path) -> ProjectStore:
    store = ProjectStore(path)
    texts = PASSING + [UNREVIEWED]
    raw = [RawAnswer(f"Kommun {i}", "13a", t, position=i) for i, t in enumerate(texts)]
    store.import_parsed(ParsedFile("svar.txt", "txt", "sha-learning-test", 1, raw),
                        lambda a: Respondent(name=a.respondent, type="kommun"))
    return store


def _suggestion(store, text):
    aid = next(a.id for a in store.answers() if a.text == text)
    return [c for c in store.codings(answer_ids=[aid]) if c.code_id == "mobila_team" and c.decision == "suggested"]


def _reject_passing(store, *, background: bool, every: int) -> None:
    for a in store.answers():
        if a.text == UNREVIEWED:
            continue
        for c in store.codings(answer_ids=[a.id]):
            if c.decision == "suggested" and not c.negated:
                try:
                    store.decide(c.id, "rejected", "anna")
                except StoreError:
                    # a background re-decision dropped this suggestion after it was read (as in the app:
                    # the analyst is told the coding no longer exists)
                    assert background and not any(x.id == c.id for x in store.codings(answer_ids=[a.id]))
                    continue
                after_decision(store, every=every, background=background)


def test_retraining_after_decisions_changes_a_later_suggestion(tmp_path):
    store = _store(tmp_path / "p.sqlite")
    tag_project(store)
    first = _suggestion(store, UNREVIEWED)
    assert first, "the rules and the bundled disposer suggest mobila_team here before any review"
    assert learned_from(store) == 0
    _reject_passing(store, background=False, every=4)
    n = store.decision_count()
    assert n >= 4
    assert learned_from(store) >= 4  # trained (every 4 decisions) and stored with its decision count
    pos, neg, complete = decision_labels(store)
    assert not pos and len(neg) >= 4
    after = _suggestion(store, UNREVIEWED)
    # the unreviewed answer was re-decided: the suggestion is gone or clearly less confident (the
    # correction is shrunk toward the bundled disposer, so it takes many consistent decisions; with the
    # bundled disposer of 4 Dec 2026 sixteen rejections move it from 0.928 to 0.838, with that of main on 5 Dec
    # (59eb00a) from 0.967 to 0.899, with the one retrained on disposer_recall19 from 0.962 to 0.915)
    assert not after or after[0].confidence < first[0].confidence - 0.04
    # a fresh tagging of the project uses the project's stored disposer, not the bundled one
    assert project_disposer(store).n_train_ > 0
    # the stored model refers to the bundled text model instead of copying it, and gets it back on load
    doc = json.loads(store.project_model("disposer")[0].decode("utf-8"))
    assert doc["text_model"] is None and doc["text_model_bundled"] is True
    assert project_disposer(store).text_model_ is not None
    tag_project(store)
    again = _suggestion(store, UNREVIEWED)
    assert [c.confidence for c in again] == [c.confidence for c in after]
    store.close()


def test_background_retraining_does_not_block_and_stores_the_model(tmp_path):
    store = _store(tmp_path / "p.sqlite")
    tag_project(store)
    _reject_passing(store, background=True, every=3)
    wait_for_training(store, timeout=120)
    # a background training may have started before the last decisions; one more call catches up
    if store.decision_count() - learned_from(store) >= 3:
        after_decision(store, every=3, background=True)
        wait_for_training(store, timeout=120)
    assert learned_from(store) >= 3
    got = store.project_model("disposer")
    assert got is not None and json.loads(got[0].decode("utf-8"))["features"]
    store.close()


def test_project_models_table_keeps_the_latest_rows(tmp_path):
    store = ProjectStore(tmp_path / "m.sqlite")
    assert store.project_model("disposer") is None
    for n in range(5):
        store.save_project_model("disposer", f"m{n}".encode(), n)
    blob, n, at = store.project_model("disposer")
    assert (blob, n) == (b"m4", 4) and at
    with store.read() as con:
        assert con.execute("SELECT COUNT(*) FROM project_models").fetchone()[0] == 3
    store.close()


def _gold(path: Path, n: int) -> Path:
    lines = []
    for i in range(n):
        if i % 2:
            lines.append({"id": f"g{i}", "text": f"Kommun {i} har startat ett mobilt team som gör hembesök.",
                          "codes": ["mobila_team"]})
        else:
            lines.append({"id": f"g{i}", "text": f"Personalen i kommun {i}s mobila team har fått nya telefoner.",
                          "codes": []})
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    return path


def test_simulate_review_contract(tmp_path):
    gold = _gold(tmp_path / "gold.jsonl", 16)
    out = subprocess.run([sys.executable, "cli.py", "simulate-review", "--gold", str(gold), "--reviews", "10",
                          "--seed", "3"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    summary = json.loads(lines[-1])
    assert list(summary) == ["reviewed", "scored", "micro_f1_before", "micro_f1_after", "precision_before",
                             "precision_after", "recall_before", "recall_after"]
    assert summary["reviewed"] == 10 and summary["scored"] == 6
    assert all(0.0 <= summary[k] <= 1.0 for k in list(summary)[2:])
    assert any("mobila_team" in line for line in lines[:-1])  # the per-code table


def test_simulate_review_bad_gold_file(tmp_path):
    bad = tmp_path / "trasig.jsonl"
    bad.write_text("{inte json\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "cli.py", "simulate-review", "--gold", str(bad), "--reviews", "2"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 1
    assert "trasig.jsonl" in out.stderr


def test_granska_caption_says_how_many_decisions_wait_for_the_next_training(tmp_path, monkeypatch):
    import config
    from models.tagging import tag_project
    from ui import learning as ui_learning

    monkeypatch.setattr(config, "LEARN_EVERY", 20)
    store = _store(tmp_path / "p.sqlite")
    tag_project(store)
    assert ui_learning.caption(store) == "Förslagen lär sig av 0 beslut."
    open_ = [c for c in store.codings(decisions=["suggested"]) if not c.negated]
    for c in open_[:3]:
        store.decide(c.id, "rejected", "anna")
    assert ui_learning.caption(store) == ("Förslagen lär sig av 0 beslut. 3 nya beslut väntar; "
                                          "nästa inlärning efter 17 till.")


def test_a_stored_full_refit_model_without_correction_still_loads(tmp_path):
    from nlp.disposer_training import load_bundled

    store = _store(tmp_path / "p.sqlite")
    doc = load_bundled().to_json()
    doc.pop("correction")
    doc["text_model"], doc["text_model_bundled"] = None, True  # the stored form before corrections existed
    store.save_project_model("disposer", json.dumps(doc).encode("utf-8"), 7)
    d = project_disposer(store)
    assert d.correction_ is None and d.text_model_ is not None
    assert learned_from(store) == 7
    tag_project(store)
    assert _suggestion(store, UNREVIEWED)
    store.close()


def test_retraining_keeps_the_bundled_disposer_and_stores_a_per_code_correction(tmp_path):
    from nlp.disposer_training import load_bundled

    store = _store(tmp_path / "p.sqlite")
    tag_project(store)
    _reject_passing(store, background=False, every=4)
    d = project_disposer(store)
    corr = d.correction_
    assert corr is not None and corr["codes"]["mobila_team"] < 0
    assert np.allclose(d.coef_, load_bundled().coef_)  # the bundled model itself is not refitted
    assert load_bundled().correction_ is None  # the shared bundled disposer is left untouched
    store.close()


def test_dropped_proposals_of_fully_reviewed_answers_count_as_wrong(tmp_path):
    """An answer with no open suggestion left is fully reviewed: a rule proposal the disposer dropped
    and the analyst did not add back is a wrong example; one the analyst added by hand a kept one."""
    from models.analyses import analysed_answers, project_codebook
    from models.learning import project_examples
    from nlp.disposer_training import load_bundled

    store = _store(tmp_path / "p.sqlite")
    tag_project(store)
    answers = store.answers()
    cb = project_codebook(store)
    an = analysed_answers(store, answers)
    d = load_bundled()
    props, _, y, aids = project_examples(d, cb, answers, an, {}, {}, {answers[0].id})
    assert props and set(aids) == {answers[0].id} and set(y) == {0}
    props, _, y, aids = project_examples(d, cb, answers, an, {answers[1].id: {"mobila_team"}}, {}, set())
    assert [(p.code, lab, a) for p, lab, a in zip(props, y, aids)] == [("mobila_team", 1, answers[1].id)]
    store.close()


def test_a_code_added_by_hand_is_suggested_where_the_rules_miss_it(tmp_path):
    """Manual codes teach the project's suggester for codes the rules missed (origin 'model')."""
    from models.learning import retrain

    texts = [f"I kommun {i} får brukarna numera välja vilken dag hemtjänsten kommer." for i in range(6)]
    texts += PASSING[:6]  # reviewed too: their mobila_team suggestions are rejected
    texts += ["I kommun 99 får brukarna numera välja vilken dag hemtjänsten kommer."]
    store = ProjectStore(tmp_path / "m.sqlite")
    raw = [RawAnswer(f"Kommun {i}", "", t, position=i) for i, t in enumerate(texts)]
    store.import_parsed(ParsedFile("svar.txt", "txt", "sha-manual-test", 1, raw),
                        lambda a: Respondent(name=a.respondent, type="kommun"))
    tag_project(store)
    answers = store.answers()
    target = answers[-1]
    code = "personcentrerat_arbetssatt"

    def codes_of(a):
        return {c.code_id for c in store.codings(answer_ids=[a.id]) if not c.negated}

    assert code not in codes_of(target), "the rules do not propose the code here"
    for a in answers[:-1]:
        for c in store.codings(answer_ids=[a.id]):
            if c.decision == "suggested" and not c.negated:
                store.decide(c.id, "rejected", "anna")
        if "hemtjänsten" in a.text:
            store.add_manual_coding(a.id, code, 0, len(a.text), "anna")
    retrain(store)
    got = [c for c in store.codings(answer_ids=[target.id]) if c.code_id == code]
    assert got and got[0].decision == "suggested" and got[0].origin == "model"
    store.close()


# The same analyst keeps mobila_team where a team is started or runs a measure.
MEASURES = [
    "Kommunen har startat ett mobilt team som gör hembesök hos sköra äldre.",
    "Vi har infört ett mobilt team med läkare och sjuksköterska som åker hem till patienterna.",
    "Under året har ett mobilt team startats i samverkan med regionen.",
    "Ett mobilt team har inrättats för att undvika onödiga sjukhusbesök.",
    "Regionen har startat mobila team som besöker äldre i hemmet.",
    "Vi har startat ett mobilt närvårdsteam som gör hembesök.",
    "Ett mobilt team har införts i norra delen av länet.",
    "Ett nytt mobilt team har startat och gör hembesök dygnet runt.",
]
UNREVIEWED_MEASURE = "Kommunen har startat ett mobilt team som gör hembesök hos multisjuka."


def _mobila_team_logits(d, texts):
    from nlp.codebook import default_codebook
    from nlp.tagger import Tagger

    res = Tagger(default_codebook()).tag_texts(texts)
    props, X = d.features(res, [None] * len(texts))
    p = d.predict_proba_dicts(X, [q.code for q in props])
    got = {q.index: float(np.log(pr / (1.0 - pr))) for q, pr in zip(props, p.tolist()) if q.code == "mobila_team"}
    return [got[i] for i in range(len(texts))]


def test_retraining_learns_the_words_of_a_code_not_only_its_offset(tmp_path, monkeypatch):
    """With feature weights switched on (LAM_FEAT): rejected passing mentions and accepted measures of
    the same code: the project's correction weighs the clause's words crossed with the code, so a later
    passing mention loses more than a later measure (a per-code offset alone would move both by the same
    logit); the cross-validation over the reviewed answers keeps the weights."""
    from models import learning
    from models.learning import retrain
    from nlp.disposer_training import load_bundled

    monkeypatch.setattr(learning, "LAM_FEAT", 3.0)

    texts = PASSING + MEASURES + [UNREVIEWED, UNREVIEWED_MEASURE]
    store = ProjectStore(tmp_path / "w.sqlite")
    raw = [RawAnswer(f"Kommun {i}", "13a", t, position=i) for i, t in enumerate(texts)]
    store.import_parsed(ParsedFile("svar.txt", "txt", "sha-words-test", 1, raw),
                        lambda a: Respondent(name=a.respondent, type="kommun"))
    tag_project(store)
    for a in store.answers():
        if a.text in (UNREVIEWED, UNREVIEWED_MEASURE):
            continue
        for c in store.codings(answer_ids=[a.id]):
            if c.decision == "suggested" and not c.negated:
                keep = c.code_id == "mobila_team" and a.text in MEASURES
                store.decide(c.id, "accepted" if keep else "rejected", "anna")
        if a.text in MEASURES and not any(c.code_id == "mobila_team" for c in store.codings(answer_ids=[a.id])):
            store.add_manual_coding(a.id, "mobila_team", 0, len(a.text), "anna")
    retrain(store)
    d = project_disposer(store)
    assert d.correction_ and d.correction_.get("features")  # stored with the project and loaded back
    before = _mobila_team_logits(load_bundled(), [UNREVIEWED, UNREVIEWED_MEASURE])
    after = _mobila_team_logits(d, [UNREVIEWED, UNREVIEWED_MEASURE])
    shift_passing, shift_measure = after[0] - before[0], after[1] - before[1]
    assert shift_passing < -0.5
    assert shift_passing < shift_measure - 0.5
    # the unreviewed answers were re-decided with it: the passing mention is no longer suggested as
    # confidently, the measure still is
    measure = _suggestion(store, UNREVIEWED_MEASURE)
    assert measure and measure[0].confidence >= d.threshold
    passing = _suggestion(store, UNREVIEWED)
    assert not passing or passing[0].confidence < measure[0].confidence - 0.05
    store.close()


def test_project_threshold_follows_the_decisions_shrunk_toward_the_bundled_one():
    from models.learning import project_threshold

    # the analyst kept every proposal from 0.40 up and rejected those below: the best F1 on the
    # decisions is at 0.40, and the bundled 0.64 has the weight of 100 decisions
    p = np.asarray([0.30, 0.34, 0.36, 0.40, 0.45, 0.50, 0.55, 0.60, 0.70, 0.80, 0.90, 0.95] * 10)
    y = (p >= 0.40).astype(int)
    t = project_threshold(p, y, 0, 0.64, prior=100.0)
    assert t == round(0.64 + (0.40 - 0.64) * 120 / 220, 4)
    assert project_threshold(p, y, 0, 0.64, prior=1e9) == 0.64  # a strong prior keeps the bundled one
    assert project_threshold(p[:0], y[:0], 0, 0.64) == 0.64  # no decisions: the bundled threshold
    # proposals the analyst rejected up to 0.80 raise it
    y2 = (p >= 0.80).astype(int)
    assert 0.64 < project_threshold(p, y2, 0, 0.64, prior=100.0) < 0.80


def test_the_project_threshold_out_of_fold_is_not_fooled_by_offsets_fitted_on_the_same_answers(monkeypatch):
    """The bundled disposer is too confident (its proposals are right only from p 0.73 up, its threshold
    is 0.6) and every code is decided in one answer only. The per-code offsets fitted on those answers
    pull their own wrong proposals below the threshold, so in sample a low threshold looks good enough.
    Held out, a code's offset was never seen (its probability is the bundled one): the out-of-fold
    threshold is the one the bundled probabilities support, and it scores better on new answers."""
    from models import learning
    from nlp.disposer import Disposer

    class Fixed(Disposer):  # a bundled disposer whose logit is the proposal's "z"
        def logit_dicts(self, X):
            return np.asarray([f["z"] for f in X], dtype=float)

    def answers(rng, n, tag):
        X, codes, y, groups = [], [], [], []
        for i in range(n):
            z = rng.uniform(-2, 3)
            for _ in range(3):
                X.append({"z": z})
                codes.append(f"{tag}{i}")
                y.append(int(z > 1.0))
                groups.append(f"{tag}{i}")
        return X, codes, np.asarray(y), groups

    base = Fixed(threshold=0.6)
    X, codes, y, groups = answers(np.random.RandomState(0), 60, "c")
    # the threshold modes alone: the best F1 rule, every part the plain cross-validation passes kept
    monkeypatch.setattr(learning, "THRESHOLD_Q", None)
    monkeypatch.setattr(learning, "THRESHOLD_K", None)
    monkeypatch.setattr(learning, "CV_Q", None)
    got = {}
    for mode in ("insample", "oof"):
        monkeypatch.setattr(learning, "THRESHOLD_FIT", mode)
        d = learning.fit_project(base, X, codes, y, lam_code=3.0, lam_feat=None, threshold_prior=0.0, groups=groups)
        assert d.correction_ is not None and d.correction_["codes"]  # the offsets are kept either way
        got[mode] = d.threshold
    on_bundled = learning.project_threshold(base.predict_proba_dicts(X), y, 0, 0.6, prior=0.0)
    assert got["oof"] == on_bundled > got["insample"] + 0.05
    # new answers of codes nobody decided: the out-of-fold threshold scores better
    Xn, _, yn, _ = answers(np.random.RandomState(1), 1000, "n")
    pn = base.predict_proba_dicts(Xn)

    def f1(t):
        return 2 * int(np.sum((pn >= t) & (yn == 1))) / (int(np.sum(pn >= t)) + int(np.sum(yn == 1)))

    assert f1(got["oof"]) > f1(got["insample"]) + 0.03
    # the bundled disposer alone: no correction, its threshold chosen on its own probabilities
    monkeypatch.setattr(learning, "THRESHOLD_FIT", "bundled")
    d = learning.fit_project(base, X, codes, y, lam_code=3.0, lam_feat=None, threshold_prior=0.0, groups=groups)
    assert d.correction_ is None and d.threshold == on_bundled


# Written for this test (no sentence of any evaluation set): a joint group of a health centre and the
# kommun's elderly care that deals with staff matters only. The shipped proposer reads the joint group
# as local collaboration (samverkan_verksamhetsnara, no codebook rule matches); this project's analyst
# rejects every such suggestion.
STAFF_GROUPS = [
    "Hälsocentralen och äldreomsorgen har bildat en gemensam grupp som ses varje månad för att planera "
    "sommarens semestrar.",
    "Hälsocentralen och äldreomsorgen i kommunen har en gemensam grupp som ses varje månad för att planera "
    "personalfesten.",
    "Vårdcentralen och äldreomsorgen har bildat en gemensam grupp som ses varje månad för att samordna "
    "parkeringsplatserna.",
    "Hälsocentralen och äldreomsorgen i kommunen har bildat en gemensam grupp som ses varje månad för att "
    "fördela lokalerna.",
    "Hälsocentralen och äldreomsorgen har en gemensam grupp som ses varje månad för att planera julbordet.",
    "Hälsocentralen och äldreomsorgen i kommunen har bildat en gemensam grupp som ses varje månad för att "
    "beställa kontorsmaterial.",
]
STAFF_UNREVIEWED = ("Hälsocentralen och äldreomsorgen i kommunen har bildat en gemensam grupp som ses varje månad "
                    "för att planera sommarens semestrar.")
GROUP_CODE = "samverkan_verksamhetsnara"


def test_rejected_proposer_codes_raise_the_projects_threshold_for_later_answers(tmp_path, monkeypatch):
    import copy

    from models.learning import project_proposer
    from nlp import proposer as proposer_module
    from nlp.proposer import load_bundled_proposer

    bundled = load_bundled_proposer()
    if bundled is None:
        import pytest

        pytest.skip("no shipped proposer")
    eager = copy.copy(bundled)  # at 0.8 the shipped proposer suggests the code on every staff-group answer
    eager.threshold, eager.thresholds = 0.8, {}
    # the default tagging and the project's learning both take the shipped proposer from nlp.proposer
    monkeypatch.setattr(proposer_module, "shipped_proposer", lambda *a, **k: eager)
    store = ProjectStore(tmp_path / "p.sqlite")
    texts = STAFF_GROUPS + [STAFF_UNREVIEWED]
    raw = [RawAnswer(f"Region {i}", "", t, position=i) for i, t in enumerate(texts)]
    store.import_parsed(ParsedFile("svar.txt", "txt", "sha-proposer-learning", 1, raw),
                        lambda a: Respondent(name=a.respondent, type="region"))
    tag_project(store)

    def model_suggestion(text):
        aid = next(a.id for a in store.answers() if a.text == text)
        return [c for c in store.codings(answer_ids=[aid])
                if c.code_id == GROUP_CODE and c.decision == "suggested" and c.origin == "model"]

    assert all(model_suggestion(t) for t in texts), "the proposer suggests the code on every answer before review"
    assert project_proposer(store).threshold_for(GROUP_CODE) == 0.8
    for a in store.answers():
        if a.text == STAFF_UNREVIEWED:
            continue
        for c in store.codings(answer_ids=[a.id]):
            if c.decision == "suggested" and not c.negated:
                store.decide(c.id, "rejected", "anna")
                # one retrain after the whole review: an earlier one may re-decide a low suggestion away before
                # the analyst sees it, which leaves fewer rejections and ties the figure to the shipped model's
                # exact probabilities
                after_decision(store, every=len(STAFF_GROUPS), background=False)
    learned = project_proposer(store)
    assert learned.threshold_for(GROUP_CODE) > 0.9  # the project's rejections raised the code's threshold
    assert eager.threshold_for(GROUP_CODE) == 0.8  # on a copy: the shared shipped proposer is unchanged
    assert not model_suggestion(STAFF_UNREVIEWED), "the unreviewed answer was re-decided with the project's threshold"
    # a new tagging of the project (as after an import) keeps the project's threshold
    tag_project(store)
    assert not model_suggestion(STAFF_UNREVIEWED)


class _Codes:
    """A proposer's code list and thresholds only (what fit_proposer_thresholds reads)."""

    codes_ = ["a", "b", "c"]
    threshold = 0.9

    def threshold_for(self, code):
        return self.threshold


def test_proposer_thresholds_follow_rejections_and_manual_codes():
    from models.learning import fit_proposer_thresholds

    pm = _Codes()
    # code a: proposed at 0.95 and rejected five times; code b: at 0.6 and added by hand five times;
    # code c: found by the rules every time (never the proposer's)
    P = np.array([[0.95, 0.6, 0.99]] * 5)
    th = fit_proposer_thresholds(pm, P, [{"c"}] * 5, [{"b", "c"}] * 5, [{"a"}] * 5, [True] * 5, lam=1.0,
                                 min_p=0.05, min_threshold=0.5)
    assert th["a"] > 0.95 and 0.5 <= th["b"] < 0.85 and "c" not in th
    # fewer decisions move the thresholds less (the offsets are shrunk toward the shipped proposer)
    th1 = fit_proposer_thresholds(pm, P[:1], [{"c"}], [{"b", "c"}], [{"a"}], [True], lam=1.0, min_p=0.05,
                                  min_threshold=0.5)
    assert 0.9 < th1["a"] < th["a"] and th["b"] < th1["b"] < 0.9
    # a code neither kept nor said to be wrong in an answer still under review teaches nothing
    assert fit_proposer_thresholds(pm, P[:1], [set()], [set()], [set()], [False], lam=1.0) == {}
    # no correction when switched off
    assert fit_proposer_thresholds(pm, P, [{"c"}] * 5, [{"b"}] * 5, [{"a"}] * 5, [True] * 5, lam=None) == {}


# Written for this test: the same measure (a kommun starts a mobile team making home visits) in twenty
# places. The analyst of this project keeps the code in every fourth answer only, for a reason the words
# do not show; a later answer with the same measure must not lose its suggestion because of it.
TEAM_PLACES = ["Kiruna", "Gällivare", "Pajala", "Arjeplog", "Jokkmokk", "Överkalix", "Haparanda", "Kalix", "Boden",
               "Luleå", "Piteå", "Älvsbyn", "Arvidsjaur", "Övertorneå", "Sorsele", "Storuman", "Lycksele",
               "Vilhelmina", "Dorotea", "Åsele"]
TEAM_FOR = ["sköra äldre", "multisjuka", "personer med demens", "barn med funktionsnedsättning",
            "patienter i livets slut"]
TEAM_UNREVIEWED = "I Malå har kommunen startat ett mobilt team som gör hembesök hos sköra äldre."


def test_decisions_the_words_do_not_explain_no_longer_drop_a_later_true_proposal(monkeypatch):
    """The project's correction is checked by cross-validation over the reviewed answers: decisions that
    no held-out answer confirms leave the bundled disposer as it is. Unchecked (CV_FOLDS 0, the earlier
    learning, with feature weights) the clause's words shared with the rejected answers drop the later
    measure."""
    from models import learning
    from nlp.codebook import default_codebook
    from nlp.disposer_training import load_bundled
    from nlp.tagger import Tagger

    texts = [f"I {p} har kommunen startat ett mobilt team som gör hembesök hos {TEAM_FOR[i % 5]}."
             for i, p in enumerate(TEAM_PLACES)]
    d = load_bundled()
    res = Tagger(default_codebook()).tag_texts(texts + [TEAM_UNREVIEWED])
    props, X = d.features(res, [None] * len(res))
    ks = [k for k, p in enumerate(props) if p.index < len(texts)]
    y = [int(props[k].code == "mobila_team" and props[k].index % 4 == 0) for k in ks]
    later = [X[k] for k, p in enumerate(props) if p.index == len(texts) and p.code == "mobila_team"]
    assert later and d.predict_proba_dicts(later)[0] >= d.threshold  # suggested before any review

    def fitted(folds: int, lam_feat):
        monkeypatch.setattr(learning, "CV_FOLDS", folds)
        return learning.fit_project(d, [X[k] for k in ks], [props[k].code for k in ks], y, lam_feat=lam_feat,
                                    groups=[props[k].index for k in ks])

    old = fitted(0, 3.0)  # the earlier learning: feature weights of strength 3, unchecked
    assert old.predict_proba_dicts(later, ["mobila_team"])[0] < old.threshold
    checked = fitted(5, 3.0)  # the check alone keeps it
    assert checked.predict_proba_dicts(later, ["mobila_team"])[0] >= checked.threshold
    new = fitted(5, learning.LAM_FEAT)
    assert new.predict_proba_dicts(later, ["mobila_team"])[0] >= new.threshold


def test_the_cross_validated_correction_keeps_what_held_out_answers_confirm():
    """Consistent decisions (every proposal of one code in a clause of one kind is wrong) pass the check:
    the correction stays and drops the code's later proposals of that kind."""
    from models.learning import cv_choice
    from nlp.codebook import default_codebook
    from nlp.disposer_training import load_bundled
    from nlp.tagger import Tagger

    d = load_bundled()
    texts = PASSING + MEASURES
    res = Tagger(default_codebook()).tag_texts(texts)
    props, X = d.features(res, ["13a"] * len(texts))
    y = [int(p.code == "mobila_team" and texts[p.index] in MEASURES) for p in props]
    got = cv_choice(d, X, [p.code for p in props], y, [p.index for p in props], 3.0, 3.0, 100.0)
    assert got, "held-out answers confirm the correction"
    # too few answers to check: the full correction, unchecked
    assert cv_choice(d, X[:3], [p.code for p in props[:3]], y[:3], [0, 1, 2], 3.0, 3.0, 100.0) == [(3.0, 3.0, 100.0)]


class _FixedLogit:
    """Helpers for a bundled disposer whose logit is the proposal's "z" (decisions drawn by hand)."""

    @staticmethod
    def disposer(threshold: float = 0.6):
        from nlp.disposer import Disposer

        class Fixed(Disposer):
            def logit_dicts(self, X):
                return np.asarray([f["z"] for f in X], dtype=float)

        return Fixed(threshold=threshold)

    @staticmethod
    def z(p: float) -> float:
        return float(np.log(p / (1 - p)))


def test_a_few_rejections_near_the_line_do_not_raise_the_project_threshold(monkeypatch):
    """100 reviewed answers, every suggestion right from p 0.75 up; two answers hold a wrong suggestion at
    0.70 and 0.72, one a right one at 0.66. The best F1 on these decisions is above 0.72 (two false
    positives go for one true positive), so the earlier rule (THRESHOLD_Q None) raised the project
    threshold over 0.68 and dropped right suggestions there in every later answer. Three answers are no
    evidence of a move: under resamples of the reviewed answers the gain is as often a loss, and the
    threshold stays. Ten answers with wrong suggestions in the band do move it."""
    from models import learning

    def decisions(n_wrong: int):
        p, y, g = [], [], []
        for i in range(100):
            for k in range(2):
                p.append(0.75 + 0.24 * ((i * 7 + k * 3) % 25) / 24)
                y.append(1)
                g.append(i)
        for j in range(n_wrong):
            p.append(0.70 + 0.02 * (j % 2))
            y.append(0)
            g.append(j)
        p.append(0.66)
        y.append(1)
        g.append(50)
        return np.asarray(p), np.asarray(y), g

    p, y, g = decisions(2)
    assert learning.project_threshold(p, y, 0, 0.6, prior=100.0, groups=g) == 0.6  # the shipped rule
    monkeypatch.setattr(learning, "THRESHOLD_Q", None)
    monkeypatch.setattr(learning, "THRESHOLD_K", None)
    assert learning.project_threshold(p, y, 0, 0.6, prior=100.0, groups=g) > 0.68  # the earlier rule
    monkeypatch.undo()
    p, y, g = decisions(10)
    assert learning.project_threshold(p, y, 0, 0.6, prior=100.0, groups=g) > 0.68


def test_rejections_no_held_out_answer_confirms_leave_the_code_alone_elsewhere(monkeypatch):
    """Six answers reject a code (sip) in one context (a "möte" mention, p 0.80), 94 answers accept other
    codes. Fitted on the other folds, the code's offset never drops a held-out rejection below the line,
    so the held-out decisions gain nothing from the correction; the earlier check kept a correction that
    gains nothing (gain >= 0) and it dropped a right sip suggestion at 0.66 in another context of a later
    answer. The correction is now kept only when resamples of the held-out answers show a gain."""
    from models import learning

    fx = _FixedLogit
    base = fx.disposer(0.6)
    X, codes, y, groups = [], [], [], []
    for i in range(100):
        if i < 6:
            X.append({"z": fx.z(0.80), "ctx:möte": 1.0})
            codes.append("sip")
            y.append(0)
        else:
            X.append({"z": fx.z(0.80 + 0.19 * (i % 10) / 9), "ctx:plan": 1.0})
            codes.append(f"kod{i % 7}")
            y.append(1)
        groups.append(i)
    later = [{"z": fx.z(0.66), "ctx:hembesök": 1.0}]

    def later_p():
        d = learning.fit_project(base, X, codes, y, lam_code=3.0, lam_feat=3.0, threshold_prior=100.0,
                                 groups=groups)
        return float(d.predict_proba_dicts(later, ["sip"])[0]), d.threshold

    p_new, t_new = later_p()  # the shipped settings
    assert p_new >= t_new and p_new == pytest.approx(0.66)
    # the earlier check (a part is kept when its held-out gain is >= 0, the best-F1 threshold in sample)
    monkeypatch.setattr(learning, "CV_Q", None)
    monkeypatch.setattr(learning, "THRESHOLD_Q", None)
    monkeypatch.setattr(learning, "THRESHOLD_K", None)
    monkeypatch.setattr(learning, "THRESHOLD_FIT", "insample")
    p_old, t_old = later_p()
    assert p_old < t_old  # the right suggestion was dropped


def test_the_proposers_thresholds_move_only_when_held_out_texts_confirm_it(monkeypatch):
    """40 reviewed texts; the proposer suggests code x at 0.75 (its threshold 0.7) in five of them, three
    rejected and two kept. The per-code offset raises x's threshold over 0.75, which would drop the right
    suggestions as well as the wrong ones in later texts. Fitted on folds of the texts, the change fixes
    held-out rejections and breaks held-out accepts about equally: the shipped thresholds stay. Ten
    rejections and no accept do move it."""
    from models import learning

    class Stub:
        codes_ = ["x", "y"]

        @staticmethod
        def threshold_for(code):
            return 0.7

    def texts(n_wrong, n_right):
        P = np.full((40, 2), 0.01)
        kept = [{"z"} for _ in range(40)]  # every text also holds a code the rules found and the analyst kept
        for i in range(n_wrong + n_right):
            P[i * 3 % 40, 0] = 0.75
            if i >= n_wrong:
                kept[i * 3 % 40].add("x")
        return P, [{"z"} for _ in range(40)], kept, [set() for _ in range(40)], [True] * 40

    P, ruled, kept, wrong, complete = texts(3, 2)
    assert learning.fit_proposer_thresholds(Stub, P, ruled, kept, wrong, complete) == {}
    monkeypatch.setattr(learning, "PROP_CV_Q", None)  # unchecked: the threshold rises over the accepts
    assert learning.fit_proposer_thresholds(Stub, P, ruled, kept, wrong, complete)["x"] > 0.75
    monkeypatch.undo()
    P, ruled, kept, wrong, complete = texts(10, 0)
    assert learning.fit_proposer_thresholds(Stub, P, ruled, kept, wrong, complete)["x"] > 0.75


def test_a_band_of_rejections_as_many_as_its_probabilities_expect_does_not_raise_the_line(monkeypatch):
    """100 reviewed answers, every suggestion right from p 0.78 up; seven answers hold suggestions in the
    band 0.64–0.70 just above the bundled line 0.6, five of them wrong and two right. The resamples of the
    answers agree that raising the line gains on these decisions (the bootstrap rule alone, THRESHOLD_K
    None, raises it over 0.66, as it raised blind_round16's from 0.60 to 0.75); but a band at p ~0.67 is
    expected to hold two or three wrong suggestions in seven, and this is no evidence that its precision
    is below the break-even (half the micro-F1, ~0.49), where dropping it would gain. On later answers
    where the disposer's probabilities hold (calibrated), the raised line loses recall for less precision;
    the raise is not confirmed and the line stays. Twelve rejections against two accepts do move it."""
    from models import learning

    def decisions(n_wrong: int, n_right: int):
        p, y, g = [], [], []
        for i in range(100):
            for k in range(2):
                p.append(0.78 + 0.21 * ((i * 7 + k * 3) % 25) / 24)
                y.append(1)
                g.append(i)
        for j in range(n_wrong):
            p.append(0.64 + 0.02 * (j % 4))
            y.append(0)
            g.append(j)
        for j in range(n_right):
            p.append(0.66 + 0.04 * (j % 2))
            y.append(1)
            g.append(60 + j)
        return np.asarray(p), np.asarray(y), g

    p, y, g = decisions(5, 2)
    shipped = learning.project_threshold(p, y, 0, 0.6, prior=100.0, groups=g)
    assert shipped == 0.6
    monkeypatch.setattr(learning, "THRESHOLD_K", None)
    bootstrap = learning.project_threshold(p, y, 0, 0.6, prior=100.0, groups=g)
    assert bootstrap > 0.66
    monkeypatch.undo()
    # later answers whose suggestions are right as often as their probability says
    rng = np.random.RandomState(0)
    pn = rng.uniform(0.3, 1.0, 20000)
    yn = (rng.uniform(size=pn.size) < pn).astype(int)

    def f1(t):
        return 2 * int(np.sum((pn >= t) & (yn == 1))) / (int(np.sum(pn >= t)) + int(np.sum(yn == 1)))

    assert f1(shipped) > f1(bootstrap) + 0.005
    p, y, g = decisions(12, 2)
    assert learning.project_threshold(p, y, 0, 0.6, prior=100.0, groups=g) > 0.66


def _suggest(tokens, labels, shown, rest, guard: bool):
    """The missed-code suggester's additions to the answers ``rest`` after the reviewed answers (``tokens``,
    kept codes ``labels``, every code added by hand since the tagging showed none), with or without the
    out-of-fold check of each code (learning.suggestion_confirmed)."""
    from models.learning import (SUGGEST_THRESHOLD, break_even, missed_code_probs, suggestion_confirmed,
                                 suggestion_evidence)

    missed = sorted({c for lab in labels for c in lab})
    probs = missed_code_probs(tokens, labels, missed, rest)
    add = [{c for c, p in pr.items() if p >= SUGGEST_THRESHOLD} for pr in probs]
    if guard:
        ev = suggestion_evidence(tokens, labels, labels, shown, set(missed))
        even = break_even(shown, labels)
        add = [{c for c in a if suggestion_confirmed(*ev.get(c, (0, 0)), even)} for a in add]
    return add


def test_a_hand_added_code_the_held_out_answers_do_not_confirm_is_not_suggested(monkeypatch):
    """30 reviewed answers: the analyst added code Y by hand in six answers about night patrols and code X
    in two answers about safety alarms (in two folds; "natt" also in answers without X). Fitted on all of them the
    suggester puts X on every later answer with those words (wrong there) and Y where it belongs; out of
    fold, X is never confirmed (its two examples cannot teach the held-out answers) and Y is. The earlier
    rule (SUGGEST_K None) loses precision on the later answers, the check keeps Y's recall and drops X."""
    from models import learning

    monkeypatch.setattr(learning, "SUGGEST_K", 4.0)
    monkeypatch.setattr(learning, "SUGGEST_CONF", 0.6)
    monkeypatch.setattr(learning, "SUGGEST_THRESHOLD", 0.7)  # two examples among 30 reach ~0.75
    tokens, labels = [], []
    for i in range(30):
        if i in (1, 7, 13, 19, 22, 28):
            tokens.append(["nattpatrull", "hembesök", f"ort{i}"])
            labels.append({"Y"})
        elif i in (4, 16):
            tokens.append(["trygghetslarm", "larmknapp", "natt"])
            labels.append({"X"})
        else:
            tokens.append(["natt", f"ord{i}", "personal"] if i % 3 == 0 else [f"ord{i}", "budget"])
            labels.append(set())
    shown = [{"A"} if i % 2 else set() for i in range(30)]  # the rules' codes, all wrong and all rejected
    labels_full = labels
    rest = [["nattpatrull", "hembesök"], ["nattpatrull", "kväll"], ["trygghetslarm", "larmknapp", "natt"],
            ["trygghetslarm", "larmknapp", "kväll"]]
    gold = [{"Y"}, {"Y"}, set(), set()]

    def f1(add):
        tp = sum(len(a & g) for a, g in zip(add, gold))
        fp = sum(len(a - g) for a, g in zip(add, gold))
        fn = sum(len(g - a) for a, g in zip(add, gold))
        return 2 * tp / max(1, 2 * tp + fp + fn)

    old = _suggest(tokens, labels_full, shown, rest, guard=False)
    new = _suggest(tokens, labels_full, shown, rest, guard=True)
    assert "X" in old[2] and "X" in old[3], "fitted on every answer the suggester puts X on its words"
    assert new[0] == {"Y"} and new[1] == {"Y"} and not new[2] and not new[3]
    assert f1(new) > f1(old)
    ev = learning.suggestion_evidence(tokens, labels_full, labels_full, shown, {"X", "Y"})
    assert ev["Y"][0] >= 3 and ev["Y"][1] == 0 and "X" not in ev
    # the check off: every suggestion kept
    monkeypatch.setattr(learning, "SUGGEST_K", None)
    assert _suggest(tokens, labels_full, shown, rest, guard=True) == old


def test_a_suggestion_needs_held_out_evidence_above_the_break_even():
    from models.learning import suggestion_confirmed

    assert not suggestion_confirmed(0, 0, 0.47, k=4.0, conf=0.6)  # no held-out suggestion: not confirmed
    assert suggestion_confirmed(2, 0, 0.47, k=4.0, conf=0.6)
    assert not suggestion_confirmed(1, 1, 0.47, k=4.0, conf=0.6)
    assert not suggestion_confirmed(1, 3, 0.47, k=4.0, conf=0.6)
    assert suggestion_confirmed(3, 1, 0.47, k=4.0, conf=0.6)


def test_retraining_keeps_a_confirmed_hand_added_code_and_drops_an_unconfirmed_one(tmp_path, monkeypatch):
    """The whole retraining (store, decisions, retrain): the analyst adds personcentrerat_arbetssatt by hand
    to six answers about brukare choosing the day of their home care (spread over the folds of the reviewed
    answers) and glesbygd to two answers about a coffee machine and a car park. Fitted on every reviewed answer, both
    suggesters put their code on a later answer with the same words; out of fold, personcentrerat_arbetssatt
    is confirmed (each fold's answers get it from the other folds' five examples) and glesbygd is not (the
    two examples share no words: one cannot teach the other), so the later coffee-machine answer — no glesbygd measure — is left alone
    while the later home-care answer keeps its learned suggestion. Without the check (SUGGEST_K None) the
    coffee-machine answer gets glesbygd."""
    from models import learning
    from models.learning import retrain

    monkeypatch.setattr(learning, "SUGGEST_THRESHOLD", 0.6)
    monkeypatch.setattr(learning, "SUGGEST_K", 4.0)
    monkeypatch.setattr(learning, "SUGGEST_CONF", 0.6)
    right, wrong = "personcentrerat_arbetssatt", "glesbygd"
    reviewed = []
    passing = iter(PASSING)
    for i in range(20):
        if i in (0, 3, 6, 9, 12, 16):
            reviewed.append((f"I kommun {i} får brukarna numera välja vilken dag hemtjänsten kommer.", right))
        elif i == 2:
            reviewed.append(("Kaffeautomaten i entrén byttes ut i mars.", wrong))
        elif i == 8:
            reviewed.append(("Parkeringen fick ny asfalt efter vintern.", wrong))
        else:
            reviewed.append((next(passing), None))  # its mobila_team suggestion rejected: reviewed
    later = ["I kommun 98 får brukarna numera välja vilken dag hemtjänsten kommer.",
             "Kaffeautomaten i entrén byttes ut i april."]

    def run(path):
        store = ProjectStore(path)
        raw = [RawAnswer(f"Kommun {i}", "", t, position=i) for i, t in enumerate([t for t, _ in reviewed] + later)]
        store.import_parsed(ParsedFile("svar.txt", "txt", "sha-check-test", 1, raw),
                            lambda a: Respondent(name=a.respondent, type="kommun"))
        tag_project(store)
        answers = store.answers()
        for a, (_, code) in zip(answers, reviewed):
            for c in store.codings(answer_ids=[a.id]):
                if c.decision == "suggested" and not c.negated:
                    store.decide(c.id, "rejected", "anna")
            if code:
                store.add_manual_coding(a.id, code, 0, len(a.text), "anna")
        retrain(store)
        got = [{c.code_id for c in store.codings(answer_ids=[a.id]) if c.decision == "suggested"
                and c.origin == "model"} for a in answers[-2:]]
        store.close()
        return got

    home, coffee = run(tmp_path / "a.sqlite")
    assert right in home, "the confirmed hand-added code is still suggested on a later answer"
    assert wrong not in coffee, "the unconfirmed hand-added code is not"
    monkeypatch.setattr(learning, "SUGGEST_K", None)
    home0, coffee0 = run(tmp_path / "b.sqlite")
    assert right in home0 and wrong in coffee0, "without the check the suggester puts both on the later answers"


def _band_project(n_kept: int, n_band: int):
    """100 reviewed answers whose suggestions (p >= 0.75) the analyst all kept, and ``n_band`` answers with a
    rule proposal in the band 0.46-0.58 just below the bundled line 0.6 (dropped by the disposer), of which
    the analyst added ``n_kept`` back by hand (each answer its own code, so no per-code offset can hold out
    of fold)."""
    p, codes, y, g = [], [], [], []
    for i in range(100):
        for k in range(2):
            p.append(0.75 + 0.24 * ((i * 7 + k * 3) % 25) / 24)
            codes.append(f"c{i}")
            y.append(1)
            g.append(i)
    for j in range(n_band):
        p.append(0.46 + 0.12 * (j % 7) / 6)
        codes.append(f"b{j}")
        y.append(int(j < n_kept))
        g.append(j)
    return np.asarray(p), codes, np.asarray(y), g


def test_a_band_below_the_line_the_analyst_keeps_lowers_it_even_when_no_offset_holds(monkeypatch):
    """A project whose answers the disposer underrates: the analyst adds back by hand 11 of the 15 proposals
    the disposer dropped just below its line (as on a hard set, where half the misses are such proposals).
    No per-code offset passes the cross-validation (every code is decided in one answer only), and before,
    the project threshold then stayed the bundled one whatever the decisions showed: nothing reached the
    answers nobody reviewed. With THRESHOLD_ALONE the threshold is chosen on the bundled probabilities and
    moves down, and a later proposal at 0.52 is suggested (THRESHOLD_ALONE and LOWER_K are off by default: on
    blind_round23 the CLI's precision fell by 0.0115 with them, beyond issue 13's 0.01)."""
    from models import learning
    from nlp.disposer import Disposer

    class Fixed(Disposer):  # a bundled disposer whose logit is the proposal's "z"
        def logit_dicts(self, X):
            return np.asarray([f["z"] for f in X], dtype=float)

    p, codes, y, g = _band_project(11, 15)
    X = [{"z": float(np.log(q / (1 - q)))} for q in p]
    base = Fixed(threshold=0.6)
    assert learning.cv_choice(base, X, codes, y, g, 3.0, None, 100.0) == []
    monkeypatch.setattr(learning, "LOWER_K", 10.0)
    monkeypatch.setattr(learning, "LOWER_CODES", None)  # the whole line (with LOWER_CODES: per code, next tests)
    monkeypatch.setattr(learning, "THRESHOLD_ALONE", False)
    before = learning.fit_project(base, X, codes, y, lam_code=3.0, lam_feat=None, threshold_prior=100.0, groups=g)
    assert before.threshold == 0.6
    monkeypatch.setattr(learning, "THRESHOLD_ALONE", True)
    after = learning.fit_project(base, X, codes, y, lam_code=3.0, lam_feat=None, threshold_prior=100.0, groups=g)
    assert after.threshold < 0.52 <= before.threshold
    later = after.predict_proba_dicts([{"z": float(np.log(0.52 / 0.48))}])[0]
    assert before.threshold > later >= after.threshold


def test_a_band_below_the_line_the_analyst_mostly_leaves_out_keeps_it(monkeypatch):
    """The harm case: on sets the bundled disposer fits, the proposals just below its line are mostly wrong
    (the analyst adds back 2 of 12, or 1 of 3). The line must not move down for every later answer: the
    bootstrap rule keeps it for the first, and the band's Beta check (LOWER_K: a posterior above the
    break-even with probability LOWER_CONF) for a band too small to show anything."""
    from models import learning

    monkeypatch.setattr(learning, "THRESHOLD_ALONE", True)
    monkeypatch.setattr(learning, "LOWER_K", 10.0)
    for kept, band in ((2, 12), (1, 3)):
        p, _, y, g = _band_project(kept, band)
        assert learning.project_threshold(p, y, 0, 0.6, prior=100.0, groups=g) == 0.6
    assert not learning.lower_confirmed(*_band_project(1, 3)[::2], 0, 0.6, 0.46)
    p, _, y, _ = _band_project(11, 15)
    assert learning.lower_confirmed(p, y, 0, 0.6, 0.46)


def _code_band_project(bands):
    """100 reviewed answers whose suggestions (p >= 0.75) the analyst all kept, and per code of ``bands``
    ((code, kept, dropped), ...) proposals in 0.42-0.58, just below the bundled line 0.6, each in its own
    answer: ``kept`` of them added back by hand, ``dropped`` left out."""
    p, codes, y, g = [], [], [], []
    for i in range(100):
        p.append(0.75 + 0.24 * ((i * 7) % 25) / 24)
        codes.append(f"c{i % 10}")
        y.append(1)
        g.append(i)
    j = 0
    for code, kept, dropped in bands:
        for lab in [1] * kept + [0] * dropped:
            p.append(0.42 + 0.16 * (j % 5) / 4)
            codes.append(code)
            y.append(lab)
            g.append(1000 + j)
            j += 1
    return np.asarray(p), codes, np.asarray(y), g


class _FixedZ:
    """A bundled disposer whose logit is the proposal's "z" (made lazily: Disposer's import is heavy)."""

    def __new__(cls, threshold):
        from nlp.disposer import Disposer

        class Fixed(Disposer):
            def logit_dicts(self, X):
                return np.asarray([f["z"] for f in X], dtype=float)

        return Fixed(threshold=threshold)


def _z(q):
    return {"z": float(np.log(q / (1 - q)))}


def test_the_line_moves_down_only_for_the_codes_the_analyst_added_back_below_it(monkeypatch):
    """Retraining after the decisions changes a later suggestion in the new way (LOWER_CODES): the analyst added
    back by hand the four proposals of "fallrisk" the disposer dropped just below its line, and left out the
    three of "hembesok". After the retraining a later "fallrisk" proposal at 0.45 is kept, while a later
    "hembesok" at 0.45 and a code never decided in the band ("ovrigt") stay dropped, and the project's line
    itself (every other code) stays at 0.6."""
    from models import learning

    p, codes, y, g = _code_band_project([("fallrisk", 4, 0), ("hembesok", 0, 3)])
    X = [_z(q) for q in p]
    base = _FixedZ(0.6)
    monkeypatch.setattr(learning, "LOWER_CODES", None)
    before = learning.fit_project(base, X, codes, y, lam_code=3.0, lam_feat=None, threshold_prior=100.0, groups=g)
    monkeypatch.setattr(learning, "LOWER_CODES", 4.0)
    after = learning.fit_project(base, X, codes, y, lam_code=3.0, lam_feat=None, threshold_prior=100.0, groups=g)
    assert after.threshold == before.threshold == 0.6
    later = [_z(0.45)] * 3
    names = ["fallrisk", "hembesok", "ovrigt"]
    kept_before = before.predict_proba_dicts(later, names) >= before.threshold
    kept_after = after.predict_proba_dicts(later, names) >= after.threshold
    assert kept_before.tolist() == [False, False, False]
    assert kept_after.tolist() == [True, False, False]
    # below the band (LOWER_BAND 0.40) nothing moves
    assert (after.predict_proba_dicts([_z(0.38)], ["fallrisk"]) < after.threshold).all()
    assert base.correction_ is None  # the shared bundled disposer is left alone


def test_a_band_the_analyst_mostly_leaves_out_lowers_no_code_and_never_the_whole_line(monkeypatch):
    """The harm case (blind_round23 in a shuffled order: the project line went 0.6 -> 0.38 for every code and
    precision fell by 0.023, 2 right for 1 wrong). With LOWER_CODES the project line is never lowered as a whole;
    and where the analyst left out most of the band (2 of 12 kept) even a code kept once there keeps its line,
    as does a code left out twice for one keep in a good band. Only a band kept almost whole (above LOWER_GLOBAL)
    lowers the whole line."""
    from models import learning

    monkeypatch.setattr(learning, "LOWER_CODES", 4.0)
    monkeypatch.setattr(learning, "THRESHOLD_ALONE", True)
    p, codes, y, g = _band_project(11, 15)
    assert learning.surest_threshold(p, y, g, 0, 0.6) < 0.6  # the bootstrap rule alone would lower the line
    assert learning.project_threshold(p, y, 0, 0.6, prior=100.0, groups=g) == 0.6
    p, codes, y, g = _band_project(40, 42)  # a band the analyst keeps almost whole (LOWER_GLOBAL 0.8) still lowers it
    assert learning.project_threshold(p, y, 0, 0.6, prior=100.0, groups=g) < 0.6
    bad = [("k%d" % i, 1, 0) for i in range(2)] + [("d%d" % i, 0, 1) for i in range(10)]
    p, codes, y, g = _code_band_project(bad)
    assert learning.lower_codes(p, y, codes, 0, 0.6) == []
    p, codes, y, g = _code_band_project([("blandad", 1, 2), ("fallrisk", 3, 0), ("hembesok", 2, 0)])
    assert learning.lower_codes(p, y, codes, 0, 0.6) == ["fallrisk", "hembesok"]


def test_the_proposer_line_of_a_code_added_by_hand_just_below_it_moves_down(monkeypatch):
    """PROP_LOWER_K: the proposer scored "fallrisk" in [0.35, 0.7) on four reviewed texts where the analyst added
    it by hand, and "hembesok" there on three texts left without it; only fallrisk's threshold moves (to 0.35)."""
    from models import learning

    class PM:
        codes_ = ["fallrisk", "hembesok", "ovrigt"]

        def threshold_for(self, c):
            return 0.7

    P, kept, wrong, complete, ruled = [], [], [], [], []
    for i in range(20):
        row = [0.1, 0.1, 0.1]
        k = set()
        if i < 4:
            row[0] = 0.5
            k.add("fallrisk")
        elif i < 7:
            row[1] = 0.5
        P.append(row)
        kept.append(k)
        wrong.append(set())
        complete.append(True)
        ruled.append(set())
    got = learning.lower_proposer_codes(PM(), np.asarray(P), ruled, kept, wrong, complete, k=4.0)
    assert got == {"fallrisk": 0.35}
    monkeypatch.setattr(learning, "PROP_LOWER_K", None)  # off: nothing moves
    assert learning.lower_proposer_codes(PM(), np.asarray(P), ruled, kept, wrong, complete) == {}
