"""Store methods of the answer-centred review: status/scope correction (audited, undoable), queue, progress."""
from __future__ import annotations

import pytest

from models.store import StoreError
from tests.browser.projects import build_project


@pytest.fixture()
def store(tmp_path):
    s = build_project(tmp_path / "p.sqlite")
    yield s
    s.close()


def test_set_status_scope_is_audited_and_undone(store):
    c = store.codings()[0]
    changed = store.set_coding_status_scope(c.id, "Anna", status="planerad")
    assert (changed.status, changed.scope, changed.decision) == ("planerad", c.scope, c.decision)
    row = store.audit(entity="coding", entity_id=c.id)[0]
    assert row["action"] == "set_status_scope" and row["analyst"] == "Anna"
    assert row["before"]["status"] == c.status and row["after"]["status"] == "planerad"
    version = store.data_version
    store.set_coding_status_scope(c.id, "Anna", status="planerad")  # no change: nothing logged
    assert store.audit(entity="coding", entity_id=c.id)[0]["id"] == row["id"]
    assert store.data_version >= version
    store.undo_last("Anna")
    assert store.coding(c.id).status == c.status
    with pytest.raises(StoreError):
        store.set_coding_status_scope(99999, "Anna", scope="breddinförd")


def test_review_queue_is_by_uncertainty_and_progress_counts_answers(store):
    order = store.review_answers()
    assert [conf for _, conf, _ in order] == sorted(conf for _, conf, _ in order)
    assert store.review_progress() == (0, 4)
    first = store.codings(answer_ids=[order[0][0]])[0]
    store.decide(first.id, "rejected", "Anna")
    assert store.review_progress() == (1, 4)
    assert order[0][0] not in [a for a, _, _ in store.review_answers()]
    assert [a for a, _, _ in store.review_answers(code_id="mobila_team")] == \
        [a for a, _, _ in order if a != order[0][0] and any(c.code_id == "mobila_team"
                                                            for c in store.codings(answer_ids=[a]))]
    assert store.review_progress(code_id="patientkontrakt") == (0, 1)


def _suggestions_again(store):
    """The machine suggestions as a re-tag proposes them once more (same codes, same spans)."""
    from models.records import CodingSuggestion

    return [CodingSuggestion(c.answer_id, c.code_id, c.start, c.end, c.evidence_start, c.evidence_end,
                             confidence=c.confidence, status=c.status, scope=c.scope)
            for c in store.codings(decisions=["suggested"])]


@pytest.mark.parametrize("only_changed", [False, True])
def test_a_recoded_suggestion_does_not_come_back_after_a_retag(store, only_changed):
    # qa21: an analyst changed "Mobila team" to another code on a passage; after a codebook save re-tagged the
    # answer, "Mobila team" was suggested there again, as if the analyst had never said it was wrong
    again = _suggestions_again(store)
    mobila = next(c for c in store.codings(decisions=["suggested"]) if c.code_id == "mobila_team")
    store.decide(mobila.id, "accepted", "Anna", code_id="palliativ_vard")
    store.replace_suggestions(again, answer_ids=[mobila.answer_id] if only_changed else None)
    on_answer = {(c.code_id, c.decision) for c in store.codings(answer_ids=[mobila.answer_id])}
    assert ("mobila_team", "suggested") not in on_answer, on_answer
    assert ("palliativ_vard", "accepted") in on_answer
    assert (mobila.answer_id, "mobila_team") in store.recoded_away()
    # an undone recode is no longer the analyst's word: the suggestion is back, and is proposed again
    store.undo_last("Anna")
    assert (mobila.answer_id, "mobila_team") not in store.recoded_away()
    store.replace_suggestions(again, answer_ids=[mobila.answer_id] if only_changed else None)
    on_answer = {(c.code_id, c.decision) for c in store.codings(answer_ids=[mobila.answer_id])}
    assert on_answer == {("mobila_team", "suggested")}, on_answer
