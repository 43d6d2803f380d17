"""models.views: the shared coding scan is reused per data_version and never serves stale counts."""
from __future__ import annotations

import pytest

from models import views
from tests.test_export_support import build_project


@pytest.fixture()
def store(tmp_path):
    s = build_project(tmp_path / "p.sqlite")
    yield s
    s.close()


def _count(store, code, decisions, include_negated=True):
    pc = views.pair_counts(store, decisions, [code], include_negated)
    return int(pc["n"].sum())


def test_pair_scan_is_shared_until_the_next_write(store, monkeypatch):
    views._PAIR_CACHE.clear()
    scans = []
    real = views._in_clause
    monkeypatch.setattr(views, "_in_clause", lambda col, *a: scans.append(col) or real(col, *a))
    dec = views.DEFAULT_DECISIONS
    views.coverage_table(store, decisions=dec)
    before = views.matrix(store, decisions=dec)
    assert scans.count("+decision") == 1  # one scan of the codings for both page elements
    n_before = int(before.to_numpy().sum())
    store.decide(store.test_ids["skane_mobila"], "accepted", "Test")  # was rejected (and negated)
    after = views.matrix(store, decisions=dec)
    assert scans.count("+decision") == 2  # the write bumped data_version: scanned again
    assert int(after.to_numpy().sum()) == n_before + 1
    assert int(after.loc["Region Skåne", "mobila_team"]) == int(before.get("mobila_team", {}).get("Region Skåne", 0)) + 1
    # negated codings stay out of coverage, from the cached scan as well as from a one-code scan
    table = views.coverage_table(store, decisions=dec).set_index("code_id")
    assert scans.count("+decision") == 2
    one = views.coverage(store, "mobila_team", decisions=dec)
    assert table.loc["mobila_team", "n_excerpts"] == one.n_excerpts
    views._PAIR_CACHE.clear()
    assert views.coverage(store, "mobila_team", decisions=dec).n_excerpts == one.n_excerpts


def test_pair_counts_match_a_direct_sql_count(store):
    views._PAIR_CACHE.clear()
    for decisions in (None, views.DEFAULT_DECISIONS, views.ALL_DECISIONS, iter(["accepted"])):
        dec = None if decisions is None else list(decisions)
        got = views.pair_counts(store, dec, include_negated=False)
        with store.read() as con:
            sql = ("SELECT c.code_id, a.respondent_id, COUNT(*) FROM codings c JOIN answers a ON a.id = c.answer_id "
                   "WHERE c.negated = 0" + ("" if dec is None else f" AND c.decision IN ({','.join('?' * len(dec))})")
                   + " GROUP BY 1, 2")
            want = {(r[0], r[1]): r[2] for r in con.execute(sql, dec or [])}
        assert {(c, r): n for c, r, n in got[["code_id", "respondent_id", "n"]].itertuples(index=False)} == want
    assert views.pair_counts(store, []).empty
