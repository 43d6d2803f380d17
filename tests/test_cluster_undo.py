"""Kluster's "Ångra": each review action taken back in one step, the state exactly as before it."""
from __future__ import annotations

import pytest

from models import clusters as C
from models.store import ProjectStore, StoreError
from tests.test_cluster_review import RESPONDENTS, _import


@pytest.fixture()
def store(tmp_path):
    s = ProjectStore(tmp_path / "p.sqlite")
    _import(s, "a", RESPONDENTS[:4])
    C.run_clustering(s, analyst="anna")
    yield s
    s.close()


def _state(store) -> dict:
    """Every cluster of the newest run: name, label, members (id, excluded, moved) — what Kluster shows."""
    views = C.clusters(store, include_excluded=True)
    return {v.id: (v.name, v.label, tuple(v.top_terms), v.code_id,
                   tuple(sorted((m["id"], m["excluded"], m["moved"]) for m in v.members))) for v in views}


def test_nothing_to_undo_before_any_action(store):
    assert C.last_undoable(store, "anna") is None
    assert C.undo_last(store, "anna") is None


def test_rename_merge_split_move_exclude_each_undone_back_to_the_state_before(store):
    start = _state(store)
    views = C.clusters(store)
    a, b = views[0], views[1]
    steps = [
        lambda: C.rename(store, a.id, "Mobila team i hemmet", "anna"),
        lambda: C.merge(store, [a.id, b.id], "anna", name="Ihop"),
        lambda: C.split(store, a.id, "anna", k=2),
        lambda: C.move_excerpts(store, [m["id"] for m in C.cluster(store, a.id).members[:2]],
                                C.clusters(store)[-1].id, "anna"),
        lambda: C.exclude_excerpts(store, [m["id"] for m in C.cluster(store, a.id).members[:2]], "anna"),
    ]
    states = [start]
    for step in steps:
        step()
        after = _state(store)
        assert after != states[-1]  # each step changed what Kluster shows
        states.append(after)
    expected = ["uteslutningen av utdrag", "flytten av utdrag", "delningen av klustret",
                "sammanslagningen av kluster", "namnbytet på klustret"]
    for i, what in enumerate(expected):
        assert C.last_undoable(store, "anna") == what
        assert C.undo_last(store, "anna") == what
        assert _state(store) == states[-2 - i]  # one step back, several excerpts in one
    assert _state(store) == start
    assert C.undo_last(store, "anna") is None
    assert [r["action"] for r in store.audit(limit=3)] == ["undo"] * 3


def test_undo_is_per_analyst_and_refused_after_a_colleague_changed_the_run(store):
    a, b = C.clusters(store)[:2]
    C.rename(store, a.id, "Annas namn", "anna")
    assert C.last_undoable(store, "bo") is None
    C.rename(store, b.id, "Bos namn", "bo")
    with pytest.raises(StoreError, match="någon annan"):
        C.undo_last(store, "anna")
    assert C.undo_last(store, "bo") == "namnbytet på klustret"
    assert C.undo_last(store, "anna") == "namnbytet på klustret"
    assert {v.name for v in C.clusters(store)} & {"Annas namn", "Bos namn"} == set()


def test_undo_refused_once_the_clustering_ran_again(store):
    a = C.clusters(store)[0]
    C.rename(store, a.id, "Gammal körning", "anna")
    C.run_clustering(store, analyst="anna")
    assert C.last_undoable(store, "anna") is None  # the button is off: the rename belongs to the old run
    with pytest.raises(StoreError, match="körts om"):
        C.undo_last(store, "anna")


def test_map_without_codings_and_create_code_undone_from_kluster(store):
    a = C.clusters(store)[0]
    C.map_to_code(store, a.id, "mobila_team", "anna", code_excerpts=False)
    assert C.clusters(store)[0].code_id == "mobila_team"
    assert C.undo_last(store, "anna") == "kopplingen av klustret till en kod"
    assert C.clusters(store)[0].code_id is None
    coded_before = len(store.codings())
    C.create_code(store, a.id, "anna", label="Ny kod av klustret")
    assert len(store.codings()) > coded_before
    assert C.undo_last(store, "anna") == "koden skapad av klustret"
    assert len(store.codings()) == coded_before
    assert C.clusters(store)[0].code_id is None
