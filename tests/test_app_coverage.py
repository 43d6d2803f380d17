"""Teman and Översikt show coverage at three levels: Gotland, an RSS-only län, a named kommun, a non-respondent."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.test_coverage_model import _project
from tests.helpers.apptest import open_page


@pytest.fixture()
def project(tmp_path):
    store, _ = _project(tmp_path / "tackning.sqlite")
    yield store
    store.close()


def _app(store, page: str) -> AppTest:
    return open_page(store.path, page, analyst="Anna Analytiker")


def _teman(store) -> AppTest:
    at = _app(store, "teman")
    at.selectbox(key="teman_kat").set_value("proaktivt_undvikbar_slutenvard").run()
    at.selectbox(key="teman_kod").set_value("mobila_team").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _texts(at) -> list[str]:
    return [t.value for t in at.text]


def test_teman_coverage_sentence_levels_and_named_kommun(project):
    at = _teman(project)
    texts = _texts(at)
    # Region Gotland counts as a region; Uppsala län counts through its RSS only; Falun answered on its own
    assert ("Mobila team nämns av 2 av 2 regioner som svarat (21 totalt), i 2 av 2 län där kommunerna svarat "
            "(20 totalt) och av 1 av 2 kommuner som svarat själva (290 totalt).") in texts
    # kommuner named in the RSS answer are listed by name, not counted
    assert ("Nämnda i länets svar: Tierps kommun (Uppsala län), Östhammars kommun (Uppsala län) "
            "(räknas inte som egna kommunsvar).") in texts
    assert "2 av 2 regioner som svarat (21 totalt): 1 breddinförd, 1 projekt" in texts
    captions = " ".join(c.value for c in at.caption)
    assert "Gotlands län: ej relevant för kommunfrågorna" in captions
    frames = [df.value for df in at.dataframe]
    regions_named = next(f for f in frames if "Region Dalarna" in set(f["namn"]))
    assert list(regions_named["namn"]) == ["Region Dalarna", "Region Gotland"]
    # Region Skåne sent only an empty answer: it "har inte svarat" (19 of 21), not "svarade men nämner inte"
    not_answered = next(f for f in frames if "Region Skåne" in set(f["namn"]))
    assert len(not_answered) == 19
    assert any(list(f["namn"]) == ["Mora kommun"] for f in frames)  # answered, does not mention it


def test_teman_counts_only_reviewed_codings_when_asked_and_drills_down(project):
    at = _teman(project)
    at.selectbox(key="teman_cov_drill").set_value("Regioner: Region Gotland (1 utdrag)").run()
    assert any(t.startswith("»Mobila team« finns i ett projekt på norra Gotland") for t in _texts(at))
    at.selectbox(key="teman_cov_drill").set_value(
        "Nämnd i länets svar: Tierps kommun, Uppsala län (1 utdrag)").run()
    assert any("Tierps kommun finns »mobila team«" in t for t in _texts(at))
    at.toggle(key="teman_cov_forslag").set_value(False).run()
    assert not at.exception
    assert any(t.startswith("Mobila team nämns av 0 av 2 regioner som svarat (21 totalt)") for t in _texts(at))


def test_oversikt_charts_render_with_captions(project):
    at = _app(project, "oversikt")
    captions = " ".join(c.value for c in at.caption)
    assert "Antal som nämner varje insats, per nivå, av dem som svarat (2 regioner, 2 län med kommunsvar, " \
           "2 kommuner med egna svar)" in captions
    assert "Antal kodade utdrag per respondent och insats" in captions
    assert "Andel av dem som svarat på varje nivå" in captions


def _excerpt_heading(at) -> str:
    return next(h.value for h in at.subheader if h.value.startswith("Utdrag"))


def test_teman_excerpts_follow_the_counting_switch(project):
    # qa21: with "Räkna med förslag som inte granskats" off Teman said "nämns av 0 av 2 regioner" over
    # "Utdrag (20)": the list below kept every unreviewed suggestion the figures above had left out
    at = _teman(project)
    everything = _excerpt_heading(at)
    mobila = [c for c in project.codings(code_ids=["mobila_team"]) if c.decision == "suggested" and not c.negated]
    assert len(mobila) >= 2
    project.decide(mobila[0].id, "accepted", "Anna Analytiker")
    at.toggle(key="teman_cov_forslag").set_value(False).run()
    assert not at.exception, [e.value for e in at.exception]
    assert _excerpt_heading(at) == "Utdrag (1)", (everything, _excerpt_heading(at))
    assert any("bara granskade" in c.value for c in at.caption), [c.value for c in at.caption]
    at.toggle(key="teman_cov_forslag").set_value(True).run()
    assert _excerpt_heading(at) == everything


def test_oversikts_charts_describe_themselves_in_swedish_to_a_screen_reader(project):
    """qa27: Vega's own aria text of every cell and bar was English and named the data's columns
    ("code_label: Mobila team; respondent: …", "X-axis for a discrete scale with 33 values"): every chart now
    carries Swedish descriptions of itself, its axes, its legend and each mark."""
    import json

    import pyarrow as pa

    at = _app(project, "oversikt")
    charts = at.get("vega_lite_chart")
    assert len(charts) >= 3
    for chart in charts:
        spec = json.loads(chart.proto.spec)
        assert spec.get("description") and spec["encoding"]["description"]["field"] == "beskrivning", spec
        for channel in ("x", "y", "color"):
            guide = spec["encoding"][channel].get("axis") or spec["encoding"][channel].get("legend")
            assert guide and guide.get("description"), (channel, spec["encoding"][channel])
        data = pa.ipc.open_stream(chart.proto.datasets[0].data.data).read_pandas()
        assert len(data) and all(data["beskrivning"].str.len() > 0)
        assert not data["beskrivning"].str.contains("code_label|respondent:").any()
        if spec["mark"]["type"] == "rect":  # the respondent × code matrix
            row = data.iloc[0]
            assert row["beskrivning"] == f"{row['respondent']}, {row['code_label']}: {row['n']} utdrag"
