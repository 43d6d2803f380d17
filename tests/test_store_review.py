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
