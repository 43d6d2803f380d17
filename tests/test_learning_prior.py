"""The prior suggester of missed codes (models.learning.prior_code_probs): it starts from the bundled
models' probability of a code and moves it with the analyst's decisions."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from models import learning
from models.learning import bundled_logit, prior_code_probs, retrain
from models.records import ParsedFile, RawAnswer, Respondent
from models.store import ProjectStore
from models.tagging import tag_project

from tests.test_learning import PASSING


def _z(p: float) -> float:
    return bundled_logit(p, 0.0)


def test_bundled_logit_is_the_most_confident_source():
    assert abs(bundled_logit(0.3, 0.1) - np.log(0.301 / 0.701)) < 1e-9
    assert bundled_logit(0.1, 0.3, 0.7) > bundled_logit(0.1, 0.3) > bundled_logit(0.1, 0.1)
    assert bundled_logit(0.0, 0.0) < -6


def test_without_decisions_a_pair_keeps_the_bundled_probability():
    p = prior_code_probs([_z(0.1)], ["x"], [0], [["annat"]], [_z(0.4)], ["y"], [["ord"]], lam_feat=1.0)
    assert abs(p[0] - 0.4) < 0.01


def test_two_manual_additions_with_a_word_lift_a_pair_just_below_the_line():
    """Code X was added by hand twice in answers with the word W where the bundled models gave it 0.4;
    an unreviewed answer with W at 0.4 crosses 0.5, one without W stays lower."""
    z_tr = [_z(0.4), _z(0.4)] + [_z(0.05)] * 8
    y = [1, 1] + [0] * 8
    toks = [["demenssjuksköterska", "anhörig"], ["demenssjuksköterska", "familj"]] + [["schema", "lokal"]] * 8
    codes = ["X"] * 10
    p = prior_code_probs(z_tr, codes, y, toks, [_z(0.4), _z(0.4)], ["X", "X"],
                         [["demenssjuksköterska"], ["ventilation"]], lam_code=3.0, lam_feat=1.0)
    assert p[0] >= 0.5 > 0.4 - 1e-9
    assert p[1] < p[0]
    # without the decisions' words (offsets only) the word does not count
    q = prior_code_probs(z_tr, codes, y, toks, [_z(0.4), _z(0.4)], ["X", "X"],
                         [["demenssjuksköterska"], ["ventilation"]], lam_code=3.0, lam_feat=None)
    assert abs(q[0] - q[1]) < 1e-9


def test_a_code_left_out_again_and_again_is_suggested_less():
    """The bundled models give code Y 0.6 in ten reviewed answers and the analyst never adds it: a later
    answer at 0.6 falls below 0.5; a code the decisions do not mention keeps its probability."""
    z_tr = [_z(0.6)] * 10
    p = prior_code_probs(z_tr, ["Y"] * 10, [0] * 10, [["ord"]] * 10, [_z(0.6), _z(0.6)], ["Y", "Z"],
                         [["ord"], ["ord"]], lam_code=3.0, lam_feat=1.0)
    assert p[0] < 0.5 and abs(p[1] - 0.6) < 0.01
    fewer = prior_code_probs(z_tr[:2], ["Y"] * 2, [0] * 2, [["ord"]] * 2, [_z(0.6)], ["Y"], [["ord"]],
                             lam_code=3.0, lam_feat=1.0)
    assert p[0] < fewer[0] < 0.6


# Written for this test: a kommun employs a dementia nurse supporting relatives. The rules propose no code;
# the bundled models give vardkoordinator_samordnare well below every threshold. The analyst adds it
# by hand in three answers.
DEMENS = [
    "I kommun 1 har vi anställt en demenssjuksköterska som stöttar anhöriga.",
    "Kommun 2 har fått en demenssjuksköterska som hjälper familjer som lever med demens.",
    "I kommun 3 finns nu en demenssjuksköterska som besöker anhöriga i hemmet.",
]
DEMENS_UNREVIEWED = "I kommun 9 har vi anställt en demenssjuksköterska som stöttar och besöker anhöriga."
CODE = "vardkoordinator_samordnare"


def _project(path: Path) -> ProjectStore:
    texts = DEMENS + PASSING[:6] + [DEMENS_UNREVIEWED]
    store = ProjectStore(path)
    raw = [RawAnswer(f"Kommun {i}", "", t, position=i) for i, t in enumerate(texts)]
    store.import_parsed(ParsedFile("svar.txt", "txt", "sha-prior-test", 1, raw),
                        lambda a: Respondent(name=a.respondent, type="kommun"))
    tag_project(store)
    return store


def _review_and_learn(store) -> list:
    answers = store.answers()
    target = answers[-1]
    assert CODE not in {c.code_id for c in store.codings(answer_ids=[target.id]) if not c.negated}
    for a in answers[:-1]:
        for c in store.codings(answer_ids=[a.id]):
            if c.decision == "suggested" and not c.negated:
                store.decide(c.id, "rejected", "anna")
        if "demenssjuksköterska" in a.text:
            assert CODE not in {c.code_id for c in store.codings(answer_ids=[a.id])}, "the rules miss it"
            store.add_manual_coding(a.id, CODE, 0, len(a.text), "anna")
    retrain(store)
    return [c for c in store.codings(answer_ids=[target.id]) if c.code_id == CODE and not c.negated]


def test_manual_codes_make_the_prior_suggester_propose_the_code_where_the_rules_miss_it(tmp_path, monkeypatch):
    # the word-only suggester switched off: the suggestion comes from the bundled models' prior
    monkeypatch.setattr(learning, "SUGGEST_THRESHOLD", 1.01)
    store = _project(tmp_path / "p.sqlite")
    got = _review_and_learn(store)
    assert got and got[0].decision == "suggested" and got[0].origin == "model"
    assert got[0].confidence is None or got[0].confidence >= learning.PRIOR_THRESHOLD
    store.close()


def test_without_the_prior_suggester_the_code_is_not_suggested(tmp_path, monkeypatch):
    monkeypatch.setattr(learning, "SUGGEST_THRESHOLD", 1.01)
    monkeypatch.setattr(learning, "PRIOR_MIN_MANUAL", None)
    store = _project(tmp_path / "q.sqlite")
    assert _review_and_learn(store) == []
    store.close()
